"""The ``clientocracy`` command, run as users run it: the installed entry point."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import clientocracy

from ..helpers import (
    COMMAND_TIMEOUT,
    SCRIPT,
    raw_passage,
    raw_story_ids,
    run,
    run_on_terminal,
    user_corpus,
)


def test_list_prints_an_aligned_table() -> None:
    result = run("list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "COMPANY", "LANG", "TITLE"]
    assert len(lines) == 11
    title_column = lines[0].index("TITLE")
    for line, story in zip(lines[1:], clientocracy.stories(), strict=True):
        assert line.startswith(story.id)
        assert line[title_column:] == story.title_en
    assert result.stderr == ""


def test_list_filters_resolve_like_the_api() -> None:
    result = run("list", "--company", "زاپوس", "--company", "trader joes", "--language", "Farsi")
    assert result.returncode == 0, result.stderr
    ids = [line.split()[0] for line in result.stdout.splitlines()[1:]]
    expected = clientocracy.stories(company=["زاپوس", "trader joes"], language="Farsi").ids()
    assert tuple(ids) == expected == ("zappos-flowers-for-a-mother",)


def test_show_reads_like_a_story() -> None:
    story = clientocracy.story("sainsburys-giraffe-bread")
    result = run("show", story.id)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for expected in (
        story.title,
        story.title_en,
        "Sainsbury’s",
        "Russian (ru)",
        "Small things matter",
        "Summary",
        story.source.id,
        f"{story.span.start}–{story.span.end}",
        "Глоссарий клиентократии",
    ):
        assert expected in out, expected
    # The passage is all there, word for word, in order.
    assert " ".join(story.text.split()) in " ".join(out.split())


def test_show_wraps_to_the_terminal_without_breaking_words() -> None:
    story = clientocracy.story("nordstrom-lost-diamond-ring")
    result = run("show", story.id, env={"COLUMNS": "40"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines if "://" not in line) <= 40
    printed = result.stdout.split()
    for word in story.text.split():
        assert word in printed


def test_persian_is_printed_in_logical_order() -> None:
    story = clientocracy.story("zappos-flowers-for-a-mother")
    result = run("show", story.id)
    first_words = " ".join(story.text.split()[:6])
    assert first_words in result.stdout


def test_random_is_reproducible_with_a_seed() -> None:
    first = run("random", "--seed", "7")
    second = run("random", "--seed", "7")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    picked = {run("random", "--seed", str(seed), "--json").stdout for seed in range(6)}
    assert len(picked) > 1
    filtered = json.loads(run("random", "--language", "fa", "--seed", "1", "--json").stdout)
    assert filtered["language"] == "fa"


def test_vocabularies_with_counts() -> None:
    companies = run("companies")
    assert companies.returncode == 0
    zappos = next(line for line in companies.stdout.splitlines() if line.startswith("zappos"))
    assert zappos.split()[:3] == ["zappos", "Zappos", "2"]
    principles = run("principles")
    for principle in clientocracy.principles():
        assert principle.name in principles.stdout
        assert principle.definition.split()[0] in principles.stdout
    languages = run("languages")
    assert "фарси" not in languages.stdout
    assert "فارسی" in languages.stdout
    assert "rtl" in languages.stdout


def test_json_listings_have_the_export_shape() -> None:
    exported = json.loads(run("export", "--format", "json").stdout)
    listed = json.loads(run("list", "--json").stdout)
    assert listed == exported
    assert [item["id"] for item in exported] == raw_story_ids()
    first = exported[0]
    assert set(first) == {
        "id",
        "title",
        "title_en",
        "summary",
        "company",
        "principles",
        "language",
        "source",
        "source_license",
        "span",
        "channel",
        "text",
        "titles",
        "summaries",
        "languages",
        "translations",
    }
    story = clientocracy.story(first["id"])
    assert first["text"] == raw_passage(first["id"])
    assert first["languages"] == ["ru", "en", "fa"]
    for translation, record in zip(first["translations"], story.translations, strict=True):
        assert translation["language"] == record.language.id
        assert translation["text"] == record.text
        assert [s["original"] for s in translation["segments"]] == [
            s.original for s in record.segments
        ]
    assert first["span"] == {"start": story.span.start, "end": story.span.end}
    shown = json.loads(run("show", first["id"], "--json").stdout)
    assert shown == first
    companies = json.loads(run("companies", "--json").stdout)
    assert {c["id"]: c["stories"] for c in companies}["lego"] == 2
    principles = json.loads(run("principles", "--json").stdout)
    assert {p["id"] for p in principles} == {p.id for p in clientocracy.principles()}
    languages = json.loads(run("languages", "--json").stdout)
    assert {lang["id"]: lang["stories"] for lang in languages} == {"ru": 8, "fa": 2, "en": 0}


def test_export_jsonl_and_csv() -> None:
    jsonl = run("export", "--format", "jsonl", "--company", "LEGO")
    rows = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert [r["id"] for r in rows] == raw_story_ids(company="lego")
    assert len(rows) == 2
    assert "Сенсей Ву" in jsonl.stdout  # non-ASCII written as is
    table = list(csv.DictReader(io.StringIO(run("export", "--format", "csv").stdout)))
    assert len(table) == 10
    flowers = next(r for r in table if r["id"] == "zappos-flowers-for-a-mother")
    assert flowers["text"] == raw_passage("zappos-flowers-for-a-mother")
    assert flowers["principles"].split(";")[0] == "clientocracy"


def test_export_to_a_file_is_atomic(tmp_path: Path) -> None:
    target = tmp_path / "stories.json"
    target.write_text("old content", encoding="utf-8")
    result = run("export", "--format", "json", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 10
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stories.json"]


def test_a_failed_export_leaves_nothing_behind(tmp_path: Path) -> None:
    blocker = tmp_path / "taken"
    blocker.mkdir()
    (blocker / "keep").write_text("x", encoding="utf-8")
    result = run("export", "-o", str(blocker))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
    missing = run("export", "-o", str(tmp_path / "no" / "such" / "dir" / "x.json"))
    assert missing.returncode == 2
    assert "No such file or directory" in missing.stderr


def test_unknown_value_exits_2_with_a_suggestion() -> None:
    result = run("list", "--company", "Zapos")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert 1 <= len(lines) <= 2
    assert "unknown company: 'Zapos'" in lines[0]
    assert "Did you mean 'Zappos'?" in lines[0]
    assert "clientocracy companies" in lines[1]
    story = run("show", "zappos-ten-hour-cal")
    assert story.returncode == 2
    assert "zappos-ten-hour-call" in story.stderr


def test_usage_errors_exit_2_in_two_lines() -> None:
    for args in (("list", "--bogus"), ("frobnicate",), ("random", "--seed", "x")):
        result = run(*args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr
        assert 1 <= len(result.stderr.splitlines()) <= 2, result.stderr
        assert "--help" in result.stderr


def test_nothing_matched_exits_1() -> None:
    result = run("list", "--language", "English")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "no story matches --language English" in result.stderr
    assert json.loads(run("list", "--language", "en", "--json").stdout) == []
    assert run("random", "--language", "en").returncode == 1


def test_version_and_help() -> None:
    version = run("--version")
    assert version.stdout.strip() == f"clientocracy {clientocracy.__version__}"
    for command in ("list", "show", "random", "companies", "principles", "languages", "export"):
        result = run(command, "--help")
        assert result.returncode == 0
        assert "example" in result.stdout
        assert result.stdout.startswith("usage: clientocracy " + command)


def test_python_dash_m_runs_the_same_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "clientocracy", "list", "--company", "LEGO"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert result.returncode == 0
    assert result.stdout == run("list", "--company", "LEGO").stdout


def test_a_closed_pipe_ends_quietly() -> None:
    process = subprocess.Popen(
        [SCRIPT, "export", "--format", "jsonl"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None
    process.stdout.close()  # the reader is gone before the first write
    _, stderr = process.communicate(timeout=60)
    assert stderr == b""
    assert process.returncode == 141
    shell = subprocess.run(
        f"'{SCRIPT}' export --format jsonl | head -1",
        shell=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert shell.stderr == ""
    assert json.loads(shell.stdout)["id"] == "jetblue-free-coffee-at-the-gate"


@pytest.mark.parametrize(
    "env", [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": ""}]
)
def test_an_ascii_terminal_does_not_crash(env: dict[str, str]) -> None:
    for args in (("show", "zappos-flowers-for-a-mother"), ("list",), ("principles",)):
        result = run(*args, env=env)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr


def on_a_tty(*args: str, env: dict[str, str] | None = None) -> str:
    """Run the command with its output on a pseudo-terminal; return what it printed."""
    return run_on_terminal(*args, env=env)[1]


def test_colour_only_on_a_terminal_and_never_with_no_color() -> None:
    assert "\x1b[" in on_a_tty("list")
    assert "\x1b[" not in on_a_tty("list", env={"NO_COLOR": "1"})
    assert "\x1b[" not in run("list").stdout


HOSTILE = textwrap.dedent(
    """
    import sys
    import clientocracy
    import clientocracy._corpus.corpus as corpus_module
    from clientocracy import Company, Corpus, Language, Principle, Quote, Source, Span, Story
    from clientocracy._cli.app import main

    evil = "Evil\\x1b[31mRED\\x1b[0m \\u202eesrever\\u202c \\u2067iso\\u2069 bell\\x07 c1\\x9b"
    lang = Language(id="xx", name="Test", native_name="Test", direction="ltr")
    text = "Intro. " + evil + " happened here, \ue000forged\ue001. The end."
    source = Source(id="s", language=lang, titles=(("xx", evil), ("en", evil)), text=text,
                    sha256="0" * 64, origin=evil)
    company = Company(id="evil", name=evil, industry=evil, country="US")
    principle = Principle(id="p", names=(("en", evil),), definitions=(("en", evil),),
                          statement=Quote(source=source, span=Span(start=0, end=6)))
    story = Story(id="evil-story", titles=(("xx", evil), ("en", evil)), summaries=(("en", evil),),
                  company=company,
                  principles=(principle,), language=lang, source=source,
                  span=Span(start=7, end=len(text)))
    corpus_module._bundled = Corpus(languages=[lang], companies=[company],
                                    principles=[principle], sources=[source], stories=[story])
    sys.exit(main(sys.argv[1:]))
    """
)


@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        ("show", "evil-story"),
        ("companies",),
        ("principles",),
        ("languages",),
        ("search", "happened"),
        ("search", "evil"),
    ],
)
def test_escapes_and_bidi_controls_are_neutralized(args: tuple[str, ...]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", HOSTILE, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=COMMAND_TIMEOUT,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for raw in ("\x1b", "\u202e", "\u2067", "\u2069", "\x07", "\x9b"):
        assert raw not in out, repr(raw)
    if args == ("search", "happened"):
        # Highlight marks in the data cannot pose as highlights: they are
        # shown as U+FFFD (on a pipe, where highlights are not styled, a
        # mark taken for one would vanish instead).
        assert "\ufffdforged\ufffd" in out
        assert "\ue000" not in out
        assert "\ue001" not in out
    if args[0] in ("list", "show", "companies", "search"):
        assert "\\x1b[31mRED" in out
        assert "\\u202eesrever" in out


def test_json_output_keeps_data_exact() -> None:
    # JSON escapes control characters itself, so data round-trips unchanged.
    result = subprocess.run(
        [sys.executable, "-c", HOSTILE, "show", "evil-story", "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=COMMAND_TIMEOUT,
    )
    assert "\x1b" not in result.stdout
    assert json.loads(result.stdout)["title"].startswith("Evil\x1b[31mRED")


def _user_corpus(folder: Path, title: str = "The umbrella") -> Path:
    """A user corpus whose company and story are both called *title*."""
    return user_corpus(folder, company_fields={"name": title}, title=title, title_en=title)


def test_validate_a_good_and_a_bad_corpus(tmp_path: Path) -> None:
    good = _user_corpus(tmp_path / "good")
    result = run("validate", str(good))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid. It defines 1 story, 1 source and 1 company" in result.stdout
    bad = tmp_path / "bad"
    shutil.copytree(good, bad)
    catalog = json.loads((bad / "catalog.json").read_text(encoding="utf-8"))
    catalog["stories"][0]["company"] = "nope"
    catalog["companies"][0]["country"] = "Britain"
    (bad / "catalog.json").write_text(json.dumps(catalog), encoding="utf-8")
    result = run("validate", str(bad))
    assert result.returncode == 1
    assert "2 problems" in result.stdout
    assert "field 'company': no company has id 'nope'" in result.stdout
    assert "field 'country'" in result.stdout


def test_corpus_options_on_every_command(tmp_path: Path) -> None:
    folder = _user_corpus(tmp_path / "mine")
    both = run("--corpus", str(folder), "list")
    assert both.returncode == 0, both.stderr
    assert len(both.stdout.splitlines()) == 12
    mine = run("list", "--corpus", str(folder), "--no-bundled", "--principle", "мелочи важны")
    assert [line.split()[0] for line in mine.stdout.splitlines()[1:]] == ["acme-umbrella"]
    shown = run("--corpus", str(folder), "show", "acme-umbrella")
    assert "drove it to her house" in shown.stdout
    missing = run("--corpus", str(tmp_path / "nowhere"), "list")
    assert missing.returncode == 2
    assert "no such corpus folder" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_user_data_cannot_drive_the_terminal(tmp_path: Path) -> None:
    evil = "Evil\x1b[31mRED\x1b[0m \u202eesrever\u202c bell\x07"
    folder = _user_corpus(tmp_path / "evil", title=evil)
    for args in (("list",), ("show", "acme-umbrella"), ("companies",)):
        result = run("--corpus", str(folder), *args)
        assert result.returncode == 0, result.stderr
        for raw in ("\x1b", "\u202e", "\x07"):
            assert raw not in result.stdout
        assert "\\x1b[31mRED" in result.stdout


# -- search ----------------------------------------------------------------------


def test_search_prints_the_hits_in_order() -> None:
    result = run("search", "zappos")
    assert result.returncode == 0, result.stderr
    printed = [line.split()[0] for line in result.stdout.splitlines() if line[:1].isalnum()]
    # The two Zappos stories of the catalog, best score first.
    assert sorted(printed) == sorted(raw_story_ids(company="zappos"))
    assert len(printed) == 2
    hits = json.loads(run("search", "zappos", "--json").stdout)
    assert [hit["story"]["id"] for hit in hits] == printed
    assert hits[0]["score"] >= hits[1]["score"] > 0
    assert "Обувной интернет-магазин Zappos" in result.stdout


def test_search_joins_its_words_and_takes_filters() -> None:
    result = run("search", "alarm", "clocks", "--language", "ru", "-n", "1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("gaylord-opryland-alarm-clocks")
    assert "alarm clock" in result.stdout


def test_search_json_is_the_documented_shape() -> None:
    result = run("search", "будильники", "--json")
    assert result.returncode == 0, result.stderr
    (hit,) = json.loads(result.stdout)
    assert set(hit) == {"story", "score", "language", "snippet"}
    assert hit["story"] == json.loads(run("show", hit["story"]["id"], "--json").stdout)
    assert hit["score"] > 0
    assert hit["language"] == "ru"
    snippet = hit["snippet"]
    # The snippet is the passage's own text, from where it says it starts.
    assert snippet["field"] == "text"
    start = snippet["start"]
    passage = raw_passage("gaylord-opryland-alarm-clocks")
    assert passage[start : start + len(snippet["text"])] == snippet["text"]
    for span in snippet["highlights"]:
        assert snippet["text"][span["start"] : span["end"]].startswith("будильник")
    assert hit["story"]["id"] == "gaylord-opryland-alarm-clocks"


def test_search_without_hits_exits_1() -> None:
    result = run("search", "zeppelin")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "no story matches 'zeppelin'" in result.stderr
    assert run("search", "zeppelin", "--json").stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("search", "zappos", "--limit", "-1"), "--limit cannot be negative"),
        (("search", "zappos", "--company", "Zapos"), "Zappos"),
        (("search",), "the following arguments are required: WORD"),
    ],
)
def test_search_usage_errors_exit_2(args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_search_highlights_only_on_a_terminal() -> None:
    coloured = on_a_tty("search", "будильники")
    assert "\x1b[1;33mбудильник" in coloured
    plain = run("search", "будильники").stdout
    assert "\x1b" not in plain
    assert "будильником" in plain


# -- reading in another language --------------------------------------------------


def test_show_in_another_language_prints_the_translation() -> None:
    story = clientocracy.story("jetblue-free-coffee-at-the-gate")
    result = run("show", story.id, "--in", "Farsi")
    assert result.returncode == 0, result.stderr
    assert story.title_in("fa") in result.stdout
    first_words = story.text_in("fa").split()[:3]
    assert " ".join(first_words) in result.stdout
    assert "Persian (fa), told in Russian (ru)" in result.stdout
    assert "Translator: The clientocracy maintainers" in result.stdout
    assert story.text[:20] not in result.stdout  # the original is not printed
    original = run("show", story.id, "--in", "ru")
    assert story.text[:20] in original.stdout
    assert "Translator" not in original.stdout


def test_show_parallel_prints_every_segment_beside_its_original() -> None:
    story = clientocracy.story("nordstrom-lost-diamond-ring")
    segments = story.translation("ru").segments
    result = run("show", story.id, "--in", "русский", "--parallel", env={"COLUMNS": "90"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    numbered = [line for line in lines if re.match(r"\s*\d+\s+fa\s", line)]
    assert len(numbered) == len(segments)
    shown = " ".join(result.stdout.split())
    for segment in segments:
        assert " ".join(segment.text.split()) in shown
    # Wide enough, side by side: each segment's first line holds both texts.
    wide = run("show", story.id, "--in", "ru", "--parallel", env={"COLUMNS": "200"})
    numbered = [line for line in wide.stdout.splitlines() if re.match(r"\s*\d+ \S", line)]
    assert len(numbered) == len(segments)
    for line, segment in zip(numbered, segments, strict=True):
        left, right = line.split(" │ ")
        assert segment.original.split()[0] in left
        assert segment.text.split()[0] in right
    rows = json.loads(run("show", story.id, "--in", "ru", "--parallel", "--json").stdout)
    assert [(r["original"], r["translation"]) for r in rows] == [
        (s.original, s.text) for s in segments
    ]
    # Without --in, the original sits beside the English translation.
    english = run("show", story.id, "--parallel")
    assert story.translation("en").segments[0].text[:30] in english.stdout


def test_show_parallel_with_the_original_language_is_a_usage_error() -> None:
    result = run("show", "jetblue-free-coffee-at-the-gate", "--in", "ru", "--parallel")
    assert result.returncode == 2
    assert "Russian is the original" in result.stderr
    assert "Traceback" not in result.stderr


def test_list_shows_titles_in_a_chosen_language() -> None:
    result = run("list", "--in", "fa", "--company", "JetBlue")
    assert result.returncode == 0, result.stderr
    header, row = result.stdout.splitlines()
    assert "TITLE (fa)" in header
    assert row.endswith(clientocracy.story("jetblue-free-coffee-at-the-gate").title_in("fa"))


def test_search_says_in_which_language_a_story_matched() -> None:
    result = run("search", "قهوه")
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("jetblue-free-coffee-at-the-gate")
    assert "matched in fa" in first
    hits = json.loads(run("search", "قهوه", "--json").stdout)
    assert hits[0]["language"] == hits[0]["snippet"]["language"] == "fa"


def test_random_reads_in_a_chosen_language() -> None:
    result = run("random", "--seed", "1", "--language", "fa", "--in", "en")
    assert result.returncode == 0, result.stderr
    assert "English (en), told in Persian (fa)" in result.stdout


def test_export_segments_writes_the_parallel_corpus(tmp_path: Path) -> None:
    stories = clientocracy.stories(company="LEGO")
    result = run("export", "--segments", "--format", "csv", "--company", "LEGO")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows == [
        {key: str(value) for key, value in row.items()}
        for row in clientocracy.segment_rows(stories)
    ]
    out = tmp_path / "segments.jsonl"
    assert run("export", "--segments", "--format", "jsonl", "-o", str(out)).returncode == 0
    lines = out.read_text("utf-8").splitlines()
    assert len(lines) == len(clientocracy.segment_rows(clientocracy.stories()))
