"""The commands that read or write files: export, validate, build, completion and man."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, BinaryIO, Literal

from .._corpus.corpus import Corpus, StoryCollection
from .._errors import CorpusError
from .common import (
    EXIT_NO_MATCH,
    EXIT_OK,
    FILE_FORMATS,
    fail,
    filtered_stories,
    given_filters,
    listed,
    no_match,
)
from .i18n import N_plural, _, comma, counted, decimal, use
from .parser import build_parser

if TYPE_CHECKING:
    from .output import Output

STORIES = N_plural("{count} story", "{count} stories")
COMPANIES = N_plural("{count} company", "{count} companies")
SOURCES = N_plural("{count} source", "{count} sources")


def cmd_export(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from .._export.records import iter_export
    from .._io.files import write_atomically

    misplaced = _misplaced_options(args)
    if misplaced:
        return fail(err, misplaced)
    stories = filtered_stories(corpus, args)
    if args.format in FILE_FORMATS:
        return _export_file(stories, args, err)
    # Written piece by piece: a large corpus is never one string in memory.
    pieces = iter_export(stories, args.format, segments=args.segments, bom=args.bom)
    if args.output is None:
        for piece in pieces:
            out.document(piece)
    else:

        def fill(file: BinaryIO) -> None:
            for piece in pieces:
                file.write(piece.encode("utf-8"))

        write_atomically(args.output, fill)
    return EXIT_OK if stories else no_match(err, args)


def cmd_handout(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from .._export.handout import handout
    from .._io.files import write_atomically

    if args.ids:
        stories = [corpus.story(id) for id in args.ids]
        kept = set(filtered_stories(corpus, args).ids()) if given_filters(args) else None
        stories = [story for story in stories if kept is None or story.id in kept]
    else:
        stories = list(filtered_stories(corpus, args))
    if not stories:
        return no_match(err, args)
    language = None if args.in_language is None else corpus.language(args.in_language)
    format = args.format or _format_of(args.output)
    document = handout(stories, format, language=language, parallel=args.parallel)
    if args.output is None:
        out.document(document)
    else:
        write_atomically(args.output, document.encode("utf-8"))
    return EXIT_OK


def _format_of(path: str | None) -> Literal["markdown", "html"]:
    """The handout format a file name asks for: HTML for .html and .htm, else Markdown."""
    return "html" if path and path.lower().endswith((".html", ".htm")) else "markdown"


def _misplaced_options(args: argparse.Namespace) -> str | None:
    """An option given with a format it does not apply to, said as an error; or None."""
    for option, given, formats in (
        ("--bom", args.bom, ("csv",)),
        ("--partition-by", args.partition_by is not None, ("parquet",)),
        ("--shard-rows", args.shard_rows is not None, ("hf",)),
        ("--language-configs", args.language_configs, ("hf",)),
    ):
        if given and args.format not in formats:
            return f"{option} is for --format {' or '.join(formats)}, not {args.format}"
    return None


def _export_file(stories: StoryCollection, args: argparse.Namespace, err: Output) -> int:
    from .._export.arrow import ExtraNotInstalledError, write_parquet
    from .._export.hub import write_hf_dataset

    if args.output is None:
        if args.format == "hf" or args.partition_by:
            message = _("--format {format} writes a folder: name it with -o")
        else:
            message = _("--format {format} writes a file: name it with -o")
        return fail(err, message.format(format=args.format))
    try:
        if args.format == "hf":
            write_hf_dataset(
                stories,
                args.output,
                segments=args.segments,
                shard_rows=args.shard_rows,
                row_group_size=args.row_group_size,
                language_configs=args.language_configs,
            )
        else:
            write_parquet(
                stories,
                args.output,
                segments=args.segments,
                partition_by=args.partition_by,
                row_group_size=args.row_group_size,
            )
    except ExtraNotInstalledError as error:
        return fail(err, str(error))
    return EXIT_OK if stories else no_match(err, args)


def cmd_validate(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from .._stores.compiled import looks_like_sqlite

    try:
        if looks_like_sqlite(args.path):
            from .._stores.sqlite import verify

            loaded = Corpus._from_store(verify(args.path))
        else:
            loaded = Corpus.load(args.path, base=corpus)
    except CorpusError as error:
        from .errors import problems_of

        out.line(problems_of(error))
        return EXIT_NO_MATCH
    out.line(f"{args.path}: " + _("valid.") + f" {_defines_and_borrows(loaded, corpus)}")
    return EXIT_OK


def _defines_and_borrows(loaded: Corpus, base: Corpus) -> str:
    """What a loaded catalog defines itself and what it takes from *base*, in a sentence."""
    defined: list[str] = []
    borrowed: list[str] = []
    for forms, mine, theirs in (
        (STORIES, loaded.stories(), base.stories()),
        (SOURCES, loaded.sources(), base.sources()),
        (COMPANIES, loaded.companies(), base.companies()),
        (
            N_plural("{count} principle", "{count} principles"),
            loaded.principles(),
            base.principles(),
        ),
        (
            N_plural("{count} language", "{count} languages"),
            loaded.languages(),
            base.languages(),
        ),
    ):
        # A borrowed record is the base's very object; one the catalog
        # defines is its own, even when equal to one of the base's.
        known = {id(record) for record in theirs}
        taken = sum(id(record) in known for record in mine)
        if len(mine) - taken:
            defined.append(counted(len(mine) - taken, forms))
        if taken:
            borrowed.append(counted(taken, forms))
    if not defined:
        sentence = _("It defines nothing")
    else:
        sentence = _("It defines {things}").format(things=listed(defined))
    if borrowed:
        sentence += _(", and uses {things} defined by the corpora it builds on").format(
            things=listed(borrowed)
        )
    return sentence + "."


def cmd_completion(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from .completion import completion_script

    # A script for a shell, not for a reader: in the words the program parses.
    use("en")
    out.document(completion_script(args.shell, build_parser(), corpus))
    return EXIT_OK


def cmd_man(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from .manpage import manual_page

    # The manual page in English: its sections and examples are laid out
    # for roff from the English help.
    use("en")
    out.document(manual_page(build_parser()))
    return EXIT_OK


def cmd_build(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    import time

    from .._corpus.functions import compile

    start = time.perf_counter()
    path = compile(corpus, args.output)
    seconds = decimal(f"{time.perf_counter() - start:.1f}")
    counts = [
        counted(len(corpus.stories()), STORIES),
        counted(len(corpus.companies()), COMPANIES),
        counted(len(corpus.sources()), SOURCES),
        _("compiled in {seconds} s").format(seconds=seconds),
    ]
    out.line(f"{path}: " + comma().join(counts))
    return EXIT_OK
