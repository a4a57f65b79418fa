"""Importing a spreadsheet of stories: one row a story, problems by row and column."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import clientocracy
from clientocracy import CorpusError, import_csv
from clientocracy._authoring.csv_import import _slug

COLUMNS = [
    "company", "title", "title_en", "summary_en", "text", "principles", "language",
    "industry", "country", "translator", "translation_fa", "title_fa", "summary_fa",
]  # fmt: skip

GOOD = {
    "company": "Корнер",
    "title": "Зонт",
    "title_en": "The umbrella",
    "summary_en": "A shop drove a forgotten umbrella to its owner.",
    "text": "Покупательница забыла зонт в магазине. Мы отвезли зонт к ней домой.",
    "principles": "мелочи важны; Clientocracy",
    "language": "русский",
    "industry": "retail",
    "country": "ru",
    "translator": "The tests",
    "translation_fa": "مشتری چترش را در فروشگاه جا گذاشت. ما چتر را به خانه‌اش بردیم.",
    "title_fa": "چتر",
    "summary_fa": "فروشگاه چتر را به خانهٔ مشتری برد.",
}


def write(path: Path, rows: list[dict[str, str]], columns: list[str] = COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_good_sheet_becomes_a_corpus_with_a_text_per_story(tmp_path: Path) -> None:
    glove = {
        **GOOD,
        "title": "Перчатка",
        "title_en": "The glove",
        "text": "Покупатель потерял перчатку. Мы хранили её до пятницы.",
        "principles": "small things matter",
        "translation_fa": "",
        "title_fa": "",
        "summary_fa": "",
    }
    sheet = write(tmp_path / "stories.csv", [GOOD, glove])
    corpus = import_csv(sheet, tmp_path / "corpus")
    assert corpus.stories().ids() == ("the-umbrella", "the-glove")
    umbrella = corpus.story("the-umbrella")
    assert umbrella.company.name == "Корнер"
    assert umbrella.company.country == "RU"
    assert {p.id for p in umbrella.principles} == {"small-things-matter", "clientocracy"}
    assert umbrella.translations[0].segments[1].text == "ما چتر را به خانه‌اش بردیم."
    assert umbrella.source.origin == "Imported from stories.csv, row 2."
    assert sorted(p.name for p in (tmp_path / "corpus" / "texts").iterdir()) == [
        "the-glove.txt",
        "the-umbrella.txt",
    ]
    # Both rows name the company; it is created once.
    assert [c.id for c in clientocracy.load(tmp_path / "corpus").companies()][-1:] == ["korner"]


def test_every_bad_row_is_reported_by_row_and_column(tmp_path: Path) -> None:
    rows = [
        GOOD,
        {**GOOD, "title_en": "Two", "company": "Nobody Inc", "industry": ""},
        {**GOOD, "title_en": "Three", "principles": "be nice", "language": "Klingon"},
        {**GOOD, "title_en": "Four", "text": ""},
        {**GOOD, "title_en": "Five", "translation_fa": "یک جمله."},
        {**GOOD, "title_en": "Six", "translator": ""},
        {**GOOD, "title_en": "The umbrella"},
        {**GOOD, "title_en": "Nine", "translation_fa": "", "translator": ""},
    ]
    sheet = write(tmp_path / "stories.csv", rows)
    with pytest.raises(CorpusError) as caught:
        import_csv(sheet, tmp_path / "corpus")
    problems = [p.removeprefix(f"{sheet}: ") for p in caught.value.problems]
    assert problems[0].startswith("row 3, column 'company': no company is named 'Nobody Inc'")
    assert problems[1].startswith("row 4, column 'language': unknown language: 'Klingon'")
    assert problems[2].startswith("row 4, column 'principles': unknown principle: 'be nice'")
    assert problems[3] == "row 5, column 'text': empty; every story needs one"
    assert problems[4].startswith(
        "row 6, column 'translation_fa': the passage has 2 sentences and the translation 1"
    )
    assert problems[5].startswith("row 7, column 'translator': needed for 'translation_fa'")
    assert problems[6].startswith("row 8, column 'title_en': the story id 'the-umbrella' is taken")
    assert problems[7].startswith("row 9, column 'title_fa': the story has no text in 'fa'")
    assert problems[8].startswith("row 9, column 'summary_fa': the story has no text in 'fa'")
    assert len(problems) == 9
    assert not (tmp_path / "corpus").exists()


def test_a_header_without_the_required_columns(tmp_path: Path) -> None:
    sheet = write(tmp_path / "stories.csv", [], columns=["company", "title", "colour"])
    with pytest.raises(CorpusError) as caught:
        import_csv(sheet, tmp_path / "corpus")
    problems = [p.removeprefix(f"{sheet}: ") for p in caught.value.problems]
    assert problems == [
        "row 1, column 'text': missing; the first row must name the columns",
        "row 1, column 'principles': missing; the first row must name the columns",
        "row 1, column 'language': missing; the first row must name the columns",
        "row 1, column 'colour': an unknown column; see the format reference for the columns",
    ]


def test_a_row_with_more_cells_than_columns(tmp_path: Path) -> None:
    sheet = tmp_path / "stories.csv"
    write(sheet, [GOOD])
    with sheet.open("a", encoding="utf-8") as file:
        file.write("Acme,T,T,s,Text.,small things matter,en,retail,GB,,,,,extra\n")
    with pytest.raises(CorpusError, match="row 3: more cells than the header names columns"):
        import_csv(sheet, tmp_path / "corpus")


def test_a_sheet_that_is_not_utf8(tmp_path: Path) -> None:
    sheet = tmp_path / "stories.csv"
    sheet.write_bytes("company,title\nКорнер,Зонт\n".encode("cp1251"))
    with pytest.raises(CorpusError, match=r"byte \d+: not valid UTF-8"):
        import_csv(sheet, tmp_path / "corpus")


# -- ids from titles and names in Persian, Russian and other scripts -----------------

PERSIAN_ROW = {
    "company": "دیجی‌کالا",
    "industry": "retail",
    "country": "IR",
    "title": "بستهٔ گم‌شده",
    "title_en": "The lost parcel",
    "summary_en": "A parcel sent to the wrong town came back the same night.",
    "text": "بستهٔ مشتری به شهر دیگری رفت. راننده همان شب آن را برگرداند.",
    "principles": "اهمیت دادن به چیزهای کوچک",
    "language": "فارسی",
}
PERSIAN_COLUMNS = [*PERSIAN_ROW]


def test_persian_names_and_titles_give_readable_ids(tmp_path: Path) -> None:
    umbrella = {
        **PERSIAN_ROW,
        "company": "اسنپ",
        "title": "چتری که جا ماند",
        # An English title with no letter to make an id of: the Persian one is used.
        "title_en": "☂",
        "text": "مشتری چترش را در فروشگاه جا گذاشت. ما چتر را به خانه‌اش بردیم.",
    }
    sheet = write(tmp_path / "stories.csv", [PERSIAN_ROW, umbrella], PERSIAN_COLUMNS)
    corpus = import_csv(sheet, tmp_path / "corpus")
    assert corpus.stories().ids() == ("the-lost-parcel", "chtri-ke-ja-mand")
    assert corpus.story("the-lost-parcel").company.id == "diji-kala"
    assert corpus.story("chtri-ke-ja-mand").company.id == "asnp"
    assert corpus.story("chtri-ke-ja-mand").title_in("fa") == "چتری که جا ماند"


def test_a_title_in_no_script_an_id_can_spell_gets_an_id_from_its_hash(tmp_path: Path) -> None:
    row = {**PERSIAN_ROW, "title": "☂", "title_en": "☂", "company": "☂☂"}
    sheet = write(tmp_path / "stories.csv", [row], PERSIAN_COLUMNS)
    (story,) = import_csv(sheet, tmp_path / "corpus").stories()
    ident = story.id
    assert re.fullmatch(r"story-[0-9a-f]{10}", ident)
    assert re.fullmatch(r"company-[0-9a-f]{10}", story.company.id)
    # The same title again is the same story again: refused, not numbered anew.
    again = write(tmp_path / "again.csv", [{**row, "company": "اسنپ"}], PERSIAN_COLUMNS)
    with pytest.raises(CorpusError) as caught:
        import_csv(again, tmp_path / "corpus")
    (problem,) = caught.value.problems
    assert f"row 2, column 'title': the story id {ident!r} is taken" in problem


@pytest.mark.parametrize(
    ("title", "ident"),
    [
        # ZWNJ is a word break; ی and و are vowels inside a word, consonants at its start.
        ("مشتری‌سالاری", "mshtri-salari"),
        ("کتاب‌ها", "ktab-ha"),
        ("وقتی فروشنده جواب داد", "vqti-frushnde-juab-dad"),
        # A word's opening ای is "i"; a closing ه after a consonant is "e".
        ("ایران", "iran"),
        ("خانهٔ مشتری", "khane-mshtri"),
        ("راه کوه", "rah-kuh"),
        # The tanvin and the silent alef it sits on are "an", typed either way.
        ("فوراً", "furan"),
        ("فورًا", "furan"),
        # The Arabic forms of ی and ک, and Persian and Arabic digits.
        ("كيك ۱۰ ساعته", "kik-10-sate"),
        ("٣ روز", "3-ruz"),
        ("Будильник в номере", "budilnik-v-nomere"),
        ("Café «Шоколадница»", "cafe-shokoladnitsa"),
        ("顾客", ""),
    ],
)
def test_titles_are_transliterated_by_the_documented_table(title: str, ident: str) -> None:
    assert _slug(title) == ident


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_an_id_made_from_any_text_is_a_valid_id_or_nothing(text: str) -> None:
    ident = _slug(text)
    assert ident == "" or re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", ident)
    assert len(ident) <= 60


# Every letter but ع, which is silent.
@given(
    st.text(alphabet="ابپتثجچحخدذرزژسشصضطظغفقکگلمنوهی\u200c ").filter(
        lambda title: any(c.isalpha() for c in title)
    )
)
def test_every_persian_title_with_a_letter_gets_an_id(title: str) -> None:
    assert _slug(title)
