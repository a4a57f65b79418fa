"""The commands that read or write files: export, validate, build, completion and man."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, BinaryIO

from .._corpus.corpus import Corpus, StoryCollection
from .._errors import CorpusError
from .common import (
    EXIT_NO_MATCH,
    EXIT_OK,
    FILE_FORMATS,
    count,
    fail,
    filtered_stories,
    listed,
    no_match,
)
from .parser import build_parser

if TYPE_CHECKING:
    from .output import Output


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
        what = "a folder" if args.format == "hf" or args.partition_by else "a file"
        return fail(err, f"--format {args.format} writes {what}: name it with -o")
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
        f"{path}: {len(corpus.stories())} stories, "
        f"{len(corpus.companies())} companies, {len(corpus.sources())} sources, "
        f"compiled in {time.perf_counter() - start:.1f} s"
    )
    return EXIT_OK
