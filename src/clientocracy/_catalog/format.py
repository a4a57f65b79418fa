"""What the catalog format is: its name, versions, sections and fields, and its size limits."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

CATALOG_FILE = "catalog.json"


FORMAT = "clientocracy-catalog"


#: The version `Corpus.save` writes.
VERSION = 2


#: The versions the loader reads. Version 1 has one English summary per story
#: and English-only definitions; version 2 has texts in several languages and
#: translations.
SUPPORTED_VERSIONS = (1, 2)


#: Reads a file named by the catalog, relative to the corpus directory.
ReadFile = Callable[[str], bytes]


SECTIONS = ("languages", "companies", "principles", "sources", "stories")


# field -> (kind, required), for version 1. Kinds are checked by check_value.
_FIELDS_V1: dict[str, dict[str, tuple[str, bool]]] = {
    "languages": {
        "id": ("id", True),
        "name": ("text", True),
        "native_name": ("text", True),
        "direction": ("direction", True),
        "aliases": ("texts", False),
    },
    "companies": {
        "id": ("id", True),
        "name": ("text", True),
        "aliases": ("texts", False),
        "industry": ("text", True),
        "country": ("country", True),
    },
    "principles": {
        "id": ("id", True),
        "names": ("names", True),
        "aliases": ("texts", False),
        "definition": ("text", True),
        "statement": ("quote", True),
    },
    "sources": {
        "id": ("id", True),
        "file": ("text", True),
        "sha256": ("sha256", True),
        "language": ("id", True),
        "title": ("text", True),
        "title_en": ("text", True),
        "origin": ("text", True),
        "origin_url": ("text?", False),
        "origin_span": ("span?", False),
        "tags": ("texts", False),
    },
    "stories": {
        "id": ("id", True),
        "source": ("id", True),
        "span": ("span", True),
        "company": ("id", True),
        "principles": ("ids", True),
        "title": ("text", True),
        "title_en": ("text", True),
        "summary": ("text", True),
        "channel": ("text?", False),
    },
}


def _without(fields: Mapping[str, tuple[str, bool]], *names: str) -> dict[str, tuple[str, bool]]:
    return {name: spec for name, spec in fields.items() if name not in names}


# Version 2: every text written for the dataset is an object of language tag
# to text, and stories carry their translations.
_FIELDS_V2: dict[str, dict[str, tuple[str, bool]]] = {
    **_FIELDS_V1,
    "principles": {**_FIELDS_V1["principles"], "definition": ("names", True)},
    "sources": {
        **_without(_FIELDS_V1["sources"], "title_en"),
        "title": ("names", True),
        "license": ("license?", False),
        "rights": ("text?", False),
    },
    "stories": {
        **_without(_FIELDS_V1["stories"], "title_en"),
        "title": ("names", True),
        "summary": ("names", True),
        "translations": ("list", False),
    },
}


FIELDS = {1: _FIELDS_V1, 2: _FIELDS_V2}


SPAN_FIELDS = {"start": True, "end": True, "begins": False, "ends": False}


QUOTE_FIELDS = {"source": True, **SPAN_FIELDS}


TRANSLATION_FIELDS = {
    "language": ("id", True),
    "translator": ("text", True),
    "review": ("text?", False),
    "license": ("license?", False),
    "segments": ("list", True),
}


SEGMENT_FIELDS = {
    "start": ("int", True),
    "end": ("int", True),
    "text": ("text", True),
    "begins": ("text", False),
    "ends": ("text", False),
}


#: The largest catalog file `load()` reads, in bytes.
MAX_CATALOG_BYTES = 512 * 1024 * 1024


#: The largest text file `load()` reads, in bytes.
MAX_TEXT_BYTES = 64 * 1024 * 1024


#: The most bytes `load()` reads for one corpus, the catalog and every
#: text together (a text named by several sources counts each time).
MAX_CORPUS_BYTES = 4 * 1024 * 1024 * 1024
