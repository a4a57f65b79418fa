"""Stories as Apache Arrow record batches and tables, and as Parquet files and folders.

pyarrow is an optional dependency (the `parquet` extra), so nothing here
imports it at module level: `import clientocracy` stays light, and only a
call that needs Arrow asks for it.
"""

from __future__ import annotations

import array
import errno
import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from .._records import Story
from .records import SEGMENT_COLUMNS, SOURCE_LICENSE_COLUMN

if TYPE_CHECKING:
    from concurrent.futures import Future

    import pyarrow

__all__ = [
    "ARROW_COLUMNS",
    "ARROW_SCHEMA_VERSION",
    "ROW_GROUP_BYTES",
    "ROW_GROUP_ROWS",
    "ExtraNotInstalledError",
    "arrow_batches",
    "arrow_schema",
    "to_arrow",
    "write_parquet",
]

ARROW_SCHEMA_VERSION = 2
"""The version of `ARROW_COLUMNS`.

Every table and Parquet file carries it in its schema metadata, under the
key `clientocracy.schema`. It grows when a column is renamed, retyped,
removed or moved. Version 2 put `source_license` after `text`, where the
CSV export has it, so that the first columns of both stay the same.
"""

# The columns that may hold null: what the data may leave unsaid.
_NULLABLE = frozenset({"channel", "source_license", "translation_license"})

_TEXTS = "list<struct<language: string, text: string>>"
_SEGMENT = "struct<start: int64, end: int64, original: string, text: string, paragraph: bool>"
_TRANSLATION = (
    "struct<language: string, translator: string, review: string, license: string, "
    "text: string, "
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
    SOURCE_LICENSE_COLUMN,
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
fourteen are the columns of the CSV export, in its order. A list type is
written `list<…>` where Arrow prints `list<item: …>`.
"""

ROW_GROUP_ROWS = 10_000
"""The most rows a row group of a Parquet file holds, unless a writer is told otherwise.

A row group is the unit Spark, Dask and DuckDB read in parallel, so a file
of many groups is read by many tasks. A group also stops short of this
when its data reach about 64 MB (`ROW_GROUP_BYTES`),
which stories with long translations do first.
"""

ROW_GROUP_BYTES = 64 * 1024 * 1024
"""About the most bytes of Arrow data a row group of a written Parquet file holds.

It bounds the memory a writer needs, as much as the size of the groups.
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
        import pyarrow.compute
        import pyarrow.parquet  # the writers need the submodules loaded
    except ImportError as error:
        from .._errors import install_command

        raise ExtraNotInstalledError(
            "Arrow and Parquet need pyarrow, which is not installed; "
            f"install it with: {install_command(_EXTRA)}"
        ) from error
    return pyarrow


def arrow_schema(*, segments: bool = False) -> pyarrow.Schema:
    """Return the Arrow schema of `to_arrow`, with its metadata.

    Its columns are `ARROW_COLUMNS` or, with
    *segments*, `SEGMENT_COLUMNS`. Only
    `channel`, `source_license` (and, in `translations`, `review` and `license`) may be
    null. Needs
    pyarrow: `pip install 'clientocracy[parquet]'`.

    ```pycon
    >>> schema = clientocracy.arrow_schema()
    >>> schema.names[:3], schema.metadata
    (['id', 'title', 'title_en'], {b'clientocracy.schema': b'2'})
    >>> clientocracy.arrow_schema(segments=True).names[:4]
    ['story', 'source_language', 'language', 'segment']

    ```
    """
    pa = _pyarrow()
    types = {
        "string": pa.string(),
        "int64": pa.int64(),
        "list<string>": pa.list_(pa.string()),
        _TEXTS: pa.list_(_texts_type(pa)),
        f"list<{_TRANSLATION}>": pa.list_(_translation_type(pa)),
    }
    columns = SEGMENT_COLUMNS if segments else ARROW_COLUMNS
    fields = [pa.field(name, types[kind], nullable=name in _NULLABLE) for name, kind, _ in columns]
    return pa.schema(fields, metadata={"clientocracy.schema": str(ARROW_SCHEMA_VERSION)})


def _texts_type(pa: Any) -> Any:
    return pa.struct([("language", pa.string()), ("text", pa.string())])


def _segment_type(pa: Any) -> Any:
    return pa.struct(
        [
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("original", pa.string()),
            ("text", pa.string()),
            ("paragraph", pa.bool_()),
        ]
    )


def _translation_type(pa: Any) -> Any:
    return pa.struct(
        [
            ("language", pa.string()),
            ("translator", pa.string()),
            ("review", pa.string()),
            ("license", pa.string()),
            ("text", pa.string()),
            ("segments", pa.list_(_segment_type(pa))),
        ]
    )


# -- record batches ---------------------------------------------------------------

# How many stories are turned into Arrow at a time: small enough that the
# Python objects of a batch stay small, large enough to amortize each call.
_BATCH_STORIES = 512


def arrow_batches(
    stories: Iterable[Story], *, segments: bool = False, batch_size: int = _BATCH_STORIES
) -> Iterator[pyarrow.RecordBatch]:
    """Yield *stories* as Arrow record batches, of the schema of `arrow_schema()`.

    The stories are read *batch_size* at a time as the batches are asked
    for, so a consumer that writes each batch away (a Parquet writer, a
    `pyarrow.RecordBatchReader`, DuckDB) holds one batch at a time however
    large the corpus. With *segments*, each batch holds the flat rows of
    `SEGMENT_COLUMNS` of *batch_size*
    stories' translations, and stories without translations add no row. At
    least one batch is yielded, empty if there is nothing to write. Needs
    pyarrow: `pip install 'clientocracy[parquet]'`.

    ```pycon
    >>> batches = clientocracy.arrow_batches(clientocracy.stories(), batch_size=4)
    >>> [batch.num_rows for batch in batches]
    [4, 4, 2]

    ```
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    pa = _pyarrow()
    schema = arrow_schema(segments=segments)
    make = _segment_arrays if segments else _story_arrays
    iterator = iter(stories)
    empty = True
    while chunk := list(itertools.islice(iterator, batch_size)):
        batch = pa.RecordBatch.from_arrays(make(pa, chunk), schema=schema)
        if batch.num_rows or empty:
            empty = False
            yield batch
    if empty:
        yield pa.RecordBatch.from_pylist([], schema=schema)


def _story_arrays(pa: Any, stories: list[Story]) -> list[Any]:
    """The columns of ARROW_COLUMNS for *stories*, each made and converted in turn."""
    strings: tuple[Callable[[Story], str | None], ...] = (
        lambda s: s.id,
        lambda s: s.title,
        lambda s: s.title_en,
        lambda s: s.summary,
        lambda s: s.company.id,
        lambda s: s.company.name,
    )
    after: tuple[Callable[[Story], str | None], ...] = (
        lambda s: s.language.id,
        lambda s: s.source.id,
    )
    return [
        *(_strings(pa, [value(story) for story in stories]) for value in strings),
        _string_lists(pa, [[p.id for p in s.principles] for s in stories]),
        *(_strings(pa, [value(story) for story in stories]) for value in after),
        _ints(pa, [s.span.start for s in stories]),
        _ints(pa, [s.span.end for s in stories]),
        _strings(pa, [s.channel for s in stories]),
        _strings(pa, [s.text for s in stories]),
        _strings(pa, [s.source.license for s in stories]),
        _strings(pa, [s.language.name for s in stories]),
        _string_lists(pa, [[language.id for language in s.languages] for s in stories]),
        _strings(pa, [s.company.country for s in stories]),
        _strings(pa, [s.company.industry for s in stories]),
        _string_lists(pa, [[p.name for p in s.principles] for s in stories]),
        _texts_array(pa, [s.titles for s in stories]),
        _texts_array(pa, [s.summaries for s in stories]),
        _translations_array(pa, stories),
    ]


# The arrays are made from buffers rather than with `pyarrow.array`, for two
# reasons. pyarrow reads a `str` through CPython's cached UTF-8 view, which
# then lives as long as the string: exporting a corpus held in memory would
# leave a UTF-8 copy of every title and segment beside it (hundreds of
# megabytes for a large corpus) long after the export, where the bytes made
# here go away with the batch. And `pyarrow.array` imports pandas, where it
# is installed, to ask whether a list is one of its objects: a second and
# 50 MB that an export does not need.

_MAX_OFFSET = 2**31 - 1


def _ints(pa: Any, values: list[int]) -> Any:
    """An int64 array of *values*."""
    data = pa.py_buffer(array.array("q", values))
    return pa.Array.from_buffers(pa.int64(), len(values), [None, data])


def _bools(pa: Any, values: list[bool]) -> Any:
    """A boolean array of *values* (Arrow packs booleans in bits; this converts bytes)."""
    data = pa.py_buffer(bytes(values))
    return pa.Array.from_buffers(pa.uint8(), len(values), [None, data]).cast(pa.bool_())


def _offsets(pa: Any, sizes: Iterable[int]) -> Any:
    """The int32 offsets of lists of *sizes*: 0, then each running total."""
    ends = array.array("i", itertools.accumulate(sizes, initial=0))
    return pa.Array.from_buffers(pa.int32(), len(ends), [None, pa.py_buffer(ends)])


def _strings(pa: Any, values: list[str | None]) -> Any:
    """A string array of *values*, None a null."""
    encoded = [b"" if v is None else v.encode() for v in values]
    ends = array.array("q", itertools.accumulate(map(len, encoded), initial=0))
    if ends[-1] > _MAX_OFFSET:
        # More than one array's worth: let pyarrow say so, as it always did.
        return pa.array(values, pa.string())
    validity = None
    if None in values:
        validity = _bools(pa, [v is not None for v in values]).buffers()[1]
    buffers = [validity, pa.py_buffer(array.array("i", ends)), pa.py_buffer(b"".join(encoded))]
    return pa.Array.from_buffers(pa.string(), len(values), buffers)


def _string_lists(pa: Any, lists: list[list[str]]) -> Any:
    """A list<string> array of *lists*."""
    values = _strings(pa, [item for items in lists for item in items])
    return pa.ListArray.from_arrays(_offsets(pa, map(len, lists)), values)


def _texts_array(pa: Any, pairs: list[tuple[tuple[str, str], ...]]) -> Any:
    """`list<struct<language, text>>` from each story's (language, text) pairs."""
    flat = [pair for story in pairs for pair in story]
    values = pa.StructArray.from_arrays(
        [
            _strings(pa, [tag for tag, _ in flat]),
            _strings(pa, [t for _, t in flat]),
        ],
        fields=list(_texts_type(pa)),
    )
    return pa.ListArray.from_arrays(
        _offsets(pa, map(len, pairs)), values, type=pa.list_(_texts_type(pa))
    )


def _translations_array(pa: Any, stories: list[Story]) -> Any:
    """The nested `translations` column, built from flat lists rather than a dict a segment."""
    translations = [t for story in stories for t in story.translations]
    segments = [segment for t in translations for segment in t.segments]
    segment_values = pa.StructArray.from_arrays(
        [
            _ints(pa, [s.span.start for s in segments]),
            _ints(pa, [s.span.end for s in segments]),
            _strings(pa, [s.original for s in segments]),
            _strings(pa, [s.text for s in segments]),
            _bools(pa, [s.paragraph for s in segments]),
        ],
        fields=list(_segment_type(pa)),
    )
    segment_lists = pa.ListArray.from_arrays(
        _offsets(pa, (len(t.segments) for t in translations)),
        segment_values,
        type=pa.list_(_segment_type(pa)),
    )
    values = pa.StructArray.from_arrays(
        [
            _strings(pa, [t.language.id for t in translations]),
            _strings(pa, [t.translator for t in translations]),
            _strings(pa, [t.review for t in translations]),
            _strings(pa, [t.license for t in translations]),
            _strings(pa, [t.text for t in translations]),
            segment_lists,
        ],
        fields=list(_translation_type(pa)),
    )
    return pa.ListArray.from_arrays(
        _offsets(pa, (len(s.translations) for s in stories)),
        values,
        type=pa.list_(_translation_type(pa)),
    )


def _segment_arrays(pa: Any, stories: list[Story]) -> list[Any]:
    """The columns of SEGMENT_COLUMNS for the segments of *stories*' translations."""
    rows = [
        (story, translation, number, segment)
        for story in stories
        for translation in story.translations
        for number, segment in enumerate(translation.segments)
    ]
    return [
        _strings(pa, [story.id for story, _, _, _ in rows]),
        _strings(pa, [story.language.id for story, _, _, _ in rows]),
        _strings(pa, [translation.language.id for _, translation, _, _ in rows]),
        _ints(pa, [number for _, _, number, _ in rows]),
        _ints(pa, [segment.span.start for *_, segment in rows]),
        _ints(pa, [segment.span.end for *_, segment in rows]),
        _strings(pa, [segment.original for *_, segment in rows]),
        _strings(pa, [segment.text for *_, segment in rows]),
        _strings(pa, [story.source.license for story, _, _, _ in rows]),
        _strings(pa, [translation.license for _, translation, _, _ in rows]),
    ]


def to_arrow(stories: Iterable[Story], *, segments: bool = False) -> pyarrow.Table:
    """Return *stories* as an Arrow table: one row per story, every field a column.

    The columns are `ARROW_COLUMNS`; texts
    are exactly the records' strings. With *segments*, the table is the
    flat one of aligned segments instead, one row a segment, in the columns
    of `SEGMENT_COLUMNS` (the rows of
    `segment_rows()`). From the table,
    `table.to_pandas()` gives a pandas DataFrame and
    `polars.from_arrow(table)` a Polars one, and DuckDB queries it by name.
    The table is held in memory whole: for a large corpus, write it with
    `write_parquet` or read it in batches with
    `arrow_batches`. Needs pyarrow:
    `pip install 'clientocracy[parquet]'`.

    ```pycon
    >>> table = clientocracy.to_arrow(clientocracy.stories(language="fa"))
    >>> table.num_rows, table.column("company_name").to_pylist()
    (2, ['Nordstrom', 'Zappos'])
    >>> segments = clientocracy.to_arrow(clientocracy.stories(language="fa"), segments=True)
    >>> segments.column_names[:4]
    ['story', 'source_language', 'language', 'segment']

    ```
    """
    pa = _pyarrow()
    batches = list(arrow_batches(stories, segments=segments))
    return pa.Table.from_batches(batches, schema=arrow_schema(segments=segments))


# -- Parquet files and folders ---------------------------------------------------

PartitionBy = Literal["language"]
"""A column a Parquet export can be partitioned by, for type checkers."""


def write_parquet(
    stories: Iterable[Story],
    path: str | os.PathLike[str],
    *,
    segments: bool = False,
    partition_by: PartitionBy | None = None,
    row_group_size: int = ROW_GROUP_ROWS,
) -> None:
    """Write *stories* to the Parquet file *path*: the table of `to_arrow`.

    The stories are read and written a batch at a time, so memory holds
    about two row groups (one being written while the next is made), not
    the corpus (a corpus compiled to a file, see `compile`, reads its
    stories as they are asked for). Row groups hold at most
    *row_group_size* rows and about 64 MB, so Spark, Dask and DuckDB read a
    large file in parallel. The
    file is written whole or not at all (a temporary file in the same
    folder, then a rename), compressed with Zstandard, which pandas, Polars,
    DuckDB, Spark and Dask all read.

    With *segments*, the file holds the flat table of aligned segments
    instead (`SEGMENT_COLUMNS`).

    With `partition_by="language"`, *path* is a folder of Hive-style
    partitions instead, `language=<tag>/part-00000.parquet`, one for each
    language (of the stories, or with *segments* of the translations); the
    column itself lives in the folder names, where Spark, DuckDB
    (`hive_partitioning`), Dask and pyarrow find it. The folder must not
    exist, or be empty; it is filled beside it and renamed into place, so
    it too is written whole or not at all.

    Needs pyarrow: `pip install 'clientocracy[parquet]'`.

    Raises:
        ValueError: *row_group_size* is below 1, or *partition_by* is not
            `"language"`.
        FileExistsError: With *partition_by*, *path* exists and is not an
            empty folder.
    """
    if row_group_size < 1:
        raise ValueError(f"row_group_size must be at least 1, not {row_group_size}")
    if partition_by not in (None, "language"):
        raise ValueError(f"cannot partition by {partition_by!r}; only by 'language'")
    pa = _pyarrow()
    schema = arrow_schema(segments=segments)
    batches = arrow_batches(stories, segments=segments)
    if partition_by is None:
        from .._io.files import write_atomically

        def fill(file: BinaryIO) -> None:
            with _GroupWriter(pa, file, schema, row_group_size) as writer:
                for batch in batches:
                    writer.add(batch)

        write_atomically(path, fill)
    else:
        _write_folder(path, lambda folder: _write_partitions(pa, batches, folder, row_group_size))


class _GroupWriter:
    """A Parquet writer that gathers batches into row groups of a bounded size.

    A full group is encoded and compressed on a thread of its own while the
    next one is made: pyarrow lets go of the GIL to write, so the two use
    two cores. One group is written at a time, in order, so memory holds at
    most the group being written and the one being gathered.
    """

    def __init__(self, pa: Any, file: BinaryIO | str, schema: Any, rows: int) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._pa = pa
        self._writer = pa.parquet.ParquetWriter(file, schema, compression="zstd")
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="clientocracy-parquet")
        self._writing: Future[None] | None = None
        self._schema = schema
        self._rows = rows
        self._pending: list[Any] = []
        self._count = 0
        self._bytes = 0
        self.written = 0

    def add(self, batch: Any) -> None:
        while batch.num_rows:
            room = self._rows - self._count
            # Rows that fit in the bytes left, at the batch's average row size.
            fit = (ROW_GROUP_BYTES - self._bytes) * batch.num_rows // max(batch.nbytes, 1)
            part = batch.slice(0, max(1, min(room, fit)))
            batch = batch.slice(part.num_rows)
            self._pending.append(part)
            self._count += part.num_rows
            self._bytes += part.nbytes
            if self._count >= self._rows or self._bytes >= ROW_GROUP_BYTES:
                self.flush()

    def flush(self) -> None:
        if self._pending:
            table = self._pa.Table.from_batches(self._pending, schema=self._schema)
            self._wait()
            self._writing = self._thread.submit(self._write, table, self._count)
            self.written += self._count
        self._pending, self._count, self._bytes = [], 0, 0

    def _write(self, table: Any, rows: int) -> None:
        self._writer.write_table(table, row_group_size=rows)

    def _wait(self) -> None:
        """Wait for the group being written, and raise what writing it raised."""
        writing, self._writing = self._writing, None
        if writing is not None:
            writing.result()

    def __enter__(self) -> _GroupWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                self.flush()
                self._wait()
        finally:
            # Never close the file under a write: let the thread finish first.
            self._thread.shutdown(wait=True)
            self._writer.close()


def _write_partitions(pa: Any, batches: Iterable[Any], folder: str, rows: int) -> None:
    """Write *batches* as Hive-style partitions of *folder*, one writer per language."""
    from contextlib import ExitStack
    from urllib.parse import quote

    writers: dict[str, _GroupWriter] = {}
    # Every writer is closed, whatever fails: each one's thread is let go, and
    # the folder is removed whole by the caller.
    with ExitStack() as stack:
        for batch in batches:
            column = batch.column("language")
            kept = [name for name in batch.schema.names if name != "language"]
            for tag in pa.compute.unique(column).to_pylist():
                part = batch.filter(pa.compute.equal(column, tag)).select(kept)
                writer = writers.get(tag)
                if writer is None:
                    where = os.path.join(folder, f"language={quote(tag, safe='')}")
                    os.mkdir(where)
                    file = os.path.join(where, "part-00000.parquet")
                    writer = _GroupWriter(pa, file, part.schema, rows)
                    writers[tag] = stack.enter_context(writer)
                writer.add(part)


def _write_folder(path: str | os.PathLike[str], fill: Callable[[str], object]) -> None:
    """Make the folder *path* whole or not at all: *fill* a new folder beside it, then rename.

    *path* must not exist, or be an empty folder.
    """
    import shutil
    import tempfile

    target = os.path.abspath(os.fspath(path))
    if os.path.lexists(target):
        if not os.path.isdir(target):
            raise FileExistsError(errno.EEXIST, "Exists and is not a folder", target)
        if os.listdir(target):
            raise FileExistsError(
                errno.EEXIST, "Folder is not empty; remove it or name a new one", target
            )
    parent, name = os.path.split(target)
    os.makedirs(parent, exist_ok=True)
    temporary = tempfile.mkdtemp(prefix=f".{name}.", dir=parent)
    try:
        fill(temporary)
        # mkdtemp makes a private folder; give it the mode mkdir would.
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(temporary, 0o777 & ~umask)
        if os.path.isdir(target):
            os.rmdir(target)
        os.rename(temporary, target)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
