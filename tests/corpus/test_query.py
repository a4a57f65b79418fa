"""The query API, by example: what a user types and what they get back."""

from __future__ import annotations

import pickle
import threading
from collections.abc import Sequence

import attrs
import pytest

import clientocracy
from clientocracy import Corpus, StoryCollection, UnknownValueError


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Zappos", "zappos"),
        ("zappos", "zappos"),
        ("ZAPPOS", "zappos"),
        ("زاپوس", "zappos"),
        ("ВкусВилл", "vkusvill"),
        ("вкусвилл", "vkusvill"),
        ("VkusVill", "vkusvill"),
        ("Sainsbury’s", "sainsburys"),
        ("Sainsbury's", "sainsburys"),
        ("sainsburys", "sainsburys"),
        ("Trader Joe’s", "trader-joes"),
        ("trader joes", "trader-joes"),
        ("  Trader   Joe's ", "trader-joes"),
        ("نوردستروم", "nordstrom"),
        ("نورد استورم", "nordstrom"),
        ("نورم استورم", "nordstrom"),
        ("gaylord-opryland", "gaylord-opryland"),
        ("Gaylord Opryland", "gaylord-opryland"),
        ("lego", "lego"),
        ("Лего", "lego"),
        ("لگو", "lego"),
        ("ﻟﮕﻮ", "lego"),  # presentation forms, as old PDFs and web pages carry them
    ],
)
def test_company_names_resolve(value: str, expected: str) -> None:
    assert clientocracy.company(value).id == expected


def test_arabic_letter_forms_resolve_like_persian_ones() -> None:
    # Arabic kaf and yeh for the Persian keheh and yeh.
    assert clientocracy.principle("توانمندسازي كاركنان").id == "empowered-employees"
    assert clientocracy.company("نورد\u200cاستورم").id == "nordstrom"  # typed with a ZWNJ


def test_yo_and_ye_are_the_same_letter() -> None:
    fa_name = clientocracy.principle("Мелочи важны")
    assert fa_name.id == "small-things-matter"
    assert clientocracy.language("РУССКИЙ").id == "ru"
    assert clientocracy.principle("правила не мешают делу").id == "no-red-tape"
    assert clientocracy.principle("Правила не мешают дёлу").id == "no-red-tape"


@pytest.mark.parametrize("value", ["fa", "fas", "per", "Persian", "Farsi", "فارسی", "FA", "farsi"])
def test_persian_answers_to_every_name(value: str) -> None:
    assert clientocracy.language(value).id == "fa"


@pytest.mark.parametrize("value", ["ru", "rus", "Russian", "русский"])
def test_russian_answers_to_every_name(value: str) -> None:
    assert clientocracy.language(value).id == "ru"


def test_principles_resolve_by_name_in_each_language() -> None:
    for principle in clientocracy.principles():
        for _, name in principle.names:
            assert clientocracy.principle(name) is principle
    assert clientocracy.principle("Клиентократия").id == "clientocracy"


def test_a_record_resolves_to_itself() -> None:
    zappos = clientocracy.company("zappos")
    assert clientocracy.company(zappos) is zappos
    assert clientocracy.stories(company=zappos) == clientocracy.stories(company="Zappos")


def test_stories_by_company() -> None:
    assert clientocracy.stories(company="Zappos").ids() == (
        "zappos-ten-hour-call",
        "zappos-flowers-for-a-mother",
    )
    assert clientocracy.stories(company="LEGO").ids() == (
        "lego-emerald-night-train",
        "lego-letter-from-sensei-wu",
    )


def test_stories_by_language() -> None:
    assert clientocracy.stories(language="Farsi").ids() == (
        "nordstrom-lost-diamond-ring",
        "zappos-flowers-for-a-mother",
    )
    assert len(clientocracy.stories(language="ru")) == 8


def test_english_is_known_but_tells_no_story() -> None:
    empty = clientocracy.stories(language="English")
    assert len(empty) == 0
    assert list(empty) == []
    assert empty.ids() == ()


def test_or_within_a_facet_and_across_facets() -> None:
    either = clientocracy.stories(company=["JetBlue", "Nordstrom"])
    assert either.ids() == ("jetblue-free-coffee-at-the-gate", "nordstrom-lost-diamond-ring")
    both = clientocracy.stories(company="Zappos", language="fa")
    assert both.ids() == ("zappos-flowers-for-a-mother",)
    red_tape = clientocracy.stories(principle="no red tape")
    assert red_tape.ids() == ("trader-joes-snowbound-delivery", "zappos-flowers-for-a-mother")


def test_filter_narrows_a_collection() -> None:
    zappos = clientocracy.stories(company="Zappos")
    assert zappos.filter(language="ru").ids() == ("zappos-ten-hour-call",)
    assert zappos.filter() is zappos


def test_an_empty_iterable_matches_nothing() -> None:
    assert len(clientocracy.stories(company=[])) == 0


def test_collection_is_an_immutable_sequence() -> None:
    stories = clientocracy.stories()
    assert isinstance(stories, Sequence)
    assert isinstance(stories, StoryCollection)
    assert stories[0].id == "jetblue-free-coffee-at-the-gate"
    assert stories[-1].id == "zappos-flowers-for-a-mother"
    assert isinstance(stories[1:3], StoryCollection)
    assert stories[1:3].ids() == stories.ids()[1:3]
    assert stories[0] in stories
    assert stories.index(stories[2]) == 2
    assert next(reversed(stories)) == stories[-1]
    with pytest.raises(IndexError):
        stories[100]
    with pytest.raises(TypeError):
        stories[0] = stories[1]  # type: ignore[index]
    assert "10 stories" in repr(stories)
    assert hash(stories) == hash(clientocracy.stories())


def test_story_by_id() -> None:
    story = clientocracy.story("sainsburys-giraffe-bread")
    assert story.company.name == "Sainsbury’s"
    assert "жирафовый хлеб" in story.text
    assert clientocracy.story("Sainsburys Giraffe Bread") is story


def test_unknown_company_suggests_the_closest() -> None:
    with pytest.raises(UnknownValueError) as info:
        clientocracy.stories(company="Zapos")
    error = info.value
    assert isinstance(error, LookupError)
    assert error.facet == "company"
    assert error.value == "Zapos"
    assert error.suggestions[0] == "Zappos"
    assert "unknown company: 'Zapos'" in str(error)
    assert "Did you mean 'Zappos'?" in str(error)


@pytest.mark.parametrize(
    ("call", "facet"),
    [
        (lambda: clientocracy.stories(principle="kindness"), "principle"),
        (lambda: clientocracy.stories(language="klingon"), "language"),
        (lambda: clientocracy.language("xx"), "language"),
        (lambda: clientocracy.story("no-such-story"), "story"),
        (lambda: clientocracy.stories(company=["Zappos", "Amazon"]), "company"),
    ],
)
def test_unknown_values_name_their_facet(call: object, facet: str) -> None:
    with pytest.raises(UnknownValueError) as info:
        call()  # type: ignore[operator]
    assert info.value.facet == facet
    assert facet in str(info.value)


def test_unknown_story_suggests_ids() -> None:
    with pytest.raises(UnknownValueError) as info:
        clientocracy.story("zappos-ten-hour-cal")
    assert info.value.suggestions == ("zappos-ten-hour-call",)


def test_unknown_value_error_pickles() -> None:
    error = UnknownValueError("company", "Zapos", ["Zappos"])
    again = pickle.loads(pickle.dumps(error))
    assert (again.facet, again.value, again.suggestions) == ("company", "Zapos", ("Zappos",))
    assert str(again) == str(error)


def test_wrong_types_are_a_type_error() -> None:
    with pytest.raises(TypeError, match="company"):
        clientocracy.stories(company=42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="principle"):
        clientocracy.principle(None)  # type: ignore[arg-type]


def test_records_are_frozen_slotted_hashable_and_short() -> None:
    story = clientocracy.story("zappos-ten-hour-call")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        story.id = "x"  # type: ignore[misc]
    assert not hasattr(story, "__dict__")
    for record in (
        story,
        story.source,
        story.company,
        story.language,
        story.span,
        *story.principles,
        story.principles[0].statement,
    ):
        hash(record)
        assert len(repr(record)) < 120, repr(record)
    assert {story, story} == {story}
    with pytest.raises(TypeError):
        clientocracy.Company("x", "X", (), "y", "US")  # type: ignore[misc]


def test_records_pickle() -> None:
    story = clientocracy.story("nordstrom-lost-diamond-ring")
    assert pickle.loads(pickle.dumps(story)) == story


def test_bundled_corpus_loads_once_under_threads() -> None:
    import clientocracy._corpus.corpus as corpus_module

    saved = corpus_module._bundled
    corpus_module._bundled = None
    try:
        seen: list[Corpus] = []
        barrier = threading.Barrier(8)

        def load() -> None:
            barrier.wait(timeout=60)
            seen.append(Corpus.bundled())

        threads = [threading.Thread(target=load, daemon=True) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in threads), "a load never returned"
        assert len(seen) == 8
        assert all(corpus is seen[0] for corpus in seen)
    finally:
        corpus_module._bundled = saved


def test_span_rejects_reversed_offsets() -> None:
    with pytest.raises(ValueError, match="start <= end"):
        clientocracy.Span(start=5, end=2)


def test_corpus_listings() -> None:
    corpus = Corpus.bundled()
    assert corpus is Corpus.bundled()
    assert corpus.companies() == clientocracy.companies()
    assert corpus.source("003_374cabf50464a2fb").language.id == "fa"
    assert "10 stories" in repr(corpus)


def test_public_classes_report_themselves_as_the_package() -> None:
    import pickle
    import subprocess
    import sys

    for name in clientocracy.__all__:
        value = getattr(clientocracy, name)
        if isinstance(value, type):
            assert value.__module__ == "clientocracy", name
            assert getattr(clientocracy, value.__qualname__) is value
    story = clientocracy.story("sainsburys-giraffe-bread")
    assert pickle.loads(pickle.dumps(story)) == story
    # However the error is first reached, its traceback names the package.
    code = "import clientocracy\nclientocracy.stories(company='Zapos')"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.stderr.strip().splitlines()[-1].startswith("clientocracy.UnknownValueError: ")


def test_import_loads_no_records_until_a_name_is_used() -> None:
    import subprocess
    import sys

    code = (
        "import sys, clientocracy\n"
        "assert 'attrs' not in sys.modules and 'clientocracy._records' not in sys.modules\n"
        "assert 'Story' in dir(clientocracy)\n"
        "clientocracy.Story\n"
        "assert 'clientocracy._records' in sys.modules\n"
        "try:\n    clientocracy.Storry\nexcept AttributeError as error:\n    print(error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "module 'clientocracy' has no attribute 'Storry'"
