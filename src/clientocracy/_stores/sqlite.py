"""The storage of a compiled corpus: writing the SQLite file, and reading records from it.

See `_compiled.py` for what a compiled corpus is; the schema below is
documented for users in `docs/compiled-corpora.md`.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from .._errors import CorpusError
from .._normalize import close_matches, name_key
from .._records import (
    Company,
    Language,
    Principle,
    Quote,
    Segment,
    Source,
    Span,
    Story,
    Translation,
)
from .._version import __version__
from .compiled import (
    APPLICATION_ID,
    FORMAT,
    FORMAT_VERSION,
    HEADER,
    Provenance,
    StaleCorpusWarning,
    _changed,
    _sha256_of,
    is_compiled,
)
from .memory import Origin, Store, facet_keys, mask_of

if TYPE_CHECKING:
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
    bitmap BLOB NOT NULL,
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
    if target.is_dir():
        raise IsADirectoryError(
            21, "a folder, not a file; name the file to write, such as stories.sqlite", str(target)
        )
    if target.exists() and not is_compiled(target):
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
    import tempfile
    import time

    from .._search.index import create_index_table, fill_index

    clock = time.perf_counter()
    steps = {} if timings is None else timings

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        steps[step] = steps.get(step, 0.0) + now - clock
        clock = now

    from datetime import datetime

    target = Path(os.fspath(path)).absolute()
    _refuse_to_overwrite(target)
    fd, temporary = tempfile.mkstemp(
        prefix=".clientocracy-", suffix=".sqlite.tmp", dir=target.parent
    )
    os.close(fd)
    try:
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
                counts = _write_records(db, corpus)
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
        os.chmod(temporary, 0o644 & ~_umask())
        os.replace(temporary, target)
        lap("other")
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return target


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


def _write_records(db: sqlite3.Connection, corpus: Corpus) -> dict[str, int]:
    place = corpus.place

    def defined(facet: str, id: str) -> str | None:
        where = place(facet, id)
        return None if where == "(built in code)" else where

    languages, companies, principles = corpus._store.vocabularies()
    sources = corpus.sources()

    def language_row(r: Language, n: int | None) -> tuple[object, ...]:
        return (
            r.id,
            n,
            r.name,
            r.native_name,
            r.direction,
            _json(r.aliases),
            defined("language", r.id),
        )

    def company_row(r: Company, n: int | None) -> tuple[object, ...]:
        return (r.id, n, r.name, _json(r.aliases), r.industry, r.country, defined("company", r.id))

    def source_row(r: Source, n: int | None) -> tuple[object, ...]:
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
            defined("source", r.id),
            r.text,
        )

    def principle_row(r: Principle, n: int | None) -> tuple[object, ...]:
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

    inserts: dict[str, tuple[str, Callable[[Any, int | None], tuple[object, ...]]]] = {
        "language": ("INSERT INTO languages VALUES (?, ?, ?, ?, ?, ?, ?)", language_row),
        "company": ("INSERT INTO companies VALUES (?, ?, ?, ?, ?, ?, ?)", company_row),
        "source": (
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            source_row,
        ),
        "principle": (
            "INSERT INTO principles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            principle_row,
        ),
    }
    # Records that stories or other records refer to but the corpus does not
    # list (the bundled source that a borrowed principle quotes, say) are
    # written too, without a position.
    written: dict[str, dict[str, Any]] = {facet: {} for facet in inserts}

    def write(facet: str, records: Iterable[Any], *, listed: bool) -> None:
        sql, row = inserts[facet]
        new = [r for r in records if r.id not in written[facet]]
        for r in new:
            written[facet][r.id] = r
        db.executemany(sql, (row(r, n if listed else None) for n, r in enumerate(new)))

    write("language", languages, listed=True)
    write("company", companies, listed=True)
    write("source", sources, listed=True)
    write("principle", principles, listed=True)
    referred: dict[str, dict[str, Any]] = {facet: {} for facet in inserts}

    positions: dict[str, list[int]] = {}
    counts = {"translations": 0}
    principle_rows: list[tuple[int, int, str]] = []
    translation_rows: list[tuple[int, int, str, str, str | None]] = []
    segment_rows: list[tuple[int, int, int, int, int, str, str, int]] = []

    def story_rows() -> Iterator[tuple[object, ...]]:
        for number, story in enumerate(corpus.stories()):
            for key in facet_keys(story):
                positions.setdefault(key, []).append(number)
            referred["company"][story.company.id] = story.company
            referred["source"][story.source.id] = story.source
            for principle in story.principles:
                referred["principle"][principle.id] = principle
            for translation in story.translations:
                referred["language"][translation.language.id] = translation.language
            principle_rows.extend((number, n, p.id) for n, p in enumerate(story.principles))
            for t_number, translation in enumerate(story.translations):
                counts["translations"] += 1
                translation_rows.append(
                    (
                        number,
                        t_number,
                        translation.language.id,
                        translation.translator,
                        translation.review,
                    )
                )
                segment_rows.extend(
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
                defined("story", story.id),
                story.text,
            )
            if len(principle_rows) > 50_000:
                flush()

    def flush() -> None:
        db.executemany("INSERT INTO story_principles VALUES (?, ?, ?)", principle_rows)
        db.executemany("INSERT INTO translations VALUES (?, ?, ?, ?, ?)", translation_rows)
        db.executemany("INSERT INTO segments VALUES (?, ?, ?, ?, ?, ?, ?, ?)", segment_rows)
        principle_rows.clear()
        translation_rows.clear()
        segment_rows.clear()

    db.executemany(
        "INSERT INTO stories VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        story_rows(),
    )
    flush()
    write("company", referred["company"].values(), listed=False)
    write("principle", referred["principle"].values(), listed=False)
    for principle in written["principle"].values():
        referred["source"][principle.statement.source.id] = principle.statement.source
    write("source", referred["source"].values(), listed=False)
    for source in written["source"].values():
        referred["language"][source.language.id] = source.language
    write("language", referred["language"].values(), listed=False)
    # The keys that names resolve by, so that opening the file need not
    # normalize every name of every company again.
    key_rows: list[tuple[str, str, str]] = []
    for language in languages:
        key_rows += [("language", name_key(name), language.id) for name in language.names]
    for company in companies:
        key_rows += [("company", name_key(name), company.id) for name in company.names]
    for principle in principles:
        key_rows += [("principle", name_key(name), principle.id) for name in principle.all_names]
    db.executemany("INSERT INTO name_keys VALUES (?, ?, ?)", key_rows)
    size = len(corpus._store)
    db.executemany(
        "INSERT INTO facet_index VALUES (?, ?, ?, ?)",
        (
            (
                _FACETS[key[0]],
                key[1:],
                len(numbers),
                mask_of(numbers, size).to_bytes((size + 7) // 8, "little"),
            )
            for key, numbers in positions.items()
        ),
    )
    return {
        "stories": size,
        "companies": len(companies),
        "principles": len(principles),
        "languages": len(languages),
        "sources": len(sources),
        "translations": counts["translations"],
    }


def _check_header(path: str, shown: str) -> None:
    """Refuse a file that is not a whole compiled corpus of this format version."""
    rebuild = "rebuild it with `clientocracy build CORPUS -o FILE`"
    try:
        with open(path, "rb") as file:
            header = file.read(100)
            size = os.fstat(file.fileno()).st_size
    except OSError as error:
        raise CorpusError([f"{shown}: cannot read: {error.strerror or error}"]) from None
    if not header.startswith(HEADER) or len(header) < 100:
        raise CorpusError([f"{shown}: not a compiled corpus (not a SQLite database)"])
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise CorpusError(
            [f"{shown}: a SQLite database, but not a compiled clientocracy corpus; {rebuild}"]
        )
    version = int.from_bytes(header[60:64], "big")
    if version != FORMAT_VERSION:
        raise CorpusError(
            [
                f"{shown}: a compiled corpus of format version {version}; this release of "
                f"clientocracy ({__version__}) reads version {FORMAT_VERSION}; {rebuild}"
            ]
        )
    if int.from_bytes(header[56:60], "big") != 2:  # UTF-16le, as compile writes
        raise CorpusError(
            [f"{shown}: not a compiled corpus of this format (text encoding); {rebuild}"]
        )
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count is valid when the two change counters agree (SQLite ≥ 3.7).
    if header[24:28] == header[92:96] and size < pages * page_size:
        raise CorpusError(
            [
                f"{shown}: damaged: the file has {size} bytes but its header says "
                f"{pages * page_size}; it was cut short (an interrupted copy?); {rebuild}"
            ]
        )


def open_compiled(path: str | os.PathLike[str]) -> CompiledStore:
    """Open the compiled corpus in *path*; see [`load`][clientocracy.load]."""
    import warnings

    shown = os.fspath(path)
    if not os.path.isfile(shown):
        raise CorpusError([f"{shown}: no such compiled corpus file"])
    _check_header(shown, shown)
    store = CompiledStore(shown)
    changed = store.changed_catalogs()
    if changed:
        warnings.warn(StaleCorpusWarning(shown, changed), stacklevel=4)
    return store


_SOURCE_COLUMNS = (
    "id, language, titles, chars, sha256, origin, origin_url, origin_start, origin_end, tags"
)
# The slot of Source that holds its text, which _LazySource fills on first use.
_TEXT_SLOT: Any = Source.__dict__["text"]


class _LazySource(Source):
    """A source of a compiled corpus that reads its text from the file on first use.

    It is a [`Source`][clientocracy.Source] in every way, and equal to a
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
            text = self._store.source_text(self.id)
            _TEXT_SLOT.__set__(self, text)
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
    """The records of a compiled corpus, made from its rows as they are read."""

    # How many source records to keep made: stories of one source are
    # usually read together (a filter's results are in corpus order). A
    # source reads its text only when asked for it.
    SOURCE_CACHE = 256
    MASK_CACHE = 64
    BATCH = 256

    def __init__(self, path: str) -> None:
        self.path = path
        uri = "file:" + _uri_path(os.path.abspath(path)) + "?mode=ro"
        try:
            self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._lock = threading.RLock()
            info = dict(self._db.execute("SELECT key, value FROM corpus_info").fetchall())
            tables = {
                name
                for (name,) in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        except sqlite3.DatabaseError as error:
            raise CorpusError(
                [f"{path}: damaged or not a compiled corpus ({error}); rebuild it"]
            ) from None
        missing = [table for table in _TABLES if table not in tables]
        if info.get("format") != FORMAT or missing:
            raise CorpusError(
                [f"{path}: not a whole compiled corpus (missing: {', '.join(missing)}); rebuild it"]
            )
        self._info = info
        self._closed = False
        self._count = int(info["stories"])
        self._has_translations = int(info.get("translations", "0")) > 0
        self._vocab: tuple[tuple[Language, ...], tuple[Company, ...], tuple[Principle, ...]] | None
        self._vocab = None
        self._by_id: dict[str, dict[str, Any]] = {}
        self._sources: OrderedDict[str, Source] = OrderedDict()
        self._masks: OrderedDict[str, int] = OrderedDict()
        self._search: SearchIndex | None = None
        stamps = json.loads(info.get("catalogs", "[]"))
        self.origins = tuple((s["catalog"], s["size"], s["mtime_ns"]) for s in stamps)
        self._stamps = stamps

    def __len__(self) -> int:
        return self._count

    # -- rows ---------------------------------------------------------------

    def _rows(self, sql: str, parameters: Sequence[object] = ()) -> list[Any]:
        try:
            with self._lock:
                self.check_open()
                return self._db.execute(sql, parameters).fetchall()
        except sqlite3.DatabaseError as error:
            raise CorpusError(
                [f"{self.path}: damaged ({error}); rebuild it with `clientocracy build`"]
            ) from None

    def check_open(self) -> None:
        """Raise `ValueError` if the file was closed: its rows can no longer be read."""
        if self._closed:
            raise ValueError(
                f"{self.path}: the compiled corpus was closed; open it again with load()"
            )

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._db.close()

    def provenance(self) -> Provenance:
        info = self._info
        return Provenance(
            file=self.path,
            format_version=FORMAT_VERSION,
            clientocracy_version=info.get("clientocracy_version", ""),
            built_at=info.get("built_at", ""),
            catalogs=tuple((s["catalog"], s["sha256"]) for s in self._stamps),
        )

    def changed_catalogs(self) -> list[str]:
        """The catalogs this file was built from that have changed since.

        Size and modification time answer at once; only a catalog whose time
        changed but not its size is read, to compare its hash.
        """
        changed = []
        for stamp in self._stamps:
            try:
                info = os.stat(stamp["catalog"])
            except OSError:
                continue  # gone, or moved with the file to another machine
            if (info.st_size, info.st_mtime_ns) == (stamp["size"], stamp["mtime_ns"]):
                continue
            same_size = info.st_size == stamp["size"] and stamp["sha256"]
            if same_size and not _changed(stamp["catalog"], stamp["sha256"]):
                continue  # touched, not changed
            changed.append(stamp["catalog"])
        return changed

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
        # to (see _write_records): found by id, never listed.
        def listed(rows: list[tuple[Any, int | None]]) -> tuple[Any, ...]:
            return tuple(record for record, position in rows if position is not None)

        languages = [
            (
                Language(
                    id=id,
                    name=name,
                    native_name=native,
                    direction=direction,
                    aliases=tuple(json.loads(aliases)),
                ),
                position,
            )
            for id, name, native, direction, aliases, position in self._rows(
                "SELECT id, name, native_name, direction, aliases, position FROM languages "
                "ORDER BY position"
            )
        ]
        companies = [
            (
                Company(
                    id=id,
                    name=name,
                    aliases=tuple(json.loads(aliases)),
                    industry=industry,
                    country=country,
                ),
                position,
            )
            for id, name, aliases, industry, country, position in self._rows(
                "SELECT id, name, aliases, industry, country, position FROM companies "
                "ORDER BY position"
            )
        ]
        self._by_id["language"] = {r.id: r for r, _ in languages}
        self._by_id["company"] = {r.id: r for r, _ in companies}
        principles = []
        for id, names, aliases, definitions, source, start, end, position in self._rows(
            "SELECT id, names, aliases, definitions, statement_source, statement_start, "
            "statement_end, position FROM principles ORDER BY position"
        ):
            statement_source = self.source(source)
            assert statement_source is not None
            principle = Principle(
                id=id,
                names=tuple(json.loads(names).items()),
                aliases=tuple(json.loads(aliases)),
                definitions=tuple(json.loads(definitions).items()),
                statement=Quote(source=statement_source, span=Span(start=start, end=end)),
            )
            principles.append((principle, position))
        self._by_id["principle"] = {r.id: r for r, _ in principles}
        return listed(languages), listed(companies), listed(principles)

    def name_keys(self) -> dict[str, list[tuple[str, str]]] | None:
        keys: dict[str, list[tuple[str, str]]] = {}
        for facet, key, id in self._rows("SELECT facet, key, id FROM name_keys ORDER BY rowid"):
            keys.setdefault(facet, []).append((key, id))
        return keys

    def _language(self, id: str) -> Language:
        if "language" not in self._by_id:  # read first of all the vocabularies
            self.vocabularies()
        language: Language = self._by_id["language"][id]
        return language

    def source(self, id: str) -> Source | None:
        with self._lock:
            found = self._sources.get(id)
            if found is not None:
                self._sources.move_to_end(id)
                return found
        rows = self._rows(f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE id = ?", (id,))
        if not rows:
            return None
        source = self._make_source(rows[0])
        with self._lock:
            self._sources[id] = source
            if len(self._sources) > self.SOURCE_CACHE:
                self._sources.popitem(last=False)
        return source

    def _make_source(self, row: Sequence[Any]) -> Source:
        id, language, titles, chars, sha256, origin, url, start, end, tags = row
        source = _LazySource.__new__(_LazySource)
        for name, value in (
            ("id", id),
            ("language", self._language(language)),
            ("titles", tuple(json.loads(titles).items())),
            ("sha256", sha256),
            ("origin", origin),
            ("origin_url", url),
            ("origin_span", None if start is None else Span(start=start, end=end)),
            ("tags", tuple(json.loads(tags))),
            ("_store", self),
            ("_chars", chars),
        ):
            object.__setattr__(source, name, value)
        return source

    def source_text(self, id: str) -> str:
        """The whole text of source *id*, read from the file."""
        (data,) = self._rows("SELECT CAST(text AS BLOB) FROM sources WHERE id = ?", (id,))[0]
        text: str = data.decode("utf-16-le")
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
        marks = ", ".join("?" * len(positions))
        return dict(
            self._rows(f"SELECT position, text FROM stories WHERE position IN ({marks})", positions)
        )

    def source_ids(self) -> list[str]:
        return [
            id
            for (id,) in self._rows(
                "SELECT id FROM sources WHERE position IS NOT NULL ORDER BY position"
            )
        ]

    def place(self, facet: str, id: str) -> str | None:
        table = {
            "language": ("languages", "id"),
            "company": ("companies", "id"),
            "principle": ("principles", "id"),
            "source": ("sources", "id"),
            "story": ("stories", "id"),
        }.get(facet)
        if table is None:
            return None
        rows = self._rows(f"SELECT defined_at FROM {table[0]} WHERE {table[1]} = ?", (id,))
        return rows[0][0] if rows else None

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
        companies = self._by_id["company"]
        principles = self._by_id["principle"]
        rows = self._rows(
            "SELECT position, id, titles, summaries, company, source, span_start, span_end, "
            f"channel FROM stories WHERE position {where}",
            parameters,
        )
        principle_ids: dict[int, list[Principle]] = {}
        for story, principle in self._rows(
            f"SELECT story, principle FROM story_principles WHERE story {where} "
            "ORDER BY story, position",
            parameters,
        ):
            principle_ids.setdefault(story, []).append(principles[principle])
        translations = self._translations(where, parameters) if self._has_translations else {}
        made: dict[int, Story] = {}
        for position, id, titles, summaries, company, source_id, start, end, channel in rows:
            source = self.source(source_id)
            assert source is not None
            made[position] = Story(
                id=id,
                titles=tuple(json.loads(titles).items()),
                summaries=tuple(json.loads(summaries).items()),
                company=companies[company],
                principles=tuple(principle_ids.get(position, ())),
                language=source.language,
                source=source,
                span=Span(start=start, end=end),
                channel=channel,
                translations=translations.get(position, ()),
            )
        return [made[position] for position in positions]

    def _translations(
        self, where: str, parameters: Sequence[int]
    ) -> dict[int, tuple[Translation, ...]]:
        segments: dict[tuple[int, int], list[Segment]] = {}
        for story, number, start, end, original, text, paragraph in self._rows(
            'SELECT story, translation, start, "end", original, text, paragraph FROM segments '
            f"WHERE story {where} ORDER BY story, translation, position",
            parameters,
        ):
            segments.setdefault((story, number), []).append(
                Segment(
                    span=Span(start=start, end=end),
                    original=original,
                    text=text,
                    paragraph=bool(paragraph),
                )
            )
        found: dict[int, list[Translation]] = {}
        for story, number, language, translator, review in self._rows(
            "SELECT story, position, language, translator, review FROM translations "
            f"WHERE story {where} ORDER BY story, position",
            parameters,
        ):
            found.setdefault(story, []).append(
                Translation(
                    language=self._language(language),
                    segments=tuple(segments.get((story, number), ())),
                    translator=translator,
                    review=review,
                )
            )
        return {story: tuple(items) for story, items in found.items()}

    def ids_at(self, positions: Iterable[int]) -> tuple[str, ...]:
        if isinstance(positions, range) and positions == range(self._count):
            return tuple(id for (id,) in self._rows("SELECT id FROM stories ORDER BY position"))
        ids: list[str] = []
        iterator = iter(positions)
        while chunk := list(itertools.islice(iterator, 500)):
            marks = ", ".join("?" * len(chunk))
            found = dict(
                self._rows(f"SELECT position, id FROM stories WHERE position IN ({marks})", chunk)
            )
            ids.extend(found[p] for p in chunk)
        return tuple(ids)

    def position_of(self, id: str) -> int | None:
        rows = self._rows("SELECT position FROM stories WHERE id = ?", (id,))
        return rows[0][0] if rows else None

    def position_of_key(self, key: str) -> int | None:
        rows = self._rows(
            "SELECT position FROM stories WHERE id_key = ? ORDER BY position LIMIT 1", (key,)
        )
        return rows[0][0] if rows else None

    def ids_like(self, key: str, limit: int) -> list[str]:
        if not key:
            return []
        # Stories' keys are indexed: those that start with *key* are a range.
        found = dict.fromkeys(
            id
            for (id,) in self._rows(
                "SELECT id FROM stories WHERE id_key >= ? AND id_key < ? ORDER BY position LIMIT ?",
                (key, key + "\U0010ffff", limit),
            )
        )
        if len(found) < limit:
            pattern = "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            found.update(
                (id, None)
                for (id,) in self._rows(
                    "SELECT id FROM stories WHERE id_key LIKE ? ESCAPE '\\' "
                    "ORDER BY position LIMIT ?",
                    (pattern, limit),
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
        ids = dict(rows)
        return [ids[k] for k in close_matches(key, ids, 3)]

    # -- facets and search ----------------------------------------------------

    def mask(self, key: str) -> int:
        with self._lock:
            mask = self._masks.get(key)
            if mask is not None:
                self._masks.move_to_end(key)
                return mask
        rows = self._rows(
            "SELECT bitmap FROM facet_index WHERE facet = ? AND value = ?",
            (_FACETS[key[0]], key[1:]),
        )
        mask = int.from_bytes(rows[0][0], "little") if rows else 0
        with self._lock:
            self._masks[key] = mask
            if len(self._masks) > self.MASK_CACHE:
                self._masks.popitem(last=False)
        return mask

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


def _compiled_search_index() -> type[SearchIndex]:
    """The search index of a compiled file (made on first search: search's
    module is not needed to list or read stories)."""
    from .._search import index as _search

    class _CompiledSearchIndex(_search.SearchIndex):
        """The search index in a compiled file: a damaged file is a clear error."""

        def search(self, query: str, **options: Any) -> Any:
            store = self._store
            assert isinstance(store, CompiledStore)
            store.check_open()
            try:
                return super().search(query, **options)
            except sqlite3.DatabaseError as error:
                raise CorpusError(
                    [f"{store.path}: damaged ({error}); rebuild it with `clientocracy build`"]
                ) from None

    return _CompiledSearchIndex


def _uri_path(path: str) -> str:
    from urllib.parse import quote

    return quote(path.replace(os.sep, "/"), safe="/:")


def verify(path: str | os.PathLike[str]) -> CompiledStore:
    """Open a compiled corpus and check every page of it, as opening alone does not.

    Raises [`CorpusError`][clientocracy.CorpusError] naming what is wrong.
    """
    store = open_compiled(path)
    problems = [row[0] for row in store._rows("PRAGMA integrity_check") if row[0] != "ok"]
    if not problems:
        (stories,) = store._rows("SELECT count(*) FROM stories")[0]
        if stories != len(store):
            problems.append(f"{stories} stories, but the file says it has {len(store)}")
    if problems:
        shown = os.fspath(path)
        raise CorpusError([f"{shown}: damaged: {problem}; rebuild it" for problem in problems[:20]])
    return store
