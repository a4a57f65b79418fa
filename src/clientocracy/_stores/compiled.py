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
from collections.abc import Sequence

import attrs

__all__ = [
    "APPLICATION_ID",
    "FORMAT",
    "FORMAT_VERSION",
    "Provenance",
    "StaleCorpusWarning",
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

    Attributes:
        path: The compiled file.
        changed: The catalogs it was built from that have changed since.
    """

    path: str
    changed: tuple[str, ...]

    def __init__(self, path: str, changed: Sequence[str]) -> None:
        self.path = path
        self.changed = tuple(changed)
        super().__init__(
            f"{path} was built from {', '.join(self.changed)}, which has changed since; "
            "rebuild it to see the changes"
        )

    def __reduce__(self) -> tuple[type[StaleCorpusWarning], tuple[str, tuple[str, ...]]]:
        return type(self), (self.path, self.changed)


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
