"""Index a measurement library into the store: only new or changed files are read again."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

from earwise.acoustics.library import analyse, scan
from earwise.catalog import store


def index_library(
    conn: sqlite3.Connection,
    root: Path,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Scan ``root``; analyse files whose size or mtime changed; drop vanished ones.

    Returns counts: ``files`` found, ``read`` (analysed now), ``unchanged``, ``removed``,
    ``problems`` (files that could not be read; their error is stored).
    """
    files = scan(root)
    known = store.indexed_measurements(conn)
    stats = {mf.ref: mf.path.stat() for mf in files}
    changed = [
        mf for mf in files
        if known.get(mf.ref) != (stats[mf.ref].st_mtime_ns, stats[mf.ref].st_size)
    ]  # fmt: skip
    if on_total:
        on_total(len(changed))
    results, problems = analyse(changed, root, progress)
    rows = [
        (mf.ref, mf.source, mf.form, mf.name, str(mf.path), stats[mf.ref].st_mtime_ns,
         stats[mf.ref].st_size,
         json.dumps(results[mf.ref]) if mf.ref in results else None, problems.get(mf.ref))
        for mf in changed
    ]  # fmt: skip
    removed = sorted(set(known) - set(stats))
    with conn:
        store.upsert_measurements(conn, rows)
        store.delete_measurements(conn, removed)
    return {
        "files": len(files),
        "read": len(changed),
        "unchanged": len(files) - len(changed),
        "removed": len(removed),
        "problems": len(problems),
    }
