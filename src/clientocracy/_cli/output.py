"""Printing data to a terminal safely: no escapes, no bidi tricks, tidy wrapping.

Every line the command prints for people goes through an `Output`,
which neutralizes each piece of text it is given; the only escape sequences
that reach a terminal are the styles `Output` adds itself. A command
is handed an `Output`, never the stream, so printing data raw is not
something it can do by mistake.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import TextIO

from .i18n import _

__all__ = [
    "MARK_OFF",
    "MARK_ON",
    "Marked",
    "Output",
    "OutputError",
    "Styled",
    "fill_words",
    "neutralize",
    "one_line",
    "unmark",
    "wrap",
]

# C0 and C1 controls (ESC among them), DEL, the Unicode characters that
# override or isolate the bidirectional order of what follows them, the
# bidi marks, and lone surrogates (from undecodable bytes in arguments or
# file names). Text from a user's corpus or command line could otherwise
# recolour the terminal, move the cursor, or display one thing while meaning
# another. ZWNJ and ZWJ (U+200C, U+200D) are not among them: Persian needs them.
#
# One pattern with every one of them cost each command more to compile than
# its output takes to write, so the controls are found by a pattern of
# Latin-1 characters (cheap to compile), the bidi characters by a table, and
# lone surrogates, the only characters UTF-8 cannot encode, only in a text
# that does not encode. A test holds the result to that of the one pattern.
_UNSAFE_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_BIDI_ESCAPES = {ord(char): f"\\u{ord(char):04x}" for char in _BIDI_CONTROLS}
_SURROGATES = "[\ud800-\udfff]"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def neutralize(text: str) -> str:
    """Show control and bidi-override characters as visible escapes (`\\x1b`).

    Newlines and tabs are kept; every other control character, bidi control
    and lone surrogate becomes printable text, so it can be seen but has no
    effect.
    """
    text = _UNSAFE_CONTROLS.sub(_escape, text)
    if text.isascii():
        return text
    text = text.translate(_BIDI_ESCAPES)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = re.sub(_SURROGATES, _escape, text)
    return text


def one_line(text: str) -> str:
    """Neutralize *text* and fold its white space onto one line (table cells)."""
    return " ".join(neutralize(text).split())


def wrap(text: str, width: int, indent: str = "") -> str:
    """Wrap each paragraph of *text* to *width* columns without breaking words.

    Paragraphs are separated by blank lines; Persian text is kept in logical
    order, since the terminal applies its own bidirectional layout.
    """
    width = max(width, 20)
    paragraphs = re.split(r"\n[ \t\u00a0]*\n\s*", neutralize(text).strip())
    return "\n\n".join(
        "\n".join(
            fill_words(line.split(), width, indent)
            for line in paragraph.splitlines()
            if line.strip()
        )
        for paragraph in paragraphs
        if paragraph.strip()
    )


def fill_words(words: list[str], width: int, indent: str = "") -> str:
    """*words* in lines of at most *width* columns (a longer word alone), each after *indent*.

    The lines `textwrap.fill` makes of the words joined by spaces, with
    `break_long_words` and `break_on_hyphens` off (a test holds the two
    equal): importing textwrap, which compiles its patterns for the cases
    these words never have, cost a command that shows a story a noticeable
    part of its start-up time.
    """
    room = width - len(indent)
    lines: list[str] = []
    line: list[str] = []
    used = 0
    for word in words:
        if line and used + 1 + len(word) > room:
            lines.append(indent + " ".join(line))
            line, used = [], 0
        used += len(word) + (1 if line else 0)  # and a space before it
        line.append(word)
    if line:
        lines.append(indent + " ".join(line))
    return "\n".join(lines)


# Highlights are marked with two private-use characters while text is
# wrapped (so that escape codes do not count towards the width), and turned
# into styles by Output. Marks already in data are replaced first (unmark),
# so that data cannot pose as a highlight.
MARK_ON, MARK_OFF = "\ue000", "\ue001"
_UNMARK = str.maketrans({MARK_ON: "\ufffd", MARK_OFF: "\ufffd"})


def unmark(text: str) -> str:
    """Replace the highlight marks in *text* (data) by U+FFFD."""
    return text.translate(_UNMARK)


class Styled:
    """Text to be shown in an SGR style (bold, dim…) by the Output that writes it."""

    __slots__ = ("code", "text")

    def __init__(self, code: str, text: str) -> None:
        self.code = code
        self.text = text


class Marked:
    """Text whose highlights are `MARK_ON`/`MARK_OFF`, placed by the program.

    The data in it must have been through `unmark` before the marks
    were added.
    """

    __slots__ = ("code", "text")

    def __init__(self, text: str, code: str = "1;33") -> None:
        self.code = code
        self.text = text


class OutputError(Exception):
    """Standard output cannot be written (closed, full disk…); not a closed pipe."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(
            _("cannot write to {stream}: {reason}").format(stream=_(name), reason=reason)
        )


class Output:
    """One output stream of the command: neutralizes every piece of text written to it.

    *stream* may be None (the stream was closed when the program started),
    or a function that returns the stream to write to at the time (such as
    `lambda: sys.stdout`, which a pager may take over). Whether it is a
    terminal, and so whether to colour, is decided when the Output is made.
    Writes to a *required* stream (standard output) that fail raise
    `OutputError`, or `BrokenPipeError` when the reader went
    away; writes to any other (standard error) that fail are dropped, since
    there is nowhere left to report them.
    """

    def __init__(
        self,
        stream: TextIO | Callable[[], TextIO | None] | None,
        *,
        name: str,
        required: bool,
        color: bool | None = None,
    ) -> None:
        self._stream = stream
        self.name = name
        self.required = required
        self.terminal = _isatty(self.stream)
        if color is None:
            color = (
                self.terminal
                and not os.environ.get("NO_COLOR")
                and os.environ.get("TERM", "") != "dumb"
            )
        self.color = color

    @property
    def stream(self) -> TextIO | None:
        """The stream written to now."""
        return self._stream() if callable(self._stream) else self._stream

    def bold(self, text: str) -> Styled:
        """*text* in bold."""
        return Styled("1", text)

    def dim(self, text: str) -> Styled:
        """*text* dimmed."""
        return Styled("2", text)

    def accent(self, text: str) -> Styled:
        """*text* highlighted."""
        return Styled("1;36", text)

    def render(self, part: str | Styled | Marked) -> str:
        """*part* as it is written: neutralized, with the styles this output shows."""
        if isinstance(part, str):
            return neutralize(part)
        on, off = (f"\x1b[{part.code}m", "\x1b[0m") if self.color else ("", "")
        if isinstance(part, Marked):
            return neutralize(part.text).replace(MARK_ON, on).replace(MARK_OFF, off)
        return f"{on}{neutralize(part.text)}{off}"

    def line(self, *parts: str | Styled | Marked) -> None:
        """Write *parts*, neutralized, and a newline."""
        self._write("".join(map(self.render, parts)) + "\n")

    def write(self, *parts: str | Styled | Marked) -> None:
        """Write *parts*, neutralized, without a newline."""
        self._write("".join(map(self.render, parts)))

    def document(self, text: str) -> None:
        """Write a machine-readable document (JSON, CSV): exact, except on a terminal.

        A document piped or redirected is data and is written byte for byte;
        on a terminal it is shown, and so neutralized like everything else.
        """
        self._write(neutralize(text) if self.terminal else text)

    def flush(self) -> None:
        """Flush the stream (with the error handling of a write)."""
        self._call("flush")

    def _write(self, text: str) -> None:
        self._call("write", text)

    def _call(self, method: str, *args: str) -> None:
        stream = self.stream
        if stream is None:
            if self.required and method == "write":
                raise OutputError(self.name, _("it is closed"))
            return
        try:
            getattr(stream, method)(*args)
        except BrokenPipeError:
            if self.required:
                raise
        except (OSError, ValueError) as error:  # ValueError: the stream was closed
            if self.required:
                reason = error.strerror if isinstance(error, OSError) else None
                raise OutputError(self.name, reason or str(error)) from None


def _isatty(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (OSError, ValueError):
        return False
