"""Rule #3, several headphones beat one: the best set of one to three within a total budget.

Headfonia's Rule #3: "it's better to own three $100 headphones than one $300 headphone",
because the right headphone-music pairing beats one expensive headphone on the wrong
music. A set is scored like a single headphone, except that each genre is covered by
the member that fits it best: ``music(set) = sum_g share_g * max_i fit(i, g)``; every
other criterion is weighted by the share of the music each member covers (you wear each
headphone for its music), and a member that is best for no genre is left out. One amp is added when any member needs one, the
cheapest that drives every member.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from earwise.acoustics.power import peak_level
from earwise.advice import criteria as C
from earwise.advice.engine import (
    NoMatchError,
    amp_candidates,
    eligible,
    make_context,
    score,
)
from earwise.advice.matrix import matrix_of
from earwise.advice.profile import Profile
from earwise.advice.tradeoffs import band_floor, decisive, trade_off
from earwise.advice.weights import load_weights
from earwise.catalog.view import CatalogView

# advice/data/weights.yaml (with sources): candidates kept per genre (ranked by fit plus
# POOL_TOTAL_SHARE of the overall score), plus the best overall.
POOL_PER_GENRE = load_weights().value("kit.pool_per_genre")
POOL_OVERALL = load_weights().value("kit.pool_overall")
POOL_TOTAL_SHARE = load_weights().value("kit.pool_total_share")
TIE_MARGIN = load_weights().value("kit.place_tie_margin")


@dataclass
class KitItem:
    id: str
    price_usd: float
    genres: list[str]
    fit: dict[str, float] = field(default_factory=dict)  # genre -> this member's fit, 0..1
    places: list[str] = field(default_factory=list)  # the places it serves best ("on the commute")


@dataclass
class Kit:
    items: list[KitItem]
    amp_id: str | None
    total_price_usd: float
    score: float
    coverage: dict[str, float]
    # the set's criteria, each as the engine scores one headphone (music: the best member per
    # genre; the rest: each member weighted by the share of the music it is worn for)
    criteria: dict[str, float] = field(default_factory=dict)
    decisive: list[str] = field(default_factory=list)  # where it beats the other answer most
    trade_off: str | None = None  # what it trades against the other answer


@dataclass
class KitResult:
    best: Kit
    single: Kit
    alternatives: list[Kit]


def _amp_for_set(view, ctx, m, members: tuple[int, ...], amps) -> tuple[int, float] | None:
    """(amp index, price) of the cheapest amp driving all members that need one; (-1, 0) if none need."""
    need = [i for i in members if m.needs_drive[i] and not m.electrostatic[i]]
    short = [i for i in need if C.headroom_db(ctx, m.take(np.array([i])))[0] < 0]
    if not short:
        return -1, 0.0
    sel = np.array(short)
    for k, (_, limits, price) in enumerate(amps):
        if np.all(peak_level(limits, m.sens_v[sel], m.imp[sel]) >= ctx.needed_peak_db):
            return k, price
    return None


def build_kit(view: CatalogView, profile: Profile, max_items: int = 3) -> KitResult:
    """Search sets of 1..max_items headphones (plus an amp) within the budget."""
    if profile.budget_usd is None:
        raise NoMatchError(
            "a kit needs a total budget: the most you will spend on headphones and any amp"
        )
    ctx = make_context(view, profile.model_copy(update={"budget_includes_amp": False}))
    idx, price, _ = eligible(view, ctx)
    keep = price <= profile.budget_usd
    idx, price = idx[keep], price[keep]
    if len(idx) == 0:
        raise NoMatchError(f"nothing fits a total budget of ${profile.budget_usd:g}")
    m = matrix_of(view).take(idx)
    scores, total = score(ctx, m, price, np.full(len(idx), -1))
    w = C.weights(ctx)
    genre_list = list(ctx.genres)
    fit = np.stack([C._fill_unknown(C.genre_fit(ctx, m, g)) for g in genre_list], axis=1)
    shares = np.array([ctx.genres[g] for g in genre_list])
    pool = set(np.argsort(-total, kind="stable")[:POOL_OVERALL].tolist())
    for k in range(len(genre_list)):
        value = fit[:, k] + POOL_TOTAL_SHARE * total
        pool |= set(np.argsort(-value, kind="stable")[:POOL_PER_GENRE].tolist())
    pool = sorted(pool, key=lambda i: (-total[i], m.ids[i]))
    gate = C.place_gate(ctx, m)
    by_use = _place_by_use(view, profile, ctx, m)  # (product, use) fit with its gate, or None
    amps = amp_candidates(view)
    others = [k for k in C.CRITERIA if k not in ("music", "value")]
    kits: list[Kit] = []
    for size in range(1, max_items + 1):
        for members in combinations(pool, size):
            cost = float(price[list(members)].sum())
            if cost > profile.budget_usd:
                continue
            amp = _amp_for_set(view, ctx, m, members, amps)
            if amp is None or cost + amp[1] > profile.budget_usd:
                continue
            best_of = fit[list(members)].argmax(axis=0)
            best_at = best_of[:0]
            if by_use is not None:  # a tie goes to the member worn for the music
                music_member = np.isin(np.arange(size), best_of)[:, None] * TIE_MARGIN
                best_at = (by_use[list(members)] + music_member).argmax(axis=0)
            if len(set(best_of.tolist()) | set(best_at.tolist())) < size:
                continue  # a member that is best for no genre and no place only adds cost
            cover = fit[list(members)].max(axis=0)
            music = float(shares @ cover)
            # each member is worn for the music it covers (and, with several places, where it
            # is the best): its criteria count by that share
            time = np.array([shares[best_of == n].sum() for n in range(size)])
            if by_use is not None:
                time = (time + np.array([np.mean(best_at == n) for n in range(size)])) / 2
            crit = {"music": music} | {k: float(time @ scores[k][list(members)]) for k in others}
            crit["value"] = max(0.0, 1 - (cost + amp[1]) / profile.budget_usd)
            if by_use is not None:  # each place served by the member that suits it best
                crit["place"] = float(by_use[list(members)].max(axis=0).mean())
            s = sum(w[k] * v for k, v in crit.items()) / sum(w.values())
            if by_use is None:
                s *= float(time @ gate[list(members)])
            items = [
                KitItem(
                    str(m.ids[i]),
                    float(price[i]),
                    [g.name for k, g in enumerate(genre_list) if members[best_of[k]] == i],
                    {g.name: round(float(fit[i, k]), 3) for k, g in enumerate(genre_list)},
                    [
                        u.label
                        for k, u in enumerate(ctx.uses)
                        if len(best_at) and members[best_at[k]] == i
                    ]
                    if by_use is not None
                    else [],
                )
                for i in members
            ]
            kits.append(
                Kit(
                    items,
                    amps[amp[0]][0] if amp[0] >= 0 else None,
                    cost + amp[1],
                    round(s * 100, 1),
                    {g.name: round(float(c), 3) for g, c in zip(genre_list, cover, strict=True)},
                    crit,
                )
            )
    if not kits:
        raise NoMatchError(f"no headphone and amp combination fits ${profile.budget_usd:g}")
    # as in recommendations, the budget band: kits well under the budget are not ranked above
    # those that use it (unless none does)
    in_band = [k for k in kits if k.total_price_usd >= band_floor(profile)]
    if in_band and any(len(k.items) == 1 for k in in_band):
        kits = in_band
    kits.sort(key=lambda k: (-k.score, k.total_price_usd, [i.id for i in k.items]))
    single = next(k for k in kits if len(k.items) == 1)
    best = kits[0]
    # the kit against the best single headphone (or, when a single headphone is best, against
    # the best set after it), in the terms recommendations use
    other = single if best is not single else next((k for k in kits[1:]), None)
    if other is not None:
        for a, b, name in ((best, other, _name(other, best)), (other, best, _name(best, other))):
            a.decisive = decisive(a.criteria, w, b.criteria)
            a.trade_off = trade_off(
                a.criteria, b.criteria, w, a.total_price_usd, b.total_price_usd, name
            )
    return KitResult(best, single, kits[1:4])


def _place_by_use(view, profile: Profile, ctx, m) -> np.ndarray | None:
    """With two or more places (commute and home), how each product suits each one alone: the
    place criterion times that place's gate (leak, form, link). A set then serves each place
    with its best member, as each genre is served by the member that fits it (Rule #3 by
    place: ANC earbuds for the commute and an open back at home beat one compromise). None with
    fewer than two places."""
    if len(ctx.uses) < 2:
        return None
    cols = []
    for u in profile.uses:
        one = make_context(
            view, profile.model_copy(update={"uses": [u], "budget_includes_amp": False})
        )
        cols.append(C.place(one, m) * C.place_gate(one, m))
    return np.stack(cols, axis=1)


def _name(k: Kit, other: Kit) -> str:
    """How the other answer is named in a trade-off sentence."""
    if len(k.items) == 1:
        return "the best single headphone" if len(other.items) > 1 else "the next single headphone"
    return f"the best set of {len(k.items)}"
