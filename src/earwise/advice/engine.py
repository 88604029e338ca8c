"""The recommendation engine: hard filters, weighted soft criteria, reasons and warnings.

Steps, for one listener:
1. resolve the profile (genres, uses, the source's drive limits, the peak level needed);
2. hard filters remove what cannot work (budget, form, back, wired/wireless, ANC, mic,
   platforms, leakage, weight, drive when the listener wants no amp);
3. each soft criterion scores every remaining product in [0, 1]; the total is the
   weighted mean (weights from :func:`criteria.weights`);
4. the best ``top`` are ranked deterministically (score, then price, then id) and
   explained.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from earwise.acoustics.power import SourceLimits, peak_level
from earwise.advice import criteria as C
from earwise.advice.explain import explain, personal_target_note
from earwise.advice.filters import (  # noqa: F401 (the engine's hard needs, re-exported)
    LEAK_LIMIT_NO_LEAK,
    UNKNOWN_WORDS,
    hard_filters,
    hard_filters_with_unknowns,
    status_unknown_note,
    unknown_notes,
)
from earwise.advice.matrix import ProductMatrix, matrix_for, matrix_of
from earwise.advice.profile import Profile, ProfileError
from earwise.advice.tradeoffs import (
    budget_band,
    decisive_and_trade_offs,
    spend_less_note,
    thrift_band,
)
from earwise.advice.vocab import genres, uses
from earwise.advice.weights import load_weights
from earwise.catalog.devices import device_limits, is_energizer
from earwise.catalog.view import CatalogView, UnknownProductError
from earwise.core.errors import EarwiseError

# Without a stated source the advisor assumes a phone through Apple's USB-C adapter,
# the most common way people now plug in wired headphones (stated in every answer).
ASSUMED_SOURCE_ID = "apple-usb-c-to-3-5mm-adapter"
# When the assumed phone output publishes no voltage, use the 1 V phone output of The Master
# Switch's worked example (the seed guide), with the device's own output impedance if known.
# The numbers live in advice/data/weights.yaml (with units and sources).
ASSUMED_PHONE_VRMS = load_weights().value("engine.assumed_phone_vrms")
WEAK_BEST_SCORE = load_weights().value("explain.weak_best_score")  # said plainly under it
SHARE_FOR_CREST = load_weights().value("engine.crest_min_share")  # these genres set the headroom


class NoMatchError(EarwiseError):
    """Nothing satisfies the profile; the message names the constraint that emptied the list."""


@dataclass
class Recommendation:
    rank: int
    id: str
    score: float
    criteria: dict[str, float]
    reasons: list[str]
    warnings: list[str]
    amp_id: str | None = None
    total_price_usd: float | None = None
    decisive: list[str] = field(default_factory=list)  # the 2-3 criteria that put it here
    trade_off: str | None = None  # against the next pick, in plain words


@dataclass
class RecommendResult:
    profile: Profile
    context: C.Context
    recommendations: list[Recommendation]
    considered: int
    notes: list[str] = field(default_factory=list)
    used_market: list[dict] = field(default_factory=list)  # discontinued, apart (profile.used)


def assumed_source_limits(view: CatalogView, yours: bool = False) -> SourceLimits:
    """The source every answer assumes when none is given, and the one "my phone" names
    (``yours``): a phone (Apple's USB-C adapter's published figures when the catalog has them,
    else 1 Vrms with its output impedance)."""
    device = view.devices.get(ASSUMED_SOURCE_ID)
    base = device_limits(device) if device else None
    zout = device.outputs[0].zout_ohm if device and device.outputs[0].zout_ohm is not None else 0.0
    if base is None or not np.isfinite(base.v_open_vrms):
        base = SourceLimits(ASSUMED_PHONE_VRMS, zout, None)
    return SourceLimits(
        base.v_open_vrms,
        base.zout_ohm,
        base.max_current_ma,
        f"{'your' if yours else 'a'} phone (assumed {base.v_open_vrms:g} Vrms)",
    )


def make_context(view: CatalogView, profile: Profile) -> C.Context:
    """Resolve genres, uses and the listener's source into a scoring context."""
    all_genres, all_uses = genres(), uses()
    shares = {all_genres[g]: s for g, s in profile.genre_shares.items()}
    crest = max(g.crest_db for g, s in shares.items() if s >= SHARE_FOR_CREST - 1e-9)
    energizer, assumed = False, False
    if profile.source_vrms is not None:
        limits = SourceLimits(
            profile.source_vrms,
            profile.source_zout_ohm or 0.0,
            profile.source_max_ma,
            f"your source ({profile.source_vrms:g} Vrms, {profile.source_zout_ohm or 0:g} ohm)",
        )
    elif profile.source == ASSUMED_SOURCE_ID:  # "my phone": the phone every answer assumes
        limits = assumed_source_limits(view, yours=True)
    elif profile.source is not None:
        try:
            device = view.device(profile.source)
        except UnknownProductError as exc:
            raise ProfileError(str(exc)) from None
        energizer = is_energizer(device)
        limits = device_limits(device) or SourceLimits(np.nan, 0.0, None, device.model)
        limits = SourceLimits(
            limits.v_open_vrms,
            limits.zout_ohm,
            limits.max_current_ma,
            f"your {device.display_name}",
        )
    else:
        assumed = True
        limits = assumed_source_limits(view)
    ctx = C.Context(
        profile=profile,
        genres=shares,
        uses=[all_uses[u] for u in profile.uses],
        source=limits,
        source_label=limits.name,
        source_assumed=assumed,
        source_is_energizer=energizer,
        needed_peak_db=profile.level_db_spl + crest,
        crest_db=crest,
    )
    return replace(ctx, owned_fit=owned_fit(view, ctx)) if profile.owned else ctx


def owned_fit(view: CatalogView, ctx: C.Context) -> dict[str, float]:
    """Per genre, how well the listener's own (measured or reviewed) headphones already fit it."""
    m = matrix_for(view, ctx.profile.owned)  # owned headphones may be long discontinued
    rows = np.flatnonzero(m.sig_src > 0)
    if len(rows) == 0:
        return {}
    owned = m.take(rows)
    return {g.name: float(np.max(C.genre_fit(ctx, owned, g))) for g in ctx.genres}


def amp_for(
    view: CatalogView, ctx: C.Context, m: ProductMatrix, idx: np.ndarray, dac: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """For products ``idx`` the source cannot drive: the cheapest catalog amp that can (with
    ``dac``: the cheapest DAC/amp, for a budget that asked for one).

    Returns (index into :func:`planned_amps`, -1 when none; amp price). Amps are tried cheapest
    first, and only those on the price/drive Pareto front, so the cost stays small.
    """
    amps = amp_candidates(view, DAC_AMP_KINDS if dac else AMP_KINDS)
    offset = len(amp_candidates(view)) if dac else 0
    choice = np.full(len(idx), -1)
    price = np.full(len(idx), np.nan)
    todo = np.ones(len(idx), dtype=bool)
    for k, (_, limits, amp_price) in enumerate(amps):
        if not todo.any():
            break
        sub = idx[todo]
        reach = peak_level(limits, m.sens_v[sub], m.imp[sub])
        ok = reach >= ctx.needed_peak_db
        if dac:  # the DAC/amp asked for comes along even where its drive cannot be checked
            ok |= ~np.isfinite(reach) & ~m.electrostatic[sub]
        hit = np.flatnonzero(todo)[ok]
        choice[hit], price[hit] = offset + k, amp_price
        todo[hit] = False
    return choice, price


AMP_KINDS = ("portable-amp", "portable-dac-amp", "desktop-amp", "desktop-dac-amp", "phone-dongle")
DAC_AMP_KINDS = ("portable-dac-amp", "desktop-dac-amp", "phone-dongle")  # a USB DAC with an amp


def planned_amps(view: CatalogView) -> list[tuple[str, SourceLimits, float]]:
    """What :func:`amp_for` indexes: the amps, then the DAC/amps."""
    return amp_candidates(view) + amp_candidates(view, DAC_AMP_KINDS)


def amp_candidates(
    view: CatalogView, kinds: tuple[str, ...] = AMP_KINDS
) -> list[tuple[str, SourceLimits, float]]:
    """Current amps (of ``kinds``) with known price and ratings, cheapest first, Pareto-pruned."""
    found = []
    for d in view.devices.values():
        if d.category in kinds and not d.discontinued and d.price_usd:
            limits = device_limits(d)
            if limits is not None:
                found.append((d.id, limits, d.price_usd))
    found.sort(key=lambda a: (a[2], a[0]))
    front, best_v, best_i = [], 0.0, 0.0
    for a in found:
        v, i = a[1].v_open_vrms, a[1].max_current_ma or np.inf
        if v > best_v or i > best_i:
            front.append(a)
            best_v, best_i = max(best_v, v), max(best_i, i)
    return front


def eligible(view: CatalogView, ctx: C.Context) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Products passing the hard filters (budget aside): (indices, total price, amp choice).

    With ``budget_includes_amp`` a product the source cannot drive gets the cheapest
    catalog amp that can, and its price is added. Raises :class:`NoMatchError` naming
    the constraint that emptied the list.
    """
    m, profile = matrix_of(view), ctx.profile
    mask = np.ones(len(m), dtype=bool)
    for what, ok, unknown in hard_filters_with_unknowns(ctx, m):
        if not (mask & ok).any():
            unsure = status_unknown_note(view, ctx)  # "... whether they are still sold (X)"
            n = int((mask & unknown).sum()) if unknown is not None else 0
            if n:  # "at most 200 g": of those before it, 30 have no weight on record
                unsure.insert(
                    0, f"for {n} of those the catalog does not know it (unknown, not a no)"
                )
            raise NoMatchError(
                _empty_message(view, m, what, mask) + "".join(f"; {x}" for x in unsure)
            )
        mask &= ok
    if profile.budget_usd is not None:
        if not (mask & np.isfinite(m.price)).any():
            raise NoMatchError(
                f"none of the {int(mask.sum())} products meeting your constraints has a known "
                "price, so none can be checked against the budget"
            )
        mask &= np.isfinite(m.price)
    idx = np.flatnonzero(mask)
    total_price = m.price[idx].copy()
    amp_choice = np.full(len(idx), -1)
    if profile.budget_includes_amp:
        sub = m.take(idx)
        short_idx = np.flatnonzero(sub.needs_drive & (C.headroom_db(ctx, sub) < 0))
        choice, amp_price = amp_for(view, ctx, m, idx[short_idx])
        amp_choice[short_idx] = choice
        total_price[short_idx] += np.where(choice >= 0, amp_price, 0.0)
        if profile.wireless is not True:  # the DAC/amp asked for, even where none is needed
            rest = np.flatnonzero(amp_choice < 0)
            choice, amp_price = amp_for(view, ctx, m, idx[rest], dac=True)
            amp_choice[rest] = choice
            total_price[rest] += np.where(choice >= 0, amp_price, 0.0)
    return idx, total_price, amp_choice


def score(
    ctx: C.Context, sub: ProductMatrix, total_price: np.ndarray, amp_choice: np.ndarray
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Every criterion's scores and the weighted total (0-1) for the rows of ``sub``."""
    scores = {
        "music": C.music(ctx, sub),
        "sound_quality": C.sound_quality(ctx, sub),
        "place": C.place(ctx, sub),
        "drive": np.where(amp_choice >= 0, 1.0, C.drive(ctx, sub)),
        "platform": C.platform(ctx, sub),
        "comfort": C.comfort(ctx, sub),
        "mic": C.mic(ctx, sub),
        "battery": C.battery(ctx, sub),
        "value": C.value(ctx, sub, total_price),
    }
    w = C.weights(ctx)
    # a criterion nobody can score for a row (the value of a product with no known price, named
    # in a comparison) counts for neither side: the row's total is over the criteria it has
    known = {k: np.isfinite(scores[k]) for k in C.CRITERIA}
    weighed = sum(np.where(known[k], w[k] * np.nan_to_num(scores[k]), 0.0) for k in C.CRITERIA)
    total = weighed / sum(np.where(known[k], w[k], 0.0) for k in C.CRITERIA)
    return scores, total * C.place_gate(ctx, sub)


def _recommendation(
    view, ctx, sub, j: int, rank: int, scores, total, w, amp_id, price
) -> Recommendation:
    """One ranked product with its criteria, reasons and warnings."""
    crit = {k: round(float(scores[k][j]), 3) for k in C.CRITERIA
            if w[k] > 0 and np.isfinite(scores[k][j])}  # fmt: skip
    reasons, warnings = explain(view, ctx, sub, j, crit, amp_id)
    return Recommendation(
        rank,
        str(sub.ids[j]),
        round(float(total[j]) * 100, 1),
        crit,
        reasons,
        warnings,
        amp_id,
        price,
    )


def top_order(total: np.ndarray, price: np.ndarray, ids: np.ndarray, top: int) -> np.ndarray:
    """Indices of the ``top`` best: score (to 1e-6) descending, then price, then id.

    Only the candidates tied with or above the ``top``-th score are fully sorted, so the
    cost stays linear in the catalog size.
    """
    key = -np.round(total, 6)
    cand = np.arange(len(key))
    if len(key) > top:
        kth = np.partition(key, top - 1)[top - 1]
        cand = np.flatnonzero(key <= kth)
    price_key = np.nan_to_num(price[cand], nan=np.inf)
    return cand[np.lexsort((ids[cand].astype(str), price_key, key[cand]))][:top]


def fit_facts_note(profile: Profile, sub: ProductMatrix, order: np.ndarray) -> list[str]:
    """Glasses or head size asked about, and none of the picks has the fact on record: said,
    so an unchanged ranking is not read as "they all fit" (unknown, not a yes)."""
    out = []
    if profile.glasses and len(order) and not np.isfinite(sub.glasses[order]).any():
        out.append("glasses: none of these picks has a record of how it sits with glasses (clamp, "
                   "pad depth); check the clamp in reviews or in a shop")  # fmt: skip
    if profile.head_size and len(order) and not np.isfinite(sub.clamp[order]).any():
        out.append(f"a {profile.head_size} head: none of these picks has its clamp or headband "
                   "range on record; try them on or check reviews")  # fmt: skip
    return out


def moot_criteria(view: CatalogView, pid: str) -> frozenset[str]:
    """Criteria that do not apply to a product: a wired headphone has no battery, a wireless one
    is not driven by your source (its own amplifier is)."""
    wireless = view.headphones[pid].wireless
    return frozenset({"battery"} if wireless is False else {"drive"} if wireless else set())


def recommend(view: CatalogView, profile: Profile, top: int = 5) -> RecommendResult:
    """Rank the catalog for ``profile``; raise :class:`NoMatchError` when nothing fits."""
    ctx = make_context(view, profile)
    m = matrix_of(view)
    idx, total_price, amp_choice = eligible(view, ctx)
    if profile.budget_usd is not None:
        fits = total_price <= profile.budget_usd
        if not fits.any():
            raise NoMatchError(_budget_message(view, profile, m, idx, total_price))
        idx, total_price, amp_choice = idx[fits], total_price[fits], amp_choice[fits]
    sub = m.take(idx)
    scores, total = score(ctx, sub, total_price, amp_choice)
    w = C.weights(ctx)
    rank_mask, cheaper = budget_band(profile, total_price, top)
    thrifty, thrift_note = thrift_band(profile, ctx.uses, total_price, top)
    rank_mask &= thrifty
    order = top_order(np.where(rank_mask, total, -np.inf), total_price, sub.ids, top)
    order = order[rank_mask[order]]
    amps = planned_amps(view) if profile.budget_includes_amp else []
    recs = []
    for rank, j in enumerate(order, start=1):
        amp_id = amps[amp_choice[j]][0] if amp_choice[j] >= 0 else None
        price = None if np.isnan(total_price[j]) else float(total_price[j])
        recs.append(_recommendation(view, ctx, sub, int(j), rank, scores, total, w, amp_id, price))
    means = {k: float(np.mean(scores[k])) for k in C.CRITERIA if len(scores[k])}
    decisive_and_trade_offs(recs, w, means, moot=lambda r: moot_criteria(view, r.id))
    driven = bool(sub.needs_drive[order].any()) if len(order) else False
    notes = [f"source: {ctx.source_label}"] if ctx.source_assumed and driven else []
    if recs and recs[0].score < WEAK_BEST_SCORE:
        notes.append(
            f"nothing on sale with a known price fits this well: the best scores "
            f"{recs[0].score:.0f} of 100, and each pick lists what it lacks; a wider budget or "
            "fewer forms ruled out would give more to choose from"
        )
    notes += thrift_note + unknown_notes(ctx, m) + status_unknown_note(view, ctx)
    if recs and profile.budget_usd is None and not thrift_note:  # none can be held to a budget
        notes += unpriced_note(view, ctx, m, recs[-1].score / 100)
    notes += tv_link_note(view, ctx) + fit_facts_note(profile, sub, order)
    notes += spend_less_note(view, sub, total, total_price, cheaper, profile)
    bass, tilt = C.personal_target(ctx)
    if round(bass, 1) or round(tilt, 2):  # only when your music or leanings move the target
        notes.append(personal_target_note(bass, tilt))
    used = used_market(view, ctx) if profile.used else []
    return RecommendResult(profile, ctx, recs, int(len(idx)), notes, used)


def unpriced_note(view: CatalogView, ctx: C.Context, m, bar: float, shown: int = 3) -> list[str]:
    """The products left out only for want of a price that would rank among the picks on
    everything else (their value unscored): named, so the reader can price them, never left out
    silently (issue 12: unknown is unknown)."""
    mask, unpriced = np.ones(len(m), dtype=bool), None
    for what, ok, unknown in hard_filters_with_unknowns(ctx, m):
        if what == "a known price":
            unpriced = unknown
        else:
            mask &= ok
    idx = np.flatnonzero(mask & unpriced) if unpriced is not None else []
    if not len(idx):
        return []
    sub = m.take(idx)
    _, total = score(ctx, sub, np.full(len(idx), np.nan), np.full(len(idx), -1))
    best = [j for j in np.argsort(-total, kind="stable")[:shown] if total[j] >= bar]
    if not best:
        return []
    names = ", ".join(f"{view.label(str(sub.ids[j]))} ({100 * total[j]:.0f})" for j in best)
    return [
        "with no price on record, these would rank among the picks on everything else (score "
        f"with price left out): {names}; check their prices against your budget"
    ]


def tv_link_note(view: CatalogView, ctx: C.Context) -> list[str]:
    """For a TV (a use a USB dongle cannot serve): which link was counted, and whether the
    catalog holds any TV set (a headphone with its own transmitter base)."""
    if all(u.radio_link for u in ctx.uses):
        return []
    sets = sum("tv" in h.categories for h in view.headphones.values() if h.on_sale)
    held = (f"{sets} TV set{'s' if sets != 1 else ''} with a transmitter base on sale in the catalog"
            if sets else "no TV set with its own transmitter base in the catalog, so none is offered")  # fmt: skip
    return [
        "for a TV, a cable to its headphone jack or a set's own transmitter base is the "
        "low-latency link counted here (Bluetooth may lag behind the picture, and most TVs have no "
        f"socket for a gaming headset's USB dongle); {held}"
    ]


def used_market(view: CatalogView, ctx: C.Context, top: int = 3) -> list[dict]:
    """The best discontinued models (a known price, the same needs), shown apart from what is on
    sale: the listener asked for used ones. Prices are their last known ones, not used prices."""
    p = ctx.profile
    ids = [h.id for h in view.headphones.values() if h.status == "discontinued" and h.price]
    if not ids:
        return []
    m = matrix_for(view, ids)
    mask = np.ones(len(m), dtype=bool)
    for what, ok in hard_filters(ctx, m):
        if what != "currently sold":
            mask &= ok
    if p.budget_usd is not None:
        mask &= m.price <= p.budget_usd
    idx = np.flatnonzero(mask)
    if not len(idx):
        return []
    sub = m.take(idx)
    price = m.price[idx]
    _, total = score(ctx, sub, price, np.full(len(idx), -1))
    order = top_order(total, price, sub.ids, top)
    return [
        {"id": str(sub.ids[j]), "label": view.label(str(sub.ids[j])),
         "last_price_usd": float(price[j]), "score": round(float(total[j]) * 100, 1),
         "successor": view.headphones[str(sub.ids[j])].successor}
        for j in order
    ]  # fmt: skip


def _empty_message(view: CatalogView, m: ProductMatrix, what: str, mask: np.ndarray) -> str:
    """Which constraint emptied the list, and the nearest option without it."""
    msg = (
        f"no headphone satisfies '{what}' together with the constraints before it "
        f"({int(mask.sum())} products passed those)"
    )
    priced = np.flatnonzero(mask & np.isfinite(m.price))
    if len(priced):
        j = priced[np.argmin(m.price[priced])]
        msg += f"; without it, the cheapest option is the {view.label(str(m.ids[j]))} at ${m.price[j]:.0f}"
    return msg


def _budget_message(view, profile, m, idx, total_price) -> str:
    cheapest = np.nanargmin(total_price)
    pid = str(m.ids[idx[cheapest]])
    return (
        f"nothing fits a budget of ${profile.budget_usd:g}: the cheapest option meeting your "
        f"other constraints is the {view.label(pid)} at ${total_price[cheapest]:.0f}"
        + (" including an amp" if profile.budget_includes_amp else "")
    )


def rank_products(view: CatalogView, profile: Profile, ids: list[str]) -> list[Recommendation]:
    """Score named products for a profile, hard filters aside (for 'X or Y?' questions)."""
    ctx = make_context(view, profile)
    sub = matrix_for(view, ids)  # named products, on sale or not
    rows = np.arange(len(sub))
    if len(rows) == 0:
        return []
    scores, total = score(ctx, sub, sub.price, np.full(len(rows), -1))
    w = C.weights(ctx)
    order = top_order(total, sub.price, sub.ids, len(rows))
    out = []
    for rank, j in enumerate(order, start=1):
        price = None if np.isnan(sub.price[j]) else float(sub.price[j])
        out.append(_recommendation(view, ctx, sub, int(j), rank, scores, total, w, None, price))
    means = {k: float(np.nanmean(scores[k])) for k in C.CRITERIA if np.isfinite(scores[k]).any()}
    decisive_and_trade_offs(
        out, w, means, name=lambda r: f"the {view.label(r.id)}",
        moot=lambda r: moot_criteria(view, r.id),
    )  # fmt: skip
    return out
