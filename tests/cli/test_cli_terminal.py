"""The command on a real terminal and in a user's shell: width, pager, bidi, completion, man.

Commands run through a pseudo-terminal of a chosen size where the terminal
matters, and the completion scripts run in the shells themselves. A test skips
when its shell is not installed, except in CI (`CI=true`, or
`CLIENTOCRACY_REQUIRE_SHELLS` set), where it fails: CI installs every shell.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

import clientocracy
from clientocracy._cli.common import terminal_size
from clientocracy._cli.output import fill_words
from clientocracy._cli.tables import display_width, fit_table, shorten
from clientocracy._errors import install_command

from .. import helpers
from ..helpers import COMMAND_TIMEOUT, plain, run, user_corpus


def run_on_terminal(
    *args: str, columns: int = 60, env: dict[str, str] | None = None
) -> tuple[int, str]:
    """Run on a pseudo-terminal *columns* wide; return the status and what it showed."""
    return helpers.run_on_terminal(*args, columns=columns, env=env)


# -- tables that fit --------------------------------------------------------------


@pytest.mark.parametrize("command", ["list", "companies", "languages"])
def test_tables_fit_a_narrow_terminal(command: str) -> None:
    status, shown = run_on_terminal(command, columns=60)
    assert status == 0, shown
    lines = plain(shown).splitlines()
    assert all(display_width(line) <= 60 for line in lines), lines
    # Headers are whole words, and every row keeps its columns on one line,
    # or two when the id stands on a line of its own.
    header = lines[0].split()
    assert header[0] == "ID"
    assert all(word.isupper() for word in header)
    rows = {
        "list": len(clientocracy.stories()),
        "companies": len(clientocracy.companies()),
        "languages": len(clientocracy.languages()),
    }[command]
    assert len(lines) in (1 + rows, 2 + 2 * rows)


def test_list_shortens_titles_with_an_ellipsis_but_never_the_id() -> None:
    status, shown = run_on_terminal("list", columns=100)
    assert status == 0
    rows = plain(shown).splitlines()[1:]
    for row, story in zip(rows, clientocracy.stories(), strict=True):
        assert row.split()[0] == story.id
        title = row[plain(shown).splitlines()[0].index("TITLE") :]
        assert title == story.title_en or (
            title.endswith("…") and story.title_en.startswith(title[:-1].rstrip())
        )
    assert any(row.endswith("…") for row in rows)


def test_a_wide_terminal_and_a_pipe_show_everything() -> None:
    status, shown = run_on_terminal("list", columns=200)
    assert status == 0
    assert "…" not in shown
    piped = run("list", env={"COLUMNS": "40"})
    assert "…" not in piped.stdout
    for story in clientocracy.stories():
        assert story.title_en in piped.stdout


def test_shorten_cuts_at_a_word_and_counts_wide_characters() -> None:
    assert shorten("Gaylord Opryland Resort", 12) == "Gaylord…"
    assert display_width(shorten("日本語のテキスト", 7)) <= 7
    assert fit_table([("id-1", "x" * 50)], ("ID", "TITLE"), 20)[1] == "id-1  " + "x" * 13 + "…"


# -- messages -------------------------------------------------------------------


_SIZE_VALUES = st.one_of(
    st.none(),
    st.integers(-5, 400).map(str),
    st.sampled_from(["", " 80", "wide", "1e3", "0x50"]),
)


@given(
    columns=_SIZE_VALUES,
    lines=_SIZE_VALUES,
    fallback=st.tuples(st.integers(1, 300), st.integers(1, 100)),
    stdout_gone=st.booleans(),
)
def test_terminal_size_answers_as_shutil_does(
    columns: str | None, lines: str | None, fallback: tuple[int, int], stdout_gone: bool
) -> None:
    # The command reads the terminal's size without importing shutil; every
    # width it lays out (tables, --help, search hits) must be shutil's.
    environ = {
        name: value for name, value in (("COLUMNS", columns), ("LINES", lines)) if value is not None
    }
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.dict(os.environ, environ))
        for name in {"COLUMNS", "LINES"} - set(environ):
            os.environ.pop(name, None)
        if stdout_gone:
            stack.enter_context(mock.patch.object(sys, "__stdout__", None))
        assert terminal_size(fallback) == shutil.get_terminal_size(fallback)
        assert terminal_size() == shutil.get_terminal_size()


@given(
    text=st.text(alphabet="ab \u00a0\u2003\u200c\u0301\t\nжخ-", max_size=400)
    | st.text(max_size=200),
    width=st.integers(1, 120),
    indent=st.sampled_from(["", " ", "  ", "    "]),
)
def test_text_is_wrapped_into_the_lines_textwrap_makes(text: str, width: int, indent: str) -> None:
    # Wrapping is done without importing textwrap; the lines must be its lines.
    words = text.split()
    expected = textwrap.fill(
        " ".join(words),
        width=width,
        initial_indent=indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    assert fill_words(words, width, indent) == expected


def test_show_suggests_the_stories_of_a_company_or_a_partial_id() -> None:
    result = run("show", "nordstrom")
    assert result.returncode == 2
    assert "Did you mean 'nordstrom-lost-diamond-ring'?" in result.stderr
    zappos = run("show", "Zappos")
    assert "'zappos-ten-hour-call' or 'zappos-flowers-for-a-mother'" in zappos.stderr
    by_name = run("show", "ВкусВилл")
    assert "vkusvill-syrniki-cake" in by_name.stderr
    inside = run("show", "giraffe")
    assert "sainsburys-giraffe-bread" in inside.stderr
    assert "Traceback" not in result.stderr + zappos.stderr + by_name.stderr


def test_the_library_suggests_the_same_ids() -> None:
    with pytest.raises(clientocracy.UnknownValueError) as caught:
        clientocracy.story("Trader Joe's")
    assert caught.value.suggestions == ("trader-joes-snowbound-delivery",)


def test_search_names_the_filter_that_excluded_the_hits() -> None:
    result = run("search", "будильник", "--language", "fa")
    assert result.returncode == 1
    assert result.stderr == (
        "clientocracy: no story matches 'будильник' with --language fa; "
        "without the filters, 1 story does.\n"
    )
    nothing = run("search", "xyzzy")
    assert nothing.stderr == "clientocracy: no story matches 'xyzzy'.\n"


def test_search_shows_no_meaningless_score() -> None:
    result = run("search", "the", "--limit", "3")
    assert result.returncode == 0
    assert "0.00" not in result.stdout
    assert not re.search(r"· \d+\.\d+", result.stdout)
    hits = json.loads(run("search", "the", "--json").stdout)
    assert all("score" in hit for hit in hits)


def _catalog(folder: Path) -> Path:
    """A user corpus whose story is named after *folder*, borrowing two principles."""
    return user_corpus(
        folder, id=f"{folder.name}-umbrella", principles=["small-things-matter", "no-red-tape"]
    )


def test_validate_says_what_the_catalog_defines_and_what_it_borrows(tmp_path: Path) -> None:
    folder = _catalog(tmp_path / "mine")
    result = run("validate", str(folder))
    assert result.returncode == 0, result.stdout + result.stderr
    # The borrowed principles bring the source that states them and the
    # languages of their names; what the catalog defines is counted apart.
    assert result.stdout.startswith(
        f"{folder}: valid. It defines 1 story, 1 source and 1 company, and uses 1 source, "
        "2 principles and "
    )
    assert re.search(
        r"and (1 language|\d+ languages) defined by the corpora it builds on\.\n$", result.stdout
    )
    assert "1 stories" not in result.stdout


def test_every_corpus_counts_before_and_after_the_command(tmp_path: Path) -> None:
    a, b = _catalog(tmp_path / "a"), _catalog(tmp_path / "b")
    for args in (
        ("--corpus", str(a), "list", "--corpus", str(b)),
        ("list", "--corpus", str(a), "--corpus", str(b)),
        ("--corpus", str(a), "--corpus", str(b), "list"),
    ):
        result = run(*args, "--no-bundled")
        assert result.returncode == 0, result.stderr
        ids = [line.split()[0] for line in result.stdout.splitlines()[1:]]
        assert ids == ["a-umbrella", "b-umbrella"], args


# -- pager ----------------------------------------------------------------------


def test_long_output_on_a_terminal_goes_through_the_pager() -> None:
    env = {"PAGER": "echo LESS=$LESS; sed 's/^/paged: /'"}
    status, shown = run_on_terminal("show", "zappos-ten-hour-call", env=env)
    assert status == 0
    lines = plain(shown).splitlines()
    assert lines[0] == "LESS=FRX"
    assert lines[1] == "paged: The ten-hour phone call"
    assert all(line.startswith("paged:") for line in lines[1:])
    # Colours still reach the terminal through the pager.
    assert "\x1b[1m" in shown


def test_the_pager_respects_less_no_pager_and_pipes() -> None:
    env = {"PAGER": "echo LESS=$LESS; cat", "LESS": "-S"}
    assert plain(run_on_terminal("list", env=env)[1]).startswith("LESS=-S\n")
    mine = {"CLIENTOCRACY_PAGER": "sed 's/^/mine: /'", "PAGER": "false"}
    assert plain(run_on_terminal("list", env=mine)[1]).startswith("mine: ID")
    off = run_on_terminal("--no-pager", "list", env={"PAGER": "sed 's/^/paged: /'"})[1]
    assert "paged:" not in off
    after = run_on_terminal("list", "--no-pager", env={"PAGER": "sed 's/^/paged: /'"})[1]
    assert "paged:" not in after
    piped = run("list", env={"PAGER": "sed 's/^/paged: /'"})
    assert "paged:" not in piped.stdout


def test_quitting_the_pager_early_is_not_an_error() -> None:
    status, shown = run_on_terminal("export", env={"PAGER": "head -c 10"})
    assert status == 0
    assert "Traceback" not in shown
    assert "Broken pipe" not in shown


# -- bidi -----------------------------------------------------------------------


def test_bidi_mode_reorders_persian_for_display_only_when_asked() -> None:
    pytest.importorskip("bidi")
    story = clientocracy.story("nordstrom-lost-diamond-ring")
    logical = run("show", story.id).stdout
    assert story.title in logical
    for args, env in (((story.id, "--bidi"), None), ((story.id,), {"CLIENTOCRACY_BIDI": "1"})):
        reordered = run("show", *args, env=env)
        assert reordered.returncode == 0, reordered.stderr
        assert story.title not in reordered.stdout
        # The title is shown with its letters in visual (right-to-left) order.
        assert "".join(reversed(story.title.split()[-1])) in reordered.stdout
        # Left-to-right lines are untouched.
        assert story.title_en in reordered.stdout
    data = run("show", story.id, "--json", "--bidi").stdout
    assert json.loads(data)["title"] == story.title


def test_bidi_without_python_bidi_says_how_to_install_it(tmp_path: Path) -> None:
    (tmp_path / "bidi").mkdir()
    (tmp_path / "bidi" / "__init__.py").write_text("raise ImportError('no bidi here')\n")
    env = {"PYTHONPATH": str(tmp_path)}
    result = run("show", "nordstrom-lost-diamond-ring", "--bidi", env=env)
    assert result.returncode == 2
    assert install_command("bidi") in result.stderr
    assert "Traceback" not in result.stderr
    assert run("show", "nordstrom-lost-diamond-ring", env=env).returncode == 0


# -- completion and the manual page ---------------------------------------------


def _script(shell: str, tmp_path: Path) -> Path:
    result = run("completion", shell)
    assert result.returncode == 0, result.stderr
    path = tmp_path / f"clientocracy.{shell}"
    path.write_text(result.stdout, encoding="utf-8")
    return path


def _needs(shell: str) -> str:
    """The shell's path; the test skips without it, except in CI, which installs every shell."""
    found = shutil.which(shell)
    if found is None:
        if os.environ.get("CI") == "true" or os.environ.get("CLIENTOCRACY_REQUIRE_SHELLS"):
            pytest.fail(f"{shell} is not installed, and CI must test its completion")
        pytest.skip(f"{shell} is not installed")
    return found


def test_bash_completes_commands_options_and_values_from_the_data(tmp_path: Path) -> None:
    bash = _needs("bash")
    script = _script("bash", tmp_path)

    def complete(*words: str) -> list[str]:
        quoted = " ".join(f"'{w}'" for w in words)
        program = (
            f"source '{script}'; COMP_WORDS=(clientocracy {quoted}); "
            f"COMP_CWORD={len(words)}; _clientocracy; printf '%s\\n' \"${{COMPREPLY[@]}}\""
        )
        result = subprocess.run(
            [bash, "--norc", "-c", program], capture_output=True, text=True, check=True, timeout=120
        )
        return result.stdout.split("\n")[:-1]

    assert set(complete("")) >= {"list", "search", "show", "completion", "man"}
    assert complete("show", "zap") == ["zappos-ten-hour-call", "zappos-flowers-for-a-mother"]
    assert "trader-joes" in complete("--corpus", "x", "list", "--company", "tra")
    assert "Trader\\ Joe’s" in complete("list", "--company", "tra")
    assert "small-things-matter" in complete("random", "--principle", "sm")
    assert complete("export", "--format", "j") == ["json", "jsonl"]
    assert complete("completion", "") == ["bash", "zsh", "fish"]
    assert "--no-pager" in complete("list", "--")


def test_fish_completes_with_descriptions(tmp_path: Path) -> None:
    fish = _needs("fish")
    script = _script("fish", tmp_path)

    def complete(line: str) -> list[str]:
        result = subprocess.run(
            [fish, "--no-config", "-c", f"source '{script}'; complete -C '{line}'"],
            capture_output=True,
            text=True,
            check=True,
            timeout=COMMAND_TIMEOUT,
        )
        return result.stdout.splitlines()

    assert "zappos-ten-hour-call\tThe ten-hour phone call" in complete("clientocracy show zap")
    assert "nordstrom\tNordstrom" in complete("clientocracy list --company nord")
    commands = [line.split("\t")[0] for line in complete("clientocracy ")]
    assert {"list", "show", "completion", "man"} <= set(commands)
    assert [c.split("\t")[0] for c in complete("clientocracy export --format ")] == [
        "csv",
        "hf",
        "json",
        "jsonl",
        "parquet",
    ]


def test_zsh_completes_ids_and_names(tmp_path: Path) -> None:
    zsh = _needs("zsh")
    script = _script("zsh", tmp_path)
    syntax = subprocess.run([zsh, "-n", str(script)], check=False, timeout=COMMAND_TIMEOUT)
    assert syntax.returncode == 0
    # Completion runs only in an interactive shell: drive one on a pseudo-terminal.
    driver = f"""
zmodload zsh/zpty
zpty z 'zsh -f -i'
zpty -w z 'PS1="> "; autoload -Uz compinit; compinit -u -D; source {script}; setopt nobeep'
zpty -w -n z $'clientocracy show zappos-t\\t'
zpty -r z out '*ten-hour-call*'
print -r -- "$out"
zpty -d z
"""
    result = subprocess.run(
        [zsh, "-f", "-c", driver], capture_output=True, text=True, timeout=60, check=False
    )
    assert "zappos-ten-hour-call" in result.stdout, result.stderr


def test_the_manual_page_comes_from_the_parser() -> None:
    result = run("man")
    assert result.returncode == 0, result.stderr
    page = result.stdout
    assert page.startswith(".TH CLIENTOCRACY 1 ")
    for command in ("list", "search", "show", "random", "export", "validate", "completion"):
        assert f'.SS "{command}"' in page
    for flag in ("corpus", "no\\-pager", "bidi", "company", "seed"):
        assert f"\\-\\-{flag}" in page
    assert "CLIENTOCRACY_PAGER" in page
    if shutil.which("man"):
        rendered = subprocess.run(
            ["man", "-l", "-"],
            input=page,
            capture_output=True,
            text=True,
            env={**os.environ, "MANPAGER": "cat", "MANWIDTH": "80"},
            check=False,
            timeout=COMMAND_TIMEOUT,
        )
        assert rendered.returncode == 0, rendered.stderr
        assert "SYNOPSIS" in rendered.stdout
