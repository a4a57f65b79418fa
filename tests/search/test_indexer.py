"""Every path of the search indexer: in one thread, in two (5,000 stories and more), and its errors.

The large corpus is generated: each story's passage holds a word no other
story has, made of consonants only (no stemmer changes a word without a
vowel), so what a search must find is known without asking the analyzer.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import clientocracy
import clientocracy._search.index as index
from clientocracy import Company, Corpus, Language, Principle, Quote, Source, Span, Story

from ..helpers import sha, user_catalog, write_corpus

ENGLISH = Language(id="en", name="English", native_name="English", direction="ltr")
COMPANY = Company(id="acme", name="Acme", industry="retail", country="GB")
# More than the parallel threshold, and not a multiple of the 1,000-row chunks.
COUNT = index.PARALLEL_FROM + 7


def token(number: int) -> str:
    """A word of consonants only, different for every number."""
    letters = "bcdfghjkmnpqrtvwxz"
    word = ""
    while True:
        number, digit = divmod(number, len(letters))
        word = letters[digit] + word
        if not number:
            return "qz" + word


def big_corpus(count: int) -> Corpus:
    sentences = [f"Story {token(n)} ends well for the umbrella. " for n in range(count)]
    offsets = [0, *itertools.accumulate(map(len, sentences))]
    text = "".join(sentences)
    source = Source(
        id="s", language=ENGLISH, titles=(("en", "Stories"),), text=text, sha256=sha(text),
        origin="generated",
    )  # fmt: skip
    principle = Principle(
        id="p",
        names=(("en", "Be kind"),),
        definitions=(("en", "Be kind."),),
        statement=Quote(source=source, span=Span(start=0, end=5)),
    )
    stories = [
        Story(
            id=f"story-{n}",
            titles=(("en", f"Number {n}"),),
            summaries=(("en", "A generated story."),),
            company=COMPANY,
            principles=(principle,),
            language=ENGLISH,
            source=source,
            span=Span(start=offsets[n], end=offsets[n + 1] - 1),
        )
        for n in range(count)
    ]
    return Corpus(
        languages=[ENGLISH],
        companies=[COMPANY],
        principles=[principle],
        sources=[source],
        stories=stories,
    )


def within(seconds: float, work: Callable[[], Any]) -> Any:
    """The result of *work*, run in a thread: a hang fails the test instead of stalling it."""
    result: list[Any] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            result.append(work())
        except BaseException as error:
            failure.append(error)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"indexing did not finish in {seconds} s"
    if failure:
        raise failure[0]
    return result[0]


@pytest.fixture(scope="module")
def parallel() -> Corpus:
    corpus = big_corpus(COUNT)
    within(240, lambda: corpus.search("umbrella", limit=1))
    return corpus


@pytest.mark.timeout(600)
def test_the_parallel_path_indexes_every_story_once(parallel: Corpus) -> None:
    assert COUNT >= index.PARALLEL_FROM
    hits = parallel.search("umbrella", limit=None)
    assert len(hits) == COUNT
    assert len({hit.story.id for hit in hits}) == COUNT
    # The first and last story of the first chunk, of the threshold, and of the corpus.
    for number in (0, 999, 1000, index.PARALLEL_FROM - 1, index.PARALLEL_FROM, COUNT - 1):
        found = parallel.search(token(number))
        assert [hit.story.id for hit in found] == [f"story-{number}"], number
        assert found[0].snippet.highlights, number


@pytest.mark.timeout(600)
def test_the_parallel_and_the_single_thread_paths_build_the_same_index(
    parallel: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index, "PARALLEL_FROM", COUNT + 1)
    single = big_corpus(COUNT)
    for query in ("umbrella", "story ends", token(4321), "number 12"):
        expected = within(240, lambda q=query: single.search(q, limit=50))
        got = parallel.search(query, limit=50)
        assert [(h.story.id, h.score) for h in got] == [(h.story.id, h.score) for h in expected]


@pytest.mark.timeout(600)
def test_an_error_while_indexing_in_parallel_is_raised_not_swallowed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = index._analyse_rows
    calls = itertools.count()

    def failing(rows: Any, known: dict[str, str]) -> Any:
        if next(calls) == 2:
            raise RuntimeError("disk on fire")
        return real(rows, known)

    monkeypatch.setattr(index, "_analyse_rows", failing)
    corpus = big_corpus(COUNT)
    with pytest.raises(RuntimeError, match="disk on fire"):
        within(240, lambda: corpus.search("umbrella"))


def test_the_single_thread_path_indexes_every_story() -> None:
    corpus = big_corpus(2_345)  # more than one chunk of 2,000
    hits = corpus.search("umbrella", limit=None)
    assert len(hits) == 2_345
    assert [h.story.id for h in corpus.search(token(2_344))] == ["story-2344"]
    assert [h.story.id for h in corpus.search(token(0))] == ["story-0"]


# -- what is indexed ------------------------------------------------------------------


def test_the_english_title_of_a_version_1_russian_story_is_searchable(tmp_path: Path) -> None:
    text = "Наш магазин. Покупательница забыла зонтик; мы отвезли его к ней домой."
    catalog = user_catalog(
        span={"start": 13, "end": len(text)},
        title="Зонтик",
        title_en="The parasol",
        summary="A customer forgot something, and the shop drove it to her.",
    )
    catalog["sources"][0].update(language="ru", sha256=sha(text), title="Блог", title_en="Blog")
    folder = write_corpus(tmp_path / "ru", catalog, {"texts/acme.txt": text.encode()})
    corpus = clientocracy.load(folder)
    # "parasol" is only in the English title; "forgot" only in the English summary.
    (hit,) = corpus.search("parasol")
    assert hit.story.id == "acme-umbrella"
    assert hit.language.id == "ru"  # the original's row carries the English texts
    assert [h.story.id for h in corpus.search("forgot")] == ["acme-umbrella"]
    assert [h.story.id for h in corpus.search("зонтик")] == ["acme-umbrella"]
