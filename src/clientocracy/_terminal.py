"""Printing data to a terminal safely: no escapes, no bidi tricks, tidy wrapping."""

from __future__ import annotations

import os
import re
from typing import TextIO

__all__ = ["Style", "neutralize", "one_line", "wrap"]

# C0 and C1 controls (ESC among them), DEL, and the Unicode characters that
# override or isolate the bidirectional order of what follows them. Text
# from a user's corpus could otherwise recolour the terminal, move the
# cursor, or display one thing while meaning another.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def neutralize(text: str) -> str:
    """Show control and bidi-override characters as visible escapes (`\\x1b`).

    Newlines and tabs are kept; everything else in `_UNSAFE` becomes
    printable text, so it can be seen but has no effect.
    """
    return _UNSAFE.sub(_escape, text)


def one_line(text: str) -> str:
    """Neutralize *text* and fold its white space onto one line (table cells)."""
    return " ".join(neutralize(text).split())


def wrap(text: str, width: int, indent: str = "") -> str:
    """Wrap each paragraph of *text* to *width* columns without breaking words.

    Paragraphs are separated by blank lines; Persian text is kept in logical
    order, since the terminal applies its own bidirectional layout.
    """
    import textwrap

    def fill(line: str) -> str:
        return textwrap.fill(
            " ".join(line.split()),
            width=max(width, 20),
            initial_indent=indent,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )

    paragraphs = re.split(r"\n[ \t\u00a0]*\n\s*", neutralize(text).strip())
    return "\n\n".join(
        "\n".join(fill(line) for line in paragraph.splitlines() if line.strip())
        for paragraph in paragraphs
        if paragraph.strip()
    )


class Style:
    """ANSI styling, on only for a terminal and never with `NO_COLOR` set."""

    def __init__(self, stream: TextIO) -> None:
        self.enabled = (
            stream.isatty()
            and not os.environ.get("NO_COLOR")
            and os.environ.get("TERM", "") != "dumb"
        )

    def codes(self, code: str) -> tuple[str, str]:
        """The escape sequences that turn SGR *code* on and off (empty when disabled)."""
        return (f"\x1b[{code}m", "\x1b[0m") if self.enabled else ("", "")

    def _wrap(self, code: str, text: str) -> str:
        on, off = self.codes(code)
        return f"{on}{text}{off}"

    def bold(self, text: str) -> str:
        """Return *text* in bold."""
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        """Return *text* dimmed."""
        return self._wrap("2", text)

    def accent(self, text: str) -> str:
        """Return *text* highlighted."""
        return self._wrap("1;36", text)
