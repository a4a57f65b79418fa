"""Tables that fit the terminal: the widest column gives way, with an ellipsis.

Wrapping a table row breaks the columns apart and splits words anywhere, so
a row that is too wide is shortened instead: the widest column that may
shrink loses characters first, at a word boundary where one is close, and
ends in "…". Headers are never shortened.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Sequence

__all__ = ["display_width", "fit_table", "shorten"]

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


def shorten(text: str, width: int) -> str:
    """Cut *text* to at most *width* columns, ending in "…", at a word boundary if one is near.

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
    # Back up to the last space unless that throws away more than a third.
    space = cut.rfind(" ")
    if space > 0 and space >= len(cut) * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:·-") + _ELLIPSIS


def fit_table(
    rows: Sequence[Sequence[str]],
    header: Sequence[str],
    width: int | None,
    *,
    fixed: Collection[int] = (),
) -> list[str]:
    """Lay out *header* and *rows* as aligned lines of at most *width* columns.

    The columns whose index is in *fixed* (an id a user copies, say) keep
    their full width; the widest other column is shortened first, then the
    next, and so on, never below its header. With *width* `None` (output
    that is not a terminal) nothing is shortened. The last column is not
    padded, so no line ends in spaces.

    Examples:
        >>> for line in fit_table([("a", "a long title here")], ("ID", "TITLE"), 14):
        ...     print(line)
        ID  TITLE
        a   a long…
    """
    # A list, so that a table without rows (a corpus with no companies) is
    # its header alone rather than max() of a single number.
    widths = [
        max([display_width(h), *(display_width(r[i]) for r in rows)]) for i, h in enumerate(header)
    ]
    if width is not None:
        floors = [display_width(h) for h in header]
        excess = sum(widths) + len(_GAP) * (len(widths) - 1) - width
        while excess > 0:
            candidates = [
                i for i, w in enumerate(widths) if i not in fixed and w > max(floors[i], 1)
            ]
            if not candidates:
                break
            widest = max(candidates, key=lambda i: (widths[i], i))
            widths[widest] -= 1
            excess -= 1

    def line(row: Sequence[str]) -> str:
        cells = [shorten(cell, w) for cell, w in zip(row, widths, strict=True)]
        padded = [
            c + " " * (w - display_width(c)) for c, w in zip(cells[:-1], widths, strict=False)
        ]
        return _GAP.join([*padded, cells[-1]]).rstrip()

    return [line(header), *(line(row) for row in rows)]
