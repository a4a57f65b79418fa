"""Costs in proportion to the input: facet storage, caches and snippets."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import clientocracy
from clientocracy import Corpus

from ..helpers import sha, write_corpus


def many_companies(folder: Path, stories: int, companies: int) -> Path:
    """A corpus of *stories* short stories spread over *companies* companies."""
    passages = [f"Story {n}: a customer was helped." for n in range(stories)]
    text = "\n".join(passages) + "\n"
    spans, offset = [], 0
    for passage in passages:
        spans.append((offset, offset + len(passage)))
        offset += len(passage) + 1
    catalog: dict[str, Any] = {
        "format": "clientocracy-catalog",
        "version": 1,
        "languages": [],
        "companies": [
            {"id": f"co-{n}", "name": f"Company {n}", "industry": "retail", "country": "US"}
            for n in range(companies)
        ],
        "principles": [],
        "sources": [
            {
                "id": "src",
                "file": "texts/all.txt",
                "sha256": sha(text),
                "language": "en",
                "title": "All",
                "title_en": "All",
                "origin": "Made for a test.",
            }
        ],
        "stories": [
            {
                "id": f"story-{n}",
                "source": "src",
                "span": {"start": start, "end": end},
                "company": f"co-{n % companies}",
                "principles": ["no-red-tape"],
                "title": f"Story {n}",
                "title_en": f"Story {n}",
                "summary": "A customer was helped.",
            }
            for n, (start, end) in enumerate(spans)
        ],
    }
    return write_corpus(folder, catalog, {"texts/all.txt": text.encode()})


def facet_bytes(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        (size,) = db.execute(
            "SELECT sum(coalesce(length(bitmap), 0) + coalesce(length(positions), 0)) "
            "FROM facet_index"
        ).fetchone()
    finally:
        db.close()
    return int(size)


@pytest.mark.parametrize("companies", [1, 40, 3000])
def test_the_facet_index_grows_with_the_stories_not_with_the_values(
    tmp_path: Path, companies: int
) -> None:
    stories = 3000
    folder = many_companies(tmp_path / "c", stories, companies)
    path = clientocracy.compile(folder, tmp_path / "c.sqlite")
    # Each story is in three facet values (company, language, principle): a
    # value costs at most 32 bytes per story it has (a bitmap only for a value
    # of at least 1 story in 256), whatever the number of companies.
    assert facet_bytes(path) <= 32 * 3 * stories
    corpus = clientocracy.load(path)
    for number in (0, companies // 2, companies - 1):
        ids = corpus.stories(company=f"co-{number}").ids()
        assert ids == tuple(f"story-{n}" for n in range(number, stories, companies))
    assert len(corpus.stories(company=["co-0", f"co-{companies - 1}"], language="en")) == len(
        {0, companies - 1}
    ) * (stories // companies)


def test_mask_caches_are_bounded(tmp_path: Path) -> None:
    folder = many_companies(tmp_path / "c", 400, 400)
    for corpus in (
        clientocracy.load(folder),
        clientocracy.load(clientocracy.compile(folder, tmp_path / "c.sqlite")),
    ):
        store: Any = corpus._store
        for number in range(0, 400, 2):
            # Two facets at once: answered with masks, which are cached.
            assert corpus.stories(company=[f"co-{number}", f"co-{number + 1}"]).ids() == (
                f"story-{number}",
                f"story-{number + 1}",
            )
        assert 0 < len(store._masks) <= store.MASK_CACHE


def many_sources(folder: Path, sources: int, stories: int, filler: int) -> Path:
    """*sources* texts of *stories* stories each, every text padded by *filler* words."""
    catalog: dict[str, Any] = {
        "format": "clientocracy-catalog",
        "version": 1,
        "languages": [],
        "companies": [{"id": "co", "name": "Co", "industry": "retail", "country": "US"}],
        "principles": [],
        "sources": [],
        "stories": [],
    }
    texts: dict[str, bytes] = {}
    for s in range(sources):
        passages = [f"Story {s}-{n}: a customer was helped." for n in range(stories)]
        text = "\n".join(passages) + "\n" + "padding " * filler
        texts[f"texts/t{s}.txt"] = text.encode()
        catalog["sources"].append(
            {
                "id": f"src-{s}",
                "file": f"texts/t{s}.txt",
                "sha256": sha(text),
                "language": "en",
                "title": f"Text {s}",
                "title_en": f"Text {s}",
                "origin": "Made for a test.",
            }
        )
        offset = 0
        for n, passage in enumerate(passages):
            catalog["stories"].append(
                {
                    "id": f"story-{s}-{n}",
                    "source": f"src-{s}",
                    "span": {"start": offset, "end": offset + len(passage)},
                    "company": "co",
                    "principles": ["no-red-tape"],
                    "title": f"Story {s}-{n}",
                    "title_en": f"Story {s}-{n}",
                    "summary": "A customer was helped.",
                }
            )
            offset += len(passage) + 1
    return write_corpus(folder, catalog, texts)


def test_a_compiled_corpus_keeps_a_bounded_amount_of_source_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clientocracy._stores.sqlite import CompiledStore

    sources, stories, filler = 12, 5, 2000
    path = clientocracy.compile(
        many_sources(tmp_path / "c", sources, stories, filler), tmp_path / "c.sqlite"
    )
    one_text = len("padding ") * filler
    # Room for about three texts of the twelve.
    monkeypatch.setattr(CompiledStore, "TEXT_CACHE", 3 * one_text + 3 * 1024)
    corpus = clientocracy.load(path)
    store: Any = corpus._store
    held = list(corpus.stories())  # every record at once, as an export may hold them
    for _ in range(2):
        for story in held:
            s, n = story.id.removeprefix("story-").split("-")
            assert story.text == f"Story {s}-{n}: a customer was helped."
            assert store._texts.weight <= CompiledStore.TEXT_CACHE
            assert len(store._texts) <= 3
    assert len(store._texts) >= 1
    # A text larger than the whole cache is read, but not kept.
    monkeypatch.setattr(CompiledStore, "TEXT_CACHE", one_text // 2)
    small = clientocracy.load(path)
    assert small.stories()[0].source.text.endswith("padding " * filler)
    assert len(small._store._texts) == 0  # type: ignore[attr-defined]


@given(
    st.integers(min_value=1, max_value=50),
    st.lists(st.tuples(st.sampled_from("abcdefgh"), st.integers(min_value=0, max_value=60))),
)
def test_a_bounded_cache_keeps_the_latest_values_within_its_limit(
    limit: int, puts: list[tuple[str, int]]
) -> None:
    from clientocracy._stores.memory import BoundedCache

    cache = BoundedCache[int](limit, weigh=lambda value: value)
    latest: dict[str, int] = {}
    for key, value in puts:
        assert cache.put(key, value) == value
        latest[key] = value
        kept = {k: v for k in latest if (v := cache.get(k)) is not None}
        # Whatever is kept is the value put last, and the total is within the limit.
        assert all(latest[k] == v for k, v in kept.items())
        assert cache.weight == sum(kept.values()) <= limit
        assert len(cache) == len(kept)
        assert (key in kept) == (value <= limit)


# -- snippets ------------------------------------------------------------------------


def densest_by_definition(found: list[tuple[int, int, frozenset[str]]], width: int) -> int:
    """The start of the window with the most distinct terms, by the definition."""
    anchor, best = 0, -1
    for index, (start, _, _) in enumerate(found):
        terms: set[str] = set()
        for _, end, words in found[index:]:
            if end - start > width:
                break
            terms |= words
        if len(terms) > best:
            anchor, best = start, len(terms)
    return anchor


@st.composite
def matches(draw: st.DrawFn) -> list[tuple[int, int, frozenset[str]]]:
    found, offset = [], 0
    for _ in range(draw(st.integers(0, 40))):
        offset += draw(st.integers(1, 30))
        length = draw(st.integers(1, 25))
        terms = draw(st.frozensets(st.sampled_from("abcde"), min_size=1, max_size=3))
        found.append((offset, offset + length, terms))
        offset += length
    return found


@given(matches(), st.integers(1, 120))
def test_the_snippet_window_is_the_densest(
    found: list[tuple[int, int, frozenset[str]]], width: int
) -> None:
    from clientocracy._search.snippets import _densest

    assert _densest(found, width) == densest_by_definition(found, width)


def test_a_filter_that_leaves_no_hit_makes_no_snippet(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from clientocracy._cli.app import main
    from clientocracy._search import index as _search

    made: list[str] = []
    real = _search.snippet

    def counting(story: Any, *args: Any, **kwargs: Any) -> Any:
        made.append(story.id)
        return real(story, *args, **kwargs)

    monkeypatch.setattr(_search, "snippet", counting)
    assert main(["search", "customer", "--company", "lego", "--language", "fa"]) == 1
    assert made == []
    unfiltered = len(Corpus.bundled().search("customer", limit=None))
    assert f"without the filters, {unfiltered} stories do" in capsys.readouterr().err
