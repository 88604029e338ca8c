"""Best-of lists in the style of the gaming-headset seed, computed from catalog facts.

Each category is a listener profile (plus, for some, a sort key); the picks are the
engine's ranking for it, and each pick's pros and cons are derived from its data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from earwise.advice import criteria as C
from earwise.advice.engine import recommend
from earwise.advice.evidence import evidence
from earwise.advice.matrix import MIC_RATING_SCORE
from earwise.advice.profile import Profile, build_profile
from earwise.advice.tradeoffs import trade_off
from earwise.advice.weights import load_weights
from earwise.catalog.platforms import platform_support
from earwise.catalog.schema import Headphone
from earwise.catalog.view import CatalogView

# Thresholds for pros and cons and the category cut-offs: advice/data/weights.yaml (with sources).
_W = load_weights()
LONG_BATTERY_H = _W.value("best.long_battery_h")
HEAVY_G = _W.value("best.heavy_g")
LIGHT_G = _W.value("best.light_g")
PRO_PREFERENCE = _W.value("best.pro_preference")
CON_PREFERENCE = _W.value("best.con_preference")
RESORT_POOL = _W.value("best.resort_pool")  # re-sorted categories pick from this many
VALUE_BUDGET_USD = _W.value("best.value_budget_usd")
UNDER_DEFAULT_USD = _W.value("best.under_default_usd")


@dataclass(frozen=True)
class Category:
    name: str
    title: str
    profile: dict
    key: Callable[[CatalogView, Headphone, dict], float] | None = None  # higher is better; <0 drops


def _mic_key(view: CatalogView, h: Headphone, criteria: dict) -> float:
    if h.mic is None or h.mic.type == "none":
        return -1.0
    return MIC_RATING_SCORE[h.mic.quality.rating] if h.mic.quality else 0.0


def _comfort_key(view: CatalogView, h: Headphone, criteria: dict) -> float:
    """The comfort criterion, only where the weight is known (else there is nothing to rank on)."""
    return criteria.get("comfort", -1.0) if h.weight_g else -1.0


def _battery_key(view: CatalogView, h: Headphone, criteria: dict) -> float:
    b = h.battery
    return -1.0 if b is None else float(b.measured_h or b.claimed_h or -1)


CATEGORIES = {
    c.name: c
    for c in (
        Category("overall", "Best overall", {}),
        Category("value", "Best value", {"budget_usd": VALUE_BUDGET_USD}),
        Category("microphone", "Best microphone", {"mic": True, "uses": ["calls"]}, _mic_key),
        Category("battery", "Best battery", {"wireless": True, "long_battery": True}, _battery_key),
        # headband headphones: weight and clamp are what decide their comfort; an in-ear's is its
        # fit in one's own ears, which no record holds
        Category(
            "comfort",
            "Best comfort",
            {"long_sessions": True, "forms": ["over-ear", "on-ear"]},
            _comfort_key,
        ),  # fmt: skip
        Category("open-back", "Best open-back", {"back": "open"}),
        Category(
            "xbox-ps5",
            "Best for Xbox and PS5",
            {"platforms": ["xbox", "ps5"], "mic": True, "uses": ["gaming"]},  # a gaming headset
        ),
        Category("wired", "Best wired", {"wireless": False}),
        Category("anc", "Best noise cancelling", {"anc": True, "uses": ["travel"]}),
        Category("gaming", "Best gaming headset", {"mic": True, "uses": ["gaming"]}),
        Category("in-ear", "Best in-ear", {"forms": ["in-ear"]}),
        Category("under", "Best under a price", {}),
    )
}


def pros_cons(
    view: CatalogView, h: Headphone, consoles: bool = True
) -> tuple[list[str], list[str]]:
    """Pros and cons derived from the record (no hand-written copy); console support is a con
    only where consoles are the point (``consoles``: gaming and platform lists, the overall)."""
    pros, cons = [], []
    c = h.connections
    support = platform_support(h)
    works = [p for p, v in support.items() if isinstance(v, str)]
    if h.back == "open":
        pros.append("Open-back design")
        cons.append("Leaks sound; no isolation")
    if h.anc:
        pros.append("Active noise cancelling")
    b = h.battery
    if b and (b.measured_h or 0) >= LONG_BATTERY_H:
        pros.append(f"Battery: {b.measured_h:g} h measured ({b.measured_by})")
    elif b and (b.claimed_h or 0) >= LONG_BATTERY_H:
        pros.append(f"Battery: {b.claimed_h:g} h claimed")
    if h.mic and h.mic.quality and h.mic.quality.rating in ("very good", "excellent"):
        pros.append(f"Microphone rated {h.mic.quality.rating} ({h.mic.quality.by})")
    if len(works) == 8:
        pros.append("Works with every platform (PC, Mac, PS5, Xbox, Switch, phones, Steam Deck)")
    if c.bluetooth and c.bluetooth.codecs:
        pros.append(
            f"Bluetooth {c.bluetooth.version or ''} ({', '.join(c.bluetooth.codecs)})".replace(
                "  ", " "
            )
        )
    if h.weight_g and h.weight_g <= LIGHT_G and h.form_factor in ("over-ear", "on-ear"):
        pros.append(f"Light ({h.weight_g:g} g)")
    if h.weight_g and h.weight_g >= HEAVY_G:
        cons.append(f"Heavy ({h.weight_g:g} g)")
    ev = evidence(view.measured.get(h.id))
    if ev.pct is not None:
        rigs = ", ".join(r.split(" (")[0] for r in ev.rigs[:2])
        (pros if ev.pct >= PRO_PREFERENCE else cons if ev.pct < CON_PREFERENCE else []).append(
            f"Predicted sound preference better than {int(100 * ev.pct)}% of what the same rig "
            f"measured ({rigs})"
        )
    if h.wireless and c.bluetooth is None:
        cons.append("No Bluetooth")
    for console, label in (("xbox", "Xbox"), ("ps5", "PS5")) if consoles else ():
        if support[console] is False:
            cons.append(f"No {label} support")
        elif support[console] is None:
            cons.append(f"{label} support not confirmed")
    if h.wireless and "3.5mm" not in c.wired and h.form_factor in ("over-ear", "on-ear"):
        cons.append("No 3.5 mm connection listed")  # (earbuds never have one: not a con)
    if "gaming" in h.categories and h.mic is not None and h.mic.type == "none":
        cons.append("No microphone")
    if h.driver.type == "electrostatic":
        cons.append("Needs an electrostatic energizer")
    return pros, cons


def best_list(
    view: CatalogView,
    category: str,
    top: int = 3,
    under_usd: float | None = None,
    base: dict | None = None,
) -> dict:
    """The top picks of one category with scores, reasons, pros and cons."""
    cat = CATEGORIES[category]
    fields = dict(base or {}) | cat.profile
    if category == "under" or under_usd is not None:
        fields["budget_usd"] = under_usd or UNDER_DEFAULT_USD
    profile: Profile = build_profile(**fields)
    pool = recommend(view, profile, top=max(top, RESORT_POOL) if cat.key else top)
    recs = pool.recommendations
    if cat.key:

        def key(r) -> float:
            return cat.key(view, view.headphones[r.id], r.criteria)

        recs = sorted((r for r in recs if key(r) >= 0), key=lambda r: (-key(r), -r.score, r.id))
        recs = recs[:top]
    w = C.weights(pool.context)
    picks = []
    for rank, r in enumerate(recs, start=1):
        h = view.headphones[r.id]
        gaming = "gaming" in cat.profile.get("uses", []) or bool(cat.profile.get("platforms"))
        pros, cons = pros_cons(view, h, consoles=gaming or category == "overall")
        nxt = recs[rank] if rank < len(recs) else None  # the next pick in this list's order
        versus = None if nxt is None else trade_off(
            r.criteria, nxt.criteria, w, r.total_price_usd, nxt.total_price_usd, f"#{rank + 1}"
        )  # fmt: skip
        picks.append(
            {
                "rank": rank,
                "id": h.id,
                "brand": h.brand,
                "model": h.model,
                "price_usd": h.price_usd,
                "score": r.score,
                "pros": pros,
                "cons": cons,
                "reasons": r.reasons,
                "decisive": r.decisive,
                "trade_off": versus,
            }
        )
    title = cat.title + (f" (under ${fields['budget_usd']:g})" if "budget_usd" in fields else "")
    return {"category": category, "title": title, "picks": picks}


def category_names() -> list[str]:
    return list(CATEGORIES)
