"""Link measurement files to catalog products.

Names differ between the two ("HD 600" vs "Sennheiser HD600"), and measurement names carry
suffixes in parentheses. A measurement links to a product when, after dropping the suffixes
that name a unit or the stock mode ("(sample 2)", "(serial number 1234)", "(wireless)",
"(ANC on)", "(active)"), its normalised name equals the product's normalised brand + model or
one of its aliases that includes the brand. Other suffixes (pads, filters, mods, passive
mode) describe a different configuration and never link automatically; the curated
``measurements`` list of a product can still name them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from earwise.catalog.schema import Headphone
from earwise.catalog.store import normalise_name

STOCK_SUFFIX = re.compile(
    r"\s*\((?:sample [\w-]+|serial number [\w-]+|wireless|anc on|active|wireless, anc on|\d)\)\s*$",
    re.IGNORECASE,
)


def measurement_key(name: str) -> str:
    """Normalised name with stock-configuration suffixes removed (repeatedly)."""
    prev = None
    while prev != name:
        prev, name = name, STOCK_SUFFIX.sub("", name)
    return normalise_name(name)


def product_keys(h: Headphone) -> set[str]:
    brand = normalise_name(h.brand)
    keys = {normalise_name(f"{h.brand} {h.model}")}
    keys |= {normalise_name(a) for a in h.aliases if normalise_name(a).startswith(brand)}
    return keys


def link(
    headphones: Iterable[Headphone], refs: Iterable[str]
) -> tuple[dict[str, list[str]], list[str]]:
    """(product id -> linked refs: curated first, then automatic; unmatched refs)."""
    headphones = list(headphones)
    by_key: dict[str, str] = {}
    for h in headphones:
        for k in product_keys(h):
            by_key.setdefault(k, h.id)
    linked = {h.id: list(h.measurements) for h in headphones}
    taken = {r for h in headphones for r in h.measurements}
    unmatched = []
    for ref in sorted(refs):
        if ref in taken:
            continue
        pid = by_key.get(measurement_key(ref.split("/", 2)[2]))
        if pid:
            linked[pid].append(ref)
        else:
            unmatched.append(ref)
    return {k: v for k, v in linked.items() if v}, unmatched
