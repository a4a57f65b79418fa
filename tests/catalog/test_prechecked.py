"""The bundled catalog built without its full checks: only when it is the catalog
that was checked, and always to the records the full checks make."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from random import Random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clientocracy._catalog.loading as loading
import clientocracy._catalog.prechecked as prechecked
from clientocracy import Corpus, CorpusError
from clientocracy._catalog.saving import catalog_of
from clientocracy._stores.memory import MemoryStore

from ..helpers import DATA, corpora


def reader(folder: Path) -> Callable[[str], bytes]:
    return lambda name: (folder / name).read_bytes()


def contents(store: MemoryStore) -> dict[str, Any]:
    """Everything a loaded store holds that a user can reach, in order."""
    languages, companies, principles = store.vocabularies()
    facets = {
        "language": languages,
        "company": companies,
        "principle": principles,
        "source": store.sources(),
        "story": store.stories,
    }
    return {
        "records": facets,
        "places": {
            (facet, record.id): store.place(facet, record.id)
            for facet, records in facets.items()
            for record in records
        },
    }


def checked(folder: Path) -> MemoryStore:
    """The bundled records through every check, hashes verified."""
    read = reader(folder)
    return loading.parse_corpus(
        read("catalog.json"), read, catalog="clientocracy/data/catalog.json"
    )


def forbid_unchecked(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> MemoryStore:
        raise AssertionError("this catalog must not be built without its checks")

    monkeypatch.setattr(prechecked, "build_prechecked", refuse)


def test_the_bundled_records_are_those_the_full_checks_make() -> None:
    assert contents(loading.read_bundled(reader(DATA))) == contents(checked(DATA))


def test_the_shipped_catalog_is_the_one_checked_and_indexed() -> None:
    recorded = (DATA / prechecked.CHECKED_FILE).read_text(encoding="ascii").strip()
    db = sqlite3.connect(":memory:")
    db.deserialize((DATA / loading.BUNDLED_INDEX_FILE).read_bytes())
    (indexed,) = db.execute("SELECT value FROM index_meta WHERE key = 'fingerprint'").fetchone()
    stale = "the bundled catalog changed: run python scripts/build_search_index.py"
    assert recorded == loading.bundled_fingerprint((DATA / "catalog.json").read_bytes()), stale
    assert recorded == indexed, stale


def test_the_shipped_catalog_is_built_without_checking_it_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Start-up time depends on it: a stale fingerprint would quietly bring
    # every check back on each start of the command line.
    expected = contents(checked(DATA))

    def refuse(*args: object, **kwargs: object) -> MemoryStore:
        raise AssertionError("the shipped catalog went through the full checks")

    monkeypatch.setattr(loading, "parse_corpus", refuse)
    assert contents(loading.read_bundled(reader(DATA))) == expected


def shuffled(texts: dict[str, str], random: Random) -> dict[str, str]:
    """*texts* (language tag → text) with its keys in another order, as a user may write them."""
    tags = list(texts)
    random.shuffle(tags)
    return {tag: texts[tag] for tag in tags}


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(corpus=corpora(), random=st.randoms(use_true_random=False))
def test_any_valid_catalog_builds_unchecked_to_the_same_records(
    corpus: Corpus, random: Random
) -> None:
    data, files = catalog_of(corpus)
    for principle in data["principles"]:
        principle["names"] = shuffled(principle["names"], random)
        principle["definition"] = shuffled(principle["definition"], random)
    for record in data["sources"] + data["stories"]:
        record["title"] = shuffled(record["title"], random)
    raw = json.dumps(data, ensure_ascii=False).encode("utf-8")

    def read(name: str) -> bytes:
        return files[name].encode("utf-8")

    full = loading.parse_corpus(raw, read, catalog="c/catalog.json")
    fast = prechecked.build_prechecked(json.loads(raw), read, "c/catalog.json")
    assert contents(fast) == contents(full)


def tamper_span(catalog: dict[str, Any]) -> None:
    catalog["stories"][0]["span"]["end"] = 10**7


def tamper_field(catalog: dict[str, Any]) -> None:
    catalog["companies"][0]["founded"] = 1999


def tamper_segments(catalog: dict[str, Any]) -> None:
    story = next(s for s in catalog["stories"] if s.get("translations"))
    del story["translations"][0]["segments"][0]


def tamper_reference(catalog: dict[str, Any]) -> None:
    catalog["stories"][-1]["company"] = "no-such-company"


@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        (tamper_span, "must be non-empty and within the text"),
        (tamper_field, "unknown field 'founded'"),
        (tamper_segments, "untranslated"),
        (tamper_reference, "no company has id 'no-such-company'"),
    ],
)
def test_a_bundled_catalog_changed_since_it_was_checked_gets_every_check(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tamper: Callable[[dict[str, Any]], None],
    problem: str,
) -> None:
    # The fingerprint recorded beside it stays the one of the catalog checked.
    data = shutil.copytree(DATA, tmp_path / "data")
    catalog = json.loads((data / "catalog.json").read_text(encoding="utf-8"))
    tamper(catalog)
    (data / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    forbid_unchecked(monkeypatch)
    with pytest.raises(CorpusError, match=problem):
        loading.read_bundled(reader(data))


@pytest.mark.parametrize("recorded", [None, "", "catalog-crc32:00000000:0", "\xff"])
def test_without_the_right_fingerprint_the_bundled_catalog_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recorded: str | None
) -> None:
    data = shutil.copytree(DATA, tmp_path / "data")
    if recorded is None:
        (data / prechecked.CHECKED_FILE).unlink()
    else:
        (data / prechecked.CHECKED_FILE).write_text(recorded, encoding="latin-1")
    forbid_unchecked(monkeypatch)
    assert contents(loading.read_bundled(reader(data))) == contents(checked(DATA))


def test_an_edited_but_valid_bundled_catalog_is_read_as_edited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = shutil.copytree(DATA, tmp_path / "data")
    catalog = json.loads((data / "catalog.json").read_text(encoding="utf-8"))
    catalog["stories"][0]["title"]["en"] = "A title edited after release"
    (data / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    forbid_unchecked(monkeypatch)
    store = loading.read_bundled(reader(data))
    assert dict(store.stories[0].titles)["en"] == "A title edited after release"
    assert contents(store) == contents(checked(data))
