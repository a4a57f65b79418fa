"""Where a corpus keeps its records: the storage behind `Corpus`.

A corpus is one public class over one of two stores. `MemoryStore` holds
records built in this process (a JSON catalog, or records passed in code);
the compiled store of `sqlite.py` reads them from a SQLite file as they
are asked for. Both speak of stories by *position*, their number in corpus
order, and answer facet filters as bit masks over positions, so that the
query code in `_corpus.py` is written once and a filtered collection need
hold no records at all.
"""

from __future__ import annotations

import array
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Generic, TypeVar

from .._normalize import close_matches, name_key
from .._records import Company, Language, Principle, Source, Story

if TYPE_CHECKING:
    from .._search.index import Prebuilt, SearchIndex
    from .compiled import Provenance

__all__ = [
    "BoundedCache",
    "MaskCache",
    "MemoryStore",
    "Origin",
    "Store",
    "facet_keys",
    "mask_of",
    "positions_of",
]

V = TypeVar("V")

#: Where a corpus was read from: (catalog path, size in bytes, modification time in ns).
Origin = tuple[str, int, int]


def facet_keys(story: Story) -> Iterator[str]:
    """The keys of the facet values of *story*: ``c`` + company, ``l`` + language, ``p`` + …."""
    yield "c" + story.company.id
    yield "l" + story.language.id
    for principle in story.principles:
        yield "p" + principle.id


class Store:
    """The storage of a corpus's records; stories are addressed by position."""

    #: Where the records were read from (catalog files), for provenance.
    origins: tuple[Origin, ...] = ()

    def __len__(self) -> int:
        raise NotImplementedError

    def close(self) -> None:
        """Release what the store holds open; records in memory hold nothing."""

    def story_at(self, position: int) -> Story:
        """The story at *position* (0 ≤ position < len)."""
        raise NotImplementedError

    def iterate(self, positions: Iterable[int]) -> Iterator[Story]:
        """The stories at *positions*, in that order, made as they are read."""
        raise NotImplementedError

    def ids_at(self, positions: Iterable[int]) -> tuple[str, ...]:
        """The ids of the stories at *positions*."""
        return tuple(story.id for story in self.iterate(positions))

    def passages(self, positions: Sequence[int]) -> dict[int, str]:
        """The passages of some stories at *positions*, if the store reads them cheaper
        than through their records (which read their whole source texts)."""
        return {}

    def position_of(self, id: str) -> int | None:
        """The position of the story with exactly this id, or None."""
        raise NotImplementedError

    def position_of_key(self, key: str) -> int | None:
        """The position of the story whose id has this `name_key()`."""
        raise NotImplementedError

    def close_ids(self, key: str) -> list[str]:
        """Ids of stories whose keys are close to *key*, for suggestions."""
        raise NotImplementedError

    def ids_like(self, key: str, limit: int) -> list[str]:
        """Up to *limit* ids of stories whose keys start with *key*, then that contain it."""
        raise NotImplementedError

    def vocabularies(
        self,
    ) -> tuple[tuple[Language, ...], tuple[Company, ...], tuple[Principle, ...]]:
        """Every language, company and principle, in catalog order."""
        raise NotImplementedError

    def name_keys(self) -> dict[str, list[tuple[str, str]]] | None:
        """The `name_key()` of every name of each facet's records,
        as (key, id) pairs in order, if the store has them ready; else None."""
        return None

    def sources(self) -> tuple[Source, ...]:
        raise NotImplementedError

    def source(self, id: str) -> Source | None:
        raise NotImplementedError

    def source_ids(self) -> list[str]:
        raise NotImplementedError

    def mask(self, key: str) -> int:
        """The positions of the stories with facet value *key* (see `facet_keys`), as bits."""
        raise NotImplementedError

    def positions(self, key: str) -> Sequence[int] | None:
        """The positions of *key*'s stories, if the store has them ready; else None."""
        return None

    def place(self, facet: str, id: str) -> str | None:
        raise NotImplementedError

    def search_index(self) -> SearchIndex:
        raise NotImplementedError

    def provenance(self) -> Provenance | None:
        """What a compiled file was built from; None for records built in this process."""
        return None


class MemoryStore(Store):
    """Records built in this process, all in memory."""

    #: How many facet masks to keep made: each takes a bit per story, and a
    #: corpus may have as many companies as stories.
    MASK_CACHE = 64

    def __init__(
        self,
        *,
        languages: Iterable[Language],
        companies: Iterable[Company],
        principles: Iterable[Principle],
        sources: Iterable[Source],
        stories: Iterable[Story],
        places: Mapping[tuple[str, str], str] | None = None,
        origins: Iterable[Origin] = (),
    ) -> None:
        self._languages = tuple(languages)
        self._companies = tuple(companies)
        self._principles = tuple(principles)
        self._sources = tuple(sources)
        self._source_ids = {source.id: source for source in self._sources}
        self.stories = tuple(stories)
        self._places = dict(places or {})
        self.origins = tuple(origins)
        self._by_id = {story.id: n for n, story in enumerate(self.stories)}
        # Ids as typed differently ("Zappos-Ten-Hour-Call"), built on first need:
        # normalizing every id of a large corpus up front would slow loading.
        self._by_key: dict[str, int] | None = None
        self._index: dict[str, array.array[int]] | None = None
        self._masks = MaskCache(self.MASK_CACHE)
        self._lock = threading.Lock()
        self._search: SearchIndex | None = None
        #: A search index made in advance for these records, if there is one.
        self.prebuilt_index: Prebuilt | None = None

    def __len__(self) -> int:
        return len(self.stories)

    def story_at(self, position: int) -> Story:
        return self.stories[position]

    def iterate(self, positions: Iterable[int]) -> Iterator[Story]:
        if isinstance(positions, range) and positions == range(len(self.stories)):
            return iter(self.stories)
        return map(self.stories.__getitem__, positions)

    def position_of(self, id: str) -> int | None:
        return self._by_id.get(id)

    def _keys(self) -> dict[str, int]:
        keys = self._by_key
        if keys is None:
            keys = {}
            for number, story in enumerate(self.stories):
                keys.setdefault(name_key(story.id), number)
            self._by_key = keys
        return keys

    def position_of_key(self, key: str) -> int | None:
        return self._keys().get(key)

    def close_ids(self, key: str) -> list[str]:
        keys = self._keys()
        return [self.stories[keys[k]].id for k in close_matches(key, keys, 3)]

    def ids_like(self, key: str, limit: int) -> list[str]:
        if not key:
            return []
        keys = self._keys()
        found = dict.fromkeys(self.stories[n].id for k, n in keys.items() if k.startswith(key))
        found.update((self.stories[n].id, None) for k, n in keys.items() if key in k)
        return list(found)[:limit]

    def vocabularies(
        self,
    ) -> tuple[tuple[Language, ...], tuple[Company, ...], tuple[Principle, ...]]:
        return self._languages, self._companies, self._principles

    def sources(self) -> tuple[Source, ...]:
        return self._sources

    def source(self, id: str) -> Source | None:
        return self._source_ids.get(id)

    def source_ids(self) -> list[str]:
        return list(self._source_ids)

    def place(self, facet: str, id: str) -> str | None:
        return self._places.get((facet, id))

    def _positions(self) -> dict[str, array.array[int]]:
        index = self._index
        if index is None:
            with self._lock:
                index = self._index
                if index is None:
                    index = {}
                    for number, story in enumerate(self.stories):
                        for key in facet_keys(story):
                            found = index.get(key)
                            if found is None:
                                found = index[key] = array.array("L")
                            found.append(number)
                    self._index = index
        return index

    def positions(self, key: str) -> Sequence[int] | None:
        return self._positions().get(key, ())

    def mask(self, key: str) -> int:
        mask = self._masks.get(key)
        if mask is None:
            mask = self._masks.put(key, mask_of(self._positions().get(key, ()), len(self.stories)))
        return mask

    def search_index(self) -> SearchIndex:
        if self._search is None:
            with self._lock:
                if self._search is None:
                    from .._search.index import SearchIndex

                    self._search = SearchIndex.in_memory(self, self.prebuilt_index)
        return self._search


class BoundedCache(Generic[V]):
    """The values a store made last, at most *limit* of their weight, safely under threads.

    Each value weighs what *weigh* says (1 by default, so that *limit*
    counts values); the least recently used go first once the total is
    over the limit. A value heavier than the limit by itself is handed
    back but not kept. A value a caller still holds stays alive, of course:
    the cache only stops holding it.
    """

    def __init__(self, limit: int, weigh: Callable[[V], int] | None = None) -> None:
        self._limit = limit
        self._weigh = weigh
        self._values: OrderedDict[str, tuple[V, int]] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: str) -> bool:
        with self._lock:
            return key in self._values

    @property
    def weight(self) -> int:
        """The total weight of the values kept; never more than the limit."""
        return self._weight

    def get(self, key: str) -> V | None:
        """The value of *key* if it is kept, now the most recently used."""
        with self._lock:
            found = self._values.get(key)
            if found is None:
                return None
            self._values.move_to_end(key)
            return found[0]

    def put(self, key: str, value: V) -> V:
        """Keep *value* as *key*'s, dropping the least recently used beyond the limit."""
        weight = 1 if self._weigh is None else self._weigh(value)
        with self._lock:
            old = self._values.pop(key, None)
            if old is not None:
                self._weight -= old[1]
            if weight <= self._limit:
                self._values[key] = (value, weight)
                self._weight += weight
            while self._weight > self._limit:
                self._weight -= self._values.popitem(last=False)[1][1]
        return value


class MaskCache(BoundedCache[int]):
    """The facet masks a store made last, at most *size* of them, safely under threads.

    A mask takes a bit per story; a corpus with many facet values (a company
    per story, say) would otherwise keep one for each value ever asked for.
    """

    def __init__(self, size: int) -> None:
        super().__init__(size)


def mask_of(positions: Iterable[int], size: int) -> int:
    """The bit mask with the bits of *positions* set, for a corpus of *size* stories."""
    bits = bytearray((size + 7) // 8)
    for number in positions:
        bits[number >> 3] |= 1 << (number & 7)
    return int.from_bytes(bits, "little")


def positions_of(mask: int) -> array.array[int]:
    """The positions of the set bits of *mask*, lowest first."""
    found: array.array[int] = array.array("L")
    if mask <= 0:
        return found
    data = mask.to_bytes((mask.bit_length() + 7) // 8, "little")
    bits = _bits()
    for match in _NONZERO_BYTE.finditer(data):
        start = match.start()
        base = start << 3
        found.extend([base + bit for bit in bits[data[start]]])
    return found


def iter_positions(mask: int) -> Iterator[int]:
    """The positions of the set bits of *mask*, lowest first, found as they are read."""
    if mask <= 0:
        return
    data = mask.to_bytes((mask.bit_length() + 7) // 8, "little")
    bits = _bits()
    for match in _NONZERO_BYTE.finditer(data):
        start = match.start()
        base = start << 3
        for bit in bits[data[start]]:
            yield base + bit


_NONZERO_BYTE = re.compile(rb"[^\x00]")
_BITS: list[tuple[tuple[int, ...], ...]] = []


def _bits() -> tuple[tuple[int, ...], ...]:
    """The set bits of each byte value, lowest first (made on first use)."""
    if not _BITS:
        _BITS.append(tuple(tuple(b for b in range(8) if value >> b & 1) for value in range(256)))
    return _BITS[0]
