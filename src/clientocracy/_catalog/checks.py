"""Checking a catalog's values before any record is built: every problem found, with its place."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .._messages import N_, Message, at, joined
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
        # A Message, so that a front end can say it in another language.
        self.lines.append(at(file or self.catalog, at(where, message)))

    def __bool__(self) -> bool:
        return bool(self.lines)


_KINDS = {
    dict: N_("an object"),
    list: N_("a list"),
    str: N_("a string"),
    bool: N_("a boolean"),
    int: N_("a number"),
    float: N_("a number"),
    type(None): "null",
}


def describe(value: object) -> str:
    """What kind of JSON value *value* is, as a message says it: `a list`."""
    kind = _KINDS.get(type(value))
    return type(value).__name__ if kind is None else Message(kind)


#: Where a problem of the catalog as a whole is.
TOP_LEVEL = Message(N_("top level"))


def field(name: str) -> str:
    """Where a problem is: `field 'name'`."""
    return Message(N_("field {name!r}"), name=name)


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
        return Message(N_("expected a string, got {kind}"), kind=describe(value))
    if not value.strip():
        return Message(N_("must not be empty"))
    if kind == "id" and _SPACE.search(value):
        return Message(N_("an id must have no spaces, got {value!r}"), value=value)
    return None


def _check_texts(kind: str, value: object) -> str | None:
    if not isinstance(value, list):
        return Message(N_("expected a list of strings, got {kind}"), kind=describe(value))
    for index, item in enumerate(value):
        problem = _check_text(kind[:-1], item)
        if problem:
            return Message(N_("item {index}: {problem}"), index=index, problem=problem)
    if kind == "ids" and not value:
        return Message(N_("must list at least one id"))
    return None


def _check_int(kind: str, value: object) -> str | None:
    if is_int(value):
        return None
    return Message(N_("expected a whole number, got {kind}"), kind=describe(value))


def _check_list(kind: str, value: object) -> str | None:
    if isinstance(value, list):
        return None
    return Message(N_("expected a list, got {kind}"), kind=describe(value))


def _check_direction(kind: str, value: object) -> str | None:
    if value in ("ltr", "rtl"):
        return None
    return Message(N_("expected 'ltr' or 'rtl', got {value!r}"), value=value)


def _check_country(kind: str, value: object) -> str | None:
    ok = isinstance(value, str) and len(value) == 2 and value.isascii() and value.isupper()
    if ok:
        return None
    return Message(
        N_("expected an ISO 3166-1 alpha-2 code such as 'US', got {value!r}"), value=value
    )


def _check_sha256(kind: str, value: object) -> str | None:
    # Any string passes here: its shape is checked where the file is read
    # (build_sources), so that the message can give the hash that would fit.
    if isinstance(value, str):
        return None
    return Message(N_("expected a string, got {kind}"), kind=describe(value))


def _check_license(kind: str, value: object) -> str | None:
    if not isinstance(value, str):
        return Message(
            N_("expected an SPDX licence expression as a string, got {kind}"),
            kind=describe(value),
        )
    return expression_problem(value)


def _check_names_object(kind: str, value: object) -> str | None:
    if not isinstance(value, dict) or not value:
        return Message(
            N_("expected an object of language id to name, got {kind}"), kind=describe(value)
        )
    for key, name in value.items():
        if not isinstance(name, str) or not name.strip():
            return Message(N_("the name for {key!r} must be a non-empty string"), key=key)
    return None


def _check_span_object(kind: str, value: object) -> str | None:
    if not isinstance(value, dict):
        return Message(N_("expected an object, got {kind}"), kind=describe(value))
    fields = QUOTE_FIELDS if kind == "quote" else SPAN_FIELDS
    unknown = sorted(set(value) - set(fields))
    if unknown:
        return Message(
            N_("unknown field(s) {names}; expected {fields}"),
            names=joined(unknown, ", "),
            fields=joined(list(fields), ", "),
        )
    for name, required in fields.items():
        if name not in value:
            if required:
                return Message(N_("missing field {name!r}"), name=name)
            continue
        item = value[name]
        if name in ("start", "end"):
            if not is_int(item):
                return Message(
                    N_("{name!r} must be a whole number, got {kind}"),
                    name=name,
                    kind=describe(item),
                )
        elif not isinstance(item, str) or not item:
            return Message(N_("{name!r} must be a non-empty string"), name=name)
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
            problems.add(
                TOP_LEVEL,
                Message(N_("missing field {name!r} (a list, possibly empty)"), name=section),
            )
            continue
        if not isinstance(items, list):
            problems.add(
                section,
                Message(N_("expected a list of records, got {kind}"), kind=describe(items)),
            )
            continue
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                problems.add(
                    f"{section}[{index}]",
                    Message(N_("expected an object, got {kind}"), kind=describe(item)),
                )
                continue
            label = record_label(section, index, item)
            ok = check_fields(item, fields, label, problems)
            ident = item.get("id")
            if isinstance(ident, str):
                if ident in seen:
                    first = f"{section}[{seen[ident]}]"
                    problems.add(
                        label,
                        Message(
                            N_("duplicate id {ident!r}, first used by {first}"),
                            ident=ident,
                            first=first,
                        ),
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
            Message(N_("byte {offset}"), offset=error.start),
            Message(N_("not valid UTF-8; save the file as UTF-8")),
            file=file,
        )
        return None
    if not text.strip():
        problems.add(Message(N_("text")), Message(N_("the file is empty")), file=file)
        return None
    return text


def check_span(
    value: Mapping[str, Any], text: str, where: str, field: str, problems: Problems
) -> Span | None:
    start, end = value["start"], value["end"]
    if not 0 <= start < end <= len(text):
        problems.add(
            where,
            Message(
                N_(
                    "field {field!r}: span [{start}, {end}) must be non-empty and within the "
                    "text's {length} characters"
                ),
                field=field,
                start=start,
                end=end,
                length=len(text),
            ),
        )
        return None
    passage = text[start:end]
    begins, ends = value.get("begins"), value.get("ends")
    if begins is not None and not passage.startswith(begins):
        problems.add(
            where,
            Message(
                N_(
                    "field {field!r}: the passage begins {found!r}, "
                    "but the catalog says it begins {begins!r}{hint}"
                ),
                field=field,
                found=passage[: len(begins)],
                begins=begins,
                hint=_nearest_hint(text, value, problems),
            ),
        )
        return None
    if ends is not None and not passage.endswith(ends):
        problems.add(
            where,
            Message(
                N_(
                    "field {field!r}: the passage ends {found!r}, "
                    "but the catalog says it ends {ends!r}{hint}"
                ),
                field=field,
                found=passage[-len(ends) :],
                ends=ends,
                hint=_nearest_hint(text, value, problems),
            ),
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
        if ends is None:
            return Message(N_("; the text has no passage that begins {begins!r}"), begins=begins)
        return Message(
            N_("; the text has no passage that begins {begins!r} and ends {ends!r}"),
            begins=begins,
            ends=ends,
        )
    if ends is None:
        return Message(N_("; the nearest place it does begins at {start}"), start=found[0])
    return Message(
        N_("; the nearest passage that does is [{start}, {end})"), start=found[0], end=found[1]
    )


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
                problems.add(
                    label, Message(N_("the name {name!r} is empty once normalized"), name=name)
                )
                continue
            owner = owners.setdefault(key, ident)
            if owner != ident:
                problems.add(label, Message(_NAMED_TWICE[facet], name=name, owner=owner))


_NAMED_TWICE = {
    "language": N_(
        "the name {name!r} already names the language {owner!r}; a name must resolve to one record"
    ),
    "company": N_(
        "the name {name!r} already names the company {owner!r}; a name must resolve to one record"
    ),
    "principle": N_(
        "the name {name!r} already names the principle {owner!r}; a name must resolve to one record"
    ),
}


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
        p.add(place, Message(N_("expected an object, got {kind}"), kind=describe(item)))
        return False
    if item.keys() <= fields.keys() and all(
        plainly_valid(kind, item[name]) if name in item else not required
        for name, (kind, required) in fields.items()
    ):
        return True
    ok = True
    for name in sorted(set(item) - set(fields)):
        p.add(
            place,
            Message(
                N_("unknown field {name!r}; expected {fields}"),
                name=name,
                fields=joined(list(fields), ", "),
            ),
        )
        ok = False
    for name, (kind, required) in fields.items():
        if name not in item:
            if required:
                p.add(place, Message(N_("missing field {name!r}"), name=name))
                ok = False
            continue
        problem = check_value(kind, item[name])
        if problem:
            p.add(place, Message(N_("field {name!r}: {problem}"), name=name, problem=problem))
            ok = False
    return ok


def short(text: str, width: int = 30) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


Good = list[tuple[str, dict[str, Any]]]
