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

from .tables import display_width, right_to_left

__all__ = [
    "BidiUnavailableError",
    "bidi_display",
    "display_line",
    "laid_out",
    "visual",
]

# The patterns are compiled on first use (re caches them): compiling them
# cost more than the rest of this module's import, and a table printed
# without --bidi imports the module but never reorders.
# Hebrew, Arabic, Syriac, Thaana, NKo … and the Arabic presentation forms.
_RTL = "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]"
_SGR = "\x1b\\[[0-9;]*m"
_WHOLE_LINE_STYLE = "^(\x1b\\[[0-9;]*m)([^\x1b]*)(\x1b\\[0m)$"


class BidiUnavailableError(RuntimeError):
    """`--bidi` was asked for, but python-bidi is not installed."""

    def __init__(self) -> None:
        from .._errors import install_command
        from .i18n import _

        super().__init__(
            _("--bidi needs python-bidi; install it with: {command}").format(
                command=install_command("bidi")
            )
        )


def _reorderer() -> Callable[[str], str]:
    try:
        from bidi import get_display
    except ImportError:
        raise BidiUnavailableError() from None
    try:
        from bidi.algorithm import get_display as get_display_mirrored
    except ImportError:  # pragma: no cover - python-bidi without its Python implementation
        get_display_mirrored = None

    def reorder(text: str) -> str:
        # A line is read in the direction of its first strong letter, as
        # the Unicode algorithm's paragraph rule has it.
        base = "R" if right_to_left(text) else "L"
        shown = str(get_display(text, base_dir=base))
        if get_display_mirrored is None or not re.search(_BRACKETS, text):
            return shown
        return _with_mirrored_brackets(shown, str(get_display_mirrored(text, base_dir=base)))

    return reorder


# Characters whose glyph is mirrored at a right-to-left level: (), [], {}, «», <>…
_BRACKETS = "[()\\[\\]{}<>«»‹›]"


def _with_mirrored_brackets(shown: str, mirrored: str) -> str:
    """*shown* with the brackets of *mirrored*, where that is the only difference.

    The compiled python-bidi keeps zero-width joiners and non-joiners but
    does not mirror brackets (rule L4): "(دو)" would show as ")ود(". Its
    Python implementation mirrors them but drops the joiners (rule X9),
    which Persian needs. Both order the rest alike, so the brackets are
    taken from one and the rest from the other; if they differ in anything
    else, the compiled one's order is kept as it is.
    """
    import unicodedata

    kept: list[str] = []
    index = 0
    for char in shown:
        other = mirrored[index] if index < len(mirrored) else None
        if other == char or (
            other is not None and re.match(_BRACKETS, char) and re.match(_BRACKETS, other)
        ):
            kept.append(other)
            index += 1
        elif unicodedata.bidirectional(char) == "BN":
            kept.append(char)
        else:
            return shown
    return "".join(kept) if index == len(mirrored) else shown


# The writer that reorders standard output now, if --bidi is on.
_active: _BidiWriter | None = None


def visual(text: str) -> str | None:
    """*text* (one line) in display order, when `--bidi` reorders output; else None.

    For callers that lay out columns themselves: each cell is cut and
    wrapped in logical order, then reordered on its own, then padded, and
    the lines written inside `laid_out` so that they are not reordered twice.
    """
    if _active is None:
        return None
    return display_line(text, _active.reorder)


@contextlib.contextmanager
def laid_out() -> Iterator[None]:
    """Lines written to standard output inside the block are already in display order."""
    writer = _active
    if writer is None:
        yield
        return
    writer.flush_pending()
    writer.verbatim = True
    try:
        yield
        writer.flush_pending()
    finally:
        writer.verbatim = False


def display_line(line: str, reorder: Callable[[str], str]) -> str:
    """Reorder one line for display if it holds right-to-left letters.

    A style that covers the whole line is kept. Inside a mixed line the
    styles are dropped: reordering moves characters across them, and a
    highlight in the wrong place misleads more than none.
    """
    if not re.search(_RTL, line):
        return line
    whole = re.match(_WHOLE_LINE_STYLE, line)
    if whole:
        on, text, off = whole.groups()
        return on + reorder(text) + off
    return reorder(re.sub(_SGR, "", line))


class _BidiWriter(io.TextIOBase):
    """A text stream that reorders each complete line and passes it on."""

    def __init__(
        self, target: TextIO, reorder: Callable[[str], str], width: int | None = None
    ) -> None:
        self._target = target
        self.reorder = reorder
        self._width = width
        self._pending = ""
        self.verbatim = False

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
            self._target.write("".join(self._display(line) + "\n" for line in lines))
        return len(text)

    def _display(self, line: str) -> str:
        if self.verbatim:
            return line
        shown = display_line(line, self.reorder)
        # A right-to-left paragraph is set flush right, as it is on paper.
        if self._width is not None and right_to_left(re.sub(_SGR, "", line)):
            shown = " " * max(self._width - display_width(re.sub(_SGR, "", shown)), 0) + shown
        return shown

    def flush_pending(self) -> None:
        if self._pending:
            self._target.write(self._display(self._pending))
            self._pending = ""

    def flush(self) -> None:
        self.flush_pending()
        self._target.flush()


@contextlib.contextmanager
def bidi_display(enabled: bool, width: int | None = None) -> Iterator[None]:
    """Reorder right-to-left lines written to `sys.stdout` inside the block.

    With *width* (a terminal's), a line that reads right to left is set
    flush right within it. Raises `BidiUnavailableError`
    when *enabled* and python-bidi is missing.
    """
    global _active
    if not enabled:
        yield
        return
    writer = _BidiWriter(sys.stdout, _reorderer(), width)
    stdout, sys.stdout = sys.stdout, writer
    _active = writer
    try:
        yield
        writer.flush()
    finally:
        sys.stdout = stdout
        _active = None
