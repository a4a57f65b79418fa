"""Stories as a Hugging Face dataset repository: Parquet shards and a dataset card.

pyarrow is needed only when a folder is written; see `arrow.py`.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, BinaryIO

import attrs

from .._records import Source, Story
from .arrow import (
    ARROW_COLUMNS,
    ARROW_SCHEMA_VERSION,
    ROW_GROUP_ROWS,
    _GroupWriter,
    _pyarrow,
    arrow_batches,
    arrow_schema,
)
from .records import SEGMENT_COLUMNS

__all__ = ["HF_DATA_FILE", "HF_SHARD_BYTES", "write_hf_dataset"]

HF_DATA_FILE = "data/train-00000-of-00001.parquet"
"""Where [`write_hf_dataset()`][clientocracy.write_hf_dataset] puts the data of a small corpus.

The name the Hub gives the one file of a split. A larger corpus is split
into shards named the same way: `data/train-00000-of-00003.parquet`,
`data/train-00001-of-00003.parquet`, …
"""

HF_SHARD_BYTES = 256 * 1024 * 1024
"""About the most bytes of (uncompressed) Arrow data a shard of a Hub export holds.

Zstandard makes a shard's file a fraction of it on disk; the Hub, and
`datasets`, read shards in parallel.
"""

_SHARD = re.compile(r"train-\d{5}-of-\d{5}\.parquet")


def write_hf_dataset(
    stories: Iterable[Story],
    folder: str | os.PathLike[str],
    *,
    card: str | None = None,
    metadata: Mapping[str, object] | None = None,
    segments: bool = False,
    shard_rows: int | None = None,
    row_group_size: int = ROW_GROUP_ROWS,
) -> None:
    """Write *stories* as a Hugging Face dataset repository in *folder*.

    The folder gets the split `train` as Parquet shards under `data/`
    ([`HF_DATA_FILE`][clientocracy.HF_DATA_FILE] for a corpus that fits in
    one; `train-0000K-of-0000N.parquet` otherwise), each written like
    [`write_parquet`][clientocracy.write_parquet] (streamed, in row groups
    of at most *row_group_size* rows), and a `README.md` dataset card whose
    YAML front matter carries what the Hub reads: language codes, license,
    pretty name, size category, task categories, multilinguality,
    annotation and language creators, source datasets, and `configs`
    listing the shards. Upload the folder as it is, or read it back with
    `datasets.load_dataset(folder)`.

    A shard ends after *shard_rows* rows, or (by default, and in any case)
    at about [`HF_SHARD_BYTES`][clientocracy.HF_SHARD_BYTES] of data. With
    *segments*, the rows are the flat table of aligned segments
    ([`SEGMENT_COLUMNS`][clientocracy.SEGMENT_COLUMNS]) instead of stories.

    The card's text is clientocracy's dataset card when every story comes
    from the bundled dataset; otherwise it describes the corpus from its
    records (stories, languages, sources). *card* replaces that text with
    your own Markdown, and *metadata* adds or replaces front-matter fields.

    *folder* is created if needed. Files already in it (a clone of a Hub
    repository, say) are left alone, but for `README.md` and the shards of
    an earlier export (`data/train-*-of-*.parquet`), which the new ones
    replace; each file is written whole or not at all. Needs pyarrow:
    `pip install 'clientocracy[parquet]'`.

    Raises:
        ValueError: *shard_rows* or *row_group_size* is below 1.
    """
    if shard_rows is not None and shard_rows < 1:
        raise ValueError(f"shard_rows must be at least 1, not {shard_rows}")
    if row_group_size < 1:
        raise ValueError(f"row_group_size must be at least 1, not {row_group_size}")
    root = os.fspath(folder)
    if os.path.exists(root) and not os.path.isdir(root):
        raise NotADirectoryError(20, "Not a directory", root)
    data = os.path.join(root, "data")
    os.makedirs(data, exist_ok=True)
    tally = _Tally()
    batches = arrow_batches(tally.watch(stories), segments=segments)
    shards, tally.rows = _write_shards(batches, data, segments, shard_rows, row_group_size)
    try:
        names = _shard_names(len(shards))
        fields = _hf_metadata(tally, names, segments)
        fields.update(metadata or {})
        body = _hf_body(tally, names, segments) if card is None else card
        readme = f"---\n{_yaml(fields)}---\n\n{body}"
        if not readme.endswith("\n"):
            readme += "\n"
        for old in os.listdir(data):
            if _SHARD.fullmatch(old) and f"data/{old}" not in names:
                os.remove(os.path.join(data, old))
        for temporary, name in zip(shards, names, strict=True):
            os.replace(temporary, os.path.join(root, *name.split("/")))
    except BaseException:
        for temporary in shards:
            _remove(temporary)
        raise
    from .._io.files import write_atomically

    write_atomically(os.path.join(root, "README.md"), readme.encode("utf-8"))


def _shard_names(count: int) -> list[str]:
    return [f"data/train-{k:05d}-of-{count:05d}.parquet" for k in range(count)]


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


def _write_shards(
    batches: Iterable[Any], data: str, segments: bool, shard_rows: int | None, rows: int
) -> tuple[list[str], int]:
    """Write *batches* to numbered temporary shards in *data*; return their paths, in order."""
    pa = _pyarrow()
    schema = arrow_schema(segments=segments)
    shards: list[str] = []
    limit = shard_rows or 0
    written = 0
    try:
        iterator = iter(batches)
        pending = next(iterator)
        while True:
            path = os.path.join(data, f".train-{len(shards):05d}.parquet.part")
            shards.append(path)
            with open(path, "wb") as file:
                pending, count = _fill_shard(pa, file, schema, rows, limit, pending, iterator)
                file.flush()
                os.fsync(file.fileno())
            written += count
            if pending is None:
                return shards, written
    except BaseException:
        for path in shards:
            _remove(path)
        raise


def _fill_shard(
    pa: Any, file: BinaryIO, schema: Any, rows: int, limit: int, batch: Any, rest: Iterator[Any]
) -> tuple[Any, int]:
    """Fill one shard from *batch* and *rest* until it is full.

    Return what is left over (None at the end) and how many rows went in.
    """
    size = count = 0
    with _GroupWriter(pa, file, schema, rows) as writer:
        while True:
            if limit and count + batch.num_rows > limit:
                writer.add(batch.slice(0, limit - count))
                return batch.slice(limit - count), limit
            writer.add(batch)
            count += batch.num_rows
            size += batch.nbytes
            following = next(rest, None)
            if following is None:
                return None, count
            if count and (size >= HF_SHARD_BYTES or count == limit):
                return following, count
            batch = following


@attrs.define
class _Tally:
    """What the card says of the stories, gathered as they stream past."""

    stories: int = 0
    rows: int = 0
    translated: bool = False
    bundled: bool = True
    tags: dict[str, None] = attrs.field(factory=dict)
    sources: dict[str, Source] = attrs.field(factory=dict)

    def watch(self, stories: Iterable[Story]) -> Iterator[Story]:
        from .._corpus.corpus import Corpus

        known = {story.id: story for story in Corpus.bundled().stories()}
        for story in stories:
            self.stories += 1
            self.translated = self.translated or bool(story.translations)
            self.bundled = self.bundled and known.get(story.id) == story
            self.tags[story.language.id] = None
            for translation in story.translations:
                self.tags[translation.language.id] = None
            for language, _ in (*story.titles, *story.summaries):
                self.tags[language] = None
            self.sources.setdefault(story.source.id, story.source)
            yield story


# The Hub's size categories, each with the count it stays below.
_SIZES = (
    (10**3, "n<1K"),
    (10**4, "1K<n<10K"),
    (10**5, "10K<n<100K"),
    (10**6, "100K<n<1M"),
    (10**7, "1M<n<10M"),
    (10**8, "10M<n<100M"),
    (10**9, "100M<n<1B"),
)


def _size_category(count: int) -> str:
    return next((name for limit, name in _SIZES if count < limit), "other")


def _hf_metadata(tally: _Tally, names: list[str], segments: bool) -> dict[str, object]:
    """The front matter of the card, in the order the Hub's card template lists it."""
    tags = list(tally.tags)
    # The Hub wants ISO 639 codes in `language`; full BCP 47 tags go in
    # `language_details`.
    codes = list(dict.fromkeys(tag.split("-")[0].lower() for tag in tags))
    translated = tally.translated
    fields: dict[str, object] = {
        "pretty_name": _pretty_name(tally),
        "language": codes,
    }
    if codes != tags:
        fields["language_details"] = tags
    multilinguality = ["multilingual"] if len(codes) > 1 else ["monolingual"]
    if translated:
        multilinguality.append("translation")
    fields |= {
        # The source texts belong to their authors and state no license;
        # the card's text says what may be done with them.
        "license": "unknown",
        "annotations_creators": ["expert-generated"],
        "language_creators": ["found", "expert-generated"],
        "multilinguality": multilinguality,
        "size_categories": [_size_category(tally.rows)],
        "source_datasets": ["original"],
        "task_categories": [
            "text-classification",
            "summarization",
            *(["translation"] if translated else []),
        ],
        "task_ids": ["multi-label-classification"],
        "tags": ["customer-service", "stories", "clientocracy"],
        "configs": [
            {
                "config_name": "default",
                # One path, or the list of the shards.
                "data_files": [{"split": "train", "path": names[0] if len(names) == 1 else names}],
            }
        ],
    }
    return fields


def _pretty_name(tally: _Tally) -> str:
    if not tally.bundled:
        return "Stories of customer service"
    # The card's title is "# Dataset card: NAME".
    title = _dataset_card().partition("\n")[0]
    return title.lstrip("# ").rpartition(": ")[2].strip()


def _yaml(value: object, indent: str = "") -> str:
    """*value* (dicts, lists, strings, numbers) as block YAML, every string JSON-quoted.

    A JSON string is a valid YAML scalar, so no text can break the front matter.
    """
    import json

    lines: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(item, Mapping | list) and item:
                lines.append(f"{indent}{key}:\n{_yaml(item, indent + '  ')}")
            else:
                lines.append(f"{indent}{key}: {json.dumps(item, ensure_ascii=False)}\n")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, Mapping) and item:
                first, *rest = _yaml(item, indent + "  ").splitlines(keepends=True)
                lines.append(f"{indent}- {first[len(indent) + 2 :]}")
                lines.extend(rest)
            else:
                lines.append(f"{indent}- {json.dumps(item, ensure_ascii=False)}\n")
    return "".join(lines)


def _dataset_card() -> str:
    """The dataset card of the bundled dataset: `docs/dataset-card.md`, shipped in the wheel."""
    import importlib_resources

    shipped = importlib_resources.files("clientocracy") / "data" / "dataset-card.md"
    try:
        return shipped.read_text(encoding="utf-8")
    except FileNotFoundError:
        # A source checkout (or an editable install) reads the page itself.
        from pathlib import Path

        page = Path(__file__).resolve().parents[3] / "docs" / "dataset-card.md"
        return page.read_text(encoding="utf-8")


def _hf_body(tally: _Tally, names: list[str], segments: bool) -> str:
    from .._version import __version__

    columns = "\n".join(
        f"| `{name}` | `{kind}` | {meaning} |"
        for name, kind, meaning in (SEGMENT_COLUMNS if segments else ARROW_COLUMNS)
    )
    count = tally.stories
    languages = ", ".join(tally.tags) or "none"
    where = (
        f"`{names[0]}`"
        if len(names) == 1
        else f"{len(names)} shards, `{names[0]}` to `{names[-1]}`"
    )
    rows = (
        f"one row per aligned segment of their translations ({tally.rows} rows)"
        if segments
        else "one row per story"
    )
    about = (
        f"This repository holds {count} stor{'y' if count == 1 else 'ies'} "
        f"(languages: {languages}) in {where}, {rows}, "
        f"written by clientocracy {__version__} (schema version {ARROW_SCHEMA_VERSION})."
    )
    files = names[0] if len(names) == 1 else "data/train-*.parquet"
    usage = (
        "## Loading\n\n"
        "```python\n"
        "from datasets import load_dataset\n\n"
        'stories = load_dataset("parquet", data_files="' + files + '")["train"]\n'
        "```\n\n"
        "pandas, Polars, DuckDB, Spark and Dask read the Parquet files directly "
        "(Spark: the folder `data/`, not the repository's root, which holds this card).\n\n"
        "## Columns\n\n"
        "| column | type | meaning |\n| --- | --- | --- |\n"
        f"{columns}\n\n"
        "Only `channel`, and a translation's `review`, may be null. A story's `text` is "
        "always its source text's characters `span_start` to `span_end`; each segment's "
        "`start` and `end` point into the source text in the same way.\n"
    )
    if tally.bundled:
        title, _, rest = _dataset_card().partition("\n")
        return f"{title}\n\n{about}\n\n{usage}{rest}"
    return f"# Dataset card: {_pretty_name(tally)}\n\n{about}\n\n{usage}\n{_sources(tally)}"


def _sources(tally: _Tally) -> str:
    """What the records tell of where the stories come from, for a card of a user corpus."""
    sources = tally.sources
    lines = [
        "## The source texts\n",
        "| id | language | title | what the text says of its origin |",
        "| --- | --- | --- | --- |",
    ]
    for source in sources.values():
        origin = source.origin + (f" <{source.origin_url}>" if source.origin_url else "")
        cells = (source.id, source.language.id, source.title, origin)
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")
