"""The search index: every reading of every story, analysed into an FTS5 table."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from .._records import MAX_TRANSLATIONS

if TYPE_CHECKING:
    import sqlite3

    from .._stores.memory import Store

from .analysis import DEFAULT_SNIPPET_WIDTH, WEIGHTS, Query, get_stemmer, split_words
from .hits import SearchHit
from .schema import COLUMNS, create_index_table
from .snippets import snippet

#: A story's rows in the index are numbered ``position * _READINGS + reading``:
#: reading 0 is the original, reading *k* its *k*-th translation. The number
#: alone says which story and text a row is, so no table maps rows to stories.
_READINGS = MAX_TRANSLATIONS + 1

#: From this many stories on, the index is analysed and inserted in two threads.
PARALLEL_FROM = 5_000


_Row = tuple[int, str, str, str, str, str]


def _readings(store: Store) -> Iterator[_Row]:
    """A row of raw texts for each language each story reads in, with its facet terms."""
    languages, companies, principles = store.vocabularies()
    company_no = {c.id: n for n, c in enumerate(companies)}
    principle_no = {p.id: n for n, p in enumerate(principles)}
    language_no = {lang.id: n for n, lang in enumerate(languages)}
    names: dict[str, str] = {}
    for number, story in enumerate(store.iterate(range(len(store)))):
        company = names.get(story.company.id)
        if company is None:
            company = names[story.company.id] = " ".join(story.company.names)
        facets = " ".join(
            [
                f"c{company_no[story.company.id]}",
                f"l{language_no[story.language.id]}",
                *(f"p{principle_no[p.id]}" for p in story.principles),
            ]
        )
        titles, summaries = dict(story.titles), dict(story.summaries)
        # The original's row also carries the texts written in languages
        # the story has no translation into (the English title and
        # summary of a catalog of version 1).
        translated = {t.language.id for t in story.translations}
        own = story.language.id
        extra = [tag for tag in (*titles, *summaries) if tag != own and tag not in translated]
        readings = [(story.text, [own, *dict.fromkeys(extra)])]
        readings += [(t.text, [t.language.id]) for t in story.translations]
        if len(readings) > _READINGS:
            raise ValueError(f"story {story.id!r} has more than {_READINGS - 1} translations")
        for reading, (body, tags) in enumerate(readings):
            yield (
                number * _READINGS + reading,
                " ".join(titles[t] for t in tags if t in titles),
                company,
                " ".join(summaries[t] for t in tags if t in summaries),
                body,
                facets,
            )


def _terms_of_chunk(chunk: str) -> str:
    stem = get_stemmer()
    return " ".join(term for term in map(stem, split_words(chunk)) if term)


def _terms(text: str, known: dict[str, str]) -> str:
    """The terms of *text*, joined by spaces: those of its chunks, each analysed once.

    Normalization never joins or splits anything across white space, so the
    terms of a text are the terms of its chunks, which is how the query is
    analysed too. ``map`` over the cache runs in C; only new chunks reach
    Python.
    """
    chunks = text.split()
    try:
        return " ".join(filter(None, map(known.__getitem__, chunks)))
    except KeyError:
        for chunk in chunks:
            if chunk not in known:
                known[chunk] = _terms_of_chunk(chunk)
        return " ".join(filter(None, map(known.__getitem__, chunks)))


def _analyse_rows(rows: list[_Row], known: dict[str, str]) -> list[_Row]:
    """The rows with their texts reduced to terms.

    *known* holds the terms of each chunk of text (a run of non-space
    characters, as typed) analysed so far in this build: texts repeat their
    words, so most chunks are looked up, not analysed.
    """
    if len(known) > 2_000_000:
        known.clear()
    companies: dict[str, str] = {}
    out = []
    for rowid, title, company, summary, body, facets in rows:
        company_terms = companies.get(company)
        if company_terms is None:
            company_terms = companies[company] = _terms(company, known)
        out.append(
            (
                rowid,
                _terms(title, known),
                company_terms,
                _terms(summary, known),
                _terms(body, known),
                facets,
            )
        )
    return out


def _chunks(rows: Iterator[_Row], size: int) -> Iterator[list[_Row]]:
    import itertools

    while chunk := list(itertools.islice(rows, size)):
        yield chunk


def fill_index(db: sqlite3.Connection, table: str, store: Store) -> None:
    """Analyse every story of *store* and insert its rows into the FTS5 *table*.

    Analysing (normalizing and stemming, in Python) and inserting (FTS5, in
    C, which lets go of the GIL) take about as long as each other on a large
    corpus, so a thread analyses the next rows while this one inserts: two
    cores do the work of one.
    """
    import queue

    insert = f"INSERT INTO {table}(rowid, {', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)"
    rows = _readings(store)
    known: dict[str, str] = {}
    if len(store) < PARALLEL_FROM:
        for chunk in _chunks(rows, 2000):
            db.executemany(insert, _analyse_rows(chunk, known))
        return
    done: queue.Queue[list[_Row] | BaseException | None] = queue.Queue(maxsize=4)
    stop = threading.Event()

    def analyse() -> None:
        try:
            for chunk in _chunks(rows, 1000):
                analysed = _analyse_rows(chunk, known)
                while not stop.is_set():
                    try:
                        done.put(analysed, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            done.put(None)
        except BaseException as error:
            done.put(error)

    worker = threading.Thread(target=analyse, name="clientocracy-index", daemon=True)
    worker.start()
    try:
        while (item := done.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            db.executemany(insert, item)
    finally:
        stop.set()
        worker.join()


class SearchIndex:
    """The full-text index of one corpus, built once and then only read.

    The FTS5 table lives in memory (a corpus loaded from JSON, built on the
    first search) or in a compiled corpus's file (built by
    `compile()`); searching is the same for both.
    """

    def __init__(self, db: sqlite3.Connection, table: str, store: Store, lock: threading.Lock):
        languages, companies, principles = store.vocabularies()
        self._db = db
        self._table = table
        self._store = store
        self._lock = lock
        self._company_no = {c.id: n for n, c in enumerate(companies)}
        self._principle_no = {p.id: n for n, p in enumerate(principles)}
        self._language_no = {lang.id: n for n, lang in enumerate(languages)}

    @classmethod
    def in_memory(cls, store: Store, prebuilt: Prebuilt | None = None) -> SearchIndex:
        """Build the index of *store* in an in-memory database.

        With *prebuilt*, the index is read from the bytes it gives instead, if
        they are an index made by `serialize_index` for the same fingerprint;
        otherwise (missing, damaged, or made from other data) it is built.
        """
        import sqlite3

        db = sqlite3.connect(":memory:", check_same_thread=False)
        if prebuilt is None or not _deserialize(db, *prebuilt):
            db.close()
            db = sqlite3.connect(":memory:", check_same_thread=False)
            create_index_table(db, "story")
            with db:
                fill_index(db, "story", store)
        return cls(db, "story", store, threading.Lock())

    def search(
        self,
        query: str,
        *,
        companies: frozenset[str] | None,
        principles: frozenset[str] | None,
        languages: frozenset[str] | None,
        limit: int | None,
        prefix: bool = False,
        width: int = DEFAULT_SNIPPET_WIDTH,
    ) -> tuple[SearchHit, ...]:
        parsed = Query(query, prefix=prefix)
        if not parsed or limit == 0:
            return ()
        expression = parsed.fts()
        for letter, numbers, chosen in (
            ("c", self._company_no, companies),
            ("p", self._principle_no, principles),
            ("l", self._language_no, languages),
        ):
            if chosen is None:
                continue
            if not chosen:
                return ()
            either = " OR ".join(f'"{letter}{numbers[id]}"' for id in sorted(chosen))
            expression += f" AND facets : ({either})"
        weights = ", ".join(str(weight) for weight in WEIGHTS)
        best: dict[int, tuple[int, float]] = {}
        table = self._table
        with self._lock:
            cursor = self._db.execute(
                f"SELECT rowid, bm25({table}, {weights}) AS rank FROM {table} "
                f"WHERE {table} MATCH ? ORDER BY rank, rowid",
                (expression,),
            )
            # A story's best row comes first; its other languages' rows add nothing.
            for row, rank in cursor:
                number, reading = divmod(row, _READINGS)
                if number not in best:
                    best[number] = (reading, rank)
                    if limit is not None and len(best) == limit:
                        break
            cursor.close()
        matches = parsed.matcher()
        memo: dict[str, frozenset[str]] = {}
        hits = []
        positions = list(best)
        passages = self._store.passages(positions) if positions else {}
        stories = self._store.iterate(positions)
        for position, story, (reading, rank) in zip(positions, stories, best.values(), strict=True):
            tag = story.translations[reading - 1].language.id if reading else story.language.id
            hits.append(
                SearchHit(
                    story=story,
                    # BM25 in FTS5 is negative (lower is better); users expect higher.
                    score=-rank,
                    snippet=snippet(story, tag, matches, width, passages.get(position), memo),
                )
            )
        return tuple(hits)

    def count(self, query: str) -> int:
        """How many stories match *query*, without making their records or snippets."""
        parsed = Query(query)
        if not parsed:
            return 0
        table = self._table
        with self._lock:
            (found,) = self._db.execute(
                f"SELECT count(DISTINCT rowid / {_READINGS}) FROM {table} WHERE {table} MATCH ?",
                (parsed.fts(),),
            ).fetchone()
        return int(found)


#: Where a prebuilt index comes from: a function that reads its bytes (None if
#: there are none), and the fingerprint of the data it must have been made from.
Prebuilt = tuple[Callable[[], bytes | None], str]

_META = "index_meta"


def serialize_index(store: Store, fingerprint: str) -> bytes:
    """The search index of *store*, built now, as the bytes of a SQLite database.

    It records *fingerprint*, which names the data it was built from; the
    bundled corpus ships such a file, so that its first search reads the
    index instead of analysing every text (see `scripts/build_search_index.py`).
    """
    import sqlite3

    db = sqlite3.connect(":memory:")
    try:
        create_index_table(db, "story")
        with db:
            fill_index(db, "story", store)
            db.execute(f"CREATE TABLE {_META} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            db.execute(f"INSERT INTO {_META} VALUES ('fingerprint', ?)", (fingerprint,))
        db.execute("VACUUM")
        return db.serialize()
    finally:
        db.close()


def _deserialize(db: sqlite3.Connection, read: Callable[[], bytes | None], expected: str) -> bool:
    """Load a prebuilt index into *db*; False if there is none or it is not for this data."""
    import sqlite3

    data = read()
    if not data:
        return False
    try:
        db.execute("PRAGMA trusted_schema = OFF")
        db.deserialize(data)
        (found,) = db.execute(f"SELECT value FROM {_META} WHERE key = 'fingerprint'").fetchone()
        db.execute("SELECT count(*) FROM story WHERE story MATCH 'x'").fetchone()
    except (sqlite3.Error, TypeError):
        return False
    return bool(found == expected)
