"""Writing a corpus by quoting: finding passages, and the Draft that adds records and saves."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import clientocracy
from clientocracy import CorpusError, Draft, QuoteError, Span, UnknownValueError, find_passage

TEXT = (
    "Our shop opened in spring.\n\n"
    "A customer left her umbrella on the counter; we drove it to her house.\n"
    "Another customer lost a glove. We kept it for her until Friday.\n"
)


# -- finding a passage -------------------------------------------------------------


def test_a_unique_quotation_is_its_span() -> None:
    span = find_passage(TEXT, quote="we drove it to her house.")
    assert TEXT[span.slice()] == "we drove it to her house."


def test_begins_and_ends_give_the_passage_between_them() -> None:
    span = find_passage(TEXT, begins="A customer", ends="her house.")
    assert TEXT[span.slice()] == (
        "A customer left her umbrella on the counter; we drove it to her house."
    )


def test_white_space_in_a_quotation_matches_any_white_space() -> None:
    span = find_passage(TEXT, quote="her  house.   Another customer")
    assert TEXT[span.slice()] == "her house.\nAnother customer"


def test_an_ambiguous_quotation_says_where_each_candidate_is() -> None:
    with pytest.raises(QuoteError) as caught:
        find_passage(TEXT, quote="customer l")
    error = caught.value
    assert [TEXT[s.slice()] for s in error.candidates] == ["customer l", "customer l"]
    message = str(error)
    assert "occurs 2 times" in message
    assert "line 3, column 3" in message
    assert "line 4, column 9" in message
    assert "quote more words" in message


def test_opening_words_that_occur_twice_are_ambiguous() -> None:
    with pytest.raises(QuoteError) as caught:
        find_passage(TEXT, begins="customer", ends="her")
    assert [TEXT[s.slice()] for s in caught.value.candidates] == [
        "customer left her",
        "customer lost a glove. We kept it for her",
    ]


def test_an_absent_quotation_points_at_its_longest_start_in_the_text() -> None:
    with pytest.raises(QuoteError) as caught:
        find_passage(TEXT, quote="we drove it to his office")
    error = caught.value
    assert error.candidates == ()
    assert [TEXT[s.slice()] for s in error.partial] == ["we drove it to"]
    assert "is not in the text" in str(error)
    assert "line 3, column 46" in str(error)


def test_an_absent_ending_says_where_the_beginning_is() -> None:
    with pytest.raises(QuoteError, match=r"'Our shop' at line 1, column 1.*'zebra' does not"):
        find_passage(TEXT, begins="Our shop", ends="zebra")


def test_words_the_text_has_nowhere() -> None:
    with pytest.raises(QuoteError, match="nor is its first word"):
        find_passage(TEXT, quote="zebra crossing")


def test_a_passage_is_named_one_way() -> None:
    with pytest.raises(ValueError, match="not both"):
        find_passage(TEXT, quote="Our shop", begins="Our")
    with pytest.raises(ValueError, match="name the passage"):
        find_passage(TEXT)


def found(text: str, **words: str) -> Span | QuoteError:
    try:
        return find_passage(text, **words)
    except QuoteError as error:
        return error


TEXTS = st.text(alphabet="abcдеж ابپ\n.", max_size=40)
WORDS = st.text(alphabet="abcдежابپ.", min_size=1, max_size=5)
# Words with white space between them, none at either end: what a quotation is.
QUOTES = st.lists(
    st.tuples(WORDS, st.sampled_from([" ", "  ", "\n", " \n "])), min_size=1, max_size=3
).map(lambda parts: "".join(w + gap for w, gap in parts[:-1]) + parts[-1][0])


@given(before=TEXTS, quote=QUOTES, after=TEXTS)
def test_a_quotation_found_back_is_the_exact_text_quoted(
    before: str, quote: str, after: str
) -> None:
    # A space on each side keeps the quotation's first and last words whole.
    text = f"{before} {quote} {after}"
    start = len(before) + 1
    result = found(text, quote=quote)
    places = result.candidates if isinstance(result, QuoteError) else (result,)
    # Never absent; the place quoted is among the candidates, all of which
    # are the same words; a unique quotation is the exact text quoted.
    assert Span(start=start, end=start + len(quote)) in places
    assert all(text[span.slice()].split() == quote.split() for span in places)
    if isinstance(result, Span):
        assert text[result.slice()] == quote


@given(
    text=st.text(alphabet="abc .", max_size=60),
    begins=st.text(alphabet="abc.", min_size=1, max_size=4),
    ends=st.text(alphabet="abc.", min_size=1, max_size=4),
)
def test_a_passage_between_words_begins_and_ends_with_them(
    text: str, begins: str, ends: str
) -> None:
    result = found(text, begins=begins, ends=ends)
    places = result.candidates if isinstance(result, QuoteError) else (result,)
    for span in places:
        passage = text[span.slice()]
        assert passage.startswith(begins)
        assert passage.endswith(ends)
    # Absent only when no stretch of the text fits, as a brute-force search says.
    fits = any(
        text[i:j].startswith(begins) and text[i:j].endswith(ends)
        for i in range(len(text))
        for j in range(i + 1, len(text) + 1)
    )
    assert bool(places) == fits


# -- the draft -------------------------------------------------------------------------


def draft_in(tmp_path: Path) -> Draft:
    draft = Draft.create(tmp_path / "my-stories")
    draft.add_source(
        "blog", text=TEXT, language="English", title="Our blog", origin="Our own blog."
    )
    draft.add_company("acme", name="Acme", aliases=["ACME Corp"], industry="retail", country="GB")
    return draft


def add_umbrella(draft: Draft) -> None:
    draft.add_story(
        "umbrella",
        source="blog",
        begins="A customer",
        ends="her house.",
        company="ACME Corp",
        principles=["Small things matter"],
        title="The umbrella",
        summary="A shop drove a forgotten umbrella to its owner.",
        channel="in-person",
    )


def test_a_draft_saves_a_corpus_that_loads(tmp_path: Path) -> None:
    draft = draft_in(tmp_path)
    add_umbrella(draft)
    saved = draft.save()
    loaded = clientocracy.load(tmp_path / "my-stories")
    assert loaded == saved
    story = loaded.story("umbrella")
    assert story.text == "A customer left her umbrella on the counter; we drove it to her house."
    assert story.company.id == "acme"
    assert [p.id for p in story.principles] == ["small-things-matter"]
    text = (tmp_path / "my-stories" / "texts" / "blog.txt").read_text(encoding="utf-8")
    assert text == TEXT


def test_records_are_named_by_any_of_their_names(tmp_path: Path) -> None:
    draft = draft_in(tmp_path)
    assert draft.resolve("company", "acme corp") == "acme"
    assert draft.resolve("company", "Заппос") == "zappos"
    assert draft.resolve("language", "Farsi") == "fa"
    assert draft.resolve("principle", "клиентократия") == "clientocracy"
    with pytest.raises(UnknownValueError) as caught:
        draft.resolve("company", "Zapos")
    assert "Zappos" in caught.value.suggestions


def test_nothing_is_written_until_the_corpus_is_valid(tmp_path: Path) -> None:
    draft = draft_in(tmp_path)
    draft.add_story(
        "umbrella",
        source="blog",
        quote="we drove it to her house.",
        company="acme",
        principles=["small things matter"],
        title={"en": "The umbrella", "fa": "چتر"},
        summary="A shop drove an umbrella home.",
    )
    with pytest.raises(CorpusError, match="a text in 'fa', which the story is neither told"):
        draft.save()
    assert not (tmp_path / "my-stories").exists()


def test_an_existing_corpus_grows_and_keeps_its_texts(tmp_path: Path) -> None:
    draft = draft_in(tmp_path)
    add_umbrella(draft)
    draft.save()
    again = Draft.open(tmp_path / "my-stories")
    again.add_story(
        "glove",
        source="blog",
        begins="Another customer",
        ends="until Friday.",
        company="Acme",
        principles=["small things matter"],
        title="The glove",
        summary="A shop kept a lost glove for its owner.",
    )
    corpus = again.save()
    assert corpus.stories().ids() == ("umbrella", "glove")
    with pytest.raises(ValueError, match="already has a story 'glove'"):
        Draft.open(tmp_path / "my-stories").add_story(
            "glove", source="blog", quote="Our shop", company="acme",
            principles=["small things matter"], title="x", summary="x",
        )  # fmt: skip


def test_a_new_principle_is_quoted_from_its_source(tmp_path: Path) -> None:
    draft = draft_in(tmp_path)
    span = draft.add_principle(
        "keep-what-is-lost",
        names={"en": "Keep what is lost"},
        definition="Whatever a customer leaves behind is kept safe until it is returned.",
        source="blog",
        quote="We kept it for her until Friday.",
    )
    assert TEXT[span.slice()] == "We kept it for her until Friday."
    corpus = draft.save()
    principle = corpus.principle("keep what is lost")
    assert principle.statement.text == "We kept it for her until Friday."


def test_the_catalog_is_written_in_a_stable_readable_layout(tmp_path: Path) -> None:
    draft = draft_in(tmp_path)
    add_umbrella(draft)
    draft.save()
    catalog = (tmp_path / "my-stories" / "catalog.json").read_text(encoding="utf-8")
    lines = catalog.splitlines()
    # A span is one line, keys in the documented order.
    (span_line,) = [line for line in lines if '"span"' in line]
    assert span_line.strip().startswith('"span": {"start": ')
    assert span_line.index('"start"') < span_line.index('"end"') < span_line.index('"begins"')
    assert '"id": "umbrella"' in lines[lines.index(span_line) - 2]
    # Saving the loaded corpus again gives the same layout for the same records.
    data = json.loads(catalog)
    assert list(data) == ["format", "version", "languages", "companies", "principles",
                          "sources", "stories"]  # fmt: skip
    assert list(data["stories"][0]) == [
        "id", "source", "span", "company", "principles", "title", "summary", "channel",
        "translations",
    ]  # fmt: skip


def test_a_draft_refuses_a_folder_in_use(tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError, match="not an empty folder"):
        Draft.create(tmp_path / "full")
    assert os.listdir(tmp_path / "full") == ["notes.txt"]


def test_a_lone_surrogate_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    draft = draft_in(tmp_path)
    draft.add_story(
        "umbrella", source="blog", quote="we drove it to her house.", company="acme",
        principles=["small things matter"], title="The \ud800 umbrella", summary="x",
    )  # fmt: skip
    with pytest.raises(ValueError, match="lone surrogate"):
        draft.save()
    assert not (tmp_path / "my-stories").exists()


def test_saving_again_writes_the_same_bytes(tmp_path: Path) -> None:
    draft = draft_in(tmp_path)
    add_umbrella(draft)
    draft.save()
    catalog = tmp_path / "my-stories" / "catalog.json"
    first = catalog.read_bytes()
    Draft.open(tmp_path / "my-stories").save()
    assert catalog.read_bytes() == first
    # A catalog written in another key order is written back in the documented one.
    data = json.loads(first)
    data["stories"][0] = dict(reversed(list(data["stories"][0].items())))
    catalog.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    Draft.open(tmp_path / "my-stories").save()
    assert catalog.read_bytes() == first
