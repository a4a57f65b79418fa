"""The storage of a compiled corpus: writing the SQLite file, and reading records from it.

See `_compiled.py` for what a compiled corpus is; the schema below is
documented for users in `docs/compiled-corpora.md`.
"""

from __future__ import annotations

import array
import contextlib
import itertools
import json
import os
import sqlite3
import stat
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC
from typing import TYPE_CHECKING, Any

import attrs

from .._errors import CorpusError
from .._io.sqlite_guard import MAX_VALUE_BYTES, GuardedFile
from .._io.strict_json import MAX_STRING_CHARS
from .._messages import N_, Message, at
from .._normalize import close_matches, name_key
from .._records import (
    MAX_TRANSLATIONS,
    Company,
    Language,
    Principle,
    Quote,
    Segment,
    Source,
    Span,
    Story,
    Translation,
    checked_segment,
)
from .._version import __version__
from . import row_checks as check
from .compiled import (
    APPLICATION_ID,
    FORMAT,
    FORMAT_VERSION,
    HEADER,
    Provenance,
    StaleCorpusWarning,
    _sha256_of,
    changed_catalogs,
    is_compiled,
    read_stamps,
)
from .memory import BoundedCache, MaskCache, Origin, Store, facet_keys, mask_of

if TYPE_CHECKING:
    from pathlib import Path

    from .._corpus.corpus import Corpus
    from .._search.index import SearchIndex

__all__ = ["CompiledStore", "compile_corpus", "open_compiled", "verify"]

# The schema. Lists and objects of language tag → text are JSON text, which
# SQLite's JSON functions and Datasette read; everything a person filters
# on is a column of its own.
_SCHEMA = """
CREATE TABLE corpus_info (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE languages (
    id TEXT PRIMARY KEY,
    position INTEGER UNIQUE,
    name TEXT NOT NULL,
    native_name TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('ltr', 'rtl')),
    aliases TEXT NOT NULL,
    defined_at TEXT
);
CREATE TABLE companies (
    id TEXT PRIMARY KEY,
    position INTEGER UNIQUE,
    name TEXT NOT NULL,
    aliases TEXT NOT NULL,
    industry TEXT NOT NULL,
    country TEXT NOT NULL,
    defined_at TEXT
);
CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    position INTEGER UNIQUE,
    language TEXT NOT NULL REFERENCES languages (id),
    title TEXT NOT NULL,
    title_en TEXT,
    titles TEXT NOT NULL,
    chars INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    origin TEXT NOT NULL,
    origin_url TEXT,
    origin_start INTEGER,
    origin_end INTEGER,
    tags TEXT NOT NULL,
    license TEXT,
    rights TEXT,
    defined_at TEXT,
    -- Last: reading a column after a long text means walking all its pages.
    text TEXT NOT NULL
);
CREATE TABLE principles (
    id TEXT PRIMARY KEY,
    position INTEGER UNIQUE,
    name TEXT NOT NULL,
    names TEXT NOT NULL,
    aliases TEXT NOT NULL,
    definition TEXT,
    definitions TEXT NOT NULL,
    statement_source TEXT NOT NULL REFERENCES sources (id),
    statement_start INTEGER NOT NULL,
    statement_end INTEGER NOT NULL,
    defined_at TEXT
);
CREATE TABLE stories (
    position INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    id_key TEXT NOT NULL,
    title TEXT NOT NULL,
    title_en TEXT,
    summary TEXT,
    titles TEXT NOT NULL,
    summaries TEXT NOT NULL,
    company TEXT NOT NULL REFERENCES companies (id),
    language TEXT NOT NULL REFERENCES languages (id),
    source TEXT NOT NULL REFERENCES sources (id),
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    channel TEXT,
    defined_at TEXT,
    text TEXT NOT NULL
);
CREATE TABLE story_principles (
    story INTEGER NOT NULL REFERENCES stories (position),
    position INTEGER NOT NULL,
    principle TEXT NOT NULL REFERENCES principles (id),
    PRIMARY KEY (story, position)
) WITHOUT ROWID;
CREATE TABLE translations (
    story INTEGER NOT NULL REFERENCES stories (position),
    position INTEGER NOT NULL,
    language TEXT NOT NULL REFERENCES languages (id),
    translator TEXT NOT NULL,
    review TEXT,
    license TEXT,
    PRIMARY KEY (story, position)
) WITHOUT ROWID;
CREATE TABLE segments (
    story INTEGER NOT NULL REFERENCES stories (position),
    translation INTEGER NOT NULL,
    position INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    original TEXT NOT NULL,
    text TEXT NOT NULL,
    paragraph INTEGER NOT NULL,
    PRIMARY KEY (story, translation, position)
);
CREATE TABLE name_keys (
    facet TEXT NOT NULL,
    key TEXT NOT NULL,
    id TEXT NOT NULL
);
CREATE TABLE facet_index (
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    stories INTEGER NOT NULL,
    bitmap BLOB,
    positions BLOB,
    PRIMARY KEY (facet, value)
) WITHOUT ROWID;
"""
# Created after the rows are in: building an index once is faster than
# keeping it up to date row by row.
_INDEXES = """
CREATE INDEX stories_id_key ON stories (id_key);
CREATE INDEX stories_company ON stories (company);
CREATE INDEX stories_language ON stories (language);
CREATE INDEX story_principles_principle ON story_principles (principle);
"""
_TABLES = (
    "corpus_info",
    "languages",
    "companies",
    "sources",
    "principles",
    "stories",
    "story_principles",
    "translations",
    "segments",
    "facet_index",
    "name_keys",
    "search_index",
)
_FACETS = {"c": "company", "l": "language", "p": "principle"}


# -- writing ---------------------------------------------------------------------


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _refuse_to_overwrite(target: Path) -> None:
    # lstat and read_head never wait: a named pipe is refused, not opened.
    try:
        existing = os.stat(target)
    except FileNotFoundError:
        return
    except OSError as error:
        raise type(error)(error.errno, error.strerror, str(target)) from None
    if stat.S_ISDIR(existing.st_mode):
        raise IsADirectoryError(
            21, "a folder, not a file; name the file to write, such as stories.sqlite", str(target)
        )
    if not stat.S_ISREG(existing.st_mode) or not is_compiled(target):
        raise FileExistsError(
            17,
            "exists and is not a compiled clientocracy corpus; not overwriting it",
            str(target),
        )


def compile_corpus(
    corpus: Corpus, path: str | os.PathLike[str], *, timings: dict[str, float] | None = None
) -> Path:
    """Write *corpus* to the SQLite file *path*, whole or not at all; return the path.

    *timings*, if given, receives the seconds each step took (for the benchmarks).
    """
    # pathlib (with urllib and ipaddress) only when writing: opening a
    # compiled file, what every command on one does, needs none of it.
    import tempfile
    from pathlib import Path

    if not os.fspath(path):
        raise FileNotFoundError(2, "an empty file name; name the file to write", "")
    target = Path(os.fspath(path)).absolute()
    _refuse_to_overwrite(target)
    fd, temporary = tempfile.mkstemp(
        prefix=".clientocracy-", suffix=".sqlite.tmp", dir=target.parent
    )
    os.close(fd)
    try:
        with _removed_on_signal(temporary):
            _fill(temporary, corpus, _Laps({} if timings is None else timings))
            os.chmod(temporary, 0o644 & ~_umask())
            os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return target


class _Laps:
    """The seconds each step of compiling takes, for the benchmarks."""

    def __init__(self, steps: dict[str, float]) -> None:
        import time

        self.steps = steps
        self._clock = time.perf_counter
        self._last = self._clock()

    def __call__(self, step: str) -> None:
        now = self._clock()
        self.steps[step] = self.steps.get(step, 0.0) + now - self._last
        self._last = now


@contextlib.contextmanager
def _removed_on_signal(temporary: str) -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into an exception while *temporary* is written, so that
    the file is removed, as it is on Ctrl-C; elsewhere than the main thread, do nothing."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(number: int, frame: object) -> None:
        raise SystemExit(128 + number)

    saved = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) == signal.SIG_DFL:
            saved[number] = signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


def _fill(temporary: str, corpus: Corpus, lap: _Laps) -> None:
    from datetime import datetime

    from .._search.index import fill_index
    from .._search.schema import create_index_table

    db = sqlite3.connect(temporary)
    try:
        # Texts are stored as UTF-16: Python decodes it about thirty times
        # faster than UTF-8 for Cyrillic or Persian, which matters when a
        # source text of megabytes is read. SQLite clients see TEXT as usual.
        db.executescript(
            "PRAGMA encoding = 'UTF-16le'; PRAGMA journal_mode = OFF; "
            "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;"
        )
        db.executescript(_SCHEMA)
        create_index_table(db, "search_index")
        with db:
            counts = _Writer(db, corpus).run()
            lap("records")
            fill_index(db, "search_index", corpus._store)
            db.execute("INSERT INTO search_index (search_index) VALUES ('optimize')")
            lap("search_index")
            db.executescript(_INDEXES)
            info = {
                "format": FORMAT,
                "format_version": str(FORMAT_VERSION),
                "clientocracy_version": __version__,
                "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "catalogs": _json(_stamps(corpus._store.origins)),
                "sqlite_version": sqlite3.sqlite_version,
                **{name: str(count) for name, count in counts.items()},
            }
            db.executemany("INSERT INTO corpus_info VALUES (?, ?)", sorted(info.items()))
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {FORMAT_VERSION}")
        db.execute("PRAGMA journal_mode = DELETE")
    finally:
        db.close()
    lap("other")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _stamps(origins: Iterable[Origin]) -> list[dict[str, object]]:
    """The catalogs a corpus came from, with their hashes if they are unchanged since."""
    stamps = []
    for path, size, mtime_ns in origins:
        sha = ""
        try:
            info = os.stat(path)
            if (info.st_size, info.st_mtime_ns) == (size, mtime_ns):
                sha = _sha256_of(path)
        except OSError:
            pass
        stamps.append({"catalog": path, "sha256": sha, "size": size, "mtime_ns": mtime_ns})
    return stamps


class _Writer:
    """Writes a corpus's records into the tables of a new compiled file."""

    def __init__(self, db: sqlite3.Connection, corpus: Corpus) -> None:
        self.db = db
        self.corpus = corpus
        self.vocabularies = corpus._store.vocabularies()
        # Records that stories or other records refer to but the corpus does
        # not list (the bundled source that a borrowed principle quotes, say)
        # are written too, without a position.
        self.written: dict[str, dict[str, Any]] = {facet: {} for facet in _INSERTS}
        self.referred: dict[str, dict[str, Any]] = {facet: {} for facet in _INSERTS}
        self.positions: dict[str, list[int]] = {}
        self.translations = 0
        self.principle_rows: list[tuple[int, int, str]] = []
        self.translation_rows: list[tuple[int, int, str, str, str | None, str | None]] = []
        self.segment_rows: list[tuple[int, int, int, int, int, str, str, int]] = []

    def defined(self, facet: str, id: str) -> str | None:
        where = self.corpus.place(facet, id)
        return None if where == "(built in code)" else where

    def write(self, facet: str, records: Iterable[Any], *, listed: bool) -> None:
        """Insert the records of *facet* not written yet, with positions if *listed*."""
        sql, row = _INSERTS[facet]
        new = [r for r in records if r.id not in self.written[facet]]
        for r in new:
            self.written[facet][r.id] = r
        self.db.executemany(
            sql, (row(r, n if listed else None, self.defined) for n, r in enumerate(new))
        )

    def run(self) -> dict[str, int]:
        languages, companies, principles = self.vocabularies
        sources = self.corpus.sources()
        self.write("language", languages, listed=True)
        self.write("company", companies, listed=True)
        self.write("source", sources, listed=True)
        self.write("principle", principles, listed=True)
        self.db.executemany(
            "INSERT INTO stories VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self.story_rows(),
        )
        self.flush()
        self.write_referred()
        self.write_name_keys()
        size = len(self.corpus._store)
        self.db.executemany(
            "INSERT INTO facet_index VALUES (?, ?, ?, ?, ?)",
            (_facet_row(key, numbers, size) for key, numbers in self.positions.items()),
        )
        return {
            "stories": size,
            "companies": len(companies),
            "principles": len(principles),
            "languages": len(languages),
            "sources": len(sources),
            "translations": self.translations,
        }

    def write_referred(self) -> None:
        referred, written = self.referred, self.written
        self.write("company", referred["company"].values(), listed=False)
        self.write("principle", referred["principle"].values(), listed=False)
        for principle in written["principle"].values():
            referred["source"][principle.statement.source.id] = principle.statement.source
        self.write("source", referred["source"].values(), listed=False)
        for source in written["source"].values():
            referred["language"][source.language.id] = source.language
        self.write("language", referred["language"].values(), listed=False)

    def write_name_keys(self) -> None:
        # The keys that names resolve by, so that opening the file need not
        # normalize every name of every company again.
        languages, companies, principles = self.vocabularies
        key_rows: list[tuple[str, str, str]] = []
        for language in languages:
            key_rows += [("language", name_key(name), language.id) for name in language.names]
        for company in companies:
            key_rows += [("company", name_key(name), company.id) for name in company.names]
        for principle in principles:
            key_rows += [
                ("principle", name_key(name), principle.id) for name in principle.all_names
            ]
        self.db.executemany("INSERT INTO name_keys VALUES (?, ?, ?)", key_rows)

    def story_rows(self) -> Iterator[tuple[object, ...]]:
        for number, story in enumerate(self.corpus.stories()):
            for key in facet_keys(story):
                self.positions.setdefault(key, []).append(number)
            self.refer(story)
            self.principle_rows.extend((number, n, p.id) for n, p in enumerate(story.principles))
            self.add_translations(number, story)
            titles, summaries = dict(story.titles), dict(story.summaries)
            yield (
                number,
                story.id,
                name_key(story.id),
                titles[story.language.id],
                titles.get("en"),
                summaries.get("en"),
                _json(titles),
                _json(summaries),
                story.company.id,
                story.language.id,
                story.source.id,
                story.span.start,
                story.span.end,
                story.channel,
                self.defined("story", story.id),
                story.text,
            )
            if len(self.principle_rows) > 50_000:
                self.flush()

    def refer(self, story: Story) -> None:
        referred = self.referred
        referred["company"][story.company.id] = story.company
        referred["source"][story.source.id] = story.source
        for principle in story.principles:
            referred["principle"][principle.id] = principle
        for translation in story.translations:
            referred["language"][translation.language.id] = translation.language

    def add_translations(self, number: int, story: Story) -> None:
        for t_number, translation in enumerate(story.translations):
            self.translations += 1
            self.translation_rows.append(
                (
                    number,
                    t_number,
                    translation.language.id,
                    translation.translator,
                    translation.review,
                    translation.license,
                )
            )
            self.segment_rows.extend(
                (
                    number,
                    t_number,
                    s_number,
                    segment.span.start,
                    segment.span.end,
                    segment.original,
                    segment.text,
                    int(segment.paragraph),
                )
                for s_number, segment in enumerate(translation.segments)
            )

    def flush(self) -> None:
        db = self.db
        db.executemany("INSERT INTO story_principles VALUES (?, ?, ?)", self.principle_rows)
        db.executemany("INSERT INTO translations VALUES (?, ?, ?, ?, ?, ?)", self.translation_rows)
        db.executemany("INSERT INTO segments VALUES (?, ?, ?, ?, ?, ?, ?, ?)", self.segment_rows)
        self.principle_rows.clear()
        self.translation_rows.clear()
        self.segment_rows.clear()


def _facet_row(key: str, numbers: list[int], size: int) -> tuple[object, ...]:
    """A facet value's row: its stories as a bitmap if it has at least one story in
    256, else as a list of positions.

    A bitmap costs a bit per story of the corpus, so storing one for every
    value grew as values × stories (100,000 companies of one story each made
    gigabytes); with this rule a value costs at most 32 bytes per story it
    has, and a mask is made from a list of at most 1 in 256 positions in well
    under a millisecond at a million stories.
    """
    bitmap_bytes = (size + 7) // 8
    if 32 * len(numbers) >= bitmap_bytes:
        bitmap = mask_of(numbers, size).to_bytes(bitmap_bytes, "little")
        return (_FACETS[key[0]], key[1:], len(numbers), bitmap, None)
    listed = array.array("I", numbers)
    if sys.byteorder == "big":  # pragma: no cover - stored little-endian everywhere
        listed.byteswap()
    return (_FACETS[key[0]], key[1:], len(numbers), None, listed.tobytes())


Defined = Callable[[str, str], "str | None"]


def _language_row(r: Language, n: int | None, defined: Defined) -> tuple[object, ...]:
    return (
        r.id,
        n,
        r.name,
        r.native_name,
        r.direction,
        _json(r.aliases),
        defined("language", r.id),
    )


def _company_row(r: Company, n: int | None, defined: Defined) -> tuple[object, ...]:
    return (r.id, n, r.name, _json(r.aliases), r.industry, r.country, defined("company", r.id))


def _source_row(r: Source, n: int | None, defined: Defined) -> tuple[object, ...]:
    return (
        r.id,
        n,
        r.language.id,
        r.title,
        dict(r.titles).get("en"),
        _json(dict(r.titles)),
        len(r.text),
        r.sha256,
        r.origin,
        r.origin_url,
        r.origin_span.start if r.origin_span else None,
        r.origin_span.end if r.origin_span else None,
        _json(r.tags),
        r.license,
        r.rights,
        defined("source", r.id),
        r.text,
    )


def _principle_row(r: Principle, n: int | None, defined: Defined) -> tuple[object, ...]:
    return (
        r.id,
        n,
        r.name,
        _json(dict(r.names)),
        _json(r.aliases),
        dict(r.definitions).get("en"),
        _json(dict(r.definitions)),
        r.statement.source.id,
        r.statement.span.start,
        r.statement.span.end,
        defined("principle", r.id),
    )


_INSERTS: dict[str, tuple[str, Callable[[Any, int | None, Defined], tuple[object, ...]]]] = {
    "language": ("INSERT INTO languages VALUES (?, ?, ?, ?, ?, ?, ?)", _language_row),
    "company": ("INSERT INTO companies VALUES (?, ?, ?, ?, ?, ?, ?)", _company_row),
    "source": (
        "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _source_row,
    ),
    "principle": (
        "INSERT INTO principles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _principle_row,
    ),
}


def _check_header(header: bytes, size: int, shown: str) -> None:
    """Refuse a file that is not a whole compiled corpus of this format version."""
    if not header.startswith(HEADER) or len(header) < 100:
        raise _refused(shown, N_("not a compiled corpus (not a SQLite database)"))
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise _refused(
            shown,
            N_(
                "a SQLite database, but not a compiled clientocracy corpus; "
                "rebuild it with `clientocracy build CORPUS -o FILE`"
            ),
        )
    version = int.from_bytes(header[60:64], "big")
    if version != FORMAT_VERSION:
        raise _refused(
            shown,
            N_(
                "a compiled corpus of format version {version}; this release of clientocracy "
                "({release}) reads version {wanted}; "
                "rebuild it with `clientocracy build CORPUS -o FILE`"
            ),
            version=version,
            release=__version__,
            wanted=FORMAT_VERSION,
        )
    if int.from_bytes(header[56:60], "big") != 2:  # UTF-16le, as compile writes
        raise _refused(
            shown,
            N_(
                "not a compiled corpus of this format (text encoding); "
                "rebuild it with `clientocracy build CORPUS -o FILE`"
            ),
        )
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count is valid when the two change counters agree (SQLite ≥ 3.7).
    if header[24:28] == header[92:96] and size < pages * page_size:
        raise _refused(
            shown,
            N_(
                "damaged: the file has {size} bytes but its header says {expected}; it was cut "
                "short (an interrupted copy?); rebuild it with `clientocracy build CORPUS -o FILE`"
            ),
            size=size,
            expected=pages * page_size,
        )


def _refused(shown: str, template: str, **args: object) -> CorpusError:
    """The error of one problem with the compiled file *shown*."""
    return CorpusError([at(shown, Message(template, **args))])


_EXPECTED: list[list[tuple[Any, ...]]] = []


def expected_schema() -> list[tuple[Any, ...]]:
    """Every object of the schema `compile` writes, as ``sqlite_master`` lists it."""
    if not _EXPECTED:
        from .._search.schema import create_index_table

        db = sqlite3.connect(":memory:")
        try:
            db.executescript(_SCHEMA)
            create_index_table(db, "search_index")
            db.executescript(_INDEXES)
            _EXPECTED.append(
                db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
            )
        finally:
            db.close()
    return _EXPECTED[0]


def open_compiled(path: str | os.PathLike[str]) -> CompiledStore:
    """Open the compiled corpus in *path*; see `load()`.

    Raises `CorpusError` for anything but a
    regular file that holds a compiled corpus of exactly this release's
    schema.
    """
    import warnings

    shown = os.fspath(path)
    if not os.path.lexists(shown):
        raise _refused(shown, N_("no such compiled corpus file"))
    store = CompiledStore(shown)
    changed = store.changed_catalogs()
    if changed:
        warnings.warn(StaleCorpusWarning(shown, changed), stacklevel=4)
    return store


_SOURCE_COLUMNS = (
    "id, language, titles, chars, sha256, origin, origin_url, origin_start, origin_end, tags,"
    " license, rights"
)
# The slot of Source that holds its text, which _LazySource fills on first use.
_TEXT_SLOT: Any = Source.__dict__["text"]


class _LazySource(Source):
    """A source of a compiled corpus that reads its text from the file on first use.

    It is a `Source` in every way, and equal to a
    plain one with the same fields; a story needs its source, but listing
    stories should not read megabytes of text that nobody shows.
    """

    __slots__ = ("_chars", "_store")

    _chars: int
    _store: CompiledStore

    @property
    def text(self) -> str:
        try:
            text: str = _TEXT_SLOT.__get__(self, Source)
        except AttributeError:
            # Not kept in the record: the store's cache of texts is bounded,
            # where the records a caller holds (every story of an export,
            # say) are not.
            return self._store.source_text(self.id)
        return text

    @text.setter
    def text(self, value: str) -> None:
        _TEXT_SLOT.__set__(self, value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Source):
            return NotImplemented
        if self is other:
            return True
        return all(
            getattr(self, field.name) == getattr(other, field.name)
            for field in attrs.fields(Source)
        )

    __hash__ = Source.__hash__

    def __reduce__(self) -> tuple[Any, ...]:
        return (_plain_source, (attrs.asdict(self, recurse=False),))

    def __repr__(self) -> str:
        return f"Source(id={self.id!r}, language={self.language.id!r}, chars={self._chars})"


def _plain_source(fields: dict[str, Any]) -> Source:
    return Source(**fields)


class CompiledStore(Store):
    """The records of a compiled corpus, made from its rows as they are read.

    Every value is checked before a record is made of it (see
    `row_checks`); a problem is a `CorpusError`
    that names the file, the table and the row.
    """

    # How many source records to keep made: stories of one source are
    # usually read together (a filter's results are in corpus order). A
    # source reads its text only when asked for it, and the texts read are
    # kept up to TEXT_CACHE bytes in all (as Python strings), so that reading
    # every story of a large corpus does not end up holding every text.
    SOURCE_CACHE = 256
    TEXT_CACHE = 32 * 2**20
    MASK_CACHE = 64
    BATCH = 256

    def __init__(self, path: str) -> None:
        self.path = path
        self._guard = GuardedFile(path, path)
        try:
            _check_header(self._guard.head(100), self._guard.size, path)
            self._db = self._guard.connect()
            self._guard.check_schema(expected_schema())
            self._lock = threading.RLock()
            self._closed = False
            info = self._read_info()
        except BaseException:
            self._guard.close()
            raise
        self._info = info
        self._vocab: tuple[tuple[Language, ...], tuple[Company, ...], tuple[Principle, ...]] | None
        self._vocab = None
        self._by_id: dict[str, dict[str, Any]] = {}
        self._sources = BoundedCache[Source](self.SOURCE_CACHE)
        self._texts = BoundedCache[str](self.TEXT_CACHE, sys.getsizeof)
        self._masks = MaskCache(self.MASK_CACHE)
        self._search: SearchIndex | None = None

    def _read_info(self) -> dict[str, str]:
        """Read and check `corpus_info`, and the stories' count against the table."""
        info: dict[str, str] = {}
        with self._row("corpus_info", "the table"):
            for key, value in self._rows("SELECT key, value FROM corpus_info LIMIT 64"):
                info[check.text(key, "key", limit=64)] = check.text(value, key)
            if info.get("format") != FORMAT:
                raise check.RowProblem(f"key format: expected {FORMAT!r}")
            if info.get("format_version") != str(FORMAT_VERSION):
                raise check.RowProblem(f"key format_version: expected {FORMAT_VERSION}")
            self._count = check.count(info.get("stories"), "stories")
            self._has_translations = check.count(info.get("translations", "0"), "translations") > 0
        with self._row("corpus_info", "catalogs"):
            self._stamps = read_stamps(info.get("catalogs", "[]"))
        self.origins = tuple((s.catalog, s.size, s.mtime_ns) for s in self._stamps)
        # Both ends of the rowid's b-tree, in two queries (SQLite reads one end
        # for min() or max() alone, but scans the table for both at once); a
        # gap between them is found when the missing story is asked for, and
        # by verify().
        ((low,),) = self._rows("SELECT min(position) FROM stories")
        ((high,),) = self._rows("SELECT max(position) FROM stories")
        if (low, high) != ((0, self._count - 1) if self._count else (None, None)):
            raise CorpusError(
                [
                    f"{self.path}: damaged: corpus_info says {self._count} stories, but the "
                    f"stories table holds positions {low} to {high}; rebuild it with "
                    "`clientocracy build`"
                ]
            )
        return info

    def __len__(self) -> int:
        return self._count

    # -- rows ---------------------------------------------------------------

    def _rows(self, sql: str, parameters: Sequence[object] = ()) -> list[Any]:
        with self._lock:
            self.check_open()
            with self._guard.guarded():
                return self._db.execute(sql, parameters).fetchall()

    def _row(self, table: str, row: object, how: str = "") -> _RowCheck:
        """Make records of a row of *table*: any problem with its values is a
        `CorpusError` that names the file, the table and the row (*how* *row*)."""
        return _RowCheck(self.path, table, row, how)

    def check_open(self) -> None:
        """Raise `ValueError` if the file was closed: its rows can no longer be read."""
        if self._closed:
            raise ValueError(
                f"{self.path}: the compiled corpus was closed; open it again with load()"
            )

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._guard.close()

    def provenance(self) -> Provenance:
        info = self._info
        return Provenance(
            file=self.path,
            format_version=FORMAT_VERSION,
            clientocracy_version=info.get("clientocracy_version", ""),
            built_at=info.get("built_at", ""),
            catalogs=tuple((s.catalog, s.sha256) for s in self._stamps),
        )

    def changed_catalogs(self) -> list[str]:
        """The catalogs this file was built from that have changed since (see
        `_compiled.changed_catalogs` for what is read to tell)."""
        return changed_catalogs(self._stamps)

    # -- vocabularies and sources ---------------------------------------------

    def vocabularies(
        self,
    ) -> tuple[tuple[Language, ...], tuple[Company, ...], tuple[Principle, ...]]:
        vocab = self._vocab
        if vocab is None:
            with self._lock:
                vocab = self._vocab
                if vocab is None:
                    vocab = self._vocab = self._read_vocabularies()
        return vocab

    def _read_vocabularies(
        self,
    ) -> tuple[tuple[Language, ...], tuple[Company, ...], tuple[Principle, ...]]:
        # Records without a position are not the corpus's own, only referred
        # to (see _Writer): found by id, never listed.
        def listed(rows: list[tuple[Any, int | None]]) -> tuple[Any, ...]:
            return tuple(record for record, position in rows if position is not None)

        languages = [
            self._make_language(row)
            for row in self._rows(
                "SELECT id, name, native_name, direction, aliases, position FROM languages "
                "ORDER BY position"
            )
        ]
        companies = [
            self._make_company(row)
            for row in self._rows(
                "SELECT id, name, aliases, industry, country, position FROM companies "
                "ORDER BY position"
            )
        ]
        self._by_id["language"] = {r.id: r for r, _ in languages}
        self._by_id["company"] = {r.id: r for r, _ in companies}
        principles = [
            self._make_principle(row)
            for row in self._rows(
                "SELECT id, names, aliases, definitions, statement_source, statement_start, "
                "statement_end, position FROM principles ORDER BY position"
            )
        ]
        self._by_id["principle"] = {r.id: r for r, _ in principles}
        return listed(languages), listed(companies), listed(principles)

    def _make_language(self, row: Sequence[Any]) -> tuple[Language, int | None]:
        id, name, native, direction, aliases, position = row
        with self._row("languages", repr(id)):
            return Language(
                id=check.ident(id, "id"),
                name=check.text(name, "name"),
                native_name=check.text(native, "native_name"),
                direction=check.direction(direction, "direction"),
                aliases=check.json_texts(aliases, "aliases"),
            ), check.position(position, "position", optional=True)

    def _make_company(self, row: Sequence[Any]) -> tuple[Company, int | None]:
        id, name, aliases, industry, country, position = row
        with self._row("companies", repr(id)):
            return Company(
                id=check.ident(id, "id"),
                name=check.text(name, "name"),
                aliases=check.json_texts(aliases, "aliases"),
                industry=check.text(industry, "industry"),
                country=check.country(country, "country"),
            ), check.position(position, "position", optional=True)

    def _make_principle(self, row: Sequence[Any]) -> tuple[Principle, int | None]:
        id, names, aliases, definitions, source_id, start, end, position = row
        with self._row("principles", repr(id)):
            source = self._referred_source(source_id, "statement_source")
            return Principle(
                id=check.ident(id, "id"),
                names=check.json_names(names, "names", ("en",)),
                aliases=check.json_texts(aliases, "aliases"),
                definitions=check.json_names(definitions, "definitions", ("en",)),
                statement=Quote(source=source, span=_span(start, end, source, "statement")),
            ), check.position(position, "position", optional=True)

    def _referred_source(self, id: object, column: str) -> _LazySource:
        source = self.source(check.ident(id, column))
        if not isinstance(source, _LazySource):
            raise check.RowProblem(f"column {column}: no source {id!r} in the file")
        return source

    def name_keys(self) -> dict[str, list[tuple[str, str]]] | None:
        languages, companies, principles = self.vocabularies()
        known = {
            "language": {r.id for r in languages},
            "company": {r.id for r in companies},
            "principle": {r.id for r in principles},
        }
        keys: dict[str, list[tuple[str, str]]] = {}
        for number, (facet, key, id) in enumerate(
            self._rows("SELECT facet, key, id FROM name_keys ORDER BY rowid")
        ):
            with self._row("name_keys", number + 1):
                if facet not in known or id not in known[facet]:
                    raise check.RowProblem(f"names {facet!r} {id!r}, which the file does not list")
                keys.setdefault(facet, []).append((check.text(key, "key"), id))
        return keys

    def _language(self, id: object) -> Language:
        if "language" not in self._by_id:  # read first of all the vocabularies
            self.vocabularies()
        found = self._by_id["language"].get(id) if isinstance(id, str) else None
        if found is None:
            raise check.RowProblem(f"no language {id!r} in the file")
        language: Language = found
        return language

    def source(self, id: str) -> Source | None:
        found = self._sources.get(id)
        if found is not None:
            return found
        rows = self._rows(f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE id = ?", (id,))
        if not rows:
            return None
        return self._sources.put(id, self._make_source(rows[0]))

    def _make_source(self, row: Sequence[Any]) -> Source:
        id, language_id, titles, chars, sha256, origin, url, start, end, tags, license, rights = row
        with self._row("sources", repr(id)):
            language = self._language(language_id)
            if (start is None) != (end is None):
                raise check.RowProblem("columns origin_start, origin_end: both or neither")
            fields = (
                ("id", check.ident(id, "id")),
                ("language", language),
                ("titles", check.json_names(titles, "titles", (language.id, "en"))),
                ("sha256", check.sha256(sha256, "sha256")),
                ("origin", check.text(origin, "origin")),
                ("origin_url", check.text(url, "origin_url", optional=True)),
                ("origin_span", None if start is None else _span(start, end, None, "origin")),
                ("tags", check.json_texts(tags, "tags")),
                ("license", check.license(license, "license")),
                ("rights", check.text(rights, "rights", optional=True)),
                ("_store", self),
                ("_chars", check.position(chars, "chars", high=MAX_VALUE_BYTES // 2)),
            )
        source = _LazySource.__new__(_LazySource)
        for name, value in fields:
            object.__setattr__(source, name, value)
        return source

    def source_text(self, id: str) -> str:
        """The whole text of source *id*, read from the file and checked (or kept from before)."""
        text = self._texts.get(id)
        if text is None:
            text = self._texts.put(id, self._read_text(id))
        return text

    def _read_text(self, id: str) -> str:
        rows = self._rows("SELECT CAST(text AS BLOB), chars FROM sources WHERE id = ?", (id,))
        with self._row("sources", repr(id)):
            if not rows:
                raise check.RowProblem("the row is gone")
            data, chars = rows[0]
            if not isinstance(data, bytes):
                raise check.RowProblem("column text: expected text")
            text: str = data.decode("utf-16-le")
            if len(text) != chars:
                raise check.RowProblem(f"column text: {len(text)} characters, not {chars}")
        return text

    def sources(self) -> tuple[Source, ...]:
        return tuple(
            self._make_source(row)
            for row in self._rows(
                f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE position IS NOT NULL "
                "ORDER BY position"
            )
        )

    def passages(self, positions: Sequence[int]) -> dict[int, str]:
        """The passages of the stories at *positions*, without reading their sources."""
        found: dict[int, str] = {}
        for start in range(0, len(positions), 500):
            chunk = positions[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            for position, begin, end, text in self._rows(
                f"SELECT position, span_start, span_end, text FROM stories "
                f"WHERE position IN ({marks})",
                chunk,
            ):
                with self._row("stories", position, "at position"):
                    check.text(text, "text", limit=MAX_VALUE_BYTES)
                    if not isinstance(begin, int) or len(text) != (end - begin):
                        raise check.RowProblem("column text: not as long as its span")
                found[position] = text
        return found

    def source_ids(self) -> list[str]:
        rows = self._rows("SELECT id FROM sources WHERE position IS NOT NULL ORDER BY position")
        with self._row("sources", "ids"):
            return [check.ident(id, "id") for (id,) in rows]

    def place(self, facet: str, id: str) -> str | None:
        table = {
            "language": "languages",
            "company": "companies",
            "principle": "principles",
            "source": "sources",
            "story": "stories",
        }.get(facet)
        if table is None:
            return None
        rows = self._rows(f"SELECT defined_at FROM {table} WHERE id = ?", (id,))
        with self._row(table, repr(id)):
            return check.text(rows[0][0], "defined_at", optional=True) if rows else None

    # -- stories ------------------------------------------------------------

    def story_at(self, position: int) -> Story:
        if not 0 <= position < self._count:
            raise IndexError(f"story collection index out of range: {position}")
        return self._make_stories([position])[0]

    def iterate(self, positions: Iterable[int]) -> Iterator[Story]:
        if isinstance(positions, range) and positions.step == 1:
            for start in range(positions.start, positions.stop, self.BATCH):
                yield from self._make_range(start, min(start + self.BATCH, positions.stop))
            return
        iterator = iter(positions)
        while chunk := list(itertools.islice(iterator, self.BATCH)):
            yield from self._make_stories(chunk)

    def _make_range(self, start: int, stop: int) -> list[Story]:
        return self._make("BETWEEN ? AND ?", (start, stop - 1), list(range(start, stop)))

    def _make_stories(self, positions: list[int]) -> list[Story]:
        if not positions:
            return []
        unique = sorted(set(positions))
        if unique[-1] - unique[0] + 1 == len(unique):
            return self._make("BETWEEN ? AND ?", (unique[0], unique[-1]), positions)
        marks = ", ".join("?" * len(unique))
        return self._make(f"IN ({marks})", unique, positions)

    def _make(self, where: str, parameters: Sequence[int], positions: list[int]) -> list[Story]:
        self.vocabularies()
        rows = self._rows(
            "SELECT position, id, titles, summaries, company, source, span_start, span_end, "
            f"channel FROM stories WHERE position {where}",
            parameters,
        )
        principles = self._story_principles(where, parameters)
        translations = self._translations(where, parameters) if self._has_translations else {}
        made: dict[int, Story] = {}
        for row in rows:
            position = row[0]
            with self._row("stories", position, "at position"):
                made[position] = self._make_story(
                    row, principles.get(position, ()), translations.get(position, ())
                )
        for position in positions:
            if position not in made:
                with self._row("stories", position, "at position"):
                    raise check.RowProblem("the row is missing")
        return [made[position] for position in positions]

    def _make_story(
        self,
        row: Sequence[Any],
        principles: Sequence[Principle],
        translations: tuple[Translation, ...],
    ) -> Story:
        _, id, titles, summaries, company, source_id, start, end, channel = row
        source = self._referred_source(source_id, "source")
        found = self._by_id["company"].get(company) if isinstance(company, str) else None
        if found is None:
            raise check.RowProblem(f"column company: no company {company!r} in the file")
        span = _span(start, end, source, "span")
        for translation in translations:
            for segment in translation.segments:
                if segment.span.end > source._chars:
                    raise check.RowProblem("a segment's span is past the end of the source")
        own = source.language.id
        return Story(
            id=check.ident(id, "id"),
            titles=check.json_names(titles, "titles", (own, "en")),
            summaries=check.json_names(summaries, "summaries", ("en",)),
            company=found,
            principles=tuple(principles),
            language=source.language,
            source=source,
            span=span,
            channel=check.channel(channel, "channel"),
            translations=translations,
        )

    def _story_principles(
        self, where: str, parameters: Sequence[int]
    ) -> dict[int, list[Principle]]:
        principles = self._by_id["principle"]
        found: dict[int, list[Principle]] = {}
        story: Any = None
        principle: Any = None
        try:
            # Every value from SQLite can be a key: an id of another type is
            # simply not found.
            for story, principle in self._rows(
                f"SELECT story, principle FROM story_principles WHERE story {where} "
                "ORDER BY story, position",
                parameters,
            ):
                found.setdefault(story, []).append(principles[principle])
        except KeyError:
            with self._row("story_principles", story, "of the story at position"):
                raise check.RowProblem(f"no principle {principle!r} in the file") from None
        return found

    def _translations(
        self, where: str, parameters: Sequence[int]
    ) -> dict[int, tuple[Translation, ...]]:
        segments: dict[tuple[int, int], list[Segment]] = {}
        for story, number, start, end, original, text, paragraph in self._rows(
            'SELECT story, translation, start, "end", original, text, paragraph FROM segments '
            f"WHERE story {where} ORDER BY story, translation, position",
            parameters,
        ):
            if _plain_segment(start, end, original, text, paragraph):
                segment = checked_segment(start, end, original, text, paragraph == 1)
            else:
                with self._row("segments", story, "of the story at position"):
                    segment = _segment(start, end, original, text, paragraph)
            segments.setdefault((story, number), []).append(segment)
        found: dict[int, list[Translation]] = {}
        for story, number, language, translator, review, license in self._rows(
            "SELECT story, position, language, translator, review, license FROM translations "
            f"WHERE story {where} ORDER BY story, position",
            parameters,
        ):
            with self._row("translations", story, "of the story at position"):
                check.position(number, "position", high=MAX_TRANSLATIONS - 1)
                found.setdefault(story, []).append(
                    Translation(
                        language=self._language(language),
                        segments=tuple(segments.get((story, number), ())),
                        translator=check.text(translator, "translator"),
                        review=check.text(review, "review", optional=True),
                        license=check.license(license, "license"),
                    )
                )
        return {story: tuple(items) for story, items in found.items()}

    def ids_at(self, positions: Iterable[int]) -> tuple[str, ...]:
        if isinstance(positions, range) and positions == range(self._count):
            rows = self._rows("SELECT id FROM stories ORDER BY position")
            with self._row("stories", "ids"):
                return tuple(check.ident(id, "id") for (id,) in rows)
        ids: list[str] = []
        iterator = iter(positions)
        while chunk := list(itertools.islice(iterator, 500)):
            marks = ", ".join("?" * len(chunk))
            found = dict(
                self._rows(f"SELECT position, id FROM stories WHERE position IN ({marks})", chunk)
            )
            with self._row("stories", "ids"):
                ids.extend(check.ident(found[p], "id") for p in chunk)
        return tuple(ids)

    def _position(self, rows: list[Any]) -> int | None:
        if not rows:
            return None
        with self._row("stories", "position"):
            found: int = check.position(rows[0][0], "position", high=max(self._count - 1, 0))
        return found

    def position_of(self, id: str) -> int | None:
        return self._position(self._rows("SELECT position FROM stories WHERE id = ?", (id,)))

    def position_of_key(self, key: str) -> int | None:
        return self._position(
            self._rows(
                "SELECT position FROM stories WHERE id_key = ? ORDER BY position LIMIT 1", (key,)
            )
        )

    def _ids(self, rows: list[Any]) -> list[str]:
        with self._row("stories", "ids"):
            return [check.ident(id, "id") for (id,) in rows]

    def ids_like(self, key: str, limit: int) -> list[str]:
        if not key:
            return []
        # Stories' keys are indexed: those that start with *key* are a range.
        found = dict.fromkeys(
            self._ids(
                self._rows(
                    "SELECT id FROM stories WHERE id_key >= ? AND id_key < ? "
                    "ORDER BY position LIMIT ?",
                    (key, key + "\U0010ffff", limit),
                )
            )
        )
        if len(found) < limit:
            pattern = "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            found.update(
                dict.fromkeys(
                    self._ids(
                        self._rows(
                            "SELECT id FROM stories WHERE id_key LIKE ? ESCAPE '\\' "
                            "ORDER BY position LIMIT ?",
                            (pattern, limit),
                        )
                    )
                )
            )
        return list(found)[:limit]

    def close_ids(self, key: str) -> list[str]:
        # Suggestions come from the ids that share the first letters: a
        # million ids are too many to compare one by one.
        stem = key[:3]
        rows = self._rows(
            "SELECT id_key, id FROM stories WHERE id_key >= ? AND id_key < ? LIMIT 20000",
            (stem, stem + "\U0010ffff"),
        )
        with self._row("stories", "ids"):
            ids = {check.text(k, "id_key"): check.ident(id, "id") for k, id in rows}
        return [ids[k] for k in close_matches(key, ids, 3)]

    # -- facets and search ----------------------------------------------------

    def _facet(self, key: str) -> tuple[int, array.array[int] | None]:
        """The stories of facet value *key*: as a mask, or as the positions listed."""
        rows = self._rows(
            "SELECT stories, bitmap, positions FROM facet_index WHERE facet = ? AND value = ?",
            (_FACETS[key[0]], key[1:]),
        )
        if not rows:
            return 0, None
        with self._row("facet_index", repr(key[1:])):
            count, bitmap, listed = rows[0]
            return _read_facet(count, bitmap, listed, self._count)

    def mask(self, key: str) -> int:
        mask = self._masks.get(key)
        if mask is None:
            mask, listed = self._facet(key)
            if listed is not None:
                mask = mask_of(listed, self._count)
            self._masks.put(key, mask)
        return mask

    def positions(self, key: str) -> Sequence[int] | None:
        if key in self._masks:
            return None  # the mask is at hand
        return self._facet(key)[1]

    def search_index(self) -> SearchIndex:
        if self._search is None:
            with self._lock:
                if self._search is None:
                    self._search = _compiled_search_index()(
                        self._db,
                        "search_index",
                        self,
                        self._lock,  # type: ignore[arg-type]
                    )
        return self._search


_ROW_ERRORS = (check.RowProblem, ValueError, TypeError, LookupError, RecursionError)


class _RowCheck:
    """The context of making records from one row; see `CompiledStore._row`."""

    __slots__ = ("how", "path", "row", "table")

    def __init__(self, path: str, table: str, row: object, how: str) -> None:
        self.path, self.table, self.row, self.how = path, table, row, how

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        if error is None or not isinstance(error, _ROW_ERRORS):
            return
        problem = str(error) if isinstance(error, check.RowProblem) else _described(error)
        where = f"{self.how} {self.row}" if self.how else str(self.row)
        raise CorpusError(
            [
                f"{self.path}: table {self.table}, row {where}: {problem}; the file is "
                "damaged or was not written by `clientocracy build`: rebuild it from its catalog"
            ]
        ) from None


def _plain_segment(
    start: object, end: object, original: object, text: object, paragraph: object
) -> bool:
    """Whether a segment's values are plainly good: what `_segment` accepts, checked quickly.

    A file holds millions of segments; anything unusual is left to
    `_segment`, which says what is wrong.
    """
    return (
        type(start) is int
        and type(end) is int
        and 0 <= start <= end <= check.MAX_POSITION
        and type(original) is str
        and type(text) is str
        and 0 < len(original) <= MAX_STRING_CHARS
        and 0 < len(text) <= MAX_STRING_CHARS
        and not original.isspace()
        and not text.isspace()
        and type(paragraph) is int
        and paragraph in (0, 1)
    )


def _segment(
    start: object, end: object, original: object, text: object, paragraph: object
) -> Segment:
    """A segment of a row's values, each checked."""
    if paragraph not in (0, 1):
        raise check.RowProblem("column paragraph: expected 0 or 1")
    return Segment(
        span=_span(start, end, None, "start, end"),
        original=check.text(original, "original"),
        text=check.text(text, "text"),
        paragraph=bool(paragraph),
    )


def _span(start: object, end: object, source: _LazySource | None, column: str) -> Span:
    """A checked span: non-empty, and within *source*'s text if given."""
    high = source._chars if source is not None else check.MAX_POSITION
    begin = check.position(start, f"{column} (start)", high=high)
    stop = check.position(end, f"{column} (end)", high=high)
    if stop < begin or (source is not None and stop == begin):
        raise check.RowProblem(f"{column}: [{begin}, {stop}) is not a span of the text")
    return Span(start=begin, end=stop)


def _read_facet(
    count: object, bitmap: object, listed: object, size: int
) -> tuple[int, array.array[int] | None]:
    """Check a facet value's row; return its mask, or the positions it lists."""
    stories = check.position(count, "stories", high=size)
    if bitmap is not None:
        if not isinstance(bitmap, bytes) or len(bitmap) != (size + 7) // 8 or listed is not None:
            raise check.RowProblem(f"column bitmap: expected {(size + 7) // 8} bytes")
        mask = int.from_bytes(bitmap, "little")
        if mask.bit_length() > size or mask.bit_count() != stories:
            raise check.RowProblem("column bitmap: does not match the stories")
        return mask, None
    if not isinstance(listed, bytes) or len(listed) != 4 * stories:
        raise check.RowProblem(f"column positions: expected {4 * stories} bytes")
    found = array.array("I")
    found.frombytes(listed)
    if sys.byteorder == "big":  # pragma: no cover - stored little-endian everywhere
        found.byteswap()
    if found and (found[-1] >= size or any(a >= b for a, b in itertools.pairwise(found))):
        raise check.RowProblem("column positions: not increasing positions of stories")
    return 0, found


def _described(error: BaseException) -> str:
    if isinstance(error, RecursionError):
        return "nested too deeply"
    if isinstance(error, UnicodeError):
        return "not valid text"
    if isinstance(error, LookupError):
        return f"refers to {error} which the file does not have"
    return str(error) or type(error).__name__


def _compiled_search_index() -> type[SearchIndex]:
    """The search index of a compiled file (made on first search: search's
    module is not needed to list or read stories)."""
    from .._search import index as _search

    class _CompiledSearchIndex(_search.SearchIndex):
        """The search index in a compiled file: a damaged file is a clear error."""

        def search(self, query: str, **options: Any) -> Any:
            return self._guarded(lambda: super(_CompiledSearchIndex, self).search(query, **options))

        def count(self, query: str) -> int:
            found: int = self._guarded(lambda: super(_CompiledSearchIndex, self).count(query))
            return found

        def _guarded(self, call: Callable[[], Any]) -> Any:
            store = self._store
            assert isinstance(store, CompiledStore)
            store.check_open()
            try:
                with store._guard.guarded():
                    return call()
            except sqlite3.Error as error:
                raise store._guard.failure(error) from None
            except (IndexError, KeyError) as error:
                raise CorpusError(
                    [
                        f"{store.path}: table search_index: a row refers to a story or "
                        f"translation the file does not have ({error}); rebuild it"
                    ]
                ) from None

    return _CompiledSearchIndex


def verify(path: str | os.PathLike[str]) -> CompiledStore:
    """Open a compiled corpus and check every page and every row of it, as opening
    alone does not.

    Raises `CorpusError` naming what is wrong.
    """
    store = open_compiled(path)
    shown = os.fspath(path)
    with store._guard.unbounded():
        rows = store._rows("PRAGMA integrity_check(20)")
    problems = [row[0] for row in rows if row[0] != "ok"]
    if problems:
        store.close()
        raise CorpusError([f"{shown}: damaged: {problem}; rebuild it" for problem in problems])
    try:
        _check_every_row(store)
    except BaseException:
        store.close()
        raise
    return store


def _check_every_row(store: CompiledStore) -> None:
    """Make every record of *store*, and check the facet index against the stories."""
    languages, companies, principles = store.vocabularies()
    expected = {
        "language": [(name_key(name), r.id) for r in languages for name in r.names],
        "company": [(name_key(name), r.id) for r in companies for name in r.names],
        "principle": [(name_key(name), r.id) for r in principles for name in r.all_names],
    }
    if {facet: keys for facet, keys in expected.items() if keys} != store.name_keys():
        raise CorpusError(
            [
                f"{store.path}: table name_keys: does not match the names of the records; "
                "rebuild it with `clientocracy build`"
            ]
        )
    for source in store.sources():
        source.text  # noqa: B018 - read and checked
    positions: dict[str, list[int]] = {}
    for number, story in enumerate(store.iterate(range(len(store)))):
        if len(story.translations) >= MAX_TRANSLATIONS:
            raise CorpusError([f"{store.path}: story {story.id!r}: too many translations"])
        for key in facet_keys(story):
            positions.setdefault(key, []).append(number)
    facets = store._rows("SELECT facet, value FROM facet_index")
    letters = {name: letter for letter, name in _FACETS.items()}
    indexed = {letters.get(facet, "?") + str(value) for facet, value in facets}
    for key in indexed | set(positions):
        if key[0] == "?" or store.mask(key) != mask_of(positions.get(key, ()), len(store)):
            raise CorpusError(
                [
                    f"{store.path}: table facet_index, row {key[1:]!r}: does not match the "
                    "stories; rebuild it with `clientocracy build`"
                ]
            )
