"""Messages that remember how they were made, so that a front end can say them in another language.

The library speaks English: an error's `str()` is an English sentence, and
programs and their tests rely on it. A `Message` is that English sentence
(it *is* a `str`), and it also keeps its template and its arguments. The
command line looks the template up in its translations and fills it in
again (`render`); any other caller sees a plain string.

Templates are constants marked with `N_`, so that the command line's
extractor finds them wherever they are. In a template, `{name!r}` marks a
value that is quoted, as Python quotes it in English (`'acme'`) and as the
interface language quotes it elsewhere («acme»); a whole number is a
number of running text (Persian writes it in Persian digits); an argument
that is a `Message` is rendered in turn.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["N_", "Message", "joined", "quoted", "render"]


def N_(template: str) -> str:
    """Mark *template* as a message to translate; return it unchanged."""
    return template


def _rebuild(template: str, args: dict[str, Any]) -> Message:
    return Message(template, **args)


class Message(str):
    """An English message, made from a `N_` template and keyword arguments.

    Attributes:
        template: The English template, a `str.format` pattern.
        args: The values its fields are filled with.

    Examples:
        >>> message = Message(N_("no company has id {ident!r}"), ident="acme")
        >>> message
        "no company has id 'acme'"
        >>> message.template, message.args
        ('no company has id {ident!r}', {'ident': 'acme'})
    """

    template: str
    args: dict[str, Any]

    def __new__(cls, template: str, /, **args: Any) -> Message:
        self = super().__new__(cls, template.format(**args))
        self.template = template
        self.args = args
        return self

    def __reduce__(
        self,
    ) -> tuple[Callable[[str, dict[str, Any]], Message], tuple[str, dict[str, Any]]]:
        return (_rebuild, (self.template, self.args))


def at(place: str, problem: str) -> Message:
    """*problem* where it is: `place: problem`, both possibly messages themselves."""
    return Message("{place}: {problem}", place=place, problem=problem)


def joined(items: Sequence[str], separator: str = "; ") -> Message:
    """*items* (messages or not) one after the other, *separator* between them.

    The separators `"; "` and `", "` are translated too: Persian writes «؛ » and «، ».
    """
    template = "{separator}".join(f"{{item{index}}}" for index in range(len(items)))
    separator = Message(_SEPARATORS.get(separator, separator.replace("{", "{{").replace("}", "}}")))
    return Message(
        template, separator=separator, **{f"item{index}": item for index, item in enumerate(items)}
    )


def quoted(items: Sequence[str], separator: str = ", ") -> Message:
    """*items* each quoted as a `{x!r}` field is, joined as by `joined`."""
    return joined([Message("{item!r}", item=item) for item in items], separator)


# Translators: the separators between the items of a list.
_SEPARATORS = {"; ": N_("; "), ", ": N_(", ")}


@functools.cache
def _renderer_class() -> type[Any]:
    """The formatter that renders a message, made on first use.

    `string` compiles a pattern when imported: a command that reports no
    error should not pay for it.
    """
    import string

    class _Renderer(string.Formatter):
        def __init__(
            self,
            translate: Callable[[str], str],
            quote: Callable[[str], str],
            number: Callable[[str], str],
        ) -> None:
            self.translate = translate
            self.quote = quote
            self.number = number

        def convert_field(self, value: Any, conversion: str | None) -> Any:
            if conversion == "r" and isinstance(value, str):
                return self.quote(render(value, self.translate, self.quote, self.number))
            return super().convert_field(value, conversion)

        def format_field(self, value: Any, format_spec: str) -> str:
            if isinstance(value, Message):
                return format(render(value, self.translate, self.quote, self.number), format_spec)
            if isinstance(value, int) and not isinstance(value, bool):
                return self.number(format(value, format_spec))
            return str(super().format_field(value, format_spec))

    return _Renderer


def render(
    text: str,
    translate: Callable[[str], str],
    quote: Callable[[str], str] = repr,
    number: Callable[[str], str] = str,
) -> str:
    """*text* in another language: a `Message` from its translated template, else as it is.

    *translate* gives a template's translation (the template itself if it
    has none); *quote* quotes a value its template marks with `!r`;
    *number* writes a formatted whole number as running text does.

    Examples:
        >>> message = Message(N_("{count} problems in {file!r}"), count=2, file="a.json")
        >>> french = {"{count} problems in {file!r}": "{count} problèmes dans {file!r}"}
        >>> render(message, lambda t: french.get(t, t), lambda v: f"« {v} »")
        '2 problèmes dans « a.json »'
        >>> render("plain text", lambda t: t.upper())
        'plain text'
    """
    if not isinstance(text, Message):
        return str(text)
    renderer = _renderer_class()(translate, quote, number)
    try:
        return str(renderer.vformat(translate(text.template), (), text.args))
    except (KeyError, IndexError, ValueError):  # a broken translation: the English text
        return str(text)
