"""The catalog in memory, read from the store once per process: records, arrays and names."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rapidfuzz import fuzz, process

from earwise.catalog import store
from earwise.catalog.schema import Headphone, SourceDevice
from earwise.core.errors import NotFoundError


class UnknownProductError(NotFoundError):
    """A name that matches nothing (or several things); carries suggestions."""

    def __init__(
        self, name: str, suggestions: list[str], kind: str = "product", field: str = "name"
    ) -> None:
        self.name, self.suggestions = name, suggestions
        hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        super().__init__(f"unknown {kind} {name!r}{hint}", field)


FUZZY_ACCEPT = 88  # rapidfuzz WRatio at or above which one clear best match is accepted
FUZZY_SUGGEST = 60
MAX_NAME_CHARS = 200  # judgement: the longest catalog name is ~60 characters


@dataclass(repr=False)
class CatalogView:
    headphones: dict[str, Headphone]
    devices: dict[str, SourceDevice]
    measured: dict[str, dict]
    names: list[tuple[str, str, str]] = field(default_factory=list)
    # Derived data that higher layers compute once per view (the advice matrix, indexes):
    # it lives and dies with this view, never in a module global.
    cache: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"CatalogView({len(self.headphones)} headphones, {len(self.devices)} devices)"

    @classmethod
    def from_connection(cls, conn) -> CatalogView:
        """The catalog read from an open store connection."""
        return cls(
            {h.id: h for h in store.all_headphones(conn)},
            {d.id: d for d in store.all_devices(conn)},
            store.measured_features(conn),
            store.all_names(conn),
        )

    @classmethod
    def from_store(cls, db_path: Path) -> CatalogView:
        conn = store.connect(db_path)
        try:
            return cls.from_connection(conn)
        finally:
            conn.close()

    @cached_property
    def _display(self) -> dict[str, tuple[str, str]]:
        out: dict[str, tuple[str, str]] = {}
        for kind, items in (("headphone", self.headphones), ("source", self.devices)):
            for x in items.values():
                for n in (f"{x.brand} {x.model}", *x.aliases, x.model):
                    out.setdefault(n, (x.id, kind))
        return out

    def label(self, product_id: str) -> str:
        x = self.headphones.get(product_id) or self.devices[product_id]
        return f"{x.brand} {x.model}"

    def resolve(self, name: str, kind: str | None = None) -> tuple[str, str]:
        """(id, kind) for a name: exact id/alias match first, then one clear fuzzy match."""
        if len(name) > MAX_NAME_CHARS:  # fuzzy matching is quadratic in length: never on huge input
            raise UnknownProductError(name[:40] + "...", [], kind or "product")
        key = store.normalise_name(name)
        exact = sorted({(pid, k) for n, pid, k in self.names if n == key and kind in (None, k)})
        if len(exact) == 1:
            return exact[0]
        choices = {n: v for n, v in self._display.items() if kind in (None, v[1])}
        if exact:
            raise UnknownProductError(name, [self.label(pid) for pid, _ in exact][:5], "name")
        hits = process.extract(name, list(choices), scorer=fuzz.WRatio, limit=8)
        if not hits:
            raise UnknownProductError(name, [], kind or "product")
        best = hits[0]
        same = {choices[h[0]] for h in hits if h[1] >= best[1] - 0.5}
        if best[1] >= FUZZY_ACCEPT and len(same) == 1:
            return choices[best[0]]
        suggestions = list(
            dict.fromkeys(self.label(choices[h[0]][0]) for h in hits if h[1] >= FUZZY_SUGGEST)
        )
        raise UnknownProductError(name, suggestions[:4], kind or "product")

    def headphone(self, name: str) -> Headphone:
        pid, _ = self.resolve(name, "headphone")
        return self.headphones[pid]

    def device(self, name: str) -> SourceDevice:
        pid, _ = self.resolve(name, "source")
        return self.devices[pid]
