"""The corpus: records with their indexes, and the queries over them."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Self

from .._errors import UnknownValueError
from .._normalize import close_matches, name_key
from .._public import public
from .._records import Company, Language, Principle, Source, Story
from .._stores.memory import MemoryStore, Store
from .collection import StoryCollection
from .facets import CompanyLike, Facet, LanguageLike, PrincipleLike, display_name

if TYPE_CHECKING:
    from pathlib import Path

    from .._search.hits import SearchHit
    from .._stores.compiled import Provenance

__all__ = [
    "CompanyLike",
    "Corpus",
    "LanguageLike",
    "PrincipleLike",
    "StoryCollection",
]


# Enough to show every story of a company, few enough to read in one line.
_MAX_STORY_SUGGESTIONS = 5


@public
class Corpus:
    """A set of stories with their companies, principles, languages and sources.

    The bundled dataset is `Corpus.bundled()`,
    which the functions of the package query; `load()`
    reads your own. A corpus is immutable once built, and its queries are
    the package's functions, as methods. Its records live in memory (a
    corpus loaded from a JSON catalog, or built in code) or in a compiled
    SQLite file (see `compile()`); the two answer
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
        self._facets: tuple[Facet[Language], Facet[Company], Facet[Principle]] | None = None
        self._facets_lock = threading.Lock()
        self._all = StoryCollection._of(self, positions=range(len(store)))

    def _vocabulary(self) -> tuple[Facet[Language], Facet[Company], Facet[Principle]]:
        facets = self._facets
        if facets is None:
            with self._facets_lock:
                facets = self._facets
                if facets is None:
                    languages, companies, principles = self._store.vocabularies()
                    keys = self._store.name_keys() or {}
                    facets = self._facets = (
                        Facet(
                            "language",
                            Language,
                            languages,
                            lambda r: r.names,
                            display_name,
                            keys.get("language"),
                        ),
                        Facet(
                            "company",
                            Company,
                            companies,
                            lambda r: r.names,
                            display_name,
                            keys.get("company"),
                        ),
                        Facet(
                            "principle",
                            Principle,
                            principles,
                            lambda r: r.all_names,
                            display_name,
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
        """Load a corpus folder or open a compiled file, as `load()` does."""
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
        """Write this corpus to a compiled SQLite file; see `compile()`."""
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
        kept_from: dict[tuple[str, str], Corpus] = {}
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
                        kept_from.setdefault((facet, record.id), corpus)
                        continue
                    problems.lines.append(
                        _defined_twice(
                            f"{facet} {record.id!r}",
                            (places[(facet, record.id)], kept_from[facet, record.id]),
                            (here, corpus),
                        )
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

        The folder must not exist yet or be empty. `load()`
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
        counts = (
            (len(store), "story", "stories"),
            (len(companies), "company", "companies"),
            (len(principles), "principle", "principles"),
            (len(languages), "language", "languages"),
            (len(store.source_ids()), "source", "sources"),
        )
        return (
            "<Corpus: "
            + ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts)
            + ">"
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
        aliases, compared with `name_key()`.

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

    def random(
        self,
        *,
        company: CompanyLike | None = None,
        principle: PrincipleLike | None = None,
        language: LanguageLike | None = None,
        seed: int | str | None = None,
    ) -> Story:
        """Return one story that matches the filters, picked at random.

        The filters are those of `stories()`;
        with a *seed* the pick is the same every time, and the same as
        `clientocracy random --seed N` with the same filters. See
        `StoryCollection.random()`.

        Raises:
            UnknownValueError: A filter value names nothing.
            ValueError: No story matches.
        """
        chosen = self.stories(company=company, principle=principle, language=language)
        if not chosen:
            raise ValueError("there is no story to pick from: none matches the filters")
        return chosen.random(seed=seed)

    def sample(
        self,
        k: int,
        *,
        company: CompanyLike | None = None,
        principle: PrincipleLike | None = None,
        language: LanguageLike | None = None,
        seed: int | str | None = None,
    ) -> StoryCollection:
        """Return *k* different stories that match the filters, picked at random.

        See `StoryCollection.sample()`.

        Raises:
            UnknownValueError: A filter value names nothing.
            ValueError: *k* is negative or more than the stories that match.
        """
        chosen = self.stories(company=company, principle=principle, language=language)
        return chosen.sample(k, seed=seed)

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
        prefix: bool = False,
    ) -> tuple[SearchHit, ...]:
        """Return the stories that match *query*, best first.

        Every word of the query must match (AND); `"quoted words"` must match
        as a phrase; `a OR b` matches either; `word*` also matches the words
        that start with `word`. Words are compared after
        `search_terms()`: normalized as names
        are, and Russian and English words stemmed. The passage, both titles,
        the English summary and the company's names are searched, titles and
        company names weighing more (BM25). Equal scores keep corpus order.

        A query is never a syntax error: one with no letters or digits finds
        nothing. The index is built on the first search and kept.

        Args:
            query: What to look for.
            company: Keep only the hits of these companies, as in
                `Corpus.stories()`.
            principle: Keep only the hits that show these principles.
            language: Keep only the hits in these languages.
            limit: The most hits to return; `None` for all of them.
            prefix: Also match the last word as a prefix, unless the query
                ends with a space: for a search box queried as the user
                types. By default whole words match (and their other forms).

        Returns:
            The hits, each a `SearchHit`.

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
        _check_search_arguments(query, limit, prefix)
        # Resolve the filters first: an unknown name is an error even for a
        # query that would find nothing.
        companies, principles, languages = self._resolve_facets(
            company=company, principle=principle, language=language
        )
        return self._store.search_index().search(
            query,
            companies=companies,
            principles=principles,
            languages=languages,
            limit=limit,
            prefix=prefix,
        )

    def _count_matches(self, query: str) -> int:
        """How many stories match *query*, unfiltered; counted in the index alone."""
        return self._store.search_index().count(query)

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


def _defined_twice(what: str, first: tuple[str, Corpus], second: tuple[str, Corpus]) -> str:
    """The problem of two different records with one id, naming two different places."""
    one, other = first[0], second[0]
    if one != other:
        return f"{what} is defined twice, differently: at {one} and at {other}; rename one of them"
    # One catalog read twice, as it was and as it is now: a compiled file
    # built from it before it changed, beside the catalog itself.
    one, other = (
        f"{place} as compiled into {path}" if (path := getattr(c._store, "path", None)) else place
        for place, c in (first, second)
    )
    return (
        f"{what} is defined twice, differently: at {one} and at {other}; the file was "
        "compiled before the catalog changed: rebuild it, or give only one of them"
    )


_bundled: Corpus | None = None
_bundled_lock = threading.Lock()


def _check_search_arguments(query: object, limit: object, prefix: object) -> None:
    """Refuse a query or limit of the wrong type or value, before any work is done."""
    if not isinstance(query, str):
        raise TypeError(f"a search query is a string, not {type(query).__name__}")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool)):
        raise TypeError(f"limit= is a whole number or None, not {type(limit).__name__}")
    if limit is not None and limit < 0:
        raise ValueError(f"limit= cannot be negative, got {limit}; use None for every hit")
    if not isinstance(prefix, bool):
        raise TypeError(f"prefix= is True or False, not {type(prefix).__name__}")
