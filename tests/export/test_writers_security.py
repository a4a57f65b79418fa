"""What clientocracy writes stays where it is meant to go and reads back as written.

Hub export into a folder someone else prepared, CSV and JSON Lines that a
line-splitting reader cuts, YAML front matter, the pager, the environment
and signals during a build.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import clientocracy
from clientocracy import Corpus

from ..helpers import TEXT, plain, run_on_terminal, user_catalog, user_catalog_v2, write_corpus

POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX links, terminals and signals")
STORIES = tuple(Corpus.bundled().stories())


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clientocracy", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
        check=False,
    )


# -- 6. the Hub export writes into its folder, not through links in it ---------------


@POSIX
@pytest.mark.parametrize("name", ["README.md", "data/train-00000-of-00001.parquet"])
def test_the_hub_export_replaces_links_in_its_folder(tmp_path: Path, name: str) -> None:
    pytest.importorskip("pyarrow")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    clone = tmp_path / "clone"
    (clone / "data").mkdir(parents=True)
    (clone / name).symlink_to(victim)
    clientocracy.write_hf_dataset(STORIES, clone)
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not (clone / name).is_symlink()
    assert (clone / "README.md").read_text(encoding="utf-8").startswith("---\n")


@POSIX
def test_the_hub_export_refuses_a_data_folder_that_is_a_link(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    clone = tmp_path / "clone"
    clone.mkdir()
    (clone / "data").symlink_to(elsewhere)
    with pytest.raises(NotADirectoryError, match="a link or not a folder"):
        clientocracy.write_hf_dataset(STORIES, clone)
    assert list(elsewhere.iterdir()) == []


# -- 10. CSV and JSON Lines read back as one record per story ---------------------------


BREAKS = ["\r", "\r\n", "\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c"]


def corpus_with_summary(tmp_path: Path, summary: str) -> Corpus:
    return clientocracy.load(
        write_corpus(
            tmp_path / "c", user_catalog(summary=summary), {"texts/acme.txt": TEXT.encode()}
        )
    )


@pytest.mark.parametrize("brk", BREAKS)
def test_csv_keeps_a_line_break_inside_its_field(tmp_path: Path, brk: str) -> None:
    summary = f"Fine{brk}INJECTED"
    stories = corpus_with_summary(tmp_path, summary).stories()
    text = clientocracy.export(stories, "csv")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 1 + len(stories)
    assert rows[1][rows[0].index("summary")] == summary


@pytest.mark.parametrize("brk", BREAKS)
def test_json_lines_are_one_line_per_story_for_any_line_splitter(tmp_path: Path, brk: str) -> None:
    summary = f"Fine{brk}INJECTED"
    stories = corpus_with_summary(tmp_path, summary).stories()
    text = clientocracy.export(stories, "jsonl")
    lines = text.splitlines()  # Unicode's line breaks, U+2028 among them
    assert len(lines) == len(stories)
    assert json.loads(lines[0])["summary"] == summary


# -- 11. the Hub card's front matter reads back exactly ------------------------------


@given(st.dictionaries(st.text(min_size=1), st.one_of(st.text(), st.lists(st.text()))))
def test_the_front_matter_is_yaml_that_reads_back_exactly(fields: dict[str, Any]) -> None:
    yaml = pytest.importorskip("yaml")
    from clientocracy._export.hub import _yaml

    assert (yaml.safe_load(_yaml(fields)) or {}) == fields


@POSIX
def test_a_language_id_with_del_or_c1_keeps_the_card_readable(tmp_path: Path) -> None:
    yaml = pytest.importorskip("yaml")
    pytest.importorskip("pyarrow")
    catalog = user_catalog()
    catalog["languages"] = [
        {"id": "x\x7f\x9fy", "name": "Odd", "native_name": "Odd", "direction": "ltr"}
    ]
    catalog["sources"][0]["language"] = "x\x7f\x9fy"
    corpus = clientocracy.load(
        write_corpus(tmp_path / "c", catalog, {"texts/acme.txt": TEXT.encode()})
    )
    clientocracy.write_hf_dataset(corpus.stories(), tmp_path / "hub")
    card = (tmp_path / "hub" / "README.md").read_text(encoding="utf-8")
    front = yaml.safe_load(card.split("---\n")[1])
    assert "x\x7f\x9fy" in front["language"]


# -- 9. every limit holds at load ------------------------------------------------------


def test_a_story_with_more_translations_than_search_can_number_is_refused(
    tmp_path: Path,
) -> None:
    catalog = user_catalog_v2()
    story = catalog["stories"][0]
    translation = story["translations"][0]
    count = 300
    catalog["languages"] = [
        {"id": f"l{n}", "name": f"Tongue {n}", "native_name": f"Tongue {n}", "direction": "ltr"}
        for n in range(count)
    ]
    story["translations"] = [{**translation, "language": f"l{n}"} for n in range(count)]
    folder = write_corpus(tmp_path / "c", catalog, {"texts/acme.txt": TEXT.encode()})
    result = cli("validate", str(folder))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "300 translations, over the limit of 255" in result.stdout


# -- 12. the pager, the environment, empty names and signals ------------------------------


@POSIX
@pytest.mark.parametrize(
    "pager", ["false", "no-such-pager-anywhere", "sh -c 'cat >/dev/null; exit 3'"]
)
def test_a_failing_pager_is_an_error_not_silence(pager: str) -> None:
    status, shown = run_on_terminal("list", env={"PAGER": pager})
    assert status == 2, shown
    assert "pager" in plain(shown)
    assert "--no-pager" in plain(shown)


@POSIX
@pytest.mark.parametrize("value", ["0", "false", "no", "off", "", "FALSE"])
def test_bidi_off_values_turn_it_off(value: str) -> None:
    pytest.importorskip("bidi")
    story = next(s for s in STORIES if s.language.id == "fa")
    plain_show = run_on_terminal("show", story.id)[1]
    assert run_on_terminal("show", story.id, env={"CLIENTOCRACY_BIDI": value})[1] == plain_show
    reordered = run_on_terminal("show", story.id, env={"CLIENTOCRACY_BIDI": "1"})[1]
    assert reordered != plain_show


@pytest.mark.parametrize("command", [["export"], ["export", "--format", "csv"], ["build", "."]])
def test_an_empty_output_name_is_refused_as_such(command: list[str], tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "clientocracy", *command, "-o", ""],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "-o/--output needs a file name" in result.stderr
    assert list(tmp_path.iterdir()) == []


@POSIX
@pytest.mark.parametrize("sig", ["SIGTERM", "SIGHUP"])
def test_a_build_stopped_by_a_signal_leaves_no_temporary_file(tmp_path: Path, sig: str) -> None:
    # The index is slowed down so that the signal comes while the file is written.
    code = textwrap.dedent(
        """
        import sys, time
        from clientocracy._search import index as _search
        real = _search.fill_index
        def slow(*args):
            print("writing", flush=True)
            time.sleep(60)
            real(*args)
        _search.fill_index = slow
        from clientocracy._cli.app import main
        sys.exit(main(["build", sys.argv[1], "-o", sys.argv[2]]))
        """
    )
    folder = write_corpus(tmp_path / "c", user_catalog(), {"texts/acme.txt": TEXT.encode()})
    out = tmp_path / "out"
    out.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(folder), str(out / "out.sqlite")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == "writing\n"
        assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
        process.send_signal(getattr(signal, sig))
        process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode != 0
    assert list(out.iterdir()) == []
