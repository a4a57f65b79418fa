"""Full-text search: what it finds, how it ranks, and that no query breaks it."""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import clientocracy
from clientocracy import (
    Company,
    Corpus,
    Language,
    Principle,
    Quote,
    SearchHit,
    Snippet,
    Source,
    Span,
    Story,
    UnknownValueError,
    search,
    search_terms,
)

STORIES = clientocracy.stories()


def ids(hits: Sequence[SearchHit]) -> list[str]:
    return [hit.story.id for hit in hits]


def field_text(story: Story, field: str, language: str | None = None) -> str:
    """The text a snippet of *field* in *language* is cut from."""
    if field == "company":
        return story.company.name
    language = language or story.language.id
    return {
        "text": story.text_in,
        "title": story.title_in,
        "summary": story.summary_in,
    }[field](language)


def highlighted(hit: SearchHit) -> list[str]:
    return [hit.snippet.text[span.slice()] for span in hit.snippet.highlights]


# -- what a query finds --------------------------------------------------------


def test_a_russian_query_finds_inflected_forms() -> None:
    # The passage says "будильником" and "будильник"; nobody types either.
    hits = search("будильники")
    assert ids(hits) == ["gaylord-opryland-alarm-clocks"]
    assert hits[0].snippet.field == "text"
    assert set(highlighted(hits[0])) <= {"будильником", "будильник", "будильники"}
    assert highlighted(hits[0])


def test_an_english_query_finds_a_russian_story_through_its_translation() -> None:
    hits = search("alarm clocks", language="ru")
    assert ids(hits) == ["gaylord-opryland-alarm-clocks"]
    assert hits[0].language.id == hits[0].snippet.language == "en"
    assert hits[0].snippet.text in hits[0].story.text_in("en")


def test_a_persian_query_finds_the_original_text() -> None:
    hits = search("زاپوس")
    assert "zappos-flowers-for-a-mother" in ids(hits)
    persian = next(hit for hit in hits if hit.story.language.id == "fa")
    assert persian.snippet.field == "text"
    assert "زاپوس" in highlighted(persian)


def test_company_names_are_searched_in_every_script() -> None:
    # The Russian text writes "Trader Joe’s" in Latin letters; the company's
    # aliases let a Cyrillic query find it too.
    aliases = clientocracy.company("trader-joes").aliases
    cyrillic = next(alias for alias in aliases if re.search("[а-я]", alias.lower()))
    assert ids(search(cyrillic)) == ["trader-joes-snowbound-delivery"]


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("Trader Joe's", "Trader Joe’s"),
        ("trader joes", "TRADER JOE’S"),
        ("مشتري", "مشتری"),  # Arabic yeh and Persian yeh
        ("كنم", "کنم"),  # Arabic kaf and Persian keheh
        ("۶۰۰", "600"),
        ("٦٠٠", "600"),  # Arabic-Indic digits
        ("alarm\u00a0clock", "alarm clock"),
        ("ЗАППОС", "заппос"),
        ("Ёлка будильник", "елка будильник"),
        ("مُشتری", "مشتری"),  # a haraka
        ("مـشـتـری", "مشتری"),  # tatweel
    ],
)
def test_spellings_that_mean_the_same_find_the_same(typed: str, written: str) -> None:
    # Two empty results are equal too: the written form must have terms.
    assert search_terms(written)
    assert search_terms(typed) == search_terms(written)
    assert ids(search(typed, limit=None)) == ids(search(written, limit=None))


def test_a_word_typed_with_a_zwnj_matches_the_text_written_with_a_space() -> None:
    # The Persian text writes "می شوند" with a space; typed with a ZWNJ it is
    # still one word, so it matches as the phrase of its parts.
    assert search_terms("می\u200cشوند") == search_terms("می شوند")
    hits = search("می\u200cشوند", limit=None)
    assert hits
    assert ids(hits) == ids(search('"می شوند"', limit=None))
    assert highlighted(hits[0])[:2] == ["می", "شوند"]


def test_the_spelling_tests_above_are_not_vacuous() -> None:
    for query in ("Trader Joe's", "مشتری", "کنم", "می شوند", "600", "alarm clock", "заппос"):
        assert search(query), query


def test_persian_and_russian_digits_find_the_passage() -> None:
    assert ids(search("600")) == ["zappos-flowers-for-a-mother"]
    assert ids(search("30 минут")) == ["trader-joes-snowbound-delivery"]


def test_words_are_anded() -> None:
    zappos = set(ids(search("zappos", limit=None)))
    bouquet = set(ids(search("bouquet", limit=None)))
    both = set(ids(search("zappos bouquet", limit=None)))
    assert len(zappos) == 2
    assert both == zappos & bouquet == {"zappos-flowers-for-a-mother"}
    assert search("zappos будильник") == ()


def test_quoted_words_are_a_phrase() -> None:
    assert ids(search('"alarm clock"')) == ["gaylord-opryland-alarm-clocks"]
    assert search('"clock alarm"') == ()
    assert ids(search("clock alarm")) == ["gaylord-opryland-alarm-clocks"]
    # Typographic quotes, as a Russian keyboard types them, are quotes too.
    assert search("«clock alarm»") == ()


def test_the_last_word_is_also_a_prefix_while_typing_when_asked() -> None:
    assert ids(search("будильн", prefix=True)) == ["gaylord-opryland-alarm-clocks"]
    # A space after it says the word is complete.
    assert search("будильн ", prefix=True) == ()
    # Only the last word: an earlier fragment must be a whole word.
    assert search("будильн alarm", prefix=True) == ()
    assert ids(search('"alarm cl', prefix=True)) == ["gaylord-opryland-alarm-clocks"]
    assert search('"alarm cl"', prefix=True) == ()
    with pytest.raises(TypeError, match="prefix="):
        search("alarm", prefix="yes")  # type: ignore[arg-type]


def test_empty_queries_find_nothing() -> None:
    for query in ("", "   ", "\n\t", '""', '"', "...", "—", "*"):
        assert search(query) == ()


HOSTILE_QUERIES = [
    '"unbalanced',
    'unbalanced" quote',
    "AND",
    "OR NOT",
    "NEAR(alarm clock, 2)",
    "alarm OR",
    "(",
    ")",
    "^alarm",
    "alarm*",
    "-alarm +clock",
    "title:alarm",
    "{title body}: alarm",
    "'; DROP TABLE story; --",
    "SELECT * FROM story WHERE 1=1",
    "\x00",
    "alarm\x00clock",
    "🙂",
    "🙂 alarm",
    "\ud800",
    "x" * 10_000,
    "alarm " * 2_000,
    "\u202eclock alarm",
    "c0 l0 p0",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_no_query_raises(query: str) -> None:
    hits = search(query, limit=None)
    assert isinstance(hits, tuple)
    assert all(isinstance(hit, SearchHit) for hit in hits)


def test_query_syntax_is_read_as_words() -> None:
    # Operators other than OR, and column names, are ordinary words.
    assert ids(search("alarm NEAR")) == []
    # An OR with nothing on one side is dropped.
    assert ids(search("alarm OR")) == ids(search("alarm"))
    assert ids(search("alarm*")) == ids(search("alarm"))
    assert ids(search("title:alarm")) == []  # no story has the word "title"
    assert ids(search("alarm " * 2_000)) == ids(search("alarm"))
    # The filters are not searchable words.
    assert search("c0 ") == ()


# -- ranking -------------------------------------------------------------------


LANG = Language(id="en", name="English", native_name="English", direction="ltr")


def make_corpus(*stories: dict[str, str]) -> Corpus:
    """A corpus of English stories, each given as its fields; one source per story."""
    company = Company(id="acme", name="Acme", industry="retail", country="GB")
    sources, records = [], []
    for number, fields in enumerate(stories):
        text = fields.get("text", "Nothing to see.")
        source = Source(
            id=f"s{number}",
            language=LANG,
            titles=(("en", "t"),),
            text=text,
            sha256="0" * 64,
            origin="o",
        )
        sources.append(source)
        records.append(
            Story(
                id=f"story-{number}",
                titles=(("en", fields.get("title", "Plain")),),
                summaries=(("en", fields.get("summary", "Plain.")),),
                company=company,
                principles=(PRINCIPLE,),
                language=LANG,
                source=source,
                span=Span(start=0, end=len(text)),
            )
        )
    return Corpus(
        languages=[LANG],
        companies=[company],
        principles=[PRINCIPLE],
        sources=sources,
        stories=records,
    )


_STATEMENT_SOURCE = Source(
    id="statement",
    language=LANG,
    titles=(("en", "t"),),
    text="Be kind.",
    sha256="0" * 64,
    origin="o",
)
PRINCIPLE = Principle(
    id="kindness",
    names=(("en", "Kindness"),),
    definitions=(("en", "Be kind."),),
    statement=Quote(source=_STATEMENT_SOURCE, span=Span(start=0, end=8)),
)


def test_a_title_weighs_more_than_the_body() -> None:
    body = "The umbrella was returned by the staff in the evening to the customer."
    corpus = make_corpus({"text": body}, {"title": "The umbrella", "text": "A long day."})
    assert ids(corpus.search("umbrella")) == ["story-1", "story-0"]
    first, second = corpus.search("umbrella")
    assert first.score > second.score > 0


def test_more_occurrences_rank_higher() -> None:
    corpus = make_corpus(
        {"text": "A gift came once, on a day of rain in town."},
        {"text": "A gift, then a gift, then one more gift, on a day of rain."},
    )
    assert ids(corpus.search("gift")) == ["story-1", "story-0"]


def test_equal_scores_keep_corpus_order() -> None:
    same = {"text": "Flowers were sent."}
    corpus = make_corpus(same, same, same, same)
    hits = corpus.search("flowers")
    assert ids(hits) == ["story-0", "story-1", "story-2", "story-3"]
    assert len({hit.score for hit in hits}) == 1
    assert ids(corpus.search("flowers", limit=2)) == ["story-0", "story-1"]


def test_the_index_is_per_corpus() -> None:
    corpus = make_corpus({"text": "Only here: a zeppelin."})
    assert ids(corpus.search("zeppelin")) == ["story-0"]
    assert search("zeppelin") == ()


# -- filters and limits --------------------------------------------------------


def test_filters_narrow_the_hits() -> None:
    assert len(search("zappos")) == 2
    assert ids(search("zappos", language="Farsi")) == ["zappos-flowers-for-a-mother"]
    assert ids(search("zappos", company="LEGO")) == []
    both = search("zappos", principle=[p.id for p in clientocracy.principles()])
    assert len(both) == 2


def test_an_unknown_filter_value_is_an_error_even_without_hits() -> None:
    with pytest.raises(UnknownValueError) as info:
        search("zzzz nothing", company="Zapos")
    assert info.value.facet == "company"
    assert "Zappos" in info.value.suggestions


def test_an_empty_filter_matches_nothing() -> None:
    assert search("zappos", company=[]) == ()


def test_limit() -> None:
    everything = search("the", limit=None)
    assert len(everything) > 3
    assert search("the", limit=3) == everything[:3]
    assert search("the", limit=0) == ()
    with pytest.raises(ValueError, match="cannot be negative"):
        search("the", limit=-1)
    for wrong in ("3", 2.5, True):
        with pytest.raises(TypeError, match="limit"):
            search("the", limit=wrong)  # type: ignore[arg-type]


def test_a_query_must_be_a_string() -> None:
    with pytest.raises(TypeError, match="query is a string"):
        search(b"alarm")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        search_terms(None)  # type: ignore[arg-type]


# -- snippets --------------------------------------------------------------------


def assert_snippet_is_consistent(hit: SearchHit) -> None:
    snippet = hit.snippet
    text = field_text(hit.story, snippet.field, snippet.language)
    assert text[snippet.start : snippet.start + len(snippet.text)] == snippet.text
    assert snippet.clipped_start == (text[: snippet.start].strip() != "")
    assert snippet.clipped_end == (text[snippet.start + len(snippet.text) :].strip() != "")
    previous_end = 0
    for span in snippet.highlights:
        assert previous_end <= span.start < span.end <= len(snippet.text)
        previous_end = span.end


def test_snippets_point_at_the_matched_words() -> None:
    (hit,) = search("будильники")
    assert_snippet_is_consistent(hit)
    assert len(hit.snippet.text) <= 170
    assert hit.snippet.clipped_start or hit.snippet.clipped_end
    marked = hit.snippet.marked("<b>", "</b>")
    assert re.search("<b>будильник[а-я]*</b>", marked)
    assert str(hit.snippet) == hit.snippet.marked("", "")


def test_a_short_field_is_its_own_snippet() -> None:
    (hit,) = search("flowers mother")
    assert (hit.snippet.field, hit.snippet.language) == ("title", "en")
    assert hit.snippet.text == hit.story.title_en
    assert not hit.snippet.clipped_start
    assert not hit.snippet.clipped_end


def test_snippet_marks_render() -> None:
    snippet = Snippet(
        field="text",
        text="one two three",
        start=5,
        highlights=(Span(start=0, end=3), Span(start=8, end=13)),
        clipped_start=True,
    )
    assert snippet.marked() == "…[one] two [three]"
    assert snippet.marked("*", "*", ellipsis="...") == "...*one* two *three*"


def test_hits_are_records() -> None:
    hit = search("будильники")[0]
    assert repr(hit).startswith("SearchHit(story='gaylord-opryland-alarm-clocks', score=")
    assert hit == search("будильники")[0]
    with pytest.raises(AttributeError):
        hit.score = 1.0  # type: ignore[misc]


# -- properties ----------------------------------------------------------------


def words_of(text: str) -> list[str]:
    return [word for word in text.split() if search_terms(word)]


@given(st.data())
def test_every_story_is_found_by_any_word_of_its_own_passage(data: st.DataObject) -> None:
    story = data.draw(st.sampled_from(STORIES))
    word = data.draw(st.sampled_from(words_of(story.text)))
    # With and without the trailing space: as a whole word, and while typing.
    assert story in [hit.story for hit in search(word + " ", limit=None)]
    assert story in [hit.story for hit in search(word, limit=None)]


VOCABULARY = sorted({word for story in STORIES for word in words_of(story.text)})[::7]
queries = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=3).map(" ".join)


def maybe(values: Sequence[Any]) -> st.SearchStrategy[Any]:
    return st.none() | st.lists(st.sampled_from(values), max_size=3)


@given(
    queries,
    maybe([c.id for c in clientocracy.companies()]),
    maybe([p.id for p in clientocracy.principles()]),
    maybe(["ru", "Farsi", "en"]),
)
def test_hits_are_a_subset_of_what_the_filters_give(
    query: str, company: Any, principle: Any, language: Any
) -> None:
    hits = search(query, company=company, principle=principle, language=language, limit=None)
    allowed = clientocracy.stories(company=company, principle=principle, language=language)
    assert {hit.story for hit in hits} <= set(allowed)
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True)
    for hit in hits:
        assert_snippet_is_consistent(hit)


@given(st.text(max_size=60) | st.sampled_from(HOSTILE_QUERIES))
def test_any_text_is_a_query(query: str) -> None:
    hits = search(query, limit=None)
    assert all(isinstance(hit, SearchHit) for hit in hits)
    if not search_terms(query.replace('"', " ")):
        assert hits == ()


@given(st.text(max_size=40))
def test_search_terms_absorb_normalization(text: str) -> None:
    assert search_terms(clientocracy.normalize(text)) == search_terms(text)


# A linear scan is the oracle: a story matches a query of whole words when
# every word's term is among the terms of one of its searched fields.
SCRIPTS = {
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "fa": "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيك",
    "en": string.ascii_lowercase,
}
word = st.sampled_from(sorted(SCRIPTS)).flatmap(
    lambda script: st.text(alphabet=SCRIPTS[script], min_size=1, max_size=5)
)
passage = st.lists(word, min_size=1, max_size=12).map(" ".join)


@settings(max_examples=60)
@given(st.lists(passage, min_size=1, max_size=6), st.data())
def test_search_agrees_with_a_linear_scan(passages: list[str], data: st.DataObject) -> None:
    corpus = make_corpus(*({"text": text, "summary": text[::-1]} for text in passages))
    pool = sorted({w for text in passages for w in text.split()})
    query = data.draw(st.lists(st.sampled_from(pool) | word, min_size=1, max_size=3))
    # A word with no terms (a Persian suffix typed alone) asks for nothing.
    terms = [set(search_terms(w)) for w in query if search_terms(w)]

    def matches(story: Story) -> bool:
        fields = (story.text, story.summary, story.title, story.title_en, "Acme acme")
        story_terms = {t for f in fields for t in search_terms(f)}
        return all(ts <= story_terms for ts in terms)

    # The scan shares the analyzer with the index on purpose: it checks what
    # the index finds, given the terms; the terms are checked by hand in
    # test_stemmer.py.
    expected = [story.id for story in corpus.stories() if terms and matches(story)]
    hits = corpus.search(" ".join(query) + " ", limit=None)
    assert sorted(ids(hits)) == sorted(expected)


# -- across languages ------------------------------------------------------------


def test_a_persian_query_finds_a_russian_story_through_its_translation() -> None:
    (hit,) = search("قهوه")
    assert hit.story.id == "jetblue-free-coffee-at-the-gate"
    assert hit.story.language.id == "ru"
    assert hit.language.id == hit.snippet.language == "fa"
    assert "قهوه" in highlighted(hit)
    assert hit.snippet.text in field_text(hit.story, hit.snippet.field, "fa")


def test_a_russian_query_finds_a_persian_story_through_its_translation() -> None:
    hits = search("бриллиантовое кольцо")
    assert ids(hits) == ["nordstrom-lost-diamond-ring"]
    assert hits[0].story.language.id == "fa"
    assert hits[0].language.id == "ru"


def test_the_language_filter_keeps_meaning_the_original_language() -> None:
    # The Persian translation matches, but the story was told in Russian.
    assert ids(search("قهوه", language="fa")) == []
    assert ids(search("قهوه", language="ru")) == ["jetblue-free-coffee-at-the-gate"]


def test_a_story_is_one_hit_however_many_of_its_languages_match() -> None:
    # "Zappos" is written alike in the original and both translations.
    hits = search("Zappos", limit=None)
    assert sorted(ids(hits)) == ["zappos-flowers-for-a-mother", "zappos-ten-hour-call"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("حلقه‌ها", ["nordstrom-lost-diamond-ring"]),  # joined with a ZWNJ
        ("حلقه ها", ["nordstrom-lost-diamond-ring"]),  # with a space
        ("حلقهها", ["nordstrom-lost-diamond-ring"]),  # joined
        ("حلقهٔ", ["nordstrom-lost-diamond-ring"]),  # with the ezafe mark
    ],
)
def test_persian_plurals_and_suffixes_find_their_base_word(query: str, expected: list[str]) -> None:
    assert ids(search(query + " ")) == expected


def test_persian_plural_and_singular_find_the_same_stories() -> None:
    singular = set(ids(search("مشتری ", limit=None)))
    assert singular == set(ids(search("مشتریان ", limit=None)))
    assert singular == set(ids(search("مشتری‌ها ", limit=None)))
    assert "nordstrom-lost-diamond-ring" in singular


@given(st.sampled_from(["ها", "های", "هایی"]), st.sampled_from(["\u200c", " ", ""]))
def test_a_persian_plural_has_the_terms_of_its_singular(suffix: str, joiner: str) -> None:
    # Each of these singulars is its own one term (see test_stemmer.py).
    for word in ("حلقه", "کفش", "مشتری", "فروشگاه"):
        assert search_terms(word + joiner + suffix) == (word,)


def test_the_arabic_plural_in_persian_finds_its_singular() -> None:
    assert search_terms("مشکلات") == ("مشکل",)
    assert "nordstrom-lost-diamond-ring" in ids(search("مشکلات ", limit=None))


def test_short_persian_words_keep_their_endings() -> None:
    # Taking an ending off these would make them other words.
    for word in ("تنها", "مهمان", "زبان", "حیات", "ثبات"):
        assert search_terms(word) == (clientocracy.normalize(word),)


# -- the bundled corpus's index, made in advance ----------------------------------


def _index_rows(data: bytes) -> list[tuple[object, ...]]:
    """Every term occurrence of a serialized index: what it would find, exactly."""
    import sqlite3

    db = sqlite3.connect(":memory:")
    db.deserialize(data)
    db.execute("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, 'story', 'instance')")
    return db.execute(
        "SELECT term, doc, col, offset FROM temp.terms ORDER BY 1, 2, 3, 4"
    ).fetchall()


def test_the_shipped_search_index_is_the_one_the_script_makes() -> None:
    from importlib.resources import files

    from clientocracy._catalog.loading import (
        BUNDLED_INDEX_FILE,
        bundled_fingerprint,
        load_bundled,
    )
    from clientocracy._search.index import serialize_index

    data = files("clientocracy") / "data"
    shipped = (data / BUNDLED_INDEX_FILE).read_bytes()
    fresh = serialize_index(
        load_bundled(), bundled_fingerprint((data / "catalog.json").read_bytes())
    )
    assert _index_rows(shipped) == _index_rows(fresh), (
        "the bundled search index is stale: run python scripts/build_search_index.py"
    )


@pytest.mark.parametrize(
    "prebuilt",
    [
        pytest.param(lambda: None, id="missing"),
        pytest.param(lambda: b"SQLite format 3\x00" + bytes(2000), id="damaged"),
        pytest.param(lambda: b"not a database at all", id="garbage"),
    ],
)
def test_an_unusable_prebuilt_index_is_rebuilt(prebuilt: Any) -> None:
    from clientocracy._catalog.loading import load_bundled

    expected = [(h.story.id, h.language.id) for h in clientocracy.search("будильник", limit=None)]
    store = load_bundled()
    _, fingerprint = store.prebuilt_index or (None, "")
    store.prebuilt_index = (prebuilt, fingerprint)
    corpus = clientocracy.Corpus._from_store(store)
    assert [(h.story.id, h.language.id) for h in corpus.search("будильник", limit=None)] == expected
    assert expected  # the word is in the bundled stories


def test_a_prebuilt_index_of_other_data_is_not_used() -> None:
    from clientocracy._catalog.loading import load_bundled
    from clientocracy._search.index import serialize_index
    from clientocracy._stores.memory import MemoryStore

    store = load_bundled()
    # An index of the same stories in the opposite order: used by mistake,
    # it would answer with the wrong stories.
    languages, companies, principles = store.vocabularies()
    reversed_store = MemoryStore(
        languages=languages,
        companies=companies,
        principles=principles,
        sources=store.sources(),
        stories=list(store.iterate(reversed(range(len(store))))),
    )
    other = serialize_index(reversed_store, "catalog-crc32:00000000:0")
    _, fingerprint = store.prebuilt_index or (None, "")
    store.prebuilt_index = (lambda: other, fingerprint)
    corpus = clientocracy.Corpus._from_store(store)
    assert [h.story.id for h in corpus.search("giraffe")] == ["sainsburys-giraffe-bread"]


def test_words_match_whole_words_and_their_forms_not_their_starts() -> None:
    every = clientocracy.Corpus.bundled()
    # "tea" is no word of the stories; "team" and "teach" are.
    assert search("tea", limit=None) == ()
    # «поездки» (trips) in the alarm-clock story is no form of «поезд» (train).
    assert ids(search("поезд", limit=None)) == ["lego-emerald-night-train"]
    assert search("car", limit=None) == ()
    starred = ids(search("tea*", limit=None))
    assert starred
    for story_id in starred:
        story = every.story(story_id)
        texts = " ".join(
            [story.text, *(t.text for t in story.translations), *(t for _, t in story.titles)]
        ).lower()
        assert re.search(r"\btea\w", texts), story_id
    # Other forms of a whole word still match.
    assert ids(search("будильники")) == ids(search("будильник")) != []


def test_or_matches_either_side_and_binds_before_and() -> None:
    coffee = set(ids(search("кофе", limit=None)))
    flowers = set(ids(search("bouquet", limit=None)))
    assert coffee
    assert flowers
    assert coffee != flowers
    assert set(ids(search("кофе OR bouquet", limit=None))) == coffee | flowers
    assert set(ids(search("bouquet OR кофе OR будильник", limit=None))) == (
        coffee | flowers | set(ids(search("будильник", limit=None)))
    )
    zappos = set(ids(search("zappos", limit=None)))
    assert set(ids(search("zappos кофе OR bouquet", limit=None))) == zappos & (coffee | flowers)
    # Lower-case "or" is a word, and AND in capitals is the default.
    assert search("кофе or bouquet") == ()
    assert ids(search("alarm AND clock")) == ids(search("alarm clock"))


@given(
    st.lists(
        st.sampled_from(["alarm", "clock", "кофе", "bouquet", "zappos", "ring"]),
        min_size=1,
        max_size=4,
    )
)
def test_an_or_of_words_finds_the_union_of_what_each_finds(words: list[str]) -> None:
    union = set()
    for word in words:
        union |= set(ids(search(word, limit=None)))
    assert set(ids(search(" OR ".join(words), limit=None))) == union
