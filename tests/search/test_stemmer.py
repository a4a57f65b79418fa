"""Stemming, rule by rule: for each rule, a word it must change and a word it must leave.

The expected terms are written by hand from the rules in the docs
(`docs/search.md`) and the analyzer's docstrings, never computed with the
analyzer itself. Persian words are counted in letters: a rule that takes a
suffix off needs enough of the word left for it not to be another word.
"""

from __future__ import annotations

import pytest

from clientocracy import search_terms

# (word, its terms, the rule it shows)
PERSIAN = [
    # A suffix written apart (after normalization reads the ZWNJ as a space)
    # is no term of its own.
    ("ها", (), "the plural suffix alone"),
    ("های", (), "the plural suffix with ezafe alone"),
    ("ی", (), "the ezafe or indefinite ی alone"),
    ("ای", (), "the indefinite ای alone"),
    ("ترین", (), "the superlative alone"),
    ("شان", (), "a possessive alone"),
    ("حلقه\u200cها", ("حلقه",), "a plural joined with a ZWNJ"),
    ("حلقه ها", ("حلقه",), "a plural written apart"),
    # ها, های, هایی joined: taken off when three letters or more are left.
    ("حلقهها", ("حلقه",), "ها joined, four letters left"),
    ("کتابهای", ("کتاب",), "های joined, four letters left"),
    ("کتابهایی", ("کتاب",), "هایی joined, four letters left"),
    ("تنها", ("تنها",), "ها after two letters: «تنها» is a word"),
    ("بهای", ("بهای",), "های after one letter: «بهای» is a word"),
    # ات: taken off a word of six letters or more.
    ("مشکلات", ("مشکل",), "ات, six letters"),
    ("سوالات", ("سوال",), "ات, six letters"),
    ("سوغات", ("سوغات",), "ات, five letters: kept"),
    ("حیات", ("حیات",), "ات, four letters: «حیات» is a word"),
    ("ثبات", ("ثبات",), "ات, four letters: «ثبات» is a word"),
    # ان: taken off a word of six letters or more; a ی that joins it to a
    # final vowel (ا or و) goes with it.
    ("درختان", ("درخت",), "ان, six letters"),
    ("مشتریان", ("مشتری",), "ان after ی after a consonant: the ی stays"),
    ("دانشجویان", ("دانشجو",), "یان after و: the joining ی goes"),
    ("آقایان", ("اقا",), "یان after ا: the joining ی goes (and آ is read as ا)"),
    ("مهمان", ("مهمان",), "ان, five letters: «مهمان» is a word"),
    ("ایران", ("ایران",), "ان, five letters: kept"),
    # Arabic letters read as their Persian forms, before any rule.
    ("مشتري", ("مشتری",), "Arabic ي read as ی"),
]

SNOWBALL = [
    ("Будильники", ("будильник",), "Russian plural"),
    ("бегущие", ("бегущ",), "Russian participle ending"),
    ("зонтик", ("зонтик",), "Russian word already a stem"),
    ("umbrellas", ("umbrella",), "English plural"),
    ("running", ("run",), "English -ing, doubled consonant"),
    ("news", ("news",), "English word that is not a plural"),
    ("Trader Joe’s", ("trader", "joe"), "apostrophe dropped, then the s as a plural"),
]

OTHER = [
    ("東京", ("東京",), "a script with no stemmer: the word as it is"),
    ("2024", ("2024",), "digits: not stemmed"),
    ("e-mail", ("e", "mail"), "a hyphen separates words"),
]


@pytest.mark.parametrize(("word", "terms", "rule"), PERSIAN + SNOWBALL + OTHER)
def test_each_rule_changes_what_it_must_and_nothing_else(
    word: str, terms: tuple[str, ...], rule: str
) -> None:
    assert search_terms(word) == terms, rule


def test_a_plural_finds_its_singular_in_a_story() -> None:
    import clientocracy

    hits = clientocracy.search("دانشجو")
    # Whatever the bundled corpus holds, a search for the singular must find
    # every story that has the plural in its Persian text.
    with_plural = [s.id for s in clientocracy.stories(language="fa") if "دانشجویان" in s.text]
    assert set(with_plural) <= {hit.story.id for hit in hits}


def test_the_singular_and_the_plural_find_the_same_user_story(tmp_path: object) -> None:
    from clientocracy import Company, Corpus, Language, Source, Span, Story

    persian = Language(id="fa", name="Persian", native_name="فارسی", direction="rtl")
    english = Language(id="en", name="English", native_name="English", direction="ltr")
    text = "دانشجویان در کتابخانه ماندند."
    source = Source(
        id="s", language=persian, titles=(("fa", "م"), ("en", "s")), text=text,
        sha256="0" * 64, origin="o",
    )  # fmt: skip
    story = Story(
        id="students",
        titles=(("fa", "کتابخانه"), ("en", "The library")),
        summaries=(("en", "Students stayed."),),
        company=Company(id="c", name="C", industry="i", country="IR"),
        principles=(),
        language=persian,
        source=source,
        span=Span(start=0, end=len(text)),
    )
    corpus = Corpus(
        languages=[persian, english],
        companies=[story.company],
        principles=[],
        sources=[source],
        stories=[story],
    )
    assert [h.story.id for h in corpus.search("دانشجو ")] == ["students"]
    assert [h.story.id for h in corpus.search("دانشجویان ")] == ["students"]
    assert corpus.search("دانش ") == ()
