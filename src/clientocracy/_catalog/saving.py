"""Writing a corpus in the catalog format: `catalog.json` plus its texts."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

from .._io.files import write_tree
from .._records import Translation, plain_fields
from .anchors import anchored
from .format import CATALOG_FILE, FORMAT, VERSION
from .layout import catalog_json

if TYPE_CHECKING:
    from .._corpus.corpus import Corpus
    from .._records import Principle, Source, Story

__all__ = ["catalog_of", "save"]

# Spans and segments quote the words the authoring tools quote, so that
# `repair` finds them again after a text is edited, however they were written.
_span = anchored
_SAFE_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,100}")


def _translation(translation: Translation, text: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "language": translation.language.id,
        "translator": translation.translator,
    }
    if translation.review is not None:
        entry["review"] = translation.review
    if translation.license is not None:
        entry["license"] = translation.license
    entry["segments"] = [{**_span(s.span, text), "text": s.text} for s in translation.segments]
    return entry


def _file_name(source: Source, taken: set[str]) -> str:
    stem = source.id if _SAFE_FILE_NAME.fullmatch(source.id) else f"source-{source.sha256[:16]}"
    name, counter = f"texts/{stem}.txt", 1
    while name.lower() in taken:
        counter += 1
        name = f"texts/{stem}-{counter}.txt"
    taken.add(name.lower())
    return name


def catalog_of(corpus: Corpus) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the catalog of *corpus* as data, and the text of each file it names."""
    files: dict[str, str] = {}
    taken: set[str] = set()
    sources = []
    for source in corpus.sources():
        name = _file_name(source, taken)
        files[name] = source.text
        sources.append(_source_entry(source, name))
    catalog = {
        "format": FORMAT,
        "version": VERSION,
        "languages": [plain_fields(language) for language in corpus.languages()],
        "companies": [plain_fields(company) for company in corpus.companies()],
        "principles": [_principle_entry(principle) for principle in corpus.principles()],
        "sources": sources,
        "stories": [_story_entry(story) for story in corpus.stories()],
    }
    return catalog, files


def _principle_entry(principle: Principle) -> dict[str, Any]:
    statement = principle.statement
    return {
        "id": principle.id,
        "names": dict(principle.names),
        "aliases": list(principle.aliases),
        "definition": dict(principle.definitions),
        "statement": {
            "source": statement.source.id,
            **_span(statement.span, statement.source.text),
        },
    }


def _source_entry(source: Source, file: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": source.id,
        "file": file,
        "sha256": source.sha256,
        "language": source.language.id,
        "title": dict(source.titles),
        "origin": source.origin,
        "origin_url": source.origin_url,
    }
    if source.origin_span is not None:
        entry["origin_span"] = _span(source.origin_span, source.text)
    entry["tags"] = list(source.tags)
    # Written only when known, so that a corpus without them saves as before.
    if source.license is not None:
        entry["license"] = source.license
    if source.rights is not None:
        entry["rights"] = source.rights
    return entry


def _story_entry(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "source": story.source.id,
        "span": _span(story.span, story.source.text),
        "company": story.company.id,
        "principles": [p.id for p in story.principles],
        "title": dict(story.titles),
        "summary": dict(story.summaries),
        "channel": story.channel,
        "translations": [_translation(t, story.source.text) for t in story.translations],
    }


def save(corpus: Corpus, path: str | os.PathLike[str]) -> None:
    """Write *corpus* into the folder *path*, which must not exist or be empty.

    Everything is encoded before anything is written, so a corpus that
    cannot be written (a string that is not valid Unicode) fails without
    touching the disk. Each file is written atomically and the catalog last:
    a folder holds a catalog only once every text it names is complete. If
    writing fails part-way, the files written so far are removed again.
    """
    folder = os.fspath(path)
    if os.path.exists(folder) and (not os.path.isdir(folder) or os.listdir(folder)):
        raise FileExistsError(
            f"{folder}: not an empty folder; save a corpus into a new or empty folder"
        )
    catalog, files = catalog_of(corpus)
    try:
        encoded = {name: text.encode("utf-8") for name, text in files.items()}
        # One stable layout, the one the authoring tools write too.
        encoded[CATALOG_FILE] = catalog_json(catalog).encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(
            f"cannot save the corpus: it holds {error.object[error.start : error.end]!r}, "
            "a lone surrogate, which no file can store as UTF-8; nothing was written"
        ) from None
    write_tree(folder, encoded)  # the catalog last
