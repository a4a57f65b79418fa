"""Links from the names that docstrings and pages write in backticks to the API reference.

Docstrings name other objects the way a reader of `help()` wants to see
them, as plain code: `StoryCollection`, `Corpus.search()`, `load()`. Here,
once every page is rendered, such a code span becomes a link to the entry of
the API reference that documents the name, when there is one:

- a capitalised name (a class, a constant) or a dotted one (`Story.text`),
  with or without `()`;
- a lower-case name only when written as a call (`load()`) or in full
  (`clientocracy.load`), so that `stories` the table or `text` the column
  stay plain words.

Code inside a link, a heading or a code block is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_PIECES = re.compile(r"<(/?)(a|pre|h[1-6])\b[^>]*>|<code>([^<]+)</code>")
_NAME = re.compile(r"[A-Za-z_][\w.]*")


def target(code: str, ids: set[str]) -> str | None:
    """The API reference's anchor for the name in *code*, if it documents one."""
    call = code.endswith("()")
    name = code.removesuffix("()")
    full = name.startswith("clientocracy.")
    name = name.removeprefix("clientocracy.")
    if not _NAME.fullmatch(name):
        return None
    if not (call or full or "." in name or name[0].isupper()):
        return None
    anchor = f"clientocracy.{name}"
    return anchor if anchor in ids else None


def link(html: str, ids: set[str], href: Callable[[str], str]) -> str:
    """*html* with each linkable code span wrapped in a link to `href(anchor)`."""
    depth = {"a": 0, "pre": 0, "h": 0}
    out: list[str] = []
    last = 0
    for match in _PIECES.finditer(html):
        tag = match.group(2)
        if tag is not None:
            kind = "h" if tag.startswith("h") else tag
            depth[kind] += -1 if match.group(1) else 1
            depth[kind] = max(depth[kind], 0)
            continue
        if any(depth.values()):
            continue
        anchor = target(match.group(3), ids)
        if anchor is None:
            continue
        out.append(html[last : match.start()])
        out.append(f'<a href="{href(anchor)}" class="autorefs">{match.group(0)}</a>')
        last = match.end()
    out.append(html[last:])
    return "".join(out)
