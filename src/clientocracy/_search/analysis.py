"""Full-text search over a corpus: one analyzer for index and query, FTS5 underneath.

Every text goes through the same three steps, whether it is a story being
indexed or a query being typed: `normalize()` (the very
function that resolves names, so search and lookups never disagree), a split
into words, and a Snowball stemmer for Russian and English words. The terms
that come out are stored in an in-memory SQLite FTS5 table, which does the
posting lists, phrase matching, prefixes and BM25 ranking; this module only
decides what a word is and builds FTS5 queries out of terms it made itself,
so no user input is ever parsed as FTS5 syntax.

A corpus loaded from JSON builds its index in memory on the first search; a
compiled corpus carries it in its file, built once by
`compile()`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn

from .._normalize import normalize

if TYPE_CHECKING:
    pass

__all__ = [
    "MAX_QUERY_TERMS",
    "MAX_WORD_CHARS",
    "search_terms",
]

#: Words are cut to this many characters (once normalized), in the index and
#: in queries alike, so a longer word still matches itself. No word of a
#: natural language comes close; a "word" of megabytes would otherwise cost
#: seconds and gigabytes to stem, index and highlight.
MAX_WORD_CHARS = 64
#: The most terms a query may have, phrases included; a longer query is
#: refused with a ValueError (dropping terms would quietly change what an
#: AND of them finds).
MAX_QUERY_TERMS = 64

# A word is a run of letters and digits once the text is normalized.
# Apostrophes are dropped first, so "Joe's", "Joe’s" and "Joes" are one word.
_WORD = re.compile(r"[^\W_]+")
_CHUNK = re.compile(r"\S+")
SPACE = re.compile(r"\s")
# A word as the original text writes it, before normalization: letters and
# digits with the marks, joiners and apostrophes that normalization removes
# from inside a word. The ZWNJ is not among them: it separates words, as it
# does after normalization. Used to find the offsets of matched words.
RAW_WORD = re.compile(
    "(?:[^\\W_]|[\u0300-\u036f\u0483-\u0489\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06ed\u0640\u200d\u00ad])+(?:['\u2019\u02bc](?:[^\\W_])+)*"
)
_QUOTES = str.maketrans(dict.fromkeys("“”„«»‟〝〞＂", '"'))

# Column weights for BM25: a word in a title or the company's name says more
# about what a story is than the same word somewhere in a long passage.
# Each field is a column of its own, so that a phrase never matches across
# the end of one field and the start of the next.
#
# A story has one row for each language it reads in: its original and each
# translation, so a hit can say which text matched and show it.
COLUMNS = ("title", "company", "summary", "body", "facets")
WEIGHTS = (5.0, 5.0, 2.0, 1.0, 0.0)
_TEXT_COLUMNS = "{title company summary body}"

DEFAULT_SNIPPET_WIDTH = 160
#: Snippets look for the matched words in the first this many characters of
#: each field; a match further into a longer field is not highlighted.
SNIPPET_SCAN_CHARS = 65_536


# Persian suffixes that writers join to a word with a ZWNJ, a space or
# nothing. Normalization reads the ZWNJ as a space, so written apart they are
# words of their own: plural ها, ezafe and indefinite ی/ای, possessive and
# comparative endings. They carry nothing to search for, so they index as
# nothing, and «حلقه‌ها», «حلقه ها» and «حلقه» all index as «حلقه».
_PERSIAN_CLITICS = frozenset(
    {
        *("ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان"),
        *("ی", "ای", "ام", "ات", "اش", "مان", "تان", "شان", "تر", "ترین"),
    }
)


def _persian_stem(word: str) -> str:
    """A light stemmer for Persian plurals: conservative, so that words stay apart.

    Only plural endings are taken off a joined word, and only when enough of
    the word is left for it not to be a different short word: «حلقه‌ها» and
    «حلقهها» become «حلقه», «مشتریان» becomes «مشتری», «دانشجویان»
    becomes «دانشجو», «مشکلات» becomes «مشکل», but «تنها», «مهمان» and
    «حیات» stay as they are.
    """
    if word in _PERSIAN_CLITICS:
        return ""
    for suffix in ("هایی", "های", "ها"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    # The Arabic plural in ـات («مشکلات», «سوالات»), where four letters or more
    # are left: «حیات» and «ثبات» are words of their own.
    if word.endswith("ات") and len(word) >= 6:
        return word[:-2]
    if word.endswith("ان") and len(word) >= 6:
        stem = word[:-2]
        # «آقایان», «دانشجویان»: a ی joins the plural to a final vowel.
        if stem.endswith("ی") and stem[-2] in "او":
            stem = stem[:-1]
        return stem
    return word


class _Stemmer:
    """Stemmers picked by script: Snowball's Russian and English, and a light Persian one.

    Snowball's own Persian stemmer conflates too eagerly for this text (it
    turns "employees" into "work") and does not relate the singular and
    plural of common nouns such as "customer", so Persian has
    `_persian_stem`. A stem may be empty: a Persian suffix written apart
    from its word, which search then ignores.
    """

    def __init__(self) -> None:
        import Stemmer

        self._russian: Callable[[str], str] = Stemmer.Stemmer("russian").stemWord
        self._english: Callable[[str], str] = Stemmer.Stemmer("english").stemWord
        self._known: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        stem = self._known.get(word)
        if stem is None:
            stem = self._stem(word)
            if len(self._known) < 200_000:
                self._known[word] = stem
        return stem

    def _stem(self, word: str) -> str:
        first = word[0]
        if "\u0430" <= first <= "\u045f":
            return self._russian(word) or word
        if "a" <= first <= "z":
            return self._english(word) or word
        if "\u0620" <= first <= "\u06ff":
            return _persian_stem(word)
        return word

    def joined(self, words: list[str], known: dict[str, str]) -> str:
        """The stems of *words*, joined by spaces, with *known* as the cache.

        This is the hot loop of indexing: `map` over the cache's
        `__getitem__` runs in C, and only new words reach the stemmer.
        """
        try:
            return " ".join(map(known.__getitem__, words))
        except KeyError:
            for word in words:
                if word not in known:
                    known[word] = self._stem(word)
            return " ".join(map(known.__getitem__, words))


_stemmer: _Stemmer | None = None
_stemmer_lock = threading.Lock()


def get_stemmer() -> _Stemmer:
    global _stemmer
    if _stemmer is None:
        with _stemmer_lock:
            if _stemmer is None:
                _stemmer = _Stemmer()
    return _stemmer


def split_words(text: str) -> list[str]:
    """The words of *text*, normalized but not stemmed, cut to MAX_WORD_CHARS."""
    words: list[str] = _WORD.findall(normalize(text).replace("'", ""))
    if any(len(word) > MAX_WORD_CHARS for word in words):
        return [word[:MAX_WORD_CHARS] for word in words]
    return words


def search_terms(text: str) -> tuple[str, ...]:
    """Return the terms search indexes for *text*, and looks up for a query word.

    The text is put through `normalize()`,
    apostrophes are dropped, it is split into runs of letters and digits,
    each Russian or English word is reduced to its Snowball stem, and
    Persian plurals to their singular (a Persian suffix written apart from
    its word is no term). Two texts match exactly when they share terms, so
    this tells why a query finds a story or not.

    Raises:
        TypeError: *text* is not a string.

    Examples:
        >>> from clientocracy import search_terms
        >>> search_terms("Будильники")
        ('будильник',)
        >>> search_terms("Trader Joe’s") == search_terms("trader joes")
        True
        >>> search_terms("می‌شوند") == search_terms("مي شوند")
        True
        >>> search_terms("حلقه‌ها") == search_terms("حلقه ها") == search_terms("حلقه")
        True
        >>> search_terms("مشتریان") == search_terms("مشتری")
        True
    """
    if not isinstance(text, str):
        raise TypeError(f"search terms come from a string, not {type(text).__name__}")
    stem = get_stemmer()
    return tuple(term for term in map(stem, split_words(text)) if term)


class Query:
    """A parsed query: AND of clauses, each clause a phrase of one or more terms.

    Words outside quotes are clauses of their own; a word that normalizes to
    several terms (`e-mail`, a Persian word typed with a ZWNJ) is a phrase
    of them. Quoted words are one phrase. The last word also matches as a
    prefix unless the query ends in a space or a closing quote.
    """

    def __init__(self, text: str) -> None:
        stem = get_stemmer()
        self.phrases: list[tuple[str, ...]] = []
        # Terms of distinct phrases so far: a query is refused as soon as it
        # is known to be too long, before its every word is stemmed.
        distinct: set[tuple[str, ...]] = set()
        counted = 0
        # The last word as typed (normalized, unstemmed) while it is still
        # being typed; it also matches as a prefix.
        self.prefix: str | None = None
        parts = text.translate(_QUOTES).split('"')
        last_open = False
        for index, part in enumerate(parts):
            quoted = index % 2 == 1
            groups = [part] if quoted else _CHUNK.findall(part)
            for group in groups:
                words = split_words(group)
                if len(words) > MAX_QUERY_TERMS:
                    _too_many(len(words))
                terms = tuple(term for term in map(stem, words) if term)
                if terms:
                    if terms not in distinct:
                        distinct.add(terms)
                        counted += len(terms)
                        if counted > MAX_QUERY_TERMS:
                            _too_many(counted)
                    self.phrases.append(terms)
                    # A word typed to its end with a suffix is no prefix.
                    self.prefix = words[-1] if stem(words[-1]) else None
            if quoted:
                last_open = index == len(parts) - 1  # an unclosed quote runs to the end
        ends_open = bool(text) and not text[-1].isspace() and (not text.endswith('"') or last_open)
        if not ends_open or not self.phrases:
            self.prefix = None
        # A repeated clause adds nothing to an AND; keep the first, in order.
        seen: set[tuple[str, ...]] = set()
        unique = []
        for index, phrase in enumerate(self.phrases):
            is_last = index == len(self.phrases) - 1
            if phrase not in seen or (is_last and self.prefix is not None):
                unique.append(phrase)
                seen.add(phrase)
        self.phrases = unique

    def __bool__(self) -> bool:
        return bool(self.phrases)

    def fts(self) -> str:
        """The FTS5 expression; every term is quoted and made of letters and digits only."""
        clauses = [_quote(phrase) for phrase in self.phrases]
        if self.prefix is not None:
            typed = _quote((*self.phrases[-1][:-1], self.prefix)) + "*"
            clauses[-1] = f"({clauses[-1]} OR {typed})"
        return f"{_TEXT_COLUMNS} : ({' AND '.join(clauses)})"

    def matcher(self) -> Callable[[str, str], bool]:
        """Whether a word (normalized, unstemmed) and its stem match the query."""
        stems = {term for phrase in self.phrases for term in phrase}
        prefix = self.prefix

        def matches(word: str, stem: str) -> bool:
            return stem in stems or (prefix is not None and word.startswith(prefix))

        return matches


def _too_many(terms: int) -> NoReturn:
    raise ValueError(
        f"the query has more than {MAX_QUERY_TERMS} words ({terms} so far), the limit; "
        "search for fewer words: every word must match, so a few distinctive ones find as much"
    )


def _quote(terms: Sequence[str]) -> str:
    return '"' + " ".join(terms) + '"'
