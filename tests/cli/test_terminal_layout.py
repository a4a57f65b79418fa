"""The parallel view and the tables on terminals of 60, 80 and 120 columns.

Every line fits the terminal, every word shown is a whole word of the data
(or a whole word followed by "…"), and under `--bidi` each Persian cell is
cut in reading order, then reordered and set flush right.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

import clientocracy
from clientocracy._cli.parallel import SIDE_BY_SIDE_FROM
from clientocracy._cli.tables import display_width, fit_table, shorten

SCRIPT = shutil.which("clientocracy", path=str(Path(sys.executable).parent))
assert SCRIPT is not None
ANSI = re.compile("\x1b\\[[0-9;?]*[a-zA-Z]")
WIDTHS = (60, 80, 120)


def run_on_terminal(
    *args: str, columns: int = 60, env: dict[str, str] | None = None
) -> tuple[int, str]:
    """Run the installed command on a pseudo-terminal *columns* wide; status and screen."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    full_env = {**os.environ, "PAGER": "", **(env or {})}
    for name in (
        *("COLUMNS", "LINES", "NO_COLOR", "CLIENTOCRACY_PAGER", "LESS"),
        *("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"),
    ):
        if name not in (env or {}):
            full_env.pop(name, None)
    process = subprocess.Popen(
        [SCRIPT, *args], stdin=slave, stdout=slave, stderr=slave, env=full_env
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed: Linux reports EIO
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    status = process.wait(timeout=60)
    return status, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def plain(text: str) -> str:
    return ANSI.sub("", text)


STORY = "nordstrom-lost-diamond-ring"  # a Persian original with an English translation
RU_STORY = "zappos-ten-hour-call"


def words_of(*texts: str) -> set[str]:
    return {word for text in texts for word in text.split()}


def shown_words(output: str) -> list[str]:
    return [word for line in output.splitlines() for word in line.replace("│", " ").split()]


def assert_fits(output: str, columns: int) -> None:
    too_wide = [line for line in output.splitlines() if display_width(line) > columns]
    assert not too_wide, too_wide


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize(("story_id", "language"), [(STORY, "en"), (RU_STORY, "fa")])
def test_the_parallel_view_fits_and_keeps_every_word_whole(
    columns: int, story_id: str, language: str
) -> None:
    status, shown = run_on_terminal(
        "show", story_id, "--parallel", "--in", language, "--no-pager", columns=columns
    )
    assert status == 0, shown
    output = plain(shown)
    assert_fits(output, columns)
    story = clientocracy.story(story_id)
    translation = story.translation(language)
    known = words_of(
        story.title,
        story.title_in(language),
        f"{story.id}: {story.language.name} original, {translation.language.name} translation,",
        f"{len(translation.segments)} segments",
        *(f"{segment.original} {segment.text}" for segment in translation.segments),
        story.language.id,
        language,
        " ".join(str(n) for n in range(1, len(translation.segments) + 1)),
    )
    assert set(shown_words(output)) <= known
    # Nothing is lost: every word of every segment is on the screen.
    assert sorted(shown_words(output)).count("Nordstrom") >= 1 or story_id != STORY
    side_by_side = any("│" in line for line in output.splitlines())
    assert side_by_side == (columns >= SIDE_BY_SIDE_FROM)


@pytest.mark.parametrize("columns", WIDTHS)
def test_the_parallel_view_under_bidi_sets_persian_flush_right(columns: int) -> None:
    status, shown = run_on_terminal(
        "show", RU_STORY, "--parallel", "--in", "fa", "--bidi", "--no-pager", columns=columns
    )
    assert status == 0, shown
    output = plain(shown)
    assert_fits(output, columns)
    persian = re.compile("[\u0600-\u06ff]")
    for line in output.splitlines():
        cells = line.split("│")
        last = cells[-1]
        if persian.search(last) and not re.search("[A-Za-zА-я]", last):
            # Flush right: within the view (the terminal's width), ending at its edge.
            assert display_width(line) == columns, line
    # Reordered: the final full stop of a segment comes first in display order.
    assert any(cell.strip().startswith(".") for cell in output.replace("│", "\n").splitlines())


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize(
    "arguments",
    [("list",), ("list", "--in", "fa"), ("list", "--in", "ru"), ("companies",), ("languages",)],
)
def test_tables_fit_and_cut_only_at_words(columns: int, arguments: tuple[str, ...]) -> None:
    status, shown = run_on_terminal(*arguments, "--no-pager", columns=columns)
    assert status == 0, shown
    output = plain(shown)
    assert_fits(output, columns)
    corpus = clientocracy.Corpus.bundled()
    known = words_of(
        "ID COMPANY LANG TITLE (fa) (ru) NAME STORIES COUNTRY INDUSTRY NATIVE DIRECTION ltr rtl",
        *(
            f"{s.id} {s.company.name} {s.language.id} {' '.join(t for _, t in s.titles)}"
            for s in corpus.stories()
        ),
        *(f"{c.id} {c.name} {c.country} {c.industry}" for c in corpus.companies()),
        *(c.name_in(lang) for c in corpus.companies() for lang in corpus.languages()),
        *(f"{lang.id} {lang.name} {lang.native_name}" for lang in corpus.languages()),
        *(str(n) for n in range(20)),
    )
    table = output.split("\n\n")[0]  # `languages` explains its counts below the table
    for word in shown_words(table):
        assert word.removesuffix("…") in known, word


def test_ids_stand_on_their_own_line_when_they_would_crowd_the_table() -> None:
    status, shown = run_on_terminal("list", "--no-pager", columns=60)
    assert status == 0
    lines = plain(shown).splitlines()
    ids = clientocracy.stories().ids()
    assert lines[0] == "ID"
    assert [line for line in lines if line in ids] == list(ids)
    _status, shown = run_on_terminal("list", "--no-pager", columns=120)
    assert plain(shown).splitlines()[0].split() == ["ID", "COMPANY", "LANG", "TITLE"]


def test_bidi_cuts_the_logical_text_then_reorders() -> None:
    status, shown = run_on_terminal("list", "--in", "fa", "--bidi", "--no-pager", columns=60)
    assert status == 0, shown
    cut = [line for line in plain(shown).splitlines() if "…" in line]
    assert cut
    for line in cut:
        title = re.search(r"\b(?:ru|fa)\s+(\S.*)$", line)
        assert title is not None, line
        persian = title.group(1)
        # The text ends (in reading order, on the left) in the ellipsis…
        assert persian.startswith("…"), line
        # …and no opening quote is left at the cut.
        assert not persian[1:].lstrip().startswith("«"), line
        assert display_width(line) == 60, line


def test_shorten_never_cuts_a_word_when_a_space_is_near() -> None:
    assert shorten("Free coffee on board", 9) == "Free…"
    assert shorten("«قهوهٔ رایگان در پرواز»", 15) == "«قهوهٔ رایگان…"
    assert shorten("«Free coffee»", 8) == "«Free…"
    assert shorten("abc «quoted words»", 9) == "abc…"


def test_a_table_right_aligns_right_to_left_cells_it_is_given_reordered() -> None:
    lines = fit_table(
        [("a", "سلام دنیا", "x")], ("ID", "TEXT", "END"), 40, reorder=lambda text: text[::-1]
    )
    assert lines[1] == "a   " + "ایند مالس" + "  x"
    lines = fit_table([("a", "سلام", "x")], ("ID", "A LONG HEADER", "END"), 40, reorder=lambda t: t)
    assert lines[1] == "a   " + " " * 9 + "سلام  x"


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("query", ["zappos", "кольцо", "bouquet OR кофе"])
def test_search_results_fit_the_terminal(columns: int, query: str) -> None:
    status, shown = run_on_terminal("search", query, "--no-pager", columns=columns)
    assert status == 0, shown
    output = plain(shown)
    assert_fits(output, columns)
    for hit in clientocracy.search(query):
        assert hit.story.id in output.split()


def test_bidi_mirrors_brackets_and_keeps_the_zero_width_non_joiner() -> None:
    pytest.importorskip("bidi")
    from clientocracy._cli.bidi import _reorderer

    reorder = _reorderer()
    # "(two)-s" in Persian, and a Latin id in brackets after a Persian name.
    assert reorder("(دو)\u200cها") == "اه\u200c(ود)"
    assert reorder("جت\u200cبلو (jetblue)") == "(jetblue) ولب\u200cتج"
    # A left-to-right line keeps its brackets and quotes where they are.
    assert reorder("ru «قهوه» (x)") == "ru «هوهق» (x)"


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("lang", ["C.UTF-8", "ru_RU.UTF-8", "fa_IR.UTF-8"])
@pytest.mark.parametrize(
    "arguments",
    [
        ("principles",),
        ("languages",),
        ("list",),
        ("show", "nordstrom-lost-diamond-ring"),
        ("show", "zappos-ten-hour-call", "--parallel", "--in", "fa"),
        ("search", "кофе"),
    ],
)
def test_every_view_fits_in_every_interface_language(
    columns: int, lang: str, arguments: tuple[str, ...]
) -> None:
    status, shown = run_on_terminal(*arguments, "--no-pager", columns=columns, env={"LANG": lang})
    assert status == 0, shown
    assert_fits(plain(shown), columns)
