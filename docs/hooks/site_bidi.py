"""Bidirectional isolation of every page's text: one mechanism for the whole site.

A run of Persian inside English prose (or of English inside Persian) that is
not isolated takes part in the surrounding paragraph's bidi resolution: the
neutral characters around it — arrows, commas, brackets, spaces — are
reordered with it, so that `ي → ی` shows with the arrow pointing the wrong
way and a list of Persian examples runs backwards. Each such run is wrapped
here in `<bdi>`, which the browser lays out on its own and places as one
unit in the line.

The rewrite works on the HTML that Markdown and mkdocstrings produced, so
it covers hand-written pages, docstrings and generated pages alike. It
knows the direction of every element from the `dir` attributes on the way
down; an element that already isolates (`<bdi>`, `dir="auto"`) is left
alone, and so is text that cannot hold markup (scripts, styles, attribute
values).
"""

from __future__ import annotations

import re

# Arabic-script letters, marks, digits and punctuation (U+0600 to U+06FF and
# the supplement and presentation-form blocks), joined through ZWNJ/ZWJ and
# through spaces between two such characters. «» go in with the run when they
# enclose it: inside the isolate they mirror as Persian quotation marks do.
_ARABIC = r"\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF"
_ARABIC_RUN = re.compile(rf"«?[{_ARABIC}](?:[{_ARABIC}\u200c\u200d]|[ \u00a0]+(?=[{_ARABIC}]))*»?")
# Left-to-right words (Latin, Cyrillic, Greek letters and ASCII digits),
# joined through the spaces, apostrophes, dots and hyphens between them.
_LTR = r"A-Za-z0-9\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF"
# A character reference (`&para;`, `&#39;`) comes first, so that it is kept whole.
_LTR_RUN = re.compile(rf"&#?\w+;|[{_LTR}](?:[{_LTR}]|[ \u00a0'’.\-_/]+(?=[{_LTR}]))*")

# Tags, comments and declarations; an attribute value may hold ">".
_MARKUP = re.compile(r"""(<!--.*?-->|<!\[CDATA\[.*?\]\]>|<(?:[^>"']|"[^"]*"|'[^']*')*>)""", re.S)
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)")
_DIR = re.compile(r"""\sdir\s*=\s*["']?(ltr|rtl|auto)""", re.I)
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)
# Text in these is not laid out as inline text, or cannot hold markup.
_OPAQUE = frozenset({"script", "style", "textarea", "title", "svg", "math", "head"})
_ISOLATES = frozenset({"bdi", "bdo"})


def isolate(html: str, direction: str = "ltr") -> str:
    """*html* with every run of the other direction's script wrapped in `<bdi>`.

    *direction* is that of the element the HTML is put into.
    """
    out: list[str] = []
    # (tag, direction): "ltr", "rtl", or None where the text is left alone.
    stack: list[tuple[str, str | None]] = [("", direction)]
    for piece in _MARKUP.split(html):
        if not piece:
            continue
        if piece.startswith("<"):
            out.append(piece)
            _follow(piece, stack)
            continue
        context = stack[-1][1]
        if context == "ltr":
            out.append(_ARABIC_RUN.sub(_wrap, piece))
        elif context == "rtl":
            out.append(_LTR_RUN.sub(_wrap, piece))
        else:
            out.append(piece)
    return "".join(out)


def _wrap(match: re.Match[str]) -> str:
    run = match.group(0)
    return run if run.startswith("&") else f"<bdi>{run}</bdi>"


def _follow(markup: str, stack: list[tuple[str, str | None]]) -> None:
    """Keep *stack* (the open elements and their direction) in step with *markup*."""
    tag = _TAG.match(markup)
    if tag is None:  # a comment or a declaration
        return
    closing, name = tag.group(1) == "/", tag.group(2).lower()
    if closing:
        for depth in range(len(stack) - 1, 0, -1):
            if stack[depth][0] == name:
                del stack[depth:]
                break
        return
    if name in _VOID or markup.rstrip(">").rstrip().endswith("/"):
        return
    context = stack[-1][1]
    if name in _OPAQUE or name in _ISOLATES or context is None:
        stack.append((name, None))
        return
    found = _DIR.search(markup)
    if found is None:
        stack.append((name, context))
    else:
        value = found.group(1).lower()
        stack.append((name, None if value == "auto" else value))
