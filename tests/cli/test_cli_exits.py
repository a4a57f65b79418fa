"""Every exit status `docs/cli.md` lists, each from the command as users run it.

0 on success; 1 when no story matches, and from `validate` for a corpus that
is not valid; 2 for a usage error, a name that matches nothing, a corpus that
cannot be loaded, or output that cannot be written. (130 for Ctrl-C and 141
for a closed pipe are tested in test_security.py and test_cli.py, where the
signal and the pipe are set up.) Also: what `export` does when nothing
matches, that writing to a file never starts a pager, and that several
compiled corpora are all read.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import clientocracy

from ..helpers import run, run_on_terminal, user_corpus, write_corpus

# The bundled stories are told in Russian and Persian; English is a language
# of the corpus (titles, summaries, translations), but no story is told in it.
NO_MATCH = ("--company", "jetblue", "--language", "en")


def test_the_filters_of_no_match_name_existing_things_but_match_nothing() -> None:
    assert clientocracy.stories(company="jetblue")
    assert "en" in [language.id for language in clientocracy.languages()]
    assert not clientocracy.stories(company="jetblue", language="en")


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (("list",), 0),
        (("list", *NO_MATCH), 1),
        (("search", "umbrella", "--company", "jetblue"), 1),
        (("random", *NO_MATCH), 1),
        (("export", "--format", "csv", *NO_MATCH), 1),
        (("--frobnicate",), 2),
        (("list", "--company", "no-such-company"), 2),
        (("show", "no-such-story"), 2),
        (("list", "--limit", "-1"), 2),
    ],
)
def test_exit_statuses(args: tuple[str, ...], status: int) -> None:
    result = run(*args)
    assert result.returncode == status, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    if status:
        assert result.stderr.startswith("clientocracy: ") or "usage:" in result.stderr


def test_export_with_no_match_says_so_and_exits_1(tmp_path: Path) -> None:
    piped = run("export", "--format", "json", *NO_MATCH)
    assert piped.returncode == 1
    assert json.loads(piped.stdout) == []  # still a valid document
    assert "no story matches" in piped.stderr
    out = tmp_path / "none.json"
    written = run("export", "--format", "json", "-o", str(out), *NO_MATCH)
    assert written.returncode == 1
    assert "no story matches" in written.stderr
    assert json.loads(out.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("format", ["parquet", "hf"])
def test_a_parquet_or_hub_export_with_no_match_says_so_and_exits_1(
    tmp_path: Path, format: str
) -> None:
    pyarrow = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / f"none.{format}"
    result = run("export", "--format", format, "-o", str(out), *NO_MATCH)
    assert result.returncode == 1
    assert "no story matches" in result.stderr
    # The file is still written, with the schema and no rows.
    files = [out] if format == "parquet" else sorted(out.rglob("*.parquet"))
    assert files
    assert sum(pyarrow.read_table(path).num_rows for path in files) == 0


def test_validate_exits_1_for_a_broken_corpus_and_0_for_a_good_one(tmp_path: Path) -> None:
    good = user_corpus(tmp_path / "good")
    assert run("validate", str(good)).returncode == 0
    broken = write_corpus(tmp_path / "broken", b"{ not json")
    result = run("validate", str(broken))
    assert result.returncode == 1
    assert "not valid JSON" in result.stdout


def test_a_corpus_that_cannot_be_loaded_exits_2(tmp_path: Path) -> None:
    broken = write_corpus(tmp_path / "broken", b"{ not json")
    result = run("--corpus", str(broken), "list")
    assert result.returncode == 2
    assert "not valid JSON" in result.stderr


def test_output_that_cannot_be_written_exits_2(tmp_path: Path) -> None:
    result = run("export", "-o", str(tmp_path / "no-such-folder" / "out.json"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("clientocracy: ")


# -- the pager -----------------------------------------------------------------------


def test_export_to_a_file_on_a_terminal_starts_no_pager(tmp_path: Path) -> None:
    marker = tmp_path / "pager-ran"
    pager = {"CLIENTOCRACY_PAGER": f"touch '{marker}'; cat"}
    # The control: a listing on a terminal runs the pager.
    status, _ = run_on_terminal("list", env=pager)
    assert status == 0
    assert marker.exists()
    marker.unlink()
    out = tmp_path / "stories.json"
    status, shown = run_on_terminal("export", "-o", str(out), env=pager)
    assert status == 0, shown
    assert not marker.exists(), "export -o FILE started a pager"
    assert len(json.loads(out.read_text(encoding="utf-8"))) == len(clientocracy.stories())


# -- several corpora --------------------------------------------------------------------


def test_several_compiled_corpora_are_all_read(tmp_path: Path) -> None:
    first = clientocracy.compile(user_corpus(tmp_path / "a", id="a-umbrella"), tmp_path / "a.db")
    second = clientocracy.compile(
        user_corpus(tmp_path / "b", id="b-umbrella"), tmp_path / "b.sqlite"
    )
    alone = run("--no-bundled", "--corpus", str(first), "--corpus", str(second), "list")
    assert alone.returncode == 0, alone.stderr
    assert [line.split()[0] for line in alone.stdout.splitlines()[1:]] == [
        "a-umbrella",
        "b-umbrella",
    ]
    with_bundled = run("--corpus", str(first), "--corpus", str(second), "list")
    ids = [line.split()[0] for line in with_bundled.stdout.splitlines()[1:]]
    assert ids[-2:] == ["a-umbrella", "b-umbrella"]
    assert len(ids) == len(clientocracy.stories()) + 2
    # A compiled corpus with a catalog folder after it.
    mixed = run("--no-bundled", "--corpus", str(first), "--corpus", str(tmp_path / "b"), "list")
    assert [line.split()[0] for line in mixed.stdout.splitlines()[1:]] == [
        "a-umbrella",
        "b-umbrella",
    ]


def test_an_unexpected_error_exits_70_with_one_line_and_no_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import clientocracy._cli.app as app

    def broken(*args: object) -> int:
        raise RuntimeError("a bug")

    monkeypatch.setattr(app, "_command", lambda name: broken)
    assert app.main(["list"]) == 70
    err = capsys.readouterr().err
    assert err == (
        "clientocracy: internal error: RuntimeError: a bug. "
        "Please report it, with the command that caused it.\n"
    )


def test_the_command_collects_garbage_while_it_runs_and_exits_with_its_status(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The collector is paused while the command starts; a long command
    # (a build, an export) must run with it on, or cycles would pile up.
    import gc

    import clientocracy._cli.app as app

    seen: list[bool] = []

    def command(*args: object) -> int:
        seen.append(gc.isenabled())
        return 1

    monkeypatch.setattr(app, "_command", lambda name: command)
    monkeypatch.setattr("sys.argv", ["clientocracy", "list"])
    was_enabled = gc.isenabled()
    try:
        with pytest.raises(SystemExit) as exit:
            app.run()
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()
    assert seen == [True]
    assert exit.value.code == 1
