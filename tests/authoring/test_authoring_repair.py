"""Repair after an edit: spans re-anchored by their words, hashes updated, or nothing written."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import clientocracy
import clientocracy._catalog.saving
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


# -- a saved corpus keeps what repair needs ------------------------------------------


def saved_bundled(folder: Path) -> Path:
    clientocracy.Corpus.bundled().save(folder)
    return folder


def test_save_writes_the_words_of_every_span_and_segment(tmp_path: Path) -> None:
    folder = saved_bundled(tmp_path / "saved")
    catalog = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
    texts = {s["id"]: (folder / s["file"]).read_text(encoding="utf-8") for s in catalog["sources"]}
    segments = [
        (story["source"], segment)
        for story in catalog["stories"]
        for translation in story["translations"]
        for segment in translation["segments"]
    ]
    assert segments
    for source, segment in segments:
        passage = texts[source][segment["start"] : segment["end"]]
        assert passage.startswith(segment["begins"])
        assert passage.endswith(segment["ends"])
        assert segment["begins"].strip()
        assert segment["ends"].strip()


def middle_space(passage: str) -> int | None:
    """A space of *passage* well away from the words its anchors quote."""
    spaces = [i for i, c in enumerate(passage) if c == " " and 30 < i < len(passage) - 30]
    return spaces[len(spaces) // 2] if spaces else None


def test_a_saved_corpus_is_repaired_after_an_edit_inside_a_story(tmp_path: Path) -> None:
    bundled = clientocracy.Corpus.bundled()
    folder = saved_bundled(tmp_path / "saved")
    story = next(s for s in bundled.stories() if s.translations)
    segment = next(s for s in story.translations[0].segments if middle_space(s.original))
    at = segment.span.start + (middle_space(segment.original) or 0) + 1
    word = "очень " if story.source.language.id == "ru" else "خیلی "
    catalog = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
    path = folder / next(s["file"] for s in catalog["sources"] if s["id"] == story.source.id)
    text = path.read_text(encoding="utf-8")
    # A paragraph before every story, and a word inside one: the story's passage is longer.
    path.write_text("Предисловие.\n\n" + text[:at] + word + text[at:], encoding="utf-8")
    report = repair(folder)
    assert report.written
    repaired = clientocracy.load(folder)
    for old in bundled.stories():
        new = repaired.story(old.id)
        for before, after in zip(old.translations, new.translations, strict=True):
            # Every translation's segment over the edited place has the word.
            expected = [
                text[s.span.start : at] + word + text[at : s.span.end]
                if old.source.id == story.source.id and s.span.start < at < s.span.end
                else s.original
                for s in before.segments
            ]
            assert [s.original for s in after.segments] == expected, old.id
            assert [s.text for s in after.segments] == [s.text for s in before.segments]


_SAVED: dict[str, tuple[dict[str, Any], dict[str, str]]] = {}


def saved_catalog() -> tuple[dict[str, Any], dict[str, str]]:
    """The bundled corpus as `save` writes it: its catalog and its texts by file (made once)."""
    if not _SAVED:
        catalog, files = clientocracy._catalog.saving.catalog_of(clientocracy.Corpus.bundled())
        _SAVED["bundled"] = catalog, files
    return _SAVED["bundled"]


def free_places(text: str, spans: list[dict[str, Any]]) -> list[int]:
    """Where a word may go in *text* without touching the words any span quotes."""
    quoted = [False] * (len(text) + 1)
    for span in spans:
        for lo, hi in ((span["start"], span["start"] + len(span["begins"])),
                       (span["end"] - len(span["ends"]), span["end"])):  # fmt: skip
            for i in range(lo + 1, hi):
                quoted[i] = True
    return [i for i in range(1, len(text)) if text[i - 1] == " " and not quoted[i]]


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_a_saved_corpus_survives_any_edit_away_from_its_quoted_words(data: st.DataObject) -> None:
    catalog, files = saved_catalog()
    source = data.draw(st.sampled_from(catalog["sources"]), label="source")
    text = files[source["file"]]
    spans = [
        span for story in catalog["stories"] if story["source"] == source["id"]
        for span in [story["span"], *(g for t in story["translations"] for g in t["segments"])]
    ]  # fmt: skip
    quoted = [
        p["statement"] for p in catalog["principles"] if p["statement"]["source"] == source["id"]
    ]
    quoted += [source["origin_span"]] if "origin_span" in source else []
    # A word between two segments is a word no translation renders: not an edit to repair.
    between_segments = {
        g["start"] for story in catalog["stories"] if story["source"] == source["id"]
        for t in story["translations"] for g in t["segments"] if g["start"] > story["span"]["start"]
    }  # fmt: skip
    places = data.draw(
        st.lists(
            st.sampled_from(
                [p for p in free_places(text, spans + quoted) if p not in between_segments]
            ),
            min_size=1,
            max_size=6,
            unique=True,
        ),
        label="places",
    )
    words = data.draw(st.lists(st.from_regex(r"[0-9]{1,8} ", fullmatch=True), min_size=len(places),
                               max_size=len(places)), label="words")  # fmt: skip
    edits = sorted(zip(places, words, strict=True))

    def moved(offset: int, *, end: bool) -> int:
        # A word put where a passage starts goes before it; where it ends, after it.
        return offset + sum(len(w) for p, w in edits if (p < offset if end else p <= offset))

    new_text = text
    for place, word in reversed(edits):
        new_text = new_text[:place] + word + new_text[place:]
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "corpus"
        (folder / "texts").mkdir(parents=True)
        for name, content in files.items():
            (folder / name).write_text(new_text if name == source["file"] else content, "utf-8")
        (folder / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False), "utf-8")
        assert repair(folder).written
        repaired = clientocracy.load(folder)
    for story in catalog["stories"]:
        if story["source"] != source["id"]:
            continue
        for translation in story["translations"]:
            got = repaired.story(story["id"]).translation(translation["language"]).segments
            assert [(g.span.start, g.span.end) for g in got] == [
                (moved(s["start"], end=False), moved(s["end"], end=True))
                for s in translation["segments"]
            ]


def test_a_segment_is_found_again_in_its_own_story_not_where_its_words_recur(
    tmp_path: Path,
) -> None:
    text = "Спасибо.\n\nПокупательница забыла зонт. Мы вернули его. Спасибо.\n"
    draft = Draft.create(tmp_path / "corpus")
    draft.add_source(
        "shop", text=text, language="ru", title={"ru": "Магазин", "en": "The shop"},
        origin="Written for the tests.",
    )  # fmt: skip
    draft.add_company("shop", name="The shop", industry="retail", country="GB")
    draft.add_story(
        "umbrella", source="shop", begins="Покупательница", ends="его. Спасибо.", company="shop",
        principles=["small things matter"], title={"ru": "Зонт", "en": "The umbrella"},
        summary={"en": "An umbrella."},
    )  # fmt: skip
    english = "The customer forgot her umbrella. We returned it. Thank you."
    draft.add_translation(
        "umbrella", draft.align("umbrella", english, language="en"), translator="The tests",
        title="The umbrella", summary="An umbrella.",
    )  # fmt: skip
    draft.save()
    folder = tmp_path / "corpus"
    # More words before the story than there are between the two thanks.
    edit(folder, "Спасибо.\n\n", "Спасибо.\n\n" + "Магазин открыт с утра до ночи. " * 4 + "\n\n")
    repair(folder)
    segments = clientocracy.load(folder).story("umbrella").translations[0].segments
    assert [s.original for s in segments] == [
        "Покупательница забыла зонт.",
        "Мы вернули его.",
        "Спасибо.",
    ]
    assert segments[2].span.start > text.index("Покупательница")


# -- compiled files built from the repaired folder -----------------------------------


def test_repair_names_the_compiled_files_it_leaves_out_of_date(tmp_path: Path) -> None:
    folder = make(tmp_path)
    mine = clientocracy.compile(clientocracy.load(folder), tmp_path / "stories.sqlite")
    inside = clientocracy.compile(clientocracy.load(folder), folder / "inside.db")
    other = clientocracy.compile(clientocracy.Corpus.bundled(), tmp_path / "bundled.sqlite")
    (tmp_path / "broken.sqlite").write_bytes(b"not a database")
    assert repair(folder).stale == ()  # nothing changed: nothing out of date
    edit(folder, "Покупательница забыла", "Вот. Покупательница забыла")
    dry = repair(folder, write=False)
    assert set(dry.stale) == {str(mine), str(inside)}
    report = repair(folder)
    assert set(report.stale) == {str(mine), str(inside)}
    assert str(other) not in report.stale
    # Opening it says so too.
    with pytest.warns(clientocracy.StaleCorpusWarning):
        clientocracy.load(mine)


def test_a_compiled_file_elsewhere_is_not_found_and_not_claimed(tmp_path: Path) -> None:
    folder = make(tmp_path / "deep")
    (tmp_path / "elsewhere").mkdir()
    clientocracy.compile(clientocracy.load(folder), tmp_path / "elsewhere" / "stories.sqlite")
    edit(folder, "Покупательница забыла", "Вот. Покупательница забыла")
    assert repair(folder).stale == ()
