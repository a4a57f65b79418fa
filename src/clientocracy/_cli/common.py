"""What every command shares: exit statuses, standard output and error, tables, messages."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

# typing is left unimported at run time: `--version` and `--help` start faster.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

    from .._corpus.corpus import Corpus, StoryCollection
    from .._records import Language
    from .output import Output


PROG = "clientocracy"

#: The formats `export` writes only to a file, with pyarrow.
FILE_FORMATS = ("parquet", "hf")

EXIT_OK = 0
EXIT_NO_MATCH = 1
EXIT_USAGE = 2
# What a shell reports for a process killed by SIGINT (128 + 2) and SIGPIPE (128 + 13).
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141
# An error the program did not expect: a bug (EX_SOFTWARE of sysexits.h).
EXIT_BUG = 70


def stdout_output() -> Output:
    """Standard output, through which every line the commands print goes.

    It writes to whatever `sys.stdout` is at the time, so that a pager or
    the bidi display that takes standard output over gets the lines too.
    """
    from .i18n import N_
    from .output import Output

    return Output(lambda: sys.stdout, name=N_("standard output"), required=True)


def stderr_output() -> Output:
    """Standard error: messages; writing to it never fails the command."""
    from .i18n import N_
    from .output import Output

    return Output(lambda: sys.stderr, name=N_("standard error"), required=False, color=False)


def terminal_size(fallback: tuple[int, int] = (80, 24)) -> os.terminal_size:
    """The size of the terminal, exactly as `shutil.get_terminal_size` gives it.

    `COLUMNS` and `LINES` first, then the terminal on standard output, then
    *fallback*. Written out here because importing shutil (and the
    compression modules it imports) costs an everyday command a noticeable
    part of its start-up time; tests hold the two to the same answers.
    """
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    try:
        lines = int(os.environ["LINES"])
    except (KeyError, ValueError):
        lines = 0
    if columns <= 0 or lines <= 0:
        try:
            size = os.get_terminal_size(sys.__stdout__.fileno())  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            size = os.terminal_size(fallback)
        columns = columns if columns > 0 else size.columns or fallback[0]
        lines = lines if lines > 0 else size.lines or fallback[1]
    return os.terminal_size((columns, lines))


def terminal_width(stream: TextIO) -> int:
    return min(terminal_size((88, 24)).columns, 100)


def print_json(out: Output, data: Any) -> None:
    from .._export.records import dumps

    out.document(dumps(data, indent=2) + "\n")


def print_table(
    out: Output, rows: Sequence[Sequence[str]], header: Sequence[str], width: int | None
) -> None:
    """Print an aligned table; on a terminal (*width* given) shortened to fit, the id kept.

    Under `--bidi` each cell is reordered on its own, so that a cut and the
    columns stay where they belong.
    """
    from .bidi import laid_out, visual
    from .output import one_line
    from .tables import fit_table

    cells = [[one_line(cell) for cell in row] for row in rows]
    lines = fit_table(cells, header, width, fixed=(0,), reorder=visual)
    # A stacked table (the id on a line of its own) has two header lines.
    heading = 2 if len(lines) == 2 * len(rows) + 2 and len(header) > 1 else 1
    with laid_out():
        for number, line in enumerate(lines):
            out.line(out.bold(line) if number < heading else line)


def filtered_stories(corpus: Corpus, args: argparse.Namespace) -> StoryCollection:
    return corpus.stories(company=args.company, principle=args.principle, language=args.language)


def reading_language(corpus: Corpus, args: argparse.Namespace) -> Language | None:
    """The language to name stories, companies and principles in: --in, else the interface's.

    None means English, as the records name things by default.
    """
    from .i18n import current

    if getattr(args, "in_language", None):
        return corpus.language(args.in_language)
    interface = current()
    if interface == "en":
        return None
    return next((lang for lang in corpus.languages() if lang.id == interface), None)


def given_filters(args: argparse.Namespace) -> list[str]:
    return [
        f"--{facet} {' / '.join(values)}"
        for facet in ("company", "principle", "language")
        if (values := getattr(args, facet, None))
    ]


def no_match(err: Output, args: argparse.Namespace) -> int:
    from .i18n import _, listed

    filters = given_filters(args)
    if filters:
        err.line(f"{PROG}: " + _("no story matches {filters}.").format(filters=listed(filters)))
    else:
        err.line(f"{PROG}: " + _("the corpus has no stories."))
    return EXIT_NO_MATCH


def count(number: int, singular: str, plural: str) -> str:
    """*number* with the noun it counts: `1 story`, `2 stories`, `0 stories` (English only)."""
    return f"{number} {singular if number == 1 else plural}"


def listed(items: Sequence[str]) -> str:
    """`a`, `a and b`, `a, b and c`, in the words of the interface language."""
    from .i18n import listed as in_words

    return in_words(tuple(items))


def fail(err: Output, message: str) -> int:
    from .i18n import _

    err.line(f"{PROG}: " + _("error") + f": {message}")
    return EXIT_USAGE


def warn(err: Output, message: str) -> None:
    from .i18n import _

    err.line(f"{PROG}: " + _("warning") + f": {message}")
