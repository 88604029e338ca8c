"""The catalog in memory, read from the store once per process: records, arrays and names."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from earwise.catalog import store
from earwise.catalog.names import MAX_NAME_CHARS, Match, NameIndex, UnknownProductError
from earwise.catalog.schema import Headphone, SourceDevice

__all__ = ["MAX_NAME_CHARS", "CatalogView", "Match", "UnknownProductError"]


class Lazy(Mapping[str, Any]):
    """Values by id, parsed from their stored JSON text on first access (a command that ranks
    only the products on sale never pays for validating the whole catalog)."""

    def __init__(self, raw: dict[str, str], parse: Callable[[str], Any]) -> None:
        self._raw, self._parse, self._done = raw, parse, {}

    def __getitem__(self, key: str) -> Any:
        value = self._done.get(key)
        if value is None:
            value = self._done[key] = self._parse(self._raw[key])
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def __contains__(self, key: object) -> bool:
        return key in self._raw


@dataclass(repr=False)
class CatalogView:
    headphones: Mapping[str, Headphone]
    devices: Mapping[str, SourceDevice]
    measured: Mapping[str, dict]
    names: list[tuple[str, str, str]] = field(default_factory=list)
    # Derived data that higher layers compute once per view (the advice matrix, indexes):
    # it lives and dies with this view, never in a module global.
    cache: dict = field(default_factory=dict)
    on_sale_ids: list[str] | None = None  # ids known to be sold now (None: read the records)
    brands: dict[str, str] | None = None  # id -> brand (None: read the records when first asked)
    # (id, price_usd, form, back, wireless) of priced products of unknown status (None: read them)
    unsure_rows: list[tuple] | None = None

    def __post_init__(self) -> None:
        if self.on_sale_ids is None:
            self.on_sale_ids = [h.id for h in self.headphones.values() if h.on_sale]

    def __repr__(self) -> str:
        return f"CatalogView({len(self.headphones)} headphones, {len(self.devices)} devices)"

    @classmethod
    def from_connection(cls, conn) -> CatalogView:
        """The catalog read from an open store connection."""
        records = store.headphone_records(conn)
        return cls(
            Lazy({pid: rec for pid, _, rec in records}, Headphone.model_validate_json),
            Lazy(dict(store.device_records(conn)), SourceDevice.model_validate_json),
            Lazy(store.measured_features_raw(conn), json.loads),
            store.all_names(conn),
            on_sale_ids=[pid for pid, status, _ in records if status == "current"],
            brands=store.brand_by_id(conn),
            unsure_rows=store.unsure_status_rows(conn),
        )

    @classmethod
    def from_store(cls, db_path: Path) -> CatalogView:
        conn = store.connect(db_path)
        try:
            return cls.from_connection(conn)
        finally:
            conn.close()

    @cached_property
    def _names(self) -> NameIndex:
        """Every product name cut into tokens, once per view (see :mod:`earwise.catalog.names`)."""
        items = {h.id: ("headphone", h) for h in self.headphones.values()}
        items |= {d.id: ("source", d) for d in self.devices.values()}
        return NameIndex(items, self.names)

    def _brand_map(self) -> dict[str, str]:
        """id -> brand (from the store when the view came from one, else read from the records)."""
        if self.brands is None:
            self.brands = {x.id: x.brand for x in self.headphones.values()} | {
                x.id: x.brand for x in self.devices.values()
            }
        return self.brands

    def unsure(self) -> list[tuple]:
        """(id, price_usd, form, back, wireless) of the priced headphones whose status nobody
        has checked (from the store when the view came from one, else read from the records)."""
        if self.unsure_rows is None:
            self.unsure_rows = [
                (h.id, h.price_usd, h.form_factor, h.back, h.wireless)
                for h in self.headphones.values()
                if h.status == "unknown" and h.price_usd is not None
            ]
        return self.unsure_rows

    def brand_of(self, product_id: str) -> str:
        """A headphone's or source/amp's brand, without parsing its record."""
        return self._brand_map()[product_id]

    def brand_names(self) -> list[str]:
        """Every brand of a headphone or a source/amp, sorted (once per view)."""
        if "brand_names" not in self.cache:
            self.cache["brand_names"] = sorted(set(self._brand_map().values()))
        return self.cache["brand_names"]

    def label(self, product_id: str) -> str:
        x = self.headphones.get(product_id) or self.devices[product_id]
        return x.display_name

    def match(self, name: str, kind: str | None = None) -> Match:
        """How ``name`` reads as a product of ``kind`` ('headphone', 'source' or either): an exact
        name, an alias or a variant-safe near match (with a note); raises UnknownProductError
        (with suggestions) for no match or several equally good ones."""
        return self._names.match(name, kind)

    def resolve(self, name: str, kind: str | None = None) -> tuple[str, str]:
        """(id, kind) for a name; see :meth:`match`."""
        m = self.match(name, kind)
        return m.id, m.kind

    def headphone(self, name: str) -> Headphone:
        pid, _ = self.resolve(name, "headphone")
        return self.headphones[pid]

    def device(self, name: str) -> SourceDevice:
        pid, _ = self.resolve(name, "source")
        return self.devices[pid]
