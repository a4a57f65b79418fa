"""The corpus: records with their indexes, and the queries over them."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Generic, TypeAlias, TypeVar, overload

from ._errors import UnknownValueError
from ._normalize import name_key
from ._records import Company, Language, Principle, SearchHit, Source, Story

if TYPE_CHECKING:
    from ._search import SearchIndex

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


def _close_matches(key: str, keys: Iterable[str], n: int, cutoff: float = 0.6) -> list[str]:
    """The keys most like *key*, as difflib finds them, at a cost bounded by the keys.

    difflib indexes every character of *key* before comparing; a key more
    than `2 / cutoff - 1` times as long as the longest candidate cannot
    reach *cutoff* with any of them, so it is not indexed at all (a value of
    megabytes would otherwise cost seconds and gigabytes to be told no).
    """
    import difflib

    candidates = list(keys)
    longest = max(map(len, candidates), default=0)
    if len(key) > longest * (2 / cutoff - 1):
        return []
    return difflib.get_close_matches(key, candidates, n=n, cutoff=cutoff)


class _Facet(Generic[_R]):
    """Resolves the names of one kind of record to the records themselves."""

    def __init__(
        self,
        facet: str,
        kind: type[_R],
        records: Sequence[_R],
        names: Callable[[_R], Iterable[str]],
        display: Callable[[_R], str],
    ) -> None:
        self.facet = facet
        self.kind = kind
        self.records = tuple(records)
        self.by_id = {record.id: record for record in self.records}
        self.display = display
        self.by_key: dict[str, _R] = {}
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
        close = _close_matches(name_key(value), self.by_key, 6)
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

    Examples:
        >>> import clientocracy
        >>> russian = clientocracy.stories(language="ru")
        >>> len(russian), russian[0].id
        (8, 'jetblue-free-coffee-at-the-gate')
        >>> russian.filter(company="LEGO").ids()
        ('lego-emerald-night-train', 'lego-letter-from-sensei-wu')
    """

    __slots__ = ("_corpus", "_stories")

    def __init__(self, corpus: Corpus, stories: Iterable[Story]) -> None:
        self._corpus = corpus
        self._stories = tuple(stories)

    @overload
    def __getitem__(self, index: int) -> Story: ...
    @overload
    def __getitem__(self, index: slice) -> StoryCollection: ...
    def __getitem__(self, index: int | slice) -> Story | StoryCollection:
        if isinstance(index, slice):
            return StoryCollection(self._corpus, self._stories[index])
        return self._stories[index]

    def __len__(self) -> int:
        return len(self._stories)

    def __iter__(self) -> Iterator[Story]:
        return iter(self._stories)

    def __contains__(self, value: object) -> bool:
        return value in self._stories

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StoryCollection):
            return self._stories == other._stories
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._stories)

    def __repr__(self) -> str:
        shown = ", ".join(repr(story.id) for story in self._stories[:5])
        more = f", … {len(self) - 5} more" if len(self) > 5 else ""
        return f"<StoryCollection of {len(self)} stories: [{shown}{more}]>"

    def ids(self) -> tuple[str, ...]:
        """Return the ids of the stories, in order."""
        return tuple(story.id for story in self._stories)

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
        if self is self._corpus._stories:
            # The whole corpus: its facet indexes answer without a scan.
            return self._corpus.stories(company=company, principle=principle, language=language)
        keep = self._corpus._matcher(company=company, principle=principle, language=language)
        if keep is None:
            return self
        return StoryCollection(self._corpus, (s for s in self._stories if keep(s)))


class Corpus:
    """A set of stories with their companies, principles, languages and sources.

    The bundled dataset is [`Corpus.bundled()`][clientocracy.Corpus.bundled],
    which the functions of the package query; [`load()`][clientocracy.load]
    reads your own. A corpus is immutable once built, and its queries are
    the package's functions, as methods.

    Examples:
        >>> from clientocracy import Corpus
        >>> corpus = Corpus.bundled()
        >>> corpus
        <Corpus: 10 stories, 8 companies, 5 principles, 3 languages, 2 sources>
        >>> corpus.stories(principle="no red tape").ids()
        ('trader-joes-snowbound-delivery', 'zappos-flowers-for-a-mother')
    """

    __slots__ = (
        "_companies",
        "_facet_index",
        "_languages",
        "_places",
        "_principles",
        "_search_index",
        "_search_lock",
        "_sources",
        "_stories",
        "_story_ids",
        "_story_keys",
    )

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
        self._places = dict(places or {})
        self._languages = _Facet(
            "language", Language, tuple(languages), lambda r: r.names, lambda r: r.name
        )
        self._companies = _Facet(
            "company", Company, tuple(companies), lambda r: r.names, lambda r: r.name
        )
        self._principles = _Facet(
            "principle", Principle, tuple(principles), lambda r: r.all_names, lambda r: r.name
        )
        self._sources = _Facet("source", Source, tuple(sources), lambda r: (r.id,), lambda r: r.id)
        self._stories = StoryCollection(self, stories)
        self._story_ids = {story.id: story for story in self._stories}
        # Ids as typed differently ("Zappos-Ten-Hour-Call"), built on first need:
        # normalizing every id of a large corpus up front would slow loading.
        self._story_keys: dict[str, Story] | None = None
        self._search_index: SearchIndex | None = None
        self._search_lock = threading.Lock()
        self._facet_index: _FacetIndex | None = None

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
                    from ._loading import load_bundled

                    _bundled = load_bundled()
        return _bundled

    @staticmethod
    def load(path: str | os.PathLike[str], *, base: Corpus | None = None) -> Corpus:
        """Load a corpus from a catalog folder, as [`load()`][clientocracy.load] does."""
        from ._loading import load

        return load(path, base=base)

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
        return self._places.get((facet, id), "(built in code)")

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
        from ._errors import CorpusError
        from ._loading import _Problems, check_names

        problems = _Problems("")
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
        corpus = Corpus(
            languages=merged["language"].values(),  # type: ignore[arg-type]
            companies=merged["company"].values(),  # type: ignore[arg-type]
            principles=merged["principle"].values(),  # type: ignore[arg-type]
            sources=merged["source"].values(),  # type: ignore[arg-type]
            stories=merged["story"].values(),  # type: ignore[arg-type]
            places=places,
        )
        check_names(corpus, problems)
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
            tuple(self._stories),
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
        from ._saving import save

        save(self, path)

    def __repr__(self) -> str:
        return (
            f"<Corpus: {len(self._stories)} stories, {len(self._companies.records)} companies, "
            f"{len(self._principles.records)} principles, {len(self._languages.records)} "
            f"languages, {len(self._sources.records)} sources>"
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
        companies, principles, languages = self._resolve_facets(
            company=company, principle=principle, language=language
        )
        chosen = [
            (facet, ids)
            for facet, ids in (("c", companies), ("p", principles), ("l", languages))
            if ids is not None
        ]
        if not chosen:
            return self._stories
        if self._facet_index is None:
            self._facet_index = _FacetIndex(self._stories)
        return StoryCollection(self, self._facet_index.select(chosen))

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
        story = self._story_ids.get(id)
        if story is not None:
            return story
        keys = self._story_keys
        if keys is None:
            keys = self._story_keys = {name_key(s.id): s for s in self._stories}
        story = keys.get(name_key(id))
        if story is None:
            raise UnknownValueError("story", id, self._suggest_stories(id, keys))
        return story

    def _suggest_stories(self, value: str, keys: Mapping[str, Story]) -> list[str]:
        """Ids for a mistyped one: those starting with or containing it, a company's, close ones."""

        key = name_key(value)
        found: dict[str, None] = {}
        if key:
            found.update((s.id, None) for k, s in keys.items() if k.startswith(key))
            found.update((s.id, None) for k, s in keys.items() if key in k)
        company = self._companies.by_key.get(key)
        if company is not None:
            found.update((s.id, None) for s in self.stories(company=company))
        close = _close_matches(key, keys, 3)
        found.update((keys[k].id, None) for k in close)
        return list(found)[:_MAX_STORY_SUGGESTIONS]

    def companies(self) -> tuple[Company, ...]:
        """Return every company, in catalog order."""
        return self._companies.records

    def principles(self) -> tuple[Principle, ...]:
        """Return every principle, in catalog order."""
        return self._principles.records

    def languages(self) -> tuple[Language, ...]:
        """Return every language, in catalog order."""
        return self._languages.records

    def sources(self) -> tuple[Source, ...]:
        """Return every source text, in catalog order."""
        return self._sources.records

    def company(self, value: Company | str) -> Company:
        """Return the company that *value* names (id, name or alias, any script)."""
        return self._companies.resolve(value)

    def principle(self, value: Principle | str) -> Principle:
        """Return the principle that *value* names (id, a name in any language, alias)."""
        return self._principles.resolve(value)

    def language(self, value: Language | str) -> Language:
        """Return the language that *value* names (tag, ISO 639 code, English or native name)."""
        return self._languages.resolve(value)

    def source(self, value: Source | str) -> Source:
        """Return the source text with this id."""
        return self._sources.resolve(value)

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
        from ._search import run_search

        return run_search(
            self,
            self._get_search_index,
            query,
            company=company,
            principle=principle,
            language=language,
            limit=limit,
        )

    def _get_search_index(self) -> SearchIndex:
        if self._search_index is None:
            with self._search_lock:
                if self._search_index is None:
                    from ._search import SearchIndex

                    self._search_index = SearchIndex(self)
        return self._search_index

    def _resolve_facets(
        self, *, company: object, principle: object, language: object
    ) -> tuple[frozenset[str] | None, frozenset[str] | None, frozenset[str] | None]:
        """The ids each facet allows (`None`: not filtered), raising on unknown values."""
        return (
            None if company is None else self._companies.resolve_many(company),
            None if principle is None else self._principles.resolve_many(principle),
            None if language is None else self._languages.resolve_many(language),
        )

    def _matcher(
        self, *, company: object, principle: object, language: object
    ) -> Callable[[Story], bool] | None:
        """Resolve the facets (raising on unknown values) into one predicate."""
        companies, principles, languages = self._resolve_facets(
            company=company, principle=principle, language=language
        )
        tests: list[Callable[[Story], bool]] = []
        if companies is not None:
            tests.append(lambda story: story.company.id in companies)
        if principles is not None:
            tests.append(lambda story: any(p.id in principles for p in story.principles))
        if languages is not None:
            tests.append(lambda story: story.language.id in languages)
        if not tests:
            return None
        return lambda story: all(test(story) for test in tests)


class _FacetIndex:
    """Which stories have each company, principle and language, for fast filters.

    Every facet value has the tuple of its stories, so a filter on one value
    costs nothing; filters on several values or facets combine bit masks
    over story positions (Python's big integers do `&` and `|` at C speed)
    and read the positions back out of the result.
    """

    def __init__(self, stories: Sequence[Story]) -> None:
        import array

        self.stories = tuple(stories)
        positions: dict[str, array.array[int]] = {}
        for number, story in enumerate(self.stories):
            for key in (
                "c" + story.company.id,
                "l" + story.language.id,
                *("p" + p.id for p in story.principles),
            ):
                found = positions.get(key)
                if found is None:
                    found = positions[key] = array.array("L")
                found.append(number)
        self.positions = positions
        self.by_value = {
            key: tuple(self.stories[n] for n in numbers) for key, numbers in positions.items()
        }
        self.masks: dict[str, int] = {}
        self.size = (len(self.stories) + 7) // 8

    def mask(self, key: str) -> int:
        mask = self.masks.get(key)
        if mask is None:
            bits = bytearray(self.size)
            for number in self.positions.get(key, ()):
                bits[number >> 3] |= 1 << (number & 7)
            mask = self.masks[key] = int.from_bytes(bits, "little")
        return mask

    def select(self, chosen: Sequence[tuple[str, frozenset[str]]]) -> tuple[Story, ...]:
        if len(chosen) == 1 and len(chosen[0][1]) == 1:
            facet, ids = chosen[0]
            return self.by_value.get(facet + next(iter(ids)), ())
        result = -1  # every bit set
        for facet, ids in chosen:
            either = 0
            for id in ids:
                either |= self.mask(facet + id)
            result &= either
        return self.decode(result)

    def decode(self, mask: int) -> tuple[Story, ...]:
        if mask <= 0:
            return ()
        data = mask.to_bytes(self.size, "little")
        stories = self.stories
        found: list[Story] = []
        for match in _NONZERO_BYTE.finditer(data):
            base = match.start() << 3
            found.extend(stories[base + bit] for bit in _BITS[data[match.start()]])
        return tuple(found)


_NONZERO_BYTE = re.compile(rb"[^\x00]")
# The set bits of each byte value, lowest first.
_BITS = tuple(tuple(bit for bit in range(8) if value >> bit & 1) for value in range(256))

_bundled: Corpus | None = None
_bundled_lock = threading.Lock()
