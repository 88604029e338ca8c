"""The embedded SQLite store: compiled from the data files on first use, rebuilt when they change.

The caller names the file (``earwise.service.settings.Settings.store_path``); nothing here reads
the environment. Queries live in :mod:`earwise.catalog.queries` and identity, damage, locking and
temporary-file checks in :mod:`earwise.catalog.store_safety`; both are re-exported here, so
``from earwise.catalog import store`` gives the whole API. The file is handled with care:

* Only an earwise store is opened or replaced. ``PRAGMA application_id`` (:data:`APPLICATION_ID`)
  marks ours; stores of the previous version are recognised by their ``meta`` row
  ``schema_version`` and ``headphones`` table. Folders, pipes, devices, sockets, text files and
  other programs' SQLite files raise :class:`CatalogError` (field ``EARWISE_DB``) and are left
  byte-for-byte untouched (probed read-only). An empty file may be built into.
* A (re)build runs under an exclusive lock on ``<store>.lock`` and first re-checks whether another
  process already built a current store, so concurrent first requests build once. It writes
  ``.<name>.<pid>.build.tmp`` beside the store, fsyncs it and renames it into place, so a failed
  or killed build never destroys the store already there; temporary files of dead builds are
  removed. The measurement index is carried over, and its writes take the same lock.
* A store of ours that fails ``PRAGMA quick_check``, lacks its tables or whose records no longer
  load is rebuilt from the data files, saying so in one line (``notice``; stderr by default).
  These checks run only when the stat signature of the store or data files changed since this
  process last checked, so opening the store on a hot path costs a few ``stat`` calls.

Test hook: setting :data:`_BUILD_DELAY_S` (seconds) makes a build sleep in the middle of writing
its temporary file, so a test can kill a process mid-build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from earwise.catalog.loader import (
    DATA_DIR,
    Catalog,
    CatalogError,
    data_files,
    data_hash,
    load_catalog,
)
from earwise.catalog.platforms import platform_support
from earwise.catalog.queries import (
    LIST_COLUMNS,
    SORTABLE,
    all_devices,
    all_headphones,
    all_names,
    brand_by_id,
    delete_measurements,
    device_records,
    headphone_records,
    id_reads_as_name,
    ids_for_name,
    index_state,
    indexed_measurements,
    measured_features,
    measured_features_raw,
    measurement_features,
    normalise_name,
    platforms_of,
    search_headphones,
    stats,
    store_file,
    unsure_status_rows,
    upsert_measurements,
)
from earwise.catalog.schema import Headphone
from earwise.catalog.store_safety import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    SQLITE_MAGIC,
    STALE_TEMP_S,
    STORE_FIELD,
    TABLES,
    _cannot,
    _open,
    _remove_stale_temps,
    _resolve,
    _store_kind,
    _store_lock,
    _temp_path,
    _unlink_temp,
    _uri,
    _verdict,
)
from earwise.core.errors import EarwiseError
from earwise.core.files import atomic_write_text, fsync_dir, fsync_file

__all__ = [
    "APPLICATION_ID",
    "LIST_COLUMNS",
    "SCHEMA",
    "SCHEMA_VERSION",
    "SORTABLE",
    "SQLITE_MAGIC",
    "STALE_TEMP_S",
    "STORE_FIELD",
    "TABLES",
    "all_devices",
    "all_headphones",
    "headphone_records",
    "device_records",
    "brand_by_id",
    "unsure_status_rows",
    "all_names",
    "build_store",
    "connect",
    "delete_measurements",
    "ids_for_name",
    "index_state",
    "index_writer",
    "indexed_measurements",
    "measured_features",
    "measured_features_raw",
    "measurement_features",
    "normalise_name",
    "platforms_of",
    "search_headphones",
    "stats",
    "store_file",
    "upsert_measurements",
]

_BUILD_DELAY_S: float = 0.0  # tests only: seconds a build sleeps mid-write (see _test_pause)

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE headphones (
  id TEXT PRIMARY KEY, brand TEXT NOT NULL, model TEXT NOT NULL, year INTEGER,
  discontinued INTEGER NOT NULL, price_usd REAL, form_factor TEXT NOT NULL, back TEXT NOT NULL,
  driver_type TEXT, impedance_ohm REAL, weight_g REAL, wireless INTEGER, anc INTEGER,
  mic TEXT NOT NULL, signature TEXT, signature_from TEXT, preference_score REAL,
  record TEXT NOT NULL, derived TEXT, status TEXT NOT NULL
);
CREATE TABLE platforms (product_id TEXT NOT NULL REFERENCES headphones(id), platform TEXT NOT NULL,
  via TEXT NOT NULL, PRIMARY KEY (product_id, platform));
CREATE TABLE devices (
  id TEXT PRIMARY KEY, brand TEXT NOT NULL, model TEXT NOT NULL, category TEXT NOT NULL,
  discontinued INTEGER NOT NULL, price_usd REAL, record TEXT NOT NULL
);
CREATE TABLE names (name TEXT NOT NULL, product_id TEXT NOT NULL, kind TEXT NOT NULL);
CREATE INDEX names_name ON names(name);
CREATE TABLE measurements (
  ref TEXT PRIMARY KEY, source TEXT NOT NULL, form TEXT NOT NULL, name TEXT NOT NULL,
  path TEXT NOT NULL, mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL, features TEXT,
  problem TEXT
);
"""


def _signature(h: Headphone, derived: dict | None) -> tuple[str | None, str | None, float | None]:
    if derived:
        primary = next(x for x in derived["all"] if x["measurement"] == derived["primary"])
        return (
            primary["signature"],
            f"measured: {primary['measurement']}",
            primary["preference_score"],
        )
    if h.signature:
        return h.signature.label, h.signature.by, None
    return None, None, None


def _insert(conn: sqlite3.Connection, catalog: Catalog) -> None:
    for h in catalog.headphones:
        derived = catalog.measured.get(h.id)
        sig, sig_from, score = _signature(h, derived)
        conn.execute(
            "INSERT INTO headphones VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                h.id,
                h.brand,
                h.model,
                h.year,
                int(h.discontinued),
                h.price_usd,
                h.form_factor,
                h.back,
                h.driver.type,
                h.impedance_ohm,
                h.weight_g,
                None if h.wireless is None else int(h.wireless),
                None if h.anc is None else int(h.anc),
                h.mic.type if h.mic else "unknown",
                sig,
                sig_from,
                score,
                h.model_dump_json(),
                json.dumps(derived) if derived else None,
                h.status,
            ),
        )
        conn.executemany(
            "INSERT INTO platforms VALUES (?,?,?)",
            [(h.id, p, via) for p, via in platform_support(h).items() if isinstance(via, str)],
        )
    for d in catalog.sources:
        conn.execute(
            "INSERT INTO devices VALUES (?,?,?,?,?,?,?)",
            (
                d.id,
                d.brand,
                d.model,
                d.category,
                int(d.discontinued),
                d.price_usd,
                d.model_dump_json(),
            ),
        )
    for kind, items in (("headphone", catalog.headphones), ("source", catalog.sources)):
        rows = {
            (normalise_name(n), x.id, kind)
            for x in items
            for n in [x.model, f"{x.brand} {x.model}", *x.aliases]
            + ([x.id] if id_reads_as_name(x.model) else [])  # ('cx-3-00' is no 'CX 300')
        }
        conn.executemany("INSERT INTO names VALUES (?,?,?)", sorted(rows))


def _test_pause() -> None:
    """Sleep :data:`_BUILD_DELAY_S` seconds (tests kill a build here); no-op when zero."""
    if _BUILD_DELAY_S > 0:
        time.sleep(_BUILD_DELAY_S)


# --- building ----------------------------------------------------------------------------------


def _carry_measurement_index(conn: sqlite3.Connection, old: Path) -> None:
    """Keep the measurement index of the store being replaced (it is costly to rebuild)."""
    if not old.exists():
        return
    try:
        conn.execute("ATTACH DATABASE ? AS old", (_uri(old, "ro"),))
        with conn:
            conn.execute("INSERT INTO measurements SELECT * FROM old.measurements")
    except sqlite3.DatabaseError:
        pass  # no index there (older schema or unreadable): start empty
    finally:
        with contextlib.suppress(sqlite3.DatabaseError):
            conn.execute("DETACH DATABASE old")


def _write_store(tmp: Path, catalog: Catalog, digest: str, carry_from: Path | None) -> None:
    """A complete store in the new file ``tmp``, marked with :data:`APPLICATION_ID`."""
    conn = sqlite3.connect(_uri(tmp, "rwc"), uri=True)
    try:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        with conn:
            conn.executescript(SCHEMA)
            _insert(conn, catalog)
            _test_pause()
            conn.executemany(
                "INSERT INTO meta VALUES (?,?)",
                [
                    ("schema_version", str(SCHEMA_VERSION)),
                    ("data_hash", digest),
                    ("build_id", uuid.uuid4().hex),
                    ("index_generation", "0"),
                ],
            )
        if carry_from is not None:
            _carry_measurement_index(conn, carry_from)
    finally:
        conn.close()


def _say(notice: Callable[[str], None] | None, line: str) -> None:
    if notice is None:
        print(line, file=sys.stderr)
    else:
        notice(line)


def _build_locked(
    path: Path, data_dir: Path, damage: str, carry: bool, notice: Callable[[str], None] | None
) -> None:
    """Build the store at ``path`` (the caller holds the lock): temp file, fsync, rename."""
    if path.exists() and not os.access(path, os.W_OK):
        raise CatalogError(
            f"{path}: the store is read-only and needs a rebuild; make it writable or set {STORE_FIELD}",
            STORE_FIELD,
        )
    digest = data_hash(data_dir)  # hashed before reading: a change meanwhile means a rebuild
    catalog = load_catalog(data_dir)  # a data error raises here; the store there is kept
    _remove_stale_temps(path)
    tmp = _temp_path(path)
    _unlink_temp(tmp)
    try:
        _write_store(tmp, catalog, digest, path if carry else None)
        fsync_file(tmp)
        os.replace(tmp, path)
    except (OSError, sqlite3.OperationalError) as exc:
        raise _cannot(path, "build", exc) from None
    finally:
        _unlink_temp(tmp)
    fsync_dir(path.parent)
    if damage:
        lost = "" if carry else "; index your measurement library again if you had one"
        line = f"earwise: the store at {path} was damaged ({damage}); rebuilt from the data files"
        _say(notice, line + lost)


def _require_path(path: Path | str | None, caller: str) -> Path | str:
    """``path`` itself; the caller names the store (``Settings.store_path``), never None."""
    if path is None:
        raise TypeError(f"{caller}() needs the store's path (Settings.store_path), got None")
    return path


def build_store(
    path: Path, data_dir: Path = DATA_DIR, *, notice: Callable[[str], None] | None = None
) -> None:
    """Compile the data files into a fresh store at ``path`` now (atomic replace, under the lock).

    The measurement index of the store being replaced is carried over unless it is damaged.
    Raises :class:`CatalogError` when ``path`` is not an earwise store, an empty file or missing.
    """
    path = _resolve(_require_path(path, "build_store"))
    _store_kind(path)  # refuse a foreign file before creating the lock file beside it
    with _store_lock(path):
        damage, carry = _verdict(path, data_dir) or ("", True)
        _build_locked(path, data_dir, damage, carry, notice)


def _ensure_store(path: Path, data_dir: Path, notice: Callable[[str], None] | None) -> None:
    """Build the store unless it is ours, intact and current; one build for concurrent callers."""
    if _verdict(path, data_dir) is None:
        return
    with _store_lock(path):
        verdict = _verdict(path, data_dir)  # another process may have built it meanwhile
        if verdict is not None:
            _build_locked(path, data_dir, *verdict, notice)


_CHECKED: dict[tuple[Path, Path], tuple] = {}


def _stat_key(path: Path) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mode, st.st_ino, st.st_size, st.st_mtime_ns


def _files_signature(path: Path, data_dir: Path) -> tuple:
    """Names, kinds, sizes and mtimes of the data files and the store: cheap on every open."""
    return tuple((f.name, _stat_key(f)) for f in [*data_files(data_dir), path])


def connect(
    path: Path,
    data_dir: Path = DATA_DIR,
    *,
    notice: Callable[[str], None] | None = None,
    checked: dict | None = None,
) -> sqlite3.Connection:
    """Open the store, (re)building it first when missing, outdated or damaged.

    ``checked`` is the caller's cache of what was already verified (the application object's);
    without one, a per-process default is used.

    Identity, integrity and the data files' hash are checked only when the stat signature of
    the store or data files changed since this process last checked. ``notice`` receives the one
    line said when a damaged store is rebuilt (default: printed to stderr). Raises
    :class:`CatalogError` (field ``EARWISE_DB``) when ``path`` is not an earwise store and
    :class:`TypeError` when it is None.
    """
    path = _resolve(_require_path(path, "connect"))
    key = (path, data_dir)
    cache = _CHECKED if checked is None else checked
    signature = _files_signature(path, data_dir)
    if cache.get(key) != signature:
        if not _verified_before(path, signature):
            _ensure_store(path, data_dir, notice)
            signature = _files_signature(path, data_dir)
            _remember_verified(path, signature)
        cache[key] = signature
    return _open(path)


def _verified_file(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _signature_digest(path: Path, signature: tuple) -> str:
    # the schema version is part of it: a new earwise must re-check (and rebuild) an old store
    return hashlib.sha256(repr((str(path), SCHEMA_VERSION, signature)).encode()).hexdigest()


def _verified_before(path: Path, signature: tuple) -> bool:
    """Whether an earlier process verified this very store (identity, integrity, records,
    data hash) with the store and data files exactly as they are now (same inode, size and
    mtime): then a new process skips the checks, which cost ~30 ms of every CLI start."""
    try:
        recorded = _verified_file(path).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return False
    return recorded == _signature_digest(path, signature)


def _remember_verified(path: Path, signature: tuple) -> None:
    """Best effort: a store we cannot write beside is simply verified again next time."""
    with contextlib.suppress(OSError, EarwiseError):
        atomic_write_text(_verified_file(path), _signature_digest(path, signature) + "\n")


# --- writing the measurement index -------------------------------------------------------------


@contextlib.contextmanager
def index_writer(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A connection for writing the measurement index, under the store's build lock.

    The lock keeps a concurrent rebuild from copying the index before these writes and then
    replacing the file. The connection is opened on the store's path now, because ``conn`` may
    predate a rebuild (and so point at the replaced file). SQLite errors while writing (a
    read-only file, a full disk) become :class:`CatalogError`. An in-memory ``conn`` is yielded
    as it is.
    """
    file = store_file(conn)
    if file is None:
        yield conn
        return
    path = _resolve(file)
    with _store_lock(path):
        if _store_kind(path) not in ("ours", "legacy"):
            raise CatalogError(f"{path}: the store vanished while indexing; run again", STORE_FIELD)
        writer = _open(path)
        try:
            yield writer
        except sqlite3.OperationalError as exc:
            raise _cannot(path, "write the measurement index into", exc) from None
        finally:
            writer.close()
