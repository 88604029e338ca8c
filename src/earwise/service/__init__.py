"""The service layer: one typed function per use case; the only thing the CLI and web call.

Each function takes the application object (:class:`Earwise`: settings and caches) and a typed,
validated request (:mod:`earwise.service.requests`) and returns a typed result
(:mod:`earwise.service.results`). Every user mistake raises
:class:`~earwise.core.errors.EarwiseError` with the offending ``field``.
"""

from earwise.core.errors import ConflictError, EarwiseError, NotFoundError
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
)
from earwise.service.gear import amps_for, chain, drive, explain
from earwise.service.settings import Settings
from earwise.service.sound import analyze, catalog_enrich, eq, measurements_index, plot, similar

__all__ = [
    "ConflictError", "EarwiseError", "Earwise", "NotFoundError", "Settings", "amps_for", "analyze",
    "ask", "best", "catalog_enrich", "catalog_export", "catalog_rebuild", "catalog_stats", "chain",
    "compare", "drive", "eq", "explain", "kit", "measurements_index", "plot", "recommend",
    "search", "show", "similar",
]  # fmt: skip
