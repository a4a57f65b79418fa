"""The facets a corpus is filtered by: names as people write them, resolved to records."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Generic, TypeAlias, TypeVar

from .._errors import UnknownValueError
from .._normalize import close_matches, name_key
from .._records import Company, Language, Principle, Source

if TYPE_CHECKING:
    pass

_R = TypeVar("_R", bound=Language | Company | Principle | Source)


CompanyLike: TypeAlias = Company | str | Iterable[Company | str]


"""A company given by record, id, name or alias, or several of them (the `company=` filter)."""


PrincipleLike: TypeAlias = Principle | str | Iterable[Principle | str]


"""A principle given by record, id, name or alias, or several of them (`principle=`)."""


LanguageLike: TypeAlias = Language | str | Iterable[Language | str]


"""A language given by record, tag, ISO 639 code or name, or several of them (`language=`)."""


class Facet(Generic[_R]):
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


def display_name(record: Language | Company | Principle) -> str:
    return record.name
