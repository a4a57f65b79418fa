"""What the command line says about an error the library raised, in the interface language.

The library's errors speak English; those made of `Message`s (every
problem of a `CorpusError`, the message of most others) are said again
here from their translated templates. An error this module does not know
keeps its English text.
"""

from __future__ import annotations

from .._errors import CorpusError, UnknownValueError
from .._messages import Message
from .i18n import N_plural, counted, current, said

__all__ = ["described", "problems_of", "unknown_value"]

_INVALID = N_plural(
    "the corpus is not valid ({count} problem):", "the corpus is not valid ({count} problems):"
)


def problems_of(error: CorpusError) -> str:
    """*error* as `str()` shows it, a problem a line, in the interface language."""
    if current() == "en":
        return str(error)
    lines = [counted(len(error.problems), _INVALID)]
    lines += [f"  - {said(problem)}" for problem in error.problems]
    return "\n".join(lines)


def unknown_value(error: UnknownValueError) -> str:
    """The error's brief message (without the API's listing function), in the interface language."""
    return said(error.brief)


def described(error: BaseException) -> str:
    """What to tell the user about *error*: its message, in the interface language."""
    if isinstance(error, CorpusError):
        return problems_of(error)
    if isinstance(error, UnknownValueError):
        return unknown_value(error)
    problems = getattr(error, "problems", None)
    if isinstance(problems, tuple) and problems and str(error) == "\n".join(problems):
        return "\n".join(said(problem) for problem in problems)  # AlignmentError
    if len(error.args) == 1 and isinstance(error.args[0], Message):
        return said(error.args[0])
    return str(error)  # a KeyError's str() is its key quoted: not its argument
