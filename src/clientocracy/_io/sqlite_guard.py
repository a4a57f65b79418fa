"""Opening a SQLite file someone else wrote, as SQLite advises for untrusted databases.

A compiled corpus may come from anywhere, and a SQLite file is more than
data: its schema can hold views, triggers, generated columns and virtual
tables, all of which run when a query touches them. `GuardedFile` opens
such a file so that nothing in it can run code of its own, hang, or grow
without bound:

* The file is opened once by this process, without blocking (a named pipe
  or a device is refused before anything waits on it), and checked to be a
  regular file. That descriptor is kept: a file overwritten in place while
  open is noticed before and after every query, and reported.
* SQLite opens it read-only (`mode=ro`), with `query_only`,
  `trusted_schema` off, `cell_size_check` on, and the defensive
  configuration where this Python exposes it (3.12 and later).
* `Connection.setlimit` bounds the length of any value, of SQL text,
  the number of columns, expression depth, compound selects, attached
  databases and the like, well above what a corpus needs.
* A progress handler counts the virtual machine's steps of every statement
  and stops one that takes more than `MAX_STATEMENT_STEPS`; it also lets
  Ctrl-C interrupt any query.
* `check_schema` compares the whole schema (every table, index, view,
  trigger and virtual table, with its SQL) with the one expected, so that
  what runs is only ever the schema this release wrote.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator
from typing import Any

from .._errors import CorpusError

__all__ = [
    "MAX_STATEMENT_STEPS",
    "MAX_VALUE_BYTES",
    "GuardedFile",
    "read_head",
    "uri_quote",
]

#: The most bytes of one value (a source text, as UTF-16) a query may produce.
#: A text file may have 64 MiB of UTF-8, which is at most twice that in UTF-16.
MAX_VALUE_BYTES = 2 * 64 * 1024 * 1024 + 4096
#: The most steps of SQLite's virtual machine one statement may take: about a
#: score of times what the largest query over a million stories needs, and
#: several seconds of work.
MAX_STATEMENT_STEPS = 200_000_000
#: How many steps pass between two calls of the progress handler.
PROGRESS_EVERY = 20_000

# What a file name may keep as it is in an SQLite URI: the characters
# urllib.parse.quote leaves alone, and the separators "/" and ":".
_URI_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~/:")


def uri_quote(path: str) -> str:
    """*path* with every other byte of its UTF-8 percent-encoded, for a ``file:`` URI.

    What `urllib.parse.quote(path, safe="/:")` gives (a test holds the two
    equal), without the import of urllib.parse and ipaddress, which cost
    more start-up time than opening the file.
    """
    return "".join(
        chr(byte) if byte in _URI_SAFE else f"%{byte:02X}" for byte in path.encode("utf-8")
    )


_LIMITS = {
    "SQLITE_LIMIT_LENGTH": MAX_VALUE_BYTES,
    "SQLITE_LIMIT_SQL_LENGTH": 100_000,
    "SQLITE_LIMIT_COLUMN": 64,
    "SQLITE_LIMIT_EXPR_DEPTH": 64,
    "SQLITE_LIMIT_COMPOUND_SELECT": 4,
    "SQLITE_LIMIT_VDBE_OP": 250_000,
    "SQLITE_LIMIT_FUNCTION_ARG": 16,
    "SQLITE_LIMIT_ATTACHED": 0,
    "SQLITE_LIMIT_LIKE_PATTERN_LENGTH": 50_000,
    "SQLITE_LIMIT_VARIABLE_NUMBER": 32_766,
    "SQLITE_LIMIT_TRIGGER_DEPTH": 1,
    "SQLITE_LIMIT_WORKER_THREADS": 0,
}
# (setting, value) for Connection.setconfig, which Python has from 3.12 on.
_CONFIG = (
    ("SQLITE_DBCONFIG_DEFENSIVE", True),
    ("SQLITE_DBCONFIG_TRUSTED_SCHEMA", False),
    ("SQLITE_DBCONFIG_ENABLE_TRIGGER", False),
    ("SQLITE_DBCONFIG_ENABLE_VIEW", False),
    ("SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION", False),
)

_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def open_regular(path: str) -> int:
    """Open *path* to read, without waiting on a pipe or device; refuse anything
    but a regular file with `OSError` (`EINVAL`)."""
    fd = os.open(path, _FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a pipe, device or socket"
            raise OSError(22, f"not a regular file ({kind})", path)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_head(path: str | os.PathLike[str], size: int) -> bytes | None:
    """The first *size* bytes of the regular file *path*, or None if it is not one.

    Never blocks: a named pipe or a device is not read at all.
    """
    try:
        fd = open_regular(os.fspath(path))
    except OSError:
        return None
    try:
        return os.pread(fd, size, 0)
    except OSError:
        return None
    finally:
        os.close(fd)


def _quoted(message: str) -> str:
    """SQLite's *message*, which may quote the file's bytes, made one short, plain line."""
    if len(message) > 200:
        message = message[:200] + "…"
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in message)


def _stat_or_none(path: str) -> os.stat_result:
    """*path*'s status, or a status that matches no file if it cannot be had."""
    try:
        return os.stat(path)
    except OSError:
        return os.stat_result((0,) * 10)


def _identity(info: os.stat_result) -> tuple[int, ...]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


class GuardedFile:
    """A SQLite file opened as untrusted input; see the module's documentation.

    *shown* is how messages name the file. Raises
    `CorpusError` if it cannot be opened or is
    not a regular file.
    """

    def __init__(self, path: str, shown: str) -> None:
        self.shown = shown
        try:
            self._fd: int | None = open_regular(path)
            self._identity = _identity(os.fstat(self._fd))
        except OSError as error:
            raise CorpusError([f"{shown}: cannot read: {error.strerror or error}"]) from None
        self._steps = 0
        # Whether the last statement of this thread was stopped for its steps:
        # per thread, since another may start a statement before this one's
        # failure is told apart from Ctrl-C.
        self._stopped = threading.local()
        self.db: sqlite3.Connection | None = None
        self._path = path

    def head(self, size: int) -> bytes:
        """The first *size* bytes of the file as opened."""
        assert self._fd is not None
        return os.pread(self._fd, size, 0)

    @property
    def size(self) -> int:
        """The size of the file as opened, in bytes."""
        return self._identity[2]

    def connect(self) -> sqlite3.Connection:
        """Open the file in SQLite, read-only and with every guard in place."""
        path = os.path.abspath(self._path).replace(os.sep, "/")
        assert self._fd is not None
        # SQLite opens the file again by its name (it resolves even
        # /proc/self/fd links to names). Checking that the name still leads
        # to the file opened and checked here leaves a window of a few
        # microseconds, not the time the header took to read.
        if not os.path.samestat(os.fstat(self._fd), _stat_or_none(self._path)):
            raise CorpusError(
                [f"{self.shown}: the file was replaced while it was being opened; load it again"]
            )
        uri = "file:" + uri_quote(path) + "?mode=ro"
        try:
            db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        except sqlite3.Error as error:
            raise CorpusError([f"{self.shown}: cannot open ({error})"]) from None
        for name, value in _LIMITS.items():
            category = getattr(sqlite3, name, None)
            if category is not None:
                db.setlimit(category, value)
        setconfig: Callable[[int, bool], bool] | None = getattr(db, "setconfig", None)
        if setconfig is not None:  # pragma: no cover - Python 3.12 and later
            for name, enabled in _CONFIG:
                setting = getattr(sqlite3, name, None)
                if setting is not None:
                    with contextlib.suppress(sqlite3.Error):
                        setconfig(setting, enabled)
        db.set_trace_callback(self._statement_starts)
        db.set_progress_handler(self._progress, PROGRESS_EVERY)
        with self.guarded():
            # None of these reads the schema: they are in force before the file's
            # first byte of schema is parsed.
            for pragma in (
                "trusted_schema = OFF",
                "cell_size_check = ON",
                "query_only = ON",
                "mmap_size = 0",
            ):
                db.execute(f"PRAGMA {pragma}")
        self.db = db
        return db

    def _statement_starts(self, sql: object) -> None:
        self._steps = 0
        self._stopped.over = False

    def _progress(self) -> int:
        self._steps += 1
        if getattr(self._stopped, "unbounded", False):
            return 0
        if self._steps * PROGRESS_EVERY > MAX_STATEMENT_STEPS:
            self._stopped.over = True
            return 1
        return 0

    @contextlib.contextmanager
    def unbounded(self) -> Iterator[None]:
        """Let the statements of this block take any number of steps (Ctrl-C still
        stops them): for SQLite's `integrity_check`, whose work is bounded by the
        size of the file, not by anything the file can multiply."""
        self._stopped.unbounded = True
        try:
            yield
        finally:
            self._stopped.unbounded = False

    def check_unchanged(self) -> None:
        """Raise `CorpusError` if the file was changed in place since it was opened."""
        if self._fd is None:
            return
        try:
            now = _identity(os.fstat(self._fd))
        except OSError:  # pragma: no cover - an open descriptor can always be stat'ed
            now = ()
        if now != self._identity:
            raise CorpusError(
                [
                    f"{self.shown}: the file was changed while it was open (rewritten or "
                    "copied over); load it again. To update a compiled corpus that is in use, "
                    "write the new one beside it and rename it over the old one"
                ]
            )

    @contextlib.contextmanager
    def guarded(self, row: str = "") -> Iterator[None]:
        """Run queries: turn SQLite's failures into a `CorpusError` naming the file
        (and *row*, if given), and a query stopped by Ctrl-C into `KeyboardInterrupt`."""
        self.check_unchanged()
        try:
            yield
        except sqlite3.Error as error:
            raise self.failure(error, row) from None
        self.check_unchanged()

    def failure(self, error: sqlite3.Error, row: str = "") -> BaseException:
        """The exception that stands for SQLite's *error* on this file."""
        where = f"{self.shown}: {row}: " if row else f"{self.shown}: "
        if isinstance(error, sqlite3.OperationalError) and "interrupt" in str(error):
            if not getattr(self._stopped, "over", False):
                return KeyboardInterrupt()
            return CorpusError(
                [
                    f"{where}a query took more than {MAX_STATEMENT_STEPS:,} steps and was "
                    "stopped; the file is damaged or was not written by `clientocracy build`"
                ]
            )
        with contextlib.suppress(CorpusError):
            self.check_unchanged()
        if isinstance(error, sqlite3.DataError | sqlite3.OperationalError) and "too big" in str(
            error
        ):
            return CorpusError([f"{where}a value is over the limit of {MAX_VALUE_BYTES} bytes"])
        return CorpusError(
            [f"{where}damaged ({_quoted(str(error))}); rebuild it with `clientocracy build`"]
        )

    def check_schema(self, expected: list[tuple[Any, ...]]) -> None:
        """Refuse the file unless its schema is exactly *expected*.

        *expected* is ``(type, name, tbl_name, sql)`` for every object, as
        `sqlite_master` lists them.
        """
        assert self.db is not None
        with self.guarded():
            found = self.db.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master LIMIT 1000"
            ).fetchall()
        extra = sorted(set(found) - set(expected), key=repr)
        missing = sorted(set(expected) - set(found), key=repr)
        if not extra and not missing and len(found) == len(expected):
            return
        problems = [
            f"{_quoted(str(kind))[:20]} {str(name)[:60]!r} is not one clientocracy writes"
            for kind, name, *_ in extra
        ]
        names = {name for _, name, *_ in extra}
        problems += [
            f"{kind} {name!r} is missing" for kind, name, *_ in missing if name not in names
        ]
        shown = "; ".join(problems[:5]) + ("; …" if len(problems) > 5 else "")
        raise CorpusError(
            [
                f"{self.shown}: not a compiled corpus as this release writes it: {shown}. "
                "A compiled file is refused unless its schema is exactly the one "
                "`clientocracy build` writes; rebuild it from its catalog"
            ]
        )

    def close(self) -> None:
        """Close the connection and the file."""
        if self.db is not None:
            self.db.close()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
