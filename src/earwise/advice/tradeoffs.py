"""How a ranked list is framed for the reader: the budget band ("spend less" options shown apart),
each pick's decisive criteria and what it trades against the next pick (issue 12)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from earwise.advice.weights import load_weights

if TYPE_CHECKING:
    from earwise.advice.engine import Recommendation
    from earwise.advice.profile import Profile

# Guides rank within a price band ("best under $350" picks things near $350, not a $25 pair):
# products well under the budget are shown apart as "spend less" options, not ranked above it.
BAND_LOW_SHARE = load_weights().value("value.band_low_share")
CHEAP_SHARE = load_weights().value("thrift.cheap_share")


def band_floor(profile: Profile) -> float:
    """The lowest price ranked for a budget: the stated minimum when there is one (a range said
    is the range meant: "$100-$300" ranks a $110 pick), else BAND_LOW_SHARE of the budget."""
    if profile.budget_min_usd is not None:
        return profile.budget_min_usd
    return BAND_LOW_SHARE * profile.budget_usd


def budget_band(
    profile: Profile, total_price: np.ndarray, top: int
) -> tuple[np.ndarray, np.ndarray]:
    """(rows ranked, rows shown apart as cheaper options). Without a budget, or when fewer than
    ``top`` products are in the band, everything is ranked."""
    every = np.ones(len(total_price), dtype=bool)
    if profile.budget_usd is None:
        return every, ~every
    in_band = total_price >= band_floor(profile)
    if in_band.sum() < top:
        return every, ~every
    return in_band, ~in_band


def thrift_band(
    profile: Profile, uses: list, total_price: np.ndarray, top: int
) -> tuple[np.ndarray, list[str]]:
    """(rows ranked, note): with no budget, a use that wants it cheap (``thrift`` in uses.yaml,
    children) ranks only the cheapest share of what fits, at most the price at that quantile of
    the candidates, and says so. With a budget, or too few priced rows, everything is ranked."""
    share = max([u.thrift for u in uses] + [CHEAP_SHARE * profile.cheap], default=0.0)
    every = np.ones(len(total_price), dtype=bool)
    known = np.isfinite(total_price)
    if profile.budget_usd is not None or not share or known.sum() < 2 * top:
        return every, []
    cap = float(np.quantile(total_price[known], share))
    cheap = known & (total_price <= cap)
    if cheap.sum() < top:
        return every, []
    label = " and ".join(u.label for u in uses if u.thrift)
    why = f"{label}, " if label else ""
    because = "they get dropped and lost" if label else "you asked for cheap ones"
    return cheap, [
        f"no budget given: {why}ranked among the cheapest {share:.0%} of what fits (up to "
        f"${cap:,.0f}; {because}); give a budget to rank more"
    ]


def spend_less_note(
    view, sub, total, total_price, cheaper: np.ndarray, profile, shown: int = 2
) -> list[str]:
    if not cheaper.any():
        return []
    idx = np.flatnonzero(cheaper)
    best = idx[np.argsort(-total[cheaper], kind="stable")][:shown]
    names = ", ".join(
        f"{view.label(str(sub.ids[j]))} (${total_price[j]:,.0f}, score {100 * total[j]:.0f})"
        for j in best
    )
    floor = band_floor(profile)
    return [
        f"ranked within your budget band (${floor:,.0f}-${profile.budget_usd:,.0f}); to spend "
        f"less, {int(cheaper.sum())} cheaper ones also fit, the best: {names}"
    ]


# Plain names of the criteria, as a newcomer reads them.
CRITERION_WORDS = {
    "music": "how well its sound suits your music",
    "sound_quality": "predicted sound quality (closeness to the sound most listeners prefer)",
    "place": "fit for where you will use it (leakage, isolation, portability)",
    "drive": "how easily your source drives it",
    "platform": "works with your devices",
    "comfort": "comfort",
    "mic": "microphone",
    "battery": "battery life",
    "value": "price within your budget",
}


CRITERION_SHORT = {
    "music": "music fit", "sound_quality": "sound quality", "place": "fit for the place",
    "drive": "ease of driving", "platform": "device support", "comfort": "comfort",
    "mic": "microphone", "battery": "battery", "value": "price",
}  # fmt: skip


def decisive(
    criteria: dict[str, float],
    w: dict[str, float],
    means: dict[str, float],
    moot: frozenset[str] = frozenset(),
) -> list[str]:
    """The 2-3 criteria where a pick beats the reference (``means``) most, weighted, in plain
    words; never one that does not apply to it (``moot``: a wired headphone's battery)."""
    lead = sorted(
        (
            (w[k] * (v - means.get(k, v)), k)
            for k, v in criteria.items()
            if w.get(k) and k not in moot
        ),
        reverse=True,
    )
    return [CRITERION_WORDS[k] for c, k in lead[:3] if c > 0.01]


def trade_off(
    a: dict[str, float],
    b: dict[str, float],
    w: dict[str, float],
    a_price: float | None,
    b_price: float | None,
    against: str,
    moot: frozenset[str] = frozenset(),
) -> str | None:
    """'Compared with #2: better on sound quality; weaker on comfort; $100 less': the criteria
    where ``a`` and ``b`` differ most (weighted) and the price difference; not one that applies
    to only one of them (``moot``: battery beside a wired headphone, driving beside a wireless)."""
    diffs = sorted(  # both known, both apply
        (w[k] * (a[k] - b[k]), k) for k in a if w.get(k) and k in b and k not in moot
    )
    better = [CRITERION_SHORT[k] for d, k in reversed(diffs) if d > 0.02][:2]
    worse = [CRITERION_SHORT[k] for d, k in diffs if d < -0.02][:2]
    bits = []
    if better:
        bits.append("better on " + " and ".join(better))
    if worse:
        bits.append("weaker on " + " and ".join(worse))
    if a_price is not None and b_price is not None:
        dp = a_price - b_price
        if abs(dp) >= 1:
            bits.append(f"${abs(dp):,.0f} {'more' if dp > 0 else 'less'}")
    return f"Compared with {against}: " + "; ".join(bits) if bits else None


def decisive_and_trade_offs(
    recs: list[Recommendation],
    w: dict[str, float],
    means: dict[str, float],
    name=None,
    moot=lambda r: frozenset(),
) -> None:
    """Name each pick's 2-3 decisive criteria (where it beats the average candidate most,
    weighted) and what it trades against the next pick (the criteria where they differ most,
    and the price). ``moot(r)``: the criteria that do not apply to a pick."""
    for i, r in enumerate(recs):
        r.decisive = decisive(r.criteria, w, means, moot(r))
        if i + 1 < len(recs):
            nxt = recs[i + 1]
            r.trade_off = trade_off(
                r.criteria, nxt.criteria, w, r.total_price_usd, nxt.total_price_usd,
                name(nxt) if name else f"#{nxt.rank}", moot(r) | moot(nxt),
            )  # fmt: skip
