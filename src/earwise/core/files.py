"""Safe file access at the edges: capped, non-blocking reads of regular files only, atomic
writes (temporary file, fsync, rename), and advisory locks.

Every failure raises :class:`~earwise.core.errors.EarwiseError` with ``field`` set by the
caller's ``field`` argument; messages name the path and the problem, never the file's contents.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from earwise.core.errors import EarwiseError

MAX_INPUT_BYTES = 5 * 1024 * 1024  # judgement: 25x the largest AutoEq CSV; spec sheets are ~2 KB


def kind_of_mode(mode: int) -> str:
    """'a folder', 'a pipe (FIFO)', 'a device', 'a socket' or 'not a regular file' for an
    ``st_mode`` that is not a regular file's (for messages)."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


_kind = kind_of_mode


def read_bytes_capped(
    path: Path | str, max_bytes: int = MAX_INPUT_BYTES, field: str = "file"
) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``.

    Opened with ``O_NONBLOCK`` so a FIFO or device never blocks; anything but a regular file is
    refused after ``fstat`` on the open descriptor (no race between check and read).
    """
    p = Path(path)
    try:
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise EarwiseError(f"{p}: no such file", field) from None
    except IsADirectoryError:
        raise EarwiseError(f"{p}: is a folder, not a file", field) from None
    except PermissionError:
        raise EarwiseError(f"{p}: permission denied", field) from None
    except OSError as exc:
        raise EarwiseError(f"{p}: cannot open ({exc.strerror or exc})", field) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise EarwiseError(f"{p}: is {_kind(st.st_mode)}, not a regular file", field)
        if st.st_size > max_bytes:
            raise EarwiseError(
                f"{p}: {st.st_size:,} bytes is over the {max_bytes:,}-byte limit", field
            )
        chunks, total = [], 0
        while True:
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError as exc:
                raise EarwiseError(f"{p}: cannot read ({exc.strerror or exc})", field) from None
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:  # grew while being read
                raise EarwiseError(f"{p}: over the {max_bytes:,}-byte limit", field)
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text_capped(
    path: Path | str, max_bytes: int = MAX_INPUT_BYTES, field: str = "file"
) -> str:
    """UTF-8 text (a BOM is dropped) of a regular file of at most ``max_bytes``."""
    data = read_bytes_capped(path, max_bytes, field)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EarwiseError(f"{path}: not UTF-8 text (byte {exc.start})", field) from None


def check_output_path(path: Path | str, field: str = "output") -> Path:
    """Refuse an output path whose folder is missing or which names a non-regular file."""
    p = Path(path)
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise EarwiseError(f"{p}: folder {parent} does not exist", field)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        return p
    except OSError as exc:
        raise EarwiseError(f"{p}: cannot use as output ({exc.strerror or exc})", field) from None
    if not stat.S_ISREG(st.st_mode):
        raise EarwiseError(f"{p}: is {_kind(st.st_mode)}; give a regular file to write", field)
    return p


def atomic_write_bytes(path: Path | str, data: bytes, field: str = "output") -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same folder, fsync, rename.

    Either the whole new file is in place or the old one is untouched (full disk, crash).
    """
    p = check_output_path(path, field)
    parent = p.parent if str(p.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{p.name}.", suffix=".tmp")
    except OSError as exc:
        raise EarwiseError(f"{p}: cannot write ({exc.strerror or exc})", field) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, 0o644)
        os.replace(tmp, p)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        msg = "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise EarwiseError(f"{p}: cannot write ({msg}); nothing was changed", field) from None
    fsync_dir(parent)
    return p


def atomic_write_text(path: Path | str, text: str, field: str = "output") -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"), field)


def fsync_dir(folder: Path | str) -> None:
    """Flush a folder's entries (a rename into it) to disk; best effort."""
    with contextlib.suppress(OSError):
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


_fsync_dir = fsync_dir  # the name used before it was public


def fsync_file(path: Path | str) -> None:
    """Flush a regular file's bytes to disk (raises ``OSError`` when that fails)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def file_lock(path: Path | str, shared: bool = False) -> Iterator[None]:
    """An advisory ``flock`` on ``<path>.lock`` (released when the block ends or the process dies).

    Blocks until the lock is free. The lock file is opened with ``O_NONBLOCK`` and must be a
    regular file (a FIFO planted there never hangs the open); ``OSError`` when it cannot be
    created or is not a regular file.
    """
    lock = Path(str(path) + ".lock")
    flags = os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)
    fd = os.open(lock, flags, 0o644)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, f"lock {lock} is {_kind(st.st_mode)}, not a regular file")
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
