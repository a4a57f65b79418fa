"""Records as plain data: the documented JSON shapes, and JSON/JSONL/CSV export.

The shapes here are the ones `clientocracy export` writes and every
`--json` listing prints, so a program can read any of them the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, Literal

from .._corpus.corpus import Corpus
from .._records import (
    Company,
    Language,
    Principle,
    SearchHit,
    Source,
    Story,
    Translation,
    plain_fields,
)

__all__ = ["FORMATS", "ExportFormat", "as_dict", "dumps", "export", "segment_rows"]

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
)
# The flat table of aligned segments: one row a segment of a translation.
_SEGMENT_COLUMNS = (
    "story",
    "source_language",
    "language",
    "segment",
    "start",
    "end",
    "original",
    "translation",
)


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

    Each row has the columns `story` (its id), `source_language` and
    `language` (the tags of the original and of the translation),
    `segment` (its number within the translation, from 0), `start` and
    `end` (the original's offsets in the source text), `original` and
    `translation`: a sentence-aligned parallel corpus, ready for a data
    frame or a spreadsheet.

    Examples:
        >>> import clientocracy
        >>> rows = clientocracy.segment_rows(clientocracy.stories(company="Nordstrom"))
        >>> row = rows[0]
        >>> row["story"], row["source_language"], row["language"], row["segment"]
        ('nordstrom-lost-diamond-ring', 'fa', 'en', 0)
        >>> row["translation"][:30]
        'In reality, Nordstrom’s record'
    """
    return [
        {
            "story": story.id,
            "source_language": story.language.id,
            "language": translation.language.id,
            "segment": number,
            "start": segment.span.start,
            "end": segment.span.end,
            "original": segment.original,
            "translation": segment.text,
        }
        for story in stories
        for translation in story.translations
        for number, segment in enumerate(translation.segments)
    ]


def export(
    stories: Iterable[Story], format: ExportFormat = "json", *, segments: bool = False
) -> str:
    """Return *stories* as one document in *format*.

    JSON is an array of `as_dict()` shapes; JSONL
    has one such object a line; CSV has a header row and flattens a story to
    the columns `id`, `title`, `title_en`, `summary`, `company`,
    `company_name`, `principles` (ids joined by `;`), `language`,
    `source`, `span_start`, `span_end`, `channel` and `text`, then, for
    every language the stories read in, `title_<tag>`, `summary_<tag>` and
    `text_<tag>` (the original or the translation). Non-ASCII text is
    written as is; the caller encodes the result as UTF-8.

    Args:
        stories: The stories to write, in order.
        format: `"json"`, `"jsonl"` or `"csv"`.
        segments: Write the aligned segments of the stories' translations
            instead, one row (object) a segment, as
            `segment_rows()` gives them.

    Raises:
        ValueError: *format* is not one of `FORMATS`.

    Examples:
        >>> import clientocracy
        >>> lego = clientocracy.stories(company="LEGO")
        >>> print(clientocracy.export(lego, "csv").splitlines()[0])
        id,title,title_en,summary,company,company_name,principles,language,source,...
    """
    if segments:
        return _export_rows(segment_rows(stories), _SEGMENT_COLUMNS, format)
    if format == "json":
        items = [as_dict(story) for story in stories]
        return dumps(items, indent=2) + "\n"
    if format == "jsonl":
        return "".join(dumps(as_dict(s)) + "\n" for s in stories)
    if format == "csv":
        return _stories_csv(stories)
    raise ValueError(f"unknown export format {format!r}; expected one of {', '.join(FORMATS)}")


def _stories_csv(stories: Iterable[Story]) -> str:
    """*stories* as CSV: the fixed columns, then title, summary and text per language."""
    stories = list(stories)
    languages = list(dict.fromkeys(lang.id for s in stories for lang in s.languages))
    writer = _CsvRows()
    writer.writerow(
        [
            *_CSV_COLUMNS,
            *(f"{field}_{tag}" for tag in languages for field in ("title", "summary", "text")),
        ]
    )
    for story in stories:
        titles, summaries = dict(story.titles), dict(story.summaries)
        texts = {t.language.id: t.text for t in story.translations}
        texts[story.language.id] = story.text
        writer.writerow(
            (
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
                *(
                    texts.get(tag, "")
                    if field == "text"
                    else (titles if field == "title" else summaries).get(tag, "")
                    for tag in languages
                    for field in ("title", "summary", "text")
                ),
            )
        )
    return writer.text()


class _CsvRows:
    """CSV rows that end in LF, with every field that holds a CR or an LF quoted.

    Python's writer quotes a field only for the characters of its own line
    terminator, so with LF alone a bare CR went out unquoted, and a reader
    that ends rows at CR too saw a new row. Each row is written with RFC
    4180's CRLF, which quotes both, and its CRLF is then made an LF.
    """

    def __init__(self) -> None:
        import csv
        import io

        self._row = io.StringIO()
        self._writer = csv.writer(self._row, lineterminator="\r\n")
        self._rows: list[str] = []

    def writerow(self, row: Iterable[object]) -> None:
        self._row.seek(0)
        self._row.truncate()
        self._writer.writerow(row)
        self._rows.append(self._row.getvalue()[:-2] + "\n")

    def text(self) -> str:
        return "".join(self._rows)


def _export_rows(rows: list[dict[str, Any]], columns: tuple[str, ...], format: str) -> str:
    """A flat table as one document: a JSON array, JSON lines, or CSV with a header."""
    if format == "json":
        return dumps(rows, indent=2) + "\n"
    if format == "jsonl":
        return "".join(dumps(row) + "\n" for row in rows)
    if format == "csv":
        writer = _CsvRows()
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(column, "") for column in columns])
        return writer.text()
    raise ValueError(f"unknown export format {format!r}; expected one of {', '.join(FORMATS)}")
