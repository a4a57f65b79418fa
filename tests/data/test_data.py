"""The bundled dataset, checked record by record against its source texts."""

from __future__ import annotations

import hashlib
import itertools
import re
from pathlib import Path

import importlib_resources
import pytest

import clientocracy
from clientocracy import normalize

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"

EXPECTED_SHA256 = {
    "000_dc1afdb775c16d28": "d57a60b8ea19bde1226010b918854f63d7d278cf6003050311484e9490c17257",
    "003_374cabf50464a2fb": "e71062e07718b7f3df6170983e2c96d0403fbf4527baf162bcbf9171187e31bd",
}

EXPECTED_STORIES = {
    # id: (company, language, channel)
    "jetblue-free-coffee-at-the-gate": ("jetblue", "ru", "social-media"),
    "zappos-ten-hour-call": ("zappos", "ru", "phone"),
    "lego-emerald-night-train": ("lego", "ru", "message"),
    "lego-letter-from-sensei-wu": ("lego", "ru", None),
    "vkusvill-syrniki-cake": ("vkusvill", "ru", "social-media"),
    "sainsburys-giraffe-bread": ("sainsburys", "ru", "letter"),
    "gaylord-opryland-alarm-clocks": ("gaylord-opryland", "ru", "message"),
    "trader-joes-snowbound-delivery": ("trader-joes", "ru", "phone"),
    "nordstrom-lost-diamond-ring": ("nordstrom", "fa", "in-person"),
    "zappos-flowers-for-a-mother": ("zappos", "fa", "phone"),
}

# Words each passage must contain: the detail that makes it that story.
KEY_PHRASES = {
    "jetblue-free-coffee-at-the-gate": "кофе бесплатно",
    "zappos-ten-hour-call": "10 часов",
    "lego-emerald-night-train": "Поезд изумрудной ночи",
    "lego-letter-from-sensei-wu": "Сенсей Ву",
    "vkusvill-syrniki-cake": "огромный сырник",
    "sainsburys-giraffe-bread": "жирафовый хлеб",
    "gaylord-opryland-alarm-clocks": "будильник",
    "trader-joes-snowbound-delivery": "89 лет",
    "nordstrom-lost-diamond-ring": "حلقه الماس",
    "zappos-flowers-for-a-mother": "دسته گل",
}

DEBRIS = ("прочитано", "0 0", "#клиентократия")


def test_bundled_texts_are_the_seed_texts_byte_for_byte() -> None:
    data = importlib_resources.files("clientocracy") / "data" / "texts"
    for source in clientocracy.sources():
        raw = (data / f"{source.id}.txt").read_bytes()
        assert hashlib.sha256(raw).hexdigest() == EXPECTED_SHA256[source.id]
        assert source.sha256 == EXPECTED_SHA256[source.id]
        assert source.text == raw.decode("utf-8")
    assert {s.id for s in clientocracy.sources()} == set(EXPECTED_SHA256)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed texts are not beside this checkout")
def test_bundled_texts_match_the_seeds_folder() -> None:
    for source in clientocracy.sources():
        seed = (SEEDS / f"{source.id}.txt").read_bytes()
        assert hashlib.sha256(seed).hexdigest() == source.sha256


def test_sources_describe_their_origin() -> None:
    ru, fa = clientocracy.sources()
    assert ru.language.id == "ru"
    assert fa.language.id == "fa"
    assert "#клиентократия" in ru.text
    assert ru.tags == ("качество управления", "инструменты менеджмента", "клиентократия")
    assert ru.origin_text is not None
    assert ru.origin_text.endswith("Глоссарий клиентократии")
    assert fa.origin_url == "http://www.helpscout.net/blog/customer-appreciation/"
    assert fa.origin_text is not None
    assert fa.origin_url in fa.origin_text
    assert "برداشت آزاد" in fa.origin_text
    assert ru.origin_url is None


def test_the_ten_stories() -> None:
    stories = clientocracy.stories()
    assert stories.ids() == tuple(EXPECTED_STORIES)
    for story in stories:
        company, language, channel = EXPECTED_STORIES[story.id]
        assert (story.company.id, story.language.id, story.channel) == (company, language, channel)
        assert story.language == story.source.language


def test_every_span_is_in_bounds_and_exact() -> None:
    for story in clientocracy.stories():
        assert 0 <= story.span.start < story.span.end <= len(story.source.text)
        assert story.text == story.source.text[story.span.start : story.span.end]
        assert len(story.span) == len(story.text)
    for principle in clientocracy.principles():
        quote = principle.statement
        assert quote.text == quote.source.text[quote.span.start : quote.span.end]


def test_passages_are_trimmed_and_free_of_page_debris() -> None:
    for story in clientocracy.stories():
        assert story.text == story.text.strip(), story.id
        assert not story.text[0].isspace()
        assert not story.text[-1].isspace()
        for debris in DEBRIS:
            assert debris not in story.text, (story.id, debris)
        # A section heading is the company name alone on a line.
        lines = [line.strip() for line in story.text.splitlines()]
        assert story.company.name not in lines, story.id


def test_each_passage_mentions_its_company_as_its_text_writes_it() -> None:
    for story in clientocracy.stories():
        text = normalize(story.text)
        assert any(normalize(name) in text for name in story.company.names), story.id


def test_each_passage_holds_its_key_detail() -> None:
    for story in clientocracy.stories():
        assert normalize(KEY_PHRASES[story.id]) in normalize(story.text), story.id


def test_passages_do_not_overlap() -> None:
    by_source: dict[str, list[tuple[int, int]]] = {}
    for story in clientocracy.stories():
        by_source.setdefault(story.source.id, []).append((story.span.start, story.span.end))
    for spans in by_source.values():
        spans.sort()
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end <= start


def test_ids_are_unique_slugs() -> None:
    for records in (
        clientocracy.stories(),
        clientocracy.companies(),
        clientocracy.principles(),
        clientocracy.languages(),
        clientocracy.sources(),
    ):
        ids = [record.id for record in records]
        assert len(ids) == len(set(ids))
    for story in clientocracy.stories():
        assert story.id == story.id.lower()
        assert all(c.isascii() and (c.isalnum() or c == "-") for c in story.id)


def test_every_company_principle_and_language_is_used() -> None:
    stories = clientocracy.stories()
    assert {c.id for c in clientocracy.companies()} == {s.company.id for s in stories}
    assert {p.id for p in clientocracy.principles()} == {
        p.id for s in stories for p in s.principles
    }
    # English is the language of the titles and summaries written for the dataset.
    assert {lang.id for lang in clientocracy.languages()} == {s.language.id for s in stories} | {
        "en"
    }


def test_the_principles_the_texts_state() -> None:
    principles = {p.id: p for p in clientocracy.principles()}
    assert set(principles) == {
        "clientocracy",
        "empowered-employees",
        "beyond-what-is-owed",
        "small-things-matter",
        "no-red-tape",
    }
    statements = {pid: normalize(p.statement.text) for pid, p in principles.items()}
    assert "работают на клиента, а не на начальника" in statements["clientocracy"]
    assert "без лишней бюрократии" in statements["empowered-employees"]
    assert "вовсе не должна для него делать" in statements["beyond-what-is-owed"]
    assert "مسائل کوچک" in statements["small-things-matter"]
    assert "قوانین دست و پا گیر" in statements["no-red-tape"]
    for principle in principles.values():
        assert {lang for lang, _ in principle.names} == {"en", "ru", "fa"}
        assert principle.names[0][0] == "en"
        assert principle.definition.endswith(".")
        # Only a principle that two or more stories show earns a place.
        assert len(clientocracy.stories(principle=principle)) >= 2


# The principles each story shows, by the written rule the dataset card
# states for each principle and the evidence it quotes.
EXPECTED_PRINCIPLES = {
    "jetblue-free-coffee-at-the-gate": {
        "beyond-what-is-owed",
        "empowered-employees",
        "small-things-matter",
    },
    "zappos-ten-hour-call": {"empowered-employees"},
    "lego-emerald-night-train": {"beyond-what-is-owed", "empowered-employees"},
    "lego-letter-from-sensei-wu": {
        "beyond-what-is-owed",
        "empowered-employees",
        "small-things-matter",
    },
    "vkusvill-syrniki-cake": {"empowered-employees"},
    "sainsburys-giraffe-bread": {"beyond-what-is-owed", "small-things-matter"},
    "gaylord-opryland-alarm-clocks": {"beyond-what-is-owed", "small-things-matter"},
    "trader-joes-snowbound-delivery": {"beyond-what-is-owed", "clientocracy", "no-red-tape"},
    "nordstrom-lost-diamond-ring": {
        "beyond-what-is-owed",
        "empowered-employees",
        "small-things-matter",
    },
    "zappos-flowers-for-a-mother": {"clientocracy", "empowered-employees", "no-red-tape"},
}


def test_each_story_shows_the_principles_the_card_gives_it() -> None:
    shown = {story.id: {p.id for p in story.principles} for story in clientocracy.stories()}
    assert shown == EXPECTED_PRINCIPLES
    # The card's table says the same, by the principles' English names.
    card = (Path(__file__).resolve().parents[2] / "docs" / "dataset-card.md").read_text("utf-8")
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| [^|]+ \| [a-z]{2} \| ([^|]+) \|$", card, re.M))
    names = {p.id: p.name.lower() for p in clientocracy.principles()}
    assert {story: set(listed.strip().split(", ")) for story, listed in rows.items()} == {
        story: {names[p] for p in principles} for story, principles in EXPECTED_PRINCIPLES.items()
    }


def test_no_principle_selects_every_story() -> None:
    # A filter that returns everything tells its user nothing.
    everything = len(clientocracy.stories())
    for principle in clientocracy.principles():
        assert len(clientocracy.stories(principle=principle)) < everything, principle.id


def test_a_principle_keeps_its_old_names_as_aliases() -> None:
    # «Правила не мешают делу» was the Russian name of "no red tape".
    assert clientocracy.principle("Правила не мешают делу").id == "no-red-tape"
    assert clientocracy.principle("Без бюрократии").id == "no-red-tape"


def test_story_texts_written_for_the_dataset() -> None:
    for story in clientocracy.stories():
        assert story.principles
        for language in ("en", "ru", "fa"):
            assert story.title_in(language).strip(), (story.id, language)
            summary = story.summary_in(language)
            sentences = [s for s in re.split(r"(?<=[.!؟?])\s+", summary) if s.strip()]
            assert 1 <= len(sentences) <= 3, (story.id, language, summary)


def test_companies() -> None:
    companies = {c.id: c for c in clientocracy.companies()}
    assert len(companies) == 8
    assert companies["vkusvill"].country == "RU"
    assert companies["sainsburys"].country == "GB"
    assert companies["lego"].country == "DK"
    assert {c.country for c in companies.values()} <= {"US", "RU", "GB", "DK"}
    assert "نورم استورم" in companies["nordstrom"].aliases  # the text's own misspelling
    # Persian readers know the name as one word; the text's two-word spelling still finds it.
    nordstrom = companies["nordstrom"]
    assert nordstrom.name_in(clientocracy.language("fa")) == "نوردستروم"
    assert "نورد استورم" in nordstrom.aliases
    assert "VkusVill" in companies["vkusvill"].aliases


def test_languages() -> None:
    ru, fa, en = clientocracy.languages()
    assert (ru.tag, ru.name, ru.native_name, ru.direction) == ("ru", "Russian", "русский", "ltr")
    assert (fa.tag, fa.name, fa.native_name, fa.direction) == ("fa", "Persian", "فارسی", "rtl")
    assert (en.tag, en.direction) == ("en", "ltr")


def test_the_bundled_catalog_declares_the_true_hashes() -> None:
    from clientocracy._catalog.loading import load_bundled

    verified = clientocracy.Corpus._from_store(load_bundled(verify_hashes=True))
    assert [s.sha256 for s in verified.sources()] == [s.sha256 for s in clientocracy.sources()]
    assert verified.stories().ids() == clientocracy.stories().ids()


# -- translations -------------------------------------------------------------

LANGUAGES = ("ru", "fa", "en")


def written_for_the_dataset() -> list[tuple[str, str, str]]:
    """(language, where, text) of every text the dataset's editors wrote."""
    texts = []
    for story in clientocracy.stories():
        texts += [(tag, f"{story.id} title", text) for tag, text in story.titles]
        texts += [(tag, f"{story.id} summary", text) for tag, text in story.summaries]
        for translation in story.translations:
            texts += [
                (translation.language.id, f"{story.id} {translation.language.id} [{n}]", s.text)
                for n, s in enumerate(translation.segments)
            ]
    for principle in clientocracy.principles():
        texts += [(tag, f"{principle.id} name", text) for tag, text in principle.names]
        texts += [(tag, f"{principle.id} definition", text) for tag, text in principle.definitions]
    for source in clientocracy.sources():
        texts += [(tag, f"{source.id} title", text) for tag, text in source.titles]
    return texts


def test_every_story_reads_in_all_three_languages() -> None:
    for story in clientocracy.stories():
        assert sorted(lang.id for lang in story.languages) == sorted(LANGUAGES), story.id
        for language in LANGUAGES:
            assert story.text_in(language).strip()
            assert story.title_in(language).strip()
            assert story.summary_in(language).strip()


def test_segments_cover_every_passage_in_order() -> None:
    for story in clientocracy.stories():
        for translation in story.translations:
            covered = story.span.start
            for segment in translation.segments:
                assert segment.original == story.source.text[segment.span.slice()]
                gap = story.source.text[covered : segment.span.start]
                assert not gap.strip(), (story.id, translation.language.id, gap)
                covered = segment.span.end
            assert covered == story.span.end, story.id
            # Every sentence of the original is a segment or part of one:
            # a translation is not a summary.
            assert len(translation.segments) >= story.text.count(". ") // 2, story.id


def test_translations_are_provenanced() -> None:
    for story in clientocracy.stories():
        for translation in story.translations:
            assert "clientocracy maintainers" in translation.translator
            assert translation.review
            assert "second" in translation.review


def test_the_three_languages_follow_their_orthography() -> None:
    for language, where, text in written_for_the_dataset():
        assert '"' not in text, (where, "straight double quote")
        if language == "fa":
            assert not re.search("[يك]", text), (where, "Arabic yeh or kaf")
            assert not re.search("[0-9٠-٩]", text), (where, "non-Persian digits")
            assert not re.search("[A-Za-zА-Яа-яЁё]", text), (where, "Latin or Cyrillic letters")
            # The prefix of the continuous tense is joined with a ZWNJ.
            assert not re.search(r"(^|\s)(می|نمی) ", text), (where, "می without ZWNJ")
            assert "  " not in text, where
            assert " ،" not in text, where
        if language == "ru":
            assert not re.search("[\u0600-\u06ff]", text), where
        if language == "en":
            assert "'" not in text, (where, "straight apostrophe")
            assert not re.search("[\u0400-\u04ff\u0600-\u06ff]", text), where


def test_people_are_named_alike_in_every_language() -> None:
    # The names of people in the passages, as each language's texts write them.
    names = {
        "lego-letter-from-sensei-wu": {"en": "Luka", "ru": "Лука", "fa": "لوکا"},
        "sainsburys-giraffe-bread": {"en": "Lily Robinson", "ru": "Лили Робинсон"},
        "jetblue-free-coffee-at-the-gate": {"en": "Paul", "ru": "Пол", "fa": "پل"},
    }
    for story_id, by_language in names.items():
        story = clientocracy.story(story_id)
        for language, name in by_language.items():
            assert name in story.text_in(language), (story_id, language, name)
