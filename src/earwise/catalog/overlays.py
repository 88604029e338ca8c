"""Overlays: facts from a dataset merged into existing catalog products, with provenance.

``data/overlays/<dataset>.yaml`` is a list of ``{id, facts, source}``. Each entry fills the
product ``id`` (curated or imported) with ``facts`` -- only where the product has no value yet,
never overriding one -- and appends ``source`` to the product's ``sources``. An entry whose id
is not in the catalog, or whose facts name a field the schema does not have (or one that is
never filled from a dataset), is an error: overlays fail loudly rather than drift silently.
"""

from __future__ import annotations

from copy import deepcopy
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from earwise.catalog.schema import Headphone, Source

# Fields an overlay may never fill: identity, the required form fields and status (its default
# "current" reads as empty in a data file but is a claim an overlay must not make).
FIXED = frozenset(
    {"id", "brand", "model", "status", "form_factor", "back", "true_wireless", "sources"}
)
FILLABLE = frozenset(Headphone.model_fields) - FIXED


class OverlayEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    facts: dict[str, Any] = Field(min_length=1)
    source: Source


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


def fill(record: dict, facts: dict) -> list[str]:
    """Fill ``record`` (a product's raw mapping) in place with ``facts`` where it is empty;
    nested mappings are filled field by field. Returns the dotted names of what was filled."""
    filled: list[str] = []
    for key, value in facts.items():
        current = record.get(key)
        if _empty(current):
            if not _empty(value):
                record[key] = value
                filled.append(key)
        elif isinstance(current, dict) and isinstance(value, dict):
            record[key] = dict(current)
            filled += [f"{key}.{k}" for k in fill(record[key], value)]
    return filled


def read_overlay(path: Path, data: Any) -> list[OverlayEntry]:
    """Validate an overlay file's parsed YAML (a list of entries); ValueError names the entry."""
    if data is None:
        return []
    if not isinstance(data, list):
        raise ValueError(f"{path.name}: an overlay file is a list of {{id, facts, source}}")
    out = []
    for i, item in enumerate(data):
        try:
            entry = OverlayEntry.model_validate(item)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(p) for p in err["loc"])
            raise ValueError(f"{path.name}: entry {i}: {loc}: {err['msg']}") from exc
        unknown = sorted(set(entry.facts) - FILLABLE)
        if unknown:
            raise ValueError(f"{path.name}: {entry.id}: overlays cannot set {', '.join(unknown)}")
        out.append(entry)
    return out


def apply_overlays(records: dict[str, dict], entries: list[OverlayEntry], origin: str) -> None:
    """Merge ``entries`` into ``records`` (id -> raw product mapping) in place.

    Raises ValueError (naming ``origin``) for an id that is not in ``records``."""
    for entry in entries:
        record = records.get(entry.id)
        if record is None:
            raise ValueError(f"{origin}: unknown product id {entry.id!r} (not in the catalog)")
        fill(record, entry.facts)
        source = entry.source.model_dump(exclude_none=True)
        record["sources"] = [*record.get("sources", []), source]


def write_overlay(path: Path, header: str, entries: list[dict]) -> None:
    """Write a generated overlay: ``header`` (comment lines saying what made it and that a stated
    value always wins), then the entries as YAML, atomically."""
    import yaml

    from earwise.core.files import atomic_write_text

    text = header + yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=100)
    atomic_write_text(path, text)


def from_rule(h: Headphone, title: str) -> bool:
    """Whether ``h`` has a value because the derived rule named ``title`` filled it."""
    return any(s.kind == "derived" and s.title.startswith(title) for s in h.sources)


def rule_entries(headphones, title: str, field: str, facts: dict, applies) -> list[dict]:
    """Overlay entries of a derived rule: every product ``applies`` to whose ``field`` is empty
    (or was filled by this rule before, so re-running is idempotent), sorted by id."""
    return [
        {
            "id": h.id,
            "facts": deepcopy(facts),  # a copy each: no YAML anchors in the file
            "source": {"kind": "derived", "title": title, "covers": [field]},
        }  # fmt: skip
        for h in sorted(headphones, key=lambda x: x.id)
        if applies(h) and (getattr(h, field) is None or from_rule(h, title))
    ]
