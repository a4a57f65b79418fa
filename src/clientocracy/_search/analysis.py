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

from .._messages import N_, Message
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

# Column weights for BM25, in the order of the index's COLUMNS: a word in a
# title or the company's name says more about what a story is than the same
# word somewhere in a long passage.
WEIGHTS = (5.0, 5.0, 2.0, 1.0, 0.0)
_TEXT_COLUMNS = "{title company summary body}"

DEFAULT_SNIPPET_WIDTH = 160
#: Snippets look for the matched words in the first this many characters of
#: each field; a match further into a longer field is not highlighted.
SNIPPET_SCAN_CHARS = 65_536


# Persian suffixes that writers join to a word with a ZWNJ, a space or
# nothing. Normalization reads the ZWNJ as a space, so written apart they are
# words of their own: plural ها, ezafe and indefinite ی/ای, possessive,
# comparative and superlative endings. They carry nothing to search for, so
# they index as nothing, and «حلقه‌ها», «حلقه ها» and «حلقه» all index as
# «حلقه».
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


class _Clause:
    """One thing a query asks for: a phrase of terms, its last word perhaps a prefix."""

    __slots__ = ("last_word", "prefix", "terms")

    def __init__(self, terms: tuple[str, ...], prefix: str | None, last_word: str | None) -> None:
        self.terms = terms
        # The last word as typed (normalized, unstemmed) when it also
        # matches as the start of a longer word.
        self.prefix = prefix
        # The last word as typed, if it may be a prefix (a word typed to its
        # end with a suffix, a stem of nothing, may not).
        self.last_word = last_word

    def key(self) -> tuple[tuple[str, ...], str | None]:
        return self.terms, self.prefix

    def fts(self) -> str:
        exact = _quote(self.terms)
        if self.prefix is None:
            return exact
        return f"({exact} OR {_quote((*self.terms[:-1], self.prefix))}*)"


class Query:
    """A parsed query: an AND of groups, each group an OR of clauses.

    The language, documented for users in docs/search.md and `search --help`:

    - words are ANDed; a word that normalizes to several terms (`e-mail`,
      a Persian word typed with a ZWNJ) is a phrase of them;
    - `"quoted words"` are one phrase (an unclosed quote runs to the end);
    - `word*` also matches the words that start with `word`;
    - `OR` (in capitals, between two clauses) joins them into one group that
      matches when either does; `AND` in capitals is the default and so
      is dropped; any other operator-like text is read as words.

    With *prefix* (a search box, queried as the user types), the last word
    also matches as a prefix unless the query ends in a space or a closing
    quote. Nothing the user types reaches FTS5 as syntax: `fts` builds the
    expression from the terms this class made.
    """

    def __init__(self, text: str, *, prefix: bool = False) -> None:
        self.groups: list[tuple[_Clause, ...]] = []
        self._distinct: set[tuple[str, ...]] = set()
        self._counted = 0
        clauses: list[_Clause | str] = []  # "OR" between clauses
        parts = text.translate(_QUOTES).split('"')
        last_open = False
        for index, part in enumerate(parts):
            quoted = index % 2 == 1
            for chunk in [part] if quoted else _CHUNK.findall(part):
                if not quoted and chunk in ("OR", "AND"):
                    if chunk == "OR":
                        clauses.append("OR")
                    continue
                clause = self._clause(chunk, starred=not quoted and chunk.endswith("*"))
                if clause is not None:
                    clauses.append(clause)
            if quoted:
                last_open = index == len(parts) - 1  # an unclosed quote runs to the end
        ends_open = bool(text) and not text[-1].isspace() and (not text.endswith('"') or last_open)
        if prefix and ends_open and clauses and isinstance(clauses[-1], _Clause):
            last = clauses[-1]
            if last.prefix is None and last.last_word is not None:
                clauses[-1] = _Clause(last.terms, last.last_word, last.last_word)
        self._group(clauses)

    def _clause(self, chunk: str, *, starred: bool) -> _Clause | None:
        """The clause of one word or phrase, or None if it has no terms."""
        stem = get_stemmer()
        words = split_words(chunk)
        if len(words) > MAX_QUERY_TERMS:
            _too_many(len(words))
        terms = tuple(term for term in map(stem, words) if term)
        if not terms:
            return None
        if terms not in self._distinct:
            self._distinct.add(terms)
            self._counted += len(terms)
            if self._counted > MAX_QUERY_TERMS:
                _too_many(self._counted)
        typed = words[-1] if stem(words[-1]) else None
        return _Clause(terms, typed if starred else None, typed)

    def _group(self, clauses: list[_Clause | str]) -> None:
        """Join the clauses around each OR; an OR with nothing on a side is dropped."""
        groups: list[list[_Clause]] = []
        joining = False
        for item in clauses:
            if isinstance(item, str):
                joining = bool(groups)
            elif joining:
                groups[-1].append(item)
                joining = False
            else:
                groups.append([item])
        # A repeated group adds nothing to an AND; keep the first, in order.
        seen: set[tuple[tuple[tuple[str, ...], str | None], ...]] = set()
        for group in groups:
            alternatives = tuple({clause.key(): clause for clause in group}.values())
            key = tuple(sorted(clause.key() for clause in alternatives))
            if key not in seen:
                seen.add(key)
                self.groups.append(alternatives)

    @property
    def phrases(self) -> list[tuple[str, ...]]:
        """The terms of every clause, in order."""
        return [clause.terms for group in self.groups for clause in group]

    def __bool__(self) -> bool:
        return bool(self.groups)

    def fts(self) -> str:
        """The FTS5 expression; every term is quoted and made of letters and digits only."""
        ands = []
        for group in self.groups:
            either = " OR ".join(clause.fts() for clause in group)
            ands.append(either if len(group) == 1 else f"({either})")
        return f"{_TEXT_COLUMNS} : ({' AND '.join(ands)})"

    def matcher(self) -> Callable[[str, str], bool]:
        """Whether a word (normalized, unstemmed) and its stem match the query."""
        stems = {term for phrase in self.phrases for term in phrase}
        prefixes = tuple({c.prefix for g in self.groups for c in g if c.prefix is not None})

        def matches(word: str, stem: str) -> bool:
            return stem in stems or (bool(prefixes) and word.startswith(prefixes))

        return matches


def _too_many(terms: int) -> NoReturn:
    raise ValueError(
        Message(
            N_(
                "the query has more than {limit} words ({terms} so far), the limit; search for "
                "fewer words: every word must match, so a few distinctive ones find as much"
            ),
            limit=MAX_QUERY_TERMS,
            terms=terms,
        )
    )


def _quote(terms: Sequence[str]) -> str:
    return '"' + " ".join(terms) + '"'
