"""Full-text search over a corpus: one analyzer for index and query, FTS5 underneath.

Every text goes through the same three steps, whether it is a story being
indexed or a query being typed: [`normalize()`][clientocracy.normalize] (the very
function that resolves names, so search and lookups never disagree), a split
into words, and a Snowball stemmer for Russian and English words. The terms
that come out are stored in an in-memory SQLite FTS5 table, which does the
posting lists, phrase matching, prefixes and BM25 ranking; this module only
decides what a word is and builds FTS5 queries out of terms it made itself,
so no user input is ever parsed as FTS5 syntax.

A corpus loaded from JSON builds its index in memory on the first search; a
compiled corpus carries it in its file, built once by
[`compile`][clientocracy.compile].
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, NoReturn

from ._normalize import normalize
from ._records import MAX_TRANSLATIONS, SEARCH_FIELDS, SearchHit, Snippet, Span, Story

if TYPE_CHECKING:
    import sqlite3

    from ._corpus import Corpus
    from ._store import Store

__all__ = [
    "MAX_QUERY_TERMS",
    "MAX_WORD_CHARS",
    "SearchIndex",
    "create_index_table",
    "fill_index",
    "search_terms",
]

#: Words are cut to this many characters (once normalized), in the index and
#: in queries alike, so a longer word still matches itself. No word of a
#: natural language comes close; a "word" of megabytes would otherwise cost
#: seconds and gigabytes to stem, index and highlight.
MAX_WORD_CHARS = 64
#: The most terms a query may have, phrases included; a longer query is
#: refused with a ValueError (dropping terms would quietly change what an
#: AND of them finds).
MAX_QUERY_TERMS = 64

# A word is a run of letters and digits once the text is normalized.
# Apostrophes are dropped first, so "Joe's", "Joe’s" and "Joes" are one word.
_WORD = re.compile(r"[^\W_]+")
_CHUNK = re.compile(r"\S+")
_SPACE = re.compile(r"\s")
# A word as the original text writes it, before normalization: letters and
# digits with the marks, joiners and apostrophes that normalization removes
# from inside a word. The ZWNJ is not among them: it separates words, as it
# does after normalization. Used to find the offsets of matched words.
_RAW_WORD = re.compile(
    "(?:[^\\W_]|[\u0300-\u036f\u0483-\u0489\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06ed\u0640\u200d\u00ad])+(?:['\u2019\u02bc](?:[^\\W_])+)*"
)
_QUOTES = str.maketrans(dict.fromkeys("“”„«»‟〝〞＂", '"'))

# Column weights for BM25: a word in a title or the company's name says more
# about what a story is than the same word somewhere in a long passage.
# Each field is a column of its own, so that a phrase never matches across
# the end of one field and the start of the next.
#
# A story has one row for each language it reads in: its original and each
# translation, so a hit can say which text matched and show it.
_COLUMNS = ("title", "company", "summary", "body", "facets")
_WEIGHTS = (5.0, 5.0, 2.0, 1.0, 0.0)
_TEXT_COLUMNS = "{title company summary body}"

DEFAULT_SNIPPET_WIDTH = 160
#: Snippets look for the matched words in the first this many characters of
#: each field; a match further into a longer field is not highlighted.
SNIPPET_SCAN_CHARS = 65_536


# Persian suffixes that writers join to a word with a ZWNJ, a space or
# nothing. Normalization reads the ZWNJ as a space, so written apart they are
# words of their own: plural ها, ezafe and indefinite ی/ای, possessive and
# comparative endings. They carry nothing to search for, so they index as
# nothing, and «حلقه‌ها», «حلقه ها» and «حلقه» all index as «حلقه».
_PERSIAN_CLITICS = frozenset(
    {
        *("ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان"),
        *("ی", "ای", "ام", "ات", "اش", "مان", "تان", "شان", "تر", "ترین"),
    }
)


def _persian_stem(word: str) -> str:
    """A light stemmer for Persian plurals: conservative, so that words stay apart.

    Only plural endings are taken off a joined word, and only when enough of
    the word is left for it not to be a different short word: «حلقه‌ها» and
    «حلقهها» become «حلقه», «مشتریان» becomes «مشتری», «دانشجویان»
    becomes «دانشجو», «مشکلات» becomes «مشکل», but «تنها», «مهمان» and
    «حیات» stay as they are.
    """
    if word in _PERSIAN_CLITICS:
        return ""
    for suffix in ("هایی", "های", "ها"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    # The Arabic plural in ـات («مشکلات», «سوالات»), where four letters or more
    # are left: «حیات» and «ثبات» are words of their own.
    if word.endswith("ات") and len(word) >= 6:
        return word[:-2]
    if word.endswith("ان") and len(word) >= 6:
        stem = word[:-2]
        # «آقایان», «دانشجویان»: a ی joins the plural to a final vowel.
        if stem.endswith("ی") and stem[-2] in "او":
            stem = stem[:-1]
        return stem
    return word


class _Stemmer:
    """Stemmers picked by script: Snowball's Russian and English, and a light Persian one.

    Snowball's own Persian stemmer conflates too eagerly for this text (it
    turns "employees" into "work") and does not relate the singular and
    plural of common nouns such as "customer", so Persian has
    `_persian_stem`. A stem may be empty: a Persian suffix written apart
    from its word, which search then ignores.
    """

    def __init__(self) -> None:
        import Stemmer

        self._russian: Callable[[str], str] = Stemmer.Stemmer("russian").stemWord
        self._english: Callable[[str], str] = Stemmer.Stemmer("english").stemWord
        self._known: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        stem = self._known.get(word)
        if stem is None:
            stem = self._stem(word)
            if len(self._known) < 200_000:
                self._known[word] = stem
        return stem

    def _stem(self, word: str) -> str:
        first = word[0]
        if "\u0430" <= first <= "\u045f":
            return self._russian(word) or word
        if "a" <= first <= "z":
            return self._english(word) or word
        if "\u0620" <= first <= "\u06ff":
            return _persian_stem(word)
        return word

    def joined(self, words: list[str], known: dict[str, str]) -> str:
        """The stems of *words*, joined by spaces, with *known* as the cache.

        This is the hot loop of indexing: `map` over the cache's
        `__getitem__` runs in C, and only new words reach the stemmer.
        """
        try:
            return " ".join(map(known.__getitem__, words))
        except KeyError:
            for word in words:
                if word not in known:
                    known[word] = self._stem(word)
            return " ".join(map(known.__getitem__, words))


_stemmer: _Stemmer | None = None
_stemmer_lock = threading.Lock()


def _get_stemmer() -> _Stemmer:
    global _stemmer
    if _stemmer is None:
        with _stemmer_lock:
            if _stemmer is None:
                _stemmer = _Stemmer()
    return _stemmer


def _words(text: str) -> list[str]:
    """The words of *text*, normalized but not stemmed, cut to MAX_WORD_CHARS."""
    words: list[str] = _WORD.findall(normalize(text).replace("'", ""))
    if any(len(word) > MAX_WORD_CHARS for word in words):
        return [word[:MAX_WORD_CHARS] for word in words]
    return words


def search_terms(text: str) -> tuple[str, ...]:
    """Return the terms search indexes for *text*, and looks up for a query word.

    The text is put through [`normalize()`][clientocracy.normalize],
    apostrophes are dropped, it is split into runs of letters and digits,
    each Russian or English word is reduced to its Snowball stem, and
    Persian plurals to their singular (a Persian suffix written apart from
    its word is no term). Two texts match exactly when they share terms, so
    this tells why a query finds a story or not.

    Raises:
        TypeError: *text* is not a string.

    Examples:
        >>> from clientocracy import search_terms
        >>> search_terms("Будильники")
        ('будильник',)
        >>> search_terms("Trader Joe’s") == search_terms("trader joes")
        True
        >>> search_terms("می‌شوند") == search_terms("مي شوند")
        True
        >>> search_terms("حلقه‌ها") == search_terms("حلقه ها") == search_terms("حلقه")
        True
        >>> search_terms("مشتریان") == search_terms("مشتری")
        True
    """
    if not isinstance(text, str):
        raise TypeError(f"search terms come from a string, not {type(text).__name__}")
    stem = _get_stemmer()
    return tuple(term for term in map(stem, _words(text)) if term)


class _Query:
    """A parsed query: AND of clauses, each clause a phrase of one or more terms.

    Words outside quotes are clauses of their own; a word that normalizes to
    several terms (`e-mail`, a Persian word typed with a ZWNJ) is a phrase
    of them. Quoted words are one phrase. The last word also matches as a
    prefix unless the query ends in a space or a closing quote.
    """

    def __init__(self, text: str) -> None:
        stem = _get_stemmer()
        self.phrases: list[tuple[str, ...]] = []
        # Terms of distinct phrases so far: a query is refused as soon as it
        # is known to be too long, before its every word is stemmed.
        distinct: set[tuple[str, ...]] = set()
        counted = 0
        # The last word as typed (normalized, unstemmed) while it is still
        # being typed; it also matches as a prefix.
        self.prefix: str | None = None
        parts = text.translate(_QUOTES).split('"')
        last_open = False
        for index, part in enumerate(parts):
            quoted = index % 2 == 1
            groups = [part] if quoted else _CHUNK.findall(part)
            for group in groups:
                words = _words(group)
                if len(words) > MAX_QUERY_TERMS:
                    _too_many(len(words))
                terms = tuple(term for term in map(stem, words) if term)
                if terms:
                    if terms not in distinct:
                        distinct.add(terms)
                        counted += len(terms)
                        if counted > MAX_QUERY_TERMS:
                            _too_many(counted)
                    self.phrases.append(terms)
                    # A word typed to its end with a suffix is no prefix.
                    self.prefix = words[-1] if stem(words[-1]) else None
            if quoted:
                last_open = index == len(parts) - 1  # an unclosed quote runs to the end
        ends_open = bool(text) and not text[-1].isspace() and (not text.endswith('"') or last_open)
        if not ends_open or not self.phrases:
            self.prefix = None
        # A repeated clause adds nothing to an AND; keep the first, in order.
        seen: set[tuple[str, ...]] = set()
        unique = []
        for index, phrase in enumerate(self.phrases):
            is_last = index == len(self.phrases) - 1
            if phrase not in seen or (is_last and self.prefix is not None):
                unique.append(phrase)
                seen.add(phrase)
        self.phrases = unique

    def __bool__(self) -> bool:
        return bool(self.phrases)

    def fts(self) -> str:
        """The FTS5 expression; every term is quoted and made of letters and digits only."""
        clauses = [_quote(phrase) for phrase in self.phrases]
        if self.prefix is not None:
            typed = _quote((*self.phrases[-1][:-1], self.prefix)) + "*"
            clauses[-1] = f"({clauses[-1]} OR {typed})"
        return f"{_TEXT_COLUMNS} : ({' AND '.join(clauses)})"

    def matcher(self) -> Callable[[str, str], bool]:
        """Whether a word (normalized, unstemmed) and its stem match the query."""
        stems = {term for phrase in self.phrases for term in phrase}
        prefix = self.prefix

        def matches(word: str, stem: str) -> bool:
            return stem in stems or (prefix is not None and word.startswith(prefix))

        return matches


def _too_many(terms: int) -> NoReturn:
    raise ValueError(
        f"the query has more than {MAX_QUERY_TERMS} words ({terms} so far), the limit; "
        "search for fewer words: every word must match, so a few distinctive ones find as much"
    )


def _quote(terms: Sequence[str]) -> str:
    return '"' + " ".join(terms) + '"'


#: A story's rows in the index are numbered ``position * _READINGS + reading``:
#: reading 0 is the original, reading *k* its *k*-th translation. The number
#: alone says which story and text a row is, so no table maps rows to stories.
_READINGS = MAX_TRANSLATIONS + 1

#: From this many stories on, the index is analysed and inserted in two threads.
PARALLEL_FROM = 5_000


def create_index_table(db: sqlite3.Connection, table: str) -> None:
    """Create the FTS5 table of the search index, or explain that FTS5 is missing."""
    import sqlite3

    try:
        db.execute(
            f"CREATE VIRTUAL TABLE {table} USING fts5({', '.join(_COLUMNS)}, "
            "tokenize='ascii', content='', detail=full)"
        )
    except sqlite3.OperationalError as error:
        raise RuntimeError(
            "clientocracy's search needs SQLite's FTS5 extension, which the sqlite3 module "
            f"of this Python lacks ({error}); use a Python built with FTS5 enabled "
            "(the python.org, Debian, Homebrew and conda builds all have it)"
        ) from None


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
    stem = _get_stemmer()
    return " ".join(term for term in map(stem, _words(chunk)) if term)


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

    insert = f"INSERT INTO {table}(rowid, {', '.join(_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)"
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
    [`compile`][clientocracy.compile]); searching is the same for both.
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
    def in_memory(cls, store: Store) -> SearchIndex:
        """Build the index of *store* in an in-memory database."""
        import sqlite3

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
        width: int = DEFAULT_SNIPPET_WIDTH,
    ) -> tuple[SearchHit, ...]:
        parsed = _Query(query)
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
        weights = ", ".join(str(weight) for weight in _WEIGHTS)
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
        parsed = _Query(query)
        if not parsed:
            return 0
        table = self._table
        with self._lock:
            (found,) = self._db.execute(
                f"SELECT count(DISTINCT rowid / {_READINGS}) FROM {table} WHERE {table} MATCH ?",
                (parsed.fts(),),
            ).fetchone()
        return int(found)


def count_matches(corpus: Corpus, query: str) -> int:
    """How many stories of *corpus* match *query*, unfiltered; cheap, with no snippets."""
    return corpus._store.search_index().count(query)


# -- snippets -----------------------------------------------------------------


def _field_text(story: Story, language: str, field: str, passage: str | None = None) -> str | None:
    """The text of *field* of *story* in *language*, or None if it has none."""
    if field == "company":
        return story.company.name
    if field == "text":
        if language == story.language.id:
            return story.text if passage is None else passage
        return next((t.text for t in story.translations if t.language.id == language), None)
    texts = dict(story.titles if field == "title" else story.summaries)
    return texts.get(language)


# The words of a raw word of text, with their stems. Texts repeat their
# words a lot, so snippets for ten hits analyse few distinct ones; the cache
# is dropped whole when it grows large rather than tracking what is old.
_analysed: dict[str, tuple[tuple[str, str], ...]] = {}


def _analyse(raw: str) -> tuple[tuple[str, str], ...]:
    pairs = _analysed.get(raw)
    if pairs is None:
        stem = _get_stemmer()
        pairs = tuple((word, stem(word)) for word in _words(raw))
        if len(raw) > 4 * MAX_WORD_CHARS:
            return pairs  # an outlandish "word": not worth keeping
        if len(_analysed) > 100_000:
            _analysed.clear()
        _analysed[raw] = pairs
    return pairs


def _matched(
    text: str, matches: Callable[[str, str], bool], memo: dict[str, frozenset[str]]
) -> list[tuple[int, int, frozenset[str]]]:
    """The words of *text* that match, as (start, end, their terms), in order.

    *memo* holds the matched terms of each word as written, for one query:
    texts repeat their words, and the snippets of one search read many texts.
    """
    found = []
    for run in _RAW_WORD.finditer(text):
        raw = run.group()
        terms = memo.get(raw)
        if terms is None:
            terms = memo[raw] = frozenset(
                stem for word, stem in _analyse(raw) if matches(word, stem)
            )
        if terms:
            start, end = run.span()
            found.append((start, end, terms))
    return found


def snippet(
    story: Story,
    language: str,
    matches: Callable[[str, str], bool],
    width: int,
    passage: str | None = None,
    memo: dict[str, frozenset[str]] | None = None,
) -> Snippet:
    """The excerpt of *story*, in *language*, around its best match.

    The field is the one with the most distinct matched terms (the passage
    first on a tie); within it, the place with the most distinct matched
    terms within *width* characters, the earliest on a tie. A row of the
    original also holds the texts written in languages the story has no
    translation into, so those are looked in too. *passage* is the story's
    passage if the caller has it at hand (`story.text` reads the source);
    *memo* is shared by the snippets of one query (see `_matched`).
    """
    if memo is None:
        memo = {}
    own = story.language.id
    languages = [language]
    if language == own:
        translated = {t.language.id for t in story.translations}
        languages += [t for t, _ in (*story.titles, *story.summaries) if t not in translated]
    best: tuple[str, str, str, list[tuple[int, int, frozenset[str]]]] | None = None
    best_count = 0
    for field in SEARCH_FIELDS:
        for tag in dict.fromkeys(languages):
            text = _field_text(story, tag, field, passage)
            if text is None:
                continue
            # Only the start of a very long field is looked at, so that a hit
            # costs the same whatever the length of its story.
            found = _matched(text[: _word_end(text, SNIPPET_SCAN_CHARS)], matches, memo)
            count = len(frozenset().union(*(terms for _, _, terms in found)))
            if count > best_count:
                best, best_count = (field, tag, text, found), count
    if best is None:
        # Matched through a company alias only: show the passage's beginning.
        text = passage if passage is not None and language == own else story.text_in(language)
        return _excerpt("text", language, text, [], width)
    return _excerpt(*best, width)


def _excerpt(
    field: str,
    language: str,
    text: str,
    found: Sequence[tuple[int, int, frozenset[str]]],
    width: int,
) -> Snippet:
    if len(text) <= width:
        begin, end = 0, len(text)
    else:
        anchor = _densest(found, width)
        # Some words of context before the first match, then cut at word edges.
        begin = _word_start(text, max(0, anchor - width // 4)) if found else 0
        end = _word_end(text, begin + width)
    excerpt = text[begin:end]
    # Offsets count from the excerpt as shown, without its surrounding space.
    offset = begin + len(excerpt) - len(excerpt.lstrip())
    return Snippet(
        field=field,
        language=language,
        text=excerpt.strip(),
        start=offset,
        highlights=tuple(
            Span(start=start - offset, end=stop - offset)
            for start, stop, _ in found
            if begin <= start and stop <= end
        ),
        clipped_start=begin > 0,
        clipped_end=end < len(text),
    )


def _densest(found: Sequence[tuple[int, int, frozenset[str]]], width: int) -> int:
    """The start of the match whose window of *width* characters holds the most
    distinct terms, the earliest on a tie (0 if nothing matched).

    One pass with two ends and a count of each term in the window: the cost
    grows with the matches, not with the matches times those in a window,
    which for a text of a thousand one-letter matches was seconds per hit.
    """
    anchor, best = 0, -1
    counts: dict[str, int] = {}
    right = 0
    for index, (start, _, terms) in enumerate(found):
        right = max(right, index)
        while right < len(found) and found[right][1] - start <= width:
            for term in found[right][2]:
                counts[term] = counts.get(term, 0) + 1
            right += 1
        if len(counts) > best:
            anchor, best = start, len(counts)
        if right > index:  # the match was in the window: take it out
            for term in terms:
                counts[term] -= 1
                if not counts[term]:
                    del counts[term]
    return anchor


def _word_start(text: str, offset: int) -> int:
    """*offset*, moved forward to the start of the next word if it falls inside one."""
    if offset == 0 or text[offset - 1].isspace():
        return offset
    space = _SPACE.search(text, offset, offset + MAX_WORD_CHARS)
    return space.end() if space else offset


def _word_end(text: str, offset: int) -> int:
    """*offset*, moved back to the end of the previous word if it falls inside one.

    It looks back at most MAX_WORD_CHARS characters: a longer "word" is cut.
    """
    if offset >= len(text):
        return len(text)
    if text[offset].isspace():
        return offset
    cut = offset
    floor = max(0, offset - MAX_WORD_CHARS)
    while cut > floor and not text[cut - 1].isspace():
        cut -= 1
    return cut - 1 if cut > 1 and text[cut - 1].isspace() else offset


def run_search(
    corpus: Corpus,
    index_of: Callable[[], SearchIndex],
    query: object,
    *,
    company: object,
    principle: object,
    language: object,
    limit: object,
) -> tuple[SearchHit, ...]:
    """Check the arguments, resolve the filters, and search.

    This is [`Corpus.search()`][clientocracy.Corpus.search], kept here with
    the rest of search so that importing the corpus stays cheap.
    """
    if not isinstance(query, str):
        raise TypeError(f"a search query is a string, not {type(query).__name__}")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool)):
        raise TypeError(f"limit= is a whole number or None, not {type(limit).__name__}")
    if limit is not None and limit < 0:
        raise ValueError(f"limit= cannot be negative, got {limit}; use None for every hit")
    # Resolve the filters first: an unknown name is an error even for a query
    # that would find nothing.
    companies, principles, languages = corpus._resolve_facets(
        company=company, principle=principle, language=language
    )
    return index_of().search(
        query,
        companies=companies,
        principles=principles,
        languages=languages,
        limit=limit,
    )
