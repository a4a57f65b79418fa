"""The command line's grammar: every command, option and example, as argparse sees them."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from .._version import __version__
from .common import EXIT_USAGE, FILE_FORMATS, PROG, stderr_output, stdout_output

# typing is left unimported at run time: `--version` and `--help` start faster.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn

    from _typeshed import SupportsWrite


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
  clientocracy export --format csv --bom -o stories.csv      # for Excel
  clientocracy export --format parquet -o stories.parquet
  clientocracy export --format parquet --segments -o segments.parquet
  clientocracy export --format parquet --partition-by language -o stories/
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
            (stdout_output() if to_stdout else stderr_output()).write(message)


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
        default=bool(os.environ.get("CLIENTOCRACY_BIDI")) if top else argparse.SUPPRESS,
        help="reorder Persian for terminals without bidi support, such as xterm and tmux",
    )


def _add_in(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument(
        "--in", dest="in_language", metavar="LANGUAGE", help=help + " (a tag, code or name)"
    )


def _add_json(
    parser: argparse.ArgumentParser,
    help: str = "print JSON (the shape `export --format json` writes)",
) -> None:
    parser.add_argument("--json", action="store_true", help=help)


def _list_arguments(listing: argparse.ArgumentParser) -> None:
    _add_filters(listing)
    _add_in(listing, "show the titles in LANGUAGE (default: English)")
    _add_json(listing)


def _search_arguments(find: argparse.ArgumentParser) -> None:
    find.add_argument("query", nargs="+", metavar="WORD", help="the query (words are joined)")
    _add_filters(find)
    find.add_argument(
        "-n", "--limit", type=int, default=10, metavar="N", help="show at most N hits (default 10)"
    )
    _add_json(find, "print JSON: score, snippet with highlight offsets, and the story")


def _show_arguments(show: argparse.ArgumentParser) -> None:
    show.add_argument("id", metavar="ID", help="the story's id (see `clientocracy list`)")
    _add_in(show, "read the story in LANGUAGE: its original or a translation")
    show.add_argument(
        "--parallel",
        action="store_true",
        help="print the original and the translation (--in, default English) "
        "side by side, segment by segment",
    )
    _add_json(show)


def _random_arguments(pick: argparse.ArgumentParser) -> None:
    _add_filters(pick)
    _add_in(pick, "read the story in LANGUAGE: its original or a translation")
    pick.add_argument("--seed", type=int, metavar="N", help="pick reproducibly from seed N")
    _add_json(pick)


def _export_arguments(export: argparse.ArgumentParser) -> None:
    export.add_argument(
        "--format",
        choices=("json", "jsonl", "csv", *FILE_FORMATS),
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
        "story, source_language, language, segment, start, end, original, translation "
        "(every format)",
    )
    export.add_argument(
        "--bom",
        action="store_true",
        help="csv: start with a byte order mark, which Excel needs to read Cyrillic "
        "and Persian right",
    )
    files = export.add_argument_group("parquet and hf")
    files.add_argument(
        "--partition-by",
        choices=("language",),
        help="parquet: write a folder of Hive-style partitions, language=TAG/, instead of one file",
    )
    files.add_argument(
        "--row-group-size",
        type=_positive,
        default=10_000,
        metavar="N",
        help="at most N rows a row group (default 10000; a group also ends at about 64 MB)",
    )
    files.add_argument(
        "--shard-rows",
        type=_positive,
        metavar="N",
        help="hf: at most N rows a shard (default: a shard ends at about 256 MB of data)",
    )
    files.add_argument(
        "--language-configs",
        action="store_true",
        help="hf: shards by language, under data/TAG/, and a config for each language",
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _validate_arguments(validate: argparse.ArgumentParser) -> None:
    validate.add_argument(
        "path", metavar="PATH", help="the corpus folder (or its catalog.json), or a compiled file"
    )


def _build_arguments(build: argparse.ArgumentParser) -> None:
    build.add_argument("paths", nargs="+", metavar="CORPUS", help="a corpus folder (repeatable)")
    build.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="the SQLite file to write"
    )


def _completion_arguments(completion: argparse.ArgumentParser) -> None:
    completion.add_argument("shell", choices=("bash", "zsh", "fish"), help="the shell")


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    _add_json(parser)


# Every command: its name, its one-line help, and what adds its arguments.
_COMMAND_TABLE: tuple[tuple[str, str, Callable[[argparse.ArgumentParser], None]], ...] = (
    ("list", "list the stories as a table: id, company, language, title", _list_arguments),
    ("search", "search the passages, titles, summaries and company names", _search_arguments),
    ("show", "read one story, with its passage, summary and provenance", _show_arguments),
    ("random", "show one story picked at random from those that match", _random_arguments),
    ("companies", "list the companies, with their number of stories", _no_arguments),
    (
        "principles",
        "list the principles, with definitions and number of stories",
        _no_arguments,
    ),
    ("languages", "list the languages, with their number of stories", _no_arguments),
    ("export", "write the (filtered) stories with every field", _export_arguments),
    ("validate", "check a corpus folder and report every problem found", _validate_arguments),
    (
        "build",
        "check corpus folders once and compile them into one SQLite file",
        _build_arguments,
    ),
    (
        "completion",
        "print a shell completion script (ids and names come from the data)",
        _completion_arguments,
    ),
    ("man", "print the manual page, clientocracy(1), as roff", lambda parser: None),
)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Return the argument parser of the `clientocracy` command.

    With *only*, the parser knows just that one command: building all of
    them costs a few milliseconds that a single run never needs.
    """
    formatter = argparse.RawDescriptionHelpFormatter
    parser = _Parser(
        prog=PROG,
        description=_DESCRIPTION,
        epilog=_EXAMPLES["main"],
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_corpus_options(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, help, add_arguments in _COMMAND_TABLE:
        if only is not None and name != only:
            continue
        sub = commands.add_parser(
            name,
            help=help,
            description=help[0].upper() + help[1:] + ".",
            epilog=_EXAMPLES[name],
            formatter_class=formatter,
        )
        _add_corpus_options(sub, top=False)
        add_arguments(sub)
    return parser
