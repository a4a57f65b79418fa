"""The validator says what would fit: the hash, the nearest passage, the languages allowed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

import clientocracy
from clientocracy import CorpusError

TEXT = "Our shop. A customer left her umbrella; we drove it to her house. A customer called."


def catalog(**story: Any) -> dict[str, Any]:
    return {
        "format": "clientocracy-catalog",
        "version": 2,
        "languages": [],
        "companies": [{"id": "acme", "name": "Acme", "industry": "retail", "country": "GB"}],
        "principles": [],
        "sources": [
            {"id": "blog", "file": "texts/blog.txt", "sha256": "<SHA-256 of the text as UTF-8>",
             "language": "en", "title": {"en": "Blog"}, "origin": "Ours."}
        ],
        "stories": [
            {"id": "umbrella", "source": "blog", "company": "acme",
             "principles": ["small-things-matter"], "title": {"en": "The umbrella"},
             "summary": {"en": "An umbrella goes home."},
             "span": {"start": 10, "end": 65, "begins": "A customer", "ends": "her house."},
             **story}
        ],
    }  # fmt: skip


def problems(tmp_path: Path, data: dict[str, Any], *, fix_hash: bool = True) -> list[str]:
    folder = tmp_path / "corpus"
    (folder / "texts").mkdir(parents=True, exist_ok=True)
    (folder / "texts" / "blog.txt").write_text(TEXT, encoding="utf-8")
    if fix_hash:
        data["sources"][0]["sha256"] = hashlib.sha256(TEXT.encode()).hexdigest()
    (folder / "catalog.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        clientocracy.load(folder)
    return [p.split(": ", 2)[2] for p in caught.value.problems]


def test_a_placeholder_hash_is_answered_with_the_file_s_hash(tmp_path: Path) -> None:
    (problem,) = problems(tmp_path, catalog(), fix_hash=False)
    digest = hashlib.sha256(TEXT.encode()).hexdigest()
    assert problem == (
        "field 'sha256': expected 64 lowercase hexadecimal digits, got "
        f"'<SHA-256 of the text as UTF-8>'; 'texts/blog.txt' has SHA-256 {digest}"
    )


def test_a_drifted_span_is_answered_with_the_nearest_that_fits(tmp_path: Path) -> None:
    data = catalog(span={"start": 12, "end": 67, "begins": "A customer", "ends": "her house."})
    (problem,) = problems(tmp_path, data)
    assert problem.endswith("; the nearest passage that does is [10, 65)")
    data = catalog(span={"start": 12, "end": 67, "begins": "A customer"})
    (problem,) = problems(tmp_path, data)
    assert problem.endswith("; the nearest place it does begins at 10")
    data = catalog(span={"start": 12, "end": 67, "begins": "A vendor"})
    (problem,) = problems(tmp_path, data)
    assert problem.endswith("; the text has no passage that begins 'A vendor'")


def test_a_title_in_a_language_the_story_has_no_text_in_is_refused(tmp_path: Path) -> None:
    data = catalog(title={"en": "The umbrella", "fa": "چتر"}, summary={"en": "x", "ru": "Зонт."})
    found = problems(tmp_path, data)
    assert found == [
        "field 'title': a text in 'fa', which the story is neither told nor translated in; "
        "it may use 'en' (add a translation into 'fa' first)",
        "field 'summary': a text in 'ru', which the story is neither told nor translated in; "
        "it may use 'en' (add a translation into 'ru' first)",
    ]


def test_the_bundled_stories_have_text_in_every_title_s_language() -> None:
    for story in clientocracy.stories():
        languages = {story.language.id, "en", *(t.language.id for t in story.translations)}
        assert {tag for tag, _ in story.titles} <= languages


def test_the_hub_card_lists_only_languages_with_text(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    import yaml

    folder = tmp_path / "corpus"
    data = catalog()
    data["sources"][0]["language"] = "ru"
    data["sources"][0]["title"] = {"ru": "Блог", "en": "Blog"}
    data["stories"][0]["title"] = {"ru": "Зонт", "en": "The umbrella"}
    (folder / "texts").mkdir(parents=True)
    (folder / "texts" / "blog.txt").write_text(TEXT, encoding="utf-8")
    data["sources"][0]["sha256"] = hashlib.sha256(TEXT.encode()).hexdigest()
    (folder / "catalog.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    corpus = clientocracy.load(folder)
    clientocracy.write_hf_dataset(corpus.stories(), tmp_path / "hub")
    card = (tmp_path / "hub" / "README.md").read_text(encoding="utf-8")
    front = yaml.safe_load(card.split("---\n")[1])
    # An English title and summary, but no English text to read.
    assert front["language"] == ["ru"]


def test_hints_are_given_for_the_first_twenty_drifted_spans_only(tmp_path: Path) -> None:
    # Each hint searches the whole text: a catalog of many drifted spans
    # must not cost a search per span.
    data = catalog()
    story = data["stories"][0]
    data["stories"] = [
        {**story, "id": f"s{i}", "span": {"start": 12, "end": 67, "begins": "A customer"}}
        for i in range(25)
    ]
    found = problems(tmp_path, data)
    assert len(found) == 25
    assert sum("the nearest place it does begins at 10" in p for p in found) == 20
