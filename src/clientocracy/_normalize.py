"""One text normalization, shared by name resolution (and, later, search).

Keeping a single function means a name the query API accepts and a word the
search index finds can never disagree about what "the same text" is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = ["close_matches", "name_key", "normalize"]

# Letters that Persian and Arabic keyboards (and old web pages) write
# differently for the same Persian letter, plus typographic variants of
# Latin and Cyrillic punctuation that people type interchangeably.
_CHAR_MAP = {
    # Arabic forms of Persian letters
    "\u064a": "\u06cc",  # ARABIC LETTER YEH -> FARSI YEH
    "\u0649": "\u06cc",  # ALEF MAKSURA -> FARSI YEH
    "\u0643": "\u06a9",  # ARABIC LETTER KAF -> KEHEH
    "\u0629": "\u0647",  # TEH MARBUTA -> HEH
    "\u06c0": "\u0647",  # HEH WITH YEH ABOVE -> HEH
    "\u0623": "\u0627",  # ALEF WITH HAMZA ABOVE -> ALEF
    "\u0625": "\u0627",  # ALEF WITH HAMZA BELOW -> ALEF
    "\u0671": "\u0627",  # ALEF WASLA -> ALEF
    "\u0622": "\u0627",  # ALEF WITH MADDA ABOVE -> ALEF
    # Russian: ё is optional in ordinary writing
    "\u0451": "\u0435",
    # Apostrophes and quotes that stand for the same apostrophe
    "\u2019": "'",
    "\u2018": "'",
    "\u02bc": "'",
    "\u0060": "'",
    "\u00b4": "'",
    # Dashes
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    # Zero-width non-joiner: Persian writers use it, a space or nothing
    # between the same two parts of a word; a space is the common ground.
    "\u200c": " ",
}
# Persian (U+06F0..) and Arabic-Indic (U+0660..) digits are ASCII digits.
_CHAR_MAP.update({chr(0x06F0 + d): str(d) for d in range(10)})
_CHAR_MAP.update({chr(0x0660 + d): str(d) for d in range(10)})

# Characters that carry no letters: harakat and other Arabic marks, tatweel,
# zero-width and bidirectional formatting characters.
_DROPPED = (
    [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670", "\u0640", "\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad"]
    + ["\u200e", "\u200f", "\u061c"]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
)

_REPLACEMENTS = {**_CHAR_MAP, **dict.fromkeys(_DROPPED, "")}
# str.translate() looks every character up in a dict, which is slow on long
# texts; a regex finds the few characters that change at C speed. Compiling
# the regex costs more than translating a few hundred short texts, though:
# names, query words and the words of snippets, what a command normalizes,
# are translated, and the regex is compiled the first time a long text
# (a passage being indexed) needs it.
_TABLE = str.maketrans(_REPLACEMENTS)
_SHORT = 64
_special: re.Pattern[str] | None = None


def _special_characters() -> re.Pattern[str]:
    global _special
    if _special is None:
        _special = re.compile("[" + re.escape("".join(_REPLACEMENTS)) + "]")
    return _special


def _replace(match: re.Match[str]) -> str:
    return _REPLACEMENTS[match.group()]


# Apostrophes are dropped from name keys ("Trader Joes" is "Trader Joe's"),
# and hyphens, underscores and dots separate words ("gaylord-opryland").
_KEY_TABLE = str.maketrans({"'": None, "-": " ", "_": " ", ".": " "})


def _normalize_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    if len(text) <= _SHORT:
        text = text.translate(_TABLE)
    else:
        special = _special or _special_characters()
        if special.search(text):
            text = special.sub(_replace, text)
    text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


def normalize(text: str) -> str:
    """Return *text* in the form clientocracy compares text in.

    The steps are: Unicode NFKC and case folding; Russian `ё` read as `е`;
    Arabic letter forms read as their Persian letters (`ي` → `ی`,
    `ك` → `ک`, `ة` → `ه`, `أ`/`إ`/`ٱ`/`آ` → `ا`); harakat,
    tatweel, zero-width and bidi control characters removed; the zero-width
    non-joiner read as a space; Persian and Arabic-Indic digits read as ASCII
    digits; typographic apostrophes (`’`) read as `'` and dashes as `-`;
    runs of white space (including no-break spaces) collapsed to one space
    and trimmed at both ends.

    The function is idempotent: `normalize(normalize(s)) == normalize(s)`.

    Examples:
        >>> from clientocracy import normalize
        >>> normalize("  Trader  Joe’s ")
        "trader joe's"
        >>> normalize("Ёлка") == normalize("елка")
        True
    """
    # Case folding and NFKC can each undo the other's fixed point on rare
    # characters, so repeat until nothing changes (at most a few rounds).
    result = _normalize_once(text)
    while True:
        again = _normalize_once(result)
        if again == result:
            return result
        result = again


def name_key(text: str) -> str:
    """Return the key under which a name or alias is looked up.

    It is `normalize()` with apostrophes removed
    and `-`, `_` and `.` read as spaces, so that `"Trader Joes"`,
    `"trader-joes"` and `"Trader Joe’s"` all name the same company.

    Examples:
        >>> from clientocracy import name_key
        >>> name_key("Trader Joe’s") == name_key("trader-joes")
        True
        >>> name_key("Zappos.com")
        'zappos com'
    """
    return " ".join(normalize(text).translate(_KEY_TABLE).split())


def close_matches(key: str, keys: Iterable[str], n: int, cutoff: float = 0.6) -> list[str]:
    """The keys most like *key*, as difflib finds them, at a cost bounded by the keys.

    difflib indexes every character of *key* before comparing; a key more
    than `2 / cutoff - 1` times as long as the longest candidate cannot
    reach *cutoff* with any of them, so it is not indexed at all (a value of
    megabytes would otherwise cost seconds and gigabytes to be told no).
    """
    import difflib

    candidates = list(keys)
    longest = max(map(len, candidates), default=0)
    if len(key) > longest * (2 / cutoff - 1):
        return []
    return difflib.get_close_matches(key, candidates, n=n, cutoff=cutoff)
