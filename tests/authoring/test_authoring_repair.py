"""Repair after an edit: spans re-anchored by their words, hashes updated, or nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import clientocracy
from clientocracy import CorpusError, Draft, repair

TEXT = (
    "Покупательница забыла зонт в магазине. Мы отвезли зонт к ней домой.\n\n"
    "Покупатель потерял перчатку. Мы хранили её до пятницы.\n"
)
PERSIAN = "مشتری چترش را در فروشگاه جا گذاشت. ما چتر را به خانه‌اش بردیم."


def make(tmp_path: Path) -> Path:
    draft = Draft.create(tmp_path / "corpus")
    draft.add_source(
        "shop", text=TEXT, language="ru", title={"ru": "Магазин", "en": "The shop"},
        origin="Written for the tests.",
    )  # fmt: skip
    draft.add_company("shop", name="The shop", industry="retail", country="GB")
    for ident, begins, ends in (
        ("umbrella", "Покупательница", "домой."),
        ("glove", "Покупатель потерял", "пятницы."),
    ):
        draft.add_story(
            ident, source="shop", begins=begins, ends=ends, company="shop",
            principles=["small things matter"], title={"ru": ident, "en": ident},
            summary={"en": ident, **({"fa": ident} if ident == "umbrella" else {})},
        )  # fmt: skip
    alignment = draft.align("umbrella", PERSIAN, language="fa")
    draft.add_translation("umbrella", alignment, translator="The tests", title="چتر", summary="چتر")
    draft.save()
    return tmp_path / "corpus"


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / "texts" / "shop.txt"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_spans_and_segments_move_with_an_edit_before_them(tmp_path: Path) -> None:
    folder = make(tmp_path)
    edit(folder, "Покупательница забыла", "Вчера вечером.\n\nПокупательница  забыла")
    with pytest.raises(CorpusError, match="has SHA-256"):
        clientocracy.load(folder)
    report = repair(folder)
    assert report.written
    assert len(report.texts) == 1
    assert any(
        line.startswith("story 'umbrella': span: [0, 67) → [16, 84)") for line in report.moved
    )
    assert any(line.startswith("story 'umbrella': fa segment 0") for line in report.moved)
    assert any(line.startswith("story 'glove': span") for line in report.moved)
    corpus = clientocracy.load(folder)
    umbrella = corpus.story("umbrella")
    assert umbrella.text == "Покупательница  забыла зонт в магазине. Мы отвезли зонт к ней домой."
    assert [s.original for s in umbrella.translations[0].segments] == [
        "Покупательница  забыла зонт в магазине.",
        "Мы отвезли зонт к ней домой.",
    ]
    assert corpus.story("glove").text == "Покупатель потерял перчатку. Мы хранили её до пятницы."
    # The words now quote the text as it is spelled.
    catalog = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
    assert catalog["stories"][0]["span"]["begins"].startswith("Покупательница  забыла")


def test_what_cannot_be_re_anchored_is_reported_and_nothing_written(tmp_path: Path) -> None:
    folder = make(tmp_path)
    before = (folder / "catalog.json").read_bytes()
    edit(folder, "Мы хранили её до пятницы.", "Мы вернули её сразу.")
    with pytest.raises(CorpusError) as caught:
        repair(folder)
    (problem,) = caught.value.problems
    assert "story 'glove': span [" in problem
    assert "no passage from 'Покупатель потерял' to" in problem
    assert (folder / "catalog.json").read_bytes() == before


def test_an_unchanged_corpus_is_left_alone(tmp_path: Path) -> None:
    folder = make(tmp_path)
    before = (folder / "catalog.json").read_bytes()
    report = repair(folder)
    assert (report.texts, report.moved, report.written) == ((), (), False)
    assert (folder / "catalog.json").read_bytes() == before


def test_a_dry_run_reports_and_writes_nothing(tmp_path: Path) -> None:
    folder = make(tmp_path)
    before = (folder / "catalog.json").read_bytes()
    edit(folder, "Покупательница забыла", "Вот. Покупательница забыла")
    report = repair(folder, write=False)
    assert not report.written
    assert report.moved
    assert (folder / "catalog.json").read_bytes() == before


def test_segments_without_words_move_with_their_story(tmp_path: Path) -> None:
    folder = make(tmp_path)
    catalog = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
    for segment in catalog["stories"][0]["translations"][0]["segments"]:
        del segment["begins"], segment["ends"]
    (folder / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    edit(folder, "Покупательница забыла", "Вот. Покупательница забыла")
    repair(folder)
    segments = clientocracy.load(folder).story("umbrella").translations[0].segments
    assert segments[0].original == "Покупательница забыла зонт в магазине."
    # Once the passage changes length, they cannot follow.
    edit(folder, "в магазине", "в нашем магазине")
    with pytest.raises(CorpusError, match="its story's passage changed length"):
        repair(folder)
