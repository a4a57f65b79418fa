"""Exports that stream, split and partition: what a data engineer takes to Spark, DuckDB and Dask.

The files are read back with pyarrow, DuckDB and the csv module, and set
against rows built here from the records themselves.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clientocracy
from clientocracy import Story
from clientocracy._cli.app import main

from ..helpers import story_row

STORIES = list(clientocracy.stories())
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Any run of the bundled stories, repeats and all: translated and not, both languages.
story_lists = st.lists(st.sampled_from(STORIES), max_size=14)


def segment_table_rows(stories: list[Story]) -> list[dict[str, Any]]:
    """The flat segments of *stories*, from their fields."""
    return [
        {
            "story": story.id,
            "source_language": story.language.id,
            "language": t.language.id,
            "segment": number,
            "start": s.span.start,
            "end": s.span.end,
            "original": story.source.text[s.span.start : s.span.end],
            "translation": s.text,
            "source_license": story.source.license,
            "translation_license": t.license,
        }
        for story in stories
        for t in story.translations
        for number, s in enumerate(t.segments)
    ]


# -- streaming gives what building the whole gives --------------------------------------


@SETTINGS
@given(stories=story_lists, rows=st.integers(1, 5))
def test_streamed_parquet_holds_every_story_in_row_groups(
    stories: list[Story], rows: int, tmp_path: Path
) -> None:
    path = tmp_path / "stories.parquet"
    clientocracy.write_parquet(stories, path, row_group_size=rows)
    file = pq.ParquetFile(path)
    assert file.read().to_pylist() == [story_row(s) for s in stories]
    groups = [file.metadata.row_group(i).num_rows for i in range(file.metadata.num_row_groups)]
    assert all(size == rows for size in groups[:-1])
    assert 0 < (groups or [1])[-1] <= rows
    assert file.schema_arrow.metadata == clientocracy.arrow_schema().metadata


@SETTINGS
@given(stories=story_lists, rows=st.integers(1, 40), batch=st.integers(1, 6))
def test_segments_as_arrow_are_the_flat_rows(
    stories: list[Story], rows: int, batch: int, tmp_path: Path
) -> None:
    expected = segment_table_rows(stories)
    assert clientocracy.to_arrow(stories, segments=True).to_pylist() == expected
    batches = list(clientocracy.arrow_batches(stories, segments=True, batch_size=batch))
    assert [row for b in batches for row in b.to_pylist()] == expected
    assert clientocracy.segment_rows(stories) == expected
    path = tmp_path / "segments.parquet"
    clientocracy.write_parquet(stories, path, segments=True, row_group_size=rows)
    assert pq.read_table(path).to_pylist() == expected


@SETTINGS
@given(stories=story_lists)
def test_documents_written_in_pieces_are_the_whole_documents(stories: list[Story]) -> None:
    from clientocracy._export.records import dumps

    shapes = [clientocracy.as_dict(s) for s in stories]
    assert clientocracy.export(stories, "json") == dumps(shapes, indent=2) + "\n"
    assert json.loads(clientocracy.export(stories, "json")) == shapes
    lines = clientocracy.export(stories, "jsonl").splitlines()
    assert [json.loads(line) for line in lines] == shapes
    segments = clientocracy.export(stories, "jsonl", segments=True).splitlines()
    assert [json.loads(line) for line in segments] == segment_table_rows(stories)
    pieces = list(clientocracy.iter_export(stories, "csv", languages=["ru", "fa", "en"]))
    assert "".join(pieces) == clientocracy.export(stories, "csv", languages=["ru", "fa", "en"])


def test_a_large_export_comes_in_many_pieces() -> None:
    many = STORIES * 60
    pieces = list(clientocracy.iter_export(many, "jsonl"))
    assert len(pieces) > 1
    assert len("".join(pieces).splitlines()) == len(many)


def test_arguments_are_checked_before_anything_is_read() -> None:
    def never() -> Any:
        raise AssertionError("read")
        yield

    with pytest.raises(ValueError, match="unknown export format 'xml'"):
        clientocracy.iter_export(never(), "xml")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="byte order mark is for CSV only"):
        clientocracy.iter_export(never(), "json", bom=True)
    with pytest.raises(ValueError, match="row_group_size must be at least 1"):
        clientocracy.write_parquet(never(), "x.parquet", row_group_size=0)
    with pytest.raises(ValueError, match="cannot partition by 'company'"):
        clientocracy.write_parquet(never(), "x", partition_by="company")  # type: ignore[arg-type]


def test_row_groups_also_end_at_a_size_in_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import clientocracy._export.arrow as arrow

    one = clientocracy.to_arrow(STORIES[:1]).nbytes
    monkeypatch.setattr(arrow, "ROW_GROUP_BYTES", one * 2)
    path = tmp_path / "stories.parquet"
    clientocracy.write_parquet(STORIES * 3, path)
    metadata = pq.ParquetFile(path).metadata
    assert metadata.num_rows == 30
    assert 5 <= metadata.num_row_groups < 30


# -- --segments in every format ---------------------------------------------------------


@pytest.mark.parametrize("format", ["json", "jsonl", "csv", "parquet", "hf"])
def test_segments_work_in_every_format(
    format: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out"
    assert main(["export", "--format", format, "--segments", "-o", str(target)]) == 0
    expected = segment_table_rows(STORIES)
    if format == "json":
        rows = json.loads(target.read_text(encoding="utf-8"))
    elif format == "jsonl":
        rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    elif format == "csv":
        with open(target, encoding="utf-8", newline="") as file:
            rows = list(csv.DictReader(file))
        expected = [{k: str(v) for k, v in row.items()} for row in expected]
    elif format == "parquet":
        rows = pq.read_table(target).to_pylist()
    else:
        rows = pq.read_table(target / clientocracy.HF_DATA_FILE).to_pylist()
        card = (target / "README.md").read_text(encoding="utf-8")
        assert "| `translation` | `string` |" in card
        assert f"({len(expected)} rows)" in card
    assert rows == expected
    assert len(rows) > len(STORIES)


# -- partitions -------------------------------------------------------------------------


@pytest.mark.parametrize("segments", [False, True])
def test_language_partitions_read_back_in_pyarrow_and_duckdb(
    segments: bool, tmp_path: Path
) -> None:
    folder = tmp_path / "by-language"
    clientocracy.write_parquet(STORIES, folder, partition_by="language", segments=segments)
    expected = segment_table_rows(STORIES) if segments else [story_row(s) for s in STORIES]
    tags = sorted({row["language"] for row in expected})
    assert sorted(p.name for p in folder.iterdir()) == [f"language={tag}" for tag in tags]
    table = ds.dataset(folder, partitioning="hive").to_table()
    rows = table.to_pylist()
    key = ("story", "language", "segment") if segments else ("id",)

    def order(row: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(row[k] for k in key)

    assert sorted(rows, key=order) == sorted(expected, key=order)
    counted = duckdb.sql(
        f"SELECT language, count(*) FROM read_parquet('{folder}/*/*.parquet', "
        "hive_partitioning = true) GROUP BY language ORDER BY language"
    ).fetchall()
    assert counted == [(tag, sum(r["language"] == tag for r in expected)) for tag in tags]


def test_a_partitioned_export_needs_a_new_or_empty_folder(tmp_path: Path) -> None:
    folder = tmp_path / "by-language"
    folder.mkdir()
    clientocracy.write_parquet(STORIES, folder, partition_by="language")
    with pytest.raises(FileExistsError, match="not empty"):
        clientocracy.write_parquet(STORIES, folder, partition_by="language")
    umask = os.umask(0)
    os.umask(umask)
    assert folder.stat().st_mode & 0o777 == 0o777 & ~umask


def test_a_failed_partitioned_export_leaves_nothing(tmp_path: Path) -> None:
    def stories_then_fail() -> Any:
        for _ in range(60):
            yield from STORIES
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        clientocracy.write_parquet(stories_then_fail(), tmp_path / "out", partition_by="language")
    assert list(tmp_path.iterdir()) == []


def test_partitioning_from_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "persian"
    args = ["export", "--format", "parquet", "--partition-by", "language", "--language", "fa"]
    assert main([*args, "-o", str(folder)]) == 0
    assert [p.name for p in folder.iterdir()] == ["language=fa"]
    assert main([*args, "-o", str(folder)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert main(["export", "--format", "csv", "--partition-by", "language"]) == 2
    assert "--partition-by is for --format parquet" in capsys.readouterr().err


# -- the Hub, in shards -----------------------------------------------------------------


def front_matter(folder: Path) -> dict[str, Any]:
    card = (folder / "README.md").read_text(encoding="utf-8")
    return dict(yaml.safe_load(card.split("---\n")[1]))


def test_a_sharded_hub_export_lists_its_shards(tmp_path: Path) -> None:
    folder = tmp_path / "hub"
    clientocracy.write_hf_dataset(STORIES, folder, shard_rows=4, row_group_size=3)
    names = [f"data/train-0000{k}-of-00003.parquet" for k in range(3)]
    assert sorted(f"data/{p.name}" for p in (folder / "data").iterdir()) == names
    (config,) = front_matter(folder)["configs"]
    assert config["data_files"] == [{"split": "train", "path": names}]
    tables = [pq.read_table(folder / name) for name in names]
    assert [t.num_rows for t in tables] == [4, 4, 2]
    assert pa.concat_tables(tables).to_pylist() == [story_row(s) for s in STORIES]
    # Exported again in one shard: the old shards go, the one new one is listed.
    clientocracy.write_hf_dataset(STORIES, folder)
    assert [p.name for p in (folder / "data").iterdir()] == ["train-00000-of-00001.parquet"]
    (config,) = front_matter(folder)["configs"]
    assert config["data_files"] == [{"split": "train", "path": clientocracy.HF_DATA_FILE}]


def test_a_hub_export_keeps_files_it_did_not_write(tmp_path: Path) -> None:
    folder = tmp_path / "hub"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "notes.txt").write_text("mine")
    (folder / ".gitattributes").write_text("*.parquet filter=lfs")
    clientocracy.write_hf_dataset(STORIES, folder, shard_rows=5)
    assert (folder / "data" / "notes.txt").read_text() == "mine"
    assert (folder / ".gitattributes").exists()
    assert not [p for p in (folder / "data").iterdir() if p.name.endswith(".part")]


def test_hub_shards_from_the_command(tmp_path: Path) -> None:
    folder = tmp_path / "hub"
    args = ["export", "--format", "hf", "--shard-rows", "3", "--segments", "-o", str(folder)]
    assert main(args) == 0
    shards = sorted((folder / "data").iterdir())
    rows = [row for shard in shards for row in pq.read_table(shard).to_pylist()]
    assert rows == segment_table_rows(STORIES)
    assert len(shards) == -(-len(rows) // 3)


# -- the CSV schema ---------------------------------------------------------------------


def header(text: str) -> list[str]:
    return next(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    "filters",
    [[], ["--language", "fa"], ["--language", "ru"], ["--company", "LEGO"], ["--language", "en"]],
)
def test_a_csv_has_the_same_columns_whatever_the_filter(
    filters: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["export", "--format", "csv", *filters])
    out = capsys.readouterr().out
    columns = header(out)
    assert columns == list(clientocracy.csv_columns(clientocracy.languages()))
    assert len(set(columns)) == len(columns)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert status == (0 if rows else 1)
    for row in rows:
        story = clientocracy.story(row["id"])
        assert row["title_en"] == story.title_en
        assert row["summary"] == story.summary
        assert row["text"] == row[f"text_{story.language.id}"] == story.text
        for translation in story.translations:
            assert row[f"text_{translation.language.id}"] == translation.text


def test_csv_columns_name_each_language_once() -> None:
    assert clientocracy.csv_columns(["ru", "fa", "en", "ru"])[14:] == (
        "title_ru",
        "summary_ru",
        "text_ru",
        "title_fa",
        "summary_fa",
        "text_fa",
        "text_en",
    )
    assert "summary_en" not in clientocracy.csv_columns(["en"])


def test_a_csv_of_a_collection_follows_its_corpus() -> None:
    empty = clientocracy.stories(company="LEGO").filter(language="fa")
    assert len(empty) == 0
    document = clientocracy.export(empty, "csv")
    assert document.splitlines() == [",".join(clientocracy.csv_columns(clientocracy.languages()))]


def test_the_bom_option_starts_a_csv_with_a_byte_order_mark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "stories.csv"
    assert main(["export", "--format", "csv", "--bom", "-o", str(path)]) == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,title,")
    plain = clientocracy.export(clientocracy.stories(), "csv")
    assert data == b"\xef\xbb\xbf" + plain.encode("utf-8")
    with open(path, encoding="utf-8-sig", newline="") as file:
        assert [r["id"] for r in csv.DictReader(file)] == [s.id for s in STORIES]
    assert clientocracy.export(STORIES, "csv", bom=True, segments=True).startswith("\ufeffstory,")
    assert main(["export", "--format", "jsonl", "--bom"]) == 2
    assert "--bom is for --format csv, not jsonl" in capsys.readouterr().err


# -- the documented schemas are the files' -----------------------------------------------


def documented(section: str) -> list[list[str]]:
    """The rows of the first table under *section* of docs/schema.md, cells unquoted."""
    page = (Path(__file__).resolve().parents[2] / "docs" / "schema.md").read_text("utf-8")
    body = page.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in body.splitlines() if line.startswith("| `")]
    return [[cell.strip().strip("`") for cell in row.strip("|").split(" | ")] for row in rows]


@pytest.mark.parametrize(("section", "segments"), [("Stories", False), ("Segments", True)])
def test_the_schema_page_gives_the_files_columns_and_types(
    section: str, segments: bool, tmp_path: Path
) -> None:
    rows = documented(section)
    columns = clientocracy.SEGMENT_COLUMNS if segments else clientocracy.ARROW_COLUMNS
    assert [(row[0], row[1]) for row in rows] == [(name, kind) for name, kind, _ in columns]
    path = tmp_path / "file.parquet"
    clientocracy.write_parquet(STORIES, path, segments=segments)
    described = duckdb.sql(f"DESCRIBE SELECT * FROM '{path}'").fetchall()
    assert [(row[0], row[2]) for row in rows] == [(name, kind) for name, kind, *_ in described]


def test_the_schema_page_lists_the_csv_columns() -> None:
    fixed = [row[0] for row in documented("CSV")][:14]
    assert tuple(fixed) == clientocracy.csv_columns([])


@pytest.mark.parametrize("segments", [False, True])
def test_a_hub_export_by_language_has_a_config_for_each(segments: bool, tmp_path: Path) -> None:
    folder = tmp_path / "hub"
    args = ["export", "--format", "hf", "--language-configs", "--shard-rows", "50"]
    assert main([*args, *(["--segments"] if segments else []), "-o", str(folder)]) == 0
    expected = segment_table_rows(STORIES) if segments else [story_row(s) for s in STORIES]
    configs = {c["config_name"]: c["data_files"] for c in front_matter(folder)["configs"]}
    tags = list(dict.fromkeys(row["language"] for row in expected))
    assert list(configs) == ["default", *tags]

    def rows_of(files: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ((entry,),) = [files]
        paths = entry["path"] if isinstance(entry["path"], list) else [entry["path"]]
        assert all(path.startswith("data/") for path in paths)
        return [row for path in paths for row in pq.read_table(folder / path).to_pylist()]

    for tag in tags:
        assert rows_of(configs[tag]) == [row for row in expected if row["language"] == tag]
    assert sorted(map(str, rows_of(configs["default"]))) == sorted(map(str, expected))
    # Exported again as one split: the language folders' shards go.
    clientocracy.write_hf_dataset(STORIES, folder)
    left = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.parquet"))
    assert left == [clientocracy.HF_DATA_FILE]


@pytest.mark.parametrize("language_configs", [False, True])
def test_an_empty_hub_export_has_one_empty_shard(language_configs: bool, tmp_path: Path) -> None:
    folder = tmp_path / "hub"
    clientocracy.write_hf_dataset([], folder, language_configs=language_configs)
    assert pq.read_table(folder / clientocracy.HF_DATA_FILE).num_rows == 0
    (config,) = front_matter(folder)["configs"]
    assert config["data_files"] == [{"split": "train", "path": clientocracy.HF_DATA_FILE}]
