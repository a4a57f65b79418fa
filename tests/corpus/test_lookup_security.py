"""Hostile lookups: a name no record has, however long, is refused cheaply and briefly."""

from __future__ import annotations

import pytest

import clientocracy


def test_an_outlandish_name_is_refused_cheaply_and_briefly() -> None:
    with pytest.raises(clientocracy.UnknownValueError) as info:
        clientocracy.company("Zappos" * 1_000_000)
    assert info.value.suggestions == ()
    assert info.value.value == "Zappos" * 1_000_000
    assert len(str(info.value)) < 300
    with pytest.raises(clientocracy.UnknownValueError) as info:
        clientocracy.story("x" * 1_000_000)
    assert len(str(info.value)) < 300
    with pytest.raises(clientocracy.UnknownValueError, match="Did you mean 'Zappos'"):
        clientocracy.company("Zapos")
