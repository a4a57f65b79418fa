"""The `clientocracy` command: browse, read, pick and export stories.

A thin layer over the public API: every query goes through
[`Corpus`][clientocracy.Corpus]; this module only parses arguments and prints.
Modules a command does not need are imported inside that command, so that
`clientocracy show ID` starts about as fast as Python itself.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from ._corpus import Corpus, StoryCollection
from ._errors import CorpusError, UnknownValueError
from ._version import __version__

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

    from ._records import Language, SearchHit, Story
    from ._terminal import Marked, Output

__all__ = ["build_parser", "main"]

EXIT_OK = 0
EXIT_NO_MATCH = 1
EXIT_USAGE = 2
# What a shell reports for a process killed by SIGINT (128 + 2) and SIGPIPE (128 + 13).
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141
# An error the program did not expect: a bug (EX_SOFTWARE of sysexits.h).
EXIT_BUG = 70

_PROG = "clientocracy"

_DESCRIPTION = """\
Stories of companies that did more for a customer than they owed,
from a Russian and a Persian text, with English titles and summaries.

Filters (--company, --principle, --language) accept any id, name or
alias in any script and case, and may be repeated: repeats of one filter
are ORed, different filters are ANDed.
"""

_EXAMPLES = {
    "main": """\
examples:
  clientocracy list --language fa
  clientocracy show zappos-flowers-for-a-mother
  clientocracy random --principle "small things matter" --seed 2026
  clientocracy export --format csv -o stories.csv
""",
    "list": """\
examples:
  clientocracy list
  clientocracy list --company Zappos --company "Trader Joe's"
  clientocracy list --principle "Мелочи важны" --language ru --json
""",
    "search": """\
query syntax:
  words        every word must match, in any form (будильники finds будильник)
  "a phrase"   the words in this order (quote it for the shell: '"alarm clock"')
  the last word also matches as a prefix, unless the query ends with a space

examples:
  clientocracy search alarm clock
  clientocracy search будильники
  clientocracy search زاپوس --json
  clientocracy search '"free coffee"' --company JetBlue
""",
    "show": """\
examples:
  clientocracy show sainsburys-giraffe-bread
  clientocracy show sainsburys-giraffe-bread --in fa      # the Persian translation
  clientocracy show nordstrom-lost-diamond-ring --in Russian --parallel
  clientocracy show nordstrom-lost-diamond-ring --json
""",
    "random": """\
examples:
  clientocracy random
  clientocracy random --language Farsi --seed 7      # the same story every time
""",
    "companies": "example:\n  clientocracy companies --json\n",
    "principles": "example:\n  clientocracy principles\n",
    "languages": "example:\n  clientocracy languages\n",
    "validate": """\
examples:
  clientocracy validate my-stories/
  clientocracy --corpus my-stories/ list      # the bundled stories and yours
  clientocracy validate stories.sqlite        # checks every page of a compiled file
""",
    "build": """\
examples:
  clientocracy build my-stories/ -o stories.sqlite
  clientocracy --corpus stories.sqlite search alarm clock
  clientocracy build my-stories/ --no-bundled -o mine.sqlite

The file holds what `--corpus CORPUS` would read: the bundled stories and
yours, unless --no-bundled. It is used as it is: rebuild it after changing
the corpus (opening it then warns that it is stale).
""",
    "completion": """\
examples:
  eval "$(clientocracy completion bash)"           # in ~/.bashrc
  clientocracy completion zsh > ~/.zfunc/_clientocracy
  clientocracy completion fish > ~/.config/fish/completions/clientocracy.fish
""",
    "man": """\
examples:
  clientocracy man | man -l -
  clientocracy man > ~/.local/share/man/man1/clientocracy.1
""",
    "export": """\
examples:
  clientocracy export --format jsonl | head -1
  clientocracy export --format json --company LEGO -o lego.json
  clientocracy export --format parquet -o stories.parquet
  clientocracy export --format hf -o clientocracy-stories/
""",
}


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are two lines: the problem and what to do.

    Its messages (help, usage, errors that echo an argument) are printed
    through an Output like everything else the command prints.
    """

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\nTry '{self.prog} --help'.\n")

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if message:
            # argparse prints help and --version to stdout, usage errors to stderr.
            to_stdout = file is None or file is sys.stdout
            (_output() if to_stdout else _errors()).write(message)


def _add_filters(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("filters")
    group.add_argument(
        "--company", action="append", metavar="NAME", help="a company's id, name or alias"
    )
    group.add_argument(
        "--principle", action="append", metavar="NAME", help="a principle's id or name"
    )
    group.add_argument(
        "--language", action="append", metavar="NAME", help="a language's tag, code or name"
    )


def _add_corpus_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # Given before or after the command. A subparser's values replace the
    # program's, so those given after the command get a destination of
    # their own (joined in _corpus_paths), and SUPPRESS keeps a subparser's
    # unset flags from overwriting what was given before the command.
    group = parser.add_argument_group("corpora")
    group.add_argument(
        "--corpus",
        action="append",
        dest="corpus" if top else "corpus_after",
        metavar="PATH",
        default=[],
        help="also read the corpus in folder PATH, or the compiled file PATH (repeatable)",
    )
    group.add_argument(
        "--no-bundled",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="leave the bundled stories out (use with --corpus)",
    )
    display = parser.add_argument_group("display")
    display.add_argument(
        "--no-pager",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="never page long output (default: page it on a terminal, as git does)",
    )
    display.add_argument(
        "--bidi",
        action="store_true",
        default=_env_flag("CLIENTOCRACY_BIDI") if top else argparse.SUPPRESS,
        help="reorder Persian for terminals without bidi support, such as xterm and tmux",
    )


def _env_flag(name: str) -> bool:
    """Whether the environment variable *name* is set to a true value: `1`, `true`,
    `yes` or `on`; `0`, `false`, `no`, `off` and the empty string are false."""
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def _add_in(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument(
        "--in", dest="in_language", metavar="LANGUAGE", help=help + " (a tag, code or name)"
    )


def _add_json(
    parser: argparse.ArgumentParser,
    help: str = "print JSON (the shape `export --format json` writes)",
) -> None:
    parser.add_argument("--json", action="store_true", help=help)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Return the argument parser of the `clientocracy` command.

    With *only*, the parser knows just that one command: building all of
    them costs a few milliseconds that a single run never needs.
    """
    formatter = argparse.RawDescriptionHelpFormatter
    parser = _Parser(
        prog=_PROG,
        description=_DESCRIPTION,
        epilog=_EXAMPLES["main"],
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_corpus_options(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        if only is not None and name != only:
            return argparse.ArgumentParser(add_help=False)  # built, never attached
        sub = commands.add_parser(
            name,
            help=help,
            description=help[0].upper() + help[1:] + ".",
            epilog=_EXAMPLES[name],
            formatter_class=formatter,
        )
        _add_corpus_options(sub, top=False)
        return sub

    listing = command("list", "list the stories as a table: id, company, language, title")
    _add_filters(listing)
    _add_in(listing, "show the titles in LANGUAGE (default: English)")
    _add_json(listing)

    find = command("search", "search the passages, titles, summaries and company names")
    find.add_argument("query", nargs="+", metavar="WORD", help="the query (words are joined)")
    _add_filters(find)
    find.add_argument(
        "-n", "--limit", type=int, default=10, metavar="N", help="show at most N hits (default 10)"
    )
    _add_json(find, "print JSON: score, snippet with highlight offsets, and the story")

    show = command("show", "read one story, with its passage, summary and provenance")
    show.add_argument("id", metavar="ID", help="the story's id (see `clientocracy list`)")
    _add_in(show, "read the story in LANGUAGE: its original or a translation")
    show.add_argument(
        "--parallel",
        action="store_true",
        help="print the original and the translation (--in, default English) "
        "side by side, segment by segment",
    )
    _add_json(show)

    pick = command("random", "show one story picked at random from those that match")
    _add_filters(pick)
    _add_in(pick, "read the story in LANGUAGE: its original or a translation")
    pick.add_argument("--seed", type=int, metavar="N", help="pick reproducibly from seed N")
    _add_json(pick)

    for name, what in (
        ("companies", "list the companies, with their number of stories"),
        ("principles", "list the principles, with definitions and number of stories"),
        ("languages", "list the languages, with their number of stories"),
    ):
        _add_json(command(name, what))

    export = command("export", "write the (filtered) stories with every field")
    export.add_argument(
        "--format",
        choices=("json", "jsonl", "csv", *_FILE_FORMATS),
        default="json",
        help="default: json; parquet writes a Parquet file, hf a Hugging Face dataset "
        "folder (both need: pip install 'clientocracy[parquet]')",
    )
    export.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE (atomically: whole or not at all) instead of standard output; "
        "for --format hf, the folder to write",
    )
    _add_filters(export)
    export.add_argument(
        "--segments",
        action="store_true",
        help="write the aligned segments of the translations instead, one row a segment: "
        "story, source_language, language, segment, start, end, original, translation",
    )

    validate = command("validate", "check a corpus folder and report every problem found")
    validate.add_argument(
        "path", metavar="PATH", help="the corpus folder (or its catalog.json), or a compiled file"
    )

    build = command("build", "check corpus folders once and compile them into one SQLite file")
    build.add_argument("paths", nargs="+", metavar="CORPUS", help="a corpus folder (repeatable)")
    build.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="the SQLite file to write"
    )

    completion = command(
        "completion", "print a shell completion script (ids and names come from the data)"
    )
    completion.add_argument("shell", choices=("bash", "zsh", "fish"), help="the shell")
    command("man", "print the manual page, clientocracy(1), as roff")
    return parser


# -- output helpers -----------------------------------------------------------


def _output() -> Output:
    """Standard output, through which every line the commands print goes.

    It writes to whatever `sys.stdout` is at the time, so that a pager or
    the bidi display that takes standard output over gets the lines too.
    """
    from ._terminal import Output

    return Output(lambda: sys.stdout, name="standard output", required=True)


def _errors() -> Output:
    """Standard error: messages; writing to it never fails the command."""
    from ._terminal import Output

    return Output(lambda: sys.stderr, name="standard error", required=False, color=False)


def _width(stream: TextIO) -> int:
    import shutil

    return min(shutil.get_terminal_size((88, 24)).columns, 100)


def _print_json(out: Output, data: Any) -> None:
    from ._export import dumps

    out.document(dumps(data, indent=2) + "\n")


def _table(
    out: Output, rows: Sequence[Sequence[str]], header: Sequence[str], width: int | None
) -> None:
    """Print an aligned table; on a terminal (*width* given) shortened to fit, the id kept."""
    from ._tables import fit_table
    from ._terminal import one_line

    cells = [[one_line(cell) for cell in row] for row in rows]
    head, *body = fit_table(cells, header, width, fixed=(0,))
    out.line(out.bold(head))
    for line in body:
        out.line(line)


def _stories(corpus: Corpus, args: argparse.Namespace) -> StoryCollection:
    return corpus.stories(company=args.company, principle=args.principle, language=args.language)


def _given_filters(args: argparse.Namespace) -> list[str]:
    return [
        f"--{facet} {' / '.join(values)}"
        for facet in ("company", "principle", "language")
        if (values := getattr(args, facet, None))
    ]


def _no_match(err: Output, args: argparse.Namespace) -> int:
    filters = _given_filters(args)
    if filters:
        err.line(f"{_PROG}: no story matches {' and '.join(filters)}.")
    else:
        err.line(f"{_PROG}: the corpus has no stories.")
    return EXIT_NO_MATCH


# -- the commands -------------------------------------------------------------
# Each takes the corpus, the arguments, standard output and standard error
# (as Outputs: what they print is neutralized on the way), and returns the
# exit status.


def _cmd_list(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from ._export import as_dict

    stories = _stories(corpus, args)
    if args.json:
        _print_json(out, [as_dict(story) for story in stories])
    elif stories:
        if args.in_language is None:
            rows = [(s.id, s.company.name, s.language.id, s.title_en) for s in stories]
            title = "TITLE"
        else:
            language = corpus.language(args.in_language)
            rows = [(s.id, s.company.name, s.language.id, _title(s, language)) for s in stories]
            title = f"TITLE ({language.id})"
        _table(out, rows, ("ID", "COMPANY", "LANG", title), args.fit_width)
    return EXIT_OK if stories else _no_match(err, args)


def _title(story: Story, language: Language) -> str:
    """The story's title in *language*, or its English title if it has none there."""
    try:
        return story.title_in(language)
    except LookupError:
        return story.title_en


def _cmd_search(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from ._export import as_dict
    from ._terminal import one_line, wrap

    if args.limit < 0:
        return _fail(err, f"--limit cannot be negative, got {args.limit}")
    query = " ".join(args.query)
    hits = corpus.search(
        query,
        company=args.company,
        principle=args.principle,
        language=args.language,
        limit=args.limit,
    )
    if args.json:
        _print_json(out, [as_dict(hit) for hit in hits])
    else:
        width = _width(sys.stdout)
        for number, hit in enumerate(hits):
            story = hit.story
            if number:
                out.line()
            # No score: BM25 values mean nothing to a reader (a word found in
            # every story scores about 0), and the order already ranks the hits.
            out.line(
                out.bold(one_line(story.id)),
                "  ",
                out.dim(one_line(story.company.name)),
                out.dim(f" · {one_line(story.language.id)}"),
                out.dim(_matched_in(hit)),
            )
            out.line(wrap(one_line(_title(story, hit.language)), width, indent="  "))
            out.line(_highlighted(hit, width))
    if not hits:
        return _no_search_match(corpus, query, args, err)
    return EXIT_OK


def _matched_in(hit: SearchHit) -> str:
    """Where a hit matched, when not in the story's own language: ` · matched in fa`."""
    from ._terminal import one_line

    if hit.language.id == hit.story.language.id:
        return ""
    return f" · matched in {one_line(hit.language.id)}"


def _no_search_match(corpus: Corpus, query: str, args: argparse.Namespace, err: Output) -> int:
    """Say that nothing matched, naming the filters, and whether they are why."""
    from ._terminal import one_line

    filters = _given_filters(args)
    message = f"no story matches {one_line(query)!r}"
    if filters:
        message += f" with {' and '.join(filters)}"
        from ._search import count_matches

        # Counted in the index alone: making every hit's snippet to count them
        # cost seconds for a common word.
        unfiltered = count_matches(corpus, query)
        if unfiltered:
            message += f"; without the filters, {_count(unfiltered, 'story', 'stories')} "
            message += "does" if unfiltered == 1 else "do"
    err.line(f"{_PROG}: {message}.")
    return EXIT_NO_MATCH


def _count(number: int, singular: str, plural: str) -> str:
    """*number* with the noun it counts: `1 story`, `2 stories`, `0 stories`."""
    return f"{number} {singular if number == 1 else plural}"


def _listed(items: Sequence[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _highlighted(hit: SearchHit, width: int) -> Marked:
    import attrs

    from ._terminal import MARK_OFF, MARK_ON, Marked, unmark, wrap

    snippet = attrs.evolve(hit.snippet, text=unmark(hit.snippet.text))
    return Marked(wrap(snippet.marked(MARK_ON, MARK_OFF), width, indent="  "))


def _show(out: Output, story: Story, language: Language | None) -> None:
    """The story, in *language* if given; else the original, headed in English."""
    from ._terminal import one_line, wrap

    width = _width(sys.stdout)
    source = story.source
    chosen = language is not None
    language = language or story.language
    original = language.id == story.language.id
    told = f"{story.language.name} ({story.language.id})"
    facts = [
        ("company", f"{story.company.name} ({story.company.id})"),
        ("language", told if original else f"{language.name} ({language.id}), told in {told}"),
        (
            "principles",
            ", ".join(p.name_in(language) if chosen else p.name for p in story.principles),
        ),
        ("channel", story.channel or "not stated"),
        ("id", story.id),
    ]
    headline = story.title_in(language) if chosen else story.title_en
    out.line(out.bold(wrap(one_line(headline), width)))
    # Under the headline, the original's title, or the English one when the
    # original is the headline.
    second = story.title_en if chosen and original else story.title
    if second != headline:
        out.line(wrap(one_line(second), width))
    out.line()
    for name, value in facts:
        lines = wrap(one_line(value), width - 11).splitlines() or [""]
        out.line(out.dim(name.ljust(11)), lines[0])
        for line in lines[1:]:
            out.line(" " * 11, line)
    out.line()
    out.line(wrap(story.text_in(language), width))
    out.line()
    out.line(out.bold("Summary"))
    out.line(wrap(_summary(story, language) if chosen else story.summary, width))
    out.line()
    if not original:
        translation = story.translation(language)
        out.line(out.bold("Translation"))
        about = f"From {story.language.name}. Translator: {translation.translator}."
        if translation.review:
            about += f" {translation.review}"
        out.line(wrap(about, width))
        out.line()
    out.line(out.bold("Source"))
    provenance = (
        f"{source.title_en} ({source.id}, {source.language.name}), "
        f"characters {story.span.start}–{story.span.end}. {source.origin}"
    )
    out.line(wrap(provenance, width))
    if source.origin_url:
        out.line(one_line(source.origin_url))


def _summary(story: Story, language: Language) -> str:
    """The summary in *language*, or the English one (said so) where there is none."""
    try:
        return story.summary_in(language)
    except LookupError:
        return f"(in English) {story.summary}"


def _show_parallel(out: Output, story: Story, language: Language) -> None:
    """The original and a translation, segment by segment, each under its number."""
    from ._terminal import one_line, wrap

    width = _width(sys.stdout)
    translation = story.translation(language)
    out.line(out.bold(wrap(one_line(story.title), width)))
    out.line(out.bold(wrap(one_line(story.title_in(language)), width)))
    out.line(
        out.dim(
            f"{story.id}: {story.language.name} original, {language.name} translation, "
            f"{_count(len(translation.segments), 'segment', 'segments')}"
        )
    )
    indent = " " * 6
    for number, segment in enumerate(translation.segments, start=1):
        out.line()
        head = f"{number:>3}".ljust(len(indent))
        original = wrap(segment.original, width - len(indent)).splitlines() or [""]
        out.line(out.dim(head), f"{story.language.id}  ", original[0])
        for line in original[1:]:
            out.line(indent, "    ", line)
        rendered = wrap(segment.text, width - len(indent)).splitlines() or [""]
        out.line(indent, out.dim(f"{language.id}  "), rendered[0])
        for line in rendered[1:]:
            out.line(indent, "    ", line)


def _cmd_show(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from ._export import as_dict

    story = corpus.story(args.id)
    language = None if args.in_language is None else corpus.language(args.in_language)
    if getattr(args, "parallel", False):
        language = language or story.language
        if language.id == story.language.id:
            if args.in_language is not None:
                return _fail(
                    err,
                    f"--parallel pairs the original with a translation, and {language.name} "
                    f"is the original of {story.id!r}; name another language with --in",
                )
            others = [t.language for t in story.translations]
            language = next(
                (lang for lang in others if lang.id == "en"), others[0] if others else language
            )
        if language.id == story.language.id:
            return _fail(err, f"story {story.id!r} has no translation to show beside it")
        story.translation(language)  # a LookupError here names what there is
        if args.json:
            from ._export import segment_rows

            rows = [r for r in segment_rows([story]) if r["language"] == language.id]
            _print_json(out, rows)
        else:
            _show_parallel(out, story, language)
        return EXIT_OK
    if args.json:
        _print_json(out, as_dict(story))
    else:
        if language is not None:
            story.text_in(language)  # a LookupError here names what there is
        _show(out, story, language)
    return EXIT_OK


def _cmd_random(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    import random

    stories = _stories(corpus, args)
    if not stories:
        return _no_match(err, args)
    story = random.Random(args.seed).choice(stories)
    chosen = argparse.Namespace(id=story.id, json=args.json, in_language=args.in_language)
    return _cmd_show(corpus, chosen, out, err)


def _vocabulary(
    records: Sequence[Any],
    corpus: Corpus,
    args: argparse.Namespace,
    out: Output,
    header: Sequence[str],
    row: Callable[[Any], Sequence[str]],
) -> int:
    from ._export import as_dict

    if args.json:
        _print_json(out, [as_dict(record, corpus=corpus) for record in records])
    else:
        _table(out, [row(record) for record in records], header, args.fit_width)
    return EXIT_OK


def _cmd_companies(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    return _vocabulary(
        corpus.companies(),
        corpus,
        args,
        out,
        ("ID", "NAME", "STORIES", "COUNTRY", "INDUSTRY"),
        lambda c: (c.id, c.name, str(len(corpus.stories(company=c))), c.country, c.industry),
    )


def _cmd_principles(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    if args.json:
        return _vocabulary(corpus.principles(), corpus, args, out, (), lambda p: ())
    from ._terminal import one_line, wrap

    width = _width(sys.stdout)
    for index, principle in enumerate(corpus.principles()):
        count = len(corpus.stories(principle=principle))
        names = " · ".join(name for lang, name in principle.names if lang != "en")
        if index:
            out.line()
        out.line(
            out.bold(one_line(principle.name)),
            f" ({one_line(principle.id)}), {count} stor{'y' if count == 1 else 'ies'}",
        )
        out.line(out.dim(one_line(names)))
        out.line(wrap(principle.definition, width, indent="  "))
    return EXIT_OK


def _cmd_languages(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    return _vocabulary(
        corpus.languages(),
        corpus,
        args,
        out,
        ("ID", "NAME", "NATIVE", "DIRECTION", "STORIES"),
        lambda lang: (
            lang.id,
            lang.name,
            lang.native_name,
            lang.direction,
            str(len(corpus.stories(language=lang))),
        ),
    )


# Export formats that are files, not text: they need -o and pyarrow.
_FILE_FORMATS = ("parquet", "hf")


def _cmd_export(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from ._export import export
    from ._files import write_atomically

    stories = _stories(corpus, args)
    if args.format in _FILE_FORMATS:
        return _export_file(stories, args, err)
    document = export(stories, args.format, segments=args.segments)
    if args.output is None:
        out.document(document)
    else:
        write_atomically(args.output, document.encode("utf-8"))
    return EXIT_OK if stories else _no_match(err, args)


def _export_file(stories: StoryCollection, args: argparse.Namespace, err: Output) -> int:
    from ._arrow import ExtraNotInstalledError, write_hf_dataset, write_parquet

    if args.output is None:
        what = "a folder" if args.format == "hf" else "a file"
        return _fail(err, f"--format {args.format} writes {what}: name it with -o")
    write = write_hf_dataset if args.format == "hf" else write_parquet
    try:
        write(stories, args.output)
    except ExtraNotInstalledError as error:
        return _fail(err, str(error))
    return EXIT_OK if stories else _no_match(err, args)


def _cmd_validate(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from ._compiled import looks_like_sqlite
    from ._loading import load

    try:
        if looks_like_sqlite(args.path):
            from ._compiled_store import verify

            loaded = verify(args.path)
        else:
            loaded = load(args.path, base=corpus)
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
            defined.append(_count(len(mine) - taken, singular, plural))
        if taken:
            borrowed.append(_count(taken, singular, plural))
    sentence = f"It defines {_listed(defined)}" if defined else "It defines nothing"
    if borrowed:
        sentence += f", and uses {_listed(borrowed)} defined by the corpora it builds on"
    return sentence + "."


def _cmd_completion(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from ._completion import completion_script

    out.document(completion_script(args.shell, build_parser(), corpus))
    return EXIT_OK


def _cmd_man(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    from ._manpage import manual_page

    out.document(manual_page(build_parser()))
    return EXIT_OK


def _cmd_build(corpus: Corpus, args: argparse.Namespace, out: Output, err: Output) -> int:
    import time

    from ._compiled import compile

    start = time.perf_counter()
    path = compile(corpus, args.output)
    out.line(
        f"{path}: {len(corpus.stories())} stories, "
        f"{len(corpus.companies())} companies, {len(corpus.sources())} sources, "
        f"compiled in {time.perf_counter() - start:.1f} s"
    )
    return EXIT_OK


_COMMANDS: dict[str, Callable[[Corpus, argparse.Namespace, Output, Output], int]] = {
    "list": _cmd_list,
    "search": _cmd_search,
    "show": _cmd_show,
    "random": _cmd_random,
    "companies": _cmd_companies,
    "principles": _cmd_principles,
    "languages": _cmd_languages,
    "export": _cmd_export,
    "validate": _cmd_validate,
    "completion": _cmd_completion,
    "man": _cmd_man,
    "build": _cmd_build,
}

# The commands whose output may be long enough to page (export only to stdout).
_PAGED = frozenset(("list", "search", "show", "random", "companies", "principles", "languages"))

# Output that is data for a program, never reordered for display.
_RAW = frozenset(("export", "completion", "man"))


def _reorders(args: argparse.Namespace) -> bool:
    """Whether to reorder right-to-left text: asked for, and output for reading, not data."""
    return bool(args.bidi) and args.command not in _RAW and not getattr(args, "json", False)


_LISTING_COMMANDS = {
    "company": "clientocracy companies",
    "principle": "clientocracy principles",
    "language": "clientocracy languages",
    "story": "clientocracy list",
}


def _corpus(args: argparse.Namespace, err: Output) -> Corpus:
    """The bundled corpus (unless --no-bundled) merged with every --corpus.

    A compiled file given alone is used as it is: `build` already decided
    whether the bundled stories are in it, and merging would read it whole.
    """
    import warnings

    from ._compiled import StaleCorpusWarning, looks_like_sqlite

    paths = [*args.corpus, *getattr(args, "corpus_after", ())]
    if args.command == "build":
        paths += args.paths
    compiled = {path for path in paths if os.path.isfile(path) and looks_like_sqlite(path)}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", StaleCorpusWarning)
        if args.command != "build" and len(paths) == 1 and compiled:
            corpora = [Corpus.load(paths[0])]
        else:
            bundled = Corpus.bundled()
            corpora = [] if args.no_bundled else [bundled]
            corpora += [
                Corpus.load(path) if path in compiled else Corpus.load(path, base=bundled)
                for path in paths
            ]
    for warning in caught:
        err.line(f"{_PROG}: warning: {warning.message}; run 'clientocracy build' again")
    if len(corpora) == 1:
        return corpora[0]
    if not corpora:
        return Corpus(languages=(), companies=(), principles=(), sources=(), stories=())
    return corpora[0].merge(*corpora[1:])


def _fail(err: Output, message: str) -> int:
    err.line(f"{_PROG}: error: {message}")
    return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `clientocracy` command with *argv* (default: `sys.argv[1:]`).

    Returns the exit status: 0 on success, 1 when no story matches, 2 for a
    usage error, a value that names nothing or output that cannot be
    written, 130 when interrupted (Ctrl-C), 141 when the reader of a pipe
    goes away. Whatever the arguments and environment, it prints a message,
    never a traceback.
    """
    from ._terminal import OutputError

    try:
        try:
            status = _main(argv)
        except SystemExit as exit:  # from argparse: --help, --version, usage errors
            status = EXIT_OK if exit.code is None else EXIT_USAGE
            if isinstance(exit.code, int):
                status = exit.code
        # Flushed here, not by the interpreter at exit, so that a full disk
        # is reported like any other failure to write.
        _output().flush()
        return status
    except BrokenPipeError:
        return _abandon_stdout(EXIT_BROKEN_PIPE)
    except KeyboardInterrupt:
        _errors().line(f"{_PROG}: interrupted")
        return _abandon_stdout(EXIT_INTERRUPTED)
    except OutputError as error:
        _errors().line(f"{_PROG}: error: {error}")
        return _abandon_stdout(EXIT_USAGE)
    except Exception as error:  # a bug; say so in one line rather than a traceback
        _errors().line(
            f"{_PROG}: internal error: {type(error).__name__}: {error}. "
            "Please report it, with the command that caused it."
        )
        return _abandon_stdout(EXIT_BUG)


def _main(argv: Sequence[str] | None) -> int:
    # A terminal or pipe that cannot encode a character gets a replacement
    # character rather than a UnicodeEncodeError half-way through the output.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")

    arguments = sys.argv[1:] if argv is None else list(argv)
    command = _command_name(arguments)
    parser = build_parser(only=command if command in _COMMANDS else None)
    args = parser.parse_args(arguments)
    return _run(args, _errors())


def _command_name(arguments: Sequence[str]) -> str | None:
    """The first word that is neither an option nor an option's value."""
    skip = False
    for argument in arguments:
        if skip:
            skip = False
        elif argument == "--corpus":
            skip = True
        elif not argument.startswith("-"):
            return argument
    return None


def _run(args: argparse.Namespace, err: Output) -> int:
    import shutil

    from ._bidi import BidiUnavailableError, bidi_display
    from ._pager import paged
    from ._terminal import one_line

    # Decided before a pager takes over standard output: what matters is
    # whether the user looks at a terminal, and how wide it is.
    out = _output()
    args.fit_width = shutil.get_terminal_size().columns if out.terminal else None
    page = (
        out.terminal
        and not args.no_pager
        and (args.command in _PAGED or (args.command == "export" and args.output is None))
    )
    # With standard output closed there is nothing to page or reorder: the
    # first line written reports it.
    reorder = _reorders(args) and sys.stdout is not None
    if getattr(args, "output", None) == "":
        return _fail(err, "-o/--output needs a file name, not an empty string")
    try:
        corpus = _corpus(args, err)
        with paged(page), bidi_display(reorder):
            return _COMMANDS[args.command](corpus, args, out, err)
        return EXIT_OK  # the user quit the pager before the end
    except BidiUnavailableError as error:
        return _fail(err, str(error))
    except UnknownValueError as error:
        listing = _LISTING_COMMANDS.get(error.facet, f"{_PROG} --help")
        return _fail(err, f"{one_line(error.brief)}\nRun '{listing}' to see them all.")
    except LookupError as error:  # a story has no text in the language asked for
        return _fail(err, str(error))
    except CorpusError as error:
        return _fail(err, str(error))
    except ValueError as error:  # a value the library refuses, such as an overlong query
        return _fail(err, str(error))
    except BrokenPipeError:
        raise
    except OSError as error:
        where = f": {error.filename}" if error.filename else ""
        return _fail(err, f"{error.strerror or error}{where}")


def _abandon_stdout(status: int) -> int:
    # Nothing more can be written (the reader went away, the disk is full,
    # the user pressed Ctrl-C): point stdout at devnull, so that the
    # interpreter's final flush of what is still buffered is quiet too.
    if sys.stdout is not None:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError):
            pass
    return status
