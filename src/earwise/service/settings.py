"""Settings, read once at the edge (CLI start, ``create_app``) and passed down.

No core function reads the environment: the CLI and the web build one :class:`Settings` from
``EARWISE_DB`` / ``EARWISE_MEASUREMENTS`` (or options) and hand it to the application object.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DB_ENV = "EARWISE_DB"
MEASUREMENTS_ENV = "EARWISE_MEASUREMENTS"
REPO_ROOT = Path(__file__).resolve().parents[3]


def default_store_path(environ: Mapping[str, str] | None = None) -> Path:
    """``<user data dir>/earwise/catalog.sqlite``: ``$XDG_DATA_HOME`` or ``~/.local/share`` on
    Linux, ``~/Library/Application Support`` on macOS, platformdirs elsewhere (the same folders
    platformdirs gives, without its import cost on every start)."""
    env = os.environ if environ is None else environ
    if sys.platform.startswith("linux"):
        base = Path(env.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:  # pragma: no cover - Windows and others
        import platformdirs

        return Path(platformdirs.user_data_dir("earwise")) / "catalog.sqlite"
    return base / "earwise" / "catalog.sqlite"


def default_measurements_root() -> Path:
    """``../shared/measurements`` beside the repository checkout."""
    return REPO_ROOT.parent / "shared" / "measurements"


@dataclass(frozen=True)
class Settings:
    """Where the store lives and where the measurement library is."""

    store_path: Path
    measurements_root: Path
    catalog_dir: Path | None = None  # the data files (None: the built-in catalog)

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        store_path: Path | None = None,
        measurements_root: Path | None = None,
    ) -> Settings:
        """Options first, then the environment, then the defaults."""
        env = os.environ if environ is None else environ
        store = store_path or (Path(env[DB_ENV]) if env.get(DB_ENV) else default_store_path(env))
        root = measurements_root or (
            Path(env[MEASUREMENTS_ENV])
            if env.get(MEASUREMENTS_ENV)
            else default_measurements_root()
        )
        return cls(store_path=store, measurements_root=root)
