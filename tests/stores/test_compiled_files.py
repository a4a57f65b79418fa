"""Compiled files that are not what `compile` wrote: refused whole, never read as garbage.

Each test makes a file the way it happens in the world (another program
rewrote it, a copy was interrupted, a table was dropped, a file named
`*.db` is not a database) and checks the public behaviour only: `load()`
and `clientocracy validate` refuse it with a `CorpusError` that names the
file, or, where the file may open, every text read from it is exact.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import clientocracy
from clientocracy import Corpus, CorpusError
from clientocracy._stores.compiled import FORMAT_VERSION

from ..helpers import run, user_corpus

BUNDLED = Corpus.bundled()


@pytest.fixture(scope="module")
def compiled_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("compiled") / "stories.sqlite"
    clientocracy.compile(BUNDLED, path)
    return path


def read_everything(path: Path) -> None:
    """Open *path* and read every story, text and the search index from it."""
    corpus = clientocracy.load(path)
    [story.text for story in corpus.stories()]
    [source.text for source in corpus.sources()]
    corpus.search("customer")


def refusal(path: Path) -> str:
    """The message *path* is refused with: when it is opened, or at the latest when read."""
    with pytest.raises(CorpusError) as info:
        read_everything(path)
    message = str(info.value)
    assert str(path) in message
    assert "Traceback" not in message
    return message


def validate_refuses(path: Path) -> str:
    result = run("validate", str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    assert str(path) in result.stdout
    assert "Traceback" not in result.stderr
    return result.stdout


def utf8_copy(original: Path, target: Path) -> None:
    """Copy a compiled file into a new database whose text encoding is UTF-8.

    Every table, row, application id and format version is the same: only
    the encoding the texts are stored in differs, as when another program
    rebuilds the file.
    """
    source = sqlite3.connect(original)
    copy = sqlite3.connect(target)
    copy.execute("PRAGMA encoding = 'UTF-8'")
    schema = source.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type = 'index'"
    ).fetchall()
    shadows = {name for _, name, _ in schema if name.startswith("search_index_")}
    for _, name, sql in schema:
        if name not in shadows:  # the FTS5 table creates its own
            copy.execute(sql)
    for kind, name, _ in schema:
        if kind != "table" or name == "search_index":
            continue
        copy.execute(f"DELETE FROM {name}")
        columns = len(source.execute(f"SELECT * FROM {name} LIMIT 0").description)
        copy.executemany(
            f"INSERT INTO {name} VALUES ({', '.join('?' * columns)})",
            source.execute(f"SELECT * FROM {name}"),
        )
    for pragma in ("application_id", "user_version"):
        (value,) = source.execute(f"PRAGMA {pragma}").fetchone()
        copy.execute(f"PRAGMA {pragma} = {int(value)}")
    copy.commit()
    copy.close()
    source.close()


def test_a_file_in_another_text_encoding_never_gives_garbage(
    compiled_file: Path, tmp_path: Path
) -> None:
    other = tmp_path / "utf8.sqlite"
    utf8_copy(compiled_file, other)
    # The premise: a whole, valid database of the same rows, in UTF-8.
    db = sqlite3.connect(other)
    assert db.execute("PRAGMA encoding").fetchone() == ("UTF-8",)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db.execute("SELECT count(*) FROM stories").fetchone() == (len(BUNDLED.stories()),)
    db.close()
    # Refused when opened, saying why (docs/compiled-corpora.md), rather than
    # by whichever row first decodes wrongly.
    message = refusal(other)
    assert "text encoding" in message
    assert str(other) in message
    assert "text encoding" in validate_refuses(other)


def test_a_file_missing_its_last_page_is_refused_as_cut_short(
    compiled_file: Path, tmp_path: Path
) -> None:
    data = compiled_file.read_bytes()
    page_size = int.from_bytes(data[16:18], "big")
    cut = tmp_path / "cut.sqlite"
    cut.write_bytes(data[:-page_size])
    assert "cut short" in refusal(cut)
    assert "cut short" in validate_refuses(cut)
    # Half a page short is as short.
    half = tmp_path / "half.sqlite"
    half.write_bytes(data[: -page_size // 2])
    assert "cut short" in refusal(half)


@pytest.mark.parametrize("table", ["translations", "segments", "facet_index", "stories"])
def test_a_file_with_a_table_missing_is_refused(
    compiled_file: Path, tmp_path: Path, table: str
) -> None:
    broken = tmp_path / f"without-{table}.sqlite"
    broken.write_bytes(compiled_file.read_bytes())
    db = sqlite3.connect(broken)
    db.execute(f"DROP TABLE {table}")
    db.commit()
    db.close()
    assert table in refusal(broken)
    assert table in validate_refuses(broken)


@pytest.mark.parametrize("name", ["stories.db", "stories.sqlite", "stories.sqlite3", "STORIES.DB"])
def test_a_damaged_file_named_like_a_database_is_not_read_as_a_catalog(
    tmp_path: Path, name: str
) -> None:
    damaged = tmp_path / name
    damaged.write_bytes(b'{"format": "clientocracy-catalog", "version": 2, ')
    message = refusal(damaged)
    assert "JSON" not in message
    assert "SQLite" in message or "compiled" in message
    assert "JSON" not in validate_refuses(damaged)
    listed = run("--corpus", str(damaged), "list")
    assert listed.returncode == 2
    assert "JSON" not in listed.stderr
    assert str(damaged) in listed.stderr


def test_a_damaged_page_is_refused_when_it_is_read(compiled_file: Path, tmp_path: Path) -> None:
    data = bytearray(compiled_file.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    db = sqlite3.connect(compiled_file)
    ((root,),) = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'stories'")
    db.close()
    start = (root - 1) * page_size
    data[start : start + page_size] = b"\xff" * page_size
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(bytes(data))
    assert "damaged" in refusal(damaged)


def test_a_user_corpus_compiled_then_opened_reads_back_exactly(tmp_path: Path) -> None:
    # The other tests' premise: an undamaged file opens and reads exactly.
    folder = user_corpus(tmp_path / "user")
    path = clientocracy.compile(folder, tmp_path / "user.sqlite")
    with clientocracy.load(path) as corpus:
        assert (
            corpus.story("acme-umbrella").text
            == clientocracy.load(folder).story("acme-umbrella").text
        )


@pytest.mark.parametrize("offset", [-1, 1])
def test_a_file_of_the_format_version_before_or_after_is_refused(
    compiled_file: Path, tmp_path: Path, offset: int
) -> None:
    # This release writes and reads one version (docs/compiled-corpora.md),
    # written by hand here as the docs give it.
    assert FORMAT_VERSION == 3
    version = FORMAT_VERSION + offset
    other = tmp_path / f"version-{version}.sqlite"
    other.write_bytes(compiled_file.read_bytes())
    db = sqlite3.connect(other)
    db.execute(f"PRAGMA user_version = {version}")
    db.commit()
    db.close()
    message = refusal(other)
    assert f"format version {version}" in message
    assert "rebuild it" in message


@pytest.mark.parametrize("application_id", [0, 1, 0x434C4358, 0x7FFFFFFF])
def test_a_sqlite_file_of_another_application_is_refused(
    compiled_file: Path, tmp_path: Path, application_id: int
) -> None:
    # Everything is a compiled corpus's but the application id ("CLCY" is 0x434C4359).
    other = tmp_path / "other-application.sqlite"
    other.write_bytes(compiled_file.read_bytes())
    db = sqlite3.connect(other)
    db.execute(f"PRAGMA application_id = {application_id}")
    db.commit()
    db.close()
    assert "not a compiled clientocracy corpus" in refusal(other)
