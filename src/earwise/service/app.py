"""The application object: settings, the catalog view (which follows the store), and caches.

One per CLI run or web app. Nothing here is a module global: two apps with two settings never
share a view or a cache.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from earwise.catalog import store
from earwise.catalog.loader import DATA_DIR
from earwise.catalog.view import CatalogView
from earwise.service.settings import Settings


@dataclass
class Earwise:
    """Settings plus what is computed from them once and reused."""

    settings: Settings
    notice: Callable[[str], None] | None = None
    _view: CatalogView | None = field(default=None, init=False, repr=False)
    _view_key: tuple | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    cache: dict = field(default_factory=dict, init=False, repr=False)

    def connect(self) -> sqlite3.Connection:
        """A connection to the store, built or rebuilt first when needed."""
        data_dir = self.settings.catalog_dir or DATA_DIR
        return store.connect(
            self.settings.store_path, data_dir, notice=self.notice,
            checked=self.cache.setdefault("store_checked", {}),
        )  # fmt: skip

    def view(self) -> CatalogView:
        """The catalog in memory; reloaded when the store was rebuilt (new file) since."""
        conn = self.connect()
        try:
            key = _store_key(conn)
            with self._lock:
                if self._view is None or key != self._view_key:
                    self._view = CatalogView.from_connection(conn)
                    self._view_key = key
                return self._view
        finally:
            conn.close()


def _store_key(conn: sqlite3.Connection) -> tuple:
    """What identifies the catalog content of a store: its data hash and schema version."""
    rows = conn.execute(
        "SELECT key, value FROM meta WHERE key IN ('data_hash', 'schema_version')"
    ).fetchall()
    return tuple(sorted((r[0], r[1]) for r in rows))
