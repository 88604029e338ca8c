"""What the file at the store's path is, and the care taken around it.

Only an earwise store is opened or replaced: ``PRAGMA application_id`` (:data:`APPLICATION_ID`)
marks ours; stores of the previous version are recognised by their ``meta`` row
``schema_version`` and ``headphones`` table. Anything else raises :class:`CatalogError` (field
:data:`STORE_FIELD`) and is left byte-for-byte untouched (probed read-only). Here too: damage
detection (``PRAGMA quick_check``, missing tables, records that no longer load), the store's
build lock, and the removal of temporary files left by dead builds.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from earwise.catalog.loader import CatalogError, data_hash
from earwise.catalog.queries import all_devices, all_headphones, measured_features
from earwise.core.files import file_lock, kind_of_mode

SCHEMA_VERSION = (
    5  # 3: tri-state facts, status, price objects; 4: status column; 5: weak-only facts withheld
)
# The setting that names the store, as errors report it (the field of :class:`CatalogError`).
# It is read once at the edge by ``earwise.service.settings``; nothing here reads it.
STORE_FIELD = "EARWISE_DB"
# Written to the SQLite header (offset 68) of every store we build: "EaWi" in ASCII. A file
# without it (and not a store of the previous version) is never opened for writing.
APPLICATION_ID = 0x45615769
SQLITE_MAGIC = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database
STALE_TEMP_S = 3600  # a build's temporary file older than this is removed even if its pid lives
TABLES = frozenset({"meta", "headphones", "platforms", "devices", "names", "measurements"})


def _uri(path: Path, mode: str, **extra: str) -> str:
    """A SQLite URI for ``path``; ``mode`` ``ro`` or ``rw`` never creates the file."""
    query = "&".join(f"{k}={v}" for k, v in {"mode": mode, **extra}.items())
    return f"file:{quote(os.path.abspath(path))}?{query}"


def _not_ours(path: Path, why: str) -> CatalogError:
    return CatalogError(
        f"{path} is not an earwise store ({why}); it was left untouched. "
        f"Set {STORE_FIELD} to an earwise store or to a new file path",
        STORE_FIELD,
    )


def _cannot(path: Path, what: str, exc: BaseException) -> CatalogError:
    why = getattr(exc, "strerror", None) or str(exc)
    return CatalogError(
        f"{path}: cannot {what} the store ({why}); set {STORE_FIELD} to a file in a writable folder",
        STORE_FIELD,
    )


def _read_header(path: Path) -> bytes:
    """The first 100 bytes of ``path`` (the SQLite header), read without blocking."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise _cannot(path, "read", exc) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _not_ours(path, f"it is {kind_of_mode(st.st_mode)}")
        return os.pread(fd, 100, 0)
    finally:
        os.close(fd)


def _looks_legacy(path: Path, header: bytes) -> bool:
    """A store of the previous version: no application id, a ``meta`` table with a
    ``schema_version`` row and a ``headphones`` table. Probed read-only and immutable (no
    journal, no lock), and never when the file is in WAL mode (earwise never used it)."""
    if len(header) < 100 or header[68:72] != bytes(4) or 2 in (header[18], header[19]):
        return False
    try:
        conn = sqlite3.connect(_uri(path, "ro", immutable="1"), uri=True)
    except sqlite3.DatabaseError:
        return False
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"meta", "headphones"} <= tables:
            return False
        row = conn.execute("SELECT 1 FROM meta WHERE key = 'schema_version'").fetchone()
        return row is not None
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


def _store_kind(path: Path) -> str:
    """``missing``, ``empty``, ``ours`` or ``legacy`` (built by the previous version).

    Anything else raises :class:`CatalogError`; nothing is written to or beside the file.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        raise _cannot(path, "use", exc) from None
    if not stat.S_ISREG(st.st_mode):
        raise _not_ours(path, f"it is {kind_of_mode(st.st_mode)}")
    header = _read_header(path)
    if not header:
        return "empty"
    if not header.startswith(SQLITE_MAGIC):
        raise _not_ours(path, "not a SQLite database")
    if len(header) >= 72 and int.from_bytes(header[68:72], "big") == APPLICATION_ID:
        return "ours"
    if _looks_legacy(path, header):
        return "legacy"
    raise _not_ours(path, "a SQLite database of another program")


def _damage_from(path: Path, exc: sqlite3.DatabaseError) -> str:
    """The reason for a corruption error; any other error (busy, cannot open, I/O, out of
    memory) is no proof of damage and raises, so a transient failure never costs the index."""
    name = getattr(exc, "sqlite_errorname", "")
    if name.startswith("SQLITE_CORRUPT") or name == "SQLITE_NOTADB":
        return str(exc)
    raise CatalogError(f"{path}: cannot check the store ({exc}); try again", STORE_FIELD) from None


def _integrity_problem(path: Path) -> str | None:
    """Why our store at ``path`` is damaged (``PRAGMA quick_check``, missing tables), or None."""
    try:
        conn = sqlite3.connect(_uri(path, "ro"), uri=True)
        try:
            rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check(3)")]
            if rows != ["ok"]:
                return "; ".join(rows)[:200]
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if missing := sorted(TABLES - names):
                return f"tables missing: {', '.join(missing)}"
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return _damage_from(path, exc)
    return None


def _record_problem(path: Path) -> str | None:
    """Why the records of our store at ``path`` do not load (validation, JSON), or None."""
    try:
        conn = sqlite3.connect(_uri(path, "ro"), uri=True)
        conn.row_factory = sqlite3.Row
        try:
            all_headphones(conn)
            all_devices(conn)
            measured_features(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return _damage_from(path, exc)
    except ValueError as exc:  # pydantic's ValidationError, json.JSONDecodeError
        return f"a record does not load: {type(exc).__name__}"
    return None


def _is_current(path: Path, data_dir: Path) -> bool:
    """Our schema version and the data files' hash are the ones recorded in the store."""
    try:
        conn = sqlite3.connect(_uri(path, "ro"), uri=True)
        try:
            meta = {k: v for k, v in conn.execute("SELECT key, value FROM meta")}
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False
    return meta.get("schema_version") == str(SCHEMA_VERSION) and meta.get("data_hash") == data_hash(
        data_dir
    )


def _verdict(path: Path, data_dir: Path) -> tuple[str, bool] | None:
    """None when the store at ``path`` is ours, intact and current; else ``(damage, carry)``:
    why it is damaged (``""`` when it is merely missing, empty, outdated or of the previous
    version) and whether its measurement index can be carried into the rebuild.

    Raises :class:`CatalogError` for anything that is not an earwise store.
    """
    kind = _store_kind(path)
    if kind in ("missing", "empty"):
        return "", False
    if kind == "legacy":
        return "", True
    damage = _integrity_problem(path)
    if damage:
        return damage, False
    if not _is_current(path, data_dir):
        return "", True
    damage = _record_problem(path)
    return (damage, True) if damage else None


# --- files beside the store: the lock and build temporaries ---------------------------------


@contextlib.contextmanager
def _store_lock(path: Path) -> Iterator[None]:
    """The exclusive build and index-write lock of the store at ``path`` (``<path>.lock``)."""
    stack = contextlib.ExitStack()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        stack.enter_context(file_lock(path))
    except OSError as exc:
        raise _cannot(path, "lock", exc) from None
    with stack:
        yield


def _resolve(path: Path | str) -> Path:
    """The store's real path: a symlinked store path keeps its link, its target is rebuilt."""
    return Path(os.path.realpath(path))


def _open(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(_uri(path, "rw"), uri=True)
    except sqlite3.OperationalError as exc:
        raise _cannot(path, "open", exc) from None
    conn.row_factory = sqlite3.Row
    return conn


def _temp_path(path: Path) -> Path:
    """Where this process builds the store at ``path``: ``.<name>.<pid>.build.tmp``."""
    return path.with_name(f".{path.name}.{os.getpid()}.build.tmp")


def _unlink_temp(tmp: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{tmp}{suffix}")


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _remove_stale_temps(path: Path) -> None:
    """Delete build temporaries of ``path`` left by dead processes (or older than an hour)."""
    pattern = re.compile(rf"\.{re.escape(path.name)}\.(\d+)\.build\.tmp(-journal|-wal|-shm)?")
    now = time.time()
    with contextlib.suppress(OSError), os.scandir(path.parent) as entries:
        for entry in entries:
            m = pattern.fullmatch(entry.name)
            if not m:
                continue
            with contextlib.suppress(OSError):
                age_s = now - entry.stat(follow_symlinks=False).st_mtime
                pid = int(m.group(1))
                if pid == os.getpid() or not _alive(pid) or age_s > STALE_TEMP_S:
                    os.unlink(entry.path)
