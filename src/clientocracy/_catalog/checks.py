"""Checking a catalog's values before any record is built: every problem found, with its place."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .._normalize import name_key
from .._records import (
    Span,
)
from .._spdx import expression_problem
from .._stores.memory import Store
from .anchors import between, nearest, occurrences
from .format import FIELDS, QUOTE_FIELDS, SECTIONS, SPAN_FIELDS

if TYPE_CHECKING:
    pass


class Problems:
    """Collects problems as `file: where: field: what` lines."""

    def __init__(self, catalog: str) -> None:
        self.catalog = catalog
        self.lines: list[str] = []
        # Hints (where a drifted span would fit) search the whole text: a
        # catalog of a million drifted spans gets them for its first few.
        self.hints_left = 20

    def add(self, where: str, message: str, *, file: str | None = None) -> None:
        self.lines.append(f"{file or self.catalog}: {where}: {message}")

    def __bool__(self) -> bool:
        return bool(self.lines)


def describe(value: object) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_SPACE = re.compile(r"\s")


def check_value(kind: str, value: object) -> str | None:
    """Return what is wrong with *value* for a field of *kind*, or None.

    A kind ending in `?` also accepts null.
    """
    if kind.endswith("?"):
        if value is None:
            return None
        kind = kind[:-1]
    return _CHECKERS[kind](kind, value)


def _check_text(kind: str, value: object) -> str | None:
    if not isinstance(value, str):
        return f"expected a string, got {describe(value)}"
    if not value.strip():
        return "must not be empty"
    if kind == "id" and _SPACE.search(value):
        return f"an id must have no spaces, got {value!r}"
    return None


def _check_texts(kind: str, value: object) -> str | None:
    if not isinstance(value, list):
        return f"expected a list of strings, got {describe(value)}"
    for index, item in enumerate(value):
        problem = _check_text(kind[:-1], item)
        if problem:
            return f"item {index}: {problem}"
    if kind == "ids" and not value:
        return "must list at least one id"
    return None


def _check_int(kind: str, value: object) -> str | None:
    return None if is_int(value) else f"expected a whole number, got {describe(value)}"


def _check_list(kind: str, value: object) -> str | None:
    return None if isinstance(value, list) else f"expected a list, got {describe(value)}"


def _check_direction(kind: str, value: object) -> str | None:
    return None if value in ("ltr", "rtl") else f"expected 'ltr' or 'rtl', got {value!r}"


def _check_country(kind: str, value: object) -> str | None:
    ok = isinstance(value, str) and len(value) == 2 and value.isascii() and value.isupper()
    return None if ok else f"expected an ISO 3166-1 alpha-2 code such as 'US', got {value!r}"


def _check_sha256(kind: str, value: object) -> str | None:
    # Any string passes here: its shape is checked where the file is read
    # (build_sources), so that the message can give the hash that would fit.
    return None if isinstance(value, str) else f"expected a string, got {describe(value)}"


def _check_license(kind: str, value: object) -> str | None:
    if not isinstance(value, str):
        return f"expected an SPDX licence expression as a string, got {describe(value)}"
    return expression_problem(value)


def _check_names_object(kind: str, value: object) -> str | None:
    if not isinstance(value, dict) or not value:
        return f"expected an object of language id to name, got {describe(value)}"
    for key, name in value.items():
        if not isinstance(name, str) or not name.strip():
            return f"the name for {key!r} must be a non-empty string"
    return None


def _check_span_object(kind: str, value: object) -> str | None:
    if not isinstance(value, dict):
        return f"expected an object, got {describe(value)}"
    fields = QUOTE_FIELDS if kind == "quote" else SPAN_FIELDS
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
            if not is_int(item):
                return f"{name!r} must be a whole number, got {describe(item)}"
        elif not isinstance(item, str) or not item:
            return f"{name!r} must be a non-empty string"
    return None


# The checker of each kind of field that the format's field tables name.
_CHECKERS: dict[str, Callable[[str, object], str | None]] = {
    "text": _check_text,
    "id": _check_text,
    "texts": _check_texts,
    "ids": _check_texts,
    "int": _check_int,
    "list": _check_list,
    "direction": _check_direction,
    "country": _check_country,
    "sha256": _check_sha256,
    "license": _check_license,
    "names": _check_names_object,
    "span": _check_span_object,
    "quote": _check_span_object,
}


def record_label(section: str, index: int, item: Mapping[str, Any]) -> str:
    ident = item.get("id")
    if isinstance(ident, str):
        return f"{section}[{index}] ({ident!r})"
    return f"{section}[{index}]"


FACET_OF = {
    "languages": "language",
    "companies": "company",
    "principles": "principle",
    "sources": "source",
    "stories": "story",
}


def check_records(
    catalog: Mapping[str, Any], version: int, problems: Problems, broken: set[tuple[str, str]]
) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Check the shape of every record; return the well-formed ones by section.

    The ids of malformed records go into *broken*, so that references to them
    are not reported a second time as references to nothing.
    """
    good: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for section in SECTIONS:
        fields = FIELDS[version][section]
        items = catalog.get(section)
        good[section] = []
        if section not in catalog:
            problems.add("top level", f"missing field {section!r} (a list, possibly empty)")
            continue
        if not isinstance(items, list):
            problems.add(section, f"expected a list of records, got {describe(items)}")
            continue
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                problems.add(f"{section}[{index}]", f"expected an object, got {describe(item)}")
                continue
            label = record_label(section, index, item)
            ok = check_fields(item, fields, label, problems)
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
                broken.add((FACET_OF[section], ident))
    return good


def decode_text(data: bytes, file: str, problems: Problems) -> str | None:
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


def check_span(
    value: Mapping[str, Any], text: str, where: str, field: str, problems: Problems
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
            f"but the catalog says it begins {begins!r}{_nearest_hint(text, value, problems)}",
        )
        return None
    if ends is not None and not passage.endswith(ends):
        problems.add(
            where,
            f"field {field!r}: the passage ends {passage[-len(ends) :]!r}, "
            f"but the catalog says it ends {ends!r}{_nearest_hint(text, value, problems)}",
        )
        return None
    return Span(start=start, end=end)


def _nearest_hint(text: str, value: Mapping[str, Any], problems: Problems) -> str:
    """Where the span would fit: the nearest passage with its `begins` and `ends`."""
    begins, ends = value.get("begins"), value.get("ends")
    if begins is None or problems.hints_left <= 0:
        return ""
    problems.hints_left -= 1
    places = between(text, begins, ends) if ends is not None else occurrences(text, begins)
    found = nearest(places, value["start"])
    if found is None:
        return f"; the text has no passage that begins {begins!r}" + (
            f" and ends {ends!r}" if ends is not None else ""
        )
    if ends is None:
        return f"; the nearest place it does begins at {found[0]}"
    return f"; the nearest passage that does is [{found[0]}, {found[1]})"


def _check_names(
    facet: str,
    entries: Iterable[tuple[str, str, tuple[str, ...]]],
    problems: Problems,
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


def check_names(store: Store, problems: Problems) -> None:
    """Check that no name of a facet resolves to two records of *store*."""

    def place(facet: str, id: str) -> str:
        return store.place(facet, id) or "(built in code)"

    languages, companies, principles = store.vocabularies()
    _check_names(
        "language", ((place("language", r.id), r.id, r.names) for r in languages), problems
    )
    _check_names("company", ((place("company", r.id), r.id, r.names) for r in companies), problems)
    _check_names(
        "principle",
        ((place("principle", r.id), r.id, r.all_names) for r in principles),
        problems,
    )


def plainly_valid(kind: str, value: Any) -> bool:
    """Whether *value* is, at a glance, a good value of *kind* (no means: look closer).

    The common cases of `check_value`, checked with as little work as
    possible: a large catalog has a million values to check, nearly all
    of them fine. Anything unusual goes to `check_value`, which says what
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


def check_fields(
    item: object, fields: Mapping[str, tuple[str, bool]], place: str, p: Problems
) -> bool:
    """Check that *item* is an object whose fields are *fields*, reporting every problem."""
    if not isinstance(item, dict):
        p.add(place, f"expected an object, got {describe(item)}")
        return False
    if item.keys() <= fields.keys() and all(
        plainly_valid(kind, item[name]) if name in item else not required
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
        problem = check_value(kind, item[name])
        if problem:
            p.add(place, f"field {name!r}: {problem}")
            ok = False
    return ok


def short(text: str, width: int = 30) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


Good = list[tuple[str, dict[str, Any]]]
