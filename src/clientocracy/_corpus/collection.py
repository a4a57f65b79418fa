"""`StoryCollection`: the stories a query selected, held as positions in the corpus."""

from __future__ import annotations

import array
import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, overload

from .._public import public
from .._records import Story
from .._stores.memory import iter_positions, positions_of
from .facets import CompanyLike, LanguageLike, PrincipleLike

if TYPE_CHECKING:
    from .corpus import Corpus


@public
class StoryCollection(Sequence[Story]):
    """An immutable, ordered collection of stories.

    It is a `Sequence` (`len`, iteration, indexing and slicing), keeps the
    corpus order, and narrows further with
    `StoryCollection.filter()`. Two collections are
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
        stories = "story" if len(self) == 1 else "stories"
        return f"<StoryCollection of {len(self)} {stories}: [{shown}{more}]>"

    def ids(self) -> tuple[str, ...]:
        """Return the ids of the stories, in order."""
        return self._corpus._store.ids_at(self._iter_positions())

    def random(self, *, seed: int | str | None = None) -> Story:
        """Return one story of the collection, picked at random.

        With a *seed*, the same story every time for the same collection: the
        pick of `clientocracy random --seed N` with the same filters.

        Raises:
            ValueError: The collection is empty.

        Examples:
            >>> import clientocracy
            >>> farsi = clientocracy.stories(language="Farsi")
            >>> farsi.random(seed=7) == farsi.random(seed=7)
            True
        """
        import random

        _check_seed(seed)
        if not len(self):
            raise ValueError("there is no story to pick from: the collection is empty")
        return random.Random(seed).choice(self)

    def sample(self, k: int, *, seed: int | str | None = None) -> StoryCollection:
        """Return *k* different stories of the collection, picked at random, in the order picked.

        With a *seed*, the same stories every time for the same collection.

        Raises:
            ValueError: *k* is negative or more than the collection holds.

        Examples:
            >>> import clientocracy
            >>> picked = clientocracy.stories().sample(3, seed=1)
            >>> len(set(picked.ids())), picked == clientocracy.stories().sample(3, seed=1)
            (3, True)
        """
        import random

        _check_seed(seed)
        if not isinstance(k, int) or isinstance(k, bool):
            raise TypeError(f"k is a whole number, not {type(k).__name__}")
        if not 0 <= k <= len(self):
            raise ValueError(
                f"cannot pick {k} stories from a collection of {len(self)}; "
                f"ask for 0 to {len(self)}"
            )
        positions = self._pos()
        chosen = random.Random(seed).sample(range(len(positions)), k)
        return StoryCollection._of(
            self._corpus, positions=array.array("L", [positions[i] for i in chosen])
        )

    def filter(
        self,
        *,
        company: CompanyLike | None = None,
        principle: PrincipleLike | None = None,
        language: LanguageLike | None = None,
    ) -> StoryCollection:
        """Return the stories of this collection that match every given facet.

        Takes the same keywords as `stories()`, and
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


def _check_seed(seed: object) -> None:
    if seed is not None and (not isinstance(seed, int | str) or isinstance(seed, bool)):
        raise TypeError(f"seed= is a whole number, a string or None, not {type(seed).__name__}")
