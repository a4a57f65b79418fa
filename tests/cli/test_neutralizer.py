"""The terminal neutralizer, character class by character class.

Its docstring promises to make visible, and so harmless: C0 and C1 controls
(ESC among them), DEL, the characters that override or isolate the
bidirectional order, the bidi marks, and lone surrogates, while newlines,
tabs, ZWNJ and ZWJ pass. The table of code points below is generated from
the Unicode character database by those classes, not listed by hand, and
every other code point is checked to pass unchanged.
"""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientocracy._cli.output import Marked, Output, Styled, neutralize, one_line, wrap

# Bidi classes of the explicit embeddings, overrides and isolates, and their ends.
_EXPLICIT = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
# The implicit directional marks are format characters (Cf) of a strong bidi
# class, named for the direction they mark; U+070F SYRIAC ABBREVIATION MARK
# is a Cf of class AL too, but a visible sign of its script, not a mark.
_MARK_NAME = re.compile(r"^(LEFT-TO-RIGHT|RIGHT-TO-LEFT|ARABIC LETTER) MARK$")


def _classes() -> dict[str, list[int]]:
    classes: dict[str, list[int]] = {
        "controls": [],
        "bidi overrides and isolates": [],
        "bidi marks": [],
        "surrogates": [],
    }
    for code in range(0x110000):
        char = chr(code)
        category = unicodedata.category(char)
        if category == "Cc" and char not in "\n\t":
            classes["controls"].append(code)
        elif category == "Cs":
            classes["surrogates"].append(code)
        elif unicodedata.bidirectional(char) in _EXPLICIT:
            classes["bidi overrides and isolates"].append(code)
        elif (
            category == "Cf"
            and unicodedata.bidirectional(char) in {"L", "R", "AL"}
            and _MARK_NAME.match(unicodedata.name(char, ""))
        ):
            classes["bidi marks"].append(code)
    return classes


CLASSES = _classes()
UNSAFE = frozenset(code for codes in CLASSES.values() for code in codes)
# What ends up where: each class's code points, sampled evenly for the parametrized table.
TABLE = [
    pytest.param(code, id=f"{name}-U+{code:04X}")
    for name, codes in CLASSES.items()
    for code in (codes if len(codes) < 100 else codes[:: len(codes) // 64] + codes[-1:])
]


def test_the_generated_classes_are_the_ones_the_docstring_names() -> None:
    # C0 (32 less tab and newline), DEL, C1 (32): 65 controls.
    assert len(CLASSES["controls"]) == 30 + 1 + 32
    assert 0x1B in CLASSES["controls"]
    assert 0x7F in CLASSES["controls"]
    assert 0x9B in CLASSES["controls"]
    assert CLASSES["bidi overrides and isolates"] == [
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
    assert CLASSES["bidi marks"] == [0x061C, 0x200E, 0x200F]
    assert CLASSES["surrogates"] == list(range(0xD800, 0xE000))


@pytest.mark.parametrize("code", TABLE)
def test_each_unsafe_character_is_shown_as_a_visible_escape(code: int) -> None:
    char = chr(code)
    shown = neutralize(f"a{char}b")
    escape = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    assert shown == f"a{escape}b"
    assert one_line(f"a{char}b") == f"a{escape}b"


def test_every_unsafe_character_is_escaped_in_one_text() -> None:
    text = "".join(map(chr, sorted(UNSAFE)))
    shown = neutralize(text)
    assert shown.isascii()
    assert all(" " <= c <= "~" for c in shown)
    assert shown.count("\\") == len(UNSAFE)


def test_every_other_code_point_passes_unchanged() -> None:
    safe = "".join(chr(code) for code in range(0x110000) if code not in UNSAFE)
    assert neutralize(safe) == safe


def _escaped(char: str) -> str:
    code = ord(char)
    if code not in UNSAFE:
        return char
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_PIECES = (
    st.sampled_from(sorted(chr(code) for code in UNSAFE if not 0xD800 <= code <= 0xDFFF))
    | st.sampled_from(["\ud800", "\udbff", "\udfff", "\u200c", "\u200d", "ё", "ی", "\n", "\t"])
    | st.text(st.characters(blacklist_categories=()), max_size=4)
)


@given(st.lists(_PIECES, max_size=20).map("".join))
def test_any_text_has_exactly_its_unsafe_characters_escaped(text: str) -> None:
    # Controls, bidi characters and lone surrogates are found in three ways;
    # mixed in one text, each is escaped where it stands and nothing else changes.
    assert neutralize(text) == "".join(map(_escaped, text))


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\n", "newline"),
        ("\t", "tab"),
        ("\u200c", "ZWNJ, which Persian needs"),
        ("\u200d", "ZWJ"),
        ("\u061b", "the Arabic semicolon beside the Arabic letter mark"),
        ("\u070f", "the Syriac abbreviation mark"),
    ],
)
def test_what_text_needs_is_kept(char: str, name: str) -> None:
    assert neutralize(f"a{char}b") == f"a{char}b", name


def test_hand_written_examples() -> None:
    assert neutralize("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m"
    assert neutralize("\u202eevil") == "\\u202eevil"
    assert neutralize("\u061c") == "\\u061c"
    assert neutralize("\ud800") == "\\ud800"
    assert neutralize("\x9b2J") == "\\x9b2J"
    assert neutralize("می\u200cشوند") == "می\u200cشوند"


# -- every way of writing through Output neutralizes --------------------------------


def _written(write: str, color: bool, *parts: str | Styled | Marked) -> str:
    stream = io.StringIO()
    output = Output(stream, name="standard output", required=True, color=color)
    getattr(output, write)(*parts)
    return stream.getvalue()


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("write", ["line", "write"])
def test_output_neutralizes_text_styles_and_highlights(write: str, color: bool) -> None:
    evil = "\x1b[2J\u202e\u061c\x07"
    escaped = "\\x1b[2J\\u202e\\u061c\\x07"
    output = Output(io.StringIO(), name="standard output", required=True, color=color)
    for part in (evil, output.bold(evil), output.dim(evil), Marked(evil)):
        written = _written(write, color, part)
        assert escaped in written
        without_styles = re.sub("\x1b\\[[0-9;]*m", "", written)
        assert not set(without_styles) & {"\x1b", "\u202e", "\u061c", "\x07"}, repr(written)


def test_a_highlight_is_styled_only_where_the_program_marked_it() -> None:
    from clientocracy._cli.output import MARK_OFF, MARK_ON

    written = _written("line", True, Marked(f"a {MARK_ON}hit{MARK_OFF} \x1b[31m"))
    assert written == "a \x1b[1;33mhit\x1b[0m \\x1b[31m\n"


def test_a_document_is_exact_on_a_pipe_and_neutralized_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    evil = '{"title": "\x1b[31m\u202e"}\n'
    pipe = io.StringIO()
    Output(pipe, name="standard output", required=True).document(evil)
    assert pipe.getvalue() == evil
    terminal = Terminal()
    Output(terminal, name="standard output", required=True).document(evil)
    assert terminal.getvalue() == '{"title": "\\x1b[31m\\u202e"}\n'


def test_wrapped_text_is_neutralized() -> None:
    assert wrap("a \x1b[31m b \u2067 c", 40) == "a \\x1b[31m b \\u2067 c"
