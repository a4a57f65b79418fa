"""The commands that read or write files: export, validate, build, completion and man."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Literal

from .._corpus.corpus import Corpus, StoryCollection
from .._errors import CorpusError
from .common import (
    EXIT_NO_MATCH,
    EXIT_OK,
    FILE_FORMATS,
    count,
    fail,
    filtered_stories,
    given_filters,
    listed,
    no_match,
)
from .parser import build_parser

if TYPE_CHECKING:
    from .output import Output


def cmd_export(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from .._export.records import export
    from .._io.files import write_atomically

    stories = filtered_stories(corpus, args)
    if args.format in FILE_FORMATS:
        return _export_file(stories, args, err)
    document = export(stories, args.format, segments=args.segments)
    if args.output is None:
        out.document(document)
    else:
        write_atomically(args.output, document.encode("utf-8"))
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


def _export_file(stories: StoryCollection, args: argparse.Namespace, err: Output) -> int:
    from .._export.arrow import ExtraNotInstalledError, write_hf_dataset, write_parquet

    if args.output is None:
        what = "a folder" if args.format == "hf" else "a file"
        return fail(err, f"--format {args.format} writes {what}: name it with -o")
    write = write_hf_dataset if args.format == "hf" else write_parquet
    try:
        write(stories, args.output)
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
        out.line(str(error))
        return EXIT_NO_MATCH
    out.line(f"{args.path}: valid. {_defines_and_borrows(loaded, corpus)}")
    return EXIT_OK


def _defines_and_borrows(loaded: Corpus, base: Corpus) -> str:
    """What a loaded catalog defines itself and what it takes from *base*, in a sentence."""
    defined: list[str] = []
    borrowed: list[str] = []
    for singular, plural, mine, theirs in (
        ("story", "stories", loaded.stories(), base.stories()),
        ("source", "sources", loaded.sources(), base.sources()),
        ("company", "companies", loaded.companies(), base.companies()),
        ("principle", "principles", loaded.principles(), base.principles()),
        ("language", "languages", loaded.languages(), base.languages()),
    ):
        # A borrowed record is the base's very object; one the catalog
        # defines is its own, even when equal to one of the base's.
        known = {id(record) for record in theirs}
        taken = sum(id(record) in known for record in mine)
        if len(mine) - taken:
            defined.append(count(len(mine) - taken, singular, plural))
        if taken:
            borrowed.append(count(taken, singular, plural))
    sentence = f"It defines {listed(defined)}" if defined else "It defines nothing"
    if borrowed:
        sentence += f", and uses {listed(borrowed)} defined by the corpora it builds on"
    return sentence + "."


def cmd_completion(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from .completion import completion_script

    out.document(completion_script(args.shell, build_parser(), corpus))
    return EXIT_OK


def cmd_man(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from .manpage import manual_page

    out.document(manual_page(build_parser()))
    return EXIT_OK


def cmd_build(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    import time

    from .._corpus.functions import compile

    start = time.perf_counter()
    path = compile(corpus, args.output)
    out.line(
        f"{path}: {count(len(corpus.stories()), 'story', 'stories')}, "
        f"{count(len(corpus.companies()), 'company', 'companies')}, "
        f"{count(len(corpus.sources()), 'source', 'sources')}, "
        f"compiled in {time.perf_counter() - start:.1f} s"
    )
    return EXIT_OK
