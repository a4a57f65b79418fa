"""Library messages: English as `str()`, and the template and values a front end translates."""

from __future__ import annotations

import pickle

from hypothesis import given
from hypothesis import strategies as st

from clientocracy import CorpusError
from clientocracy._messages import N_, Message, at, joined, render

TEMPLATE = N_("field {name!r}: {count} items, over the limit of {limit:,}")
RUSSIAN = {TEMPLATE: "поле {name!r}: элементов {count}, больше предела {limit:,}"}


def russian(template: str) -> str:
    return RUSSIAN.get(template, template)


def guillemets(value: str) -> str:
    return f"«{value}»"


@given(st.text(), st.integers(), st.integers(min_value=0))
def test_a_message_is_its_english_text(name: str, count: int, limit: int) -> None:
    message = Message(TEMPLATE, name=name, count=count, limit=limit)
    assert message == TEMPLATE.format(name=name, count=count, limit=limit)
    assert isinstance(message, str)
    assert message.template == TEMPLATE
    assert message.args == {"name": name, "count": count, "limit": limit}


@given(st.text(), st.integers(), st.integers(min_value=0))
def test_rendering_with_no_translation_gives_the_english_text(
    name: str, count: int, limit: int
) -> None:
    message = at("a.json", Message(TEMPLATE, name=name, count=count, limit=limit))
    assert render(message, lambda template: template) == message


def test_rendering_translates_nested_messages_quotes_and_numbers() -> None:
    message = at("catalog.json", Message(TEMPLATE, name="stories", count=12, limit=1000))
    persian_digits = str.maketrans("0123456789,", "۰۱۲۳۴۵۶۷۸۹٬")
    shown = render(message, russian, guillemets, lambda text: text.translate(persian_digits))
    assert shown == "catalog.json: поле «stories»: элементов ۱۲, больше предела ۱٬۰۰۰"


def test_plain_text_and_broken_translations_stay_english() -> None:
    assert render("no template here", lambda template: "X") == "no template here"
    message = Message(TEMPLATE, name="a", count=1, limit=2)
    assert render(message, lambda template: "{missing} field") == message


def test_joined_messages_render_each_item() -> None:
    items = [Message(TEMPLATE, name=str(n), count=n, limit=n) for n in range(3)]
    message = joined(items)
    assert message == "; ".join(items)
    assert render(message, russian, guillemets).startswith("поле «0»: элементов 0")


def test_errors_keep_their_messages_through_pickle() -> None:
    error = CorpusError([at("a.json", Message(TEMPLATE, name="x", count=1, limit=2))])
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == str(error)
    problem = again.problems[0]
    assert isinstance(problem, Message)
    assert render(problem, russian, guillemets) == "a.json: поле «x»: элементов 1, больше предела 2"


def test_an_unknown_value_is_said_in_english_and_can_be_translated() -> None:
    from clientocracy import UnknownValueError

    error = UnknownValueError("company", "Zap", ["Zappos", "Zara", "Zeta"])
    assert error.brief == "unknown company: 'Zap'. Did you mean 'Zappos', 'Zara' or 'Zeta'?"
    assert str(error).startswith(error.brief + " See clientocracy.companies()")
    shown = render(error.brief, lambda template: template, guillemets)
    assert shown == "unknown company: «Zap». Did you mean «Zappos», «Zara» or «Zeta»?"
