"""Doctests in the package and the Markdown docs see ``clientocracy`` already imported."""

from __future__ import annotations

import pytest

import clientocracy

# The public classes report themselves as `clientocracy.X`, so doctest finds
# their docstrings in the package's namespace, where each name appears once it
# has been used: use every one before collection.
for _name in clientocracy.__all__:
    getattr(clientocracy, _name)


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace: dict[str, object]) -> None:
    doctest_namespace["clientocracy"] = clientocracy
