"""Users' own corpora: the public format, loading, merging, and bad input refused clearly."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import importlib_resources
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clientocracy
from clientocracy import (
    Corpus,
    CorpusError,
    Span,
    Story,
)

from ..helpers import (
    TEXT,
    TRANSLATION,
    corpora,
    problems_of,
    sha,
    user_catalog,
    user_catalog_v2,
    user_corpus,
    write_corpus,
)

DATA = importlib_resources.files("clientocracy") / "data"
SCHEMA = json.loads((DATA / "catalog.schema.json").read_text(encoding="utf-8"))


# -- the format --------------------------------------------------------------


def test_the_bundled_catalog_matches_the_schema() -> None:
    catalog = json.loads((DATA / "catalog.json").read_text(encoding="utf-8"))
    jsonschema.validate(catalog, SCHEMA)


def test_the_bundled_data_folder_is_a_corpus(tmp_path: Path) -> None:
    with importlib_resources.as_file(DATA) as data:
        shutil.copytree(data, tmp_path / "copy")
    loaded = clientocracy.load(
        tmp_path / "copy",
        base=Corpus(languages=(), companies=(), principles=(), sources=(), stories=()),
    )
    assert loaded == Corpus.bundled()
    assert loaded.stories().ids() == clientocracy.stories().ids()


def test_save_then_load_gives_an_equal_corpus(tmp_path: Path) -> None:
    Corpus.bundled().save(tmp_path / "out")
    assert clientocracy.load(tmp_path / "out") == Corpus.bundled()
    saved = json.loads((tmp_path / "out" / "catalog.json").read_text(encoding="utf-8"))
    jsonschema.validate(saved, SCHEMA)
    with pytest.raises(FileExistsError):
        Corpus.bundled().save(tmp_path / "out")


# -- loading and merging -----------------------------------------------------


def test_a_user_story_refers_to_bundled_records_by_id(tmp_path: Path) -> None:
    user = clientocracy.load(user_corpus(tmp_path / "user"))
    story = user.story("acme-umbrella")
    assert story.text == "A customer left her umbrella; we drove it to her house."
    assert story.language is clientocracy.language("en")
    assert story.principles[0] is clientocracy.principle("beyond-what-is-owed")
    assert user.stories(company="ACME corp").ids() == ("acme-umbrella",)
    assert user.stories(principle="Мелочи важны").ids() == ("acme-umbrella",)


def test_corpora_combine(tmp_path: Path) -> None:
    user = clientocracy.load(user_corpus(tmp_path / "user"))
    both = Corpus.bundled() | user
    assert both == Corpus.bundled().merge(user)
    assert len(both.stories()) == 11
    assert both.stories(principle="small things matter").ids()[-1] == "acme-umbrella"
    assert both.company("Zappos") is clientocracy.company("Zappos")
    assert (both | user) == both  # the same records twice are one
    assert "catalog.json: stories[0]" in both.place("story", "acme-umbrella")


def test_two_records_with_one_id_are_an_error_naming_both(tmp_path: Path) -> None:
    catalog = user_catalog()
    catalog["companies"][0]["id"] = "zappos"
    catalog["stories"][0]["company"] = "zappos"
    folder = write_corpus(tmp_path / "clash", catalog, {"texts/acme.txt": TEXT.encode()})
    user = clientocracy.load(folder)  # valid alone: its own zappos shadows the bundled one
    with pytest.raises(CorpusError) as info:
        Corpus.bundled() | user
    (problem,) = info.value.problems
    assert "company 'zappos' is defined twice" in problem
    assert "clientocracy/data/catalog.json: companies[1]" in problem
    assert str(folder / "catalog.json") + ": companies[0]" in problem


def test_a_name_that_would_resolve_twice_is_an_error(tmp_path: Path) -> None:
    catalog = user_catalog()
    catalog["companies"][0]["aliases"] = ["Zappos"]
    folder = write_corpus(tmp_path / "alias", catalog, {"texts/acme.txt": TEXT.encode()})
    with pytest.raises(CorpusError, match="already names the company"):
        Corpus.bundled() | clientocracy.load(folder)


def test_a_failed_load_changes_nothing(tmp_path: Path) -> None:
    before = Corpus.bundled()
    folder = user_corpus(tmp_path / "user", company="nope")
    problems_of(folder)
    assert Corpus.bundled() is before
    assert len(clientocracy.stories()) == 10


# -- bad input -----------------------------------------------------------------


def test_every_problem_is_listed_with_file_record_and_field(tmp_path: Path) -> None:
    catalog = user_catalog(company="nope", principles=["kindness"], channel="pigeon")
    catalog["companies"][0]["country"] = "Britain"
    catalog["companies"][0]["colour"] = "red"
    folder = write_corpus(tmp_path / "bad", catalog, {"texts/acme.txt": TEXT.encode()})
    problems = problems_of(folder)
    text = "\n".join(problems)
    assert all(p.startswith(str(folder / "catalog.json")) for p in problems)
    assert "companies[0] ('acme'): unknown field 'colour'" in text
    assert "companies[0] ('acme'): field 'country'" in text
    assert "stories[0] ('acme-umbrella'): field 'company': no company has id 'nope'" in text
    assert "field 'principles': no principle has id 'kindness'" in text
    assert "field 'channel'" in text
    assert len(problems) >= 4


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b'{"format": "clientocracy-catalog", "version": 1, "languages": [', "not valid JSON"),
        (b"", "the file is empty"),
        (b"[1, 2]", "expected an object"),
        (b"\xff\xfe{}", "not valid UTF-8"),
        # Deep, but with few enough brackets for its size to be parsed at all.
        (b"[" * 5_000 + b" " * 100_000 + b"]" * 5_000, "too deep"),
        (b"[" * 100_000 + b"]" * 100_000, "100,000 objects and lists"),
        (b'{"version": ' + b"9" * 10_000 + b"}", "not a usable JSON value"),
        (b'{"format": "clientocracy-catalog", "version": 3}', "reads versions 1 and 2"),
    ],
)
def test_broken_catalogs(tmp_path: Path, raw: bytes, expected: str) -> None:
    problems = problems_of(write_corpus(tmp_path / "c", raw))
    assert any(expected in p for p in problems), problems


def test_missing_fields_wrong_types_and_duplicates(tmp_path: Path) -> None:
    catalog = user_catalog()
    del catalog["stories"][0]["summary"]
    catalog["stories"][0]["title"] = 42
    catalog["stories"].append(dict(user_catalog()["stories"][0]))
    catalog["sources"][0]["sha256"] = "abc"
    problems = problems_of(write_corpus(tmp_path / "c", catalog, {"texts/acme.txt": b"x"}))
    text = "\n".join(problems)
    assert "missing field 'summary'" in text
    assert "field 'title': expected a string, got a number" in text
    assert "duplicate id 'acme-umbrella', first used by stories[0]" in text
    assert "field 'sha256': expected 64 lowercase hexadecimal digits" in text


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ({"start": 10, "end": 10_000}, "within the text's"),
        ({"start": 20, "end": 20}, "must be non-empty"),
        ({"start": 30, "end": 10}, "must be non-empty"),
        ({"start": -1, "end": 10}, "must be non-empty"),
        ({"start": 10, "end": 65, "begins": "A shopper"}, "the catalog says it begins 'A shopper'"),
        ({"start": 10, "end": 65, "ends": "her car."}, "the catalog says it ends 'her car.'"),
        ({"start": 1.5, "end": 65}, "must be a whole number"),
        ({"start": True, "end": 65}, "must be a whole number"),
        ({"start": 10, "end": 10**40}, "within the text's"),
    ],
)
def test_bad_spans(tmp_path: Path, span: dict[str, Any], expected: str) -> None:
    problems = problems_of(user_corpus(tmp_path / "user", span=span))
    assert any("field 'span'" in p and expected in p for p in problems), problems


def test_a_text_that_differs_from_its_hash(tmp_path: Path) -> None:
    folder = user_corpus(tmp_path / "user")
    (folder / "texts" / "acme.txt").write_text(TEXT.replace("umbrella", "hat"), encoding="utf-8")
    (problem,) = problems_of(folder)
    assert "field 'sha256'" in problem
    assert "restore the file or update the hash" in problem


def test_text_encodings(tmp_path: Path) -> None:
    folder = user_corpus(tmp_path / "user")
    (folder / "texts" / "acme.txt").write_bytes(b"\xef\xbb\xbf" + TEXT.encode())
    assert clientocracy.load(folder).story("acme-umbrella").text.startswith("A customer")
    (folder / "texts" / "acme.txt").write_bytes(TEXT.encode("cp1251", "replace") + b"\xff")
    assert any("not valid UTF-8" in p for p in problems_of(folder))
    (folder / "texts" / "acme.txt").write_bytes(b"  \n")
    assert any("the file is empty" in p for p in problems_of(folder))


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        ("/etc/passwd", "an absolute path"),
        ("../outside.txt", "'..' leaves the corpus folder"),
        ("texts/../../outside.txt", "'..' leaves the corpus folder"),
        ("texts/missing.txt", "cannot read"),
        ("texts", "not a regular file"),
    ],
)
def test_paths_that_leave_the_corpus(tmp_path: Path, file: str, expected: str) -> None:
    catalog = user_catalog()
    catalog["sources"][0]["file"] = file
    (tmp_path / "outside.txt").write_text(TEXT, encoding="utf-8")
    folder = write_corpus(tmp_path / "c", catalog, {"texts/acme.txt": TEXT.encode()})
    assert any(expected in p for p in problems_of(folder))


@pytest.mark.skipif(not hasattr(os, "symlink") or not hasattr(os, "mkfifo"), reason="POSIX only")
def test_links_outside_and_special_files(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text(TEXT, encoding="utf-8")
    folder = user_corpus(tmp_path / "user")
    (folder / "texts" / "acme.txt").unlink()
    (folder / "texts" / "acme.txt").symlink_to(tmp_path / "secret.txt")
    assert any("points outside the corpus folder" in p for p in problems_of(folder))
    (folder / "texts" / "acme.txt").unlink()
    os.mkfifo(folder / "texts" / "acme.txt")
    assert any("not a regular file" in p for p in problems_of(folder))
    (folder / "texts" / "acme.txt").unlink()
    (folder / "texts" / "inside.txt").write_text(TEXT, encoding="utf-8")
    (folder / "texts" / "acme.txt").symlink_to(folder / "texts" / "inside.txt")
    assert clientocracy.load(folder).story("acme-umbrella")  # a link that stays inside is fine


def test_files_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import clientocracy._catalog.loading as loading

    monkeypatch.setattr(loading, "MAX_TEXT_BYTES", 20)
    assert any(
        "over the limit of 20 bytes" in p for p in problems_of(user_corpus(tmp_path / "user"))
    )


def test_control_and_bidi_characters_are_data(tmp_path: Path) -> None:
    text = "Intro \x1b[31m\u202e. A customer left her umbrella; we drove it to her house."
    catalog = user_catalog(span={"start": 13, "end": len(text)})
    catalog["sources"][0]["sha256"] = sha(text)
    folder = write_corpus(tmp_path / "c", catalog, {"texts/acme.txt": text.encode()})
    assert "\u202e" in clientocracy.load(folder).story("acme-umbrella").source.text


# -- properties ----------------------------------------------------------------


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(corpora())
def test_any_corpus_round_trips(tmp_path_factory: pytest.TempPathFactory, corpus: Corpus) -> None:
    folder = tmp_path_factory.mktemp("round-trip")
    shutil.rmtree(folder)
    corpus.save(folder)
    jsonschema.validate(json.loads((folder / "catalog.json").read_text("utf-8")), SCHEMA)
    assert clientocracy.load(folder, base=corpus) == corpus


MUTATIONS = st.sampled_from(["drop", "null", "number", "string", "list", "huge", "nested"])


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_loading_returns_a_corpus_or_raises_corpus_error(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    catalog: Any = data.draw(st.sampled_from([user_catalog, user_catalog_v2]))()
    for _ in range(data.draw(st.integers(1, 4))):
        # Walk to a random place in the catalog and break it.
        node = catalog
        while isinstance(node, dict | list) and node and data.draw(st.booleans()):
            key = data.draw(
                st.sampled_from(list(node) if isinstance(node, dict) else list(range(len(node))))
            )
            if not isinstance(node[key], dict | list):
                break
            node = node[key]
        if not isinstance(node, dict | list) or not node:
            continue
        key = data.draw(
            st.sampled_from(list(node) if isinstance(node, dict) else list(range(len(node))))
        )
        mutation = data.draw(MUTATIONS)
        if mutation == "drop":
            del node[key]
        else:
            node[key] = {
                "null": None,
                "number": data.draw(st.integers() | st.floats()),
                "string": data.draw(st.text(max_size=20)),
                "list": [data.draw(st.text(max_size=5))],
                "huge": 10**30,
                "nested": [[[[{}]]]],
            }[mutation]
    folder = tmp_path_factory.mktemp("mutated")
    write_corpus(folder, catalog, {"texts/acme.txt": TEXT.encode()})
    try:
        result: object = clientocracy.load(folder)
    except CorpusError as error:
        result = error
    assert isinstance(result, Corpus) or (isinstance(result, CorpusError) and result.problems)


@settings(max_examples=100)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_random_bytes_never_crash_the_loader(raw: bytes) -> None:
    from clientocracy._catalog.loading import parse_corpus

    def no_files(name: str) -> bytes:
        raise FileNotFoundError(2, "No such file or directory", name)

    try:
        result: object = Corpus._from_store(parse_corpus(raw, no_files, catalog="fuzz.json"))
    except CorpusError as error:
        result = error
    assert isinstance(result, Corpus) or (isinstance(result, CorpusError) and result.problems)


@settings(max_examples=60)
@given(corpora(), st.data())
def test_indexed_filters_agree_with_a_linear_scan(corpus: Corpus, data: st.DataObject) -> None:
    def some(records: tuple[Any, ...]) -> st.SearchStrategy[Any]:
        return st.none() | st.lists(st.sampled_from([r.id for r in records]), max_size=3)

    company = data.draw(some(corpus.companies()))
    principle = data.draw(some(corpus.principles()))
    language = data.draw(some(corpus.languages()))
    expected = [
        story
        for story in corpus.stories()
        if (company is None or story.company.id in company)
        and (principle is None or any(p.id in principle for p in story.principles))
        and (language is None or story.language.id in language)
    ]
    got = corpus.stories(company=company, principle=principle, language=language)
    assert list(got) == expected
    assert got == corpus.stories().filter(company=company, principle=principle, language=language)


def test_indexed_filters_on_a_corpus_of_many_stories() -> None:
    # Enough stories for the bit masks to span many bytes, with gaps.
    bundled = Corpus.bundled()
    companies, principles = bundled.companies(), bundled.principles()
    source = bundled.sources()[0]
    stories = [
        Story(
            id=f"story-{n}",
            titles=((source.language.id, "t"), ("en", "t")),
            summaries=(("en", "s"),),
            company=companies[(n * n) % len(companies)],
            principles=tuple(p for i, p in enumerate(principles) if (n >> i) & 1) or principles,
            language=source.language,
            source=source,
            span=Span(start=0, end=10),
        )
        for n in range(1000)
    ]
    corpus = Corpus(
        languages=bundled.languages(),
        companies=companies,
        principles=principles,
        sources=[source],
        stories=stories,
    )
    for company in ([companies[0].id], [companies[1].id, companies[5].id], None):
        for principle in ([principles[4].id], [principles[0].id, principles[3].id], None):
            got = corpus.stories(company=company, principle=principle, language="ru")
            expected = [
                s
                for s in stories
                if (company is None or s.company.id in company)
                and (principle is None or any(p.id in principle for p in s.principles))
            ]
            assert list(got) == expected
            assert got


# -- translations ------------------------------------------------------------


def translation_problems(tmp_path: Path, catalog: dict[str, Any]) -> tuple[str, ...]:
    return problems_of(write_corpus(tmp_path / "v2", catalog, {"texts/acme.txt": TEXT.encode()}))


def test_a_version_2_catalog_loads_with_its_translation(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "v2", user_catalog_v2(), {"texts/acme.txt": TEXT.encode()})
    story = clientocracy.load(folder).story("acme-umbrella")
    assert [language.id for language in story.languages] == ["en", "ru"]
    translation = story.translation("Russian")
    assert [s.original for s in translation.segments] == [TEXT[10:42], TEXT[43:65]]
    assert story.text_in("ru") == "Покупательница забыла зонтик; мы отвезли его к ней домой."
    assert story.title_in("русский") == "Зонтик"
    assert translation.translator == "Acme staff"
    with pytest.raises(LookupError, match="no translation into 'fa'"):
        story.translation("fa")


@pytest.mark.parametrize(
    ("segments", "expected"),
    [
        ([], "must list at least one segment"),
        ([{"start": 10, "end": 42, "text": "a"}], "[42, 65) at the end of the passage"),
        ([{"start": 20, "end": 65, "text": "a"}], "leaves [10, 20) of the passage untranslated"),
        (
            [{"start": 10, "end": 42, "text": "a"}, {"start": 40, "end": 65, "text": "b"}],
            "inside the previous segment",
        ),
        ([{"start": 0, "end": 65, "text": "a"}], "within the story's span [10, 65)"),
        ([{"start": 10, "end": 65, "text": " "}], "field 'text': must not be empty"),
        ([{"start": 10, "end": 65}], "missing field 'text'"),
        ([{"start": "10", "end": 65, "text": "a"}], "field 'start': expected a whole number"),
        ([{"start": 10, "end": 65, "text": "a", "colour": 1}], "unknown field 'colour'"),
        ([{"start": 10, "end": 65, "text": "a", "begins": "Z"}], "but the catalog says it begins"),
    ],
)
def test_bad_segments_are_refused_with_their_place(
    tmp_path: Path, segments: list[Any], expected: str
) -> None:
    problems = translation_problems(tmp_path, user_catalog_v2(segments=segments))
    assert any(expected in problem for problem in problems), problems
    assert all("stories[0] ('acme-umbrella'): translations[0] ('ru')" in p for p in problems)


def test_every_bad_segment_is_reported_at_once(tmp_path: Path) -> None:
    segments = [
        {"start": 10, "end": 42, "text": ""},
        {"start": 43, "end": 99, "text": "b"},
        {"start": 43, "text": "c"},
    ]
    problems = translation_problems(tmp_path, user_catalog_v2(segments=segments))
    assert [p.split(": segments")[1][:3] for p in problems] == ["[0]", "[1]", "[2]"]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"language": "en"}, "is the story's own language"),
        ({"language": "xx"}, "no language has id 'xx'"),
        ({"translator": ""}, "field 'translator': must not be empty"),
        ({"segments": "all"}, "field 'segments': expected a list"),
    ],
)
def test_bad_translations_are_refused(
    tmp_path: Path, changes: dict[str, Any], expected: str
) -> None:
    problems = translation_problems(tmp_path, user_catalog_v2(**changes))
    assert any(expected in problem for problem in problems), problems


def test_a_translation_needs_a_title_and_summary_in_its_language(tmp_path: Path) -> None:
    catalog = user_catalog_v2()
    del catalog["stories"][0]["title"]["ru"]
    catalog["stories"][0]["summary"] = {"en": "x"}
    problems = translation_problems(tmp_path, catalog)
    assert any("field 'title': needs a text in 'ru'" in p for p in problems), problems
    assert any("field 'summary': needs a text in 'ru'" in p for p in problems), problems


def test_two_translations_into_one_language_are_refused(tmp_path: Path) -> None:
    catalog = user_catalog_v2()
    catalog["stories"][0]["translations"].append(TRANSLATION)
    problems = translation_problems(tmp_path, catalog)
    assert any("a second translation into 'ru'" in p for p in problems), problems


def test_version_1_catalogs_load_and_save_as_version_2(tmp_path: Path) -> None:
    corpus = clientocracy.load(user_corpus(tmp_path / "user"))
    story = corpus.story("acme-umbrella")
    assert story.titles == (("en", "The umbrella"),)
    assert story.summary_in("en").startswith("A customer forgot")
    assert story.translations == ()
    corpus.save(tmp_path / "saved")
    saved = json.loads((tmp_path / "saved" / "catalog.json").read_text("utf-8"))
    assert saved["version"] == 2
    assert clientocracy.load(tmp_path / "saved") == corpus
