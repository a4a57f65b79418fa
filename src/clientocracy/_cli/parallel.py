"""The parallel view of `show --parallel`: an original and a translation, segment by segment.

From `SIDE_BY_SIDE_FROM` columns on, the two texts stand side by side, each
segment's lines level with each other; on a narrower terminal the
translation of each segment stands under its original. Every line is
wrapped at word boundaries within the width. Under `--bidi`, a Persian
line is reordered on its own and set flush right in its column, and the
lines are written as laid out here (the bidi display does not reorder them
again).
"""

from __future__ import annotations

from collections.abc import Sequence

from .bidi import laid_out, visual
from .output import Output, one_line, wrap
from .tables import display_width, right_to_left

__all__ = ["SIDE_BY_SIDE_FROM", "print_parallel"]

#: The narrowest terminal on which the two texts stand side by side: each
#: column then has about 45 characters, room for six or seven words.
SIDE_BY_SIDE_FROM = 100
#: The widest the view grows on a very wide terminal: longer lines are hard to read.
MAX_WIDTH = 160

_RULE = " │ "


def _lines(text: str, width: int) -> list[str]:
    return wrap(text, width).splitlines() or [""]


def _cell(line: str, width: int) -> str:
    """*line* padded to *width*: in display order and flush right if it reads right to left."""
    shown = visual(line)
    if shown is None:
        return line + " " * (width - display_width(line))
    pad = " " * (width - display_width(shown))
    return pad + shown if right_to_left(line) else shown + pad


def print_parallel(
    out: Output,
    headings: Sequence[str],
    labels: tuple[str, str],
    pairs: Sequence[tuple[str, str]],
    width: int,
    *,
    about: str = "",
) -> None:
    """Print *headings* and *about* (wrapped), then the *pairs* of texts in two columns or stacked.

    *labels* name the two texts (their language tags).
    """
    for heading in headings:
        out.line(out.bold(wrap(one_line(heading), width)))
    if about:
        out.line(out.dim(wrap(one_line(about), width)))
    with laid_out():
        if width >= SIDE_BY_SIDE_FROM:
            _side_by_side(out, labels, pairs, width)
        else:
            _stacked(out, labels, pairs, width)


def _side_by_side(
    out: Output, labels: tuple[str, str], pairs: Sequence[tuple[str, str]], width: int
) -> None:
    number_width = len(str(len(pairs))) + 1
    column = (width - number_width - len(_RULE)) // 2
    # The right-hand column takes the odd column left over.
    right_column = width - number_width - len(_RULE) - column
    out.line()
    out.line(
        " " * number_width,
        out.dim(_cell(one_line(labels[0]), column).rstrip().ljust(column)),
        _RULE,
        out.dim(one_line(labels[1])),
    )
    for number, (left, right) in enumerate(pairs, start=1):
        lefts, rights = _lines(left, column), _lines(right, right_column)
        out.line()
        for row in range(max(len(lefts), len(rights))):
            head = f"{number:>{number_width - 1}} " if row == 0 else " " * number_width
            one = _cell(lefts[row], column) if row < len(lefts) else " " * column
            two = _cell(rights[row], right_column).rstrip() if row < len(rights) else ""
            out.line(out.dim(head), one, _RULE.rstrip() if not two else _RULE, two)


def _stacked(
    out: Output, labels: tuple[str, str], pairs: Sequence[tuple[str, str]], width: int
) -> None:
    number_width = len(str(len(pairs))) + 1
    label_width = max(display_width(one_line(label)) for label in labels) + 2
    indent = number_width + label_width
    room = width - indent
    for number, pair in enumerate(pairs, start=1):
        out.line()
        for side, text in enumerate(pair):
            head = f"{number:>{number_width - 1}} " if side == 0 else " " * number_width
            label = one_line(labels[side]).ljust(label_width)
            for row, line in enumerate(_lines(text, room)):
                start = out.dim(head + label) if row == 0 else " " * indent
                out.line(start, _cell(line, room).rstrip())
