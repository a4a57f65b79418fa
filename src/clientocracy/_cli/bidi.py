"""Persian for terminals that do not lay out right-to-left text themselves.

Most terminal emulators (xterm, the Linux console, tmux and screen, the
older macOS Terminal) print characters in the order they are stored, so a
Persian line reads backwards. With `--bidi` (or `CLIENTOCRACY_BIDI=1`)
each line that holds right-to-left letters is reordered for display with
python-bidi (`pip install 'clientocracy[bidi]'`). Terminals that do their
own layout (GNOME Terminal and other VTE terminals, Konsole, mlterm, iTerm2
with bidi on) must not get it: they would reverse the text again.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from collections.abc import Callable, Iterator
from typing import TextIO

__all__ = ["BidiUnavailableError", "bidi_display", "display_line"]

# Hebrew, Arabic, Syriac, Thaana, NKo … and the Arabic presentation forms.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_SGR = re.compile("\x1b\\[[0-9;]*m")
_WHOLE_LINE_STYLE = re.compile("^(\x1b\\[[0-9;]*m)([^\x1b]*)(\x1b\\[0m)$")


class BidiUnavailableError(RuntimeError):
    """`--bidi` was asked for, but python-bidi is not installed."""

    def __init__(self) -> None:
        super().__init__(
            "--bidi needs python-bidi; install it with: pip install 'clientocracy[bidi]'"
        )


def _reorderer() -> Callable[[str], str]:
    try:
        from bidi import get_display
    except ImportError:
        raise BidiUnavailableError() from None

    def reorder(text: str) -> str:
        return str(get_display(text))

    return reorder


def display_line(line: str, reorder: Callable[[str], str]) -> str:
    """Reorder one line for display if it holds right-to-left letters.

    A style that covers the whole line is kept. Inside a mixed line the
    styles are dropped: reordering moves characters across them, and a
    highlight in the wrong place misleads more than none.
    """
    if not _RTL.search(line):
        return line
    whole = _WHOLE_LINE_STYLE.match(line)
    if whole:
        on, text, off = whole.groups()
        return on + reorder(text) + off
    return reorder(_SGR.sub("", line))


class _BidiWriter(io.TextIOBase):
    """A text stream that reorders each complete line and passes it on."""

    def __init__(self, target: TextIO, reorder: Callable[[str], str]) -> None:
        self._target = target
        self._reorder = reorder
        self._pending = ""

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._target.isatty()

    def fileno(self) -> int:
        return self._target.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._target.encoding

    def write(self, text: str) -> int:
        self._pending += text
        *lines, self._pending = self._pending.split("\n")
        if lines:
            self._target.write("".join(display_line(line, self._reorder) + "\n" for line in lines))
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._target.write(display_line(self._pending, self._reorder))
            self._pending = ""
        self._target.flush()


@contextlib.contextmanager
def bidi_display(enabled: bool) -> Iterator[None]:
    """Reorder right-to-left lines written to `sys.stdout` inside the block.

    Raises `BidiUnavailableError`
    when *enabled* and python-bidi is missing.
    """
    if not enabled:
        yield
        return
    writer = _BidiWriter(sys.stdout, _reorderer())
    stdout, sys.stdout = sys.stdout, writer
    try:
        yield
        writer.flush()
    finally:
        sys.stdout = stdout
