"""Loading translations quickly refuses exactly what the full checks refuse, in the same words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import clientocracy
import clientocracy._catalog.build as build
from clientocracy._catalog.checks import Problems
from clientocracy._io.strict_json import MAX_STRING_CHARS, decode_catalog
from clientocracy._records import Segment, Span

TEXT = "Intro.\n\nОдин два. Три!  Четыре?\n\nسه چهار.  End"
SPAN = Span(start=8, end=len(TEXT) - 5)


def full_check(items: list[Any]) -> tuple[tuple[Segment, ...] | None, list[str]]:
    problems = Problems("catalog.json")
    return build.build_segments(items, TEXT, SPAN, "stories[0]", problems), problems.lines


@st.composite
def segment_lists(draw: st.DrawFn) -> list[Any]:
    """Segments over SPAN: usually a good cover, then perhaps spoiled in one of many ways."""
    cuts = sorted(draw(st.sets(st.integers(SPAN.start + 1, SPAN.end - 1), max_size=5)))
    bounds = list(zip([SPAN.start, *cuts], [*cuts, SPAN.end], strict=True))
    items: list[Any] = [
        {"start": a, "end": b, "text": draw(st.sampled_from(["x", "Перевод", "ترجمه"]))}
        for a, b in bounds
    ]
    index = draw(st.integers(0, len(items) - 1))
    item = items[index]
    spoil = draw(
        st.sampled_from(
            [
                "none",
                "none",
                "begins",
                "ends",
                "bad begins",
                "bad ends",
                "unknown field",
                "bool start",
                "float end",
                "empty text",
                "space text",
                "text not string",
                "missing text",
                "overlap",
                "gap",
                "short end",
                "past span",
                "not an object",
                "empty begins",
                "drop one",
            ]
        )
    )
    passage = TEXT[item["start"] : item["end"]]
    if spoil == "begins":
        item["begins"] = passage[:2]
    elif spoil == "ends":
        item["ends"] = passage[-2:]
    elif spoil == "bad begins":
        item["begins"] = "zz"
    elif spoil == "bad ends":
        item["ends"] = "zz"
    elif spoil == "empty begins":
        item["begins"] = ""
    elif spoil == "unknown field":
        item["note"] = "?"
    elif spoil == "bool start":
        item["start"] = True
    elif spoil == "float end":
        item["end"] = float(item["end"])
    elif spoil == "empty text":
        item["text"] = ""
    elif spoil == "space text":
        item["text"] = " x"
    elif spoil == "text not string":
        item["text"] = 3
    elif spoil == "missing text":
        del item["text"]
    elif spoil == "overlap" and index:
        item["start"] -= 1
    elif spoil == "gap":
        item["start"] = min(item["start"] + 1, item["end"] - 1) if index else item["start"]
    elif spoil == "short end":
        item["end"] = max(item["start"] + 1, item["end"] - 1)
    elif spoil == "past span":
        item["end"] = SPAN.end + 3
    elif spoil == "not an object":
        items[index] = [item["start"], item["end"]]
    elif spoil == "drop one" and len(items) > 1:
        del items[index]
    return items


@settings(max_examples=400, deadline=None)
@given(segment_lists())
def test_the_quick_path_agrees_with_the_full_check(items: list[Any]) -> None:
    quick = full_check(items)
    original = build._plain_segments
    try:
        build._plain_segments = lambda *args: None  # type: ignore[assignment]
        full = full_check(items)
    finally:
        build._plain_segments = original
    assert quick == full


def test_segments_of_a_good_cover_are_built() -> None:
    second, third = TEXT.index("Три"), TEXT.index("سه")
    items = [
        {"start": SPAN.start, "end": TEXT.index(" Три"), "text": "One two."},
        {"start": second, "end": TEXT.index("Четыре?") + 7, "text": "Three! Four?"},
        {
            "start": third,
            "end": SPAN.end,
            "text": "three four",
            "ends": TEXT[SPAN.end - 3 : SPAN.end],
        },
    ]
    segments, problems = full_check(items)
    assert problems == []
    assert segments is not None
    assert [s.original for s in segments] == ["Один два.", "Три!  Четыре?", TEXT[third : SPAN.end]]
    assert [s.paragraph for s in segments] == [False, False, True]


# -- strings too long for a catalog, found without looking at every string ------------


def catalog_with(summary: str) -> bytes:
    return json.dumps(
        {"format": "clientocracy-catalog", "stories": [{"summary": summary}]}
    ).encode()


@pytest.mark.parametrize("escaped", [False, True])
def test_an_overlong_string_is_refused_in_a_large_catalog(escaped: bool) -> None:
    long = "a" * (MAX_STRING_CHARS + 1)
    if escaped:
        long = 'say "' + long + '"'
    padding = json.dumps(["b" * 1000] * 200)[1:-1]
    data = catalog_with(long)[:-1] + b', "pad": [' + padding.encode() + b"]}"
    limit = f"field 'summary': .* over the limit of {MAX_STRING_CHARS:,} for one string"
    with pytest.raises(clientocracy.CorpusError, match=limit):
        decode_catalog(data, catalog="catalog.json")


def test_a_repeated_key_is_refused_in_a_large_catalog() -> None:
    padding = json.dumps(["b" * 1000] * 200)
    data = b'{"format": "x", "pad": ' + padding.encode() + b', "format": "y"}'
    with pytest.raises(clientocracy.CorpusError, match="format"):
        decode_catalog(data, catalog="catalog.json")


def test_a_translated_corpus_loads_the_same_with_the_collector_paused(tmp_path: Path) -> None:
    import gc

    bundled = clientocracy.Corpus.bundled()
    folder = tmp_path / "copy"
    bundled.save(folder)
    assert gc.isenabled()
    loaded = clientocracy.load(folder)
    assert gc.isenabled()
    assert list(loaded.stories()) == list(bundled.stories())
