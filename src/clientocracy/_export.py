"""Records as plain data: the documented JSON shapes, and JSON/JSONL/CSV export.

The shapes here are the ones ``clientocracy export`` writes and every
``--json`` listing prints, so a program can read any of them the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from ._corpus import Corpus
from ._records import Company, Language, Principle, SearchHit, Source, Story

__all__ = ["FORMATS", "ExportFormat", "as_dict", "export"]

ExportFormat = Literal["json", "jsonl", "csv"]
#: The formats :func:`export` writes.
FORMATS: tuple[ExportFormat, ...] = ("json", "jsonl", "csv")

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


def as_dict(
    record: Story | Company | Principle | Language | Source | SearchHit,
    *,
    corpus: Corpus | None = None,
) -> dict[str, Any]:
    """Return a record as JSON-ready plain data (the documented shape).

    A story becomes ``{"id", "title", "title_en", "summary", "company":
    {"id", "name"}, "principles": [ids], "language", "source", "span":
    {"start", "end"}, "channel", "text"}``. Companies, principles and
    languages carry their fields, and, when *corpus* is given, ``"stories"``:
    how many of its stories they are in. A source carries its fields but not
    its text. A search hit becomes ``{"score", "snippet": {"field", "text",
    "start", "highlights": [{"start", "end"}], "clipped_start",
    "clipped_end"}, "story": {…}}``.
    """
    if isinstance(record, SearchHit):
        snippet = record.snippet
        return {
            "score": record.score,
            "snippet": {
                "field": snippet.field,
                "text": snippet.text,
                "start": snippet.start,
                "highlights": [{"start": s.start, "end": s.end} for s in snippet.highlights],
                "clipped_start": snippet.clipped_start,
                "clipped_end": snippet.clipped_end,
            },
            "story": as_dict(record.story),
        }
    if isinstance(record, Story):
        return {
            "id": record.id,
            "title": record.title,
            "title_en": record.title_en,
            "summary": record.summary,
            "company": {"id": record.company.id, "name": record.company.name},
            "principles": [p.id for p in record.principles],
            "language": record.language.id,
            "source": record.source.id,
            "span": {"start": record.span.start, "end": record.span.end},
            "channel": record.channel,
            "text": record.text,
        }
    data: dict[str, Any]
    if isinstance(record, Company):
        data = {
            "id": record.id,
            "name": record.name,
            "aliases": list(record.aliases),
            "industry": record.industry,
            "country": record.country,
        }
        if corpus is not None:
            data["stories"] = len(corpus.stories(company=record))
    elif isinstance(record, Principle):
        data = {
            "id": record.id,
            "name": record.name,
            "names": dict(record.names),
            "aliases": list(record.aliases),
            "definition": record.definition,
            "statement": {
                "source": record.statement.source.id,
                "start": record.statement.span.start,
                "end": record.statement.span.end,
                "text": record.statement.text,
            },
        }
        if corpus is not None:
            data["stories"] = len(corpus.stories(principle=record))
    elif isinstance(record, Language):
        data = {
            "id": record.id,
            "name": record.name,
            "native_name": record.native_name,
            "direction": record.direction,
            "aliases": list(record.aliases),
        }
        if corpus is not None:
            data["stories"] = len(corpus.stories(language=record))
    elif isinstance(record, Source):
        data = {
            "id": record.id,
            "language": record.language.id,
            "title": record.title,
            "title_en": record.title_en,
            "sha256": record.sha256,
            "origin": record.origin,
            "origin_url": record.origin_url,
            "tags": list(record.tags),
            "chars": len(record.text),
        }
    else:
        raise TypeError(f"not a clientocracy record: {type(record).__name__}")
    return data


def export(stories: Iterable[Story], format: ExportFormat = "json") -> str:
    """Return *stories* as one document in *format*: ``json``, ``jsonl`` or ``csv``.

    JSON is an array of :func:`as_dict` shapes; JSONL has one such object a
    line; CSV has a header row and flattens a story to the columns ``id``,
    ``title``, ``title_en``, ``summary``, ``company``, ``company_name``,
    ``principles`` (ids joined by ``;``), ``language``, ``source``,
    ``span_start``, ``span_end``, ``channel`` and ``text``. Non-ASCII text is
    written as is; the caller encodes the result as UTF-8.
    """
    import json

    if format == "json":
        items = [as_dict(story) for story in stories]
        return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    if format == "jsonl":
        return "".join(json.dumps(as_dict(s), ensure_ascii=False) + "\n" for s in stories)
    if format == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(_CSV_COLUMNS)
        for story in stories:
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
                )
            )
        return buffer.getvalue()
    raise ValueError(f"unknown export format {format!r}; expected one of {', '.join(FORMATS)}")
