"""Finding a passage in a text by what it says, not by where it is.

A passage is named by a quotation of the whole of it, or by its opening
and closing words (`begins` and `ends`, as a catalog's spans have them).
White space in a quotation matches any run of white space in the text, so
a quotation copied from a reflowed page still matches. These functions are
pure: the loader uses them for its hints, the authoring tools (above) to
place spans and to re-anchor them after an edit.

`anchored` is the one place that decides which words a catalog quotes for
a span: the authoring tools and `Corpus.save` write the same ones, so that
`repair` can find every span and segment again, however it was written.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._records import Span

from .._messages import N_, Message, joined

__all__ = [
    "ANCHOR_CHARS",
    "MAX_SHOWN",
    "anchored",
    "between",
    "describe_places",
    "line_and_column",
    "nearest",
    "occurrences",
    "quotations",
    "spelled",
]

#: The most candidates a message lists.
MAX_SHOWN = 5
_SPACE = re.compile(r"\s+")

#: How much of a passage's start and end a catalog quotes as `begins` and
#: `ends`: enough to find it again after the text around it is edited.
ANCHOR_CHARS = 24


def _opening(passage: str) -> str:
    if len(passage) <= ANCHOR_CHARS:
        return passage
    words = passage[:ANCHOR_CHARS]
    space = words.rfind(" ")
    # Cut at a word's end where one is near, so that the words read whole.
    if not passage[ANCHOR_CHARS].isspace() and space > ANCHOR_CHARS // 3:
        words = words[:space]
    return words.rstrip() or words


def _closing(passage: str) -> str:
    if len(passage) <= ANCHOR_CHARS:
        return passage
    words = passage[-ANCHOR_CHARS:]
    space = words.find(" ")
    if not passage[-ANCHOR_CHARS - 1].isspace() and 0 <= space < ANCHOR_CHARS * 2 // 3:
        words = words[space + 1 :]
    return words.lstrip() or words


def anchored(span: Span, text: str) -> dict[str, Any]:
    """The catalog form of *span* of *text*: its offsets, and the words it begins and ends with.

    A passage of white space alone has no words to quote, and gets its
    offsets only.
    """
    passage = text[span.start : span.end]
    if not passage.strip():
        return {"start": span.start, "end": span.end}
    return {
        "start": span.start,
        "end": span.end,
        "begins": _opening(passage),
        "ends": _closing(passage),
    }


def _pattern(words: str) -> re.Pattern[str]:
    parts = [re.escape(part) for part in _SPACE.split(words.strip())]
    return re.compile(r"\s+".join(parts))


def occurrences(text: str, words: str) -> list[tuple[int, int]]:
    """Every place `[start, end)` where *words* occur in *text*, white space matching loosely.

    Places may overlap (`"aa"` occurs twice in `"aaa"`).
    """
    if not words.strip():
        return []
    pattern = _pattern(words)
    found = []
    position = 0
    while (match := pattern.search(text, position)) is not None:
        found.append((match.start(), match.end()))
        position = match.start() + 1
    return found


def quotations(text: str, quote: str) -> list[tuple[int, int]]:
    """The passages of *text* that are *quote*."""
    return occurrences(text, quote)


def between(text: str, begins: str, ends: str) -> list[tuple[int, int]]:
    """The passages of *text* that begin with *begins* and end at the first *ends* after it.

    One candidate for each place where *begins* occurs and *ends* follows;
    a passage is at least as long as *begins*.
    """
    closings = occurrences(text, ends)
    found = []
    for start, opened in occurrences(text, begins):
        # Closings are in order of their start: skip those before the opening.
        index = bisect.bisect_left(closings, (start, -1))
        closing = next(
            (end for _, end in itertools.islice(closings, index, None) if end >= opened), None
        )
        if closing is not None:
            found.append((start, closing))
    return found


def spelled(text: str, start: int, end: int, begins: str, ends: str) -> tuple[str, str]:
    """How the passage `[start, end)` of *text* spells *begins* and *ends*, white space and all."""
    opening = _pattern(begins).match(text, start, end)
    closings = [m for m in _pattern(ends).finditer(text, start, end) if m.end() == end]
    return (
        opening.group() if opening else begins,
        closings[0].group() if closings else ends,
    )


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """The line and column (both from 1, in characters) of *offset* in *text*."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    passage = _SPACE.sub(" ", text[start:end])
    if len(passage) > width:
        half = width // 2
        passage = passage[: half - 1] + "…" + passage[-half:]
    return passage


def describe_places(text: str, places: Sequence[tuple[int, int]]) -> str:
    """*places* as `line L, column C ([start, end): 'text')`, the first few of them."""
    shown: list[str] = []
    for start, end in places[:MAX_SHOWN]:
        line, column = line_and_column(text, start)
        shown.append(
            Message(
                N_("line {line}, column {column} ([{start}, {end}): {context!r})"),
                line=line,
                column=column,
                start=start,
                end=end,
                context=_context(text, start, end),
            )
        )
    more = len(places) - MAX_SHOWN
    if more > 0:
        shown.append(Message(N_("and {count} more"), count=more))
    return joined(shown)


def nearest(places: Sequence[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The place whose start is nearest *offset* (the earlier one on a tie), or None."""
    if not places:
        return None
    return min(places, key=lambda place: (abs(place[0] - offset), place[0]))
