"""The corpus: records with their indexes, and the queries over them."""

from __future__ import annotations

import array
import itertools
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Generic, Self, TypeAlias, TypeVar, overload

from .._errors import UnknownValueError
from .._normalize import close_matches, name_key
from .._records import Company, Language, Principle, SearchHit, Source, Story
from .._stores.memory import MemoryStore, Store, iter_positions, positions_of

if TYPE_CHECKING:
    from pathlib import Path

    from .._stores.compiled import Provenance

__all__ = [
    "CompanyLike",
    "Corpus",
    "LanguageLike",
    "PrincipleLike",
    "StoryCollection",
]

_R = TypeVar("_R", bound=Language | Company | Principle | Source)

CompanyLike: TypeAlias = "Company | str | Iterable[Company | str]"
"""A company given by record, id, name or alias, or several of them (the `company=` filter)."""

PrincipleLike: TypeAlias = "Principle | str | Iterable[Principle | str]"
"""A principle given by record, id, name or alias, or several of them (`principle=`)."""

LanguageLike: TypeAlias = "Language | str | Iterable[Language | str]"
"""A language given by record, tag, ISO 639 code or name, or several of them (`language=`)."""


# Enough to show every story of a company, few enough to read in one line.
_MAX_STORY_SUGGESTIONS = 5


class _Facet(Generic[_R]):
    """Resolves the names of one kind of record to the records themselves."""

    def __init__(
        self,
        facet: str,
        kind: type[_R],
        records: Sequence[_R],
        names: Callable[[_R], Iterable[str]],
        display: Callable[[_R], str],
        keys: Sequence[tuple[str, str]] | None = None,
    ) -> None:
        self.facet = facet
        self.kind = kind
        self.records = tuple(records)
        self.by_id = {record.id: record for record in self.records}
        self.display = display
        self.by_key: dict[str, _R] = {}
        if keys is not None:  # the name keys, computed when the corpus was compiled
            for key, id in keys:
                self.by_key.setdefault(key, self.by_id[id])
            return
        for record in self.records:
            for name in names(record):
                self.by_key.setdefault(name_key(name), record)

    def resolve(self, value: object) -> _R:
        if isinstance(value, self.kind):
            record = self.by_id.get(value.id)
            if record is not None:
                return record
            raise UnknownValueError(self.facet, value.id, self.suggest(value.id))
        if not isinstance(value, str):
            raise TypeError(
                f"a {self.facet} is given as a {self.kind.__name__} record or a string, "
                f"not {type(value).__name__}"
            )
        record = self.by_key.get(name_key(value))
        if record is None:
            raise UnknownValueError(self.facet, value, self.suggest(value))
        return record

    def resolve_many(self, value: object) -> frozenset[str]:
        """Resolve one value or an iterable of values to a set of ids."""
        if isinstance(value, str | self.kind):
            return frozenset((self.resolve(value).id,))
        if not isinstance(value, Iterable):
            raise TypeError(
                f"{self.facet}= takes a {self.kind.__name__}, a string, or an iterable of "
                f"them, not {type(value).__name__}"
            )
        return frozenset(self.resolve(item).id for item in value)

    def suggest(self, value: str) -> list[str]:
        close = close_matches(name_key(value), self.by_key, 6)
        names: list[str] = []
        for match in close:
            name = self.display(self.by_key[match])
            if name not in names:
                names.append(name)
        return names[:3]


class StoryCollection(Sequence[Story]):
    """An immutable, ordered collection of stories.

    It is a `Sequence` (`len`, iteration, indexing and slicing), keeps the
    corpus order, and narrows further with
    [`filter()`][clientocracy.StoryCollection.filter]. Two collections are
    equal when they hold the same stories in the same order.

    A collection is lazy: it knows which stories it holds and how many, and
    makes each record only when it is read, so a filter that matches most of
    a million stories returns at once and costs no memory.

    Examples:
        >>> import clientocracy
        >>> russian = clientocracy.stories(language="ru")
        >>> len(russian), russian[0].id
        (8, 'jetblue-free-coffee-at-the-gate')
        >>> russian.filter(company="LEGO").ids()
        ('lego-emerald-night-train', 'lego-letter-from-sensei-wu')
    """

    __slots__ = ("_corpus", "_length", "_mask", "_positions")

    _corpus: Corpus
    _length: int | None
    # Which stories of the corpus the collection holds: their positions, in
    # order, or (for the result of a filter, until first read) a bit mask.
    _mask: int | None
    _positions: Sequence[int] | None

    def __init__(self, corpus: Corpus, stories: Iterable[Story]) -> None:
        store = corpus._store
        positions = array.array("L")
        for story in stories:
            position = store.position_of(story.id)
            if position is None or store.story_at(position) != story:
                raise ValueError(f"story {story.id!r} is not in this corpus")
            positions.append(position)
        self._corpus = corpus
        self._positions = positions
        self._mask = None
        self._length = None

    @classmethod
    def _of(
        cls, corpus: Corpus, *, positions: Sequence[int] | None = None, mask: int | None = None
    ) -> StoryCollection:
        collection = cls.__new__(cls)
        collection._corpus = corpus
        collection._positions = positions
        collection._mask = mask
        collection._length = None
        return collection

    def _pos(self) -> Sequence[int]:
        positions = self._positions
        if positions is None:
            positions = self._positions = positions_of(self._mask or 0)
        return positions

    @overload
    def __getitem__(self, index: int) -> Story: ...
    @overload
    def __getitem__(self, index: slice) -> StoryCollection: ...
    def __getitem__(self, index: int | slice) -> Story | StoryCollection:
        if isinstance(index, slice):
            start, stop, step = index.start or 0, index.stop, index.step or 1
            if self._positions is None and step == 1 and stop is not None and 0 <= start <= stop:
                # The first stories of a filter's result, without finding all the others.
                first = itertools.islice(iter_positions(self._mask or 0), start, stop)
                return StoryCollection._of(self._corpus, positions=array.array("L", first))
            return StoryCollection._of(self._corpus, positions=self._pos()[index])
        try:
            position = self._pos()[index]
        except IndexError:
            raise IndexError(f"story collection index out of range: {index}") from None
        return self._corpus._store.story_at(position)

    def __len__(self) -> int:
        if self._positions is not None:
            return len(self._positions)
        if self._length is None:
            self._length = (self._mask or 0).bit_count()
        return self._length

    def _iter_positions(self) -> Iterable[int]:
        if self._positions is not None:
            return self._positions
        return iter_positions(self._mask or 0)

    def __iter__(self) -> Iterator[Story]:
        return self._corpus._store.iterate(self._iter_positions())

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, Story):
            return False
        store = self._corpus._store
        position = store.position_of(value.id)
        if position is None:
            return False
        if self._positions is not None:
            held = position in self._positions
        else:
            held = bool((self._mask or 0) >> position & 1)
        return held and store.story_at(position) == value

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StoryCollection):
            return NotImplemented
        if len(self) != len(other):
            return False
        if self._corpus is other._corpus:
            if self._mask is not None and other._mask is not None:
                return self._mask == other._mask
            return all(a == b for a, b in zip(self._pos(), other._pos(), strict=True))
        return all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(self.ids())

    def __repr__(self) -> str:
        first = itertools.islice(self._iter_positions(), 5)
        shown = ", ".join(repr(id) for id in self._corpus._store.ids_at(first))
        more = f", … {len(self) - 5} more" if len(self) > 5 else ""
        return f"<StoryCollection of {len(self)} stories: [{shown}{more}]>"

    def ids(self) -> tuple[str, ...]:
        """Return the ids of the stories, in order."""
        return self._corpus._store.ids_at(self._iter_positions())

    def filter(
        self,
        *,
        company: CompanyLike | None = None,
        principle: PrincipleLike | None = None,
        language: LanguageLike | None = None,
    ) -> StoryCollection:
        """Return the stories of this collection that match every given facet.

        Takes the same keywords as [`stories()`][clientocracy.stories], and
        keeps this collection's order.

        Raises:
            UnknownValueError: A value names nothing.
        """
        corpus = self._corpus
        if self is corpus._all:
            # The whole corpus: its facet indexes answer without a scan.
            return corpus.stories(company=company, principle=principle, language=language)
        mask = corpus._select(company=company, principle=principle, language=language)
        if mask is None:
            return self
        if self._mask is not None:
            return StoryCollection._of(corpus, mask=self._mask & mask)
        bits = mask.to_bytes((len(corpus._store) + 7) // 8, "little")
        kept = array.array("L", [p for p in self._pos() if bits[p >> 3] >> (p & 7) & 1])
        return StoryCollection._of(corpus, positions=kept)


class Corpus:
    """A set of stories with their companies, principles, languages and sources.

    The bundled dataset is [`Corpus.bundled()`][clientocracy.Corpus.bundled],
    which the functions of the package query; [`load()`][clientocracy.load]
    reads your own. A corpus is immutable once built, and its queries are
    the package's functions, as methods. Its records live in memory (a
    corpus loaded from a JSON catalog, or built in code) or in a compiled
    SQLite file (see [`compile()`][clientocracy.compile]); the two answer
    every query alike.

    Examples:
        >>> from clientocracy import Corpus
        >>> corpus = Corpus.bundled()
        >>> corpus
        <Corpus: 10 stories, 8 companies, 5 principles, 3 languages, 2 sources>
        >>> corpus.stories(principle="no red tape").ids()
        ('trader-joes-snowbound-delivery', 'zappos-flowers-for-a-mother')
    """

    __slots__ = ("_all", "_facets", "_facets_lock", "_store")

    def __init__(
        self,
        *,
        languages: Iterable[Language],
        companies: Iterable[Company],
        principles: Iterable[Principle],
        sources: Iterable[Source],
        stories: Iterable[Story],
        places: Mapping[tuple[str, str], str] | None = None,
    ) -> None:
        self._attach(
            MemoryStore(
                languages=languages,
                companies=companies,
                principles=principles,
                sources=sources,
                stories=stories,
                places=places,
            )
        )

    @classmethod
    def _from_store(cls, store: Store) -> Corpus:
        corpus = cls.__new__(cls)
        corpus._attach(store)
        return corpus

    def _attach(self, store: Store) -> None:
        self._store = store
        self._facets: tuple[_Facet[Language], _Facet[Company], _Facet[Principle]] | None = None
        self._facets_lock = threading.Lock()
        self._all = StoryCollection._of(self, positions=range(len(store)))

    def _vocabulary(self) -> tuple[_Facet[Language], _Facet[Company], _Facet[Principle]]:
        facets = self._facets
        if facets is None:
            with self._facets_lock:
                facets = self._facets
                if facets is None:
                    languages, companies, principles = self._store.vocabularies()
                    keys = self._store.name_keys() or {}
                    facets = self._facets = (
                        _Facet(
                            "language",
                            Language,
                            languages,
                            lambda r: r.names,
                            _name,
                            keys.get("language"),
                        ),
                        _Facet(
                            "company",
                            Company,
                            companies,
                            lambda r: r.names,
                            _name,
                            keys.get("company"),
                        ),
                        _Facet(
                            "principle",
                            Principle,
                            principles,
                            lambda r: r.all_names,
                            _name,
                            keys.get("principle"),
                        ),
                    )
        return facets

    @staticmethod
    def bundled() -> Corpus:
        """Return the dataset shipped with the package.

        It is read on first use, once per process, safely under threads; later
        calls return the same object.
        """
        global _bundled
        if _bundled is None:
            with _bundled_lock:
                if _bundled is None:
                    from .._catalog.loading import load_bundled

                    _bundled = Corpus._from_store(load_bundled())
        return _bundled

    @staticmethod
    def load(path: str | os.PathLike[str], *, base: Corpus | None = None) -> Corpus:
        """Load a corpus folder or open a compiled file, as [`load()`][clientocracy.load] does."""
        from .._stores.compiled import looks_like_sqlite

        given = os.fspath(path)
        # A compiled file opens without the catalog loader (and its imports).
        if os.path.isfile(given) and looks_like_sqlite(given):
            if base is not None:
                raise ValueError(
                    "base= is for catalogs: a compiled corpus holds every record it refers to"
                )
            from .._stores.sqlite import open_compiled

            return Corpus._from_store(open_compiled(given))
        from .._catalog.loading import load

        return Corpus._from_store(load(given, base=Corpus.bundled() if base is None else base))

    def compile(self, path: str | os.PathLike[str]) -> Path:
        """Write this corpus to a compiled SQLite file; see [`compile`][clientocracy.compile]."""
        from .._stores.sqlite import compile_corpus

        return compile_corpus(self, path)

    def close(self) -> None:
        """Close the compiled file this corpus reads its records from.

        Records already made stay usable; reading more (a query, a search,
        a source's text not yet read) then raises `ValueError`. A corpus in
        memory has nothing to close, so this does nothing. A corpus is also
        a context manager that closes itself at the end of a `with` block;
        without either, the file is closed when the corpus is collected.

        ```pycon
        >>> import clientocracy
        >>> with clientocracy.Corpus.bundled().merge() as corpus:
        ...     len(corpus.stories())
        10

        ```
        """
        self._store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def provenance(self) -> Provenance | None:
        """What a compiled corpus was built from, and by which release; `None` for others."""
        return self._store.provenance()

    def place(self, facet: str, id: str) -> str:
        """Tell where the record of *facet* with *id* was defined.

        Args:
            facet: `"story"`, `"company"`, `"principle"`, `"language"` or `"source"`.
            id: The record's id.

        Returns:
            A catalog file and record, such as
                `"stories/catalog.json: companies[2]"`, or `"(built in code)"`
                for records passed to the constructor.
        """
        return self._store.place(facet, id) or "(built in code)"

    def merge(self, *others: Corpus) -> Corpus:
        """Return one corpus holding the records of this corpus and of *others*.

        A record that two corpora define identically (a bundled company that
        both refer to, say) is kept once. Nothing is ever silently
        overridden. `a | b` is `a.merge(b)`.

        Raises:
            CorpusError: Two different records have the same id, or two
                records of a facet answer to the same name; the error names
                both places.
        """
        from .._catalog.checks import Problems, check_names
        from .._errors import CorpusError

        problems = Problems("")
        places: dict[tuple[str, str], str] = {}
        merged: dict[str, dict[str, object]] = {}
        for corpus in (self, *others):
            for facet, records in (
                ("language", corpus.languages()),
                ("company", corpus.companies()),
                ("principle", corpus.principles()),
                ("source", corpus.sources()),
                ("story", corpus.stories()),
            ):
                kept = merged.setdefault(facet, {})
                for record in records:
                    here = corpus.place(facet, record.id)
                    first = kept.setdefault(record.id, record)
                    if first is record or first == record:
                        places.setdefault((facet, record.id), here)
                        continue
                    problems.lines.append(
                        f"{facet} {record.id!r} is defined twice, differently: at "
                        f"{places[(facet, record.id)]} and at {here}; rename one of them"
                    )
        if problems:
            raise CorpusError(problems.lines)
        corpus = Corpus._from_store(
            MemoryStore(
                languages=merged["language"].values(),  # type: ignore[arg-type]
                companies=merged["company"].values(),  # type: ignore[arg-type]
                principles=merged["principle"].values(),  # type: ignore[arg-type]
                sources=merged["source"].values(),  # type: ignore[arg-type]
                stories=merged["story"].values(),  # type: ignore[arg-type]
                places=places,
                origins=[origin for c in (self, *others) for origin in c._store.origins],
            )
        )
        check_names(corpus._store, problems)
        if problems:
            raise CorpusError(problems.lines)
        return corpus

    def __or__(self, other: object) -> Corpus:
        if not isinstance(other, Corpus):
            return NotImplemented
        return self.merge(other)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Corpus):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[tuple[object, ...], ...]:
        return (
            self.languages(),
            self.companies(),
            self.principles(),
            self.sources(),
            tuple(self._all),
        )

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write this corpus to a new folder in the catalog format, texts included.

        The folder must not exist yet or be empty. [`load()`][clientocracy.load]
        reads it back into an equal corpus. The save is atomic: every file is
        complete before the catalog appears, and a save that fails leaves no
        catalog behind.

        Raises:
            FileExistsError: The folder exists and is not empty.
            ValueError: A string of the corpus is not valid Unicode (a lone
                surrogate); nothing was written.
            OSError: Writing failed (a full disk); the files written were
                removed again.
        """
        from .._catalog.saving import save

        save(self, path)

    def __repr__(self) -> str:
        store = self._store
        languages, companies, principles = store.vocabularies()
        return (
            f"<Corpus: {len(store)} stories, {len(companies)} companies, "
            f"{len(principles)} principles, {len(languages)} "
            f"languages, {len(store.source_ids())} sources>"
        )

    # -- the queries -------------------------------------------------------

    def stories(
        self,
        *,
        company: CompanyLike | None = None,
        principle: PrincipleLike | None = None,
        language: LanguageLike | None = None,
    ) -> StoryCollection:
        """Return the stories that match every given facet, in corpus order.

        Each keyword takes one value or an iterable of values; a story matches
        a facet when it matches any of its values (OR), and must match every
        facet given (AND). `None` leaves a facet out; an empty iterable
        matches nothing. A value is a record, its id, or any of its names or
        aliases, compared with [`name_key()`][clientocracy.name_key].

        Args:
            company: The companies to keep; `None` leaves the facet out.
            principle: The principles to keep; `None` leaves the facet out.
            language: The languages to keep; `None` leaves the facet out.

        Returns:
            The matching stories.

        Raises:
            UnknownValueError: A value names nothing.
            TypeError: A value is neither a string nor a record.
        """
        chosen = self._chosen(company=company, principle=principle, language=language)
        if not chosen:
            return self._all
        if len(chosen) == 1 and len(chosen[0][1]) == 1:
            facet, ids = chosen[0]
            positions = self._store.positions(facet + next(iter(ids)))
            if positions is not None:
                return StoryCollection._of(self, positions=positions)
        return StoryCollection._of(self, mask=self._mask(chosen))

    def _mask(self, chosen: Sequence[tuple[str, frozenset[str]]]) -> int:
        """The stories that match every facet of *chosen* (facet letter, ids), as bits."""
        store = self._store
        result = -1  # every bit set
        for facet, ids in chosen:
            either = 0
            for id in ids:
                either |= store.mask(facet + id)
            result &= either
        return max(result, 0)

    def _chosen(
        self, *, company: object, principle: object, language: object
    ) -> list[tuple[str, frozenset[str]]]:
        """The facets given, as (facet letter, ids allowed), raising on unknown values."""
        companies, principles, languages = self._resolve_facets(
            company=company, principle=principle, language=language
        )
        return [
            (facet, ids)
            for facet, ids in (("c", companies), ("p", principles), ("l", languages))
            if ids is not None
        ]

    def _select(self, *, company: object, principle: object, language: object) -> int | None:
        """The bit mask of the stories the facets allow (None: not filtered)."""
        chosen = self._chosen(company=company, principle=principle, language=language)
        return self._mask(chosen) if chosen else None

    def story(self, id: str) -> Story:
        """Return the story with this id (compared as names are).

        Raises:
            UnknownValueError: No story has this id; the suggestions are the
                ids that start with or contain it, the stories of a company
                of that name, and ids spelled alike.

        Examples:
            >>> from clientocracy import Corpus, UnknownValueError
            >>> Corpus.bundled().story("LEGO-Letter-from-Sensei-Wu").id
            'lego-letter-from-sensei-wu'
            >>> try:
            ...     Corpus.bundled().story("nordstrom")
            ... except UnknownValueError as error:
            ...     print(error.suggestions)
            ('nordstrom-lost-diamond-ring',)
        """
        if not isinstance(id, str):
            raise TypeError(f"a story id is a string, not {type(id).__name__}")
        store = self._store
        position = store.position_of(id)
        if position is None:
            key = name_key(id)
            position = store.position_of_key(key)
            if position is None:
                raise UnknownValueError("story", id, self._suggest_stories(key))
        return store.story_at(position)

    def _suggest_stories(self, key: str) -> list[str]:
        """Ids for a mistyped one: those starting with or containing it, a company's, close ones."""
        store = self._store
        found = dict.fromkeys(store.ids_like(key, _MAX_STORY_SUGGESTIONS))
        company = self._vocabulary()[1].by_key.get(key)
        if company is not None:
            found.update(
                dict.fromkeys(self.stories(company=company)[:_MAX_STORY_SUGGESTIONS].ids())
            )
        found.update(dict.fromkeys(store.close_ids(key)))
        return list(found)[:_MAX_STORY_SUGGESTIONS]

    def companies(self) -> tuple[Company, ...]:
        """Return every company, in catalog order."""
        return self._store.vocabularies()[1]

    def principles(self) -> tuple[Principle, ...]:
        """Return every principle, in catalog order."""
        return self._store.vocabularies()[2]

    def languages(self) -> tuple[Language, ...]:
        """Return every language, in catalog order."""
        return self._store.vocabularies()[0]

    def sources(self) -> tuple[Source, ...]:
        """Return every source text, in catalog order."""
        return self._store.sources()

    def company(self, value: Company | str) -> Company:
        """Return the company that *value* names (id, name or alias, any script)."""
        return self._vocabulary()[1].resolve(value)

    def principle(self, value: Principle | str) -> Principle:
        """Return the principle that *value* names (id, a name in any language, alias)."""
        return self._vocabulary()[2].resolve(value)

    def language(self, value: Language | str) -> Language:
        """Return the language that *value* names (tag, ISO 639 code, English or native name)."""
        return self._vocabulary()[0].resolve(value)

    def source(self, value: Source | str) -> Source:
        """Return the source text with this id."""
        if isinstance(value, Source):
            found = self._store.source(value.id)
            if found is not None:
                return found
            value = value.id
        elif not isinstance(value, str):
            raise TypeError(
                f"a source is given as a Source record or a string, not {type(value).__name__}"
            )
        found = self._store.source(value)
        if found is None:
            close = close_matches(value, self._store.source_ids(), 3)
            raise UnknownValueError("source", value, close)
        return found

    def search(
        self,
        query: str,
        *,
        company: CompanyLike | None = None,
        principle: PrincipleLike | None = None,
        language: LanguageLike | None = None,
        limit: int | None = 10,
    ) -> tuple[SearchHit, ...]:
        """Return the stories that match *query*, best first.

        Every word of the query must match (AND); `"quoted words"` must match
        as a phrase; the last word also matches as a prefix, unless the query
        ends with a space. Words are compared after
        [`search_terms()`][clientocracy.search_terms]: normalized as names
        are, and Russian and English words stemmed. The passage, both titles,
        the English summary and the company's names are searched, titles and
        company names weighing more (BM25). Equal scores keep corpus order.

        A query is never a syntax error: one with no letters or digits finds
        nothing. The index is built on the first search and kept.

        Args:
            query: What to look for.
            company: Keep only the hits of these companies, as in
                [`stories()`][clientocracy.Corpus.stories].
            principle: Keep only the hits that show these principles.
            language: Keep only the hits in these languages.
            limit: The most hits to return; `None` for all of them.

        Returns:
            The hits, each a [`SearchHit`][clientocracy.SearchHit].

        Raises:
            UnknownValueError: A filter value names nothing.
            ValueError: *limit* is negative.

        Examples:
            >>> from clientocracy import Corpus
            >>> hits = Corpus.bundled().search('"alarm clock"')
            >>> [hit.story.id for hit in hits]
            ['gaylord-opryland-alarm-clocks']
            >>> hits[0].language.name, hits[0].snippet.field
            ('English', 'text')
            >>> print(hits[0].snippet)
            …During each stay she admired the alarm clock, which played gentle music.
            ...
        """
        if not isinstance(query, str):
            raise TypeError(f"a search query is a string, not {type(query).__name__}")
        if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool)):
            raise TypeError(f"limit= is a whole number or None, not {type(limit).__name__}")
        if limit is not None and limit < 0:
            raise ValueError(f"limit= cannot be negative, got {limit}; use None for every hit")
        # Resolve the filters first: an unknown name is an error even for a
        # query that would find nothing.
        companies, principles, languages = self._resolve_facets(
            company=company, principle=principle, language=language
        )
        return self._store.search_index().search(
            query, companies=companies, principles=principles, languages=languages, limit=limit
        )

    def _resolve_facets(
        self, *, company: object, principle: object, language: object
    ) -> tuple[frozenset[str] | None, frozenset[str] | None, frozenset[str] | None]:
        """The ids each facet allows (`None`: not filtered), raising on unknown values."""
        if company is None and principle is None and language is None:
            return None, None, None
        languages, companies, principles = self._vocabulary()
        return (
            None if company is None else companies.resolve_many(company),
            None if principle is None else principles.resolve_many(principle),
            None if language is None else languages.resolve_many(language),
        )


def _name(record: Language | Company | Principle) -> str:
    return record.name


_bundled: Corpus | None = None
_bundled_lock = threading.Lock()
