"""Hostile input to the command: terminal payloads in data, odd arguments, interruptions.

Each class of attack has a test that would fail if the defence were taken
away; the command is run as users run it, through the installed entry point,
wherever it is involved.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import clientocracy._corpus.corpus as corpus_module

from .. import helpers
from ..helpers import (
    SCRIPT,
    hostile_corpus,
    run_on_terminal,
    shell,
)

POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX file system semantics")

# Every character that must never reach a terminal raw.
UNSAFE = [
    *(chr(c) for c in range(0x20) if chr(c) not in "\n\t"),
    "\x7f",
    *(chr(c) for c in range(0x80, 0xA0)),
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
]


def run(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return helpers.run(*args, errors="surrogateescape", **kwargs)


# -- 4. nothing makes the command print a traceback ------------------------------


@POSIX
@pytest.mark.parametrize(
    ("command", "status", "message"),
    [
        ('"$C" list >&-', 2, "cannot write to standard output: it is closed"),
        ('"$C" list --json >&-', 2, "cannot write to standard output: it is closed"),
        ('"$C" --bidi list >&-', 2, "cannot write to standard output: it is closed"),
        ('"$C" --help >&-', 2, "cannot write to standard output: it is closed"),
        ('"$C" list > /dev/full', 2, "cannot write to standard output: No space left"),
        ('"$C" --version > /dev/full', 2, "cannot write to standard output: No space left"),
        ('"$C" export -o out.json >&-', 0, ""),
        ('"$C" show nowhere 2>&-', 2, ""),
        ('"$C" list >&- 2>&-', 2, ""),
        ('"$C" --no-bundled companies', 0, ""),
        ('"$C" --no-bundled languages --json', 0, ""),
        ('"$C" --no-bundled principles', 0, ""),
        ('"$C" --no-bundled list', 1, "the corpus has no stories"),
        ('"$C" --no-bundled random', 1, "the corpus has no stories"),
        ('"$C" --no-bundled search x', 1, "no story matches"),
        ('"$C" search zappos --limit 9223372036854775808', 0, ""),
        ('"$C" search zappos --limit 99999999999999999999999999', 0, ""),
        ('"$C" search $(seq -s " w" 1 100)', 2, "more than 64 words"),
        ('"$C" random --seed 99999999999999999999999999999', 0, ""),
        ('COLUMNS=0 "$C" show zappos-flowers-for-a-mother', 0, ""),
        ('COLUMNS=nonsense "$C" list', 0, ""),
        ('LANG=C LC_ALL=C PYTHONIOENCODING= "$C" show "$(printf "\\377\\376")"', 2, "unknown"),
        ('"$C" --corpus "$(printf "\\377")" list', 2, "no such corpus folder"),
    ],
)
def test_no_traceback_ever(tmp_path: Path, command: str, status: int, message: str) -> None:
    result = shell(command, cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert result.returncode == status, result.stderr
    assert message in result.stderr
    assert len(result.stderr.splitlines()) <= 2


@POSIX
def test_ctrl_c_prints_one_line_and_exits_130(tmp_path: Path) -> None:
    # A few thousand stories, so that the export outgrows the pipe's buffer:
    # once the first line has been read and no more is, the command is
    # blocked writing, and the interrupt lands mid-command.
    big = tmp_path / "big"
    generate = Path(__file__).parent.parent.parent / "benchmarks" / "generate.py"
    subprocess.run([sys.executable, str(generate), "2000", str(big)], check=True, timeout=300)
    process = subprocess.Popen(
        [SCRIPT, "--corpus", str(big), "export", "--format", "jsonl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # As from a terminal: a runner started in the background (`cmd &`)
        # ignores SIGINT, and its children would inherit that.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stdout is not None
    assert process.stdout.readline().startswith(b"{")
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130
    assert stderr == b"clientocracy: interrupted\n"


def test_ctrl_c_while_writing_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import clientocracy._io.files as files
    from clientocracy._cli.app import main

    out = tmp_path / "stories.json"
    out.write_text("the previous export", encoding="utf-8")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupted)
    assert main(["export", "-o", str(out)]) == 130
    assert capsys.readouterr().err == "clientocracy: interrupted\n"
    assert out.read_text(encoding="utf-8") == "the previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["stories.json"]


# -- 2. terminal controls from data and arguments --------------------------------


def assert_terminal_safe(text: str) -> None:
    for char in UNSAFE:
        assert char not in text, f"{char!r} reached the terminal"


COMMANDS = [
    ("list",),
    ("show", "story\x1b[31mEVIL\x1b[0m\u202eRLO\u2067ISO\x07BEL\x9bC1"),
    ("random", "--seed", "1"),
    ("companies",),
    ("principles",),
    ("languages",),
    ("search", "umbrella"),
    ("search", "evil"),
    ("search", "nothing-at-all"),
    ("list", "--company", "Company \x1b[31mEVIL"),
    ("list", "--company", "nobody \x1b]0;title\x07"),
    ("show", "no-such-story\u202e\x1b[2J"),
    ("search", "x", "--language", "\x9b31m"),
    ("export", "--format", "\x1b[31m"),
    ("\x1b[31mcommand",),
    ("list", "--\x1b[2Joption"),
    ("list", "--bidi"),
    ("show", "story\x1b[31mEVIL\x1b[0m\u202eRLO\u2067ISO\x07BEL\x9bC1", "--bidi"),
]


@POSIX
@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: " ".join(map(ascii, args)))
def test_hostile_values_in_every_field_never_reach_the_terminal(
    hostile_folder: Path, args: tuple[str, ...]
) -> None:
    result = run("--no-bundled", "--corpus", str(hostile_folder), *args)
    assert "Traceback" not in result.stderr
    assert_terminal_safe(result.stdout)
    assert_terminal_safe(result.stderr)
    if COMMANDS.index(args) < 9:  # the corpus loaded; the command finds its data or not
        expected = 1 if args in (("search", "evil"), ("search", "nothing-at-all")) else 0
        assert result.returncode == expected, result.stderr
    if result.returncode == 0:
        assert "\\x1b[31mEVIL" in result.stdout  # shown, as an escape


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile") / "corpus"
    hostile_corpus().save(folder)
    return folder


@POSIX
@pytest.mark.parametrize(
    "args",
    [
        ("list", "--json"),
        ("show", "story\x1b[31mEVIL\x1b[0m\u202eRLO\u2067ISO\x07BEL\x9bC1", "--json"),
        ("companies", "--json"),
        ("principles", "--json"),
        ("languages", "--json"),
        ("search", "umbrella", "--json"),
        ("export", "--format", "json"),
        ("export", "--format", "jsonl"),
    ],
)
def test_json_is_exact_data_in_terminal_safe_text(
    hostile_folder: Path, args: tuple[str, ...]
) -> None:
    result = run("--no-bundled", "--corpus", str(hostile_folder), *args)
    assert result.returncode == 0, result.stderr
    assert_terminal_safe(result.stdout)
    documents = (
        [json.loads(line) for line in result.stdout.splitlines()]
        if "jsonl" in args
        else [json.loads(result.stdout)]
    )
    assert any(
        "\x1b[31mEVIL\x1b[0m\u202eRLO\u2067ISO\x07BEL\x9bC1" in value
        for value in strings(documents)
    )


def strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


@POSIX
def test_csv_is_exact_data(hostile_folder: Path, tmp_path: Path) -> None:
    piped = run("--no-bundled", "--corpus", str(hostile_folder), "export", "--format", "csv")
    assert piped.returncode == 0
    (row,) = list(__import__("csv").DictReader(io.StringIO(piped.stdout)))
    assert row["title"] == "Title \x1b[31mEVIL\x1b[0m\u202eRLO\u2067ISO\x07BEL\x9bC1"


def on_a_terminal(*args: str) -> str:
    """Run the command with its output on a pseudo-terminal; return what it printed."""
    # No pager: what is checked is what the command writes, not what less does.
    return run_on_terminal(*args, env={"CLIENTOCRACY_PAGER": "cat"})[1]


@POSIX
@pytest.mark.parametrize(
    "args", [("export", "--format", "csv"), ("list",), ("search", "umbrella"), ("nope",)]
)
def test_on_a_terminal_only_our_own_styles_are_escapes(
    hostile_folder: Path, args: tuple[str, ...]
) -> None:
    shown = on_a_terminal("--no-bundled", "--corpus", str(hostile_folder), *args)
    # Our styles are SGR sequences (ESC [ digits m) and nothing else.
    import re

    assert "\\x1b[31mEVIL" in shown or args == ("nope",)
    without_styles = re.sub("\x1b\\[[0-9;]*m", "", shown).replace("\r\n", "\n")
    assert_terminal_safe(without_styles)


@POSIX
@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_a_completion_script_runs_no_data(tmp_path: Path) -> None:
    # Ids and names go into the script the user evals: they must stay words.
    marker = tmp_path / "ran"
    evil = f"x$(touch${{IFS}}{marker})`touch${{IFS}}{marker}`';touch${{IFS}}{marker};'\"\\]:[*?"
    hostile_corpus(evil).save(tmp_path / "corpus")
    script = run("--no-bundled", "--corpus", str(tmp_path / "corpus"), "completion", "bash")
    assert script.returncode == 0, script.stderr
    (tmp_path / "completion.bash").write_text(script.stdout, encoding="utf-8")
    driver = tmp_path / "complete.sh"
    driver.write_text(
        'source "$1"; shift\n'
        'COMP_WORDS=(clientocracy "$@" ""); COMP_CWORD=$(( $# + 1 ))\n'
        'COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}\n'
        "_clientocracy; printf '%s\\n' \"${COMPREPLY[@]}\"\n",
        encoding="utf-8",
    )
    for words in (["show"], ["list", "--company"], ["list", "--principle"], ["--language"]):
        completed = subprocess.run(
            ["bash", str(driver), str(tmp_path / "completion.bash"), *words],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert completed.returncode == 0, completed.stderr
        assert "touch" in completed.stdout  # the hostile values were offered, as words
    assert not marker.exists()


def test_zwnj_and_zwj_survive(tmp_path: Path) -> None:
    persian = "می\u200cخواهم\u200dها"
    hostile_corpus(persian).save(tmp_path / "fa")
    ident = hostile_corpus(persian).stories()[0].id
    for args in (("list",), ("show", ident), ("search", "umbrella"), ("principles",)):
        result = run("--no-bundled", "--corpus", str(tmp_path / "fa"), *args)
        assert result.returncode == 0, result.stderr
        assert persian in result.stdout


# Arguments as a hostile user would type them: options, values and commands
# in any order, with terminal payloads, huge numbers and odd Unicode.
words = st.sampled_from(
    [
        "list", "show", "random", "search", "companies", "principles", "languages",
        "export", "validate", "--json", "--company", "--principle", "--language",
        "--limit", "-n", "--seed", "--format", "--corpus", "--no-bundled", "--help",
        "--version", "-o", "json", "csv", "zappos", "Zappos", "fa", "ru", "0", "-1",
        "9223372036854775808", "1e9", "", " ", "\x1b[31m", "\u202e", "\x9b", "\x07",
        "\ud800", "\udcff", "زاپوس", "будильник", '"', "--", "-", "nowhere/",
        "zappos-flowers-for-a-mother", "small-things-matter",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(argv=st.lists(words | st.text(max_size=8), max_size=7))
def test_any_arguments_give_a_status_and_safe_text(argv: list[str]) -> None:
    from clientocracy._cli.app import main

    if "-o" in argv:  # writing files is tested above, not in the working directory
        return
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = main(argv)
    assert status in (0, 1, 2)
    assert "Traceback" not in stderr.getvalue()
    assert_terminal_safe(stderr.getvalue())
    machine = "--json" in argv or "export" in argv
    if not machine:
        assert_terminal_safe(stdout.getvalue())


@settings(max_examples=60, deadline=None)
@given(evil=st.text(min_size=1, max_size=10).filter(lambda s: s.strip() and " " not in s))
def test_any_value_in_any_field_is_shown_safely(evil: str) -> None:
    from clientocracy._cli.app import main

    try:
        corpus = hostile_corpus(evil)
    except (ValueError, TypeError):
        return  # a value the records themselves refuse
    saved, corpus_module._bundled = corpus_module._bundled, corpus
    try:
        for args in (
            ["list"],
            ["show", corpus.stories()[0].id],
            ["companies"],
            ["principles"],
            ["languages"],
            ["search", "umbrella"],
        ):
            stdout, stderr = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                status = main(args)
            assert status in (0, 1, 2), stderr.getvalue()
            assert_terminal_safe(stdout.getvalue() + stderr.getvalue())
    finally:
        corpus_module._bundled = saved
