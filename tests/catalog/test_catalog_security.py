"""Hostile catalogs: JSON that a catalog must not contain, floods, and saves that fail.

Each class of attack has a test that would fail if the defence were taken
away.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clientocracy
from clientocracy import (
    Corpus,
    CorpusError,
    Source,
)

from ..helpers import (
    TEXT,
    hostile_corpus,
    problems_of,
    user_catalog,
    write_corpus,
)

POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX file system semantics")


def problems(path: Path) -> str:
    return "\n".join(problems_of(path))


# -- 3. catalogs that JSON allows but a catalog must not -----------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            json.dumps(user_catalog())[:-1] + ', "stories": []}',
            "top level: the key 'stories' appears twice",
        ),
        (
            json.dumps(user_catalog()).replace('"id": "acme-umbrella"', '"id": "a", "id": "b"'),
            "stories[0] ('b'): the key 'id' appears twice",
        ),
        (
            json.dumps(user_catalog()).replace(
                '"country": "GB"', '"country": "GB", "country": "US"'
            ),
            "companies[0] ('acme'): the key 'country' appears twice",
        ),
        (json.dumps(user_catalog()).replace('"version": 1', '"version": true'), "got True"),
        (json.dumps(user_catalog()).replace('"version": 1', '"version": 1.0'), "got 1.0"),
        (json.dumps(user_catalog()).replace('"version": 1', '"version": "1"'), "got '1'"),
        (
            json.dumps(user_catalog()).replace('"start": 10', '"start": NaN'),
            "stories[0] ('acme-umbrella'): field 'span' (start): NaN is not a JSON number",
        ),
        (
            json.dumps(user_catalog()).replace('"end": 65', '"end": -Infinity'),
            "-Infinity is not a JSON number",
        ),
        (
            json.dumps(user_catalog()).replace('"The umbrella"', '"The \\ud800 umbrella"', 1),
            "stories[0] ('acme-umbrella'): field 'title': a lone surrogate escape",
        ),
        (
            json.dumps(user_catalog()).replace('"Acme"', '"\\udfff"'),
            "companies[0] ('acme'): field 'name': a lone surrogate escape",
        ),
    ],
)
def test_json_a_catalog_must_not_contain(tmp_path: Path, raw: str, expected: str) -> None:
    found = problems(write_corpus(tmp_path / "c", raw.encode()))
    assert expected in found


def test_a_surrogate_pair_escape_is_one_character(tmp_path: Path) -> None:
    raw = json.dumps(user_catalog()).replace('"The umbrella"', '"The \\ud83d\\ude42 umbrella"', 1)
    corpus = clientocracy.load(write_corpus(tmp_path / "c", raw.encode()))
    assert corpus.story("acme-umbrella").title == "The 🙂 umbrella"


def test_limits_of_a_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import clientocracy._io.strict_json as decoding

    long = user_catalog(summary="x" * (decoding.MAX_STRING_CHARS + 1))
    found = problems(write_corpus(tmp_path / "long", long))
    assert (
        "stories[0] ('acme-umbrella'): field 'summary': 65,537 characters, over the limit" in found
    )
    monkeypatch.setattr(decoding, "MAX_RECORDS", 3)
    many = user_catalog()
    many["stories"] = [dict(many["stories"][0], id=f"s{i}") for i in range(3)]
    assert "5 records, over the limit of 3 for one catalog" in problems(
        write_corpus(tmp_path / "many", many)
    )


def test_a_flood_of_objects_is_refused_before_it_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import clientocracy._io.strict_json as decoding

    def never(*args: object, **kwargs: object) -> object:
        raise AssertionError("the catalog was parsed")

    Corpus.bundled()  # the bundled catalog is parsed, and trusted
    monkeypatch.setattr(decoding.json, "loads", never)
    flood = b'{"format": "clientocracy-catalog", "version": 1, "stories": [' + b"{}," * 100_000
    found = problems(write_corpus(tmp_path / "flood", flood + b"{}]}"))
    assert "100,003 objects and lists (counting every '{' and '['), over the limit" in found
    # A valid catalog of a thousand records is parsed as usual.
    monkeypatch.undo()
    many = user_catalog()
    many["stories"] = [dict(many["stories"][0], id=f"s{i}") for i in range(1_000)]
    assert len(clientocracy.load(write_corpus(tmp_path / "many", many)).stories()) == 1_000


# The strings hypothesis picks for hostile corpora: controls, bidi, lone
# surrogates, quotes and JSON syntax.
hostile_text = st.text(
    alphabet=st.sampled_from(
        ["a", " ", '"', "\\", "{", "[", "\x1b", "\u202e", "\x9b", "\u200c", "\ud800", "é", "\x00"]
    ),
    max_size=12,
)
json_fragments = st.sampled_from(
    [
        '"version": true',
        '"version": 1',
        '"stories": []',
        '"format": "clientocracy-catalog"',
        '"id": "x"',
        '"start": NaN',
        '"x": "\\ud800"',
        '"y": "\\ud83d\\ude42"',
        '"z": [[[]]]',
        '"n": 1e999',
    ]
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    extra=st.lists(json_fragments, max_size=4),
    field=st.sampled_from(["title", "summary", "id", "company", "channel"]),
    value=hostile_text,
)
def test_hostile_catalogs_load_or_raise_corpus_error(
    tmp_path_factory: pytest.TempPathFactory, extra: list[str], field: str, value: str
) -> None:
    raw = json.dumps(user_catalog(**{field: value}))
    if extra:
        raw = raw[:-1] + ", " + ", ".join(extra) + "}"
    folder = write_corpus(tmp_path_factory.mktemp("c"), raw.encode("utf-8", errors="surrogatepass"))
    try:
        corpus = clientocracy.load(folder)
    except CorpusError as error:
        problems = error.problems
        assert problems
        return
    # What loads can be written out and read back: no lone surrogate got in.
    out = tmp_path_factory.mktemp("saved") / "corpus"
    corpus.save(out)
    again = clientocracy.load(out)
    for format in clientocracy.FORMATS:
        written = clientocracy.export(corpus.stories(), format)
        assert clientocracy.export(again.stories(), format) == written
        written.encode("utf-8")


# -- 5. files written -------------------------------------------------------------


def test_a_failed_save_leaves_no_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import clientocracy._io.files as files

    broken = hostile_corpus("\ud800")
    with pytest.raises(ValueError, match="lone surrogate"):
        broken.save(tmp_path / "surrogate")
    assert not (tmp_path / "surrogate").exists()

    written: list[str] = []
    real = files.write_atomically

    def full_disk(path: str, data: bytes, **kwargs: Any) -> None:
        if path.endswith("catalog.json"):
            raise OSError(28, "No space left on device", path)
        written.append(path)
        real(path, data, **kwargs)

    monkeypatch.setattr(files, "write_atomically", full_disk)
    (tmp_path / "empty").mkdir()
    with pytest.raises(OSError, match="No space left"):
        clientocracy.Corpus.bundled().save(tmp_path / "empty")
    assert written  # the texts were written, then removed again
    assert os.listdir(tmp_path / "empty") == []
    with pytest.raises(OSError, match="No space left"):
        clientocracy.Corpus.bundled().save(tmp_path / "new")
    assert not (tmp_path / "new").exists()


@POSIX
def test_a_link_planted_while_saving_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "texts").symlink_to(outside)
    # As if the link appeared just after the folder was found empty.
    real_listdir = os.listdir
    monkeypatch.setattr(
        os, "listdir", lambda path=".": [] if path == str(folder) else real_listdir(path)
    )
    with pytest.raises(FileExistsError):
        clientocracy.Corpus.bundled().save(folder)
    assert real_listdir(outside) == []
    assert not (folder / "catalog.json").exists()


def test_a_text_named_many_times_counts_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import clientocracy._catalog.loading as loading

    many = user_catalog()
    many["sources"] += [dict(many["sources"][0], id=f"s{i}") for i in range(50)]
    folder = write_corpus(tmp_path / "c", many)
    assert clientocracy.load(folder)
    monkeypatch.setattr(loading, "MAX_CORPUS_BYTES", len(TEXT) * 20)
    assert "over the limit for one corpus" in problems(folder)


def test_many_bad_references_cost_one_listing_of_what_is_known(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = user_catalog()
    bad["stories"] = [dict(bad["stories"][0], id=f"s{i}", source=f"no{i}") for i in range(300)]
    folder = write_corpus(tmp_path / "c", bad)
    Corpus.bundled()
    listings = []
    real = Corpus.sources

    def sources(self: Corpus) -> tuple[Source, ...]:
        listings.append(self)
        return real(self)

    monkeypatch.setattr(Corpus, "sources", sources)
    assert problems(folder).count("no source has id") == 300
    assert len(listings) == 1
