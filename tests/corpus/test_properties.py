"""Properties of the query API that must hold for every input."""

from __future__ import annotations

import itertools
from typing import Any
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

import clientocracy
from clientocracy import UnknownValueError, _normalize, name_key, normalize

STORIES = clientocracy.stories()
COMPANIES = clientocracy.companies()
PRINCIPLES = clientocracy.principles()
LANGUAGES = clientocracy.languages()

# Text that mixes the scripts and the troublesome characters of the dataset.
tricky = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from(list("ёЁеЕيیكکةهأإٱآ\u200c\u200d\u200f\u202e\u00a0’'` -_.ـًٌٍَُِ۱۲٣")),
    ),
    max_size=40,
)

company_values = st.sampled_from(COMPANIES).flatmap(
    lambda c: st.sampled_from([c, c.id, c.name, *c.aliases])
)
principle_values = st.sampled_from(PRINCIPLES).flatmap(lambda p: st.sampled_from([p, *p.all_names]))
language_values = st.sampled_from(LANGUAGES).flatmap(
    lambda lang: st.sampled_from([lang, *lang.names])
)


def facet(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), values, st.lists(values, max_size=3))


@given(tricky)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(tricky)
def test_name_key_is_idempotent_and_ignores_surrounding_space(text: str) -> None:
    key = name_key(text)
    assert name_key(key) == key
    assert name_key(f"  {text}\u00a0") == key


@given(
    st.lists(
        st.sampled_from(sorted(_normalize._REPLACEMENTS)) | st.text(max_size=8) | tricky,
        max_size=30,
    ).map("".join)
)
def test_short_and_long_texts_are_normalized_alike(text: str) -> None:
    # Short texts have their characters replaced by a table, long ones by a
    # regex; the same text through either must come out the same.
    with mock.patch.object(_normalize, "_SHORT", -1):
        by_regex = normalize(text)
    with mock.patch.object(_normalize, "_SHORT", len(text) * 4 + 8):
        by_table = normalize(text)
    assert by_table == by_regex


letters = st.text(alphabet=st.sampled_from("abcxyzABCXYZабвёжЁЖЯяیکهاآپچژگ '’-"), max_size=30)


@given(letters)
def test_normalization_ignores_case(text: str) -> None:
    assert normalize(text.upper()) == normalize(text.lower()) == normalize(text)


def test_every_alias_resolves_to_its_record() -> None:
    for company in COMPANIES:
        for name in company.names:
            assert clientocracy.company(name) is company
            assert clientocracy.company(name.upper()) is company
            assert clientocracy.company(f" {name} ") is company
    for principle in PRINCIPLES:
        for name in principle.all_names:
            assert clientocracy.principle(name) is principle
    for language in LANGUAGES:
        for name in language.names:
            assert clientocracy.language(name) is language


@given(tricky)
def test_no_string_makes_a_lookup_raise_anything_else(text: str) -> None:
    for lookup in (
        clientocracy.company,
        clientocracy.principle,
        clientocracy.language,
        clientocracy.story,
    ):
        try:
            lookup(text)
        except UnknownValueError as error:
            failed = error
        else:
            continue
        assert failed.value == text
    for keyword in ("company", "principle", "language"):
        try:
            result = clientocracy.stories(**{keyword: text})
        except UnknownValueError:
            continue
        assert set(result) <= set(STORIES)


@given(facet(company_values), facet(principle_values), facet(language_values))
def test_filters_return_subsets_in_order(company: Any, principle: Any, language: Any) -> None:
    result = clientocracy.stories(company=company, principle=principle, language=language)
    positions = [STORIES.index(story) for story in result]
    assert positions == sorted(positions)
    assert len(set(positions)) == len(positions)
    assert result.filter(company=company, principle=principle, language=language) == result


@given(st.lists(company_values, min_size=1, max_size=4))
def test_or_within_a_facet_is_the_union(values: list[Any]) -> None:
    union = clientocracy.stories(company=values)
    singles = set(itertools.chain.from_iterable(clientocracy.stories(company=v) for v in values))
    assert set(union) == singles


@given(company_values, principle_values, language_values)
def test_and_across_facets_is_the_intersection(company: Any, principle: Any, language: Any) -> None:
    both = clientocracy.stories(company=company, principle=principle, language=language)
    assert set(both) == (
        set(clientocracy.stories(company=company))
        & set(clientocracy.stories(principle=principle))
        & set(clientocracy.stories(language=language))
    )
    chained = (
        clientocracy.stories(company=company).filter(principle=principle).filter(language=language)
    )
    assert chained == both


@given(company_values)
def test_a_company_filter_keeps_exactly_its_stories(value: Any) -> None:
    company = clientocracy.company(value)
    result = clientocracy.stories(company=value)
    assert all(story.company is company for story in result)
    assert len(result) == sum(story.company is company for story in STORIES)


@given(
    st.integers(min_value=0, max_value=2**31 - 1),
    st.integers(min_value=0, max_value=1000),
    tricky,
    tricky,
    st.booleans(),
)
def test_a_segment_made_from_checked_values_is_the_usual_record(
    start: int, length: int, original: str, text: str, paragraph: bool
) -> None:
    # Loading makes segments without attrs' __init__: they must be the same
    # records in every way a user can tell.
    from clientocracy import Segment, Span
    from clientocracy._records import checked_segment

    made = checked_segment(start, start + length, original, text, paragraph)
    usual = Segment(
        span=Span(start=start, end=start + length),
        original=original,
        text=text,
        paragraph=paragraph,
    )
    assert made == usual
    assert hash(made) == hash(usual)
    assert made.span == usual.span
    assert hash(made.span) == hash(usual.span)
    assert repr(made) == repr(usual)
    assert len(made.span) == length
