"""The command line's grammar: every command, option and example, as argparse sees them."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from .._version import __version__
from .authoring import EXAMPLES as _AUTHORING_EXAMPLES
from .authoring import TABLE as _AUTHORING_TABLE
from .common import EXIT_USAGE, FILE_FORMATS, PROG, stderr_output, stdout_output, terminal_size
from .i18n import N_, _, ngettext, number, quoted

# typing is left unimported at run time: `--version` and `--help` start faster.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn

    from _typeshed import SupportsWrite


_DESCRIPTION = N_("""\
Stories of companies that did more for a customer than they owed,
from a Russian and a Persian text, each in English, Russian and Persian.

Filters (--company, --principle, --language) accept any id, name or
alias in any script and case, and may be repeated: repeats of one filter
are ORed, different filters are ANDed.
""")

_EXAMPLES = {
    "main": N_(
        """\
examples:
  clientocracy list --language fa
  clientocracy show zappos-flowers-for-a-mother
  clientocracy random --principle "small things matter" --seed 2026
  clientocracy export --format csv -o stories.csv
"""
    ),
    "list": N_(
        """\
examples:
  clientocracy list
  clientocracy list --company Zappos --company "Trader Joe's"
  clientocracy list --principle "Мелочи важны" --language ru --json
"""
    ),
    "search": N_(
        """\
query syntax:
  words        every word must match, in any of its forms (будильники finds
               будильник, caring finds care); whole words only: tea does not
               find team
  word*        also the words that start with it (tea* finds team, teach)
  "a phrase"   the words next to each other, in this order (quote it for the
               shell: '"alarm clock"')
  a OR b       either word or phrase (OR in capitals; it binds before the AND
               of words: free coffee OR tea is free AND (coffee OR tea))
  Case, accents, ё/е and Arabic/Persian letter forms do not matter; other
  punctuation, parentheses and operators are read as words or ignored.

examples:
  clientocracy search alarm clock
  clientocracy search будильники
  clientocracy search زاپوس --json
  clientocracy search '"free coffee"' --company JetBlue
"""
    ),
    "show": N_(
        """\
examples:
  clientocracy show sainsburys-giraffe-bread
  clientocracy show sainsburys-giraffe-bread --in fa      # the Persian translation
  clientocracy show nordstrom-lost-diamond-ring --in Russian --parallel
  clientocracy show nordstrom-lost-diamond-ring --json
"""
    ),
    "random": N_(
        """\
examples:
  clientocracy random
  clientocracy random --language Farsi --seed 7      # the same story every time
"""
    ),
    "companies": N_("example:\n  clientocracy companies --json\n"),
    "principles": N_("example:\n  clientocracy principles\n"),
    "languages": N_("example:\n  clientocracy languages\n"),
    "validate": N_(
        """\
examples:
  clientocracy validate my-stories/
  clientocracy --corpus my-stories/ list      # the bundled stories and yours
  clientocracy validate stories.sqlite        # checks every page of a compiled file
"""
    ),
    "build": N_(
        """\
examples:
  clientocracy build my-stories/ -o stories.sqlite
  clientocracy --corpus stories.sqlite search alarm clock
  clientocracy build my-stories/ --no-bundled -o mine.sqlite

The file holds what `--corpus CORPUS` would read: the bundled stories and
yours, unless --no-bundled. It is used as it is: rebuild it after changing
the corpus (opening it then warns that it is stale).
"""
    ),
    "completion": N_(
        """\
examples:
  eval "$(clientocracy completion bash)"           # in ~/.bashrc
  clientocracy completion zsh > ~/.zfunc/_clientocracy
  clientocracy completion fish > ~/.config/fish/completions/clientocracy.fish
"""
    ),
    "handout": N_(
        """\
examples:
  clientocracy handout sainsburys-giraffe-bread --in en -o giraffe.md
  clientocracy handout nordstrom-lost-diamond-ring -o ring.html      # Persian, right to left
  clientocracy handout --company LEGO --in ru --parallel -o lego.html
  clientocracy handout --principle "small things matter" --format markdown | marp -

The HTML page is whole in itself (no fonts, scripts or images to fetch) and
prints one story a page on A4; the Markdown separates stories with ---, as
slide tools (Marp, reveal.js, Slidev) expect.
"""
    ),
    "help": N_(
        """\
examples:
  clientocracy help
  clientocracy help search
"""
    ),
    "man": N_(
        """\
examples:
  clientocracy man | man -l -
  clientocracy man > ~/.local/share/man/man1/clientocracy.1
"""
    ),
    "export": N_(
        """\
examples:
  clientocracy export --format jsonl | head -1
  clientocracy export --format json --company LEGO -o lego.json
  clientocracy export --format csv --bom -o stories.csv      # for Excel
  clientocracy export --format parquet -o stories.parquet
  clientocracy export --format parquet --segments -o segments.parquet
  clientocracy export --format parquet --partition-by language -o stories/
  clientocracy export --format hf -o clientocracy-stories/
"""
    ),
}


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are two lines: the problem and what to do.

    Its messages (help, usage, errors that echo an argument) are printed
    through an Output like everything else the command prints.
    """

    def error(self, message: str) -> NoReturn:
        self.exit(
            EXIT_USAGE,
            f"{self.prog}: "
            + _("error")
            + f": {message}\n"
            + _("Try '{command}'.").format(command=f"{self.prog} --help")
            + "\n",
        )

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if message:
            # argparse prints help and --version to stdout, usage errors to stderr.
            to_stdout = file is None or file is sys.stdout
            (stdout_output() if to_stdout else stderr_output()).write(message)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's formatter for help whose text is laid out already, as wide as the terminal.

    argparse makes a formatter for every argument it adds, and its own finds
    the width with shutil, whose import (compression modules and all) would
    cost every command's start-up; the width is the same.
    """

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=terminal_size().columns - 2)


def _add_filters(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(_("filters"))
    group.add_argument(
        "--company", action="append", metavar="NAME", help=_("a company's id, name or alias")
    )
    group.add_argument(
        "--principle", action="append", metavar="NAME", help=_("a principle's id or name")
    )
    group.add_argument(
        "--language", action="append", metavar="NAME", help=_("a language's tag, code or name")
    )


def _add_corpus_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # Given before or after the command. A subparser's values replace the
    # program's, so those given after the command get a destination of
    # their own (joined in _corpus_paths), and SUPPRESS keeps a subparser's
    # unset flags from overwriting what was given before the command.
    group = parser.add_argument_group(_("corpora"))
    group.add_argument(
        "--corpus",
        action="append",
        dest="corpus" if top else "corpus_after",
        metavar="PATH",
        default=[],
        help=_("also read the corpus in folder PATH, or the compiled file PATH (repeatable)"),
    )
    group.add_argument(
        "--no-bundled",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help=_("leave the bundled stories out (use with --corpus)"),
    )
    display = parser.add_argument_group(_("display"))
    display.add_argument(
        "--no-pager",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help=_("never page long output (default: page it on a terminal, as git does)"),
    )
    display.add_argument(
        "--bidi",
        action="store_true",
        default=_env_flag("CLIENTOCRACY_BIDI") if top else argparse.SUPPRESS,
        help=_("reorder Persian for terminals without bidi support, such as xterm and tmux"),
    )


def _env_flag(name: str) -> bool:
    """Whether the environment variable *name* is set to a true value: `1`, `true`,
    `yes` or `on`; `0`, `false`, `no`, `off` and the empty string are false."""
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def _add_in(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument(
        "--in",
        dest="in_language",
        metavar="LANGUAGE",
        help=help + " " + _("(a tag, code or name)"),
    )


def _add_json(parser: argparse.ArgumentParser, help: str | None = None) -> None:
    help = help or _("print JSON (the shape `export --format json` writes)")
    parser.add_argument("--json", action="store_true", help=help)


def _list_arguments(listing: argparse.ArgumentParser) -> None:
    _add_filters(listing)
    _add_in(listing, _("show the titles in LANGUAGE (default: the interface's, else English)"))
    _add_json(listing)


def _search_arguments(find: argparse.ArgumentParser) -> None:
    find.add_argument("query", nargs="+", metavar="WORD", help=_("the query (words are joined)"))
    _add_filters(find)
    find.add_argument(
        "-n",
        "--limit",
        type=int,
        default=10,
        metavar="N",
        help=_("show at most N hits (default 10)"),
    )
    _add_json(find, _("print JSON: score, snippet with highlight offsets, and the story"))


def _show_arguments(show: argparse.ArgumentParser) -> None:
    show.add_argument("id", metavar="ID", help=_("the story's id (see `clientocracy list`)"))
    _add_in(show, _("read the story in LANGUAGE: its original or a translation"))
    show.add_argument(
        "--parallel",
        action="store_true",
        help=_(
            "print the original and the translation (--in, default English) "
            "side by side, segment by segment"
        ),
    )
    _add_json(show)


def _random_arguments(pick: argparse.ArgumentParser) -> None:
    _add_filters(pick)
    _add_in(pick, _("read the story in LANGUAGE: its original or a translation"))
    pick.add_argument("--seed", type=int, metavar="N", help=_("pick reproducibly from seed N"))
    _add_json(pick)


def _export_arguments(export: argparse.ArgumentParser) -> None:
    export.add_argument(
        "--format",
        choices=("json", "jsonl", "csv", *FILE_FORMATS),
        default="json",
        help=_(
            "default: json; parquet writes a Parquet file, hf a Hugging Face dataset "
            "folder (both need the extra 'parquet')"
        ),
    )
    export.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=_(
            "write to FILE (atomically: whole or not at all) instead of standard output; "
            "for --format hf, the folder to write"
        ),
    )
    _add_filters(export)
    export.add_argument(
        "--segments",
        action="store_true",
        help=_(
            "write the aligned segments of the translations instead, one row a segment: "
            "story, source_language, language, segment, start, end, original, translation"
        ),
    )
    export.add_argument(
        "--bom",
        action="store_true",
        help=_(
            "csv: start with a byte order mark, which Excel needs to read Cyrillic "
            "and Persian right"
        ),
    )
    files = export.add_argument_group(_("parquet and hf"))
    files.add_argument(
        "--partition-by",
        choices=("language",),
        help=_(
            "parquet: write a folder of Hive-style partitions, language=TAG/, instead of one file"
        ),
    )
    files.add_argument(
        "--row-group-size",
        type=_positive,
        default=10_000,
        metavar="N",
        help=_("at most N rows a row group (default 10000; a group also ends at about 64 MB)"),
    )
    files.add_argument(
        "--shard-rows",
        type=_positive,
        metavar="N",
        help=_("hf: at most N rows a shard (default: a shard ends at about 256 MB of data)"),
    )
    files.add_argument(
        "--language-configs",
        action="store_true",
        help=_("hf: shards by language, under data/TAG/, and a config for each language"),
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("expected a whole number, not {value}").format(value=quoted(text))
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(
            _("must be at least 1, not {value}").format(value=number(value))
        )
    return value


def _validate_arguments(validate: argparse.ArgumentParser) -> None:
    validate.add_argument(
        "path",
        metavar="PATH",
        help=_("the corpus folder (or its catalog.json), or a compiled file"),
    )


def _build_arguments(build: argparse.ArgumentParser) -> None:
    build.add_argument("paths", nargs="+", metavar="CORPUS", help=_("a corpus folder (repeatable)"))
    build.add_argument(
        "-o", "--output", required=True, metavar="FILE", help=_("the SQLite file to write")
    )


def _completion_arguments(completion: argparse.ArgumentParser) -> None:
    completion.add_argument("shell", choices=("bash", "zsh", "fish"), help=_("the shell"))


def _handout_arguments(handout: argparse.ArgumentParser) -> None:
    handout.add_argument(
        "ids",
        nargs="*",
        metavar="ID",
        help=_("the stories, in this order (default: every story the filters keep)"),
    )
    _add_filters(handout)
    _add_in(handout, _("read the stories in LANGUAGE (default: each in its original)"))
    handout.add_argument(
        "--parallel",
        action="store_true",
        help=_(
            "set the original beside the translation (--in, default English), segment by segment"
        ),
    )
    handout.add_argument(
        "--format",
        choices=("markdown", "html"),
        help=_("default: html for an -o FILE ending in .html or .htm, else markdown"),
    )
    handout.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=_("write to FILE (atomically) instead of standard output"),
    )


def _help_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("topic", nargs="?", metavar="COMMAND", help=_("the command to explain"))


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    _add_json(parser)


# Every command: its name, its one-line help, and what adds its arguments.
_COMMAND_TABLE: tuple[tuple[str, str, Callable[[argparse.ArgumentParser], None]], ...] = (
    ("list", N_("list the stories as a table: id, company, language, title"), _list_arguments),
    ("search", N_("search the passages, titles, summaries and company names"), _search_arguments),
    ("show", N_("read one story, with its passage, summary and provenance"), _show_arguments),
    ("random", N_("show one story picked at random from those that match"), _random_arguments),
    ("companies", N_("list the companies, with their number of stories"), _no_arguments),
    (
        "principles",
        N_("list the principles, with definitions and number of stories"),
        _no_arguments,
    ),
    ("languages", N_("list the languages, with their number of stories"), _no_arguments),
    ("export", N_("write the (filtered) stories with every field"), _export_arguments),
    ("validate", N_("check a corpus folder and report every problem found"), _validate_arguments),
    (
        "build",
        N_("check corpus folders once and compile them into one SQLite file"),
        _build_arguments,
    ),
    (
        "completion",
        N_("print a shell completion script (ids and names come from the data)"),
        _completion_arguments,
    ),
    ("man", N_("print the manual page, clientocracy(1), as roff"), lambda parser: None),
    (
        "handout",
        N_("write chosen stories for reading: Markdown for slides, or an HTML page to print"),
        _handout_arguments,
    ),
    # new, add-…, align, add-translation, repair, import-csv
    *_AUTHORING_TABLE,
    ("help", N_("print the help of the program, or of COMMAND"), _help_arguments),
)
_EXAMPLES.update(_AUTHORING_EXAMPLES)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Return the argument parser of the `clientocracy` command.

    With *only*, the parser knows just that one command: building all of
    them costs a few milliseconds that a single run never needs.
    """
    formatter = _Formatter
    translate_argparse()
    parser = _Parser(
        prog=PROG,
        description=_(_DESCRIPTION),
        epilog=_(_EXAMPLES["main"]),
        formatter_class=formatter,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {__version__}",
        help=_("show the version and exit"),
    )
    _add_corpus_options(parser, top=True)
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, title=_("commands")
    )
    for name, help, add_arguments in _COMMAND_TABLE:
        if only is not None and name != only:
            continue
        help = _(help)
        sub = commands.add_parser(
            name,
            help=help,
            description=help[0].upper() + help[1:] + ".",
            epilog=_(_EXAMPLES[name]),
            formatter_class=formatter,
        )
        _add_corpus_options(sub, top=False)
        add_arguments(sub)
    return parser


def command_names() -> tuple[str, ...]:
    """Every command's name, in the order of the help."""
    return tuple(entry[0] for entry in _COMMAND_TABLE)


def short_help() -> str:
    """What `clientocracy` alone prints: the commands, an example, where to read more."""
    width = max(len(name) for name in command_names()) + 2
    commands = "".join(f"  {name.ljust(width)}{_(help)}\n" for name, help, _a in _COMMAND_TABLE)
    usage = f"{PROG} [--corpus PATH] [--no-bundled] [--no-pager] [--bidi] COMMAND ..."
    return (
        _("usage: ")
        + usage
        + "\n\n"
        + _(
            "Stories of companies that did more for a customer than they owed, "
            "in Russian, Persian and English."
        )
        + "\n\n"
        + _("commands:")
        + "\n"
        + commands
        + "\n"
        + _("example:")
        + f"\n  {PROG} list\n  {PROG} show zappos-flowers-for-a-mother\n\n"
        + _("Run '{command}' for a command's options and examples.").format(
            command=f"{PROG} help COMMAND"
        )
        + "\n"
    )


# argparse's own words, as Python 3.11 to 3.13 write them, listed so that the
# catalogs carry them: argparse looks them up through `translate_argparse`.
_ARGPARSE_WORDS = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


def translate_argparse() -> None:
    """Have argparse's own words (usage, options, its errors) follow the interface language.

    argparse looks its words up with the module-level `gettext` functions
    it imported; the catalogs of this package carry their translations. In
    English too they are this package's: the interface is in one language,
    and the system's gettext would look for catalogs on disk (and import
    `locale`) for each of argparse's words.
    """
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
