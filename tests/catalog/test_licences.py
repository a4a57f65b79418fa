"""Every source says what it may be used for: its licence, from the catalog to every export."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import clientocracy
from clientocracy import Corpus, CorpusError, Draft
from clientocracy._cli.app import main
from clientocracy._spdx import expression_problem

from ..helpers import TEXT, problems_of, user_catalog, user_catalog_v2, write_corpus

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = Corpus.bundled()

# -- the bundled texts ---------------------------------------------------------------------


def reuse_licence_of(path: str) -> str:
    """The licence REUSE.toml gives *path* (the last matching annotation wins)."""
    annotations = tomllib.loads((ROOT / "REUSE.toml").read_text("utf-8"))["annotations"]
    found = [
        entry["SPDX-License-Identifier"]
        for entry in annotations
        if path in ([entry["path"]] if isinstance(entry["path"], str) else entry["path"])
    ]
    assert found, f"REUSE.toml does not name {path}"
    licence: str = found[-1]
    return licence


@pytest.mark.parametrize("source", BUNDLED.sources(), ids=lambda source: source.id)
def test_a_bundled_source_carries_the_licence_reuse_gives_its_file(
    source: clientocracy.Source,
) -> None:
    assert source.license == reuse_licence_of(f"src/clientocracy/data/texts/{source.id}.txt")
    assert expression_problem(source.license) is None
    # Every LicenseRef it names has its text in LICENSES/, as REUSE asks.
    for word in source.license.replace("(", " ").replace(")", " ").split():
        if word.startswith("LicenseRef-"):
            assert (ROOT / "LICENSES" / f"{word}.txt").is_file()
    assert source.rights is not None
    assert "author" in source.rights


def test_the_catalog_that_carries_the_licences_is_itself_cc_by() -> None:
    assert reuse_licence_of("src/clientocracy/data/catalog.json") == "CC-BY-4.0"


# -- the licence expression --------------------------------------------------------------

identifiers = st.sampled_from(
    ["MIT", "CC-BY-4.0", "Apache-2.0", "GPL-2.0+", "LicenseRef-our-texts", "CC0-1.0"]
)
expressions = st.recursive(
    identifiers,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["AND", "OR"]), inner).map(" ".join),
        inner.map(lambda e: f"({e})"),
        inner.map(lambda e: f"{e} WITH Classpath-exception-2.0"),
    ),
    max_leaves=6,
)


@given(expressions)
def test_any_expression_of_spdx_grammar_is_accepted(expression: str) -> None:
    assert expression_problem(expression) is None


@given(expressions, st.sampled_from(["and", "or", "With"]))
def test_an_operator_in_lower_case_is_refused_with_the_fix(expression: str, word: str) -> None:
    problem = expression_problem(f"{expression} {word} MIT")
    assert problem is not None
    assert repr(word.upper()) in problem


@pytest.mark.parametrize(
    ("expression", "says"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("MIT AND", "ends with an operator"),
        ("(MIT OR CC0-1.0", "not closed"),
        ("MIT)", "closes nothing"),
        ("MIT Apache-2.0", "expected AND, OR or WITH"),
        ("AND MIT", "expected a licence identifier"),
        ("MIT; rm -rf", "';' cannot appear"),
        ("Creative Commons", "expected AND, OR or WITH"),
        ("M" * 1001, "at most 1000 characters"),
    ],
)
def test_what_is_not_an_expression_is_refused_saying_why(expression: str, says: str) -> None:
    problem = expression_problem(expression)
    assert problem is not None
    assert says in problem


# -- from the catalog, through every store, to every export -------------------------------


def own_source(corpus: Corpus) -> clientocracy.Source:
    """The one source of the corpus that is not the bundled dataset's."""
    (source,) = [s for s in corpus.sources() if s.id not in BUNDLED_SOURCES]
    return source


BUNDLED_SOURCES = {source.id for source in BUNDLED.sources()}


def corpus_with(tmp_path: Path, **source_fields: object) -> Path:
    catalog = user_catalog_v2()
    catalog["sources"][0].update(source_fields)
    return write_corpus(tmp_path / "corpus", catalog)


def test_a_catalogs_licence_and_rights_reach_the_record(tmp_path: Path) -> None:
    folder = corpus_with(tmp_path, license="CC-BY-4.0", rights="Acme Ltd; credit “Acme blog”.")
    source = own_source(clientocracy.load(folder))
    assert source.license == "CC-BY-4.0"
    assert source.rights == "Acme Ltd; credit “Acme blog”."


def test_a_source_without_them_says_nothing(tmp_path: Path) -> None:
    source = own_source(clientocracy.load(corpus_with(tmp_path)))
    assert source.license is None
    assert source.rights is None


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("MIT or Apache-2.0", "'or' should be 'OR'"),
        (["MIT"], "expected an SPDX licence expression as a string, got a list"),
        ("", "must not be empty"),
    ],
)
def test_a_bad_licence_in_a_catalog_is_a_problem_naming_its_source(
    tmp_path: Path, value: object, says: str
) -> None:
    problems = problems_of(corpus_with(tmp_path, license=value))
    (problem,) = [p for p in problems if "license" in p]
    assert "acme-blog" in problem
    assert says in problem


def test_a_licence_in_a_version_1_catalog_is_an_unknown_field(tmp_path: Path) -> None:
    catalog = user_catalog()
    catalog["sources"][0]["license"] = "MIT"
    problems = problems_of(write_corpus(tmp_path / "v1", catalog))
    assert any("license" in p for p in problems)


def test_save_compile_and_every_export_keep_the_licence(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    folder = corpus_with(tmp_path, license="MIT OR Apache-2.0", rights="Acme Ltd.")
    corpus = clientocracy.load(folder)
    corpus.save(tmp_path / "saved")
    saved = clientocracy.load(tmp_path / "saved")
    compiled = clientocracy.load(clientocracy.compile(corpus, tmp_path / "c.sqlite"))
    for each in (saved, compiled):
        source = own_source(each)
        assert (source.license, source.rights) == ("MIT OR Apache-2.0", "Acme Ltd.")
    stories = compiled.stories(company="acme")
    assert clientocracy.as_dict(own_source(compiled))["license"] == "MIT OR Apache-2.0"
    assert clientocracy.as_dict(own_source(compiled))["rights"] == "Acme Ltd."
    (story,) = json.loads(clientocracy.export(stories, "json"))
    assert story["source_license"] == "MIT OR Apache-2.0"
    (row,) = csv.DictReader(io.StringIO(clientocracy.export(stories, "csv")))
    assert row["source_license"] == "MIT OR Apache-2.0"
    clientocracy.write_parquet(stories, tmp_path / "s.parquet")
    column = pq.read_table(tmp_path / "s.parquet").column("source_license").to_pylist()
    assert column == ["MIT OR Apache-2.0"]


def test_an_unknown_licence_is_null_in_parquet_and_empty_in_csv(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    stories = clientocracy.load(corpus_with(tmp_path)).stories(company="acme")
    (row,) = csv.DictReader(io.StringIO(clientocracy.export(stories, "csv")))
    assert row["source_license"] == ""
    clientocracy.write_parquet(stories, tmp_path / "s.parquet")
    assert pq.read_table(tmp_path / "s.parquet").column("source_license").to_pylist() == [None]


def test_a_compiled_file_with_a_licence_that_is_no_expression_is_refused(
    tmp_path: Path,
) -> None:
    folder = corpus_with(tmp_path, license="MIT")
    path = clientocracy.compile(clientocracy.load(folder), tmp_path / "c.sqlite")
    db = sqlite3.connect(path)
    db.execute("UPDATE sources SET license = 'MIT; DROP TABLE stories'")
    db.commit()
    db.close()
    with pytest.raises(CorpusError) as info:
        own_source(clientocracy.load(path))
    assert "license" in str(info.value)
    assert "sources" in str(info.value)


def test_the_hub_card_of_a_corpus_lists_each_sources_licence(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    corpus = clientocracy.load(corpus_with(tmp_path, license="CC-BY-4.0", rights="Acme Ltd."))
    clientocracy.write_hf_dataset(corpus.stories(company="acme"), tmp_path / "hub")
    card = (tmp_path / "hub" / "README.md").read_text("utf-8")
    assert "| acme-blog | en | Acme blog | Our own blog. | CC-BY-4.0 | Acme Ltd. |" in card


# -- authoring and the terminal ----------------------------------------------------------


def test_a_draft_records_a_sources_licence_and_refuses_a_bad_one(tmp_path: Path) -> None:
    draft = Draft.create(tmp_path / "mine")
    with pytest.raises(ValueError, match="'or' should be 'OR'"):
        draft.add_source(
            "blog", text=TEXT, language="en", title="Blog", origin="Ours.", license="MIT or X"
        )
    draft.add_source(
        "blog", text=TEXT, language="en", title="Blog", origin="Ours.", license="CC0-1.0",
        rights="Acme Ltd.",
    )  # fmt: skip
    source = own_source(draft.save())
    assert (source.license, source.rights) == ("CC0-1.0", "Acme Ltd.")


def test_show_tells_the_licence_and_the_rights(capsys: pytest.CaptureFixture[str]) -> None:
    story = BUNDLED.story("lego-emerald-night-train")
    assert main(["show", story.id]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert f"Licence: {story.source.license}." in shown
    assert " ".join(str(story.source.rights).split()) in shown


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("en_US.UTF-8", "Licence not stated. Acme Ltd."),
        # «Лицензия» is feminine: not the «не указан» said of a channel.
        ("ru_RU.UTF-8", "Лицензия не указана. Acme Ltd."),
        ("fa_IR.UTF-8", "پروانه ذکر نشده است. Acme Ltd."),
    ],
)
def test_show_says_plainly_that_no_licence_is_stated(tmp_path: Path, lang: str, says: str) -> None:
    folder = corpus_with(tmp_path, rights="Acme Ltd.")
    script = Path(sys.executable).parent / "clientocracy"
    clean = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    result = subprocess.run(
        [str(script), "show", "acme-umbrella", "--corpus", str(folder), "--no-pager"],
        capture_output=True, text=True, encoding="utf-8", timeout=60,
        env={**clean, "LANG": lang, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert says in " ".join(result.stdout.split())


def test_add_source_takes_a_licence_and_refuses_a_bad_one_plainly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "blog.txt").write_text(TEXT, encoding="utf-8")
    folder = str(tmp_path / "mine")
    assert main(["new", folder]) == 0
    common = ["add-source", folder, str(tmp_path / "blog.txt"), "--language", "en"]
    common += ["--title", "en", "Blog", "--origin", "Ours."]
    assert main([*common, "--license", "MIT and X"]) != 0
    err = capsys.readouterr().err
    assert "'and' should be 'AND'" in err
    assert "Traceback" not in err
    assert main([*common, "--license", "MIT AND X", "--rights", "Acme Ltd."]) == 0
    source = own_source(clientocracy.load(folder))
    assert (source.license, source.rights) == ("MIT AND X", "Acme Ltd.")


# -- translations ------------------------------------------------------------------------


def test_every_bundled_translation_is_cc_by_as_the_card_says() -> None:
    card = (ROOT / "docs" / "dataset-card.md").read_text("utf-8")
    assert "CC BY 4.0" in card
    translations = [t for story in BUNDLED.stories() for t in story.translations]
    assert translations
    assert {t.license for t in translations} == {"CC-BY-4.0"}


def translated_corpus(tmp_path: Path, **translation_fields: object) -> Path:
    return write_corpus(tmp_path / "corpus", user_catalog_v2(**translation_fields))


def test_a_translations_licence_reaches_every_store_and_export(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    corpus = clientocracy.load(translated_corpus(tmp_path, license="CC0-1.0"))
    corpus.save(tmp_path / "saved")
    compiled = clientocracy.compile(corpus, tmp_path / "c.sqlite")
    for each in (corpus, clientocracy.load(tmp_path / "saved"), clientocracy.load(compiled)):
        (translation,) = each.story("acme-umbrella").translations
        assert translation.license == "CC0-1.0"
    stories = clientocracy.load(compiled).stories(company="acme")
    (story,) = json.loads(clientocracy.export(stories, "json"))
    assert [t["license"] for t in story["translations"]] == ["CC0-1.0"]
    rows = clientocracy.segment_rows(stories)
    assert {(r["source_license"], r["translation_license"]) for r in rows} == {(None, "CC0-1.0")}
    clientocracy.write_parquet(stories, tmp_path / "s.parquet")
    (nested,) = pq.read_table(tmp_path / "s.parquet").column("translations").to_pylist()
    assert [t["license"] for t in nested] == ["CC0-1.0"]
    clientocracy.write_parquet(stories, tmp_path / "seg.parquet", segments=True)
    flat = pq.read_table(tmp_path / "seg.parquet").column("translation_license").to_pylist()
    assert set(flat) == {"CC0-1.0"}


def test_a_bad_translation_licence_is_a_problem_naming_it(tmp_path: Path) -> None:
    problems = problems_of(translated_corpus(tmp_path, license="CC0-1.0 or MIT"))
    (problem,) = [p for p in problems if "license" in p]
    assert "translations[0]" in problem
    assert "'or' should be 'OR'" in problem
