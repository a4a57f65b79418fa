"""Stories as an Apache Arrow table, a Parquet file, and a Hugging Face dataset folder.

pyarrow is an optional dependency (the `parquet` extra), so nothing here
imports it at module level: `import clientocracy` stays light, and only a
call that needs Arrow asks for it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO

from .._records import Story

if TYPE_CHECKING:
    import pyarrow

__all__ = [
    "ARROW_COLUMNS",
    "ARROW_SCHEMA_VERSION",
    "HF_DATA_FILE",
    "ExtraNotInstalledError",
    "arrow_schema",
    "to_arrow",
    "write_hf_dataset",
    "write_parquet",
]

ARROW_SCHEMA_VERSION = 1
"""The version of `ARROW_COLUMNS`.

Every table and Parquet file carries it in its schema metadata, under the
key `clientocracy.schema`. It grows only when a column is renamed, retyped
or removed; new columns are added at the end without a new version.
"""

_TEXTS = "list<struct<language: string, text: string>>"
_SEGMENT = "struct<start: int64, end: int64, original: string, text: string, paragraph: bool>"
_TRANSLATION = (
    "struct<language: string, translator: string, review: string, text: string, "
    f"segments: list<{_SEGMENT}>>"
)

ARROW_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("id", "string", "the story's id"),
    ("title", "string", "the title in the story's own language"),
    ("title_en", "string", "the English title"),
    ("summary", "string", "the English summary"),
    ("company", "string", "the company's id"),
    ("company_name", "string", "the company's name"),
    ("principles", "list<string>", "the ids of the principles the story shows"),
    ("language", "string", "the BCP 47 tag of the language the story was told in"),
    ("source", "string", "the id of the source text"),
    ("span_start", "int64", "where the passage starts in the source text, in code points"),
    ("span_end", "int64", "where the passage ends (exclusive)"),
    ("channel", "string", "how the company learned of the need, or null where the text is silent"),
    ("text", "string", "the passage, exactly as the source text has it"),
    ("language_name", "string", "the English name of the story's language"),
    ("languages", "list<string>", "every language the story reads in, its own first"),
    ("company_country", "string", "the company's ISO 3166-1 alpha-2 country code"),
    ("company_industry", "string", "the company's industry"),
    ("principle_names", "list<string>", "the English names of the principles, in that order"),
    ("titles", _TEXTS, "the title in every language it has, its own language first"),
    ("summaries", _TEXTS, "the summary in every language it has"),
    ("translations", f"list<{_TRANSLATION}>", "the passage in other languages, aligned"),
)
"""The columns of the Arrow table and the Parquet file: one row per story.

`to_arrow()` and
`write_parquet()` write them, each as
`(name, Arrow type, meaning)`. The first
thirteen are the columns of the CSV export, in its order. A list type is
written `list<…>` where Arrow prints `list<item: …>`.
"""

HF_DATA_FILE = "data/train-00000-of-00001.parquet"
"""Where `write_hf_dataset()` puts the data, in its folder.

The name the Hub gives the one file of a split.
"""

_EXTRA = "parquet"


class ExtraNotInstalledError(ImportError):
    """An optional dependency that a call needs is not installed.

    The message names the extra that installs it, such as
    `pip install 'clientocracy[parquet]'`. A subclass of `ImportError`.
    """


def _pyarrow() -> Any:
    """Import pyarrow and pyarrow.parquet, or raise a one-line error naming the extra."""
    try:
        import pyarrow
        import pyarrow.parquet  # the writers need the submodule loaded
    except ImportError as error:
        from .._errors import install_command

        raise ExtraNotInstalledError(
            "Arrow and Parquet need pyarrow, which is not installed; "
            f"install it with: {install_command(_EXTRA)}"
        ) from error
    return pyarrow


def arrow_schema() -> pyarrow.Schema:
    """Return the Arrow schema of `to_arrow()`, with its metadata.

    Its columns are `ARROW_COLUMNS`. Only
    `channel` (and, in `translations`, `review`) may be null. Needs
    pyarrow: `pip install 'clientocracy[parquet]'`.

    ```pycon
    >>> schema = clientocracy.arrow_schema()
    >>> schema.names[:3], schema.metadata
    (['id', 'title', 'title_en'], {b'clientocracy.schema': b'1'})

    ```
    """
    pa = _pyarrow()
    texts = pa.list_(pa.struct([("language", pa.string()), ("text", pa.string())]))
    segment = pa.struct(
        [
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("original", pa.string()),
            ("text", pa.string()),
            ("paragraph", pa.bool_()),
        ]
    )
    translation = pa.struct(
        [
            ("language", pa.string()),
            ("translator", pa.string()),
            ("review", pa.string()),
            ("text", pa.string()),
            ("segments", pa.list_(segment)),
        ]
    )
    types = {
        "string": pa.string(),
        "int64": pa.int64(),
        "list<string>": pa.list_(pa.string()),
        _TEXTS: texts,
        f"list<{_TRANSLATION}>": pa.list_(translation),
    }
    fields = [
        pa.field(name, types[kind], nullable=name == "channel") for name, kind, _ in ARROW_COLUMNS
    ]
    return pa.schema(fields, metadata={"clientocracy.schema": str(ARROW_SCHEMA_VERSION)})


def _texts(pairs: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    return [{"language": language, "text": text} for language, text in pairs]


def _columns(stories: Iterable[Story]) -> dict[str, list[Any]]:
    from .records import _translation as as_translation

    columns: dict[str, list[Any]] = {name: [] for name, _, _ in ARROW_COLUMNS}
    for story in stories:
        company = story.company
        row = (
            story.id,
            story.title,
            story.title_en,
            story.summary,
            company.id,
            company.name,
            [p.id for p in story.principles],
            story.language.id,
            story.source.id,
            story.span.start,
            story.span.end,
            story.channel,
            story.text,
            story.language.name,
            [language.id for language in story.languages],
            company.country,
            company.industry,
            [p.name for p in story.principles],
            _texts(story.titles),
            _texts(story.summaries),
            # The shape of a translation in as_dict(), so JSON and Arrow agree.
            [as_translation(translation) for translation in story.translations],
        )
        for values, value in zip(columns.values(), row, strict=True):
            values.append(value)
    return columns


def to_arrow(stories: Iterable[Story]) -> pyarrow.Table:
    """Return *stories* as an Arrow table: one row per story, every field a column.

    The columns are `ARROW_COLUMNS`; texts
    are exactly the records' strings. From the table, `table.to_pandas()`
    gives a pandas DataFrame and `polars.from_arrow(table)` a Polars one,
    and DuckDB queries it by name. Needs pyarrow:
    `pip install 'clientocracy[parquet]'`.

    ```pycon
    >>> table = clientocracy.to_arrow(clientocracy.stories(language="fa"))
    >>> table.num_rows, table.column("company_name").to_pylist()
    (2, ['Nordstrom', 'Zappos'])

    ```
    """
    pa = _pyarrow()
    return pa.Table.from_pydict(_columns(stories), schema=arrow_schema())


def write_parquet(stories: Iterable[Story], path: str | os.PathLike[str]) -> None:
    """Write *stories* to the Parquet file *path*: the table of `to_arrow()`.

    The file is written whole or not at all (a temporary file in the same
    folder, then a rename), compressed with Zstandard, which pandas,
    Polars, DuckDB, Spark and Dask all read. Needs pyarrow:
    `pip install 'clientocracy[parquet]'`.
    """
    table = to_arrow(stories)
    from .._io.files import write_atomically

    write_atomically(path, lambda file: _write_table(table, file))


def _write_table(table: pyarrow.Table, file: BinaryIO) -> None:
    pq = _pyarrow().parquet
    pq.write_table(table, file, compression="zstd")


# -- the Hugging Face dataset folder -------------------------------------------


def write_hf_dataset(
    stories: Iterable[Story],
    folder: str | os.PathLike[str],
    *,
    card: str | None = None,
    metadata: Mapping[str, object] | None = None,
) -> None:
    """Write *stories* as a Hugging Face dataset repository in *folder*.

    The folder gets `HF_DATA_FILE` (the
    Parquet file of `write_parquet()`, as the
    split `train`) and a `README.md` dataset card whose YAML front
    matter carries what the Hub reads: language codes, license, pretty name,
    size category, task categories, multilinguality, annotation and
    language creators, source datasets, and `configs` naming the data
    file. Upload the folder as it is, or read it back with
    `datasets.load_dataset(folder)`.

    The card's text is clientocracy's dataset card when every story comes
    from the bundled dataset; otherwise it describes the corpus from its
    records (stories, languages, sources). *card* replaces that text with
    your own Markdown, and *metadata* adds or replaces front-matter fields.

    The license of the bundled dataset is `other`, named
    `cc-by-4.0-and-source-texts` and linked to the card, whose section on
    licences says what each kind of text allows; for any other corpus it is
    `unknown` until *metadata* gives yours, such as
    `{"license": "cc-by-4.0"}`.

    *folder* is created if needed; files already in it (a clone of a Hub
    repository, say) are left alone but for the two written, each of which
    is replaced whole or not at all; a link in the folder is replaced, never
    written through. Needs pyarrow:
    `pip install 'clientocracy[parquet]'`.
    """
    stories = tuple(stories)
    table = to_arrow(stories)
    root = os.fspath(folder)
    if os.path.exists(root) and not os.path.isdir(root):
        raise NotADirectoryError(20, "Not a directory", root)
    fields = _hf_metadata(stories)
    fields.update(metadata or {})
    if fields.get("license") != "other":
        # A licence the Hub knows by its id needs no name or link of its own.
        for key in ("license_name", "license_link"):
            if key not in (metadata or {}):
                fields.pop(key, None)
    readme = f"---\n{_yaml(fields)}---\n\n{_hf_body(stories) if card is None else card}"
    if not readme.endswith("\n"):
        readme += "\n"
    from .._io.files import write_into

    # Written relative to the folder, following no link inside it: a clone
    # of a Hub repository may have been made by someone else.
    write_into(
        root,
        {
            HF_DATA_FILE: lambda file: _write_table(table, file),
            "README.md": readme.encode("utf-8"),
        },
    )


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


def _languages(stories: Sequence[Story]) -> list[str]:
    """Every language the stories are told or translated in, in order of first appearance.

    Titles and summaries do not count: an English title on a story told
    only in Russian gives no English text to read.
    """
    tags: dict[str, None] = {}
    for story in stories:
        tags[story.language.id] = None
        for translation in story.translations:
            tags[translation.language.id] = None
    return list(tags)


def _hf_metadata(stories: Sequence[Story]) -> dict[str, object]:
    """The front matter of the card, in the order the Hub's card template lists it."""
    tags = _languages(stories)
    # The Hub wants ISO 639 codes in `language`; full BCP 47 tags go in
    # `language_details`.
    codes = list(dict.fromkeys(tag.split("-")[0].lower() for tag in tags))
    translated = any(story.translations for story in stories)
    fields: dict[str, object] = {
        "pretty_name": _pretty_name(stories),
        "language": codes,
    }
    if codes != tags:
        fields["language_details"] = tags
    multilinguality = ["multilingual"] if len(codes) > 1 else ["monolingual"]
    if translated:
        multilinguality.append("translation")
    fields |= {
        **_hf_licence(stories),
        "annotations_creators": ["expert-generated"],
        "language_creators": ["found", "expert-generated"],
        "multilinguality": multilinguality,
        "size_categories": [_size_category(len(stories))],
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
                "data_files": [{"split": "train", "path": HF_DATA_FILE}],
            }
        ],
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


def _hf_licence(stories: Sequence[Story]) -> dict[str, str]:
    """The card's licence fields: the bundled dataset's, or "unknown" for any other corpus.

    Only the corpus's owner knows the terms of their own texts; they give
    them with `metadata={"license": ...}`.
    """
    return dict(_BUNDLED_LICENCE) if _all_bundled(stories) else {"license": "unknown"}


def _all_bundled(stories: Sequence[Story]) -> bool:
    from .._corpus.corpus import Corpus

    bundled = {story.id: story for story in Corpus.bundled().stories()}
    return all(bundled.get(story.id) == story for story in stories)


def _pretty_name(stories: Sequence[Story]) -> str:
    if not _all_bundled(stories):
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


def _hf_body(stories: Sequence[Story]) -> str:
    from .._version import __version__

    columns = "\n".join(
        f"| `{name}` | `{kind}` | {meaning} |" for name, kind, meaning in ARROW_COLUMNS
    )
    count = len(stories)
    languages = ", ".join(_languages(stories)) or "none"
    about = (
        f"This repository holds {count} stor{'y' if count == 1 else 'ies'} "
        f"(languages: {languages}) in `{HF_DATA_FILE}`, one row per story, "
        f"written by clientocracy {__version__} (schema version {ARROW_SCHEMA_VERSION})."
    )
    usage = (
        "## Loading\n\n"
        "```python\n"
        "from datasets import load_dataset\n\n"
        'stories = load_dataset("parquet", data_files="' + HF_DATA_FILE + '")["train"]\n'
        "```\n\n"
        "pandas, Polars, DuckDB, Spark and Dask read the Parquet file directly.\n\n"
        "## Columns\n\n"
        "| column | type | meaning |\n| --- | --- | --- |\n"
        f"{columns}\n\n"
        "Only `channel`, and a translation's `review`, may be null. A story's `text` is "
        "always its source text's characters `span_start` to `span_end`; each segment's "
        "`start` and `end` point into the source text in the same way.\n"
    )
    if _all_bundled(stories):
        title, _, rest = _dataset_card().partition("\n")
        return f"{title}\n\n{about}\n\n{usage}{rest}"
    return f"# Dataset card: {_pretty_name(stories)}\n\n{about}\n\n{usage}\n{_sources(stories)}"


def _sources(stories: Sequence[Story]) -> str:
    """What the records tell of where the stories come from, for a card of a user corpus."""
    sources = {story.source.id: story.source for story in stories}
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
