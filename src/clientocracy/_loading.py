"""Reading a corpus: parse the catalog, check everything, then build records.

A corpus is a catalog file (``catalog.json``) and the text files it names.
Loading checks the whole catalog first and collects every problem it finds;
records are built only when there is none, so a corpus loads whole or not
at all.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ._errors import CorpusError
from ._normalize import name_key
from ._records import CHANNELS, Company, Language, Principle, Quote, Source, Span, Story

if TYPE_CHECKING:
    from ._corpus import Corpus

__all__ = [
    "CATALOG_FILE",
    "FORMAT",
    "MAX_CATALOG_BYTES",
    "MAX_TEXT_BYTES",
    "VERSION",
    "load",
    "load_bundled",
    "parse_corpus",
]

CATALOG_FILE = "catalog.json"
FORMAT = "clientocracy-catalog"
VERSION = 1

#: Reads a file named by the catalog, relative to the corpus directory.
ReadFile = Callable[[str], bytes]

_SECTIONS = ("languages", "companies", "principles", "sources", "stories")

# field -> (kind, required). Kinds are checked by _check_value.
_FIELDS: dict[str, dict[str, tuple[str, bool]]] = {
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
_SPAN_FIELDS = {"start": True, "end": True, "begins": False, "ends": False}
_QUOTE_FIELDS = {"source": True, **_SPAN_FIELDS}


class _Problems:
    """Collects problems as ``file: where: field: what`` lines."""

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
    catalog: Mapping[str, Any], problems: _Problems, broken: set[tuple[str, str]]
) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Check the shape of every record; return the well-formed ones by section.

    The ids of malformed records go into *broken*, so that references to them
    are not reported a second time as references to nothing.
    """
    good: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for section in _SECTIONS:
        fields = _FIELDS[section]
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
            ok = True
            for name in sorted(set(item) - set(fields)):
                problems.add(label, f"unknown field {name!r}")
                ok = False
            for name, (kind, required) in fields.items():
                if name not in item:
                    if required:
                        problems.add(label, f"missing field {name!r}")
                        ok = False
                    continue
                problem = _check_value(kind, item[name])
                if problem:
                    problems.add(label, f"field {name!r}: {problem}")
                    ok = False
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


def _refer(
    table: Mapping[str, Any], section: str, ident: str, where: str, field: str, p: _Problems
) -> bool:
    if ident in table:
        return True
    known = ", ".join(sorted(table)) or "none"
    p.add(where, f"field {field!r}: no {section} has id {ident!r} (known: {known})")
    return False


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
                    self.borrowed[(facet, ident)] = record
                    if isinstance(record, Principle):
                        self.borrowed[("source", record.statement.source.id)] = (
                            record.statement.source
                        )
                    if isinstance(record, Source):
                        self.borrowed[("language", record.language.id)] = record.language
                    return record
        known = sorted(local)
        if self.base is not None:
            known += [r.id for r in getattr(self.base, _PLURAL[facet])() if r.id not in local]
        shown = ", ".join(known[:12]) + (", …" if len(known) > 12 else "") or "none"
        self.problems.add(where, f"field {field!r}: no {facet} has id {ident!r} (known: {shown})")
        return None


_PLURAL = {
    "language": "languages",
    "company": "companies",
    "principle": "principles",
    "source": "sources",
}


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
    a text file named by the catalog and raises :class:`OSError` (or
    :class:`CorpusError`) if it cannot. References that the catalog does not
    define are looked up by id in *base*; the records found there become part
    of the corpus. With *verify_hashes* false, the texts' SHA-256 is taken
    from the catalog instead of computed (for the bundled data, whose
    integrity the installer and the test suite already check).
    """
    from ._corpus import Corpus

    problems = _Problems(catalog)
    raw = _decode_text(catalog_bytes, catalog, problems)
    if raw is None:
        raise CorpusError(problems.lines)
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        problems.add(f"line {error.lineno}, column {error.colno}", f"not valid JSON: {error.msg}")
        raise CorpusError(problems.lines) from None
    except RecursionError:
        problems.add("top level", "nesting is too deep to be a catalog")
        raise CorpusError(problems.lines) from None
    except ValueError as error:  # e.g. an integer with more digits than Python converts
        problems.add("top level", f"not a usable JSON value: {error}")
        raise CorpusError(problems.lines) from None
    if not isinstance(data, dict):
        problems.add("top level", f"expected an object, got {_describe(data)}")
        raise CorpusError(problems.lines)
    if data.get("format") != FORMAT:
        problems.add("field 'format'", f"expected {FORMAT!r}, got {data.get('format')!r}")
    if data.get("version") != VERSION:
        problems.add(
            "field 'version'",
            f"this release reads version {VERSION}, got {data.get('version')!r}",
        )
    for name in sorted(set(data) - {"format", "version", *_SECTIONS}):
        problems.add("top level", f"unknown field {name!r}")

    resolver = _Resolver(base, problems)
    good = _check_records(data, problems, resolver.broken)
    places: dict[tuple[str, str], str] = {}

    languages: dict[str, Language] = {}
    for label, item in good["languages"]:
        places[("language", item["id"])] = f"{catalog}: {label}"
        languages[item["id"]] = Language(
            id=item["id"],
            name=item["name"],
            native_name=item["native_name"],
            direction=item["direction"],
            aliases=tuple(item.get("aliases", ())),
        )
    companies: dict[str, Company] = {}
    for label, item in good["companies"]:
        places[("company", item["id"])] = f"{catalog}: {label}"
        companies[item["id"]] = Company(
            id=item["id"],
            name=item["name"],
            aliases=tuple(item.get("aliases", ())),
            industry=item["industry"],
            country=item["country"],
        )

    sources: dict[str, Source] = {}
    for label, item in good["sources"]:
        resolver.broken.add(("source", item["id"]))  # until it passes every check
        file = item["file"]
        language = resolver.find(languages, "language", item["language"], label, "language")
        try:
            content = read_file(file)
        except CorpusError as error:
            problems.lines.extend(error.problems)
            continue
        except OSError as error:
            problems.add(label, f"field 'file': cannot read {file!r}: {error.strerror or error}")
            continue
        text = _decode_text(content, file, problems)
        if text is None or language is None:
            continue
        if verify_hashes:
            import hashlib  # costs milliseconds at start-up, so only when used

            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
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
        places[("source", item["id"])] = f"{catalog}: {label}"
        sources[item["id"]] = Source(
            id=item["id"],
            language=language,
            title=item["title"],
            title_en=item["title_en"],
            text=text,
            sha256=digest,
            origin=item["origin"],
            origin_url=item.get("origin_url"),
            origin_span=origin_span,
            tags=tuple(item.get("tags", ())),
        )

    principles: dict[str, Principle] = {}
    for label, item in good["principles"]:
        resolver.broken.add(("principle", item["id"]))  # until it passes every check
        statement = item["statement"]
        source = resolver.find(sources, "source", statement["source"], label, "statement.source")
        names = item["names"]
        known_names = all(
            resolver.find(languages, "language", language_id, label, "names") is not None
            for language_id in names
        )
        if source is None or not known_names:
            continue
        span = _check_span(statement, source.text, label, "statement", problems)
        if span is None:
            continue
        resolver.broken.discard(("principle", item["id"]))
        places[("principle", item["id"])] = f"{catalog}: {label}"
        principles[item["id"]] = Principle(
            id=item["id"],
            names=tuple(sorted(names.items(), key=lambda pair: pair[0] != "en")),
            aliases=tuple(item.get("aliases", ())),
            definition=item["definition"],
            statement=Quote(source=source, span=span),
        )

    stories: list[Story] = []
    for label, item in good["stories"]:
        source = resolver.find(sources, "source", item["source"], label, "source")
        company = resolver.find(companies, "company", item["company"], label, "company")
        story_principles = [
            resolver.find(principles, "principle", pid, label, "principles")
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
        span = _check_span(item["span"], source.text, label, "span", problems)
        if span is None:
            continue
        places[("story", item["id"])] = f"{catalog}: {label}"
        stories.append(
            Story(
                id=item["id"],
                title=item["title"],
                title_en=item["title_en"],
                summary=item["summary"],
                company=company,
                principles=tuple(story_principles),
                language=source.language,
                source=source,
                span=span,
                channel=channel,
            )
        )

    if problems:
        raise CorpusError(problems.lines)

    borrowed = resolver.borrowed
    if base is not None:
        for (facet, ident), _record in borrowed.items():
            places[(facet, ident)] = base.place(facet, ident)

    def with_borrowed(facet: str, local: Mapping[str, Any]) -> list[Any]:
        extra = [r for (f, i), r in borrowed.items() if f == facet and i not in local]
        return [*extra, *local.values()]

    corpus = Corpus(
        languages=with_borrowed("language", languages),
        companies=with_borrowed("company", companies),
        principles=with_borrowed("principle", principles),
        sources=with_borrowed("source", sources),
        stories=stories,
        places=places,
    )
    check_names(corpus, problems)
    if problems:
        raise CorpusError(problems.lines)
    return corpus


def load_bundled(*, verify_hashes: bool = False) -> Corpus:
    """Load the corpus that ships inside the package.

    Its texts' hashes are not recomputed by default: pip checks every
    installed file against the wheel's RECORD, and the test suite checks the
    texts against their published hashes, so this saves start-up time only.
    """
    import importlib_resources

    data = importlib_resources.files("clientocracy") / "data"

    def read_file(name: str) -> bytes:
        return (data / name).read_bytes()

    return parse_corpus(
        (data / CATALOG_FILE).read_bytes(),
        read_file,
        catalog=f"clientocracy/data/{CATALOG_FILE}",
        verify_hashes=verify_hashes,
    )


#: The largest catalog file :func:`load` reads, in bytes.
MAX_CATALOG_BYTES = 512 * 1024 * 1024
#: The largest text file :func:`load` reads, in bytes.
MAX_TEXT_BYTES = 64 * 1024 * 1024


def _read_regular_file(root: str, name: str, limit: int, shown: str) -> bytes:
    """Read *name* below *root*, refusing anything that leaves it or is not a file."""
    import stat

    if not isinstance(name, str) or not name or "\x00" in name:
        raise CorpusError([f"{shown}: not a usable file name"])
    if os.path.isabs(name) or name.startswith(("/", "\\")) or ":" in name.split("/")[0]:
        raise CorpusError([f"{shown}: an absolute path; name files relative to the corpus folder"])
    parts = name.replace("\\", "/").split("/")
    if ".." in parts:
        raise CorpusError([f"{shown}: '..' leaves the corpus folder; keep files inside it"])
    path = os.path.join(root, *parts)
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    if os.path.commonpath([real_root, real]) != real_root:
        raise CorpusError([f"{shown}: a link that points outside the corpus folder"])
    try:
        info = os.stat(real)
    except OSError as error:
        raise CorpusError([f"{shown}: cannot read: {error.strerror or error}"]) from None
    if not stat.S_ISREG(info.st_mode):
        raise CorpusError([f"{shown}: not a regular file (a folder, device or pipe)"])
    if info.st_size > limit:
        raise CorpusError(
            [f"{shown}: {info.st_size} bytes, over the limit of {limit} bytes for this file"]
        )
    with open(real, "rb") as file:
        content = file.read(limit + 1)
    if len(content) > limit:
        raise CorpusError([f"{shown}: over the limit of {limit} bytes for this file"])
    return content


def load(path: str | os.PathLike[str], *, base: Corpus | None = None) -> Corpus:
    """Load a corpus from a folder holding ``catalog.json`` and its text files.

    *path* is the folder, or the catalog file in it. Ids the catalog refers
    to but does not define (companies, principles, languages, sources) are
    looked up in *base*, the bundled corpus by default; the records found
    there become part of the loaded corpus. Raises :class:`CorpusError`
    listing every problem found; nothing is loaded unless all is well.
    """
    from ._corpus import Corpus

    given = os.fspath(path)
    if os.path.isfile(given):
        root, catalog_name = os.path.split(os.path.abspath(given))
        catalog_shown = given
    elif os.path.isdir(given):
        root, catalog_name = given, CATALOG_FILE
        catalog_shown = os.path.join(given, CATALOG_FILE)
    else:
        raise CorpusError([f"{given}: no such corpus folder or catalog file"])
    catalog_bytes = _read_regular_file(root, catalog_name, MAX_CATALOG_BYTES, catalog_shown)

    def read_file(name: str) -> bytes:
        return _read_regular_file(root, name, MAX_TEXT_BYTES, os.path.join(given, name))

    return parse_corpus(
        catalog_bytes,
        read_file,
        catalog=catalog_shown,
        base=Corpus.bundled() if base is None else base,
    )
