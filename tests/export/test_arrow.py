"""Arrow, Parquet and the Hugging Face folder: what is written reads back as the records."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from hypothesis import HealthCheck, given, settings

import clientocracy
from clientocracy import (
    ARROW_COLUMNS,
    HF_DATA_FILE,
    Company,
    Source,
    Span,
    Story,
)
from clientocracy._cli.app import main
from clientocracy._errors import install_command
from clientocracy._export.arrow import ExtraNotInstalledError

from ..helpers import THREE_LANGUAGES, stories_of_three_scripts, story_row

ROOT = Path(__file__).resolve().parents[2]
STORIES = clientocracy.stories()


def read_with_duckdb(path: Path) -> list[dict[str, Any]]:
    with duckdb.connect() as connection:
        result = connection.execute("SELECT * FROM read_parquet(?)", [str(path)])
        names = [column[0] for column in result.description]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def assert_reads_back(stories: list[Story], path: Path) -> None:
    expected = [story_row(story) for story in stories]
    table = pq.read_table(path)
    assert table.schema.equals(clientocracy.arrow_schema())
    # Parquet keeps the Arrow schema's metadata beside its own.
    assert table.schema.metadata[b"clientocracy.schema"] == b"2"
    assert table.to_pylist() == expected
    rows = read_with_duckdb(path)
    assert sorted(rows, key=lambda row: row["id"]) == sorted(expected, key=lambda row: row["id"])


# -- the bundled data ----------------------------------------------------------


def test_the_bundled_stories_read_back_with_pyarrow_and_duckdb(tmp_path: Path) -> None:
    path = tmp_path / "stories.parquet"
    clientocracy.write_parquet(STORIES, path)
    assert_reads_back(list(STORIES), path)


def test_the_arrow_table_is_the_records() -> None:
    table = clientocracy.to_arrow(STORIES)
    assert table.to_pylist() == [story_row(story) for story in STORIES]
    assert table.column("id").to_pylist() == list(STORIES.ids())


def test_persian_zero_width_non_joiners_survive(tmp_path: Path) -> None:
    path = tmp_path / "stories.parquet"
    clientocracy.write_parquet(STORIES, path)

    def joiners(value: object) -> int:
        if isinstance(value, str):
            return value.count("\u200c")
        if isinstance(value, dict):
            value = list(value.values())
        return sum(map(joiners, value)) if isinstance(value, list) else 0

    written = joiners(pq.read_table(path).to_pylist())
    assert written == joiners([story_row(story) for story in STORIES]) > 0
    with duckdb.connect() as connection:
        (summary,) = connection.execute(
            "SELECT s.text FROM read_parquet(?), unnest(summaries) AS x(s) "
            "WHERE id = 'jetblue-free-coffee-at-the-gate' AND s.language = 'fa'",
            [str(path)],
        ).fetchone() or (None,)
    story = clientocracy.story("jetblue-free-coffee-at-the-gate")
    assert summary == story.summary_in("fa")
    assert "\u200c" in summary


@pytest.mark.parametrize("segments", [False, True])
def test_an_export_leaves_the_records_strings_as_they_were(segments: bool) -> None:
    # CPython keeps a UTF-8 copy inside a non-ASCII string once something asks
    # for one, for as long as the string lives: an export of a corpus held in
    # memory must not leave such a copy beside every text it wrote.
    stories = clientocracy.load(ROOT / "src" / "clientocracy" / "data").stories()
    strings = [
        text
        for story in stories
        for text in (
            *(t for _, t in story.titles),
            *(t for _, t in story.summaries),
            *(s.original for t in story.translations for s in t.segments),
            *(s.text for t in story.translations for s in t.segments),
        )
        if not text.isascii()
    ]
    assert len(strings) > 100
    sizes = [sys.getsizeof(text) for text in strings]
    table = clientocracy.to_arrow(stories, segments=segments)
    assert table.num_rows > 0
    assert [sys.getsizeof(text) for text in strings] == sizes


def test_duckdb_answers_as_the_api_does(tmp_path: Path) -> None:
    path = tmp_path / "stories.parquet"
    clientocracy.write_parquet(STORIES, path)
    with duckdb.connect() as connection:
        found = connection.execute(
            "SELECT id FROM read_parquet(?) WHERE list_contains(principles, 'no-red-tape') "
            "ORDER BY id",
            [str(path)],
        ).fetchall()
    assert [row[0] for row in found] == sorted(clientocracy.stories(principle="no-red-tape").ids())


def test_an_empty_selection_gives_an_empty_table_with_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "none.parquet"
    clientocracy.write_parquet([], path)
    table = pq.read_table(path)
    assert table.num_rows == 0
    assert table.schema.equals(clientocracy.arrow_schema())


# -- the schema ----------------------------------------------------------------


def compact(kind: pa.DataType) -> str:
    return str(kind).replace("item: ", "")


def test_the_schema_is_the_documented_constant() -> None:
    schema = clientocracy.arrow_schema()
    assert [(field.name, compact(field.type)) for field in schema] == [
        (name, kind) for name, kind, _ in ARROW_COLUMNS
    ]
    assert [field.name for field in schema if field.nullable] == ["channel", "source_license"]
    assert schema.metadata == {
        b"clientocracy.schema": str(clientocracy.ARROW_SCHEMA_VERSION).encode()
    }
    # The first columns are the CSV export's, in its order.
    header = clientocracy.export([], "csv").strip().split(",")
    assert schema.names[: len(header)] == header


def test_the_docs_table_is_the_constant() -> None:
    page = (ROOT / "docs" / "elsewhere.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([^`]+)` \| `([^`]+)` \| (.+) \|$", page, re.MULTILINE)
    assert rows == list(ARROW_COLUMNS)


# -- generated corpora ---------------------------------------------------------


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stories_of_three_scripts())
def test_any_stories_read_back_exactly(
    tmp_path_factory: pytest.TempPathFactory, stories: list[Story]
) -> None:
    path = tmp_path_factory.mktemp("parquet") / "stories.parquet"
    clientocracy.write_parquet(stories, path)
    assert_reads_back(stories, path)


# -- writing -------------------------------------------------------------------


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "stories.parquet"
    clientocracy.write_parquet(STORIES, path)
    before = path.read_bytes()

    def stories_then_fail() -> Iterator[clientocracy.Story]:
        # More than a batch is written before the failure: the file is half written.
        for _ in range(60):
            yield from clientocracy.stories()
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        clientocracy.write_parquet(stories_then_fail(), path, row_group_size=2)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stories.parquet"]


@pytest.mark.parametrize("partition", [None, "language"])
def test_a_failure_while_a_group_is_written_is_raised_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, partition: Any
) -> None:
    # Row groups are written while the next is made: a failure there must
    # still reach the caller, and the file or folder must not appear.
    from clientocracy._export import arrow

    written: list[int] = []
    real = arrow._GroupWriter._write

    def write_then_fail(self: Any, table: Any, rows: int) -> None:
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        written.append(rows)
        real(self, table, rows)

    monkeypatch.setattr(arrow._GroupWriter, "_write", write_then_fail)
    target = tmp_path / "out"
    with pytest.raises(OSError, match="No space"):
        clientocracy.write_parquet(
            list(STORIES) * 10, target, row_group_size=3, partition_by=partition
        )
    assert written == [3, 3]
    assert list(tmp_path.iterdir()) == []


def test_a_written_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    path = tmp_path / "stories.parquet"
    clientocracy.write_parquet(STORIES, path)
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


# -- the command ---------------------------------------------------------------


def test_export_parquet_from_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "persian.parquet"
    assert main(["export", "--format", "parquet", "--language", "Farsi", "-o", str(path)]) == 0
    assert capsys.readouterr().out == ""
    assert_reads_back(list(clientocracy.stories(language="fa")), path)


@pytest.mark.parametrize("format", ["parquet", "hf"])
def test_a_file_format_needs_an_output(format: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", format]) == 2
    err = capsys.readouterr().err
    assert err.startswith("clientocracy: error: ")
    assert "-o" in err
    assert len(err.splitlines()) == 1


def test_an_output_in_a_missing_folder_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere" / "stories.parquet"
    assert main(["export", "--format", "parquet", "-o", str(missing)]) == 2
    assert capsys.readouterr().err == (
        f"clientocracy: error: No such file or directory: {missing}\n"
    )


# -- without pyarrow -----------------------------------------------------------

NO_PYARROW = """
import sys

class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, Block())
"""


def run_without_pyarrow(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", NO_PYARROW + code],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=120,
    )


def test_import_clientocracy_does_not_import_pyarrow(tmp_path: Path) -> None:
    code = (
        "import sys, clientocracy\n"
        "clientocracy.stories(); clientocracy.search('coffee'); clientocracy.export([], 'csv')\n"
        "heavy = {'pyarrow', 'pandas', 'polars', 'duckdb'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_without_pyarrow_the_command_names_the_extra(tmp_path: Path) -> None:
    code = (
        "from clientocracy._cli.app import main\n"
        "raise SystemExit(main(['export', '--format', 'parquet', '-o', 'stories.parquet']))\n"
    )
    result = run_without_pyarrow(code, tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "clientocracy: error: Arrow and Parquet need pyarrow, which is not installed; "
        f"install it with: {install_command('parquet')}\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_without_pyarrow_everything_else_works(tmp_path: Path) -> None:
    code = (
        "from clientocracy._cli.app import main\n"
        "assert main(['export', '--format', 'csv', '-o', 'stories.csv']) == 0\n"
        "import clientocracy\n"
        "try:\n"
        "    clientocracy.to_arrow(clientocracy.stories())\n"
        "except ImportError as error:\n"
        "    print(type(error).__name__, error)\n"
    )
    result = run_without_pyarrow(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ExtraNotInstalledError Arrow and Parquet need pyarrow")
    assert install_command("parquet") in result.stdout
    assert (tmp_path / "stories.csv").exists()


def test_the_missing_extra_error_is_an_import_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match=re.escape(install_command("parquet"))) as info:
        clientocracy.write_parquet(STORIES, "never-written.parquet")
    assert isinstance(info.value, ExtraNotInstalledError)
    assert not Path("never-written.parquet").exists()


# -- the Hugging Face folder ---------------------------------------------------

# What the Hub's dataset card specification allows for the fields it lists.
HUB_CHOICES = {
    "annotations_creators": {
        "found",
        "crowdsourced",
        "expert-generated",
        "machine-generated",
        "no-annotation",
        "other",
    },
    "language_creators": {
        "found",
        "crowdsourced",
        "expert-generated",
        "machine-generated",
        "other",
    },
    "multilinguality": {"monolingual", "multilingual", "translation", "other"},
    "size_categories": {
        "n<1K",
        "1K<n<10K",
        "10K<n<100K",
        "100K<n<1M",
        "1M<n<10M",
        "10M<n<100M",
        "100M<n<1B",
        "1B<n<10B",
        "10B<n<100B",
        "100B<n<1T",
        "n>1T",
        "other",
    },
}
# Task categories the Hub knows, of those a text dataset may name.
HUB_TASKS = {
    "text-classification",
    "token-classification",
    "summarization",
    "translation",
    "question-answering",
    "text-generation",
    "text-retrieval",
}


def front_matter(readme: str) -> tuple[dict[str, Any], str]:
    assert readme.startswith("---\n")
    head, _, body = readme[4:].partition("\n---\n")
    data = yaml.safe_load(head)
    assert isinstance(data, dict)
    return data, body


def check_card(folder: Path, stories: list[Story]) -> tuple[dict[str, Any], str]:
    data, body = front_matter((folder / "README.md").read_text(encoding="utf-8"))
    for field in (
        "pretty_name",
        "language",
        "license",
        "size_categories",
        "task_categories",
        "multilinguality",
        "annotations_creators",
        "language_creators",
        "source_datasets",
        "configs",
    ):
        assert data.get(field), field
    for field, allowed in HUB_CHOICES.items():
        assert set(data[field]) <= allowed, field
    assert set(data["task_categories"]) <= HUB_TASKS
    assert data["source_datasets"] == ["original"]
    assert isinstance(data["pretty_name"], str)
    assert isinstance(data["license"], str)
    assert all(re.fullmatch(r"[a-z]{2,3}", code) for code in data["language"])
    tags = {s.language.id for s in stories} | {
        t.language.id for s in stories for t in s.translations
    }
    assert tags <= set(data["language"])
    ((config,),) = [data["configs"]]
    assert config["config_name"] == "default"
    assert config["data_files"] == [{"split": "train", "path": HF_DATA_FILE}]
    assert_reads_back(stories, folder / HF_DATA_FILE)
    return data, body


def test_the_hf_folder_of_the_bundled_stories(tmp_path: Path) -> None:
    folder = tmp_path / "clientocracy-stories"
    assert main(["export", "--format", "hf", "-o", str(folder)]) == 0
    data, body = check_card(folder, list(STORIES))
    assert sorted(p.name for p in folder.iterdir()) == ["README.md", "data"]
    assert data["pretty_name"] == "clientocracy stories"
    assert data["language"] == ["ru", "en", "fa"]
    assert data["size_categories"] == ["n<1K"]
    assert data["multilinguality"] == ["multilingual", "translation"]
    # No Hub licence id covers texts licensed to no one beside CC BY 4.0
    # ones: the card names the mix and links to itself, which says more.
    assert data["license"] == "other"
    assert data["license_name"] == "cc-by-4.0-and-source-texts"
    assert data["license_link"] == "README.md"
    licences = body.split("\n## Licences\n", 1)[1].split("\n## ", 1)[0]
    for term in ("CC BY 4.0", "MIT", "LicenseRef-clientocracy-source-texts"):
        assert term in licences
    # The card's text is the docs page, not a copy of it.
    card = (ROOT / "docs" / "dataset-card.md").read_text(encoding="utf-8")
    title, _, rest = card.partition("\n")
    assert body.lstrip("\n").startswith(title + "\n")
    assert body.endswith(rest)
    for name, kind, _ in ARROW_COLUMNS:
        assert f"| `{name}` | `{kind}` |" in body


def test_the_hf_folder_of_a_corpus_of_ones_own(tmp_path: Path) -> None:
    source = Source(
        id="acme-blog",
        language=THREE_LANGUAGES["en"],
        titles=(("en", "Acme | blog"),),
        text="A customer left her umbrella; we drove it to her house.",
        sha256="0" * 64,
        origin="Our own blog.",
        origin_url="https://example.org/blog",
    )
    story = Story(
        id="acme-umbrella",
        titles=(("en", "The umbrella"),),
        summaries=(("en", "The shop drove an umbrella home."),),
        company=Company(id="acme", name="Acme", industry="retail", country="GB"),
        principles=(),
        language=source.language,
        source=source,
        span=Span(start=0, end=len(source.text)),
    )
    folder = tmp_path / "hub"
    clientocracy.write_hf_dataset([story], folder, metadata={"license": "cc-by-4.0"})
    data, body = check_card(folder, [story])
    assert data["license"] == "cc-by-4.0"
    assert "license_name" not in data
    assert "license_link" not in data
    assert data["language"] == ["en"]
    assert data["multilinguality"] == ["monolingual"]
    assert "translation" not in data["task_categories"]
    assert "Ten short stories" not in body
    assert "| acme-blog | en | Acme \\| blog | Our own blog. <https://example.org/blog> |" in body
    # Only the corpus's owner knows its terms: unsaid, they are unknown.
    bare = tmp_path / "bare"
    clientocracy.write_hf_dataset([story], bare)
    assert check_card(bare, [story])[0]["license"] == "unknown"


def test_the_hf_folder_keeps_other_files_and_is_rewritten(tmp_path: Path) -> None:
    folder = tmp_path / "clone"
    (folder / ".git").mkdir(parents=True)
    (folder / ".gitattributes").write_text("*.parquet filter=lfs\n", encoding="utf-8")
    clientocracy.write_hf_dataset(STORIES, folder, card="# Mine\n")
    clientocracy.write_hf_dataset(STORIES[:2], folder, card="# Mine\n")
    assert sorted(p.name for p in folder.iterdir()) == [
        ".git",
        ".gitattributes",
        "README.md",
        "data",
    ]
    assert (folder / ".gitattributes").read_text(encoding="utf-8") == "*.parquet filter=lfs\n"
    assert [p.name for p in (folder / "data").iterdir()] == [HF_DATA_FILE.split("/")[1]]
    assert pq.read_table(folder / HF_DATA_FILE).num_rows == 2
    _, body = front_matter((folder / "README.md").read_text(encoding="utf-8"))
    assert body == "\n# Mine\n"


@pytest.mark.parametrize(
    ("count", "category"),
    [(0, "n<1K"), (999, "n<1K"), (1000, "1K<n<10K"), (99_999, "10K<n<100K"), (10**8, "100M<n<1B")],
)
def test_size_categories(count: int, category: str) -> None:
    from clientocracy._export.hub import _size_category

    assert _size_category(count) == category
    assert category in HUB_CHOICES["size_categories"]


def test_front_matter_text_cannot_break_the_yaml(tmp_path: Path) -> None:
    hostile = 'a: b\n---\n- "quoted" # not a comment: {x}'
    clientocracy.write_hf_dataset(STORIES[:1], tmp_path, metadata={"pretty_name": hostile})
    data, _ = front_matter((tmp_path / "README.md").read_text(encoding="utf-8"))
    assert data["pretty_name"] == hostile
