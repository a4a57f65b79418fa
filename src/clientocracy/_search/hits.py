"""What a search finds: the hits, and the snippets that show where each matched.

Records like those of `_records.py`, kept apart from them because only a
search makes them: the commands that do not search spend no start-up time
creating their classes.
"""

from __future__ import annotations

import attrs

from .._public import public
from .._records import Language, Span, Story, _short

__all__ = ["SearchHit", "Snippet"]


@public
@attrs.frozen(kw_only=True, repr=False)
class Snippet:
    """A short excerpt of a story around the best match of a search.

    `str(snippet)` is the excerpt, with "…" where it was cut.

    Attributes:
        field: Which text matched: `"text"` (the passage: the original, or
            the translation into `language`), `"title"` or `"summary"` (the
            story's title or summary in `language`), or `"company"` (the
            company's name).
        text: The excerpt: `field_text[start:start + len(text)]`, where
            `field_text` is the text that matched.
        start: Where the excerpt starts in that text.
        language: The tag of the language of the text that matched.
        highlights: The matched words, as spans of `text` itself, ready for
            a user interface to mark.
        clipped_start: Whether the excerpt was cut from a longer text at its start.
        clipped_end: Whether it was cut at its end.
    """

    field: str
    text: str
    start: int
    language: str | None = None
    highlights: tuple[Span, ...] = ()
    clipped_start: bool = False
    clipped_end: bool = False

    def marked(self, before: str = "[", after: str = "]", ellipsis: str = "…") -> str:
        """Return the excerpt with every highlight wrapped in *before* and *after*.

        Args:
            before: What to put before each highlighted word.
            after: What to put after it.
            ellipsis: What to put where the excerpt was cut from a longer text.

        Examples:
            >>> from clientocracy import Snippet, Span
            >>> snippet = Snippet(
            ...     field="text",
            ...     text="a word here",
            ...     start=0,
            ...     highlights=(Span(start=2, end=6),),
            ...     clipped_end=True,
            ... )
            >>> snippet.marked()
            'a [word] here…'
            >>> snippet.marked("<mark>", "</mark>", ellipsis=" [...]")
            'a <mark>word</mark> here [...]'
        """
        parts: list[str] = [ellipsis] if self.clipped_start else []
        done = 0
        for span in self.highlights:
            parts += [self.text[done : span.start], before, self.text[span.slice()], after]
            done = span.end
        parts.append(self.text[done:])
        if self.clipped_end:
            parts.append(ellipsis)
        return "".join(parts)

    def __str__(self) -> str:
        return self.marked("", "")

    def __repr__(self) -> str:
        return (
            f"Snippet(field={self.field!r}, language={self.language!r}, text={_short(self.text)!r})"
        )


@public
@attrs.frozen(kw_only=True, repr=False)
class SearchHit:
    """One result of a search: the story, its score, and where it matched.

    Attributes:
        story: The story found.
        score: The BM25 relevance, higher is better. Scores compare within
            one search only, and are near zero for words that most stories
            hold.
        snippet: The excerpt around the best match, with the matched words.
    """

    story: Story
    score: float
    snippet: Snippet

    @property
    def language(self) -> Language:
        """The language of the text that matched (the snippet's language)."""
        tag = self.snippet.language or self.story.language.id
        return next((lang for lang in self.story.languages if lang.id == tag), self.story.language)

    def __repr__(self) -> str:
        return f"SearchHit(story={self.story.id!r}, score={self.score:.3f})"
