"""Index a measurement library into the store: only new or changed files are read again."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from earwise.acoustics.library import analyse, scan
from earwise.catalog import store
from earwise.core.errors import ConflictError


def _refuse_big_drop(root: Path, found: int, known: set[str], kept: set[str]) -> None:
    """ConflictError when the scan found nothing or would drop more than half of ``known``."""
    if found == 0:
        raise ConflictError(
            f"no measurement files found in {root} (expected <source>/data/<form>/*.csv); "
            f"indexing it would drop all {len(known)} indexed measurements. "
            "Check the folder, or pass --force",
            "path",
        )
    dropped = len(known - kept)
    if dropped * 2 > len(known):
        raise ConflictError(
            f"indexing {root} would drop {dropped} of the {len(known)} indexed measurements; "
            "nothing was changed. Check the folder, or pass --force to drop them",
            "path",
        )


def index_library(
    conn: sqlite3.Connection,
    root: Path,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
    *,
    force: bool = False,
) -> dict[str, int]:
    """Scan ``root``; analyse files whose size or mtime (ns) changed; drop vanished ones.

    Without ``force``, a scan that finds no files or would drop more than half of the indexed
    entries (a wrong folder) raises :class:`ConflictError` (field ``path``) and changes nothing.
    The writes take the store's lock, so a concurrent rebuild cannot lose them.

    Returns counts: ``files`` found, ``read`` (analysed now), ``unchanged``, ``removed``,
    ``problems`` (files that could not be read; their error is stored).
    """
    files = scan(root)
    stats: dict[str, os.stat_result] = {mf.ref: mf.path.stat() for mf in files}
    known = store.indexed_measurements(conn)
    if not force:
        _refuse_big_drop(root, len(files), set(known), set(stats))
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
    with store.index_writer(conn) as writer:
        now = set(store.indexed_measurements(writer))  # as of now, under the lock
        if not force:
            _refuse_big_drop(root, len(files), now, set(stats))
        removed = sorted(now - set(stats))
        with writer:
            store.upsert_measurements(writer, rows)
            store.delete_measurements(writer, removed)
    return {
        "files": len(files),
        "read": len(changed),
        "unchanged": len(files) - len(changed),
        "removed": len(removed),
        "problems": len(problems),
    }
