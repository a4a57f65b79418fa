"""Exports checked against the records themselves, cell by cell, not against another export.

Each expected value comes from a story's fields as the catalog states them
(the passage is the source's text cut at the story's span), so that a
column left empty or filled from the wrong field fails.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
import yaml

import clientocracy
from clientocracy import Company, Corpus, Language, Source, Span, Story

STORIES = list(clientocracy.stories())


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_text_columns_hold_each_story_in_each_language() -> None:
    rows = csv_rows(clientocracy.export(STORIES, "csv"))
    assert [row["id"] for row in rows] == [story.id for story in STORIES]
    for row, story in zip(rows, STORIES, strict=True):
        passage = story.source.text[story.span.start : story.span.end]
        own = story.language.id
        assert row["language"] == own
        assert row["text"] == passage
        assert row[f"text_{own}"] == passage, story.id
        assert row[f"title_{own}"] == dict(story.titles)[own]
        for translation in story.translations:
            column = row[f"text_{translation.language.id}"]
            # Every segment's translated text, in order.
            position = 0
            for segment in translation.segments:
                found = column.find(segment.text, position)
                assert found >= 0, (story.id, translation.language.id, segment.text)
                position = found + len(segment.text)
        told_in = {own, *(t.language.id for t in story.translations)}
        for tag in {name[len("text_") :] for name in row if name.startswith("text_")} - told_in:
            assert row[f"text_{tag}"] == "", (story.id, tag)


def test_every_language_has_its_columns_in_order() -> None:
    # The schema of docs/schema.md, written out for the bundled corpus (ru, fa,
    # en): English has only its text, since `title_en` and `summary` hold the rest.
    header = clientocracy.export(clientocracy.stories(), "csv").splitlines()[0].split(",")
    assert header[14:] == [
        "title_ru",
        "summary_ru",
        "text_ru",
        "title_fa",
        "summary_fa",
        "text_fa",
        "text_en",
    ]
    assert len(header) == len(set(header))


def test_json_lines_have_one_complete_line_per_story() -> None:
    text = clientocracy.export(STORIES, "jsonl")
    assert text.endswith("\n")
    lines = text.split("\n")
    assert lines[-1] == ""
    assert [json.loads(line)["id"] for line in lines[:-1]] == [s.id for s in STORIES]
    assert clientocracy.export([], "jsonl") == ""
    assert json.loads(clientocracy.export([], "json")) == []


# -- the Hugging Face card ------------------------------------------------------------


def region_corpus() -> Corpus:
    """Stories told in Brazilian Portuguese and British English: tags with regions."""
    brazil = Language(id="pt-BR", name="Portuguese", native_name="português", direction="ltr")
    britain = Language(id="en-GB", name="English", native_name="English", direction="ltr")
    english = Language(id="en", name="English", native_name="English", direction="ltr")
    company = Company(id="acme", name="Acme", industry="retail", country="BR")
    sources, stories = [], []
    for number, (language, text) in enumerate(
        [(brazil, "Um cliente esqueceu o guarda-chuva."), (britain, "A customer left a brolly.")]
    ):
        source = Source(
            id=f"s{number}",
            language=language,
            titles=((language.id, "Blog"), ("en", "Blog")),
            text=text,
            sha256="0" * 64,
            origin="o",
        )
        sources.append(source)
        stories.append(
            Story(
                id=f"story-{number}",
                titles=((language.id, "Guarda-chuva"), ("en", "The umbrella")),
                summaries=(("en", "A customer forgot an umbrella."),),
                company=company,
                principles=(),
                language=language,
                source=source,
                span=Span(start=0, end=len(text)),
            )
        )
    return Corpus(
        languages=[brazil, britain, english],
        companies=[company],
        principles=[],
        sources=sources,
        stories=stories,
    )


def test_the_hub_card_gives_language_codes_and_keeps_the_full_tags(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    folder = tmp_path / "hub"
    clientocracy.write_hf_dataset(region_corpus().stories(), folder)
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("---\n")
    data = yaml.safe_load(readme[4:].partition("\n---\n")[0])
    # The Hub accepts ISO 639 codes in `language`, not BCP 47 tags with regions.
    assert data["language"] == ["pt", "en"]
    assert all(re.fullmatch(r"[a-z]{2,3}", code) for code in data["language"])
    # Only languages with text count: the stories' English titles add none.
    assert data["language_details"] == ["pt-BR", "en-GB"]
