"""Naming a passage by a quotation or by its opening and closing words.

`find_passage` finds the one passage a
quotation names, and `QuoteError` says where
the candidates are when there is none or more than one.
"""

from __future__ import annotations

from collections.abc import Sequence

from .._catalog.anchors import between, describe_places, occurrences, quotations
from .._messages import N_, Message
from .._public import public
from .._records import Span

__all__ = ["QuoteError", "find_passage"]


@public
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

    Raises `QuoteError` when no passage fits or
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
        clientocracy...QuoteError: 'her' occurs 2 times: line 1, column 27 ...
    """
    if quote is not None:
        if begins is not None or ends is not None:
            raise ValueError("name a passage by a quotation or by begins and ends, not both")
        what: str = Message("{quote!r}", quote=quote)
        places = quotations(text, quote)
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
            Message(
                N_("{what} occurs {count} times: {places}; quote more words to name one of them"),
                what=what,
                count=len(places),
                places=describe_places(text, places),
            ),
            candidates=spans,
        )
    if quote is None and begins is not None and ends is not None:
        opened = occurrences(text, begins)
        if opened:
            raise QuoteError(
                Message(
                    N_(
                        "{what}: the text has {begins!r} at {places}, "
                        "but {ends!r} does not follow it"
                    ),
                    what=what,
                    begins=begins,
                    places=describe_places(text, opened),
                    ends=ends,
                ),
                partial=[Span(start=s, end=e) for s, e in opened],
            )
    raise _absent(text, what, quote if quote is not None else (begins or ends or ""))


def _between_words(begins: str | None, ends: str | None) -> str:
    if begins is not None and ends is not None:
        return Message(N_("a passage from {begins!r} to {ends!r}"), begins=begins, ends=ends)
    return Message("{words!r}", words=begins if begins is not None else ends)


def _absent(text: str, what: str, words: str) -> QuoteError:
    """The error for words the text does not have, pointing at their longest start it has."""
    parts = words.split()
    for count in range(len(parts) - 1, 0, -1):
        start_words = " ".join(parts[:count])
        places = occurrences(text, start_words)
        if places:
            return QuoteError(
                Message(
                    N_(
                        "{what} is not in the text; its start {start!r} is, at {places}: "
                        "check what follows it"
                    ),
                    what=what,
                    start=start_words,
                    places=describe_places(text, places),
                ),
                partial=[Span(start=s, end=e) for s, e in places],
            )
    return QuoteError(Message(N_("{what} is not in the text, nor is its first word"), what=what))
