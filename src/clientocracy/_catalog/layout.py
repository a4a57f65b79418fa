"""The text of a catalog file: one stable layout, so that a corpus kept in git diffs well.

Keys come in the order the format documents them, whatever order the data
had; records are indented by two spaces, one field a line; a value made of
plain values only (a span, a list of aliases, a title in three languages)
stays on one line when it fits, so that changing it changes one line.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["catalog_json", "ordered"]

_WIDTH = 120

# The documented order of each kind of record's fields; keys not listed
# (which the loader refuses anyway) follow in their own order.
_TOP = ("format", "version", "languages", "companies", "principles", "sources", "stories")
_SPAN = ("source", "start", "end", "begins", "ends")
_RECORDS = {
    "languages": ("id", "name", "native_name", "direction", "aliases"),
    "companies": ("id", "name", "aliases", "industry", "country"),
    "principles": ("id", "names", "aliases", "definition", "statement"),
    "sources": (
        "id", "file", "sha256", "language", "title", "title_en", "origin", "origin_url",
        "origin_span", "tags", "license", "rights",
    ),
    "stories": (
        "id", "source", "span", "company", "principles", "title", "title_en", "summary",
        "channel", "translations",
    ),
}  # fmt: skip
_TRANSLATION = ("language", "translator", "review", "license", "segments")
_SEGMENT = ("start", "end", "begins", "ends", "text")
_SPANS = ("statement", "origin_span", "span")


def _in_order(value: Any, order: tuple[str, ...]) -> Any:
    if not isinstance(value, dict):
        return value
    rank = {key: index for index, key in enumerate(order)}
    return dict(sorted(value.items(), key=lambda item: rank.get(item[0], len(rank))))


def _record(section: str, record: Any) -> Any:
    record = _in_order(record, _RECORDS[section])
    if not isinstance(record, dict):
        return record
    for key in _SPANS:
        if key in record:
            record[key] = _in_order(record[key], _SPAN)
    if isinstance(record.get("translations"), list):
        record["translations"] = [_translation(t) for t in record["translations"]]
    return record


def _translation(translation: Any) -> Any:
    translation = _in_order(translation, _TRANSLATION)
    if isinstance(translation, dict) and isinstance(translation.get("segments"), list):
        translation["segments"] = [_in_order(s, _SEGMENT) for s in translation["segments"]]
    return translation


def ordered(catalog: dict[str, Any]) -> dict[str, Any]:
    """A copy of *catalog* with every record's keys in the documented order."""
    top = _in_order(catalog, _TOP)
    for section in _RECORDS:
        if isinstance(top.get(section), list):
            top[section] = [_record(section, r) for r in top[section]]
    return dict(top)


def _flat(value: Any) -> bool:
    """Whether *value* is a plain value, or a list or object of plain values only."""
    if isinstance(value, dict):
        return all(not isinstance(v, dict | list) for v in value.values())
    if isinstance(value, list):
        return all(not isinstance(v, dict | list) for v in value)
    return True


def _one_line(value: Any) -> str:
    if isinstance(value, dict):
        inner = ", ".join(f"{_one_line(k)}: {_one_line(v)}" for k, v in value.items())
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_one_line(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _lines(value: Any, indent: int, prefix: str, out: list[str]) -> None:
    pad = " " * indent
    if _flat(value):
        line = pad + prefix + _one_line(value)
        # A field of plain values stays on one line if it fits; the items
        # of a list of records are always laid out field by field.
        if len(line) <= _WIDTH or not isinstance(value, dict | list) or not value:
            out.append(line)
            return
    opening, closing = ("{", "}") if isinstance(value, dict) else ("[", "]")
    out.append(pad + prefix + opening)
    items: list[tuple[str, Any]]
    if isinstance(value, dict):
        items = [(json.dumps(k, ensure_ascii=False) + ": ", v) for k, v in value.items()]
    else:
        items = [("", v) for v in value]
    for index, (key, item) in enumerate(items):
        _lines(item, indent + 2, key, out)
        if index < len(items) - 1:
            out[-1] += ","
    out.append(pad + closing)


def catalog_json(catalog: dict[str, Any]) -> str:
    """The text of the catalog file for *catalog*, ending with a newline.

    It is JSON that decodes to *catalog* again (only the order of keys may
    differ).
    """
    out: list[str] = []
    _lines(ordered(catalog), 0, "", out)
    return "\n".join(out) + "\n"
