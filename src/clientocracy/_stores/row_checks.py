"""Checking the values of a compiled file's rows before records are made of them.

A compiled file is input like any catalog: each value a record is made from
is checked here for its type, its range and its size, as the JSON loader
checks a catalog's. A problem raises `RowProblem` with what is wrong; the
store adds which file, table and row it is in.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from .._io.strict_json import MAX_STRING_CHARS
from .._records import CHANNELS
from .._spdx import MAX_LICENSE_CHARS, expression_problem

__all__ = [
    "MAX_JSON_CHARS",
    "MAX_POSITION",
    "RowProblem",
    "channel",
    "count",
    "country",
    "direction",
    "ident",
    "json_names",
    "json_texts",
    "position",
    "sha256",
    "text",
]

#: The most characters of one JSON column (the titles of a story in every
#: language, say): as many strings as a story may have languages, each of
#: the most characters a catalog's string may have.
MAX_JSON_CHARS = 256 * MAX_STRING_CHARS
#: The largest position or offset a compiled file may hold: the most
#: characters of a source text, and more stories than any corpus may hold.
MAX_POSITION = 2**31 - 1

_SPACE = re.compile(r"\s")
_DECODER = json.JSONDecoder()
_SHA256 = re.compile(r"[0-9a-f]{64}")


class RowProblem(ValueError):
    """What is wrong with a value of a row; the store says where."""


def _kind(value: object) -> str:
    if value is None:
        return "NULL"
    return {str: "text", int: "an integer", float: "a real", bytes: "a blob"}.get(
        type(value), type(value).__name__
    )


def text(value: object, column: str, *, optional: bool = False, limit: int = 0) -> Any:
    """*value* if it is a non-empty string of at most *limit* characters."""
    if value is None and optional:
        return None
    if type(value) is not str:
        raise RowProblem(f"column {column}: expected text, got {_kind(value)}")
    if not value.strip():
        raise RowProblem(f"column {column}: must not be empty")
    if len(value) > (limit or MAX_STRING_CHARS):
        raise RowProblem(
            f"column {column}: {len(value)} characters, over the limit of "
            f"{limit or MAX_STRING_CHARS}"
        )
    return value


def ident(value: object, column: str) -> str:
    """*value* if it is an id: non-empty text without white space."""
    found: str = text(value, column)
    if _SPACE.search(found):
        raise RowProblem(f"column {column}: an id must have no spaces, got {found[:60]!r}")
    return found


def position(value: object, column: str, *, optional: bool = False, high: int = 0) -> Any:
    """*value* if it is an integer in ``0 ≤ value ≤ high`` (MAX_POSITION by default)."""
    if value is None and optional:
        return None
    if type(value) is not int:
        raise RowProblem(f"column {column}: expected an integer, got {_kind(value)}")
    if not 0 <= value <= (high or MAX_POSITION):
        raise RowProblem(f"column {column}: {value} is out of range (0 to {high or MAX_POSITION})")
    return value


def count(value: object, column: str) -> int:
    """*value* if it is a count, given as decimal text or as an integer."""
    if type(value) is str and value.isascii() and value.isdigit() and len(value) <= 10:
        value = int(value)
    found: int = position(value, column)
    return found


def sha256(value: object, column: str) -> str:
    """*value* if it is 64 lowercase hexadecimal digits."""
    if type(value) is not str or not _SHA256.fullmatch(value):
        raise RowProblem(f"column {column}: expected 64 lowercase hexadecimal digits")
    return value


def direction(value: object, column: str) -> Literal["ltr", "rtl"]:
    if value == "ltr":
        return "ltr"
    if value == "rtl":
        return "rtl"
    raise RowProblem(f"column {column}: expected 'ltr' or 'rtl'")


def country(value: object, column: str) -> str:
    ok = type(value) is str and len(value) == 2 and value.isascii() and value.isupper()
    if not ok:
        raise RowProblem(f"column {column}: expected an ISO 3166-1 alpha-2 code such as 'US'")
    return str(value)


def license(value: object, column: str) -> str | None:
    """*value* if it is NULL or an SPDX licence expression."""
    if value is None:
        return None
    found: str = text(value, column, limit=MAX_LICENSE_CHARS)
    problem = expression_problem(found)
    if problem:
        raise RowProblem(f"column {column}: {problem}")
    return found


def channel(value: object, column: str) -> str | None:
    if value is not None and value not in CHANNELS:
        raise RowProblem(f"column {column}: expected one of {', '.join(CHANNELS)} or NULL")
    return None if value is None else str(value)


def _json(value: object, column: str) -> Any:
    if type(value) is not str:
        raise RowProblem(f"column {column}: expected JSON text, got {_kind(value)}")
    if len(value) > MAX_JSON_CHARS:
        raise RowProblem(f"column {column}: over the limit of {MAX_JSON_CHARS} characters")
    try:
        found, end = _DECODER.raw_decode(value)
    except (ValueError, RecursionError):
        end = -1
    if end != len(value):  # compile writes no white space around JSON
        raise RowProblem(f"column {column}: not valid JSON of the expected shape")
    return found


def json_texts(value: object, column: str) -> tuple[str, ...]:
    """The strings of a JSON list of non-empty strings."""
    found = _json(value, column)
    if not isinstance(found, list):
        raise RowProblem(f"column {column}: expected a JSON list of strings")
    for item in found:
        text(item, column)
    return tuple(found)


def json_names(
    value: object, column: str, required: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    """The pairs of a JSON object of language id to non-empty text, which has *required*."""
    found = _json(value, column)
    if not isinstance(found, dict) or not found:
        raise RowProblem(f"column {column}: expected a JSON object of language id to text")
    for key, item in found.items():
        # The checks of ident() and text(), inline: this runs for every story.
        plain = (
            type(item) is str
            and 0 < len(item) <= MAX_STRING_CHARS
            and not item.isspace()
            and 0 < len(key) <= MAX_STRING_CHARS
            and not _SPACE.search(key)
        )
        if not plain:
            ident(key, f"{column} (a language id)")
            text(item, column)
    missing = [tag for tag in required if tag not in found]
    if missing:
        raise RowProblem(f"column {column}: has no text in {', '.join(map(repr, missing))}")
    return tuple(found.items())
