"""Reading a corpus: parse the catalog, check everything, then build records.

A corpus is a catalog file (`catalog.json`) and the text files it names.
Loading checks the whole catalog first and collects every problem it finds;
records are built only when there is none, so a corpus loads whole or not
at all.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ._errors import CorpusError
from ._files import open_corpus
from ._json import decode_catalog
from ._normalize import name_key
from ._records import (
    CHANNELS,
    MAX_TRANSLATIONS,
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

if TYPE_CHECKING:
    from ._corpus import Corpus

__all__ = [
    "CATALOG_FILE",
    "FORMAT",
    "MAX_CATALOG_BYTES",
    "MAX_CORPUS_BYTES",
    "MAX_TEXT_BYTES",
    "SUPPORTED_VERSIONS",
    "VERSION",
    "load",
    "load_bundled",
    "parse_corpus",
]

CATALOG_FILE = "catalog.json"
FORMAT = "clientocracy-catalog"
#: The version [`Corpus.save`][clientocracy.Corpus.save] writes.
VERSION = 2
#: The versions the loader reads. Version 1 has one English summary per story
#: and English-only definitions; version 2 has texts in several languages and
#: translations.
SUPPORTED_VERSIONS = (1, 2)

#: Reads a file named by the catalog, relative to the corpus directory.
ReadFile = Callable[[str], bytes]

_SECTIONS = ("languages", "companies", "principles", "sources", "stories")

# field -> (kind, required), for version 1. Kinds are checked by _check_value.
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
    "sources": {**_without(_FIELDS_V1["sources"], "title_en"), "title": ("names", True)},
    "stories": {
        **_without(_FIELDS_V1["stories"], "title_en"),
        "title": ("names", True),
        "summary": ("names", True),
        "translations": ("list", False),
    },
}
_FIELDS = {1: _FIELDS_V1, 2: _FIELDS_V2}
_SPAN_FIELDS = {"start": True, "end": True, "begins": False, "ends": False}
_QUOTE_FIELDS = {"source": True, **_SPAN_FIELDS}


class _Problems:
    """Collects problems as `file: where: field: what` lines."""

    def __init__(self, catalog: str) -> None:
        self.catalog = catalog
        self.lines: list[str] = []

    def add(self, where: str, message: str, *, file: str | None = None) -> None:
        self.lines.append(f"{file or self.catalog}: {where}: {message}")

    def __bool__(self) -> bool:
        return bool(self.lines)


def _describe(value: object) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_SPACE = re.compile(r"\s")


def _check_value(kind: str, value: object) -> str | None:
    """Return what is wrong with *value* for a field of *kind*, or None."""
    optional = kind.endswith("?")
    if optional:
        if value is None:
            return None
        kind = kind[:-1]
    if kind in ("text", "id"):
        if not isinstance(value, str):
            return f"expected a string, got {_describe(value)}"
        if not value.strip():
            return "must not be empty"
        if kind == "id" and _SPACE.search(value):
            return f"an id must have no spaces, got {value!r}"
        return None
    if kind in ("texts", "ids"):
        if not isinstance(value, list):
            return f"expected a list of strings, got {_describe(value)}"
        for index, item in enumerate(value):
            problem = _check_value(kind[:-1], item)
            if problem:
                return f"item {index}: {problem}"
        if kind == "ids" and not value:
            return "must list at least one id"
        return None
    if kind == "int":
        return None if _is_int(value) else f"expected a whole number, got {_describe(value)}"
    if kind == "list":
        return None if isinstance(value, list) else f"expected a list, got {_describe(value)}"
    if kind == "direction":
        return None if value in ("ltr", "rtl") else f"expected 'ltr' or 'rtl', got {value!r}"
    if kind == "country":
        ok = isinstance(value, str) and len(value) == 2 and value.isascii() and value.isupper()
        return None if ok else f"expected an ISO 3166-1 alpha-2 code such as 'US', got {value!r}"
    if kind == "sha256":
        ok = (
            isinstance(value, str)
            and len(value) == 64
            and all(c in "0123456789abcdef" for c in value)
        )
        return None if ok else "expected 64 lowercase hexadecimal digits"
    if kind == "names":
        if not isinstance(value, dict) or not value:
            return f"expected an object of language id to name, got {_describe(value)}"
        for key, name in value.items():
            if not isinstance(name, str) or not name.strip():
                return f"the name for {key!r} must be a non-empty string"
        return None
    if kind in ("span", "quote"):
        if not isinstance(value, dict):
            return f"expected an object, got {_describe(value)}"
        fields = _QUOTE_FIELDS if kind == "quote" else _SPAN_FIELDS
        unknown = sorted(set(value) - set(fields))
        if unknown:
            return f"unknown field(s) {', '.join(unknown)}; expected {', '.join(fields)}"
        for name, required in fields.items():
            if name not in value:
                if required:
                    return f"missing field {name!r}"
                continue
            item = value[name]
            if name in ("start", "end"):
                if not _is_int(item):
                    return f"{name!r} must be a whole number, got {_describe(item)}"
            elif not isinstance(item, str) or not item:
                return f"{name!r} must be a non-empty string"
        return None
    raise AssertionError(f"no such field kind: {kind}")  # pragma: no cover


def _label(section: str, index: int, item: Mapping[str, Any]) -> str:
    ident = item.get("id")
    if isinstance(ident, str):
        return f"{section}[{index}] ({ident!r})"
    return f"{section}[{index}]"


_FACET_OF = {
    "languages": "language",
    "companies": "company",
    "principles": "principle",
    "sources": "source",
    "stories": "story",
}


def _check_records(
    catalog: Mapping[str, Any], version: int, problems: _Problems, broken: set[tuple[str, str]]
) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Check the shape of every record; return the well-formed ones by section.

    The ids of malformed records go into *broken*, so that references to them
    are not reported a second time as references to nothing.
    """
    good: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for section in _SECTIONS:
        fields = _FIELDS[version][section]
        items = catalog.get(section)
        good[section] = []
        if section not in catalog:
            problems.add("top level", f"missing field {section!r} (a list, possibly empty)")
            continue
        if not isinstance(items, list):
            problems.add(section, f"expected a list of records, got {_describe(items)}")
            continue
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                problems.add(f"{section}[{index}]", f"expected an object, got {_describe(item)}")
                continue
            label = _label(section, index, item)
            ok = _check_fields(item, fields, label, problems)
            ident = item.get("id")
            if isinstance(ident, str):
                if ident in seen:
                    problems.add(
                        label, f"duplicate id {ident!r}, first used by {section}[{seen[ident]}]"
                    )
                    ok = False
                else:
                    seen[ident] = index
            if ok:
                good[section].append((label, item))
            elif isinstance(ident, str):
                broken.add((_FACET_OF[section], ident))
    return good


def _decode_text(data: bytes, file: str, problems: _Problems) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.add(
            f"byte {error.start}",
            "not valid UTF-8; save the file as UTF-8",
            file=file,
        )
        return None
    if not text.strip():
        problems.add("text", "the file is empty", file=file)
        return None
    return text


def _check_span(
    value: Mapping[str, Any], text: str, where: str, field: str, problems: _Problems
) -> Span | None:
    start, end = value["start"], value["end"]
    if not 0 <= start < end <= len(text):
        problems.add(
            where,
            f"field {field!r}: span [{start}, {end}) must be non-empty and within the "
            f"text's {len(text)} characters",
        )
        return None
    passage = text[start:end]
    begins, ends = value.get("begins"), value.get("ends")
    if begins is not None and not passage.startswith(begins):
        problems.add(
            where,
            f"field {field!r}: the passage begins {passage[: len(begins)]!r}, "
            f"but the catalog says it begins {begins!r}",
        )
        return None
    if ends is not None and not passage.endswith(ends):
        problems.add(
            where,
            f"field {field!r}: the passage ends {passage[-len(ends) :]!r}, "
            f"but the catalog says it ends {ends!r}",
        )
        return None
    return Span(start=start, end=end)


def _check_names(
    facet: str,
    entries: Iterable[tuple[str, str, tuple[str, ...]]],
    problems: _Problems,
) -> None:
    """Two records of one facet must not answer to the same name."""
    owners: dict[str, str] = {}
    for label, ident, names in entries:
        for name in names:
            key = name_key(name)
            if not key:
                problems.add(label, f"the name {name!r} is empty once normalized")
                continue
            owner = owners.setdefault(key, ident)
            if owner != ident:
                problems.add(
                    label,
                    f"the name {name!r} already names the {facet} {owner!r}; "
                    "a name must resolve to one record",
                )


def check_names(corpus: Corpus, problems: _Problems) -> None:
    """Check that no name of a facet resolves to two records of *corpus*."""
    place = corpus.place
    _check_names(
        "language", ((place("language", r.id), r.id, r.names) for r in corpus.languages()), problems
    )
    _check_names(
        "company", ((place("company", r.id), r.id, r.names) for r in corpus.companies()), problems
    )
    _check_names(
        "principle",
        ((place("principle", r.id), r.id, r.all_names) for r in corpus.principles()),
        problems,
    )


class _Resolver:
    """Finds referenced records: the catalog's own first, then the base corpus's."""

    def __init__(self, base: Corpus | None, problems: _Problems) -> None:
        self.base = base
        self.problems = problems
        self.borrowed: dict[tuple[str, str], Any] = {}
        # Records that exist but failed their own checks: already reported.
        self.broken: set[tuple[str, str]] = set()
        # What "known: …" lists, by facet and number of local records.
        self.known: dict[tuple[str, int], str] = {}

    def find(self, local: Mapping[str, Any], facet: str, ident: str, where: str, field: str) -> Any:
        if ident in local:
            return local[ident]
        if (facet, ident) in self.broken:
            return None
        # Thousands of stories name the same few bundled principles.
        borrowed = self.borrowed.get((facet, ident))
        if borrowed is not None:
            return borrowed
        if self.base is not None:
            try:
                record = getattr(self.base, facet)(ident)
            except LookupError:
                pass
            else:
                if record.id == ident:
                    self._borrow(facet, record)
                    return record
        # The same listing for every bad reference to a facet: building it
        # each time made a catalog of many bad references quadratic.
        shown = self.known.get((facet, len(local)))
        if shown is None:
            known = sorted(local)
            if self.base is not None:
                known += [r.id for r in getattr(self.base, _PLURAL[facet])() if r.id not in local]
            shown = ", ".join(known[:12]) + (", …" if len(known) > 12 else "") or "none"
            self.known[(facet, len(local))] = shown
        self.problems.add(where, f"field {field!r}: no {facet} has id {ident!r} (known: {shown})")
        return None

    def _borrow(self, facet: str, record: Any) -> None:
        """Take *record* from the base corpus, with every record it refers to.

        A borrowed record then is a whole: saved and loaded again, it finds
        what it names (a principle's source, the languages of its names) in
        the corpus itself.
        """
        if (facet, record.id) in self.borrowed:
            return
        self.borrowed[(facet, record.id)] = record
        tags: list[str] = []
        if isinstance(record, Principle):
            self._borrow("source", record.statement.source)
            tags = [tag for tag, _ in (*record.names, *record.definitions)]
        elif isinstance(record, Source):
            self._borrow("language", record.language)
            tags = [tag for tag, _ in record.titles]
        assert self.base is not None
        for tag in tags:
            try:
                language = self.base.language(tag)
            except LookupError:
                continue
            if language.id == tag:
                self._borrow("language", language)


_PLURAL = {
    "language": "languages",
    "company": "companies",
    "principle": "principles",
    "source": "sources",
}


class _Build:
    """What building a corpus has made so far: the records of each section, by id."""

    def __init__(self, catalog: str, version: int, problems: _Problems, resolver: _Resolver):
        self.catalog = catalog
        self.version = version
        self.problems = problems
        self.resolver = resolver
        self.places: dict[tuple[str, str], str] = {}
        self.languages: dict[str, Language] = {}
        self.companies: dict[str, Company] = {}
        self.sources: dict[str, Source] = {}
        self.principles: dict[str, Principle] = {}
        self.stories: list[Story] = []

    def defined(self, facet: str, ident: str, label: str) -> None:
        self.places[(facet, ident)] = f"{self.catalog}: {label}"

    def language(self, ident: str, where: str, field: str) -> Language | None:
        found: Language | None = self.resolver.find(self.languages, "language", ident, where, field)
        return found

    def texts(
        self,
        value: Mapping[str, str],
        where: str,
        field: str,
        required: Iterable[str],
    ) -> tuple[tuple[str, str], ...] | None:
        """Check an object of language tag → text; return it as pairs, or None."""
        ok = all(self.language(tag, where, field) is not None for tag in value)
        missing = [tag for tag in dict.fromkeys(required) if tag not in value]
        if missing:
            self.problems.add(
                where,
                f"field {field!r}: needs a text in {', '.join(map(repr, missing))}",
            )
            ok = False
        return tuple(value.items()) if ok else None


def _build_languages(items: _Good, build: _Build) -> None:
    for label, item in items:
        build.defined("language", item["id"], label)
        build.languages[item["id"]] = Language(
            id=item["id"],
            name=item["name"],
            native_name=item["native_name"],
            direction=item["direction"],
            aliases=tuple(item.get("aliases", ())),
        )


def _build_companies(items: _Good, build: _Build) -> None:
    for label, item in items:
        build.defined("company", item["id"], label)
        build.companies[item["id"]] = Company(
            id=item["id"],
            name=item["name"],
            aliases=tuple(item.get("aliases", ())),
            industry=item["industry"],
            country=item["country"],
        )


def _build_sources(
    items: _Good, build: _Build, read_file: ReadFile, *, verify_hashes: bool
) -> None:
    problems, resolver = build.problems, build.resolver
    for label, item in items:
        resolver.broken.add(("source", item["id"]))  # until it passes every check
        file = item["file"]
        language = build.language(item["language"], label, "language")
        if build.version == 1:
            titles: tuple[tuple[str, str], ...] | None = _v1_titles(
                item["language"], item["title"], item["title_en"]
            )
        else:
            titles = build.texts(item["title"], label, "title", (item["language"], "en"))
        try:
            content = read_file(file)
        except CorpusError as error:
            problems.lines.extend(error.problems)
            continue
        except OSError as error:
            problems.add(label, f"field 'file': cannot read {file!r}: {error.strerror or error}")
            continue
        text = _decode_text(content, file, problems)
        if text is None or language is None or titles is None:
            continue
        if verify_hashes:
            import hashlib  # costs milliseconds at start-up, so only when used

            # The bytes read are the text's UTF-8 (it decoded), less any BOM:
            # hashing them spares encoding megabytes of text again.
            body = content[3:] if content.startswith(b"\xef\xbb\xbf") else content
            digest = hashlib.sha256(body).hexdigest()
        else:
            digest = item["sha256"]
        if digest != item["sha256"]:
            problems.add(
                label,
                f"field 'sha256': {file!r} has SHA-256 {digest}, not the {item['sha256']} "
                "the catalog declares; restore the file or update the hash",
            )
            continue
        origin_span = None
        if item.get("origin_span") is not None:
            origin_span = _check_span(item["origin_span"], text, label, "origin_span", problems)
            if origin_span is None:
                continue
        resolver.broken.discard(("source", item["id"]))
        build.defined("source", item["id"], label)
        build.sources[item["id"]] = Source(
            id=item["id"],
            language=language,
            titles=titles,
            text=text,
            sha256=digest,
            origin=item["origin"],
            origin_url=item.get("origin_url"),
            origin_span=origin_span,
            tags=tuple(item.get("tags", ())),
        )


def _v1_titles(own: str, title: str, title_en: str) -> tuple[tuple[str, str], ...]:
    """A version 1 title and English title; one title when the text is English."""
    return ((own, title),) if own == "en" else ((own, title), ("en", title_en))


def _english_first(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(pairs, key=lambda pair: pair[0] != "en"))


def _build_principles(items: _Good, build: _Build) -> None:
    resolver = build.resolver
    for label, item in items:
        resolver.broken.add(("principle", item["id"]))  # until it passes every check
        statement = item["statement"]
        source = resolver.find(
            build.sources, "source", statement["source"], label, "statement.source"
        )
        names = build.texts(item["names"], label, "names", ())
        if build.version == 1:
            definitions: tuple[tuple[str, str], ...] | None = (("en", item["definition"]),)
        else:
            definitions = build.texts(item["definition"], label, "definition", ("en",))
        if source is None or names is None or definitions is None:
            continue
        span = _check_span(statement, source.text, label, "statement", build.problems)
        if span is None:
            continue
        resolver.broken.discard(("principle", item["id"]))
        build.defined("principle", item["id"], label)
        build.principles[item["id"]] = Principle(
            id=item["id"],
            names=_english_first(names),
            aliases=tuple(item.get("aliases", ())),
            definitions=_english_first(definitions),
            statement=Quote(source=source, span=span),
        )


def _build_stories(items: _Good, build: _Build) -> None:
    problems, resolver = build.problems, build.resolver
    for label, item in items:
        source = resolver.find(build.sources, "source", item["source"], label, "source")
        company = resolver.find(build.companies, "company", item["company"], label, "company")
        story_principles = [
            resolver.find(build.principles, "principle", pid, label, "principles")
            for pid in item["principles"]
        ]
        refs_ok = source is not None and company is not None and None not in story_principles
        if len(set(item["principles"])) != len(item["principles"]):
            problems.add(label, "field 'principles': lists a principle twice")
            refs_ok = False
        channel = item.get("channel")
        if channel is not None and channel not in CHANNELS:
            problems.add(
                label, f"field 'channel': expected one of {', '.join(CHANNELS)}, got {channel!r}"
            )
            refs_ok = False
        if not refs_ok:
            continue
        own = source.language.id
        span = _check_span(item["span"], source.text, label, "span", problems)
        translations = None
        if span is not None:
            translations = _build_translations(
                item.get("translations", []), source, span, f"{label}: translations", build
            )
        titles: tuple[tuple[str, str], ...] | None
        summaries: tuple[tuple[str, str], ...] | None
        if build.version == 1:
            titles = _v1_titles(own, item["title"], item["title_en"])
            summaries = (("en", item["summary"]),)
        else:
            translated = [t.language.id for t in translations or ()]
            titles = build.texts(item["title"], label, "title", (own, "en", *translated))
            summaries = build.texts(item["summary"], label, "summary", ("en", *translated))
        if span is None or translations is None or titles is None or summaries is None:
            continue
        build.defined("story", item["id"], label)
        build.stories.append(
            Story(
                id=item["id"],
                titles=titles,
                summaries=summaries,
                company=company,
                principles=tuple(story_principles),
                language=source.language,
                source=source,
                span=span,
                channel=channel,
                translations=translations,
            )
        )


_TRANSLATION_FIELDS = {
    "language": ("id", True),
    "translator": ("text", True),
    "review": ("text?", False),
    "segments": ("list", True),
}
_SEGMENT_FIELDS = {
    "start": ("int", True),
    "end": ("int", True),
    "text": ("text", True),
    "begins": ("text", False),
    "ends": ("text", False),
}


def _build_translations(
    items: list[Any], source: Source, span: Span, where: str, build: _Build
) -> tuple[Translation, ...] | None:
    """Check a story's translations; return them, or None after reporting every problem."""
    problems = build.problems
    if len(items) > MAX_TRANSLATIONS:
        problems.add(
            where,
            f"{len(items)} translations, over the limit of {MAX_TRANSLATIONS} for one story "
            "(search numbers a story's texts in one byte); keep the most useful ones",
        )
        return None
    translations: list[Translation] = []
    seen: set[str] = set()
    ok = True
    for index, item in enumerate(items):
        place = f"{where}[{index}]"
        if isinstance(item, dict) and isinstance(item.get("language"), str):
            place += f" ({item['language']!r})"
        if not _check_fields(item, _TRANSLATION_FIELDS, place, problems):
            ok = False
            continue
        language = build.language(item["language"], place, "language")
        if language is None:
            ok = False
            continue
        if language.id == source.language.id:
            problems.add(
                place,
                f"field 'language': {language.id!r} is the story's own language; "
                "the original is the story's text, not a translation",
            )
            ok = False
            continue
        if language.id in seen:
            problems.add(place, f"field 'language': a second translation into {language.id!r}")
            ok = False
            continue
        seen.add(language.id)
        segments = _build_segments(item["segments"], source.text, span, place, problems)
        if segments is None:
            ok = False
            continue
        translations.append(
            Translation(
                language=language,
                segments=segments,
                translator=item["translator"],
                review=item.get("review"),
            )
        )
    return tuple(translations) if ok else None


def _plainly_valid(kind: str, value: Any) -> bool:
    """Whether *value* is, at a glance, a good value of *kind* (no means: look closer).

    The common cases of `_check_value`, checked with as little work as
    possible: a large catalog has a million values to check, nearly all
    of them fine. Anything unusual goes to `_check_value`, which says what
    is wrong.
    """
    cls = type(value)
    if kind == "text":
        return cls is str and not value[:1].isspace() and bool(value)
    if kind == "id":
        return cls is str and bool(value) and _SPACE.search(value) is None
    if kind == "text?":
        return value is None or (cls is str and not value[:1].isspace() and bool(value))
    if kind == "span":
        return (
            cls is dict
            and len(value) == 2
            and type(value.get("start")) is int
            and type(value.get("end")) is int
        )
    if kind == "ids":
        return (
            cls is list
            and bool(value)
            and all(type(i) is str and i and _SPACE.search(i) is None for i in value)
        )
    if kind == "names":
        return (
            cls is dict
            and bool(value)
            and all(type(t) is str and t and not t[:1].isspace() for t in value.values())
        )
    if kind == "list":
        return cls is list
    return False


def _check_fields(
    item: object, fields: Mapping[str, tuple[str, bool]], place: str, p: _Problems
) -> bool:
    """Check that *item* is an object whose fields are *fields*, reporting every problem."""
    if not isinstance(item, dict):
        p.add(place, f"expected an object, got {_describe(item)}")
        return False
    if item.keys() <= fields.keys() and all(
        _plainly_valid(kind, item[name]) if name in item else not required
        for name, (kind, required) in fields.items()
    ):
        return True
    ok = True
    for name in sorted(set(item) - set(fields)):
        p.add(place, f"unknown field {name!r}; expected {', '.join(fields)}")
        ok = False
    for name, (kind, required) in fields.items():
        if name not in item:
            if required:
                p.add(place, f"missing field {name!r}")
                ok = False
            continue
        problem = _check_value(kind, item[name])
        if problem:
            p.add(place, f"field {name!r}: {problem}")
            ok = False
    return ok


def _build_segments(
    items: list[Any], text: str, span: Span, where: str, problems: _Problems
) -> tuple[Segment, ...] | None:
    """Check that segments are well formed, in order, and cover the passage exactly."""
    if not items:
        problems.add(where, "field 'segments': must list at least one segment")
        return None
    segments: list[Segment] = []
    ok = True
    covered = span.start  # where the part of the passage not yet covered starts
    for index, item in enumerate(items):
        place = f"{where}: segments[{index}]"
        if not _check_fields(item, _SEGMENT_FIELDS, place, problems):
            ok = False
            continue
        start, end, rendered = item["start"], item["end"], item["text"]
        if not span.start <= start < end <= span.end:
            problems.add(
                place,
                f"[{start}, {end}) must be non-empty and within the story's span "
                f"[{span.start}, {span.end})",
            )
            ok = False
            continue
        if start < covered:
            problems.add(
                place,
                f"starts at {start}, inside the previous segment (which ends at {covered}); "
                "segments must be in order and must not overlap",
            )
            ok = False
        elif text[covered:start].strip():
            problems.add(
                place,
                f"leaves [{covered}, {start}) of the passage untranslated "
                f"({_short(text[covered:start].strip())!r}); extend a segment over it",
            )
            ok = False
        checked = _check_span(item, text, place, "span", problems)
        if checked is None:
            ok = False
        if ok:
            segments.append(
                Segment(
                    span=Span(start=start, end=end),
                    original=text[start:end],
                    text=rendered,
                    paragraph=bool(segments) and "\n" in text[covered:start],
                )
            )
        covered = max(covered, end)
    if ok and text[covered : span.end].strip():
        problems.add(
            where,
            f"field 'segments': [{covered}, {span.end}) at the end of the passage is "
            "untranslated; extend the last segment over it",
        )
        ok = False
    return tuple(segments) if ok else None


def _short(text: str, width: int = 30) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


_Good = list[tuple[str, dict[str, Any]]]


def parse_corpus(
    catalog_bytes: bytes,
    read_file: ReadFile,
    *,
    catalog: str,
    base: Corpus | None = None,
    verify_hashes: bool = True,
) -> Corpus:
    """Parse and check a catalog and its texts; return the corpus or raise.

    *catalog* names the catalog file in problem messages; *read_file* reads
    a text file named by the catalog and raises `OSError` (or
    [`CorpusError`][clientocracy.CorpusError]) if it cannot. References that
    the catalog does not define are looked up by id in *base*; the records
    found there become part of the corpus. With *verify_hashes* false, the
    texts' SHA-256 is taken from the catalog instead of computed (for the
    bundled data, whose integrity the installer and the test suite already
    check).
    """
    from ._corpus import Corpus

    problems = _Problems(catalog)
    data = _parse_json(catalog_bytes, catalog, problems)
    version = _check_top_level(data, problems)
    resolver = _Resolver(base, problems)
    good = _check_records(data, version, problems, resolver.broken)
    build = _Build(catalog, version, problems, resolver)
    _build_languages(good["languages"], build)
    _build_companies(good["companies"], build)
    _build_sources(good["sources"], build, read_file, verify_hashes=verify_hashes)
    _build_principles(good["principles"], build)
    _build_stories(good["stories"], build)
    if problems:
        raise CorpusError(problems.lines)

    places = build.places
    borrowed = resolver.borrowed
    if base is not None:
        for (facet, ident), _record in borrowed.items():
            places[(facet, ident)] = base.place(facet, ident)

    def with_borrowed(facet: str, local: Mapping[str, Any]) -> list[Any]:
        extra = [r for (f, i), r in borrowed.items() if f == facet and i not in local]
        return [*extra, *local.values()]

    corpus = Corpus(
        languages=with_borrowed("language", build.languages),
        companies=with_borrowed("company", build.companies),
        principles=with_borrowed("principle", build.principles),
        sources=with_borrowed("source", build.sources),
        stories=build.stories,
        places=places,
    )
    check_names(corpus, problems)
    if problems:
        raise CorpusError(problems.lines)
    return corpus


def _parse_json(catalog_bytes: bytes, catalog: str, problems: _Problems) -> dict[str, Any]:
    """Decode the catalog file into its top-level object, or raise `CorpusError`."""
    data = decode_catalog(catalog_bytes, catalog=catalog)
    if not isinstance(data, dict):
        problems.add("top level", f"expected an object, got {_describe(data)}")
        raise CorpusError(problems.lines)
    return data


def _check_top_level(data: Mapping[str, Any], problems: _Problems) -> int:
    """Check the format and version fields; return the version to read the rest as."""
    if data.get("format") != FORMAT:
        problems.add("field 'format'", f"expected {FORMAT!r}, got {data.get('format')!r}")
    version = data.get("version")
    if type(version) is not int or version not in SUPPORTED_VERSIONS:
        readable = " and ".join(map(str, SUPPORTED_VERSIONS))
        problems.add(
            "field 'version'",
            f"this release reads versions {readable}, got {version!r}",
        )
        # Read the rest as the newest version, to report its problems too.
        version = VERSION
    for name in sorted(set(data) - {"format", "version", *_SECTIONS}):
        problems.add("top level", f"unknown field {name!r}")
    return int(version)


def load_bundled(*, verify_hashes: bool = False) -> Corpus:
    """Load the corpus that ships inside the package.

    Its texts' hashes are not recomputed by default: pip checks every
    installed file against the wheel's RECORD, and the test suite checks the
    texts against their published hashes, so this saves start-up time only.
    """
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    if os.path.isfile(os.path.join(folder, CATALOG_FILE)):
        # Installed as files, as pip installs it: read them directly.
        # importlib_resources (for a zipped package) costs more start-up
        # time than reading the whole dataset.
        def read_file(name: str) -> bytes:
            with open(os.path.join(folder, *name.split("/")), "rb") as file:
                return file.read()

    else:  # pragma: no cover - a zipped package
        import importlib_resources

        data = importlib_resources.files("clientocracy") / "data"

        def read_file(name: str) -> bytes:
            return (data / name).read_bytes()

    return parse_corpus(
        read_file(CATALOG_FILE),
        read_file,
        catalog=f"clientocracy/data/{CATALOG_FILE}",
        verify_hashes=verify_hashes,
    )


#: The largest catalog file [`load()`][clientocracy.load] reads, in bytes.
MAX_CATALOG_BYTES = 512 * 1024 * 1024
#: The largest text file [`load()`][clientocracy.load] reads, in bytes.
MAX_TEXT_BYTES = 64 * 1024 * 1024
#: The most bytes `load` reads for one corpus, the catalog and every
#: text together (a text named by several sources counts each time).
MAX_CORPUS_BYTES = 4 * 1024 * 1024 * 1024


def load(path: str | os.PathLike[str], *, base: Corpus | None = None) -> Corpus:
    """Load a corpus from a folder holding `catalog.json` and its text files.

    *path* is the folder, or the catalog file in it. Ids the catalog refers
    to but does not define (companies, principles, languages, sources) are
    looked up in *base*, the bundled corpus by default; the records found
    there become part of the loaded corpus. Raises [`CorpusError`][clientocracy.CorpusError]
    listing every problem found; nothing is loaded unless all is well.
    """
    from ._corpus import Corpus

    given = os.fspath(path)
    if os.path.isfile(given):
        from ._compiled import looks_like_sqlite

        if looks_like_sqlite(given):
            if base is not None:
                raise ValueError(
                    "base= is for catalogs: a compiled corpus holds every record it refers to"
                )
            from ._compiled_store import open_compiled

            return open_compiled(given)
    # The folder is opened once and every file, the catalog too, is opened
    # relative to it and checked after opening (see _files): a corpus folder
    # that changes while it loads cannot slip a link or a pipe in.
    folder, catalog_name, catalog_shown = open_corpus(
        given, CATALOG_FILE, total_limit=MAX_CORPUS_BYTES
    )
    with folder:
        catalog_bytes = folder.read(catalog_name, MAX_CATALOG_BYTES, catalog_shown)

        def read_file(name: str) -> bytes:
            return folder.read(name, MAX_TEXT_BYTES, os.path.join(given, name))

        corpus = parse_corpus(
            catalog_bytes,
            read_file,
            catalog=catalog_shown,
            base=Corpus.bundled() if base is None else base,
        )
    # Where the records came from, so that a compiled file can tell when
    # its catalog has changed since.
    catalog_path = os.path.abspath(catalog_shown)
    with contextlib.suppress(OSError):
        info = os.stat(catalog_path)
        corpus._store.origins = ((catalog_path, info.st_size, info.st_mtime_ns),)
    return corpus
