"""The embedded SQLite store: compiled from the data files on first use, rebuilt when they change.

The file is ``$EARWISE_DB`` or ``<user data dir>/earwise/catalog.sqlite``. A rebuild is
written to a temporary file and moved into place atomically, so a failed rebuild never
destroys the store already there. Queries are small functions taking the connection first.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
from pathlib import Path

import platformdirs

from earwise.catalog.loader import DATA_DIR, Catalog, data_files, data_hash, load_catalog
from earwise.catalog.platforms import platform_support
from earwise.catalog.schema import Headphone, SourceDevice

SCHEMA_VERSION = 2
DB_ENV = "EARWISE_DB"

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


def _carry_measurement_index(conn: sqlite3.Connection, old: Path) -> None:
    """Keep the measurement index of the store being replaced (it is costly to rebuild)."""
    if not old.exists():
        return
    try:
        conn.execute("ATTACH DATABASE ? AS old", (str(old),))
        with conn:
            conn.execute("INSERT INTO measurements SELECT * FROM old.measurements")
    except sqlite3.DatabaseError:
        pass  # no index there (older schema or unreadable): start empty
    finally:
        with contextlib.suppress(sqlite3.DatabaseError):
            conn.execute("DETACH DATABASE old")


def build_store(path: Path, data_dir: Path = DATA_DIR) -> None:
    """Compile the data files into a fresh store at ``path`` (atomic replace).

    The measurement index of the store being replaced is carried over.
    """
    catalog = load_catalog(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    try:
        conn = sqlite3.connect(tmp)
        with conn:
            conn.executescript(SCHEMA)
            _insert(conn, catalog)
            conn.executemany(
                "INSERT INTO meta VALUES (?,?)",
                [("schema_version", str(SCHEMA_VERSION)), ("data_hash", data_hash(data_dir))],
            )
        _carry_measurement_index(conn, path)
        conn.close()
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _is_current(path: Path, data_dir: Path) -> bool:
    if not path.exists():
        return False
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        conn.close()
    except sqlite3.DatabaseError:
        return False
    return meta.get("schema_version") == str(SCHEMA_VERSION) and meta.get("data_hash") == data_hash(
        data_dir
    )


_CHECKED: dict[tuple[Path, Path], tuple] = {}


def _files_signature(path: Path, data_dir: Path) -> tuple:
    """Names, sizes and mtimes of the data files and the store: cheap to read on every open."""
    files = data_files(data_dir) + [path]
    return tuple((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files if f.exists())


def connect(path: Path | None = None, data_dir: Path = DATA_DIR) -> sqlite3.Connection:
    """Open the store, (re)building it first when missing, outdated or corrupt.

    The data files are hashed only when their names, sizes or mtimes (or the store's) changed
    since this process last checked, so opening the store on a hot path costs a few stat calls.
    """
    path = path or default_db_path()
    key = (path, data_dir)
    if _CHECKED.get(key) != _files_signature(path, data_dir) or not path.exists():
        if not _is_current(path, data_dir):
            build_store(path, data_dir)
        _CHECKED[key] = _files_signature(path, data_dir)
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return conn


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


def upsert_measurements(conn: sqlite3.Connection, rows: list[tuple]) -> None:
    """Rows of (ref, source, form, name, path, mtime_ns, size, features_json, problem)."""
    conn.executemany("INSERT OR REPLACE INTO measurements VALUES (?,?,?,?,?,?,?,?,?)", rows)


def delete_measurements(conn: sqlite3.Connection, refs: list[str]) -> None:
    conn.executemany("DELETE FROM measurements WHERE ref = ?", [(r,) for r in refs])


def measurement_features(conn: sqlite3.Connection) -> dict[str, dict]:
    rows = conn.execute("SELECT ref, features FROM measurements WHERE features IS NOT NULL")
    return {r[0]: json.loads(r[1]) for r in rows}
