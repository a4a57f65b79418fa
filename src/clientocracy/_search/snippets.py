"""Snippets: the part of a matched text that shows why it matched, with the words marked."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from .._records import SEARCH_FIELDS, Span, Story

if TYPE_CHECKING:
    pass

from .analysis import MAX_WORD_CHARS, RAW_WORD, SNIPPET_SCAN_CHARS, SPACE, get_stemmer, split_words
from .hits import Snippet


def _field_text(story: Story, language: str, field: str, passage: str | None = None) -> str | None:
    """The text of *field* of *story* in *language*, or None if it has none."""
    if field == "company":
        return story.company.name
    if field == "text":
        if language == story.language.id:
            return story.text if passage is None else passage
        return next((t.text for t in story.translations if t.language.id == language), None)
    texts = dict(story.titles if field == "title" else story.summaries)
    return texts.get(language)


# The words of a raw word of text, with their stems. Texts repeat their
# words a lot, so snippets for ten hits analyse few distinct ones; the cache
# is dropped whole when it grows large rather than tracking what is old.
_analysed: dict[str, tuple[tuple[str, str], ...]] = {}


def _analyse(raw: str) -> tuple[tuple[str, str], ...]:
    pairs = _analysed.get(raw)
    if pairs is None:
        stem = get_stemmer()
        pairs = tuple((word, stem(word)) for word in split_words(raw))
        if len(raw) > 4 * MAX_WORD_CHARS:
            return pairs  # an outlandish "word": not worth keeping
        if len(_analysed) > 100_000:
            _analysed.clear()
        _analysed[raw] = pairs
    return pairs


def _matched(
    text: str, matches: Callable[[str, str], bool], memo: dict[str, frozenset[str]]
) -> list[tuple[int, int, frozenset[str]]]:
    """The words of *text* that match, as (start, end, their terms), in order.

    *memo* holds the matched terms of each word as written, for one query:
    texts repeat their words, and the snippets of one search read many texts.
    """
    found = []
    for run in RAW_WORD.finditer(text):
        raw = run.group()
        terms = memo.get(raw)
        if terms is None:
            terms = memo[raw] = frozenset(
                stem for word, stem in _analyse(raw) if matches(word, stem)
            )
        if terms:
            start, end = run.span()
            found.append((start, end, terms))
    return found


def snippet(
    story: Story,
    language: str,
    matches: Callable[[str, str], bool],
    width: int,
    passage: str | None = None,
    memo: dict[str, frozenset[str]] | None = None,
) -> Snippet:
    """The excerpt of *story*, in *language*, around its best match.

    The field is the one with the most distinct matched terms (the passage
    first on a tie); within it, the place with the most distinct matched
    terms within *width* characters, the earliest on a tie. A row of the
    original also holds the texts written in languages the story has no
    translation into, so those are looked in too. *passage* is the story's
    passage if the caller has it at hand (`story.text` reads the source);
    *memo* is shared by the snippets of one query (see `_matched`).
    """
    if memo is None:
        memo = {}
    own = story.language.id
    languages = [language]
    if language == own:
        translated = {t.language.id for t in story.translations}
        languages += [t for t, _ in (*story.titles, *story.summaries) if t not in translated]
    best: tuple[str, str, str, list[tuple[int, int, frozenset[str]]]] | None = None
    best_count = 0
    for field in SEARCH_FIELDS:
        for tag in dict.fromkeys(languages):
            text = _field_text(story, tag, field, passage)
            if text is None:
                continue
            # Only the start of a very long field is looked at, so that a hit
            # costs the same whatever the length of its story.
            found = _matched(text[: _word_end(text, SNIPPET_SCAN_CHARS)], matches, memo)
            count = len(frozenset().union(*(terms for _, _, terms in found)))
            if count > best_count:
                best, best_count = (field, tag, text, found), count
    if best is None:
        # Matched through a company alias only: show the passage's beginning.
        text = passage if passage is not None and language == own else story.text_in(language)
        return _excerpt("text", language, text, [], width)
    return _excerpt(*best, width)


def _excerpt(
    field: str,
    language: str,
    text: str,
    found: Sequence[tuple[int, int, frozenset[str]]],
    width: int,
) -> Snippet:
    if len(text) <= width:
        begin, end = 0, len(text)
    else:
        anchor = _densest(found, width)
        # Some words of context before the first match, then cut at word edges.
        begin = _word_start(text, max(0, anchor - width // 4)) if found else 0
        end = _word_end(text, begin + width)
    excerpt = text[begin:end]
    # Offsets count from the excerpt as shown, without its surrounding space.
    offset = begin + len(excerpt) - len(excerpt.lstrip())
    return Snippet(
        field=field,
        language=language,
        text=excerpt.strip(),
        start=offset,
        highlights=tuple(
            Span(start=start - offset, end=stop - offset)
            for start, stop, _ in found
            if begin <= start and stop <= end
        ),
        clipped_start=begin > 0,
        clipped_end=end < len(text),
    )


def _densest(found: Sequence[tuple[int, int, frozenset[str]]], width: int) -> int:
    """The start of the match whose window of *width* characters holds the most
    distinct terms, the earliest on a tie (0 if nothing matched).

    One pass with two ends and a count of each term in the window: the cost
    grows with the matches, not with the matches times those in a window,
    which for a text of a thousand one-letter matches was seconds per hit.
    """
    anchor, best = 0, -1
    counts: dict[str, int] = {}
    right = 0
    for index, (start, _, terms) in enumerate(found):
        right = max(right, index)
        while right < len(found) and found[right][1] - start <= width:
            for term in found[right][2]:
                counts[term] = counts.get(term, 0) + 1
            right += 1
        if len(counts) > best:
            anchor, best = start, len(counts)
        if right > index:  # the match was in the window: take it out
            for term in terms:
                counts[term] -= 1
                if not counts[term]:
                    del counts[term]
    return anchor


def _word_start(text: str, offset: int) -> int:
    """*offset*, moved forward to the start of the next word if it falls inside one."""
    if offset == 0 or text[offset - 1].isspace():
        return offset
    space = SPACE.search(text, offset, offset + MAX_WORD_CHARS)
    return space.end() if space else offset


def _word_end(text: str, offset: int) -> int:
    """*offset*, moved back to the end of the previous word if it falls inside one.

    It looks back at most MAX_WORD_CHARS characters: a longer "word" is cut.
    """
    if offset >= len(text):
        return len(text)
    if text[offset].isspace():
        return offset
    cut = offset
    floor = max(0, offset - MAX_WORD_CHARS)
    while cut > floor and not text[cut - 1].isspace():
        cut -= 1
    return cut - 1 if cut > 1 and text[cut - 1].isspace() else offset
