"""The exceptions clientocracy raises on purpose."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["CorpusError", "UnknownValueError"]


class UnknownValueError(LookupError):
    """A value names no record of its facet (company, principle, …).

    It is a `LookupError`. Its message names the value and suggests the
    closest known ones.

    Attributes:
        facet: What was looked up: `"company"`, `"principle"`,
            `"language"`, `"source"` or `"story"`.
        value: What was given.
        suggestions: The display names (for a story, the ids) of the
            closest known records, best first; possibly none.

    Examples:
        >>> import clientocracy
        >>> try:
        ...     clientocracy.company("Zapos")
        ... except clientocracy.UnknownValueError as error:
        ...     print(error.facet, error.suggestions)
        company ('Zappos',)
    """

    facet: str
    value: str
    suggestions: tuple[str, ...]

    def __init__(self, facet: str, value: str, suggestions: Sequence[str] = ()) -> None:
        self.facet = facet
        self.value = value
        self.suggestions = tuple(suggestions)
        super().__init__(self._message())

    @property
    def brief(self) -> str:
        """The message without its pointer to the listing function, for a command line.

        A value of more than 120 characters is shown by its start.
        """
        value = self.value if len(self.value) <= 120 else self.value[:120] + "…"
        message = f"unknown {self.facet}: {value!r}."
        if self.suggestions:
            quoted = [repr(s) for s in self.suggestions]
            either = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
            message += f" Did you mean {either}?"
        return message

    def _message(self) -> str:
        listing = _LISTINGS.get(self.facet, "the corpus")
        return f"{self.brief} See {listing} for every known value."

    def __reduce__(self) -> tuple[type[UnknownValueError], tuple[str, str, tuple[str, ...]]]:
        return (type(self), (self.facet, self.value, self.suggestions))


_LISTINGS = {
    "company": "clientocracy.companies()",
    "principle": "clientocracy.principles()",
    "language": "clientocracy.languages()",
    "source": "clientocracy.sources()",
    "story": "clientocracy.stories().ids()",
}


class CorpusError(ValueError):
    """A corpus (catalog and texts) is not valid; nothing was loaded.

    It is a `ValueError`; `str(error)` shows every problem, one a line.

    Attributes:
        problems: Every problem found, each as one line that names the
            file, the record or line, and the field.
    """

    problems: tuple[str, ...]

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        heading = f"the corpus is not valid ({count} problem{'s' if count != 1 else ''}):"
        super().__init__("\n".join([heading, *(f"  - {p}" for p in self.problems)]))

    def __reduce__(self) -> tuple[type[CorpusError], tuple[tuple[str, ...]]]:
        return (type(self), (self.problems,))


# A traceback names an exception where users import it from, whether or not
# the public name was touched first (the package sets the same on first use,
# which made what a traceback showed depend on what ran before).
for _error in (UnknownValueError, CorpusError):
    _error.__module__ = "clientocracy"
