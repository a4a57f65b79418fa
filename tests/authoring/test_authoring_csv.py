"""Importing a spreadsheet of stories: one row a story, problems by row and column."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import clientocracy
from clientocracy import CorpusError, import_csv

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
