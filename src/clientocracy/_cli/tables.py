"""Tables that fit the terminal: the widest column gives way, with an ellipsis.

Wrapping a table row breaks the columns apart and splits words anywhere, so
a row that is too wide is shortened instead: the widest column that may
shrink loses whole words first and ends in "…"; no column is made narrower
than its longest word while another can still give way. Headers are never
shortened. When the ids a user copies would take more than a third of the
width, each id goes on a line of its own, above the rest of its row.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection, Sequence

__all__ = ["display_width", "fit_table", "right_to_left", "shorten"]

# A table whose fixed columns take more than this share of the width puts
# them on a line of their own.
_STACK_SHARE = 3
_INDENT = "  "

_GAP = "  "
_ELLIPSIS = "…"


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """The number of terminal columns *text* takes (wide and zero-width characters counted).

    Examples:
        >>> display_width("ВкусВилл"), display_width("日本"), display_width("e\\u0301")
        (8, 4, 1)
    """
    if text.isascii():
        return len(text)
    return sum(_char_width(char) for char in text)


def right_to_left(text: str) -> bool:
    """Whether *text* reads right to left: its first strong letter is Persian, Arabic…

    Examples:
        >>> right_to_left("«قهوهٔ رایگان» at JetBlue"), right_to_left("JetBlue: «قهوه»")
        (True, False)
    """
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def shorten(text: str, width: int) -> str:
    """Cut *text* to at most *width* columns at a word boundary, ending in "…".

    Only a single word wider than *width* is cut inside itself.

    Examples:
        >>> shorten("The alarm clocks that were not for sale", 20)
        'The alarm clocks…'
        >>> shorten("department stores", 12)
        'department…'
        >>> shorten("short", 12)
        'short'
    """
    if display_width(text) <= width:
        return text
    if width <= 1:
        return _ELLIPSIS[:width]
    room = width - 1
    kept: list[str] = []
    used = 0
    for char in text:
        used += _char_width(char)
        if used > room:
            break
        kept.append(char)
    cut = "".join(kept)
    # Back up to the end of the last whole word, unless the first word alone
    # is too wide.
    if not text[len(cut)].isspace():
        space = cut.rfind(" ")
        if space > 0:
            cut = cut[:space]
    # An opening quote or bracket left at the end opens nothing.
    return cut.rstrip(" ,;:·-«“„(\"'") + _ELLIPSIS


def _longest_word(text: str) -> int:
    return max((display_width(word) for word in text.split()), default=0)


def _column_widths(
    rows: Sequence[Sequence[str]],
    header: Sequence[str],
    width: int | None,
    fixed: Collection[int],
) -> list[int]:
    """Each column's width: natural, or narrowed (widest first) to fit *width*."""
    # A list, so that a table without rows (a corpus with no companies) is
    # its header alone rather than max() of a single number.
    widths = [
        max([display_width(h), *(display_width(r[i]) for r in rows)]) for i, h in enumerate(header)
    ]
    if width is None:
        return widths
    headers = [display_width(h) for h in header]
    words = [max([h, *(_longest_word(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    excess = sum(widths) + len(_GAP) * (len(widths) - 1) - width
    # First no column below its longest word; then, if need be, below it.
    for floors in (words, headers):
        while excess > 0:
            candidates = [
                i for i, w in enumerate(widths) if i not in fixed and w > max(floors[i], 1)
            ]
            if not candidates:
                break
            widest = max(candidates, key=lambda i: (widths[i], i))
            widths[widest] -= 1
            excess -= 1
    return widths


def _crowded(rows: Sequence[Sequence[str]], header: Sequence[str], width: int) -> bool:
    """Whether the first column takes more than its share, or the rest cannot fit whole words."""
    first = max([display_width(header[0]), *(display_width(r[0]) for r in rows)])
    if _STACK_SHARE * (first + len(_GAP)) > width:
        return True
    words = [
        max([display_width(h), *(_longest_word(r[i]) for r in rows)])
        for i, h in enumerate(header)
        if i
    ]
    return first + sum(words) + len(_GAP) * len(words) > width


def fit_table(
    rows: Sequence[Sequence[str]],
    header: Sequence[str],
    width: int | None,
    *,
    fixed: Collection[int] = (),
    reorder: Callable[[str], str | None] | None = None,
) -> list[str]:
    """Lay out *header* and *rows* as aligned lines of at most *width* columns.

    The columns whose index is in *fixed* (an id a user copies, say) keep
    their full width; the widest other column is shortened first, then the
    next, and so on. With *width* `None` (output that is not a terminal)
    nothing is shortened. The last column is not padded, so no line ends in
    spaces. When the first column is fixed and would take more than a third
    of *width*, it is printed on a line of its own and the other columns
    below it, indented (a header of two lines, and two lines a row); so it
    is too when the other columns could not keep their longest words whole.

    *reorder*, if given, returns a cell in display order (or None to leave
    it): each cell is cut in logical order first, then reordered, and a cell
    that reads right to left is aligned to the right of its column.

    Examples:
        >>> for line in fit_table([("a", "a long title here")], ("ID", "TITLE"), 14):
        ...     print(line)
        ID  TITLE
        a   a long…
        >>> for line in fit_table([("a-long-id", "a title")], ("ID", "TITLE"), 20, fixed=(0,)):
        ...     print(line)
        ID
          TITLE
        a-long-id
          a title
    """
    stacked = width is not None and 0 in fixed and len(header) > 1 and _crowded(rows, header, width)
    if stacked:
        assert width is not None
        rest = fit_table(
            [row[1:] for row in rows],
            header[1:],
            width - len(_INDENT),
            fixed={i - 1 for i in fixed if i},
            reorder=reorder,
        )

        def alone(text: str) -> str:
            shown = reorder(text) if reorder is not None else None
            return text if shown is None else shown

        lines = [alone(header[0]), _INDENT + rest[0]]
        for row, line in zip(rows, rest[1:], strict=True):
            lines += [alone(row[0]), _INDENT + line]
        return [line.rstrip() for line in lines]
    widths = _column_widths(rows, header, width, fixed)

    def cell(text: str, room: int, last: bool) -> str:
        cut = shorten(text, room)
        shown = reorder(cut) if reorder is not None else None
        if shown is None:
            return cut if last else cut + " " * (room - display_width(cut))
        pad = " " * (room - display_width(shown))
        # Right to left: flush right; otherwise as any other cell.
        return pad + shown if right_to_left(cut) else (shown if last else shown + pad)

    def laid(row: Sequence[str]) -> str:
        last = len(row) - 1
        cells = (cell(c, w, i == last) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        return _GAP.join(cells).rstrip()

    return [laid(header), *(laid(row) for row in rows)]
