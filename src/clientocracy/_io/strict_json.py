"""Decoding a catalog's bytes into data, strictly and at a bounded cost.

Python's `json.loads` is lenient where a catalog must not be: the last
of two equal keys silently wins, `NaN` and `Infinity` are accepted, a
`\\ud800` escape becomes a string that cannot be written back out as UTF-8,
and a file of a hundred million `{}` is turned into as many dictionaries
before anything looks at it. `decode_catalog` refuses all of these,
each with the place it was found, and checks the catalog's size in records
and the length of its strings, so that what loading costs stays in
proportion to what a valid corpus of that size would cost.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .._errors import CorpusError
from .._messages import N_, Message, at

__all__ = [
    "BYTES_PER_CONTAINER",
    "MAX_RECORDS",
    "MAX_STRING_CHARS",
    "MIN_CONTAINERS",
    "decode_catalog",
]

#: The most records (languages, companies, principles, sources and stories
#: together) one catalog may hold.
MAX_RECORDS = 2_000_000
#: The most characters in one string of a catalog (an id, a title, a summary…).
#: The texts themselves are files of their own, limited by size.
MAX_STRING_CHARS = 65_536
#: A catalog file may have one `{` or `[` per this many of its bytes, on
#: average (counted on the bytes before parsing, inside strings too), plus
#: `MIN_CONTAINERS`. Valid catalogs have one per 150 to 250 bytes; a
#: file of nothing but `{}` has one per 1.5, and parsing it would cost 25
#: times its size.
BYTES_PER_CONTAINER = 16
#: The objects and lists any catalog may have, however small.
MIN_CONTAINERS = 1024

# A \uD800-\uDFFF escape: the only way a lone surrogate gets into a string,
# since the bytes are strict UTF-8. Pairs are joined by the decoder; what is
# left alone is refused below. Most catalogs have none, and skip that check.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_NOT_CONSTANT = ("NaN", "Infinity", "-Infinity")
# A quote and more characters than a string may have before the next quote,
# by the limit it was made for (the limit is read when a catalog is decoded).
# The search jumps from quote to quote, so it costs one pass over the text.
_LONG_AFTER_QUOTE: dict[int, re.Pattern[str]] = {}


class _Duplicates(dict[str, Any]):
    """An object that repeated keys: its data and the keys it repeated."""

    repeated: tuple[str, ...] = ()


class _Decoding:
    """The hooks of one decode: they note what needs a closer look, cheaply.

    The object hook runs for every object of a catalog that may hold
    millions, so it only flags; `_check` then finds and names the
    places, on the rare catalog that has something to report.
    """

    def __init__(self) -> None:
        self.suspect = False

    def keys_only(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        """`object` for a text known to hold no overlong string: duplicates only."""
        data = dict(pairs)
        if len(data) != len(pairs):
            return self.object(pairs)
        return data

    def object(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        data = dict(pairs)
        if len(data) != len(pairs):
            marked = _Duplicates(data)
            seen: set[str] = set()
            repeated: list[str] = []
            for key, _ in pairs:
                if key in seen and key not in repeated:
                    repeated.append(key)
                seen.add(key)
            marked.repeated = tuple(repeated)
            self.suspect = True
            return marked
        if not data:
            return data
        if max(map(len, data)) > MAX_STRING_CHARS:
            self.suspect = True
        for value in data.values():
            kind = type(value)
            if kind is str:
                if len(value) > MAX_STRING_CHARS:
                    self.suspect = True
            elif kind is list:
                for item in value:
                    if type(item) is str and len(item) > MAX_STRING_CHARS:
                        self.suspect = True
        return data

    def constant(self, name: str) -> _NotANumber:
        self.suspect = True
        return _NotANumber(name)


class _NotANumber(str):
    """Where the file says NaN, Infinity or -Infinity, which JSON does not have."""

    __slots__ = ()


def decode_catalog(data: bytes, *, catalog: str) -> Any:
    """Decode the bytes of a catalog file into data, or raise `CorpusError`.

    *catalog* names the file in problem messages. Refused, with where: bytes
    that are not UTF-8 (a byte-order mark is skipped), an empty file, more
    more brackets than `BYTES_PER_CONTAINER` allows, invalid JSON, `NaN` and
    `Infinity`, a key repeated in one object, a lone surrogate escape, a
    string over `MAX_STRING_CHARS` characters, and more than
    `MAX_RECORDS` records.
    """

    def refuse(where: str, message: str) -> CorpusError:
        return CorpusError([at(catalog, at(where, message))])

    top_level = Message(N_("top level"))

    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    # Counted on the bytes, in C, before anything is built: the objects and
    # lists a parse would create are what makes a tiny file cost gigabytes.
    containers = data.count(b"{") + data.count(b"[")
    allowed = len(data) // BYTES_PER_CONTAINER + MIN_CONTAINERS
    if containers > allowed:
        raise refuse(
            "top level",
            f"{containers:,} objects and lists (counting every '{{' and '['), over the limit "
            f"of {allowed:,} for a file of {len(data):,} bytes (one per "
            f"{BYTES_PER_CONTAINER} bytes, and {MIN_CONTAINERS:,} more)",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise refuse(
            Message(N_("byte {offset}"), offset=error.start),
            Message(N_("not valid UTF-8; save the file as UTF-8")),
        ) from None
    if not text.strip():
        raise refuse(Message(N_("text")), Message(N_("the file is empty")))
    try:
        decoding = _Decoding()
        hook = decoding.keys_only if _no_long_strings(text) else decoding.object
        value = json.loads(text, object_pairs_hook=hook, parse_constant=decoding.constant)
    except json.JSONDecodeError as error:
        raise refuse(
            Message(N_("line {line}, column {column}"), line=error.lineno, column=error.colno),
            Message(N_("not valid JSON: {reason}"), reason=error.msg),
        ) from None
    except RecursionError:
        raise refuse(top_level, Message(N_("nesting is too deep to be a catalog"))) from None
    except ValueError as error:  # e.g. an integer with more digits than Python converts
        raise refuse("top level", f"not a usable JSON value: {error}") from None
    if isinstance(value, dict):
        records = sum(len(v) for v in value.values() if isinstance(v, list))
        if records > MAX_RECORDS:
            raise refuse(
                top_level,
                Message(
                    N_("{records:,} records, over the limit of {limit:,} for one catalog"),
                    records=records,
                    limit=MAX_RECORDS,
                ),
            )
    surrogates = bool(_SURROGATE_ESCAPE.search(data))
    if not (decoding.suspect or surrogates or not isinstance(value, dict)):
        return value
    problems = _check(value, catalog, surrogates=surrogates)
    if problems:
        raise CorpusError(problems)
    return value


def _no_long_strings(text: str) -> bool:
    """Whether *text*, surely, has no string over `MAX_STRING_CHARS` characters.

    A string of JSON decodes to at most as many characters as it has
    between its quotes, so if no stretch of the text between two `"` is
    that long, no string is; an escaped quote (`\\"`) breaks that reasoning,
    so a text with one gets no answer here. No means: look at every string.
    """
    if len(text) <= MAX_STRING_CHARS:
        return True
    if '\\"' in text:
        return False
    long = _LONG_AFTER_QUOTE.get(MAX_STRING_CHARS)
    if long is None:
        long = _LONG_AFTER_QUOTE[MAX_STRING_CHARS] = re.compile(f'"[^"]{{{MAX_STRING_CHARS + 1}}}')
    return long.search(text) is None


def _place(path: tuple[str | int, ...], value: Any) -> str:
    """Where *path* is, in the words of loading's problems: `stories[3] ('id'): field 'x'`."""
    if not path:
        return "top level"
    head, rest = path[0], path[1:]
    if not rest:
        return f"field {head!r}"
    label = f"{head}[{rest[0]}]"
    record = None
    section = value.get(head) if isinstance(value, dict) else None
    if isinstance(section, list) and isinstance(rest[0], int):
        record = section[rest[0]]
    if isinstance(record, dict) and isinstance(record.get("id"), str):
        label += f" ({record['id']!r})"
    if len(rest) > 1:
        inner = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest[2:])
        label += f": field {rest[1]!r}" + (f" ({inner.lstrip('.')})" if inner else "")
    return label


def _check(value: Any, catalog: str, *, surrogates: bool) -> list[str]:
    """Every repeated key, lone surrogate, overlong string and excess of records."""
    problems: list[str] = []

    def add(path: tuple[str | int, ...], message: str) -> None:
        problems.append(f"{catalog}: {_place(path, value)}: {message}")

    # An explicit stack: a catalog's depth is whatever its author wrote.
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), value)]
    while stack and len(problems) < 100:
        path, item = stack.pop()
        if isinstance(item, _NotANumber):
            add(path, f"{item} is not a JSON number; write a number or null")
        elif isinstance(item, str):
            if len(item) > MAX_STRING_CHARS:
                add(
                    path,
                    f"{len(item):,} characters, over the limit of {MAX_STRING_CHARS:,} "
                    "for one string",
                )
            elif surrogates and not _encodable(item):
                add(path, "a lone surrogate escape (\\ud800-\\udfff); it is not a character")
        elif isinstance(item, dict):
            if isinstance(item, _Duplicates):
                for key in item.repeated:
                    add(path, f"the key {key!r} appears twice; an object must not repeat a key")
            for key, child in item.items():
                if surrogates and not _encodable(key):
                    add(path, "a key with a lone surrogate escape (\\ud800-\\udfff)")
                if len(key) > MAX_STRING_CHARS:
                    add(path, f"a key of {len(key):,} characters")
                if isinstance(child, str | dict | list):
                    stack.append(((*path, key), child))
        elif isinstance(item, list):
            stack.extend(
                ((*path, index), child)
                for index, child in enumerate(item)
                if isinstance(child, str | dict | list)
            )
    problems.sort()
    return problems


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
