"""Doctests in the package and the Markdown docs see ``clientocracy`` already imported."""

from __future__ import annotations

import pytest

import clientocracy


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace: dict[str, object]) -> None:
    doctest_namespace["clientocracy"] = clientocracy
