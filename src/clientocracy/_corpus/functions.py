"""The module-level API: the queries of `Corpus` over the bundled data."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .._records import Company, Language, Principle, Source, Story
from .corpus import CompanyLike, Corpus, LanguageLike, PrincipleLike, StoryCollection

if TYPE_CHECKING:
    from pathlib import Path

    from .._search.hits import SearchHit

__all__ = [
    "companies",
    "company",
    "compile",
    "language",
    "languages",
    "load",
    "principle",
    "principles",
    "random",
    "sample",
    "search",
    "sources",
    "stories",
    "story",
]


def stories(
    *,
    company: CompanyLike | None = None,
    principle: PrincipleLike | None = None,
    language: LanguageLike | None = None,
) -> StoryCollection:
    """Return the bundled stories that match every given facet, in dataset order.

    Each keyword takes one value or an iterable of values: a story matches a
    facet when it matches any of the values (OR), and must match every facet
    given (AND). A value is a record, its id, or any of its names and
    aliases, in any script and case. A known value that matches no story
    gives an empty collection.

    Args:
        company: The companies to keep; `None` leaves the facet out.
        principle: The principles to keep; `None` leaves the facet out.
        language: The languages to keep; `None` leaves the facet out.

    Returns:
        The matching stories, as an immutable
            `StoryCollection`.

    Raises:
        UnknownValueError: A value names nothing (it is a `LookupError`).

    Examples:
        >>> import clientocracy
        >>> clientocracy.stories(company="Zappos").ids()
        ('zappos-ten-hour-call', 'zappos-flowers-for-a-mother')
        >>> clientocracy.stories(company="زاپوس", language="Farsi").ids()
        ('zappos-flowers-for-a-mother',)
    """
    return Corpus.bundled().stories(company=company, principle=principle, language=language)


def random(
    *,
    company: CompanyLike | None = None,
    principle: PrincipleLike | None = None,
    language: LanguageLike | None = None,
    seed: int | str | None = None,
) -> Story:
    """Return one bundled story that matches the filters, picked at random.

    With a *seed*, the same story every time: the one `clientocracy random
    --seed N` shows with the same filters.

    Raises:
        UnknownValueError: A filter value names nothing.
        ValueError: No story matches.

    Examples:
        >>> import clientocracy
        >>> story = clientocracy.random(language="Farsi", seed=7)
        >>> story.language.id, story == clientocracy.random(language="fa", seed=7)
        ('fa', True)
    """
    return Corpus.bundled().random(
        company=company, principle=principle, language=language, seed=seed
    )


def sample(
    k: int,
    *,
    company: CompanyLike | None = None,
    principle: PrincipleLike | None = None,
    language: LanguageLike | None = None,
    seed: int | str | None = None,
) -> StoryCollection:
    """Return *k* different bundled stories that match the filters, picked at random.

    Raises:
        UnknownValueError: A filter value names nothing.
        ValueError: *k* is negative or more than the stories that match.

    Examples:
        >>> import clientocracy
        >>> len(clientocracy.sample(2, language="ru", seed=3))
        2
    """
    return Corpus.bundled().sample(
        k, company=company, principle=principle, language=language, seed=seed
    )


def search(
    query: str,
    *,
    company: CompanyLike | None = None,
    principle: PrincipleLike | None = None,
    language: LanguageLike | None = None,
    limit: int | None = 10,
    prefix: bool = False,
) -> tuple[SearchHit, ...]:
    """Search the bundled stories; the best match first.

    Every word must match; `"quoted words"` match as a phrase; `a OR b`
    matches either; `word*` also matches longer words that start with
    `word` (or pass `prefix=True` to match the last word so, as a search box
    does while the user types). Russian and
    English words match their other forms, and any script or spelling that
    `normalize()` equates matches too. See
    `Corpus.search()` for the details.

    Args:
        query: What to look for.
        company: Keep only the hits of these companies, as in
            `stories()`.
        principle: Keep only the hits that show these principles.
        language: Keep only the hits in these languages.
        limit: The most hits to return; `None` for all of them.
        prefix: Also match the last word as a prefix, unless the query ends
            with a space (for as-you-type search).

    Returns:
        The hits, best first, each a `SearchHit`
            with its story, score and snippet.

    Raises:
        UnknownValueError: A filter value names nothing.

    Examples:
        >>> import clientocracy
        >>> clientocracy.search("будильники")[0].story.id
        'gaylord-opryland-alarm-clocks'
        >>> hit = clientocracy.search("bouquet")[0]
        >>> hit.story.language.id, hit.language.id, hit.snippet.field
        ('fa', 'en', 'text')
    """
    return Corpus.bundled().search(
        query, company=company, principle=principle, language=language, limit=limit, prefix=prefix
    )


def load(path: str | os.PathLike[str], *, base: Corpus | None = None) -> Corpus:
    """Load a corpus folder holding `catalog.json` and its texts, or open a compiled file.

    Ids the catalog refers to but does not define are looked up in *base*,
    so a user's stories can name bundled companies, principles and
    languages. Nothing is loaded unless the whole corpus is valid. Combine
    corpora with `|`:

    ```python
    corpus = clientocracy.Corpus.bundled() | clientocracy.load("my-stories")
    ```

    A corpus from an untrusted source is safe to load: no file outside its
    folder is read, even if the folder changes while it loads, nothing blocks
    on a pipe or device, and sizes are limited so that the cost stays in
    proportion to a valid corpus's (see [Security and limits](security.md)).

    *path* may also be a file written by `compile()`:
    it opens in milliseconds whatever its size, and its records are read
    as they are asked for (see [Compiled corpora](compiled-corpora.md)).

    Args:
        path: The folder, or the catalog file in it, or a compiled file.
        base: Where to look up what the catalog refers to but does not
            define; by default the bundled corpus. A compiled file holds
            every record it refers to, so it takes no *base*.

    Returns:
        The loaded corpus: the catalog's records and those it uses from *base*.

    Raises:
        CorpusError: The corpus is not valid, or a file of it cannot be read.
            It lists every problem found, each naming the file, the record
            and the field. A file that is not a compiled corpus, is of
            another format version or is damaged is refused so too.
        ValueError: *base* was given with a compiled file.

    Warns:
        StaleCorpusWarning: The catalog a compiled file was built from has
            changed since.
    """
    return Corpus.load(path, base=base)


def story(id: str) -> Story:
    """Return the bundled story with this id (compared as names are).

    Raises:
        UnknownValueError: No story has this id. Its `suggestions` (see
            `UnknownValueError`) are the ids that
            start with or contain what was given, and the stories of a
            company of that name.

    Examples:
        >>> import clientocracy
        >>> clientocracy.story("sainsburys-giraffe-bread").company.name
        'Sainsbury’s'
    """
    return Corpus.bundled().story(id)


def companies() -> tuple[Company, ...]:
    """Return every company of the bundled dataset."""
    return Corpus.bundled().companies()


def principles() -> tuple[Principle, ...]:
    """Return every principle of the bundled dataset."""
    return Corpus.bundled().principles()


def languages() -> tuple[Language, ...]:
    """Return every language of the bundled dataset (`ru`, `fa` and `en`)."""
    return Corpus.bundled().languages()


def sources() -> tuple[Source, ...]:
    """Return the source texts of the bundled dataset."""
    return Corpus.bundled().sources()


def company(value: Company | str) -> Company:
    """Return the company that *value* names: id, name or alias, in any script.

    Raises:
        UnknownValueError: *value* names no company.

    Examples:
        >>> import clientocracy
        >>> clientocracy.company("trader joes").name
        'Trader Joe’s'
    """
    return Corpus.bundled().company(value)


def principle(value: Principle | str) -> Principle:
    """Return the principle that *value* names: id, or a name in any language.

    Raises:
        UnknownValueError: *value* names no principle.

    Examples:
        >>> import clientocracy
        >>> clientocracy.principle("Мелочи важны").id
        'small-things-matter'
    """
    return Corpus.bundled().principle(value)


def language(value: Language | str) -> Language:
    """Return the language that *value* names: tag, ISO 639 code or name.

    Raises:
        UnknownValueError: *value* names no language.

    Examples:
        >>> import clientocracy
        >>> clientocracy.language("Farsi").id
        'fa'
    """
    return Corpus.bundled().language(value)


def compile(
    source: Corpus | str | os.PathLike[str],
    path: str | os.PathLike[str],
) -> Path:
    """Check a corpus completely and write it to one SQLite file.

    The file holds every record, the texts, the facet index and the search
    index; `load()` opens it in milliseconds whatever
    its size, and the query API, search, the command line and export work
    on it as on the corpus it was built from. It is written whole or not at
    all, and it records which catalog it was built from: opening it after
    the catalog has changed warns with
    `StaleCorpusWarning`. It is never
    updated in place; compile again to update it.

    Args:
        source: A `Corpus`, or a corpus folder (or
            its catalog), loaded as `load()` loads it.
        path: The file to write. An existing file there is replaced only if
            it is itself a compiled corpus.

    Returns:
        The absolute path of the file written.

    Raises:
        CorpusError: *source* is a folder whose corpus is not valid.
        FileExistsError: *path* exists and is not a compiled corpus.
        IsADirectoryError: *path* is a folder.

    Examples:
        >>> import clientocracy, pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> clientocracy.compile(clientocracy.Corpus.bundled(), folder / "stories.sqlite").name
        'stories.sqlite'
        >>> corpus = clientocracy.load(folder / "stories.sqlite")
        >>> corpus.stories(company="Zappos").ids()
        ('zappos-ten-hour-call', 'zappos-flowers-for-a-mother')
    """
    from .._stores.sqlite import compile_corpus

    if not isinstance(source, Corpus):
        source = Corpus.load(source)

    return compile_corpus(source, path)
