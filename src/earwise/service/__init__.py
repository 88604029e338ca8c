"""The service layer: one typed function per use case; the only thing the CLI and web call.

Each function takes the application object (:class:`Earwise`: settings and caches) and a typed,
validated request (:mod:`earwise.service.requests`) and returns a typed result
(:mod:`earwise.service.results`). Every user mistake raises
:class:`~earwise.core.errors.EarwiseError` with the offending ``field``.

Names are imported on first use (PEP 562), so a command pays only for the use case it runs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from earwise.core.errors import ConflictError, EarwiseError, NotFoundError

_WHERE = {
    "Earwise": "app", "Settings": "settings", "ask": "ask",
    "best": "catalog", "catalog_export": "catalog", "catalog_rebuild": "catalog",
    "catalog_stats": "catalog", "compare": "catalog", "kit": "catalog", "recommend": "catalog",
    "search": "catalog", "show": "catalog",
    "amps_for": "gear", "chain": "gear", "drive": "gear", "explain": "gear",
    "analyze": "sound", "catalog_enrich": "sound", "eq": "sound", "measurements_index": "sound",
    "plot": "sound", "similar": "sound",
    "choices": "figures", "representative_sources": "figures", "thumbnail_svg": "figures",
}  # fmt: skip

__all__ = [
    "ConflictError", "EarwiseError", "NotFoundError", "Earwise", "Settings", "amps_for",
    "analyze", "ask", "best", "catalog_enrich", "catalog_export", "catalog_rebuild",
    "catalog_stats", "chain", "compare", "drive", "eq", "explain", "kit", "measurements_index",
    "plot", "recommend", "search", "show", "similar", "choices", "representative_sources",
    "thumbnail_svg",
]  # fmt: skip


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(importlib.import_module(f"earwise.service.{_WHERE[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'earwise.service' has no attribute {name!r}")


if TYPE_CHECKING:  # pragma: no cover - for type checkers and readers
    from earwise.service.app import Earwise
    from earwise.service.ask import ask
    from earwise.service.catalog import (
        best,
        catalog_export,
        catalog_rebuild,
        catalog_stats,
        compare,
        kit,
        recommend,
        search,
        show,
    )  # fmt: skip
    from earwise.service.figures import choices, representative_sources, thumbnail_svg
    from earwise.service.gear import amps_for, chain, drive, explain
    from earwise.service.settings import Settings
    from earwise.service.sound import (
        analyze,
        catalog_enrich,
        eq,
        measurements_index,
        plot,
        similar,
    )  # fmt: skip
