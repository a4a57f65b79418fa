"""Compiled corpora: a corpus checked once and written to one SQLite file.

[`compile`][clientocracy.compile] writes every record, the texts, the facet
index and the search index into a SQLite database; opening it reads a few
rows of metadata and nothing else, and records are made from rows as they
are asked for. The schema is plain, documented SQL (see
`docs/compiled-corpora.md`), so `sqlite3`, Datasette or any SQLite client
can read the file as it is.

A compiled file is trusted as built: it was checked completely when it was
written. What is checked on opening is that it is whole and of this
format: a SQLite file with clientocracy's application id, the format version
this release reads, and as many pages as its header says.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from pathlib import Path

    from .._corpus.corpus import Corpus

__all__ = [
    "APPLICATION_ID",
    "FORMAT",
    "FORMAT_VERSION",
    "Provenance",
    "StaleCorpusWarning",
    "compile",
    "is_compiled",
    "looks_like_sqlite",
]

#: SQLite's header field that says which application a database file is for:
#: "CLCY" in ASCII. A SQLite file without it is not a compiled corpus.
APPLICATION_ID = 0x434C4359
#: The version of the compiled format this release writes and reads (SQLite's
#: `user_version`). A file of another version is refused: rebuild it.
FORMAT_VERSION = 1
FORMAT = "clientocracy-compiled"
HEADER = b"SQLite format 3\x00"


class StaleCorpusWarning(UserWarning):
    """A compiled corpus was opened whose source catalog has changed since it was built.

    The file still opens, as it was built; rebuild it (`clientocracy build`
    or [`compile`][clientocracy.compile]) to see the changes.
    """


@attrs.frozen(kw_only=True, repr=False)
class Provenance:
    """What a compiled corpus was built from, and by which release of clientocracy.

    `catalogs` pairs the path of each catalog file the corpus was loaded
    from with its SHA-256 when it was built (empty for records that came
    from elsewhere, such as the bundled dataset). `built_at` is an ISO 8601
    time in UTC.
    """

    file: str
    format_version: int
    clientocracy_version: str
    built_at: str
    catalogs: tuple[tuple[str, str], ...] = ()

    def changed(self) -> tuple[str, ...]:
        """Return the catalogs that exist and have changed since the file was built.

        A catalog that no longer exists (the file was copied to another
        machine, say) is not reported: the compiled file stands on its own.
        """
        return tuple(path for path, sha in self.catalogs if _changed(path, sha))

    def __repr__(self) -> str:
        return (
            f"Provenance(file={self.file!r}, clientocracy_version={self.clientocracy_version!r}, "
            f"built_at={self.built_at!r})"
        )


def _sha256_of(path: str) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _changed(path: str, sha256: str) -> bool:
    try:
        return _sha256_of(path) != sha256
    except OSError:
        return False


def is_compiled(path: str | os.PathLike[str]) -> bool:
    """Whether *path* is a SQLite file that says it is a compiled clientocracy corpus."""
    try:
        with open(path, "rb") as file:
            header = file.read(100)
    except OSError:
        return False
    return header.startswith(HEADER) and int.from_bytes(header[68:72], "big") == APPLICATION_ID


def looks_like_sqlite(path: str | os.PathLike[str]) -> bool:
    """Whether *path* is meant as a compiled corpus: a SQLite file, or named like one.

    A file named ``*.sqlite``, ``*.sqlite3`` or ``*.db`` counts even if it is
    not SQLite, so that a damaged one is reported as such and not as a
    catalog that is not JSON.
    """
    if os.fspath(path).lower().endswith((".sqlite", ".sqlite3", ".db")):
        return True
    try:
        with open(path, "rb") as file:
            return file.read(len(HEADER)) == HEADER
    except OSError:
        return False


# -- the public function ---------------------------------------------------------


def compile(
    source: Corpus | str | os.PathLike[str],
    path: str | os.PathLike[str],
) -> Path:
    """Check a corpus completely and write it to one SQLite file.

    The file holds every record, the texts, the facet index and the search
    index; [`load()`][clientocracy.load] opens it in milliseconds whatever
    its size, and the query API, search, the command line and export work
    on it as on the corpus it was built from. It is written whole or not at
    all, and it records which catalog it was built from: opening it after
    the catalog has changed warns with
    [`StaleCorpusWarning`][clientocracy.StaleCorpusWarning]. It is never
    updated in place; compile again to update it.

    Args:
        source: A [`Corpus`][clientocracy.Corpus], or a corpus folder (or
            its catalog), loaded as [`load()`][clientocracy.load] loads it.
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
    from .._corpus.corpus import Corpus

    if not isinstance(source, Corpus):
        from .._catalog.loading import load

        source = load(source)
    from .sqlite import compile_corpus

    return compile_corpus(source, path)
