"""Files on disk: reading a corpus without races, and writing files atomically.

Reading. A corpus folder may be writable by someone else while it loads, so
nothing here checks a path and then opens it: the folder is opened once, and
every file the catalog names is opened relative to that descriptor, one path
component at a time, without letting the system follow a link
(`O_NOFOLLOW`) and without waiting on a pipe (`O_NONBLOCK`). A link is
read and resolved here, inside the folder, and refused if it leaves it. What
was opened is then checked (`fstat`: a regular file within the size
limit), and the bytes come from that descriptor only. Swapping a file for a
link or a pipe between the checks and the read is therefore pointless: there
is no second lookup to race with.

Writing. `write_atomically` writes a temporary file beside the target
and renames it over the target, so a reader sees the old file or the new
one, never a part; the new file gets the permissions a shell's `>` would
give it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable, Mapping
from typing import BinaryIO, TypeVar

from .._errors import CorpusError
from .._messages import N_, Message, at

__all__ = [
    "CorpusFolder",
    "move_into",
    "open_corpus",
    "write_atomically",
    "write_into",
    "write_tree",
]

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_T = TypeVar("_T")
_NOCTTY = getattr(os, "O_NOCTTY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_BINARY = getattr(os, "O_BINARY", 0)
# Where the system can open relative to a folder without following links,
# every lookup is done that way; elsewhere (Windows) paths are checked and
# opened, and what was opened is checked again.
_RELATIVE = bool(_NOFOLLOW and _DIRECTORY) and os.open in os.supports_dir_fd
# What opening a link with O_NOFOLLOW reports: ELOOP (Linux, macOS), EMLINK
# (FreeBSD), EFTYPE (NetBSD), and ENOTDIR with O_DIRECTORY (Linux). Each is
# checked with readlink, which fails for anything but a link.
_LINK_ERRORS = {
    errno.ELOOP,
    errno.EMLINK,
    errno.ENOTDIR,
    getattr(errno, "EFTYPE", errno.ELOOP),
}
_NOT_REGULAR = N_("not a regular file (a folder, device or pipe)")
# As many links as the kernel follows in one lookup.
_MAX_LINKS = 40
_READ_CHUNK = 1024 * 1024


def _refused(shown: str, template: str, **args: object) -> CorpusError:
    """The error of one problem with the file *shown*: *template* filled with *args*."""
    return CorpusError([at(shown, Message(template, **args))])


def _cannot_read(shown: str, error: OSError) -> CorpusError:
    return _refused(shown, N_("cannot read: {reason}"), reason=error.strerror or str(error))


def _outside(shown: str) -> CorpusError:
    return _refused(shown, N_("a link that points outside the corpus folder"))


class CorpusFolder:
    """An open corpus folder from which files are read race-free; close it when done."""

    def __init__(self, path: str, *, total_limit: int | None = None) -> None:
        self.path = path
        # Bytes read so far, against total_limit: a catalog may name one large
        # file a million times, and each read costs its decoding and hashing.
        self.total = 0
        self.total_limit = total_limit
        self._fd: int | None = None
        self._roots = {os.path.abspath(path), os.path.realpath(path)}
        if _RELATIVE:
            self._fd = os.open(path, os.O_RDONLY | _DIRECTORY | _CLOEXEC)

    def __enter__(self) -> CorpusFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the folder's descriptor."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def read(self, name: object, limit: int, shown: str) -> bytes:
        """Read the regular file *name* below the folder, of at most *limit* bytes.

        Raises `CorpusError` naming *shown* for a name that leaves the
        folder (absolute, `..`, a link that points outside), for anything
        but a regular file, for a file over *limit*, and for a file that
        cannot be read.
        """
        parts = _parts(name, shown)
        fd = self._open(parts, shown) if self._fd is not None else self._open_by_path(parts, shown)
        try:
            left = None if self.total_limit is None else self.total_limit - self.total
            data = _read_fd(fd, limit, shown, left)
        finally:
            os.close(fd)
        self.total += len(data)
        return data

    def _open(self, parts: list[str], shown: str) -> int:
        assert self._fd is not None
        folders = [self._fd]  # the corpus folder, then the folders opened below it
        pending = parts
        links = 0
        try:
            while pending:
                part, pending = pending[0], pending[1:]
                if part in ("", "."):
                    continue
                if part == "..":
                    if len(folders) == 1:
                        raise _outside(shown)
                    os.close(folders.pop())
                    continue
                last = not any(p not in ("", ".") for p in pending)
                flags = os.O_RDONLY | _NOFOLLOW | _CLOEXEC | _NOCTTY | _NONBLOCK
                if not last:
                    flags |= _DIRECTORY
                try:
                    fd = os.open(part, flags, dir_fd=folders[-1])
                except OSError as error:
                    if error.errno not in _LINK_ERRORS:
                        raise _cannot_read(shown, error) from None
                    try:
                        target = os.readlink(part, dir_fd=folders[-1])
                    except OSError:  # not a link after all
                        raise _cannot_read(shown, error) from None
                    links += 1
                    if links > _MAX_LINKS:
                        raise _refused(shown, N_("too many links in a row")) from None
                    if os.path.isabs(target):
                        inside = self._relative(target)
                        if inside is None:
                            raise _outside(shown) from None
                        # An absolute link into the folder restarts from it.
                        while len(folders) > 1:
                            os.close(folders.pop())
                        target = inside
                    pending = [*target.split("/"), *pending]
                    continue
                if last:
                    return fd
                folders.append(fd)
            raise _refused(shown, _NOT_REGULAR)
        finally:
            for fd in folders[1:]:
                os.close(fd)

    def _relative(self, target: str) -> str | None:
        """*target*, an absolute path, relative to the corpus folder, or None if outside it."""
        target = os.path.normpath(target)
        for root in self._roots:
            if target == root:
                return "."
            if target.startswith(root.rstrip(os.sep) + os.sep):
                return target[len(root.rstrip(os.sep)) + 1 :]
        return None

    def _open_by_path(self, parts: list[str], shown: str) -> int:
        # No descriptor-relative lookups here: check the resolved path, open
        # it, and check what was opened (by _read_fd) before reading.
        real_root = os.path.realpath(self.path)
        real = os.path.realpath(os.path.join(self.path, *parts))
        if os.path.commonpath([real_root, real]) != real_root:
            raise _outside(shown)
        try:
            return os.open(real, os.O_RDONLY | _BINARY | _NONBLOCK | _CLOEXEC)
        except OSError as error:
            raise _cannot_read(shown, error) from None


def _parts(name: object, shown: str) -> list[str]:
    """The components of a file name from a catalog, refused if it leaves the folder."""
    if not isinstance(name, str) or not name or "\x00" in name:
        raise _refused(shown, N_("not a usable file name"))
    if os.path.isabs(name) or name.startswith(("/", "\\")) or ":" in name.split("/")[0]:
        raise _refused(shown, N_("an absolute path; name files relative to the corpus folder"))
    parts = name.replace("\\", "/").split("/")
    if ".." in parts:
        raise _refused(shown, N_("'..' leaves the corpus folder; keep files inside it"))
    return parts


def _read_fd(fd: int, limit: int, shown: str, left: int | None = None) -> bytes:
    """Read a whole regular file of at most *limit* bytes from *fd*.

    *left* is what remains of the corpus's total; a file that would exceed
    it is refused.
    """
    try:
        info = os.fstat(fd)
    except OSError as error:
        raise _cannot_read(shown, error) from None
    if not stat.S_ISREG(info.st_mode):
        raise _refused(shown, _NOT_REGULAR)
    if info.st_size > limit:
        raise _refused(
            shown,
            N_("{size} bytes, over the limit of {limit} bytes for this file"),
            size=info.st_size,
            limit=limit,
        )
    if left is not None and info.st_size > left:
        raise _over_total(shown)
    if left is not None:
        limit = min(limit, left)
    chunks = []
    total = 0
    while True:
        try:
            chunk = os.read(fd, min(_READ_CHUNK, limit + 1 - total))
        except OSError as error:
            raise _cannot_read(shown, error) from None
        if not chunk:
            break
        total += len(chunk)
        # The file may have grown since fstat.
        if total > limit:
            if left is not None and limit == left:
                raise _over_total(shown)
            raise _refused(shown, N_("over the limit of {limit} bytes for this file"), limit=limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _over_total(shown: str) -> CorpusError:
    return _refused(
        shown,
        N_(
            "reading it takes the corpus's files over the limit for one corpus; "
            "a corpus that names a file many times reads it every time"
        ),
    )


def open_corpus(
    path: str, catalog_file: str, *, total_limit: int | None = None
) -> tuple[CorpusFolder, str, str]:
    """Open the corpus at *path*: a folder, or the catalog file in one.

    Returns the open folder, the catalog's name in it, and the catalog as
    problem messages name it. Raises `CorpusError` if *path* is
    neither, or cannot be opened. *total_limit* bounds the bytes of all the
    files read from it together.
    """
    try:
        folder = CorpusFolder(path, total_limit=total_limit)
        return folder, catalog_file, os.path.join(path, catalog_file)
    except NotADirectoryError:
        pass
    except FileNotFoundError:
        raise _refused(path, N_("no such corpus folder or catalog file")) from None
    except OSError as error:
        raise _cannot_read(path, error) from None
    # A file: the catalog. Its folder is the corpus folder.
    parent, name = os.path.split(os.path.abspath(path))
    try:
        return CorpusFolder(parent, total_limit=total_limit), name, path
    except OSError as error:
        raise _cannot_read(path, error) from None


# -- writing ---------------------------------------------------------------------


def write_atomically(
    path: str | os.PathLike[str],
    data: bytes | Callable[[BinaryIO], object],
    *,
    dir_fd: int | None = None,
) -> None:
    """Write *data* to the file *path*, whole or not at all.

    *data* is the bytes, or a function that writes them to the binary file
    it is given (as pyarrow's writers do).

    The bytes go to a temporary file in the same folder, which is flushed to
    disk and then renamed over *path*: a reader, or a crash, sees the old
    file or the new one, never a part, and an interrupted write leaves no
    temporary file behind. A new file gets the permissions `>` would give
    it (`0666` less the umask); an existing file keeps its permissions.
    Like `>`, a symbolic link is written through: the file it points to
    is replaced and the link stays. A target that is not a regular file
    (`/dev/null`, a named pipe, a terminal) is written to directly, as
    `>` would, since it cannot be replaced.

    With *dir_fd*, *path* is a name in that open folder, and no link is
    followed: whatever has the name is replaced.
    """
    target = os.fspath(path)
    if dir_fd is None:
        try:
            existing: os.stat_result | None = os.stat(target)
        except FileNotFoundError:
            existing = None
        if existing is not None and not stat.S_ISREG(existing.st_mode):
            if stat.S_ISDIR(existing.st_mode):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), target)
            with open(target, "wb") as stream:
                _write(stream, data)
            return
        if os.path.islink(target):
            target = os.path.realpath(target)
        folder, name = os.path.split(os.path.abspath(target))
    else:
        try:
            existing = os.stat(target, dir_fd=dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            existing = None
        if existing is not None and not stat.S_ISREG(existing.st_mode):
            existing = None
        folder, name = "", target
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | _BINARY
    for _ in range(100):
        temporary = os.path.join(folder, f".{name[:64]}.{os.urandom(6).hex()}.tmp")
        try:
            # 0o666: the system takes the umask off, as it does for `>`.
            fd = os.open(temporary, flags, 0o666, dir_fd=dir_fd)
            break
        except FileExistsError:
            continue
        except OSError as error:  # name the file asked for, not the temporary one
            raise type(error)(error.errno, error.strerror, os.fspath(path)) from None
    else:  # pragma: no cover - a hundred random names taken
        raise FileExistsError(errno.EEXIST, "no free temporary file name", folder)
    try:
        try:
            if existing is not None:
                _keep_permissions(fd, existing)
            with os.fdopen(fd, "wb", closefd=False) as stream:
                _write(stream, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, target, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=dir_fd)
        raise
    if dir_fd is None:
        _sync_folder(folder)
    else:
        with contextlib.suppress(OSError):
            os.fsync(dir_fd)


def _write(stream: BinaryIO, data: bytes | Callable[[BinaryIO], object]) -> None:
    if callable(data):
        data(stream)
    else:
        stream.write(data)


def write_tree(folder: str, files: dict[str, bytes]) -> None:
    """Write *files* (`name` or `subfolder/name`) into the new or empty *folder*.

    Each file is written atomically, in the order given, so the last one
    appears only when all the others are complete; if one fails, those
    written are removed again (and the folders this created). Where the
    system allows, everything is created relative to the opened folder
    without following links, so that someone who can write *folder* while
    it is being saved cannot redirect a file elsewhere with a link.
    """
    created_folder = not os.path.lexists(folder)
    if created_folder:
        os.makedirs(folder)
    elif not os.path.isdir(folder) or os.listdir(folder):
        raise FileExistsError(
            f"{folder}: not an empty folder; save a corpus into a new or empty folder"
        )
    if not _RELATIVE:
        _write_tree_by_path(folder, files, created_folder)
        return
    root = os.open(folder, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    folders: dict[str, int] = {"": root}
    written: list[tuple[int, str]] = []
    try:
        for relative, data in files.items():
            subfolder, _, name = relative.rpartition("/")
            if subfolder not in folders:
                # mkdir fails if the name exists: in a folder that was empty,
                # it was put there by someone else, who is not to be trusted.
                os.mkdir(subfolder, dir_fd=root)
                folders[subfolder] = os.open(
                    subfolder, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=root
                )
            write_atomically(name, data, dir_fd=folders[subfolder])
            written.append((folders[subfolder], name))
    except BaseException:
        for fd, name in written:
            with contextlib.suppress(OSError):
                os.unlink(name, dir_fd=fd)
        for subfolder in folders:
            if subfolder:
                with contextlib.suppress(OSError):
                    os.rmdir(subfolder, dir_fd=root)
        if created_folder:
            with contextlib.suppress(OSError):
                os.rmdir(folder)
        raise
    finally:
        for fd in folders.values():
            os.close(fd)


def write_into(folder: str, files: dict[str, bytes | Callable[[BinaryIO], object]]) -> None:
    """Write *files* (`name` or `subfolder/name`) into *folder*, which may hold others.

    *folder* is created if needed, and followed if it is a link (the user
    named it); below it, nothing is followed: a subfolder is opened relative
    to it without following a link, and each file is written atomically
    relative to its folder, replacing whatever has its name (a link too)
    rather than writing where a link points. A clone of a repository made by
    someone else may hold links; they cannot steer these writes.
    """
    os.makedirs(folder, exist_ok=True)
    if not _RELATIVE:
        for relative, data in files.items():
            target = os.path.join(folder, *relative.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if os.path.islink(target):
                os.unlink(target)
            write_atomically(target, data)
        return
    _place_into(folder, files, lambda name, data, fd: write_atomically(name, data, dir_fd=fd))


def move_into(folder: str, moves: dict[str, str]) -> None:
    """Move files this process wrote (the values) into *folder*, to the names (`name`
    or `subfolder/name`) that are the keys, as `write_into` writes: nothing
    below *folder* is followed, and a link that has a name is replaced, never
    written through. Each move is a rename, so each file appears whole.
    """
    os.makedirs(folder, exist_ok=True)
    if not _RELATIVE:
        for relative, source in moves.items():
            target = os.path.join(folder, *relative.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(source, target)
        return
    _place_into(folder, moves, lambda name, source, fd: os.replace(source, name, dst_dir_fd=fd))


def _place_into(
    folder: str, items: Mapping[str, _T], place: Callable[[str, _T, int], object]
) -> None:
    """Call *place* with each item's file name, value and its folder opened below *folder*.

    Each subfolder is opened one component at a time, relative to the one
    above it and refusing a link, so that no link below *folder* (not even
    `data` in `data/fa/…`) steers where a file goes.
    """
    root = os.open(folder, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    opened: dict[str, int] = {"": root}
    try:
        for relative, value in items.items():
            subfolder, _, name = relative.rpartition("/")
            place(name, value, _subfolder(opened, subfolder, folder))
    finally:
        for fd in opened.values():
            os.close(fd)


def _subfolder(opened: dict[str, int], subfolder: str, folder: str) -> int:
    """The descriptor of *subfolder* (`""`, `a` or `a/b`), opening what is not in *opened*."""
    if subfolder in opened:
        return opened[subfolder]
    parent, _, part = subfolder.rpartition("/")
    fd = _open_subfolder(_subfolder(opened, parent, folder), part, os.path.join(folder, subfolder))
    opened[subfolder] = fd
    return fd


def _open_subfolder(root: int, name: str, shown: str) -> int:
    """Open (making it if need be) the folder *name* in *root*, refusing a link."""
    with contextlib.suppress(FileExistsError):
        os.mkdir(name, dir_fd=root)
    try:
        return os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=root)
    except OSError as error:
        if error.errno in _LINK_ERRORS:
            raise NotADirectoryError(
                errno.ENOTDIR, "a link or not a folder; not writing through it", shown
            ) from None
        raise


def _write_tree_by_path(folder: str, files: dict[str, bytes], created_folder: bool) -> None:
    written: list[str] = []
    made: list[str] = []
    try:
        for relative, data in files.items():
            subfolder = os.path.join(folder, *relative.split("/")[:-1])
            if not os.path.isdir(subfolder):
                os.mkdir(subfolder)
                made.append(subfolder)
            target = os.path.join(folder, *relative.split("/"))
            write_atomically(target, data)
            written.append(target)
    except BaseException:
        for target in written:
            with contextlib.suppress(OSError):
                os.unlink(target)
        for subfolder in reversed(made):
            with contextlib.suppress(OSError):
                os.rmdir(subfolder)
        if created_folder:
            with contextlib.suppress(OSError):
                os.rmdir(folder)
        raise


def _keep_permissions(fd: int, existing: os.stat_result) -> None:
    if hasattr(os, "fchown") and (existing.st_uid, existing.st_gid) != (
        os.getuid(),
        os.getgid(),
    ):
        # Only root, or an owner giving the file to one of their own groups, may.
        with contextlib.suppress(OSError):
            os.fchown(fd, existing.st_uid, existing.st_gid)
    if hasattr(os, "fchmod"):  # not on Windows before Python 3.13
        os.fchmod(fd, stat.S_IMODE(existing.st_mode))


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable, where the system allows opening a folder."""
    if not _DIRECTORY:
        return
    try:
        fd = os.open(folder, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
