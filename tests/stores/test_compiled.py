"""Compiled corpora: one SQLite file that answers like the corpus it was built from."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
import threading
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import clientocracy
from clientocracy import Corpus, CorpusError, StaleCorpusWarning

from ..helpers import user_corpus

BUNDLED = Corpus.bundled()


@pytest.fixture(scope="module")
def compiled_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("compiled") / "stories.sqlite"
    clientocracy.compile(BUNDLED, path)
    return path


@pytest.fixture(scope="module")
def compiled(compiled_file: Path) -> Corpus:
    return clientocracy.load(compiled_file)


# -- the same answers as the corpus it was built from --------------------------


def test_a_compiled_corpus_equals_its_source(compiled: Corpus) -> None:
    assert compiled == BUNDLED
    assert list(compiled.stories()) == list(BUNDLED.stories())
    assert compiled.companies() == BUNDLED.companies()
    assert compiled.principles() == BUNDLED.principles()
    assert compiled.languages() == BUNDLED.languages()
    assert compiled.sources() == BUNDLED.sources()
    assert repr(compiled) == repr(BUNDLED)


def test_records_are_made_whole(compiled: Corpus) -> None:
    for story in compiled.stories():
        original = BUNDLED.story(story.id)
        assert story == original
        assert story.text == original.text
        assert story.translations == original.translations
        assert story.source.text == original.source.text
        assert hash(story) == hash(original)


FILTERS: list[dict[str, Any]] = [
    {"company": "Zappos"},
    {"company": ["zappos", "LEGO"], "language": "ru"},
    {"principle": "no red tape"},
    {"principle": "Мелочи важны", "language": "Farsi"},
    {"company": []},
    {"language": "en"},
]


@pytest.mark.parametrize("filters", FILTERS)
def test_filters_answer_alike(compiled: Corpus, filters: dict[str, Any]) -> None:
    ours, theirs = compiled.stories(**filters), BUNDLED.stories(**filters)
    assert ours.ids() == theirs.ids()
    assert len(ours) == len(theirs)
    assert list(ours) == list(theirs)
    assert ours == theirs
    assert hash(ours) == hash(theirs)
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize(
    "query", ["будильники", "bouquet", "alarm", '"free coffee"', "زاپوس", "zap", "nothing-here"]
)
def test_search_answers_alike(compiled: Corpus, query: str) -> None:
    ours, theirs = compiled.search(query), BUNDLED.search(query)
    assert [(h.story, round(h.score, 6), h.snippet) for h in ours] == [
        (h.story, round(h.score, 6), h.snippet) for h in theirs
    ]


def test_search_filters_and_limits(compiled: Corpus) -> None:
    for options in ({"company": "Zappos"}, {"language": "fa"}, {"limit": 1}, {"limit": None}):
        ours = compiled.search("customer", **options)  # type: ignore[arg-type]
        theirs = BUNDLED.search("customer", **options)  # type: ignore[arg-type]
        assert [h.story.id for h in ours] == [h.story.id for h in theirs]


def test_lookups_and_suggestions(compiled: Corpus) -> None:
    assert compiled.story("Zappos-Ten-Hour-Call").id == "zappos-ten-hour-call"
    assert compiled.company("trader joes").name == "Trader Joe’s"
    assert compiled.source(BUNDLED.sources()[0].id) == BUNDLED.sources()[0]
    with pytest.raises(clientocracy.UnknownValueError) as info:
        compiled.story("zappos-ten-hour-cal")
    assert info.value.suggestions == ("zappos-ten-hour-call",)
    with pytest.raises(clientocracy.UnknownValueError):
        compiled.source("nope")
    assert compiled.place("story", "zappos-ten-hour-call") == BUNDLED.place(
        "story", "zappos-ten-hour-call"
    )


def test_export_and_save_work_the_same(compiled: Corpus, tmp_path: Path) -> None:
    for format in clientocracy.FORMATS:
        assert clientocracy.export(compiled.stories(), format) == clientocracy.export(
            BUNDLED.stories(), format
        )
    compiled.save(tmp_path / "saved")
    assert clientocracy.load(tmp_path / "saved") == BUNDLED


def test_records_pickle_as_plain_records(compiled: Corpus) -> None:
    story = compiled.story("zappos-ten-hour-call")
    copy = pickle.loads(pickle.dumps(story))
    assert copy == story == BUNDLED.story("zappos-ten-hour-call")
    assert type(copy.source) is clientocracy.Source


def test_queries_from_many_threads(compiled_file: Path) -> None:
    corpus = clientocracy.load(compiled_file)
    expected = [h.story.id for h in BUNDLED.search("customer")]
    failures: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(20):
                assert [h.story.id for h in corpus.search("customer")] == expected
                assert list(corpus.stories(language="fa")) == list(BUNDLED.stories(language="fa"))
        except BaseException as error:  # pragma: no cover - reported below
            failures.append(error)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures


# -- lazy collections ------------------------------------------------------------


def test_collections_index_slice_and_contain(compiled: Corpus) -> None:
    ours, theirs = compiled.stories(language="ru"), BUNDLED.stories(language="ru")
    assert ours[0] == theirs[0]
    assert ours[-1] == theirs[-1]
    assert list(ours[1:5:2]) == list(theirs[1:5:2])
    for part in (slice(1, 4), slice(2, 2), slice(5, 100), slice(None, 3), slice(-3, None)):
        assert list(ours[part]) == list(theirs[part])
        assert list(ours.filter(company="LEGO")[part]) == list(theirs.filter(company="LEGO")[part])
    assert list(ours[::-1]) == list(theirs[::-1])
    assert theirs[2] in ours
    assert BUNDLED.stories(language="fa")[0] not in ours
    assert "zappos-ten-hour-call" not in ours  # a collection holds stories, not ids
    with pytest.raises(IndexError):
        ours[len(ours)]


@settings(max_examples=40)
@given(
    companies=st.lists(st.sampled_from([c.id for c in BUNDLED.companies()]), max_size=3),
    principles=st.one_of(
        st.none(), st.lists(st.sampled_from([p.id for p in BUNDLED.principles()]), max_size=2)
    ),
    language=st.sampled_from([None, "ru", "fa"]),
    step=st.sampled_from([1, 2, -1]),
)
def test_narrowing_a_collection_matches_memory(
    compiled: Corpus,
    companies: list[str],
    principles: list[str] | None,
    language: str | None,
    step: int,
) -> None:
    for corpus_ in (compiled, BUNDLED):
        assert (
            corpus_.stories(principle=principles, language=language).ids()
            == BUNDLED.stories(principle=principles, language=language).ids()
        )
    ours = compiled.stories(language=language)[::step].filter(
        company=companies, principle=principles
    )
    theirs = BUNDLED.stories(language=language)[::step].filter(
        company=companies, principle=principles
    )
    assert ours.ids() == theirs.ids()
    assert len(ours) == len(theirs)


# -- the file ------------------------------------------------------------------------


def test_the_schema_is_plain_sql(compiled_file: Path) -> None:
    db = sqlite3.connect(compiled_file)
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {
        "corpus_info",
        "stories",
        "companies",
        "principles",
        "languages",
        "sources",
        "story_principles",
        "translations",
        "segments",
        "facet_index",
        "search_index",
    } <= tables
    rows = db.execute(
        "SELECT stories.id, stories.text, companies.name, stories.titles FROM stories "
        "JOIN companies ON companies.id = stories.company ORDER BY stories.position"
    ).fetchall()
    assert [(id, text, company) for id, text, company, _ in rows] == [
        (s.id, s.text, s.company.name) for s in BUNDLED.stories()
    ]
    assert [json.loads(titles) for *_, titles in rows] == [
        dict(s.titles) for s in BUNDLED.stories()
    ]
    (count,) = db.execute(
        "SELECT count(*) FROM story_principles WHERE principle = 'no-red-tape'"
    ).fetchone()
    assert count == len(BUNDLED.stories(principle="no-red-tape"))
    info = dict(db.execute("SELECT key, value FROM corpus_info").fetchall())
    assert info["format"] == "clientocracy-compiled"
    assert info["format_version"] == "3"
    assert info["clientocracy_version"] == clientocracy.__version__
    assert info["stories"] == "10"


def test_datasette_serves_the_file(compiled_file: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "datasette",
            str(compiled_file),
            "--get",
            "/stories/stories.json?_shape=array&_col=company&_col=title_en",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [row["company"] for row in rows] == [s.company.id for s in BUNDLED.stories()]
    tables = subprocess.run(
        [sys.executable, "-m", "datasette", str(compiled_file), "--get", "/stories.json"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert tables.returncode == 0, tables.stderr
    assert "companies" in tables.stdout
    assert "segments" in tables.stdout


def test_provenance_and_staleness(tmp_path: Path) -> None:
    folder = user_corpus(tmp_path / "user")
    path = clientocracy.compile(folder, tmp_path / "mine.sqlite")
    catalog = str((folder / "catalog.json").resolve())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        corpus = clientocracy.load(path)
    provenance = corpus.provenance
    assert provenance is not None
    assert provenance.format_version == 3
    assert provenance.clientocracy_version == clientocracy.__version__
    assert [p for p, _ in provenance.catalogs] == [catalog]
    assert provenance.changed() == ()
    assert BUNDLED.provenance is None
    assert corpus.stories().ids() == ("acme-umbrella",)

    # Touched but unchanged: still fresh.
    os.utime(catalog, ns=(1, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clientocracy.load(path)

    text = Path(catalog).read_text(encoding="utf-8")
    Path(catalog).write_text(text.replace("The umbrella", "An umbrella"), encoding="utf-8")
    with pytest.warns(StaleCorpusWarning, match="changed since"):
        stale = clientocracy.load(path)
    assert stale.story("acme-umbrella").title_en == "The umbrella"  # as built
    assert stale.provenance is not None
    assert stale.provenance.changed() == (catalog,)


def test_the_file_is_written_whole_and_replaced_only_if_compiled(tmp_path: Path) -> None:
    target = tmp_path / "stories.sqlite"
    clientocracy.compile(BUNDLED, target)
    clientocracy.compile(BUNDLED, target)  # a rebuild replaces it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stories.sqlite"]

    precious = tmp_path / "precious.db"
    sqlite3.connect(precious).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(FileExistsError, match="not a compiled clientocracy corpus"):
        clientocracy.compile(BUNDLED, precious)
    with pytest.raises(IsADirectoryError):
        clientocracy.compile(BUNDLED, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["precious.db", "stories.sqlite"]


def refused(path: Path) -> str:
    with pytest.raises(CorpusError) as info:
        clientocracy.load(path)
    return str(info.value)


def test_foreign_damaged_and_other_version_files_are_refused(
    compiled_file: Path, tmp_path: Path
) -> None:
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database at all")
    assert "not a compiled corpus (not a SQLite database)" in refused(garbage)

    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
    assert "not a compiled clientocracy corpus" in refused(foreign)

    other = tmp_path / "other.sqlite"
    shutil.copy(compiled_file, other)
    db = sqlite3.connect(other)
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    assert "format version 99" in refused(other)
    assert "rebuild it" in refused(other)

    cut = tmp_path / "cut.sqlite"
    cut.write_bytes(compiled_file.read_bytes()[:8192])
    assert "cut short" in refused(cut)

    with pytest.raises(ValueError, match="base="):
        clientocracy.load(compiled_file, base=BUNDLED)


def test_a_damaged_page_is_found_by_validate(compiled_file: Path, tmp_path: Path) -> None:
    from clientocracy._stores.sqlite import verify

    damaged = tmp_path / "damaged.sqlite"
    data = bytearray(compiled_file.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4096] = b"\xff" * 4096
    damaged.write_bytes(bytes(data))
    with pytest.raises(CorpusError, match="damaged"):
        verify(damaged)
    # Reading a damaged page (one that every read of the stories needs) is
    # refused as clearly: see test_compiled_files.py.


# -- the command line ------------------------------------------------------------


def test_cli_build_then_read_the_file(tmp_path: Path) -> None:
    from ..helpers import run

    folder = user_corpus(tmp_path / "user")
    target = tmp_path / "stories.sqlite"
    built = run("build", str(folder), "-o", str(target))
    assert built.returncode == 0, built.stderr
    assert "11 stories" in built.stdout
    # The file holds what --corpus FOLDER reads: the bundled stories and yours.
    for command in (["list"], ["search", "umbrella"], ["show", "acme-umbrella"], ["companies"]):
        from_file = run("--corpus", str(target), *command)
        from_folder = run("--corpus", str(folder), *command)
        assert from_file.returncode == from_folder.returncode == 0, from_file.stderr
        assert from_file.stdout == from_folder.stdout

    mine = tmp_path / "mine.sqlite"
    assert run("build", str(folder), "--no-bundled", "-o", str(mine)).returncode == 0
    listed = run("--corpus", str(mine), "list")
    assert [line.split()[0] for line in listed.stdout.splitlines()[1:]] == ["acme-umbrella"]

    checked = run("validate", str(mine))
    assert checked.returncode == 0
    assert "valid. It defines 1 story" in checked.stdout


def test_cli_warns_of_a_stale_file_and_refuses_a_damaged_one(tmp_path: Path) -> None:
    from ..helpers import run

    folder = user_corpus(tmp_path / "user")
    target = tmp_path / "stories.sqlite"
    assert run("build", str(folder), "-o", str(target)).returncode == 0
    catalog = folder / "catalog.json"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    stale = run("--corpus", str(target), "show", "acme-umbrella")
    assert stale.returncode == 0
    assert stale.stderr.startswith("clientocracy: warning: ")
    assert "changed since" in stale.stderr
    assert "clientocracy build" in stale.stderr

    cut = tmp_path / "cut.sqlite"
    cut.write_bytes(target.read_bytes()[:4096])
    refused = run("--corpus", str(cut), "list")
    assert refused.returncode == 2
    assert "cut short" in refused.stderr
    assert "Traceback" not in refused.stderr

    not_overwritten = run("build", str(folder), "-o", str(catalog))
    assert not_overwritten.returncode == 2
    assert "not overwriting" in not_overwritten.stderr


def test_closing_releases_the_file_and_later_reads_say_so(compiled_file: Path) -> None:
    with clientocracy.load(compiled_file) as corpus:
        story = corpus.stories(company="zappos")[0]
        assert story.title_en
    # What was read stays usable; reading more is a clear error, not a crash.
    assert story.company.name == "Zappos"
    with pytest.raises(ValueError, match="was closed"):
        corpus.stories(principle="no-red-tape")[0]
    with pytest.raises(ValueError, match="was closed"):
        corpus.search("coffee")
    corpus.close()  # closing twice is harmless


def test_a_corpus_in_memory_has_nothing_to_close() -> None:
    corpus = clientocracy.Corpus.bundled().merge()
    with corpus:
        pass
    assert len(corpus.stories(company="LEGO")) == 2
