"""Every limit at its edge: exactly at it is allowed, one over is refused.

Limits too large to reach in a test (hundreds of megabytes) are lowered
with monkeypatch on the module that reads them at the time of the call, so
the comparison itself, `>` and not `>=`, is what is tested.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import clientocracy
import clientocracy._catalog.loading as loading
import clientocracy._io.strict_json as strict_json
from clientocracy import CorpusError, search_terms
from clientocracy._io.files import CorpusFolder
from clientocracy._search.analysis import MAX_QUERY_TERMS, MAX_WORD_CHARS

from ..helpers import TEXT, problems_of, sha, user_catalog, write_corpus

# -- files: one file, and a corpus's total ----------------------------------------------


def test_a_file_of_exactly_the_limit_is_read_and_one_byte_more_is_not(tmp_path: Path) -> None:
    (tmp_path / "ten.txt").write_bytes(b"0123456789")
    with CorpusFolder(str(tmp_path)) as folder:
        assert folder.read("ten.txt", 10, "ten.txt") == b"0123456789"
        with pytest.raises(CorpusError) as info:
            folder.read("ten.txt", 9, "ten.txt")
    assert info.value.problems == ("ten.txt: 10 bytes, over the limit of 9 bytes for this file",)


def test_the_corpus_total_counts_every_read_to_the_byte(tmp_path: Path) -> None:
    (tmp_path / "ten.txt").write_bytes(b"0123456789")
    with CorpusFolder(str(tmp_path), total_limit=20) as folder:
        folder.read("ten.txt", 10, "ten.txt")
        folder.read("ten.txt", 10, "ten.txt")  # exactly the total: 20 bytes
        with pytest.raises(CorpusError, match="over the limit for one corpus"):
            folder.read("ten.txt", 10, "ten.txt")
    with CorpusFolder(str(tmp_path), total_limit=19) as folder:
        folder.read("ten.txt", 10, "ten.txt")
        with pytest.raises(CorpusError, match="over the limit for one corpus"):
            folder.read("ten.txt", 10, "ten.txt")


def test_a_text_of_exactly_the_limit_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_corpus(tmp_path / "c")
    size = len(TEXT.encode())
    monkeypatch.setattr(loading, "MAX_TEXT_BYTES", size)
    assert clientocracy.load(folder).story("acme-umbrella").source.text == TEXT
    monkeypatch.setattr(loading, "MAX_TEXT_BYTES", size - 1)
    (problem,) = problems_of(folder)
    assert problem.endswith(f"{size} bytes, over the limit of {size - 1} bytes for this file")


def test_a_catalog_of_exactly_the_limit_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_corpus(tmp_path / "c")
    size = (folder / "catalog.json").stat().st_size
    monkeypatch.setattr(loading, "MAX_CATALOG_BYTES", size)
    assert clientocracy.load(folder).story("acme-umbrella")
    monkeypatch.setattr(loading, "MAX_CATALOG_BYTES", size - 1)
    (problem,) = problems_of(folder)
    assert "catalog.json: " in problem
    assert problem.endswith(f"over the limit of {size - 1} bytes for this file")


def test_a_corpus_of_exactly_the_total_limit_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_corpus(tmp_path / "c")
    total = (folder / "catalog.json").stat().st_size + len(TEXT.encode())
    monkeypatch.setattr(loading, "MAX_CORPUS_BYTES", total)
    assert clientocracy.load(folder).story("acme-umbrella")
    monkeypatch.setattr(loading, "MAX_CORPUS_BYTES", total - 1)
    assert any("over the limit for one corpus" in p for p in problems_of(folder))


# -- files: a link may not leave the folder, even to a folder named like it ---------------


def test_an_absolute_link_to_a_sibling_folder_with_the_same_prefix_is_outside(
    tmp_path: Path,
) -> None:
    # /x/corpus-evil starts with the characters of /x/corpus, but is not in it.
    folder = write_corpus(tmp_path / "corpus")
    evil = tmp_path / "corpus-evil"
    (evil / "texts").mkdir(parents=True)
    (evil / "texts" / "acme.txt").write_text(TEXT, encoding="utf-8")
    (evil / "secret.txt").write_text(TEXT, encoding="utf-8")
    (folder / "texts" / "acme.txt").unlink()
    (folder / "texts" / "acme.txt").symlink_to(evil / "secret.txt")
    problems = problems_of(folder)
    assert any("acme.txt: a link that points outside the corpus folder" in p for p in problems)
    # The same with the folder's own name ending in a separator.
    with CorpusFolder(str(folder) + "/") as opened, pytest.raises(CorpusError, match="outside"):
        opened.read("texts/acme.txt", 1000, "texts/acme.txt")


def test_an_absolute_link_into_the_folder_itself_is_inside(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "corpus")
    (folder / "real.txt").write_text(TEXT, encoding="utf-8")
    (folder / "texts" / "acme.txt").unlink()
    (folder / "texts" / "acme.txt").symlink_to(folder / "real.txt")
    assert clientocracy.load(folder).story("acme-umbrella").source.text == TEXT


# -- catalogs: strings and records ------------------------------------------------------


def test_a_string_of_exactly_the_limit_is_accepted_and_one_more_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(strict_json, "MAX_STRING_CHARS", 100)
    at_limit = user_catalog(summary="s" * 100)
    assert clientocracy.load(write_corpus(tmp_path / "at", at_limit)).story("acme-umbrella")
    # One string over, another exactly at the limit: only the first is reported.
    over = user_catalog(summary="s" * 101, title="t" * 100, title_en="t" * 100)
    problems = problems_of(write_corpus(tmp_path / "over", over))
    assert len(problems) == 1, problems
    assert "field 'summary': 101 characters, over the limit of 100 for one string" in problems[0]


def test_a_catalog_of_exactly_the_record_limit_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_corpus(tmp_path / "c")  # a company, a source and a story
    monkeypatch.setattr(strict_json, "MAX_RECORDS", 3)
    assert clientocracy.load(folder).story("acme-umbrella")
    monkeypatch.setattr(strict_json, "MAX_RECORDS", 2)
    (problem,) = problems_of(folder)
    assert problem.endswith("top level: 3 records, over the limit of 2 for one catalog")


def test_a_catalog_of_exactly_the_container_limit_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = json.dumps(user_catalog()).encode()
    containers = raw.count(b"{") + raw.count(b"[")
    allowed = len(raw) // strict_json.BYTES_PER_CONTAINER
    monkeypatch.setattr(strict_json, "MIN_CONTAINERS", containers - allowed)
    assert clientocracy.load(write_corpus(tmp_path / "at", raw)).story("acme-umbrella")
    monkeypatch.setattr(strict_json, "MIN_CONTAINERS", containers - allowed - 1)
    (problem,) = problems_of(write_corpus(tmp_path / "over", raw))
    assert f"{containers:,} objects and lists" in problem
    assert f"over the limit of {containers - 1:,}" in problem


# -- search: words and queries ------------------------------------------------------------


def test_a_query_of_exactly_the_term_limit_is_searched() -> None:
    words = [f"w{n}" for n in range(MAX_QUERY_TERMS)]
    assert MAX_QUERY_TERMS == 64
    assert clientocracy.search(" ".join(words)) == ()
    assert clientocracy.search('"' + " ".join(words) + '"') == ()
    with pytest.raises(ValueError, match="more than 64 words"):
        clientocracy.search(" ".join([*words, "w64"]))
    with pytest.raises(ValueError, match="more than 64 words"):
        clientocracy.search('"' + " ".join([*words, "w64"]) + '"')


def test_a_repeated_word_counts_once_towards_the_term_limit() -> None:
    words = [f"w{n}" for n in range(MAX_QUERY_TERMS)]
    assert clientocracy.search(" ".join(words + words)) == ()


def test_words_are_cut_at_exactly_the_limit() -> None:
    assert MAX_WORD_CHARS == 64
    # Digits are not stemmed, so the term is the word itself, cut.
    assert search_terms("1" * 64) == ("1" * 64,)
    assert search_terms("1" * 65) == ("1" * 64,)
    assert search_terms("1" * 63 + "2" + "3") == ("1" * 63 + "2",)


def test_a_word_longer_than_the_limit_still_finds_its_story(tmp_path: Path) -> None:
    long_word = "umbrella" + "x" * 100
    text = f"Our shop. A customer left her {long_word}; we drove it to her house. The end."
    catalog = user_catalog(span={"start": 10, "end": len(text)})
    catalog["sources"][0]["sha256"] = sha(text)
    folder = write_corpus(tmp_path / "c", catalog, {"texts/acme.txt": text.encode()})
    corpus = clientocracy.load(folder)
    assert [hit.story.id for hit in corpus.search(long_word)] == ["acme-umbrella"]
