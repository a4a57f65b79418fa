"""Records as plain data: the documented JSON shapes, and JSON/JSONL/CSV export.

The shapes here are the ones `clientocracy export` writes and every
`--json` listing prints, so a program can read any of them the same way.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Literal

from .._corpus.corpus import Corpus
from .._records import (
    Company,
    Language,
    Principle,
    Source,
    Story,
    Translation,
    plain_fields,
)
from .._search.hits import SearchHit

__all__ = [
    "FORMATS",
    "SEGMENT_COLUMNS",
    "ExportFormat",
    "as_dict",
    "csv_columns",
    "dumps",
    "export",
    "iter_export",
    "segment_rows",
]

ExportFormat = Literal["json", "jsonl", "csv"]
"""A format `export()` writes, for type checkers."""

FORMATS: tuple[ExportFormat, ...] = ("json", "jsonl", "csv")
"""The formats `export()` writes."""

_CSV_COLUMNS = (
    "id",
    "title",
    "title_en",
    "summary",
    "company",
    "company_name",
    "principles",
    "language",
    "source",
    "span_start",
    "span_end",
    "channel",
    "text",
    "source_license",
)
# The same column, with the same meaning, in the stories and the segments tables.
SOURCE_LICENSE_COLUMN = (
    "source_license",
    "string",
    "the SPDX licence expression of the source text, or null where its corpus is silent",
)
SEGMENT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("story", "string", "the story's id (the `id` of the stories table)"),
    ("source_language", "string", "the BCP 47 tag of the original's language"),
    ("language", "string", "the BCP 47 tag of the translation's language"),
    ("segment", "int64", "the segment's number within its translation, from 0"),
    ("start", "int64", "where the original of the segment starts in the source text"),
    ("end", "int64", "where it ends (exclusive)"),
    ("original", "string", "the original's words, `source.text[start:end]`"),
    ("translation", "string", "the segment's translation"),
    SOURCE_LICENSE_COLUMN,
    (
        "translation_license",
        "string",
        "the SPDX licence expression of the translation, or null where its corpus is silent",
    ),
)
"""The columns of the flat table of aligned segments: one row a segment of a translation.

`segment_rows()`, `export(..., segments=True)`
and the Arrow and Parquet forms (`segments=True`) all write them, each as
`(name, Arrow type, meaning)`. The names differ from the nested ones on
purpose: a join with the stories table on `story = id` shares one name
only, `language` (the translation's here, the story's there).
"""


# What json.dumps(ensure_ascii=False) leaves raw but a terminal would act on:
# DEL, C1 controls (C0 ones it escapes itself), bidi overrides, isolates and
# marks, and lone surrogates (which no file can store as UTF-8).
# U+2028 and U+2029 too: JSON allows them raw, but a reader that splits lines
# as Unicode does (Python's str.splitlines, JavaScript) would cut a JSON Lines
# record in two.
_RAW_UNSAFE = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def dumps(data: Any, *, indent: int | None = None) -> str:
    """*data* as JSON: non-ASCII text as is, but every control and bidi character escaped.

    The escapes are JSON's own (`\\u202e`), so a JSON parser reads the
    exact strings back, while the text itself, shown in a terminal or an
    editor, carries no character that acts on the display. Characters
    outside strings are only JSON's own punctuation, so the substitution
    cannot touch anything but string contents.
    """
    import json

    return _RAW_UNSAFE.sub(_escape, json.dumps(data, ensure_ascii=False, indent=indent))


def as_dict(
    record: Story | Company | Principle | Language | Source | SearchHit,
    *,
    corpus: Corpus | None = None,
) -> dict[str, Any]:
    """Return a record as JSON-ready plain data, in the documented shape.

    A story becomes `{"id", "title", "title_en", "summary", "company":
    {"id", "name"}, "principles": [ids], "language", "source", "span":
    {"start", "end"}, "channel", "text"}`. Companies, principles and
    languages carry their fields. A source carries its fields but not its
    text. A search hit becomes `{"score", "snippet": {"field", "text",
    "start", "highlights": [{"start", "end"}], "clipped_start",
    "clipped_end"}, "story": {…}}`.

    Args:
        record: A story, company, principle, language, source or search hit.
        corpus: For a company, principle or language, add `"stories"`: how
            many of this corpus's stories it is in.

    Raises:
        TypeError: *record* is not a clientocracy record.

    Examples:
        >>> import clientocracy
        >>> data = clientocracy.as_dict(clientocracy.story("sainsburys-giraffe-bread"))
        >>> data["company"], data["span"]
        ({'id': 'sainsburys', 'name': 'Sainsbury’s'}, {'start': 3769, 'end': 4619})
    """
    for kind, convert in _CONVERTERS:
        if isinstance(record, kind):
            data = convert(record)
            break
    else:
        raise TypeError(f"not a clientocracy record: {type(record).__name__}")
    if corpus is not None:
        if isinstance(record, Company):
            data["stories"] = len(corpus.stories(company=record))
        elif isinstance(record, Principle):
            data["stories"] = len(corpus.stories(principle=record))
        elif isinstance(record, Language):
            data["stories"] = len(corpus.stories(language=record))
    return data


def _hit(record: SearchHit) -> dict[str, Any]:
    snippet = record.snippet
    return {
        "score": record.score,
        "language": record.language.id,
        "snippet": {
            "field": snippet.field,
            "language": snippet.language,
            "text": snippet.text,
            "start": snippet.start,
            "highlights": [{"start": s.start, "end": s.end} for s in snippet.highlights],
            "clipped_start": snippet.clipped_start,
            "clipped_end": snippet.clipped_end,
        },
        "story": _story(record.story),
    }


def _story(record: Story) -> dict[str, Any]:
    return {
        "id": record.id,
        "title": record.title,
        "title_en": record.title_en,
        "summary": record.summary,
        "titles": dict(record.titles),
        "summaries": dict(record.summaries),
        "company": {"id": record.company.id, "name": record.company.name},
        "principles": [p.id for p in record.principles],
        "language": record.language.id,
        "languages": [language.id for language in record.languages],
        "source": record.source.id,
        "source_license": record.source.license,
        "span": {"start": record.span.start, "end": record.span.end},
        "channel": record.channel,
        "text": record.text,
        "translations": [_translation(t) for t in record.translations],
    }


def _principle(record: Principle) -> dict[str, Any]:
    return {
        "id": record.id,
        "name": record.name,
        "names": dict(record.names),
        "aliases": list(record.aliases),
        "definition": record.definition,
        "definitions": dict(record.definitions),
        "statement": {
            "source": record.statement.source.id,
            "start": record.statement.span.start,
            "end": record.statement.span.end,
            "text": record.statement.text,
        },
    }


def _source(record: Source) -> dict[str, Any]:
    return {
        "id": record.id,
        "language": record.language.id,
        "title": record.title,
        "title_en": record.title_en,
        "titles": dict(record.titles),
        "sha256": record.sha256,
        "origin": record.origin,
        "origin_url": record.origin_url,
        "tags": list(record.tags),
        "license": record.license,
        "rights": record.rights,
        "chars": len(record.text),
    }


# What each kind of record becomes; the first kind that matches wins.
_CONVERTERS: tuple[tuple[type[Any], Callable[[Any], dict[str, Any]]], ...] = (
    (SearchHit, _hit),
    (Story, _story),
    (Company, plain_fields),
    (Principle, _principle),
    (Language, plain_fields),
    (Source, _source),
)


def _translation(translation: Translation) -> dict[str, Any]:
    return {
        "language": translation.language.id,
        "translator": translation.translator,
        "review": translation.review,
        "license": translation.license,
        "text": translation.text,
        "segments": [
            {
                "start": segment.span.start,
                "end": segment.span.end,
                "original": segment.original,
                "text": segment.text,
                "paragraph": segment.paragraph,
            }
            for segment in translation.segments
        ],
    }


def segment_rows(stories: Iterable[Story]) -> list[dict[str, Any]]:
    """Return the aligned segments of *stories* as a flat table, one row a segment.

    Each row has the columns of
    `SEGMENT_COLUMNS`: `story` (its id),
    `source_language` and `language` (the tags of the original and of the
    translation), `segment` (its number within the translation, from 0),
    `start` and `end` (the original's offsets in the source text),
    `original` and `translation`: a sentence-aligned parallel corpus, ready
    for a data frame or a spreadsheet.

    Examples:
        >>> import clientocracy
        >>> rows = clientocracy.segment_rows(clientocracy.stories(company="Nordstrom"))
        >>> row = rows[0]
        >>> row["story"], row["source_language"], row["language"], row["segment"]
        ('nordstrom-lost-diamond-ring', 'fa', 'en', 0)
        >>> row["translation"][:30]
        'In reality, Nordstrom’s record'
    """
    return list(_segment_rows(stories))


def _segment_rows(stories: Iterable[Story]) -> Iterator[dict[str, Any]]:
    for story in stories:
        for translation in story.translations:
            for number, segment in enumerate(translation.segments):
                yield {
                    "story": story.id,
                    "source_language": story.language.id,
                    "language": translation.language.id,
                    "segment": number,
                    "start": segment.span.start,
                    "end": segment.span.end,
                    "original": segment.original,
                    "translation": segment.text,
                    "source_license": story.source.license,
                    "translation_license": translation.license,
                }


def export(
    stories: Iterable[Story],
    format: ExportFormat = "json",
    *,
    segments: bool = False,
    bom: bool = False,
    languages: Iterable[Language | str] | None = None,
) -> str:
    """Return *stories* as one document in *format*.

    JSON is an array of `as_dict()` shapes; JSONL
    has one such object a line; CSV has a header row, then one row a story,
    in the columns `csv_columns()` names: the
    same columns in the same order for every export of a corpus, whatever
    the filter, each once. Non-ASCII text is written as is; the caller
    encodes the result as UTF-8. `iter_export()`
    gives the same document in pieces, for writing a large corpus without
    holding it whole.

    Args:
        stories: The stories to write, in order.
        format: `"json"`, `"jsonl"` or `"csv"`.
        segments: Write the aligned segments of the stories' translations
            instead, one row (object) a segment, in the columns of
            `SEGMENT_COLUMNS`.
        bom: Start a CSV document with a byte order mark (U+FEFF), which
            Excel needs to read UTF-8, and so Cyrillic and Persian, right.
        languages: The languages whose title, summary and text columns a
            CSV of stories has, in order. By default, those of the corpus
            the stories were selected from (a
            `StoryCollection`); for other
            iterables, the languages the stories read in, in tag order.

    Raises:
        ValueError: *format* is not one of `FORMATS`,
            or *bom* is asked for with a format other than CSV.

    Examples:
        >>> import clientocracy
        >>> lego = clientocracy.stories(company="LEGO")
        >>> print(clientocracy.export(lego, "csv").splitlines()[0])
        id,title,title_en,summary,company,company_name,principles,language,source,...
    """
    return "".join(iter_export(stories, format, segments=segments, bom=bom, languages=languages))


def iter_export(
    stories: Iterable[Story],
    format: ExportFormat = "json",
    *,
    segments: bool = False,
    bom: bool = False,
    languages: Iterable[Language | str] | None = None,
) -> Iterator[str]:
    """Return the document of `export()` as an iterator of pieces.

    The pieces joined are exactly `export()`'s document. The stories are
    read one batch at a time as the pieces are asked for, so writing the
    pieces to a file holds no more than a batch in memory, however large
    the corpus. The arguments are `export()`'s, and are checked at once.

    Examples:
        >>> import clientocracy, io
        >>> file = io.StringIO()
        >>> file.writelines(clientocracy.iter_export(clientocracy.stories(), "jsonl"))
        >>> len(file.getvalue().splitlines()) == len(clientocracy.stories())
        True
    """
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r}; expected one of {', '.join(FORMATS)}")
    if bom and format != "csv":
        raise ValueError(f"a byte order mark is for CSV only, not {format!r}")
    prefix = "\ufeff" if bom else ""
    if segments:
        rows = _segment_rows(stories)
        if format == "csv":
            names = tuple(name for name, _, _ in SEGMENT_COLUMNS)
            return _csv(names, (tuple(row.values()) for row in rows), prefix)
        return _json_pieces(rows, format)
    if format == "csv":
        tags, stories = _csv_languages(stories, languages)
        return _csv(csv_columns(tags), (_csv_row(story, tags) for story in stories), prefix)
    return _json_pieces((as_dict(story) for story in stories), format)


# How many rows make one piece of an exported document.
_PIECE = 256


def _json_pieces(items: Iterable[dict[str, Any]], format: str) -> Iterator[str]:
    """Items as a JSON array (as `json.dumps(items, indent=2)` writes it) or JSON lines."""
    iterator = iter(items)
    if format == "jsonl":
        while chunk := list(itertools.islice(iterator, _PIECE)):
            yield "".join(dumps(item) + "\n" for item in chunk)
        return
    separator = "[\n"
    while chunk := list(itertools.islice(iterator, _PIECE)):
        # An item's own lines, indented one level; JSON strings hold no raw
        # line break, so every line break is the layout's.
        pieces = (dumps(item, indent=2).replace("\n", "\n  ") for item in chunk)
        yield separator + "  " + ",\n  ".join(pieces)
        separator = ",\n"
    yield "[]\n" if separator == "[\n" else "\n]\n"


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]], prefix: str) -> Iterator[str]:
    """CSV in pieces of `_PIECE` rows: rows end in LF, and a field with a CR or LF is quoted.

    Python's writer quotes a field only for the characters of its own line
    terminator, so with LF alone a bare CR went out unquoted, and a reader
    that ends rows at CR too saw a new row. Each row is written with RFC
    4180's CRLF, which quotes both, and its final CRLF is then made an LF.
    """
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(row: Sequence[object]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        return buffer.getvalue()[:-2] + "\n"

    yield prefix + line(header)
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, _PIECE)):
        yield "".join(line(row) for row in chunk)


# The fixed columns already hold the English title and summary.
_CSV_ENGLISH = {"title_en": "title_en", "summary_en": "summary"}


def csv_columns(languages: Iterable[Language | str]) -> tuple[str, ...]:
    """Return the columns of a CSV export of stories, for a corpus of *languages*.

    First the fourteen fixed columns `id`, `title` (in the story's own
    language), `title_en`, `summary` (English), `company`, `company_name`,
    `principles` (ids joined by `;`), `language`, `source`, `span_start`,
    `span_end`, `channel`, `text` (the original) and `source_license` (the
    SPDX licence expression of the text the passage is from, empty when its
    corpus does not say); then, for each of
    *languages* in order, `title_<tag>`, `summary_<tag>` and `text_<tag>`
    (empty where the story has none in that language) — but for English,
    whose title and summary are already `title_en` and `summary`, only
    `text_en`. Every name appears once.

    Examples:
        >>> import clientocracy
        >>> clientocracy.csv_columns(["ru", "en"])[14:]
        ('title_ru', 'summary_ru', 'text_ru', 'text_en')
    """
    names = list(_CSV_COLUMNS)
    for tag in dict.fromkeys(_tag(language) for language in languages):
        for field in ("title", "summary", "text"):
            name = f"{field}_{tag}"
            if name not in _CSV_ENGLISH:
                names.append(name)
    return tuple(names)


def _tag(language: Language | str) -> str:
    return language.id if isinstance(language, Language) else language


def _csv_languages(
    stories: Iterable[Story], languages: Iterable[Language | str] | None
) -> tuple[tuple[str, ...], Iterable[Story]]:
    """The languages of a CSV's columns (given, the corpus's, or the stories'), and the stories."""
    from .._corpus.collection import StoryCollection

    if languages is not None:
        return tuple(dict.fromkeys(_tag(language) for language in languages)), stories
    if isinstance(stories, StoryCollection):
        return tuple(language.id for language in stories._corpus.languages()), stories
    # Stories of no known corpus: read them first, to learn their languages.
    stories = list(stories)
    tags = sorted({language.id for story in stories for language in story.languages})
    return tuple(tags), stories


def _csv_row(story: Story, tags: Sequence[str]) -> tuple[object, ...]:
    titles, summaries = dict(story.titles), dict(story.summaries)
    texts = {t.language.id: t.text for t in story.translations}
    texts[story.language.id] = story.text
    fixed = (
        story.id,
        story.title,
        story.title_en,
        story.summary,
        story.company.id,
        story.company.name,
        ";".join(p.id for p in story.principles),
        story.language.id,
        story.source.id,
        story.span.start,
        story.span.end,
        story.channel or "",
        story.text,
        story.source.license or "",
    )
    per_language: list[str] = []
    for tag in tags:
        if f"title_{tag}" not in _CSV_ENGLISH:
            per_language.append(titles.get(tag, ""))
        if f"summary_{tag}" not in _CSV_ENGLISH:
            per_language.append(summaries.get(tag, ""))
        per_language.append(texts.get(tag, ""))
    return (*fixed, *per_language)
