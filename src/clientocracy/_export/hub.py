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
"""Where `write_hf_dataset()` puts the data of a small corpus.

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
    language_configs: bool = False,
) -> None:
    """Write *stories* as a Hugging Face dataset repository in *folder*.

    The folder gets the split `train` as Parquet shards under `data/`
    (`HF_DATA_FILE` for a corpus that fits in
    one; `train-0000K-of-0000N.parquet` otherwise), each written like
    `write_parquet` (streamed, in row groups
    of at most *row_group_size* rows), and a `README.md` dataset card whose
    YAML front matter carries what the Hub reads: language codes, license,
    pretty name, size category, task categories, multilinguality,
    annotation and language creators, source datasets, and `configs`
    listing the shards. Upload the folder as it is, or read it back with
    `datasets.load_dataset(folder)`.

    A shard ends after *shard_rows* rows, or (by default, and in any case)
    at about `HF_SHARD_BYTES` of data. With
    *segments*, the rows are the flat table of aligned segments
    (`SEGMENT_COLUMNS`) instead of stories.

    With *language_configs*, the shards are written per language (of the
    stories, or with *segments* of the translations), under
    `data/<tag>/`, and the card gets a config for each language beside
    `default`, which has them all: `load_dataset(folder, "fa")` reads the
    Persian rows alone.

    The card's text is clientocracy's dataset card when every story comes
    from the bundled dataset; otherwise it describes the corpus from its
    records (stories, languages, sources). *card* replaces that text with
    your own Markdown, and *metadata* adds or replaces front-matter fields.

    The license of the bundled dataset is `other`, named
    `cc-by-4.0-and-source-texts` and linked to the card, whose section on
    licences says what each kind of text allows; for any other corpus it is
    `unknown` until *metadata* gives yours, such as
    `{"license": "cc-by-4.0"}`.

    *folder* is created if needed. Files already in it (a clone of a Hub
    repository, say) are left alone, but for `README.md` and the shards of
    an earlier export (`train-*-of-*.parquet` in `data/` and its folders),
    which the new ones replace; each file is written whole or not at all,
    and a link in the folder is replaced, never written or followed. Needs
    pyarrow: `pip install 'clientocracy[parquet]'`.

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
    os.makedirs(root, exist_ok=True)
    # Shards are written in a folder made for them (a fresh name, so no link
    # planted in the repository can be it), then moved into place.
    import shutil
    import tempfile

    from .._io.files import move_into, write_into

    data = tempfile.mkdtemp(prefix=".clientocracy-export-", dir=root)
    tally = _Tally()
    splits: dict[str, _Shards] = {}
    try:
        batches = arrow_batches(tally.watch(stories), segments=segments)
        _write_splits(
            batches,
            data,
            splits,
            segments,
            row_group_size,
            shard_rows or 0,
            by_language=language_configs,
        )
        tally.rows = sum(shards.rows for shards in splits.values())
        names = {tag: shards.names(tag) for tag, shards in splits.items()}
        every = [name for group in names.values() for name in group]
        readme = _readme(tally, names, segments, card, metadata)
        move_into(
            root,
            {
                name: temporary
                for tag, shards in splits.items()
                for temporary, name in zip(shards.paths, names[tag], strict=True)
            },
        )
        _remove_old_shards(root, set(every))
    except BaseException:
        for shards in splits.values():
            shards.abandon()
        raise
    finally:
        shutil.rmtree(data, ignore_errors=True)
    write_into(root, {"README.md": readme.encode("utf-8")})


def _write_splits(
    batches: Iterable[Any],
    data: str,
    splits: dict[str, _Shards],
    segments: bool,
    row_group_size: int,
    shard_rows: int,
    *,
    by_language: bool,
) -> None:
    """Write *batches* as the shards of one split, or of one split a language, into *data*.

    *splits* is filled as shards are begun, so that a failure can remove them.
    """
    pa = _pyarrow()
    schema = arrow_schema(segments=segments)

    def split(where: str) -> _Shards:
        return _Shards(pa, where, schema, row_group_size, shard_rows)

    if by_language:
        for batch in batches:
            column = batch.column("language")
            for tag in pa.compute.unique(column).to_pylist():
                if tag not in splits:
                    splits[tag] = split(os.path.join(data, tag))
                splits[tag].add(batch.filter(pa.compute.equal(column, tag)))
    else:
        splits[""] = split(data)
        for batch in batches:
            splits[""].add(batch)
    if not splits:  # nothing to write, in no language: one empty shard
        splits[""] = split(data)
    for shards in splits.values():
        shards.finish()


def _readme(
    tally: _Tally,
    names: Mapping[str, list[str]],
    segments: bool,
    card: str | None,
    metadata: Mapping[str, object] | None,
) -> str:
    """The folder's README.md: the YAML front matter the Hub reads, then the card."""
    fields = _hf_metadata(tally, names, segments)
    fields.update(metadata or {})
    if fields.get("license") != "other":
        # A licence the Hub knows by its id needs no name or link of its own.
        for key in ("license_name", "license_link"):
            if key not in (metadata or {}):
                fields.pop(key, None)
    every = [name for group in names.values() for name in group]
    body = _hf_body(tally, every, segments) if card is None else card
    readme = f"---\n{_yaml(fields)}---\n\n{body}"
    return readme if readme.endswith("\n") else readme + "\n"


def _remove_old_shards(root: str, keep: set[str]) -> None:
    """Remove the shards of an earlier export (`data/` and its language folders) but *keep*."""
    data = os.path.join(root, "data")
    if os.path.islink(data):  # never reached: the shards were not moved through it
        return
    for folder, _, files in os.walk(data):
        for name in files:
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, root).replace(os.sep, "/")
            if _SHARD.fullmatch(name) and relative not in keep:
                os.remove(path)


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


class _Shards:
    """The Parquet shards of one split, in one folder, each begun when the last is full."""

    def __init__(self, pa: Any, folder: str, schema: Any, rows: int, limit: int) -> None:
        self._pa, self._folder, self._schema = pa, folder, schema
        self._rows, self._limit = rows, limit
        self._file: BinaryIO | None = None
        self._writer: _GroupWriter | None = None
        self._count = self._bytes = 0
        self.paths: list[str] = []
        self.rows = 0

    def add(self, batch: Any) -> None:
        while batch.num_rows:
            if self._writer is None:
                self._open()
            assert self._writer is not None
            room = self._limit - self._count if self._limit else batch.num_rows
            part = batch.slice(0, room)
            batch = batch.slice(part.num_rows)
            self._writer.add(part)
            self._count += part.num_rows
            self._bytes += part.nbytes
            self.rows += part.num_rows
            if self._count == self._limit or self._bytes >= HF_SHARD_BYTES:
                self._close()

    def finish(self) -> None:
        """Close the last shard; a split with no rows still gets one, empty."""
        if self._writer is None and not self.paths:
            self._open()
        if self._writer is not None:
            self._close()

    def names(self, tag: str) -> list[str]:
        """The shards' names in the repository: under `data/`, or `data/<tag>/`."""
        folder = f"data/{tag}/" if tag else "data/"
        count = len(self.paths)
        return [f"{folder}train-{k:05d}-of-{count:05d}.parquet" for k in range(count)]

    def abandon(self) -> None:
        """Close and remove every shard written so far."""
        if self._file is not None:
            self._file.close()
        for path in self.paths:
            _remove(path)

    def _open(self) -> None:
        os.makedirs(self._folder, exist_ok=True)
        path = os.path.join(self._folder, f".train-{len(self.paths):05d}.parquet.part")
        self.paths.append(path)
        self._file = open(path, "wb")  # noqa: SIM115 - closed in _close or abandon
        self._writer = _GroupWriter(self._pa, self._file, self._schema, self._rows)

    def _close(self) -> None:
        assert self._writer is not None
        assert self._file is not None
        self._writer.__exit__(None, None, None)
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        self._file, self._writer = None, None
        self._count = self._bytes = 0


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


def _hf_metadata(
    tally: _Tally, names: Mapping[str, list[str]], segments: bool
) -> dict[str, object]:
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
        **_hf_licence(tally),
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
        "configs": _configs(names),
    }
    return fields


# The bundled dataset mixes the maintainers' CC BY 4.0 texts with passages of
# source texts that are their authors' and licensed to no one, which no
# licence id of the Hub describes: it is "other", and the card's section on
# licences, in the folder's README.md, says what each kind of text allows.
_BUNDLED_LICENCE = {
    "license": "other",
    "license_name": "cc-by-4.0-and-source-texts",
    "license_link": "README.md",
}


def _hf_licence(tally: _Tally) -> dict[str, str]:
    """The card's licence fields: the bundled dataset's, or "unknown" for any other corpus.

    Only the corpus's owner knows the terms of their own texts; they give
    them with `metadata={"license": ...}`.
    """
    return dict(_BUNDLED_LICENCE) if tally.bundled else {"license": "unknown"}


def _configs(names: Mapping[str, list[str]]) -> list[dict[str, object]]:
    """`default`, with every shard, then one config a language if the shards are by language."""

    def files(paths: list[str]) -> list[dict[str, object]]:
        # One path, or the list of the shards.
        return [{"split": "train", "path": paths[0] if len(paths) == 1 else paths}]

    every = [name for group in names.values() for name in group]
    configs: list[dict[str, object]] = [{"config_name": "default", "data_files": files(every)}]
    configs += [
        {"config_name": tag, "data_files": files(paths)} for tag, paths in names.items() if tag
    ]
    return configs


def _pretty_name(tally: _Tally) -> str:
    if not tally.bundled:
        return "Stories of customer service"
    # The card's title is "# Dataset card: NAME".
    title = _dataset_card().partition("\n")[0]
    return title.lstrip("# ").rpartition(": ")[2].strip()


def _yaml(value: object, indent: str = "") -> str:
    """*value* (dicts, lists, strings, numbers) as block YAML, every string double-quoted.

    A JSON string is a YAML double-quoted scalar, and what YAML would not read
    back exactly (a control character, DEL, C1, a line or paragraph separator,
    a byte order mark, a lone surrogate) is escaped, so no text can break the
    front matter or come back changed.
    """
    lines: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            name = _yaml_key(key)
            if isinstance(item, Mapping | list) and item:
                lines.append(f"{indent}{name}:\n{_yaml(item, indent + '  ')}")
            else:
                lines.append(f"{indent}{name}: {_yaml_scalar(item)}\n")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, Mapping) and item:
                first, *rest = _yaml(item, indent + "  ").splitlines(keepends=True)
                lines.append(f"{indent}- {first[len(indent) + 2 :]}")
                lines.extend(rest)
            else:
                lines.append(f"{indent}- {_yaml_scalar(item)}\n")
    return "".join(lines)


# What a YAML double-quoted scalar must not hold raw: anything outside YAML's
# printable set, and the characters YAML takes for line breaks or a BOM.
_YAML_UNSAFE = re.compile(
    "[^\t\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\x85\u2028\u2029\ufeff]"
)
_YAML_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
# Plain words that YAML 1.1 reads as booleans or null, not as strings.
_YAML_WORDS = {"y", "n", "yes", "no", "true", "false", "on", "off", "null"}


def _yaml_scalar(value: object) -> str:
    import json

    text = json.dumps(value, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _yaml_key(key: object) -> str:
    text = str(key)
    plain = _YAML_PLAIN_KEY.fullmatch(text) and text.lower() not in _YAML_WORDS
    return text if plain else _yaml_scalar(text)


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
        "| id | language | title | what the text says of its origin | licence | rights |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for source in sources.values():
        origin = source.origin + (f" <{source.origin_url}>" if source.origin_url else "")
        cells = (
            source.id,
            source.language.id,
            source.title,
            origin,
            source.license or "not stated",
            source.rights or "not stated",
        )
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")
