"""Loading a catalog at its edges: segment boundaries, version 1 fields, byte-order marks.

The expected values are written from the catalog's text by hand:
`TEXT[10:42]` is "A customer left her umbrella; we", `TEXT[42]` a space,
`TEXT[43:65]` "drove it to her house.", the last character of the story's
passage `TEXT[64]` its full stop.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import clientocracy

from ..helpers import TEXT, problems_of, run, sha, user_catalog, user_catalog_v2, write_corpus


def segments_corpus(tmp_path: Path, *spans: tuple[int, int]) -> Path:
    """The version 2 user corpus, its Russian translation cut into *spans*."""
    segments = [{"start": a, "end": b, "text": f"часть {n}"} for n, (a, b) in enumerate(spans)]
    return write_corpus(tmp_path / "v2", user_catalog_v2(segments=segments))


def test_the_passage_is_what_the_hand_made_spans_say() -> None:
    # The premise of the tests below, checked once.
    assert TEXT[10:42] == "A customer left her umbrella; we"
    assert TEXT[42] == " "
    assert TEXT[43:65] == "drove it to her house."


@pytest.mark.parametrize(
    "spans",
    [
        [(10, 42), (43, 65)],  # the space between them needs no translation
        [(10, 42), (42, 65)],  # touching: the second starts where the first ends
        [(10, 65)],
        [(10, 11), (11, 65)],  # one character, then the rest
        [(10, 64), (64, 65)],  # the rest, then the last character alone
    ],
)
def test_segments_that_cover_the_passage_exactly_load(
    tmp_path: Path, spans: list[tuple[int, int]]
) -> None:
    story = clientocracy.load(segments_corpus(tmp_path, *spans)).story("acme-umbrella")
    (translation,) = story.translations
    assert [(s.span.start, s.span.end) for s in translation.segments] == spans
    assert [s.original for s in translation.segments] == [TEXT[a:b] for a, b in spans]


def test_segments_overlapping_by_one_character_are_refused(tmp_path: Path) -> None:
    problems = problems_of(segments_corpus(tmp_path, (10, 42), (41, 65)))
    assert any(
        "segments[1]: starts at 41, inside the previous segment (which ends at 42)" in p
        for p in problems
    ), problems


def test_the_last_character_of_the_passage_left_untranslated_is_refused(tmp_path: Path) -> None:
    problems = problems_of(segments_corpus(tmp_path, (10, 42), (43, 64)))
    assert any("[64, 65) at the end of the passage is untranslated" in p for p in problems), (
        problems
    )


def test_the_first_character_after_a_segment_left_untranslated_is_refused(
    tmp_path: Path,
) -> None:
    # [41, 43) is "e " : its first character is a letter of "we".
    problems = problems_of(segments_corpus(tmp_path, (10, 41), (43, 65)))
    assert any("leaves [41, 43) of the passage untranslated ('e')" in p for p in problems), problems


def test_the_first_character_of_the_passage_left_untranslated_is_refused(
    tmp_path: Path,
) -> None:
    problems = problems_of(segments_corpus(tmp_path, (11, 42), (43, 65)))
    assert any("leaves [10, 11) of the passage untranslated ('A')" in p for p in problems), problems


def test_a_segment_one_past_the_passage_is_refused(tmp_path: Path) -> None:
    problems = problems_of(segments_corpus(tmp_path, (10, 42), (43, 66)))
    assert any(
        "[43, 66) must be non-empty and within the story's span [10, 65)" in p for p in problems
    )


# -- version 1 ---------------------------------------------------------------------


def v1_with_a_principle(**principle_changes: Any) -> dict[str, Any]:
    """The version 1 user catalog with a principle of its own, stated in its source."""
    catalog = user_catalog(principles=["fair-price"])
    catalog["principles"] = [
        {
            "id": "fair-price",
            "names": {"en": "Fair price"},
            "definition": "Charge what the thing is worth, and no more.",
            "statement": {"source": "acme-blog", "start": 0, "end": 9, "begins": "Our shop."},
            **principle_changes,
        }
    ]
    return catalog


def test_a_version_1_principle_keeps_its_definition(tmp_path: Path) -> None:
    corpus = clientocracy.load(write_corpus(tmp_path / "c", v1_with_a_principle()))
    principle = corpus.principle("fair-price")
    assert principle.name == "Fair price"
    assert principle.definition == "Charge what the thing is worth, and no more."
    assert principle.definitions == (("en", "Charge what the thing is worth, and no more."),)
    assert principle.statement.text == "Our shop."


def test_a_version_1_english_title_of_a_non_english_story_is_kept(tmp_path: Path) -> None:
    text = "Наш магазин. Покупательница забыла зонтик; мы отвезли его к ней домой."
    catalog = user_catalog(
        span={"start": 13, "end": len(text)}, title="Зонтик", title_en="The umbrella"
    )
    catalog["sources"][0].update(language="ru", sha256=sha(text), title="Блог", title_en="Blog")
    folder = write_corpus(tmp_path / "ru", catalog, {"texts/acme.txt": text.encode()})
    story = clientocracy.load(folder).story("acme-umbrella")
    assert story.titles == (("ru", "Зонтик"), ("en", "The umbrella"))
    assert story.title == "Зонтик"
    assert story.title_en == "The umbrella"
    assert story.source.titles == (("ru", "Блог"), ("en", "Blog"))


@pytest.mark.parametrize("version", [True, 1.0, "1", 0, 3, None])
def test_only_the_integers_1_and_2_are_versions(tmp_path: Path, version: object) -> None:
    catalog = user_catalog()
    catalog["version"] = version
    problems = problems_of(write_corpus(tmp_path / "c", catalog))
    assert any(f"this release reads versions 1 and 2, got {version!r}" in p for p in problems)


# -- byte-order marks ----------------------------------------------------------------


BOM = b"\xef\xbb\xbf"


def test_a_catalog_saved_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    # Windows Notepad saves UTF-8 with a byte-order mark.
    raw = BOM + json.dumps(user_catalog(), ensure_ascii=False, indent=2).encode()
    folder = write_corpus(tmp_path / "c", raw)
    assert clientocracy.load(folder).story("acme-umbrella").title == "The umbrella"
    result = run("validate", str(folder))
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_text_saved_with_a_byte_order_mark_loads_without_it(tmp_path: Path) -> None:
    # The hash is of the text, not of the mark: the catalog is unchanged.
    folder = write_corpus(tmp_path / "c", texts={"texts/acme.txt": BOM + TEXT.encode()})
    story = clientocracy.load(folder).story("acme-umbrella")
    assert story.source.text == TEXT
    assert story.text == TEXT[10:65]


def test_a_byte_order_mark_inside_a_catalog_is_not_skipped(tmp_path: Path) -> None:
    raw = b" " + BOM + json.dumps(user_catalog()).encode()
    problems = problems_of(write_corpus(tmp_path / "c", raw))
    assert any("not valid JSON" in p for p in problems), problems
