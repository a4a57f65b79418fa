"""A Hugging Face dataset folder, read back by the `datasets` library itself.

`datasets` is large (about 400 MB with what it pulls in), so it is not in the
test extra: CI installs it in an environment of its own and runs this file
there, with CLIENTOCRACY_REQUIRE_DATASETS=1 so that it cannot skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import clientocracy

if os.environ.get("CLIENTOCRACY_REQUIRE_DATASETS"):
    import datasets
else:
    datasets = pytest.importorskip("datasets")


def test_load_dataset_reads_the_folder_offline(tmp_path: Path) -> None:
    stories = clientocracy.stories()
    clientocracy.write_hf_dataset(stories, tmp_path)
    loaded = datasets.load_dataset(str(tmp_path), split="train")
    assert loaded.num_rows == len(stories)
    for row, story in zip(loaded, stories, strict=True):
        assert row["id"] == story.id
        assert row["company"] == story.company.id
        assert row["principles"] == [p.id for p in story.principles]
        assert row["text"] == story.source.text[story.span.start : story.span.end]
        assert {t["language"]: t["text"] for t in row["titles"]} == dict(story.titles)
        translations = {t["language"]: t for t in row["translations"]}
        for translation in story.translations:
            got = translations[translation.language.id]
            assert got["text"] == translation.text
            assert [s["text"] for s in got["segments"]] == [s.text for s in translation.segments]


def test_load_dataset_reads_the_parquet_file_alone(tmp_path: Path) -> None:
    stories = clientocracy.stories(language="fa")
    clientocracy.write_hf_dataset(stories, tmp_path)
    files = sorted(str(p) for p in (tmp_path / "data").glob("*.parquet"))
    loaded = datasets.load_dataset("parquet", data_files=files, split="train")
    assert loaded["id"] == list(stories.ids())
