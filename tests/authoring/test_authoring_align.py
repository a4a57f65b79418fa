"""Translations aligned for the author: one to one, or through a pairs sheet to merge."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clientocracy
from clientocracy import AlignmentError, Draft

RUSSIAN = (
    "Покупательница забыла зонт в магазине. Мы отвезли зонт к ней домой. Было ли это нужно? Да!"
)
PERSIAN = "مشتری چترش را در فروشگاه جا گذاشت. ما چتر را به خانه‌اش بردیم. آیا این کار لازم بود؟ بله!"
# The same, its first two sentences made one.
PERSIAN_MERGED = (
    "مشتری چترش را در فروشگاه جا گذاشت و ما آن را به خانه‌اش بردیم. آیا این کار لازم بود؟ بله!"
)


def draft_of(tmp_path: Path, text: str, language: str) -> Draft:
    draft = Draft.create(tmp_path / "corpus")
    draft.add_source(
        "shop", text=text, language=language, title={language: "—", "en": "The shop"},
        origin="Written for the tests.",
    )  # fmt: skip
    draft.add_company("shop", name="The shop", industry="retail", country="GB")
    draft.add_story(
        "umbrella", source="shop", quote=text, company="shop",
        principles=["small things matter"], title={language: "—", "en": "The umbrella"},
        summary={"en": "A shop took an umbrella home."},
    )  # fmt: skip
    return draft


def test_equal_counts_pair_one_to_one_russian_into_persian(tmp_path: Path) -> None:
    draft = draft_of(tmp_path, RUSSIAN, "ru")
    alignment = draft.align("umbrella", PERSIAN, language="Persian")
    originals = [RUSSIAN[span.slice()] for span, _ in alignment.segments]
    assert originals == [
        "Покупательница забыла зонт в магазине.",
        "Мы отвезли зонт к ней домой.",
        "Было ли это нужно?",
        "Да!",
    ]
    assert [text for _, text in alignment.segments] == [
        "مشتری چترش را در فروشگاه جا گذاشت.",
        "ما چتر را به خانه‌اش بردیم.",
        "آیا این کار لازم بود؟",
        "بله!",
    ]
    draft.add_translation(
        "umbrella", alignment, translator="The tests", title="چتر",
        summary="فروشگاه چتر را به خانهٔ مشتری برد.",
    )  # fmt: skip
    corpus = draft.save()
    (translation,) = corpus.story("umbrella").translations
    assert translation.language.id == "fa"
    assert len(translation.segments) == 4


def test_equal_counts_pair_one_to_one_persian_into_russian(tmp_path: Path) -> None:
    draft = draft_of(tmp_path, PERSIAN, "fa")
    alignment = draft.align("umbrella", RUSSIAN, language="ru")
    assert [PERSIAN[s.slice()] for s, _ in alignment.segments][2] == "آیا این کار لازم بود؟"
    assert [t for _, t in alignment.segments][2] == "Было ли это нужно?"


def test_unequal_counts_show_the_pairs_side_by_side(tmp_path: Path) -> None:
    draft = draft_of(tmp_path, RUSSIAN, "ru")
    with pytest.raises(AlignmentError) as caught:
        draft.align("umbrella", PERSIAN_MERGED, language="fa")
    error = caught.value
    assert error.problems[0].startswith("the passage has 4 sentences and the translation 3")
    assert "Покупательница забыла зонт в" in error.problems[1]
    assert "مشتری چترش را در فروشگاه" in error.problems[1]
    assert error.pairs.count("\n< ") == 4
    assert error.pairs.count("\n> ") == 3


def test_a_merged_pairs_sheet_gives_segments_that_load(tmp_path: Path) -> None:
    draft = draft_of(tmp_path, RUSSIAN, "ru")
    sheet = draft.pairs("umbrella", PERSIAN_MERGED, language="fa")
    # As proposed, the second translated sentence sits beside the original's
    # second; the author merges the first two pairs and fixes the rest.
    blocks = sheet.split("\n\n")
    header, pairs = blocks[0], blocks[1:]
    assert [p.splitlines()[0] for p in pairs] == [
        "< Покупательница забыла зонт в магазине.",
        "< Мы отвезли зонт к ней домой.",
        "< Было ли это нужно?",
        "< Да!",
    ]
    originals = [p.splitlines()[0] for p in pairs]
    translated = [line for p in pairs for line in p.splitlines() if line.startswith(">")]
    edited = "\n\n".join(
        [
            header,
            f"{originals[0]}\n{originals[1]}\n{translated[0]}",
            f"{originals[2]}\n{translated[1]}",
            f"{originals[3]}\n{translated[2]}",
        ]
    )
    alignment = draft.read_pairs("umbrella", edited, language="fa")
    assert [RUSSIAN[s.slice()] for s, _ in alignment.segments] == [
        "Покупательница забыла зонт в магазине. Мы отвезли зонт к ней домой.",
        "Было ли это нужно?",
        "Да!",
    ]
    draft.add_translation(
        "umbrella", alignment, translator="The tests", title="چتر",
        summary="فروشگاه چتر را به خانهٔ مشتری برد.",
    )  # fmt: skip
    corpus = draft.save()
    segments = corpus.story("umbrella").translations[0].segments
    assert segments[0].text == "مشتری چترش را در فروشگاه جا گذاشت و ما آن را به خانه‌اش بردیم."
    assert clientocracy.load(tmp_path / "corpus") == corpus


def test_a_sheet_with_unpaired_lines_is_refused_line_by_line(tmp_path: Path) -> None:
    draft = draft_of(tmp_path, RUSSIAN, "ru")
    sheet = draft.pairs("umbrella", PERSIAN_MERGED, language="fa")
    with pytest.raises(AlignmentError) as caught:
        draft.read_pairs("umbrella", sheet, language="fa")
    (problem,) = caught.value.problems
    assert problem.startswith("line 14: an original with no translation; merge this pair")


def test_a_changed_original_line_is_refused(tmp_path: Path) -> None:
    draft = draft_of(tmp_path, RUSSIAN, "ru")
    sheet = draft.pairs("umbrella", PERSIAN, language="fa")
    edited = sheet.replace("< Да!", "< Нет!")
    with pytest.raises(
        AlignmentError, match=r"line \d+: expected the original's sentence 4, 'Да!'"
    ):
        draft.read_pairs("umbrella", edited, language="fa")
    with pytest.raises(AlignmentError, match="the sheet ends at the original's sentence 3"):
        draft.read_pairs("umbrella", sheet.rsplit("\n\n", 1)[0], language="fa")


def test_a_story_is_translated_once_into_a_language(tmp_path: Path) -> None:
    draft = draft_of(tmp_path, RUSSIAN, "ru")
    alignment = draft.align("umbrella", PERSIAN, language="fa")
    draft.add_translation("umbrella", alignment, translator="A", title="چتر", summary="چتر")
    with pytest.raises(ValueError, match="already has a translation into 'fa'"):
        draft.add_translation("umbrella", alignment, translator="B", title="چتر", summary="چتر")


def test_a_translation_keeps_the_licence_it_is_given_and_refuses_a_bad_one(
    tmp_path: Path,
) -> None:
    draft = draft_of(tmp_path, RUSSIAN, "ru")
    alignment = draft.align("umbrella", PERSIAN, language="fa")
    with pytest.raises(ValueError, match="'with' should be 'WITH'"):
        draft.add_translation(
            "umbrella", alignment, translator="A", title="چتر", summary="چتر",
            license="GPL-2.0 with Classpath-exception-2.0",
        )  # fmt: skip
    draft.add_translation(
        "umbrella", alignment, translator="A", title="چتر", summary="چتر", license="CC0-1.0"
    )
    (translation,) = draft.save().story("umbrella").translations
    assert translation.license == "CC0-1.0"


SENTENCES_RU = [
    "Покупательница забыла зонт в магазине.",
    "Мы отвезли зонт к ней домой.",
    "Было ли это нужно?",
    "Да!",
    "Покупатель потерял перчатку.",
    "Мы хранили её до пятницы.",
]
SENTENCES_FA = [
    "مشتری چترش را در فروشگاه جا گذاشت.",
    "ما چتر را به خانه‌اش بردیم.",
    "آیا این کار لازم بود؟",
    "بله!",
]


@st.composite
def merged_sheets(draw: st.DrawFn) -> tuple[int, list[list[int]], list[list[int]]]:
    """A number of Russian sentences, and how a sheet groups them and the Persian ones."""
    count = draw(st.integers(1, len(SENTENCES_RU)))
    groups = draw(st.integers(1, min(count, len(SENTENCES_FA))))

    def split(size: int) -> list[list[int]]:
        cuts = sorted(draw(st.sets(st.integers(1, size - 1), min_size=groups - 1,
                                   max_size=groups - 1)) if size > 1 else set())  # fmt: skip
        bounds = [0, *cuts, size]
        return [list(range(a, b)) for a, b in itertools.pairwise(bounds)]

    return count, split(count), split(draw(st.integers(groups, len(SENTENCES_FA))))


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(merged_sheets())
def test_any_merge_of_a_sheet_covers_the_passage_exactly(
    tmp_path_factory: pytest.TempPathFactory, merge: tuple[int, list[list[int]], list[list[int]]]
) -> None:
    count, originals, translated = merge
    text = " ".join(SENTENCES_RU[:count])
    draft = draft_of(tmp_path_factory.mktemp("sheet"), text, "ru")
    sheet = "\n\n".join(
        "\n".join(
            [*(f"< {SENTENCES_RU[i]}" for i in left), *(f"> {SENTENCES_FA[i]}" for i in right)]
        )
        for left, right in zip(originals, translated, strict=True)
    )
    alignment = draft.read_pairs("umbrella", sheet, language="fa")
    assert [text[s.slice()] for s, _ in alignment.segments] == [
        " ".join(SENTENCES_RU[i] for i in group) for group in originals
    ]
    assert [t for _, t in alignment.segments] == [
        " ".join(SENTENCES_FA[i] for i in group) for group in translated
    ]
    spans = [s for s, _ in alignment.segments]
    assert spans[0].start == 0
    assert spans[-1].end == len(text)
    assert all(not text[a.end : b.start].strip() for a, b in itertools.pairwise(spans))
