"""Hostile queries and texts: search stays bounded in time and memory."""

from __future__ import annotations

import pytest

import clientocracy

from ..helpers import hostile_corpus

# -- 6. bounded cost of search ---------------------------------------------------


def test_search_limits() -> None:
    from clientocracy._search.analysis import MAX_QUERY_TERMS, MAX_WORD_CHARS

    assert clientocracy.search("zappos", limit=2**63) == clientocracy.search("zappos", limit=None)
    assert clientocracy.search("zappos", limit=10**100)
    (term,) = clientocracy.search_terms("x" * 10_000_000)
    assert term == "x" * MAX_WORD_CHARS
    with pytest.raises(ValueError, match=r"more than"):
        clientocracy.search(" ".join(f"w{i}" for i in range(MAX_QUERY_TERMS + 1)))
    with pytest.raises(ValueError, match="more than"):
        clientocracy.search('"' + " ".join(f"w{i}" for i in range(170_000)) + '"')
    # Repeats are one term: the limit counts what the query asks.
    assert clientocracy.search("alarm " * 2_000)


def test_a_giant_word_is_indexed_by_its_start_and_highlighted_cheaply() -> None:
    giant = "z" * 5_000_000
    corpus = hostile_corpus("evil", tail=f" {giant} umbrella")
    (hit,) = corpus.search(giant)
    assert hit.story == corpus.stories()[0]
    assert len(hit.snippet.text) < 1_000
    assert corpus.search("zzzz*")  # the prefix of a word cut to its start
