"""What the catalog holds by one maker: the computed answer to "Is Skullcandy a good brand?",
"Why is Audeze so expensive?" or "Are Sennheiser better than Sony?".

A maker is judged only by its models on record: how many, which forms, what they cost, and where
its measured models rank. A rank is each measurement's **rig percentile** (its place among the
measurements of the same rig and form, :mod:`earwise.advice.evidence`), so makers measured on
different rigs stay comparable; the middle of everything measured is 50% by definition. Build
quality, service and reliability are on no record here, and the answer says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from earwise.advice.evidence import evidence
from earwise.catalog.schema import Headphone
from earwise.catalog.view import CatalogView


@dataclass(frozen=True)
class MakerSummary:
    brand: str
    models: int  # headphones on record
    on_sale: int  # known to be sold now
    forms: dict[str, int]  # form factor -> models
    prices_usd: tuple[float, ...]  # list prices on record, sorted
    measured: tuple[tuple[str, float], ...]  # (label, mean rig percentile 0..1), best first
    measured_on_sale: tuple[str, ...]  # labels of measured models on sale, best first


def maker_summary(view: CatalogView, brand: str) -> MakerSummary:
    """Every headphone of ``brand`` in the catalog, summed up."""
    hs: list[Headphone] = [h for h in view.headphones.values() if h.brand == brand]
    forms: dict[str, int] = {}
    for h in hs:
        forms[h.form_factor] = forms.get(h.form_factor, 0) + 1
    scored = []
    for h in hs:
        ev = evidence(view.measured.get(h.id))
        if ev.pct is not None:
            scored.append((h, ev.pct))
    scored.sort(key=lambda x: -x[1])
    return MakerSummary(
        brand=brand,
        models=len(hs),
        on_sale=sum(h.on_sale for h in hs),
        forms=dict(sorted(forms.items(), key=lambda x: -x[1])),
        prices_usd=tuple(sorted(p for h in hs if (p := h.price_usd) is not None)),
        measured=tuple((h.display_name, pct) for h, pct in scored),
        measured_on_sale=tuple(h.display_name for h, _ in scored if h.on_sale),
    )


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def maker_lines(s: MakerSummary, best_shown: int) -> list[str]:
    """The summary in plain words, with the numbers behind it and what it does not know."""
    forms = ", ".join(f"{n} {form}" for form, n in s.forms.items())
    out = [
        f"The catalog holds {s.models} {s.brand} headphone{'s' if s.models != 1 else ''} "
        f"({forms}); {s.on_sale} known to be on sale now."
    ]
    if s.prices_usd:
        p = s.prices_usd
        out.append(
            f"Prices on record: ${p[0]:,.0f} to ${p[-1]:,.0f}, the middle one ${median(p):,.0f} "
            f"({len(p)} of {s.models} have a price)."
        )
    else:
        out.append("Prices: none on record (unknown).")
    if s.measured:
        mid = median(pct for _, pct in s.measured)
        where = "above" if mid > 0.55 else "below" if mid < 0.45 else "about at"
        out.append(
            f"Sound: {len(s.measured)} of {s.models} have a measured response. Their middle one "
            f"predicts a sound preference better than {_pct(mid)} of what the same rigs measured, "
            f"{where} the middle of everything measured (50%)."
        )
        if s.measured_on_sale:
            best = ", ".join(s.measured_on_sale[:best_shown])
            out.append(f"Its best measured models on sale: {best}.")
    else:
        out.append("Sound: none of its models has a measured response here (unknown).")
    out.append(
        "Not on record: build quality, reliability and service (a maker's reputation for them is "
        "not something the catalog has measured)."
    )
    return out
