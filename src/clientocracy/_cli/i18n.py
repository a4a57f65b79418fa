"""The command's own words in the reader's language: English, Russian or Persian.

The language is chosen as GNU programs choose it: the first of `LANGUAGE`
(a colon-separated list of preferences), `LC_ALL`, `LC_MESSAGES` and
`LANG` that names a language the command speaks; English otherwise. As in
GNU gettext, `LANGUAGE` is ignored when the locale is `C` or `POSIX`,
which it is when none of the other three is set.

The catalogs are gettext `.mo` files compiled from the `.po` files beside
them (`src/clientocracy/locale/`), read as files, or with
`importlib.resources` from a wheel imported as a zip. Only `gettext` is imported to
read them: `--help` and `--version` stay as quick as before.
"""

from __future__ import annotations

import gettext as _gettext
import os

# typing is left unimported at run time: `--version` and `--help` start faster.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._records import Language

__all__ = [
    "CHANNEL_NAMES",
    "LANGUAGES",
    "N_",
    "N_plural",
    "_",
    "comma",
    "counted",
    "current",
    "figures",
    "interface_language",
    "language_name",
    "listed",
    "ngettext",
    "number",
    "quoted",
    "said",
    "use",
]

#: The languages the interface speaks, besides English.
LANGUAGES = ("ru", "fa")
DOMAIN = "clientocracy"

_translation: _gettext.NullTranslations | None = None
_language: str | None = None


def interface_language(environ: dict[str, str] | None = None) -> str:
    """The language of the interface, `"en"`, `"ru"` or `"fa"`, from the environment.

    Examples:
        >>> interface_language({"LANG": "ru_RU.UTF-8"})
        'ru'
        >>> interface_language({"LANGUAGE": "de:fa", "LANG": "ru_RU.UTF-8"})
        'fa'
        >>> interface_language({"LANGUAGE": "fa", "LC_ALL": "C"})
        'en'
        >>> interface_language({"LC_MESSAGES": "fa_IR", "LANG": "ru_RU.UTF-8"})
        'fa'
        >>> interface_language({})
        'en'
    """
    env = os.environ if environ is None else environ
    # No locale set at all is the C locale.
    locale = next((env[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(name)), "C")
    if locale in ("C", "POSIX") or locale.startswith(("C.", "POSIX.")):
        return "en"
    for wanted in env.get("LANGUAGE", "").split(":"):
        tag = _tag(wanted)
        if tag in LANGUAGES or tag == "en":
            return tag
    tag = _tag(locale)
    return tag if tag in LANGUAGES else "en"


def _tag(value: str) -> str:
    """`ru_RU.UTF-8@euro` → `ru`."""
    return value.split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()


def _catalog() -> _gettext.NullTranslations:
    global _translation, _language
    if _translation is None:
        _language = interface_language()
        _translation = _load(_language)
    return _translation


def _load(language: str) -> _gettext.NullTranslations:
    if language not in LANGUAGES:
        return _gettext.NullTranslations()
    import io

    parts = ("locale", language, "LC_MESSAGES", f"{DOMAIN}.mo")
    try:
        # A plain file where the package is installed; importlib.resources
        # (for a package imported from a zip) costs 30 ms to import.
        package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        with open(os.path.join(package, *parts), "rb") as file:
            data = file.read()
    except OSError:
        from importlib import resources

        try:
            data = resources.files("clientocracy").joinpath(*parts).read_bytes()
        except OSError:  # a catalog missing from a broken installation: English
            return _gettext.NullTranslations()
    return _gettext.GNUTranslations(io.BytesIO(data))


def use(language: str | None) -> None:
    """Speak *language* from now on (None: choose again from the environment); for tests."""
    global _translation, _language
    _translation = None if language is None else _load(language)
    _language = language


def current() -> str:
    """The language the interface speaks now."""
    _catalog()
    assert _language is not None
    return _language


def _(message: str) -> str:
    """*message* in the interface language."""
    return _catalog().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for the number *n* in the interface language."""
    return _catalog().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark *message* for translation where it is defined; `_` translates it where used."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark the two forms of a counted message; `counted` translates them where used."""
    return singular, plural


def counted(n: int, forms: tuple[str, str]) -> str:
    """The form of *forms* (from `N_plural`) for *n*, with `{count}` filled in."""
    return ngettext(*forms, n).format(count=number(n))


_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def number(value: int | str) -> str:
    """*value* in the digits of running text: Persian digits in a Persian interface."""
    text = str(value)
    return text.translate(_PERSIAN_DIGITS) if current() == "fa" else text


def decimal(value: str) -> str:
    """A decimal number such as `0.1` as the interface language writes it.

    Russian separates the fraction with a comma, Persian with its own
    decimal separator (U+066B) and Persian digits; English with a point.
    """
    language = current()
    if language == "ru":
        return value.replace(".", ",")
    if language == "fa":
        return number(value.replace(".", "\u066b"))
    return value


def listed(items: list[str] | tuple[str, ...], last: str | None = None) -> str:
    """`a`, `a and b`, `a, b and c`, with the commas and the "and" of the interface.

    *last* is the word before the last item, already translated (default "and").
    """
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    word = last if last is not None else _("and")
    return comma().join(items[:-1]) + " " + word + " " + items[-1]


#: How the interface names each channel of `CHANNELS`.
CHANNEL_NAMES = {
    "social-media": N_("social media"),
    "phone": N_("phone"),
    "letter": N_("letter"),
    "message": N_("message"),
    "in-person": N_("in person"),
}

# The languages of the bundled corpus, named in the interface language; a
# language a user's corpus adds keeps its English name.
_LANGUAGE_NAMES = (N_("Russian"), N_("Persian"), N_("English"))


def language_name(language: Language) -> str:
    """*language*'s name in the interface language (its English name if unknown)."""
    return _(language.name) if language.name in _LANGUAGE_NAMES else language.name


def quoted(value: str) -> str:
    """*value* quoted as the interface quotes a name: `'id'` in English, «id» otherwise.

    English keeps Python's quotes, as the library's own messages have them.
    """
    return repr(value) if current() == "en" else f"«{value}»"


def said(text: str) -> str:
    """A message of the library (a `Message`) in the interface language; other text as it is."""
    if current() == "en":
        return str(text)
    from .._messages import render

    return render(text, _, quoted, figures)


def figures(text: str) -> str:
    """A formatted number (`12,345`) as the interface language writes it in running text."""
    if current() == "fa":
        return number(text.replace(",", "\u066c"))
    return text.replace(",", "\u00a0")  # Russian groups thousands with a space


def comma() -> str:
    """The comma that separates the items of a list in the interface language."""
    return "، " if current() == "fa" else ", "
