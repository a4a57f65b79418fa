"""Naming the public classes by the package users import them from."""

from __future__ import annotations

from typing import TypeVar

_T = TypeVar("_T", bound=type)


def public(cls: _T) -> _T:
    """Make *cls* report itself as `clientocracy.<name>`, where users import it from.

    Tracebacks, reprs, `help()` and type checkers' messages then name
    `clientocracy.UnknownValueError`, not the private module that defines it;
    pickles still work, since the package resolves that name to the same
    class. Applied where the class is defined, so it holds however the class
    was first reached.
    """
    cls.__module__ = "clientocracy"
    return cls
