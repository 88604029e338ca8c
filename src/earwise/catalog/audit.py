"""The catalog audit (docs/catalog-audit.md): how complete the facts of the products on sale are
against the issue's targets, which facts rest only on weak sources, which prices are old,
where the data records sources disagreeing -- and a reproducible random draw of facts to check
by hand.

Everything here works on plain lists of :class:`Headphone` and :class:`SourceDevice` (the
loaded catalog or a :class:`~earwise.catalog.view.CatalogView`'s values) and returns plain data.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from earwise.catalog import policy
from earwise.catalog.schema import Headphone, Source, SourceDevice

TARGET_HEADPHONES = 1000
TARGET_DEVICES = 80
STALE_MONTHS = 24
# Judgement: beyond these, a published and a measured figure disagree (not just tolerance).
SENSITIVITY_TOLERANCE_DB = 3.0
IMPEDANCE_TOLERANCE = 0.25  # relative
BATTERY_TOLERANCE = 0.25  # relative, measured vs claimed hours
_DISAGREE_WORDS = re.compile(r"\b(disagree\w*|conflict\w*|contradict\w*|discrepan\w*)\b", re.I)
NO_CATEGORY = "(none)"


@dataclass(frozen=True)
class Figure:
    """One completeness figure: ``have`` of ``of`` products (or outputs), per category too."""

    scope: str  # "headphones" or "sources"
    field: str
    label: str
    have: int
    of: int
    target_pct: float | None
    by_category: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def pct(self) -> float | None:
        return None if self.of == 0 else round(100.0 * self.have / self.of, 1)

    @property
    def met(self) -> bool | None:
        if self.target_pct is None or self.pct is None:
            return None
        return self.pct >= self.target_pct


# --- headphones ----------------------------------------------------------------------------


def has_wired_input(h: Headphone) -> bool:
    """Takes a cable: a wired plug is listed, or it is wired by convention (not wireless)."""
    return bool(h.connections.wired) or h.wireless is False


def _is_wireless(h: Headphone) -> bool:
    return h.wireless is True


def _wireless_or_gaming(h: Headphone) -> bool:
    return h.wireless is True or "gaming" in h.categories


def _all(_: Headphone) -> bool:
    return True


# (field, label, target %, applies to, has it)
HEADPHONE_FIELDS: tuple[tuple[str, str, float | None, Callable, Callable], ...] = (
    ("price", "price with kind and as_of", 95.0, _all,
     lambda h: h.price is not None and h.price.as_of is not None),
    ("year", "year", 90.0, _all, lambda h: h.year is not None),
    ("mic", "mic known", 98.0, _all, lambda h: h.mic is not None),
    ("wireless", "wireless known", 98.0, _all, lambda h: h.wireless is not None),
    ("anc", "ANC known", 98.0, _all, lambda h: h.anc is not None),
    ("platforms", "platforms listed (wireless or gaming)", None, _wireless_or_gaming,
     lambda h: bool(h.platforms)),
    ("battery", "battery claimed (wireless)", 90.0, _is_wireless,
     lambda h: h.battery is not None and h.battery.claimed_h is not None),
    ("impedance", "impedance (wired input)", 85.0, has_wired_input,
     lambda h: h.impedance_ohm is not None),
    ("sensitivity", "sensitivity with unit (wired input)", 85.0, has_wired_input,
     lambda h: h.sensitivity is not None and h.sensitivity.unit != "unknown"),
    ("weight", "weight", 70.0, _all, lambda h: h.weight_g is not None),
)  # fmt: skip


def _figure(scope, key, label, target, items, categories_of, has) -> Figure:
    by_cat: dict[str, list[int]] = {}
    have = of = 0
    for x in items:
        ok = bool(has(x))
        have += ok
        of += 1
        for c in categories_of(x):
            slot = by_cat.setdefault(c, [0, 0])
            slot[0] += ok
            slot[1] += 1
    return Figure(scope, key, label, have, of, target,
                  {c: (v[0], v[1]) for c, v in sorted(by_cat.items())})  # fmt: skip


def headphone_figures(headphones: Iterable[Headphone]) -> list[Figure]:
    """Completeness of the current headphones (status current) against the targets."""
    current = [h for h in headphones if h.status == "current"]

    def cats(h: Headphone) -> list[str]:
        return list(h.categories) or [NO_CATEGORY]

    return [
        _figure("headphones", key, label, target, [h for h in current if applies(h)], cats, has)
        for key, label, target, applies, has in HEADPHONE_FIELDS
    ]


# --- sources and amps ---------------------------------------------------------------------


def device_figures(devices: Iterable[SourceDevice]) -> list[Figure]:
    """Completeness of the current sources/amps: per device (price, year) and per headphone
    output (an output level rating, the output impedance)."""
    current = [d for d in devices if d.status == "current"]
    outputs = [(d, o) for d in current for o in d.outputs]

    def dcat(d: SourceDevice) -> list[str]:
        return [d.category]

    def ocat(pair) -> list[str]:
        return [pair[0].category]

    return [
        _figure("sources", "output_rating", "output level rating (per output)", 90.0, outputs,
                ocat, lambda p: bool(p[1].ratings)),
        _figure("sources", "zout", "Zout (per output)", 90.0, outputs, ocat,
                lambda p: p[1].zout_ohm is not None),
        _figure("sources", "price", "price with kind and as_of", None, current, dcat,
                lambda d: d.price is not None and d.price.as_of is not None),
        _figure("sources", "year", "year", None, current, dcat, lambda d: d.year is not None),
    ]  # fmt: skip


# --- prices, disagreements ----------------------------------------------------------------


def _month_index(as_of: str) -> int:
    """Months since year 0; a year alone counts as its December (flagged only when surely old)."""
    year, _, month = as_of.partition("-")
    return int(year) * 12 + (int(month) if month else 12) - 1


def stale_cutoff(today: date, months: int = STALE_MONTHS) -> str:
    """The first month still fresh: ``today`` minus ``months``, as YYYY-MM."""
    idx = today.year * 12 + today.month - 1 - months
    return f"{idx // 12:04d}-{idx % 12 + 1:02d}"


def stale_prices(
    products: Iterable[Headphone | SourceDevice], today: date, months: int = STALE_MONTHS
) -> tuple[list[dict], list[str]]:
    """(prices dated before ``today`` minus ``months``, ids of priced products with no date),
    for the current products."""
    cutoff = _month_index(stale_cutoff(today, months))
    old, undated = [], []
    for p in products:
        if p.status != "current" or p.price is None:
            continue
        if p.price.as_of is None:
            undated.append(p.id)
        elif _month_index(p.price.as_of) < cutoff:
            old.append({"id": p.id, "usd": p.price.usd, "kind": p.price.kind,
                        "as_of": p.price.as_of})  # fmt: skip
    return sorted(old, key=lambda x: (x["as_of"], x["id"])), sorted(undated)


def _published_db_per_v(h: Headphone) -> float | None:
    s = h.sensitivity
    if s is None or s.unit == "unknown":
        return None
    if s.unit == "dB SPL/V":
        return s.value
    z = h.impedance_ohm or (h.sensitivity_measured and h.sensitivity_measured.impedance_ohm)
    return None if not z else s.value + 10 * math.log10(1000.0 / z)


def disagreements(products: Iterable[Headphone | SourceDevice]) -> list[dict]:
    """Where the data records two sources disagreeing: a published and a measured figure
    beyond tolerance (sensitivity, impedance, battery), or a source whose title says so."""
    out = []
    for p in products:
        if isinstance(p, Headphone):
            sm = p.sensitivity_measured
            pub = _published_db_per_v(p)
            if sm is not None and pub is not None:
                diff = sm.db_spl_per_v - pub
                if abs(diff) > SENSITIVITY_TOLERANCE_DB:
                    out.append({"id": p.id, "field": "sensitivity", "detail":
                                f"published {pub:.1f} dB SPL/V, measured {sm.db_spl_per_v:g} "
                                f"by {sm.by} ({diff:+.1f} dB)"})  # fmt: skip
            if sm is not None and sm.impedance_ohm and p.impedance_ohm:
                rel = sm.impedance_ohm / p.impedance_ohm - 1
                if abs(rel) > IMPEDANCE_TOLERANCE:
                    out.append({"id": p.id, "field": "impedance", "detail":
                                f"published {p.impedance_ohm:g} ohm, measured "
                                f"{sm.impedance_ohm:g} by {sm.by} ({rel:+.0%})"})  # fmt: skip
            b = p.battery
            if b is not None and b.claimed_h and b.measured_h:
                rel = b.measured_h / b.claimed_h - 1
                if abs(rel) > BATTERY_TOLERANCE:
                    out.append({"id": p.id, "field": "battery", "detail":
                                f"claimed {b.claimed_h:g} h, measured {b.measured_h:g} h"
                                + (f" by {b.measured_by}" if b.measured_by else "")
                                + f" ({rel:+.0%})"})  # fmt: skip
        for s in p.sources:
            if _DISAGREE_WORDS.search(s.title):
                out.append({"id": p.id, "field": ",".join(s.covers),
                            "detail": f"source notes a disagreement: {s.title}"})  # fmt: skip
    return out


def weak_facts(products: Iterable[Headphone | SourceDevice]) -> dict[str, list[str]]:
    """product id -> fact groups resting only on weak sources (see :mod:`policy`): the groups the
    loader withheld (shown as unknown), plus any still shown (none when the catalog came through
    the loader)."""
    out: dict[str, list[str]] = {}
    for p in products:
        groups = sorted(set(p.withheld) | set(policy.weak_only_facts(p)) - {"measured"})
        if groups:
            out[p.id] = groups
    return out


# --- the whole audit ----------------------------------------------------------------------


def audit(
    headphones: Iterable[Headphone], devices: Iterable[SourceDevice], today: date | None = None
) -> dict:
    """Everything the audit reports, as plain data (see docs/catalog-audit.md)."""
    today = today or date.today()
    hs, ds = list(headphones), list(devices)
    weak = weak_facts(hs + ds)
    old, undated = stale_prices(hs + ds, today)
    by_group: dict[str, int] = {}
    for groups in weak.values():
        for g in groups:
            by_group[g] = by_group.get(g, 0) + 1
    return {
        "today": today.isoformat(),
        "counts": [
            {"scope": "headphones", "total": len(hs),
             "current": sum(h.status == "current" for h in hs), "target": TARGET_HEADPHONES,
             "met": len(hs) >= TARGET_HEADPHONES},
            {"scope": "sources", "total": len(ds),
             "current": sum(d.status == "current" for d in ds), "target": TARGET_DEVICES,
             "met": len(ds) >= TARGET_DEVICES},
        ],
        "figures": headphone_figures(hs) + device_figures(ds),
        "weak": {"products": len(weak), "groups": sum(len(g) for g in weak.values()),
                 "by_group": dict(sorted(by_group.items())),
                 "items": [{"id": k, "groups": v} for k, v in sorted(weak.items())]},
        "stale_prices": {"cutoff": stale_cutoff(today), "months": STALE_MONTHS,
                         "items": old, "undated": undated},
        "disagreements": disagreements(hs + ds),
    }  # fmt: skip


# --- the random fact sample ---------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    product_id: str
    kind: str  # "headphone" or "source"
    field: str
    value: object
    group: str  # the source group that covers this field
    sources: tuple[Source, ...]


def _dump(v):
    return v.model_dump(mode="json", exclude_none=True) if hasattr(v, "model_dump") else v


def _headphone_fields(h: Headphone) -> list[tuple[str, object, str]]:
    c, b = h.connections, h.battery
    rows: list[tuple[str, object, str]] = [
        ("price", _dump(h.price), "price"),
        ("year", h.year, "price"),
        ("status", None if h.status == "unknown" else h.status, "price"),
        ("driver.type", h.driver.type, "specs"),
        ("driver.size_mm", h.driver.size_mm, "specs"),
        ("impedance_ohm", h.impedance_ohm, "specs"),
        ("sensitivity", _dump(h.sensitivity), "specs"),
        ("weight_g", h.weight_g, "specs"),
        ("freq_range_hz", list(h.freq_range_hz) if h.freq_range_hz else None, "specs"),
        ("thd_pct", h.thd_pct, "specs"),
        ("connections.wired", list(c.wired) or None, "connectivity"),
        ("connections.bluetooth", _dump(c.bluetooth), "connectivity"),
        ("connections.dongle", _dump(c.dongle), "connectivity"),
        ("anc", h.anc, "connectivity"),
        ("battery.claimed_h", b.claimed_h if b else None, "connectivity"),
        ("mic.type", h.mic.type if h.mic else None, "mic"),
        ("isolation", h.isolation, "comfort"),
        ("comfort", _dump(h.comfort), "comfort"),
        ("signature", h.signature.label if h.signature else None, "sound"),
        ("sensitivity_measured", _dump(h.sensitivity_measured), "measured"),
        ("battery.measured_h", b.measured_h if b else None, "measured"),
    ]
    rows += [(f"platforms.{p}", v, "connectivity") for p, v in sorted(h.platforms.items())]
    return rows


def _device_fields(d: SourceDevice) -> list[tuple[str, object, str]]:
    rows: list[tuple[str, object, str]] = [
        ("price", _dump(d.price), "price"),
        ("year", d.year, "price"),
        ("status", None if d.status == "unknown" else d.status, "price"),
        ("dac", d.dac, "specs"),
    ]
    for i, o in enumerate(d.outputs):
        rows.append((f"outputs[{i}].ratings", [_dump(r) for r in o.ratings] or None, "specs"))
        rows.append((f"outputs[{i}].zout_ohm", o.zout_ohm, "specs"))
    return rows


def facts(headphones: Iterable[Headphone], devices: Iterable[SourceDevice]) -> list[Fact]:
    """Every known fact of the catalog, in a stable order (by product id, then field)."""
    out = []
    items = [("headphone", h, _headphone_fields(h)) for h in headphones]
    items += [("source", d, _device_fields(d)) for d in devices]
    for kind, p, rows in sorted(items, key=lambda x: x[1].id):
        for name, value, group in rows:
            if value is None:
                continue
            covering = tuple(s for s in p.sources if group in s.covers)
            out.append(Fact(p.id, kind, name, value, group, covering))
    return out


def sample(population: list[Fact], seed: int, n: int) -> list[Fact]:
    """``n`` facts drawn without replacement with ``random.Random(seed)``: the same catalog and
    seed always give the same draw (in the population's order, so reruns line up)."""
    n = max(0, min(n, len(population)))
    picked = sorted(random.Random(seed).sample(range(len(population)), n))
    return [population[i] for i in picked]
