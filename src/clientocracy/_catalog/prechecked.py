"""Records of the bundled catalog, built without checking every value again.

The bundled catalog is package data that never changes after release: it is
checked in full, texts and all, when its search index is made
(`scripts/build_search_index.py`), which writes the catalog's fingerprint
beside the index, and the test suite checks it again. Checking its every
value on each start of the command line would cost more than the command.
`load_bundled` builds through this module only when the catalog's
fingerprint is the one recorded; any other catalog, and every user's corpus,
goes through the full checks of `loading.parse_corpus`, whose records these
equal (the tests hold them equal).

The fingerprint is a checksum: it tells a catalog edited since the index
was made from the one it was made from, which is what can happen by
mistake. It is no defence against someone who rewrites the package's files,
who could rewrite its code as well.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .._records import (
    Company,
    Language,
    Principle,
    Quote,
    Segment,
    Source,
    Span,
    Story,
    Translation,
)
from .._stores.memory import MemoryStore
from .format import VERSION, ReadFile

__all__ = ["CHECKED_FILE", "build_prechecked", "checked_fingerprint"]

#: The file beside the bundled catalog that holds the fingerprint of the
#: catalog as it was when checked in full.
CHECKED_FILE = "catalog.checked"


def checked_fingerprint(read_file: ReadFile) -> str | None:
    """The fingerprint recorded for the bundled catalog, or None if there is none."""
    try:
        return read_file(CHECKED_FILE).decode("ascii").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def build_prechecked(data: Mapping[str, Any], read_file: ReadFile, catalog: str) -> MemoryStore:
    """The records of a catalog of this release's version that passed every check.

    *data* is the decoded catalog and *catalog* names it (in the places
    records were defined at), as for `loading.parse_corpus`.
    """
    if data.get("version") != VERSION:
        raise ValueError(f"only a catalog of version {VERSION} can be built unchecked")
    places: dict[tuple[str, str], str] = {}

    def define(facet: str, section: str, index: int, ident: str) -> str:
        places[(facet, ident)] = f"{catalog}: {section}[{index}] ({ident!r})"
        return ident

    languages = {
        define("language", "languages", n, item["id"]): Language(
            id=item["id"],
            name=item["name"],
            native_name=item["native_name"],
            direction=item["direction"],
            aliases=tuple(item.get("aliases", ())),
        )
        for n, item in enumerate(data["languages"])
    }
    companies = {
        define("company", "companies", n, item["id"]): Company(
            id=item["id"],
            name=item["name"],
            aliases=tuple(item.get("aliases", ())),
            industry=item["industry"],
            country=item["country"],
        )
        for n, item in enumerate(data["companies"])
    }
    sources = {
        define("source", "sources", n, item["id"]): _source(item, languages, read_file)
        for n, item in enumerate(data["sources"])
    }
    principles = {
        define("principle", "principles", n, item["id"]): Principle(
            id=item["id"],
            names=_english_first(item["names"].items()),
            aliases=tuple(item.get("aliases", ())),
            definitions=_english_first(item["definition"].items()),
            statement=Quote(
                source=sources[item["statement"]["source"]], span=_span(item["statement"])
            ),
        )
        for n, item in enumerate(data["principles"])
    }
    stories = []
    for n, item in enumerate(data["stories"]):
        define("story", "stories", n, item["id"])
        source = sources[item["source"]]
        span = _span(item["span"])
        stories.append(
            Story(
                id=item["id"],
                titles=tuple(item["title"].items()),
                summaries=tuple(item["summary"].items()),
                company=companies[item["company"]],
                principles=tuple(principles[ident] for ident in item["principles"]),
                language=source.language,
                source=source,
                span=span,
                channel=item.get("channel"),
                translations=tuple(
                    _translation(translation, source.text, span, languages)
                    for translation in item.get("translations", ())
                ),
            )
        )
    return MemoryStore(
        languages=languages.values(),
        companies=companies.values(),
        principles=principles.values(),
        sources=sources.values(),
        stories=stories,
        places=places,
    )


def _source(item: Mapping[str, Any], languages: Mapping[str, Language], read: ReadFile) -> Source:
    content = read(item["file"])
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    origin_span = item.get("origin_span")
    return Source(
        id=item["id"],
        language=languages[item["language"]],
        titles=tuple(item["title"].items()),
        text=content.decode("utf-8"),
        sha256=item["sha256"],
        origin=item["origin"],
        origin_url=item.get("origin_url"),
        origin_span=None if origin_span is None else _span(origin_span),
        tags=tuple(item.get("tags", ())),
        license=item.get("license"),
        rights=item.get("rights"),
    )


def _span(value: Mapping[str, Any]) -> Span:
    return Span(start=value["start"], end=value["end"])


def _english_first(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(pairs, key=lambda pair: pair[0] != "en"))


def _translation(
    item: Mapping[str, Any], text: str, span: Span, languages: Mapping[str, Language]
) -> Translation:
    segments: list[Segment] = []
    covered = span.start
    for segment in item["segments"]:
        start, end = segment["start"], segment["end"]
        segments.append(
            Segment(
                span=Span(start=start, end=end),
                original=text[start:end],
                text=segment["text"],
                # A segment after a line break in the original starts a paragraph.
                paragraph=bool(segments) and "\n" in text[covered:start],
            )
        )
        covered = end
    return Translation(
        language=languages[item["language"]],
        segments=tuple(segments),
        translator=item["translator"],
        review=item.get("review"),
        license=item.get("license"),
    )
