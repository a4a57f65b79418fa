"""Compiled corpora: a corpus checked once and written to one SQLite file.

`compile()` writes every record, the texts, the facet
index and the search index into a SQLite database; opening it reads a few
rows of metadata and nothing else, and records are made from rows as they
are asked for. The schema is plain, documented SQL (see
`docs/compiled-corpora.md`), so `sqlite3`, Datasette or any SQLite client
can read the file as it is.

A compiled file is input like any catalog, and may come from anyone. On
opening it must be a regular file, a SQLite file with clientocracy's
application id, the format version this release reads, as many pages as its
header says, and exactly the schema `compile` writes; it is opened with
SQLite's guards for untrusted databases (see `_io/sqlite_guard.py`), and every
value is checked before a record is made of it (see `row_checks.py`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import attrs

from .._public import public

__all__ = [
    "APPLICATION_ID",
    "FORMAT",
    "FORMAT_VERSION",
    "Provenance",
    "StaleCorpusWarning",
    "is_compiled",
    "looks_like_sqlite",
]

# The name the catalog format gives its file (the format itself is a stage
# above this one): only a path ending so is checked for staleness.
_CATALOG_FILE = "catalog.json"

#: SQLite's header field that says which application a database file is for:
#: "CLCY" in ASCII. A SQLite file without it is not a compiled corpus.
APPLICATION_ID = 0x434C4359
#: The version of the compiled format this release writes and reads (SQLite's
#: `user_version`). A file of another version is refused: rebuild it.
FORMAT_VERSION = 3
FORMAT = "clientocracy-compiled"
HEADER = b"SQLite format 3\x00"


@public
class StaleCorpusWarning(UserWarning):
    """A compiled corpus was opened whose source catalog has changed since it was built.

    The file still opens, as it was built; rebuild it (`clientocracy build`
    or `compile()`) to see the changes.

    Attributes:
        path: The compiled file.
        changed: The catalogs it was built from that have changed since.
    """

    path: str
    changed: tuple[str, ...]

    def __init__(self, path: str, changed: Sequence[str]) -> None:
        self.path = path
        self.changed = tuple(changed)
        # A file may name many catalogs; the message names a few.
        shown = ", ".join(self.changed[:5])
        if len(self.changed) > 5:
            shown += f" and {len(self.changed) - 5} more"
        super().__init__(
            f"{path} was built from {shown}, which has changed since; rebuild it to see the changes"
        )

    def __reduce__(self) -> tuple[type[StaleCorpusWarning], tuple[str, tuple[str, ...]]]:
        return type(self), (self.path, self.changed)


@public
@attrs.frozen(kw_only=True, repr=False)
class Provenance:
    """What a compiled corpus was built from, and by which release of clientocracy.

    Attributes:
        file: The path of the compiled file, as it was opened.
        format_version: The version of the file's format (its schema).
        clientocracy_version: The release of clientocracy that built the file.
        built_at: When the file was built: an ISO 8601 time in UTC.
        catalogs: The path of each catalog file the corpus was loaded from,
            with its SHA-256 when the file was built (empty for records that
            came from elsewhere, such as the bundled dataset).
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
        stamps = []
        for path, sha in self.catalogs:
            try:
                info = os.stat(path)
            except OSError:
                continue
            # A different modification time makes the hash decide.
            stamps.append(Stamp(catalog=path, sha256=sha, size=info.st_size, mtime_ns=-1))
        return tuple(changed_catalogs(tuple(stamps)))

    def __repr__(self) -> str:
        return (
            f"Provenance(file={self.file!r}, clientocracy_version={self.clientocracy_version!r}, "
            f"built_at={self.built_at!r})"
        )


# -- staleness -----------------------------------------------------------------

#: The most catalogs a compiled file may name as its sources.
MAX_CATALOGS = 64
#: The most bytes of catalogs that opening a compiled file hashes to tell
#: whether they changed; a catalog past it that may have changed is reported
#: as changed.
STALENESS_HASH_BYTES = 64 * 1024 * 1024


@attrs.frozen(kw_only=True)
class Stamp:
    """A catalog a compiled file was built from, as it was then."""

    catalog: str
    sha256: str
    size: int
    mtime_ns: int


def read_stamps(text: str) -> tuple[Stamp, ...]:
    """The catalogs of `corpus_info`'s `catalogs` value; `ValueError` if malformed."""
    import json

    stamps = json.loads(text)
    if not isinstance(stamps, list) or len(stamps) > MAX_CATALOGS:
        raise ValueError(f"expected a list of at most {MAX_CATALOGS} catalogs")
    found = []
    for stamp in stamps:
        if not isinstance(stamp, dict) or set(stamp) != {"catalog", "sha256", "size", "mtime_ns"}:
            raise ValueError("a catalog is not an object of catalog, sha256, size and mtime_ns")
        path, sha, size, mtime = (stamp[k] for k in ("catalog", "sha256", "size", "mtime_ns"))
        ok = (
            isinstance(path, str)
            and os.path.isabs(path)
            and "\x00" not in path
            and len(path) < 4096
            and isinstance(sha, str)
            and (sha == "" or (len(sha) == 64 and all(c in "0123456789abcdef" for c in sha)))
            and type(size) is int
            and type(mtime) is int
            and 0 <= size < 2**63
            and -(2**63) <= mtime < 2**63
        )
        if not ok:
            raise ValueError("a catalog's path, sha256, size or mtime_ns is not valid")
        found.append(Stamp(catalog=path, sha256=sha, size=size, mtime_ns=mtime))
    return tuple(found)


def changed_catalogs(stamps: tuple[Stamp, ...]) -> list[str]:
    """The catalogs of *stamps* that have changed since they were stamped.

    What a compiled file names is not trusted, so this reads little, and never
    waits: only a path whose last component is ``catalog.json`` is looked at,
    opened without blocking and checked to be a regular file (a pipe, a
    device, a folder or a missing file counts as unchanged: the compiled file
    stands on its own); size and modification time answer at once, and only a
    catalog touched but of the same size is hashed, within
    `STALENESS_HASH_BYTES` in all.
    """
    from .._io.sqlite_guard import open_regular

    budget = STALENESS_HASH_BYTES
    changed: list[str] = []
    seen: set[str] = set()
    for stamp in stamps:
        if os.path.basename(stamp.catalog) != _CATALOG_FILE or stamp.catalog in seen:
            continue
        seen.add(stamp.catalog)
        try:
            fd = open_regular(stamp.catalog)
        except OSError:
            continue  # gone, moved with the file to another machine, or not a file
        try:
            info = os.fstat(fd)
            if (info.st_size, info.st_mtime_ns) == (stamp.size, stamp.mtime_ns):
                continue
            if info.st_size == stamp.size and stamp.sha256 and info.st_size <= budget:
                budget -= info.st_size
                if _sha256_of_fd(fd) == stamp.sha256:
                    continue  # touched, not changed
            changed.append(stamp.catalog)
        except OSError:
            continue
        finally:
            os.close(fd)
    return changed


def _sha256_of_fd(fd: int) -> str:
    import hashlib

    digest = hashlib.sha256()
    offset = 0
    while block := os.pread(fd, 1 << 20, offset):
        digest.update(block)
        offset += len(block)
    return digest.hexdigest()


def _sha256_of(path: str) -> str:
    """The SHA-256 of the regular file *path* (`OSError` for anything else)."""
    from .._io.sqlite_guard import open_regular

    fd = open_regular(path)
    try:
        return _sha256_of_fd(fd)
    finally:
        os.close(fd)


def is_compiled(path: str | os.PathLike[str]) -> bool:
    """Whether *path* is a SQLite file that says it is a compiled clientocracy corpus.

    Only a regular file is read: a named pipe or a device is not compiled,
    and asking never waits on one.
    """
    from .._io.sqlite_guard import read_head

    header = read_head(path, 100)
    if header is None:
        return False
    return header.startswith(HEADER) and int.from_bytes(header[68:72], "big") == APPLICATION_ID


def looks_like_sqlite(path: str | os.PathLike[str]) -> bool:
    """Whether *path* is meant as a compiled corpus: a SQLite file, or named like one.

    A file named ``*.sqlite``, ``*.sqlite3`` or ``*.db`` counts even if it is
    not SQLite, so that a damaged one is reported as such and not as a
    catalog that is not JSON. Only a regular file is read, never waiting on
    a named pipe or a device.
    """
    if os.fspath(path).lower().endswith((".sqlite", ".sqlite3", ".db")):
        return True
    from .._io.sqlite_guard import read_head

    return read_head(path, len(HEADER)) == HEADER
