"""Finding a passage in a text by what it says, not by where it is.

A passage is named by a quotation of the whole of it, or by its opening
and closing words (`begins` and `ends`, as a catalog's spans have them).
White space in a quotation matches any run of white space in the text, so
a quotation copied from a reflowed page still matches. These functions are
pure: the loader uses them for its hints, the authoring tools to place
spans and to re-anchor them after an edit.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence

from ._records import Span

__all__ = [
    "MAX_SHOWN",
    "QuoteError",
    "between",
    "describe_places",
    "find_passage",
    "line_and_column",
    "nearest",
    "occurrences",
    "quotations",
    "spelled",
]

#: The most candidates a message lists.
MAX_SHOWN = 5
_SPACE = re.compile(r"\s+")


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
    shown = []
    for start, end in places[:MAX_SHOWN]:
        line, column = line_and_column(text, start)
        shown.append(
            f"line {line}, column {column} ([{start}, {end}): {_context(text, start, end)!r})"
        )
    more = len(places) - MAX_SHOWN
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


def nearest(places: Sequence[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The place whose start is nearest *offset* (the earlier one on a tie), or None."""
    if not places:
        return None
    return min(places, key=lambda place: (abs(place[0] - offset), place[0]))


class QuoteError(LookupError):
    """A quotation, or a `begins`/`ends` pair, names no passage or several.

    It is a `LookupError`; its message says which and where the candidates
    are, by line and column, so that the quotation can be lengthened.

    Attributes:
        candidates: The passages that fit, in order; empty when none does.
        partial: When none fits: the longest start of the quotation (or the
            `begins`) that the text has, and where.
    """

    candidates: tuple[Span, ...]
    partial: tuple[Span, ...]

    def __init__(
        self, message: str, candidates: Sequence[Span] = (), partial: Sequence[Span] = ()
    ) -> None:
        self.candidates = tuple(candidates)
        self.partial = tuple(partial)
        super().__init__(message)


def find_passage(
    text: str,
    *,
    quote: str | None = None,
    begins: str | None = None,
    ends: str | None = None,
) -> Span:
    """The one passage of *text* that is *quote*, or that runs from *begins* to *ends*.

    White space in the words given matches any run of white space in the
    text. With *begins* and *ends*, the passage runs from where *begins*
    occurs to the end of the first *ends* after it; either may be given
    alone (*begins* alone is a passage of just those words).

    Raises [`QuoteError`][clientocracy.QuoteError] when no passage fits or
    several do, saying where the candidates are.

    Examples:
        >>> from clientocracy import find_passage
        >>> text = "Our shop. A customer left her umbrella; we drove it to her house."
        >>> span = find_passage(text, begins="A customer", ends="house.")
        >>> span, text[span.slice()]
        (Span(start=10, end=65), 'A customer left her umbrella; we drove it to her house.')
        >>> find_passage(text, quote="her")
        Traceback (most recent call last):
        ...
        clientocracy._anchors.QuoteError: 'her' occurs 2 times: line 1, column 27 ...
    """
    if quote is not None:
        if begins is not None or ends is not None:
            raise ValueError("name a passage by a quotation or by begins and ends, not both")
        what, places = repr(quote), quotations(text, quote)
    elif begins is not None or ends is not None:
        opening, closing = begins or ends or "", ends or begins or ""
        what = _between_words(begins, ends)
        places = between(text, opening, closing)
    else:
        raise ValueError("name the passage: give a quotation, or begins and ends")
    if len(places) == 1:
        start, end = places[0]
        return Span(start=start, end=end)
    spans = [Span(start=start, end=end) for start, end in places]
    if places:
        raise QuoteError(
            f"{what} occurs {len(places)} times: {describe_places(text, places)}; "
            "quote more words to name one of them",
            candidates=spans,
        )
    if quote is None and begins is not None and ends is not None:
        opened = occurrences(text, begins)
        if opened:
            raise QuoteError(
                f"{what}: the text has {begins!r} at {describe_places(text, opened)}, "
                f"but {ends!r} does not follow it",
                partial=[Span(start=s, end=e) for s, e in opened],
            )
    raise _absent(text, what, quote if quote is not None else (begins or ends or ""))


def _between_words(begins: str | None, ends: str | None) -> str:
    if begins is not None and ends is not None:
        return f"a passage from {begins!r} to {ends!r}"
    return repr(begins if begins is not None else ends)


def _absent(text: str, what: str, words: str) -> QuoteError:
    """The error for words the text does not have, pointing at their longest start it has."""
    parts = words.split()
    for count in range(len(parts) - 1, 0, -1):
        start_words = " ".join(parts[:count])
        places = occurrences(text, start_words)
        if places:
            return QuoteError(
                f"{what} is not in the text; its start {start_words!r} is, at "
                f"{describe_places(text, places)}: check what follows it",
                partial=[Span(start=s, end=e) for s, e in places],
            )
    return QuoteError(f"{what} is not in the text, nor is its first word")
