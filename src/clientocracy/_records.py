"""The records of the dataset: frozen, slotted, keyword-only ``attrs`` classes.

Every record is immutable and hashable, compares by value, and has a short
``repr`` that never prints a whole text.
"""

from __future__ import annotations

from typing import Literal

import attrs

__all__ = [
    "CHANNELS",
    "Company",
    "Language",
    "Principle",
    "Quote",
    "SearchHit",
    "Snippet",
    "Source",
    "Span",
    "Story",
]

#: How a company can learn of a customer's need, as the texts tell it.
#: ``message`` is a written message whose medium the text does not name.
CHANNELS: tuple[str, ...] = ("social-media", "phone", "letter", "message", "in-person")


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _check_span(instance: Span, attribute: attrs.Attribute[int], value: int) -> None:
    if instance.start < 0 or instance.end < instance.start:
        raise ValueError(
            f"a span needs 0 <= start <= end, got start={instance.start}, end={instance.end}"
        )


@attrs.frozen(kw_only=True, repr=False)
class Span:
    """A half-open range ``[start, end)`` of ``str`` offsets into a source text.

    Offsets count code points, as Python's ``str`` indexing does, so
    ``source.text[span.start:span.end]`` is the passage.
    """

    start: int
    end: int = attrs.field(validator=_check_span)

    def __len__(self) -> int:
        return self.end - self.start

    def slice(self) -> slice:
        """Return the span as a :class:`slice`, for ``text[span.slice()]``."""
        return slice(self.start, self.end)

    def __repr__(self) -> str:
        return f"Span(start={self.start}, end={self.end})"


@attrs.frozen(kw_only=True, repr=False)
class Language:
    """A language of the dataset: of a source text, a story, or the summaries.

    ``id`` is the BCP 47 tag (``"ru"``, ``"fa"``, ``"en"``). ``aliases`` holds
    the other ways people name it: ISO 639-2/3 codes and names such as
    ``"Farsi"``.
    """

    id: str
    name: str
    native_name: str
    direction: Literal["ltr", "rtl"]
    aliases: tuple[str, ...] = ()

    @property
    def tag(self) -> str:
        """The BCP 47 tag; the same as :attr:`id`."""
        return self.id

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the language answers to: id, names and aliases."""
        return (self.id, self.name, self.native_name, *self.aliases)

    def __repr__(self) -> str:
        return f"Language(id={self.id!r}, name={self.name!r})"


@attrs.frozen(kw_only=True, repr=False)
class Company:
    """A company that one or more stories are about.

    ``aliases`` lists every other way of writing its name: as the source texts
    write it (misspellings included) and as people type it, in any script.
    ``country`` is an ISO 3166-1 alpha-2 code.
    """

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    industry: str
    country: str

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the company answers to: id, display name and aliases."""
        return (self.id, self.name, *self.aliases)

    def __repr__(self) -> str:
        return f"Company(id={self.id!r}, name={self.name!r})"


@attrs.frozen(kw_only=True, repr=False)
class Source:
    """One of the texts the stories come from, shipped byte for byte.

    ``title`` is in the text's own language and ``title_en`` in English; both
    were written for this dataset, since the texts carry no title of their
    own. ``origin`` says, in English, what the text tells of where it comes
    from; ``origin_span`` points at the words that tell it, and
    ``origin_url`` is the address the text names, if any.
    """

    id: str
    language: Language
    title: str
    title_en: str
    text: str
    sha256: str
    origin: str
    origin_url: str | None = None
    origin_span: Span | None = None
    tags: tuple[str, ...] = ()

    @property
    def origin_text(self) -> str | None:
        """The words of the text that tell its origin, or ``None``."""
        if self.origin_span is None:
            return None
        return self.text[self.origin_span.slice()]

    def __repr__(self) -> str:
        return f"Source(id={self.id!r}, language={self.language.id!r}, chars={len(self.text)})"


@attrs.frozen(kw_only=True, repr=False)
class Quote:
    """A passage of a source text: the words at ``span`` in ``source``."""

    source: Source
    span: Span

    @property
    def text(self) -> str:
        """The quoted words, ``source.text[span.start:span.end]``."""
        return self.source.text[self.span.slice()]

    def __repr__(self) -> str:
        return f"Quote(source={self.source.id!r}, span=({self.span.start}, {self.span.end}))"


@attrs.frozen(kw_only=True, repr=False)
class Principle:
    """A principle of customer service that the texts state and stories show.

    ``names`` pairs language ids with the principle's name in that language,
    English first. ``statement`` is the phrase of a source text that states
    the principle.
    """

    id: str
    names: tuple[tuple[str, str], ...]
    aliases: tuple[str, ...] = ()
    definition: str
    statement: Quote

    @property
    def name(self) -> str:
        """The English name."""
        return self.name_in("en")

    def name_in(self, language: str) -> str:
        """Return the name in *language* (a language id), or the English name."""
        names = dict(self.names)
        return names.get(language) or names.get("en") or self.id

    @property
    def all_names(self) -> tuple[str, ...]:
        """Every name the principle answers to: id, names and aliases."""
        return (self.id, *(name for _, name in self.names), *self.aliases)

    def __repr__(self) -> str:
        return f"Principle(id={self.id!r}, name={self.name!r})"


@attrs.frozen(kw_only=True, repr=False)
class Story:
    """One story: a passage of a source text about a company going further.

    ``text`` is always ``source.text[span.start:span.end]``. ``title`` is in
    the story's language, ``title_en`` and ``summary`` in English; all three
    were written for this dataset. ``channel`` tells how the company learned
    of the customer's need, where the text says it (one of
    :data:`CHANNELS`), else ``None``.
    """

    id: str
    title: str
    title_en: str
    summary: str
    company: Company
    principles: tuple[Principle, ...]
    language: Language
    source: Source
    span: Span
    channel: str | None = None

    @property
    def text(self) -> str:
        """The passage, exactly as the source text has it."""
        return self.source.text[self.span.slice()]

    def __repr__(self) -> str:
        return (
            f"Story(id={self.id!r}, company={self.company.id!r}, "
            f"language={self.language.id!r}, title_en={_short(self.title_en)!r})"
        )


#: The fields of a story that search looks in, in the order a snippet is
#: taken from: the passage first, the company's own name last.
SEARCH_FIELDS: tuple[str, ...] = ("text", "summary", "title", "title_en", "company")


@attrs.frozen(kw_only=True, repr=False)
class Snippet:
    """A short excerpt of a story around the best match of a search.

    ``text`` is ``field_text[start:start + len(text)]``, where ``field_text``
    is the story's :attr:`field` (``"text"`` is the passage; ``"summary"``,
    ``"title"`` and ``"title_en"`` are the story's other fields, ``"company"``
    the company's name). ``highlights`` are the matched words, as spans of
    ``text`` itself, ready for a UI to mark. ``clipped_start`` and
    ``clipped_end`` tell whether the excerpt was cut from a longer text.
    """

    field: str
    text: str
    start: int
    highlights: tuple[Span, ...] = ()
    clipped_start: bool = False
    clipped_end: bool = False

    def marked(self, before: str = "[", after: str = "]", ellipsis: str = "…") -> str:
        """Return the excerpt with every highlight wrapped in *before* and *after*.

        *ellipsis* is put where the excerpt was cut from a longer text.

        >>> snippet = Snippet(field="text", text="a word here", start=0,
        ...                   highlights=(Span(start=2, end=6),), clipped_end=True)
        >>> snippet.marked()
        'a [word] here…'
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
        return f"Snippet(field={self.field!r}, text={_short(self.text)!r})"


@attrs.frozen(kw_only=True, repr=False)
class SearchHit:
    """One result of a search: the story, its score, and where it matched.

    ``score`` is the BM25 relevance (higher is better); scores compare
    within one search only.
    """

    story: Story
    score: float
    snippet: Snippet

    def __repr__(self) -> str:
        return f"SearchHit(story={self.story.id!r}, score={self.score:.3f})"
