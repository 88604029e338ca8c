"""The embedded SQLite store: compiled from the data files on first use, rebuilt when they change.

The file is ``$EARWISE_DB`` or ``<user data dir>/earwise/catalog.sqlite``. Queries are small
functions taking the connection first. The file is handled with care:

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

Test hook: ``EARWISE_TEST_BUILD_DELAY=<seconds>`` makes a build sleep in the middle of writing its
temporary file, so a test can kill a process mid-build. Unset, it costs one ``os.environ`` look-up.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import stat
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import platformdirs

from earwise.catalog.loader import (
    DATA_DIR,
    Catalog,
    CatalogError,
    data_files,
    data_hash,
    load_catalog,
)
from earwise.catalog.platforms import platform_support
from earwise.catalog.schema import Headphone, SourceDevice
from earwise.core.files import file_lock, fsync_dir, fsync_file, kind_of_mode

SCHEMA_VERSION = 2
DB_ENV = "EARWISE_DB"
# Written to the SQLite header (offset 68) of every store we build: "EaWi" in ASCII. A file
# without it (and not a store of the previous version) is never opened for writing.
APPLICATION_ID = 0x45615769
SQLITE_MAGIC = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database
STALE_TEMP_S = 3600  # a build's temporary file older than this is removed even if its pid lives
BUILD_DELAY_ENV = "EARWISE_TEST_BUILD_DELAY"  # tests only: seconds to sleep mid-build
TABLES = frozenset({"meta", "headphones", "platforms", "devices", "names", "measurements"})

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE headphones (
  id TEXT PRIMARY KEY, brand TEXT NOT NULL, model TEXT NOT NULL, year INTEGER,
  discontinued INTEGER NOT NULL, price_usd REAL, form_factor TEXT NOT NULL, back TEXT NOT NULL,
  driver_type TEXT, impedance_ohm REAL, weight_g REAL, wireless INTEGER NOT NULL, anc INTEGER,
  mic TEXT NOT NULL, signature TEXT, signature_from TEXT, preference_score REAL,
  record TEXT NOT NULL, derived TEXT
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


def default_db_path() -> Path:
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir("earwise")) / "catalog.sqlite"


def normalise_name(text: str) -> str:
    """Lowercase alphanumerics only, '+' read as 'plus': 'DT-770 Pro' -> 'dt770pro'."""
    return "".join(ch for ch in text.lower().replace("+", "plus") if ch.isalnum())


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
            "INSERT INTO headphones VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
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
                int(h.wireless),
                None if h.anc is None else int(h.anc),
                h.mic.type if h.mic else "none",
                sig,
                sig_from,
                score,
                h.model_dump_json(),
                json.dumps(derived) if derived else None,
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
            for n in [x.id, x.model, f"{x.brand} {x.model}", *x.aliases]
        }
        conn.executemany("INSERT INTO names VALUES (?,?,?)", sorted(rows))


def _test_pause() -> None:
    """Sleep ``$EARWISE_TEST_BUILD_DELAY`` seconds (tests kill a build here); no-op when unset."""
    delay = os.environ.get(BUILD_DELAY_ENV)
    if delay:
        time.sleep(float(delay))


# --- what the file at the store's path is ------------------------------------------------------


def _uri(path: Path, mode: str, **extra: str) -> str:
    """A SQLite URI for ``path``; ``mode`` ``ro`` or ``rw`` never creates the file."""
    query = "&".join(f"{k}={v}" for k, v in {"mode": mode, **extra}.items())
    return f"file:{quote(os.path.abspath(path))}?{query}"


def _not_ours(path: Path, why: str) -> CatalogError:
    return CatalogError(
        f"{path} is not an earwise store ({why}); it was left untouched. "
        f"Set {DB_ENV} to an earwise store or to a new file path",
        DB_ENV,
    )


def _cannot(path: Path, what: str, exc: BaseException) -> CatalogError:
    why = getattr(exc, "strerror", None) or str(exc)
    return CatalogError(
        f"{path}: cannot {what} the store ({why}); set {DB_ENV} to a file in a writable folder",
        DB_ENV,
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
    raise CatalogError(f"{path}: cannot check the store ({exc}); try again", DB_ENV) from None


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
            f"{path}: the store is read-only and needs a rebuild; make it writable or set {DB_ENV}",
            DB_ENV,
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
    """The store's real path: a symlinked ``$EARWISE_DB`` keeps its link, its target is rebuilt."""
    return Path(os.path.realpath(path))


def build_store(
    path: Path, data_dir: Path = DATA_DIR, *, notice: Callable[[str], None] | None = None
) -> None:
    """Compile the data files into a fresh store at ``path`` now (atomic replace, under the lock).

    The measurement index of the store being replaced is carried over unless it is damaged.
    Raises :class:`CatalogError` when ``path`` is not an earwise store, an empty file or missing.
    """
    path = _resolve(path)
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


def _open(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(_uri(path, "rw"), uri=True)
    except sqlite3.OperationalError as exc:
        raise _cannot(path, "open", exc) from None
    conn.row_factory = sqlite3.Row
    return conn


def connect(
    path: Path | None = None,
    data_dir: Path = DATA_DIR,
    *,
    notice: Callable[[str], None] | None = None,
) -> sqlite3.Connection:
    """Open the store, (re)building it first when missing, outdated or damaged.

    Identity, integrity and the data files' hash are checked only when the stat signature of
    the store or data files changed since this process last checked. ``notice`` receives the one
    line said when a damaged store is rebuilt (default: printed to stderr). Raises
    :class:`CatalogError` (field ``EARWISE_DB``) when ``path`` is not an earwise store.
    """
    path = _resolve(path or default_db_path())
    key = (path, data_dir)
    if _CHECKED.get(key) != _files_signature(path, data_dir):
        _ensure_store(path, data_dir, notice)
        _CHECKED[key] = _files_signature(path, data_dir)
    return _open(path)


# --- queries -------------------------------------------------------------------------------


def all_headphones(conn: sqlite3.Connection) -> list[Headphone]:
    rows = conn.execute("SELECT record FROM headphones ORDER BY id").fetchall()
    return [Headphone.model_validate_json(r["record"]) for r in rows]


def all_devices(conn: sqlite3.Connection) -> list[SourceDevice]:
    rows = conn.execute("SELECT record FROM devices ORDER BY id").fetchall()
    return [SourceDevice.model_validate_json(r["record"]) for r in rows]


def measured_features(conn: sqlite3.Connection) -> dict[str, dict]:
    rows = conn.execute("SELECT id, derived FROM headphones WHERE derived IS NOT NULL")
    return {r["id"]: json.loads(r["derived"]) for r in rows}


def ids_for_name(conn: sqlite3.Connection, name: str) -> list[tuple[str, str]]:
    """(product id, kind) pairs whose id, model, brand+model or alias normalises to ``name``."""
    rows = conn.execute(
        "SELECT DISTINCT product_id, kind FROM names WHERE name = ? ORDER BY product_id",
        (normalise_name(name),),
    )
    return [(r["product_id"], r["kind"]) for r in rows]


def all_names(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    return [tuple(r) for r in conn.execute("SELECT name, product_id, kind FROM names")]


# The columns of a catalog listing (`earwise search --json`, `/api/products`).
LIST_COLUMNS = ("id", "brand", "model", "price_usd", "form_factor", "back", "wireless", "anc", "mic", "signature",
                "preference_score")  # fmt: skip

SORTABLE = {
    "price": "price_usd",
    "year": "year",
    "weight": "weight_g",
    "impedance": "impedance_ohm",
    "score": "preference_score",
    "brand": "brand",
    "model": "model",
}


def search_headphones(
    conn: sqlite3.Connection,
    *,
    form: str | None = None,
    back: str | None = None,
    wireless: bool | None = None,
    anc: bool | None = None,
    mic: bool | None = None,
    platform: str | None = None,
    signature: str | None = None,
    brand: str | None = None,
    max_price: float | None = None,
    min_price: float | None = None,
    include_discontinued: bool = True,
    sort: str = "price",
    descending: bool = False,
    limit: int | None = None,
) -> list[sqlite3.Row]:
    """Filtered, sorted catalog rows. Every value reaches SQL as a parameter."""
    where, params = [], []
    for column, value in (("form_factor", form), ("back", back), ("signature", signature)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if brand is not None:
        where.append("lower(brand) = lower(?)")
        params.append(brand)
    for column, flag in (("wireless", wireless), ("anc", anc)):
        if flag is not None:
            where.append(f"{column} = ?")
            params.append(int(flag))
    if mic is not None:
        where.append("mic != 'none'" if mic else "mic = 'none'")
    if platform is not None:
        where.append("id IN (SELECT product_id FROM platforms WHERE platform = ?)")
        params.append(platform)
    if max_price is not None:
        where.append("price_usd <= ?")
        params.append(max_price)
    if min_price is not None:
        where.append("price_usd >= ?")
        params.append(min_price)
    if not include_discontinued:
        where.append("discontinued = 0")
    column = SORTABLE[sort]
    order = "DESC" if descending else "ASC"
    sql = "SELECT * FROM headphones"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {column} IS NULL, {column} {order}, id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return conn.execute(sql, params).fetchall()


def platforms_of(conn: sqlite3.Connection, product_id: str) -> dict[str, str]:
    rows = conn.execute("SELECT platform, via FROM platforms WHERE product_id = ?", (product_id,))
    return {r["platform"]: r["via"] for r in rows}


def stats(conn: sqlite3.Connection) -> dict:
    """Counts by form, back, driver type and price band, and the number of sources/amps."""

    def counts(sql: str) -> dict[str, int]:
        return {str(k): v for k, v in conn.execute(sql).fetchall()}

    band = (
        "CASE WHEN price_usd IS NULL THEN 'unknown' WHEN price_usd < 50 THEN 'under $50' "
        "WHEN price_usd < 100 THEN '$50-99' WHEN price_usd < 250 THEN '$100-249' "
        "WHEN price_usd < 500 THEN '$250-499' WHEN price_usd < 1000 THEN '$500-999' "
        "WHEN price_usd < 2000 THEN '$1000-1999' ELSE '$2000+' END"
    )
    return {
        "headphones": conn.execute("SELECT count(*) FROM headphones").fetchone()[0],
        "sources_and_amps": conn.execute("SELECT count(*) FROM devices").fetchone()[0],
        "measured": conn.execute(
            "SELECT count(*) FROM headphones WHERE derived IS NOT NULL"
        ).fetchone()[0],
        "discontinued": conn.execute(
            "SELECT count(*) FROM headphones WHERE discontinued = 1"
        ).fetchone()[0],
        "by_form": counts("SELECT form_factor, count(*) FROM headphones GROUP BY 1 ORDER BY 1"),
        "by_back": counts("SELECT back, count(*) FROM headphones GROUP BY 1 ORDER BY 1"),
        "by_driver": counts(
            "SELECT coalesce(driver_type, 'unknown'), count(*) FROM headphones GROUP BY 1 ORDER BY 1"
        ),
        "by_price_band": counts(f"SELECT {band}, count(*) FROM headphones GROUP BY 1 ORDER BY 1"),
        "wireless": conn.execute("SELECT count(*) FROM headphones WHERE wireless=1").fetchone()[0],
        "by_source_category": counts(
            "SELECT category, count(*) FROM devices GROUP BY 1 ORDER BY 1"
        ),
    }


# --- the measurement index ---------------------------------------------------------------------


def indexed_measurements(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """ref -> (mtime_ns, size) of every indexed file."""
    return {
        r[0]: (r[1], r[2]) for r in conn.execute("SELECT ref, mtime_ns, size FROM measurements")
    }


def _bump_index_generation(conn: sqlite3.Connection) -> None:
    """Count one more change of the index (in the caller's transaction): see :func:`index_state`."""
    conn.execute(
        "INSERT INTO meta VALUES ('index_generation', '1') "
        "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
    )


def upsert_measurements(conn: sqlite3.Connection, rows: list[tuple]) -> None:
    """Rows of (ref, source, form, name, path, mtime_ns, size, features_json, problem)."""
    if rows:
        conn.executemany("INSERT OR REPLACE INTO measurements VALUES (?,?,?,?,?,?,?,?,?)", rows)
        _bump_index_generation(conn)


def delete_measurements(conn: sqlite3.Connection, refs: list[str]) -> None:
    if refs:
        conn.executemany("DELETE FROM measurements WHERE ref = ?", [(r,) for r in refs])
        _bump_index_generation(conn)


def index_state(conn: sqlite3.Connection) -> tuple[int, int, str]:
    """A cheap fingerprint of the measurement index: (row count, change counter, build id).

    It changes with every upsert or delete (the counter is bumped in the same transaction) and
    with every rebuild of the store; no sum over mtimes (nanosecond mtimes overflow SQLite's
    64-bit sum after a handful of rows). Stores of the previous version give (count, 0, "").
    """
    count = conn.execute("SELECT count(*) FROM measurements").fetchone()[0]
    meta = {
        r[0]: r[1]
        for r in conn.execute(
            "SELECT key, value FROM meta WHERE key IN ('index_generation', 'build_id')"
        )
    }
    return count, int(meta.get("index_generation", 0)), str(meta.get("build_id", ""))


def store_file(conn: sqlite3.Connection) -> Path | None:
    """The file behind ``conn`` (None for an in-memory or temporary database)."""
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main":
            return Path(row[2]) if row[2] else None
    return None


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
            raise CatalogError(f"{path}: the store vanished while indexing; run again", DB_ENV)
        writer = _open(path)
        try:
            yield writer
        except sqlite3.OperationalError as exc:
            raise _cannot(path, "write the measurement index into", exc) from None
        finally:
            writer.close()


def measurement_features(conn: sqlite3.Connection) -> dict[str, dict]:
    rows = conn.execute("SELECT ref, features FROM measurements WHERE features IS NOT NULL")
    return {r[0]: json.loads(r[1]) for r in rows}
