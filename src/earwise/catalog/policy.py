"""The source-quality policy (docs/source-policy.md): how much a cited source counts, which
sites are not sources at all, and which of a product's facts rest only on weak ones.

Rank, best first: a manufacturer's spec page (5) > an independent measurement (4: Audio Science
Review, RTINGS, oratory1990, Headphone Test Lab, or any ``measurement`` source) > an established
review or press article (3) > a retailer's page or an unlinked seed citation (2) > a compilation
(``database`` or a site listed as ``compilation``, 1) > a content farm or machine-written page (0).

The weak sites live in ``data/weak_sources.yaml`` (domain or title pattern, kind, reason).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from earwise.catalog.schema import (
    GROUP_FIELDS,
    Bluetooth,
    Driver,
    Headphone,
    Source,
    SourceDevice,
)
from earwise.core.errors import EarwiseError
from earwise.core.yamlio import load_yaml

WEAK_FILE = Path(__file__).parent / "data" / "weak_sources.yaml"
WEAK_KINDS = ("content-farm", "machine-written", "compilation")
NOT_SOURCES = ("content-farm", "machine-written")  # never count as a source at all

MANUFACTURER, MEASUREMENT, REVIEW, RETAILER, COMPILATION, WEAK = 5, 4, 3, 2, 1, 0
KIND_RANK = {
    "manufacturer": MANUFACTURER,
    "measurement": MEASUREMENT,
    "review": REVIEW,
    "press": REVIEW,
    "retailer": RETAILER,
    "seed": RETAILER,  # a citation without a link: cannot be checked as it stands
    "database": COMPILATION,
    "derived": RETAILER,  # a rule over the product's own facts: any direct statement outranks it
}
# Independent measurement outlets: a "review" from one of them ranks as a measurement.
MEASUREMENT_DOMAINS = ("audiosciencereview.com", "rtings.com", "headphonetestlab.co.uk")
MEASUREMENT_TITLE = re.compile(
    r"\b(audio science review|rtings|oratory1990|headphone test lab)\b", re.I
)


@dataclass(frozen=True)
class WeakSite:
    """One entry of ``weak_sources.yaml``."""

    kind: str
    reason: str
    domain: str | None = None  # host (or parent domain), optionally with a path prefix
    title: str | None = None  # case-insensitive regular expression

    def matches(self, source: Source) -> bool:
        if self.domain and source.url and _domain_matches(self.domain, source.url):
            return True
        return bool(self.title and re.search(self.title, source.title, re.I))


def host_of(url: str) -> str:
    """The lowercase host of ``url`` without ``www.`` or a port ('' when there is none)."""
    parts = urlsplit(url.strip() if "//" in url else "//" + url.strip())
    host = (parts.hostname or "").rstrip(".").lower()
    return host.removeprefix("www.")


def _domain_matches(domain: str, url: str) -> bool:
    want_host, _, want_path = domain.lower().partition("/")
    host = host_of(url)
    if host != want_host and not host.endswith("." + want_host):
        return False
    if not want_path:
        return True
    path = urlsplit(url if "//" in url else "//" + url).path.lower().strip("/")
    return path == want_path.strip("/") or path.startswith(want_path.strip("/") + "/")


def parse_weak_sites(data: object, where: str = "weak_sources.yaml") -> tuple[WeakSite, ...]:
    """Validate the YAML document of weak sites; raises EarwiseError naming the bad entry."""
    if not isinstance(data, dict) or not isinstance(data.get("sites"), list):
        raise EarwiseError(f"{where}: expected a mapping with a 'sites' list", "weak_sources")
    out = []
    for i, e in enumerate(data["sites"]):
        if not isinstance(e, dict) or set(e) - {"domain", "title", "kind", "reason"}:
            raise EarwiseError(f"{where}: sites[{i}]: unknown or missing keys", "weak_sources")
        if e.get("kind") not in WEAK_KINDS:
            raise EarwiseError(
                f"{where}: sites[{i}]: kind must be one of {', '.join(WEAK_KINDS)}", "weak_sources"
            )
        if not e.get("domain") and not e.get("title"):
            raise EarwiseError(f"{where}: sites[{i}]: give a domain or a title", "weak_sources")
        if not str(e.get("reason") or "").strip():
            raise EarwiseError(f"{where}: sites[{i}]: give a reason", "weak_sources")
        if e.get("title"):
            try:
                re.compile(e["title"])
            except re.error as exc:
                msg = f"{where}: sites[{i}]: bad title pattern: {exc}"
                raise EarwiseError(msg, "weak_sources") from None
        out.append(
            WeakSite(
                kind=e["kind"],
                reason=str(e["reason"]).strip(),
                domain=str(e["domain"]).lower().removeprefix("www.") if e.get("domain") else None,
                title=e.get("title"),
            )
        )
    return tuple(out)


@cache
def weak_sites(path: Path = WEAK_FILE) -> tuple[WeakSite, ...]:
    """The weak-site list (read once per process per path)."""
    return parse_weak_sites(load_yaml(path.read_text(encoding="utf-8")), path.name)


def weak_match(source: Source, sites: Iterable[WeakSite] | None = None) -> WeakSite | None:
    """The first weak-site entry that ``source`` matches; content farms and machine-written
    entries win over compilations (a mirror of a compilation is still a mirror)."""
    hits = [s for s in (weak_sites() if sites is None else sites) if s.matches(source)]
    hits.sort(key=lambda s: WEAK_KINDS.index(s.kind))
    return hits[0] if hits else None


def weak_kind(source: Source, sites: Iterable[WeakSite] | None = None) -> str | None:
    """'content-farm', 'machine-written' or 'compilation' for a listed site; None otherwise.
    (A source whose own ``kind`` is ``database`` is a compilation by kind, not by site: see
    :func:`is_compilation`.)"""
    hit = weak_match(source, sites)
    return hit.kind if hit else None


def is_not_a_source(source: Source, sites: Iterable[WeakSite] | None = None) -> bool:
    """A content farm or a machine-written page: it counts for nothing."""
    return weak_kind(source, sites) in NOT_SOURCES


def is_compilation(source: Source, sites: Iterable[WeakSite] | None = None) -> bool:
    """A compilation: ``kind: database`` or a site listed as a compilation."""
    return source.kind == "database" or weak_kind(source, sites) == "compilation"


def rank(source: Source, sites: Iterable[WeakSite] | None = None) -> int:
    """How much a source counts, 0 (not a source) to 5 (the manufacturer); see module doc."""
    wk = weak_kind(source, sites)
    if wk in NOT_SOURCES:
        return WEAK
    if wk == "compilation":
        return COMPILATION
    base = KIND_RANK[source.kind]
    if source.kind == "review" and _measurement_outlet(source):
        return MEASUREMENT
    return base


def _measurement_outlet(source: Source) -> bool:
    if source.url:
        host = host_of(source.url)
        if any(host == d or host.endswith("." + d) for d in MEASUREMENT_DOMAINS):
            return True
    return bool(MEASUREMENT_TITLE.search(source.title))


def strong(source: Source, sites: Iterable[WeakSite] | None = None) -> bool:
    """Counts on its own: neither weak nor a compilation."""
    return not is_not_a_source(source, sites) and not is_compilation(source, sites)


def filled_groups(product: Headphone | SourceDevice) -> set[str]:
    """The fact groups for which ``product`` holds at least one value."""
    if isinstance(product, SourceDevice):
        out = set()
        if product.price is not None or product.year is not None:
            out.add("price")
        if (
            product.dac is not None
            or product.inputs
            or any(o.ratings or o.zout_ohm is not None or o.max_current_ma for o in product.outputs)
        ):
            out.add("specs")
        return out
    h = product
    c = h.connections
    checks = {
        "price": h.price is not None or h.year is not None,
        "specs": any(
            x is not None
            for x in (
                h.impedance_ohm,
                h.sensitivity,
                h.weight_g,
                h.freq_range_hz,
                h.thd_pct,
                h.driver.type,
                h.driver.size_mm,
            )
        ),  # fmt: skip
        "connectivity": bool(
            c.wired
            or c.dongle
            or c.bluetooth
            or c.xbox_wireless
            or c.playstation_link
            or h.platforms
            or h.battery
            or h.app
            or h.anc is not None
        ),  # fmt: skip
        "mic": h.mic is not None,
        "comfort": h.comfort is not None
        or h.isolation is not None
        or h.volume_limit_db is not None,
        "sound": h.signature is not None,
        "measured": h.sensitivity_measured is not None
        or bool(h.measurements)
        or (h.battery is not None and h.battery.measured_h is not None),
    }
    return {g for g, filled in checks.items() if filled}


def weak_only_facts(
    product: Headphone | SourceDevice, sites: Iterable[WeakSite] | None = None
) -> list[str]:
    """The filled fact groups whose every covering source is a content farm, machine-written
    or a compilation (a compilation is never the only source of a fact). Groups that no source
    covers at all are the schema's business (validation), not listed here."""
    sites = weak_sites() if sites is None else tuple(sites)
    filled = filled_groups(product)
    out = []
    for group in sorted({g for s in product.sources for g in s.covers}):
        if group not in filled:
            continue
        covering = [s for s in product.sources if group in s.covers]
        if not any(strong(s, sites) for s in covering):
            out.append(group)
    return out


def violations(
    products: Iterable[Headphone | SourceDevice], sites: Iterable[WeakSite] | None = None
) -> dict[str, list[str]]:
    """product id -> groups resting only on weak sources, for every product with any."""
    sites = weak_sites() if sites is None else tuple(sites)
    out = {}
    for p in products:
        groups = weak_only_facts(p, sites)
        if groups:
            out[p.id] = groups
    return out


# --- withholding what only weak sources back ---------------------------------------------------

_EMPTY = {"platforms": {}, "driver": Driver()}


def _filled(value) -> bool:
    return value is not None and value != {} and value != [] and value != Driver()


def weak_only_fields(product: Headphone, sites: Iterable[WeakSite] | None = None) -> list[str]:
    """Single fields that no strong source states, in groups that strong sources do back but
    only for other fields (each such source names its ``facts``): a review that states the
    ANC does not vouch for the battery figure a content farm gave."""
    sites = weak_sites() if sites is None else tuple(sites)
    out = []
    for group, fields in GROUP_FIELDS.items():
        covering = [s for s in product.sources if group in s.covers and strong(s, sites)]
        if not covering or any(not s.facts for s in covering):
            continue  # backed in full, or by nothing strong (withheld as a group)
        backed = {f for s in covering for f in s.facts}
        out += [f for f in fields if f not in backed and _filled(getattr(product, f, None))]
    return out


def withhold_weak(
    product: Headphone | SourceDevice, sites: Iterable[WeakSite] | None = None
) -> Headphone | SourceDevice:
    """The product with every fact group that rests only on weak sources emptied (shown as
    unknown) and, for a headphone, named in ``withheld``. A compilation may point to the primary
    page, but alone it never makes a fact; content farms never do (docs/source-policy.md)."""
    groups = weak_only_facts(product, sites)
    if isinstance(product, SourceDevice):
        return _withhold_device(product, groups)
    table = GROUP_FIELDS
    fields = [f for g in groups for f in table.get(g, ())]
    single = weak_only_fields(product, sites) if isinstance(product, Headphone) else []
    if not fields and not single:
        return product
    update: dict = {f: _EMPTY.get(f) for f in fields + single}
    if isinstance(product, Headphone):
        update["withheld"] = [g for g in groups if g in table] + single
        if "connectivity" in groups and product.connections.bluetooth is not None:
            # that it has Bluetooth is its shape; version, codecs and multipoint are claims
            c = product.connections.model_copy(update={"bluetooth": Bluetooth()})
            update["connections"] = c
    return product.model_copy(update=update)


def _withhold_device(d: SourceDevice, groups: list[str]) -> SourceDevice:
    """A source or amp with its weak-only price and output figures emptied (the outputs
    themselves -- which jacks it has -- stay)."""
    update: dict = {"withheld": [g for g in groups if g in ("price", "specs")]}
    if "price" in groups:
        update.update(price=None, year=None)
    if "specs" in groups:
        blank = {"ratings": [], "zout_ohm": None, "max_current_ma": None}
        update.update(dac=None, inputs=[], outputs=[o.model_copy(update=blank) for o in d.outputs])
    return d.model_copy(update=update) if update["withheld"] else d
