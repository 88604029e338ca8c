"""Reads and writes of the store: plain parameterised SQL in small functions taking the
connection first. Opening, building and locking the store live in :mod:`earwise.catalog.store`.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from earwise.catalog.schema import Headphone, SourceDevice

_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


def id_reads_as_name(model: str) -> bool:
    """Whether an id's slug, normalised, still reads as the model's name: not when the name has a
    decimal point the slug turned into a hyphen ('cx-3-00' would read as 'CX 300')."""
    return _DECIMAL_POINT.search(model) is None


def normalise_name(text: str) -> str:
    """Lowercase alphanumerics only, '+' read as 'plus': 'DT-770 Pro' -> 'dt770pro'. A decimal
    point stays ('CX 3.00' -> 'cx3.00'): the CX 3.00 is not the CX 300."""
    text = text.lower().replace("+", "plus")
    if "." not in text:
        return "".join(ch for ch in text if ch.isalnum())
    text = _DECIMAL_POINT.sub("\x00", text)
    return "".join(ch for ch in text if ch.isalnum() or ch == "\x00").replace("\x00", ".")


def headphone_records(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(id, status, record JSON) of every headphone, unvalidated (the view validates lazily)."""
    return _tuples(conn, "SELECT id, status, record FROM headphones ORDER BY id")


def device_records(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(id, record JSON) of every source and amp, unvalidated."""
    return _tuples(conn, "SELECT id, record FROM devices ORDER BY id")


def all_headphones(conn: sqlite3.Connection) -> list[Headphone]:
    rows = conn.execute("SELECT record FROM headphones ORDER BY id").fetchall()
    return [Headphone.model_validate_json(r["record"]) for r in rows]


def all_devices(conn: sqlite3.Connection) -> list[SourceDevice]:
    rows = conn.execute("SELECT record FROM devices ORDER BY id").fetchall()
    return [SourceDevice.model_validate_json(r["record"]) for r in rows]


def _tuples(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows as plain tuples (much cheaper than sqlite3.Row for thousands of rows)."""
    cur = conn.cursor()
    cur.row_factory = None
    return cur.execute(sql, params).fetchall()


def measured_features(conn: sqlite3.Connection) -> dict[str, dict]:
    return {pid: json.loads(raw) for pid, raw in measured_features_raw(conn).items()}


def measured_features_raw(conn: sqlite3.Connection) -> dict[str, str]:
    """id -> the derived features' JSON text, unparsed (the view parses on first use)."""
    return dict(_tuples(conn, "SELECT id, derived FROM headphones WHERE derived IS NOT NULL"))


def ids_for_name(conn: sqlite3.Connection, name: str) -> list[tuple[str, str]]:
    """(product id, kind) pairs whose id, model, brand+model or alias normalises to ``name``."""
    rows = conn.execute(
        "SELECT DISTINCT product_id, kind FROM names WHERE name = ? ORDER BY product_id",
        (normalise_name(name),),
    )
    return [(r["product_id"], r["kind"]) for r in rows]


def all_names(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    return _tuples(conn, "SELECT name, product_id, kind FROM names")


def unsure_status_rows(conn: sqlite3.Connection) -> list[tuple]:
    """(id, price_usd, form_factor, back, wireless) of the priced headphones whose status nobody
    has checked, without parsing their records."""
    return _tuples(
        conn,
        "SELECT id, price_usd, form_factor, back, wireless FROM headphones "
        "WHERE status = 'unknown' AND price_usd IS NOT NULL ORDER BY id",
    )


def brand_by_id(conn: sqlite3.Connection) -> dict[str, str]:
    """Every headphone's and source/amp's brand, by id (no record parsed)."""
    rows = conn.execute("SELECT id, brand FROM headphones UNION ALL SELECT id, brand FROM devices")
    return dict(rows.fetchall())


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
    if mic is not None:  # an unknown microphone ('unknown') passes neither filter
        where.append("mic NOT IN ('none', 'unknown')" if mic else "mic = 'none'")
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
        "by_status": counts("SELECT status, count(*) FROM headphones GROUP BY 1 ORDER BY 1"),
        "unknown": {
            "wireless": conn.execute(
                "SELECT count(*) FROM headphones WHERE wireless IS NULL"
            ).fetchone()[0],
            "mic": conn.execute("SELECT count(*) FROM headphones WHERE mic = 'unknown'").fetchone()[
                0
            ],
            "anc": conn.execute("SELECT count(*) FROM headphones WHERE anc IS NULL").fetchone()[0],
            "price": conn.execute(
                "SELECT count(*) FROM headphones WHERE price_usd IS NULL"
            ).fetchone()[0],
        },
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


def measurement_features(conn: sqlite3.Connection) -> dict[str, dict]:
    rows = conn.execute("SELECT ref, features FROM measurements WHERE features IS NOT NULL")
    return {r[0]: json.loads(r[1]) for r in rows}
