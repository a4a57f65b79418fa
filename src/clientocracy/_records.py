"""The records of the dataset: frozen, slotted, keyword-only `attrs` classes.

Every record is immutable and hashable, compares by value, and has a short
`repr` that never prints a whole text.
"""

from __future__ import annotations

from typing import Any, Literal

import attrs

from ._messages import N_, Message
from ._public import public

__all__ = [
    "CHANNELS",
    "MAX_TRANSLATIONS",
    "Company",
    "Language",
    "Principle",
    "Quote",
    "Segment",
    "Source",
    "Span",
    "Story",
    "Translation",
]

CHANNELS: tuple[str, ...] = ("social-media", "phone", "letter", "message", "in-person")
#: The most translations one story may have: search numbers the readings of a
#: story (its original and each translation) in one byte.
MAX_TRANSLATIONS = 255
"""How a company can learn of a customer's need, as the texts tell it: the values of
`Story`'s `channel`. `"message"` is a written message whose medium
the text does not name."""


def _script(text: str) -> str | None:
    """The script of *text*'s letters (`"LATIN"`, `"CYRILLIC"`, `"ARABIC"`…), None if mixed."""
    import unicodedata

    scripts = {unicodedata.name(char, "?").split()[0] for char in text if char.isalpha()}
    return scripts.pop() if len(scripts) == 1 else None


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _language_id(value: object) -> str:
    """The tag of a `Language` or of a string naming one."""
    if isinstance(value, Language):
        return value.id
    if isinstance(value, str):
        return value
    raise TypeError(f"a language is a Language record or a string, not {type(value).__name__}")


def _in_language(
    texts: tuple[tuple[str, str], ...],
    language: object,
    languages: tuple[Language, ...],
    what: str,
) -> str:
    """The text of *texts* (language tag → text) in *language*, or raise `LookupError`.

    *language* is a record, a tag, or any name of one of *languages* (the
    languages the record knows), compared as names are.
    """
    found = dict(texts)
    tag = _tag_among(language, languages)
    if tag in found:
        return found[tag]
    available = ", ".join(found)
    raise LookupError(f"{what} has no text in {_language_id(language)!r}; it has: {available}")


def _tag_among(language: object, languages: tuple[Language, ...]) -> str:
    """The tag of *language*, resolving any name of one of *languages* to its tag."""
    wanted = _language_id(language)
    if any(known.id == wanted for known in languages):
        return wanted
    from ._normalize import name_key

    key = name_key(wanted)
    for known in languages:
        if any(name_key(name) == key for name in known.names):
            return known.id
    return wanted


def _check_span(instance: Span, attribute: attrs.Attribute[int], value: int) -> None:
    if instance.start < 0 or instance.end < instance.start:
        raise ValueError(
            f"a span needs 0 <= start <= end, got start={instance.start}, end={instance.end}"
        )


@public
@attrs.frozen(kw_only=True, repr=False)
class Span:
    """A half-open range `[start, end)` of `str` offsets into a source text.

    Offsets count code points, as Python's `str` indexing does, so
    `source.text[span.start:span.end]` is the passage. `len(span)` is its
    length.

    Attributes:
        start: The offset of the first character.
        end: The offset just past the last character; at least `start`.

    Examples:
        >>> from clientocracy import Span
        >>> span = Span(start=3, end=8)
        >>> len(span), "a short text"[span.slice()]
        (5, 'hort ')
    """

    start: int
    end: int = attrs.field(validator=_check_span)

    def __len__(self) -> int:
        return self.end - self.start

    def slice(self) -> slice:
        """Return the span as a `slice`, for `text[span.slice()]`."""
        return slice(self.start, self.end)

    def __repr__(self) -> str:
        return f"Span(start={self.start}, end={self.end})"


@public
@attrs.frozen(kw_only=True, repr=False)
class Language:
    """A language of the dataset: of a source text, a story, or a translation.

    Attributes:
        id: The BCP 47 tag: `"ru"`, `"fa"`, `"en"`.
        name: The English name, such as `"Persian"`.
        native_name: The name in the language itself, such as `"فارسی"`.
        direction: `"rtl"` for a right-to-left script, else `"ltr"`.
        aliases: The other ways people name it: ISO 639-2/3 codes and names
            such as `"Farsi"`.

    Examples:
        >>> import clientocracy
        >>> persian = clientocracy.language("Farsi")
        >>> persian
        Language(id='fa', name='Persian')
        >>> persian.native_name, persian.direction
        ('فارسی', 'rtl')
    """

    id: str
    name: str
    native_name: str
    direction: Literal["ltr", "rtl"]
    aliases: tuple[str, ...] = ()

    @property
    def tag(self) -> str:
        """The BCP 47 tag; the same as `id`."""
        return self.id

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the language answers to: id, names and aliases."""
        return (self.id, self.name, self.native_name, *self.aliases)

    def __repr__(self) -> str:
        return f"Language(id={self.id!r}, name={self.name!r})"


@public
@attrs.frozen(kw_only=True, repr=False)
class Company:
    """A company that one or more stories are about.

    Attributes:
        id: A stable lowercase id, such as `"trader-joes"`.
        name: The name as the company writes it, such as `"Trader Joe’s"`.
        aliases: Every other way of writing its name: as the source texts
            write it (misspellings included) and as people type it, in any
            script.
        industry: What the company does, in a few English words.
        country: Where it is based, as an ISO 3166-1 alpha-2 code.

    Examples:
        >>> import clientocracy
        >>> lego = clientocracy.company("Лего")
        >>> lego.name, lego.country, lego.industry
        ('LEGO', 'DK', 'toys')
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

    def name_in(self, language: Language) -> str:
        """The company's name as written in the script of *language*, if it has one.

        The display name when it is in that script already (or no alias
        is), else the first alias written in the script of the language's
        native name: `Заппос` for Russian, `زاپوس` for Persian.

        Examples:
            >>> import clientocracy
            >>> zappos = clientocracy.company("Zappos")
            >>> persian, english = clientocracy.language("fa"), clientocracy.language("en")
            >>> zappos.name_in(persian), zappos.name_in(english)
            ('زاپوس', 'Zappos')
        """
        script = _script(language.native_name)
        if script is None or _script(self.name) == script:
            return self.name
        return next((alias for alias in self.aliases if _script(alias) == script), self.name)

    def __repr__(self) -> str:
        return f"Company(id={self.id!r}, name={self.name!r})"


@public
@attrs.frozen(kw_only=True, repr=False)
class Source:
    """One of the texts the stories come from, shipped byte for byte.

    Attributes:
        id: The text's id, such as `"000_dc1afdb775c16d28"`.
        language: The language the text is written in.
        titles: Pairs of a language tag and the text's title in that
            language, its own language first. The texts carry no title of
            their own, so all were written for this dataset.
        text: The whole text.
        sha256: The SHA-256 of the text encoded as UTF-8 without a
            byte-order mark, in hex.
        origin: What the text tells of where it comes from, in English.
        origin_url: The address the text names, if any.
        origin_span: Where in the text its origin is told, if it is.
        tags: Free-form labels.
        license: What the text may be used for, as an SPDX licence
            expression, such as `"CC-BY-4.0"`; `None` when the corpus does
            not say. The bundled texts carry
            `"LicenseRef-clientocracy-source-texts"`: their authors keep
            every right, and that notice's text ships among the package's
            licence files (see the dataset card). The titles, summaries and
            translations written for a corpus are its authors', under the
            licence its card gives.
        rights: Who holds the rights in the text, and how to credit it, in
            English; `None` when the corpus does not say.
    """

    id: str
    language: Language
    titles: tuple[tuple[str, str], ...]
    text: str
    sha256: str
    origin: str
    origin_url: str | None = None
    origin_span: Span | None = None
    tags: tuple[str, ...] = ()
    license: str | None = None
    rights: str | None = None

    @property
    def title(self) -> str:
        """The title in the text's own language."""
        return dict(self.titles)[self.language.id]

    @property
    def title_en(self) -> str:
        """The English title."""
        return dict(self.titles)["en"]

    def title_in(self, language: Language | str) -> str:
        """Return the title in *language* (a record, tag or name); `LookupError` if none."""
        return _in_language(self.titles, language, (self.language,), f"source {self.id!r}")

    @property
    def origin_text(self) -> str | None:
        """The words of the text that tell its origin, or `None`."""
        if self.origin_span is None:
            return None
        return self.text[self.origin_span.slice()]

    def __repr__(self) -> str:
        return f"Source(id={self.id!r}, language={self.language.id!r}, chars={len(self.text)})"


@public
@attrs.frozen(kw_only=True, repr=False)
class Quote:
    """A passage of a source text: the words at `span` in `source`.

    Attributes:
        source: The source text.
        span: Where the words are in it.
    """

    source: Source
    span: Span

    @property
    def text(self) -> str:
        """The quoted words, `source.text[span.start:span.end]`."""
        return self.source.text[self.span.slice()]

    def __repr__(self) -> str:
        return f"Quote(source={self.source.id!r}, span=({self.span.start}, {self.span.end}))"


@public
@attrs.frozen(kw_only=True, repr=False)
class Principle:
    """A principle of customer service that the texts state and stories show.

    Attributes:
        id: A stable lowercase id, such as `"small-things-matter"`.
        names: Pairs of a language tag and the principle's name in that
            language, English first.
        aliases: Other names people use for it.
        definitions: Pairs of a language tag and the principle's definition
            in that language, English first.
        statement: The phrase of a source text that states the principle.

    Examples:
        >>> import clientocracy
        >>> principle = clientocracy.principle("small-things-matter")
        >>> principle.name, principle.name_in("ru")
        ('Small things matter', 'Мелочи важны')
    """

    id: str
    names: tuple[tuple[str, str], ...]
    aliases: tuple[str, ...] = ()
    definitions: tuple[tuple[str, str], ...]
    statement: Quote

    @property
    def name(self) -> str:
        """The English name."""
        return self.name_in("en")

    def name_in(self, language: Language | str) -> str:
        """Return the name in *language* (a record or tag), or the English name."""
        names = dict(self.names)
        return names.get(_language_id(language)) or names.get("en") or self.id

    @property
    def definition(self) -> str:
        """The English definition."""
        return dict(self.definitions)["en"]

    def definition_in(self, language: Language | str) -> str:
        """Return the definition in *language* (a record or tag); `LookupError` if none."""
        return _in_language(self.definitions, language, (), f"principle {self.id!r}")

    @property
    def all_names(self) -> tuple[str, ...]:
        """Every name the principle answers to: id, names and aliases."""
        return (self.id, *(name for _, name in self.names), *self.aliases)

    def __repr__(self) -> str:
        return f"Principle(id={self.id!r}, name={self.name!r})"


@public
@attrs.frozen(kw_only=True, repr=False)
class Segment:
    """One aligned piece of a translation: a sentence (or a few) and its rendering.

    Attributes:
        span: Where the original is in the source text, like a
            `Story`'s `span`.
        original: The words of the source text there.
        text: Their translation.
        paragraph: Whether the original starts a new paragraph with this
            segment.
    """

    span: Span
    original: str
    text: str
    paragraph: bool = False

    def __repr__(self) -> str:
        return f"Segment(span=({self.span.start}, {self.span.end}), text={_short(self.text)!r})"


@public
@attrs.frozen(kw_only=True, repr=False)
class Translation:
    """A story's passage in another language, aligned sentence by sentence to the original.

    The dataset's own translations were written for it, not taken from the
    sources.

    Attributes:
        language: The language of the translation.
        segments: The aligned segments, in the order of the original. They
            cover the whole passage, with no gaps and no overlaps but for the
            white space between sentences.
        translator: Who wrote the translation.
        review: How it was checked, if it was.
        license: What the translation may be used for, as an SPDX licence
            expression; `None` when the corpus does not say. The bundled
            translations are `"CC-BY-4.0"`, as is all the dataset's
            maintainers wrote. It covers the translator's work only: the
            passage translated stays under its source's `license`.

    Examples:
        >>> import clientocracy
        >>> russian = clientocracy.story("nordstrom-lost-diamond-ring").translation("ru")
        >>> russian
        Translation(language='ru', segments=...)
        >>> russian.segments[0].text[:16]
        'Превосходный сер'
    """

    language: Language
    segments: tuple[Segment, ...]
    translator: str
    review: str | None = None
    license: str | None = None

    @property
    def text(self) -> str:
        """The whole translated passage, with a blank line where the original starts a paragraph."""
        return "".join(
            ("\n\n" if segment.paragraph else " ") + segment.text if number else segment.text
            for number, segment in enumerate(self.segments)
        )

    def __repr__(self) -> str:
        return f"Translation(language={self.language.id!r}, segments={len(self.segments)})"


@public
@attrs.frozen(kw_only=True, repr=False)
class Story:
    """One story: a passage of a source text about a company going further.

    Its `text` is always
    `source.text[span.start:span.end]`, in the language it was told in.
    Its translations give the passage in other languages, each aligned
    sentence by sentence to it. Titles and summaries were written for this
    dataset. Every text has a method that takes a language as a record, a
    tag or any of its names.

    Attributes:
        id: A stable lowercase id, such as `"sainsburys-giraffe-bread"`.
        titles: Pairs of a language tag and the story's title in that
            language.
        summaries: Pairs of a language tag and the story's summary in that
            language.
        company: The company the story is about.
        principles: The principles the story shows, most prominent first.
        language: The language the story was told in.
        source: The text the passage comes from.
        span: Where the passage is in the source text.
        channel: How the company learned of the customer's need, where the
            text says it: one of `CHANNELS`, else
            `None`.
        translations: The passage in other languages.

    Examples:
        >>> import clientocracy
        >>> story = clientocracy.story("nordstrom-lost-diamond-ring")
        >>> story
        Story(id='nordstrom-lost-diamond-ring', company='nordstrom', language='fa', ...)
        >>> [language.id for language in story.languages]
        ['fa', 'en', 'ru']
        >>> story.title_in("English")
        'The lost diamond ring'
        >>> story.translation("Russian").segments[0].text[:16]
        'Превосходный сер'
    """

    id: str
    titles: tuple[tuple[str, str], ...]
    summaries: tuple[tuple[str, str], ...]
    company: Company
    principles: tuple[Principle, ...]
    language: Language
    source: Source
    span: Span
    channel: str | None = None
    translations: tuple[Translation, ...] = ()

    @property
    def text(self) -> str:
        """The passage, exactly as the source text has it."""
        return self.source.text[self.span.slice()]

    @property
    def title(self) -> str:
        """The title in the story's own language."""
        return dict(self.titles)[self.language.id]

    @property
    def title_en(self) -> str:
        """The English title."""
        return dict(self.titles)["en"]

    @property
    def summary(self) -> str:
        """The English summary."""
        return dict(self.summaries)["en"]

    @property
    def languages(self) -> tuple[Language, ...]:
        """Every language the story can be read in: its own first, then its translations'."""
        return (self.language, *(t.language for t in self.translations))

    def title_in(self, language: Language | str) -> str:
        """Return the title in *language*; `LookupError` if the story has none in it."""
        return _in_language(self.titles, language, self.languages, f"story {self.id!r}")

    def summary_in(self, language: Language | str) -> str:
        """Return the summary in *language*; `LookupError` if the story has none in it."""
        return _in_language(self.summaries, language, self.languages, f"story {self.id!r}")

    def text_in(self, language: Language | str) -> str:
        """Return the passage in *language*: the original, or a translation's whole text."""
        if _tag_among(language, self.languages) == self.language.id:
            return self.text
        return self.translation(language).text

    def translation(self, language: Language | str) -> Translation:
        """Return the translation into *language*; `LookupError` if there is none.

        The story's own language has no translation: read
        `Story.text` for the original.
        """
        tag = _tag_among(language, self.languages)
        for translation in self.translations:
            if translation.language.id == tag:
                return translation
        available = ", ".join(t.language.id for t in self.translations) or Message(N_("none"))
        raise LookupError(
            Message(
                N_(
                    "story {story!r} has no translation into {language!r} "
                    "(it was told in {told!r}; translations: {available})"
                ),
                story=self.id,
                language=_language_id(language),
                told=self.language.id,
                available=available,
            )
        )

    def __repr__(self) -> str:
        return (
            f"Story(id={self.id!r}, company={self.company.id!r}, "
            f"language={self.language.id!r}, title_en={_short(self.title_en)!r})"
        )


# The fields of a story that search looks in, in each of its languages, in
# the order a snippet is taken from: the passage first, the company's name last.
SEARCH_FIELDS: tuple[str, ...] = ("text", "summary", "title", "company")


def plain_fields(record: Language | Company) -> dict[str, Any]:
    """The fields of a record that holds only plain values, as JSON-ready data.

    A language and a company are written the same way in a catalog and in an
    export: each field by its name, in the record's order, tuples as lists.
    """
    return {
        field.name: list(value) if isinstance(value, tuple) else value
        for field in attrs.fields(type(record))
        for value in (getattr(record, field.name),)
    }


# Loading a corpus with translations makes a span and a segment for each of
# millions of segments, after checking every value itself; attrs' __init__
# would check the span again and cost twice as much. These fill the slots
# directly, for callers that have checked what they pass.
_new = object.__new__
_SET_START = Span.__dict__["start"].__set__
_SET_END = Span.__dict__["end"].__set__
_SET_SPAN = Segment.__dict__["span"].__set__
_SET_ORIGINAL = Segment.__dict__["original"].__set__
_SET_TEXT = Segment.__dict__["text"].__set__
_SET_PARAGRAPH = Segment.__dict__["paragraph"].__set__


def checked_segment(start: int, end: int, original: str, text: str, paragraph: bool) -> Segment:
    """A `Segment` of values the caller has checked (`0 <= start <= end`), made without checks."""
    span = _new(Span)
    _SET_START(span, start)
    _SET_END(span, end)
    segment = _new(Segment)
    _SET_SPAN(segment, span)
    _SET_ORIGINAL(segment, original)
    _SET_TEXT(segment, text)
    _SET_PARAGRAPH(segment, paragraph)
    return segment
