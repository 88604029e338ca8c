"""The hard needs (docs/engine.md section 2): each a description and the mask of products that
pass, in the order they are applied, with the mask of those a filter left out only because the
fact it needs is unknown (counted and said, never a "no")."""

from __future__ import annotations

from typing import get_args

import numpy as np

from earwise.advice import criteria as C
from earwise.advice.matrix import BACKS, FORMS, ProductMatrix, build_matrix
from earwise.advice.weights import load_weights
from earwise.catalog.schema import PLATFORMS
from earwise.catalog.schema import DriverType as _DriverType
from earwise.catalog.store import normalise_name

# "does not leak": closed over-ears, in-ears; not open or semi-open
LEAK_LIMIT_NO_LEAK = load_weights().value("engine.no_leak_max")
NAMED_WHEN_FEW = load_weights().value("engine.unknown_status_named_up_to")
CHECKED_UP_TO = load_weights().value("engine.unknown_status_checked_up_to")


def hard_filters(ctx: C.Context, m: ProductMatrix) -> list[tuple[str, np.ndarray]]:
    """(constraint description, mask of products that pass) in the order they are applied."""
    return [(what, ok) for what, ok, _ in hard_filters_with_unknowns(ctx, m)]


def hard_filters_with_unknowns(
    ctx: C.Context, m: ProductMatrix
) -> list[tuple[str, np.ndarray, np.ndarray | None]]:
    """As :func:`hard_filters`, with the mask of products a filter left out only because the fact
    it needs is unknown (never counted as a "no")."""
    p = ctx.profile
    out: list[tuple[str, np.ndarray, np.ndarray | None]] = [("currently sold", m.on_sale, None)]
    # A pick one cannot price cannot be weighed against a budget or bought with confidence: such
    # products are left out and counted (never silently): "N left out because no price is known".
    priced = np.isfinite(m.price)
    out.append(("a known price", priced, ~priced))
    if p.owned:
        out.append(("not already owned", ~np.isin(m.ids, p.owned), None))
    if p.brands:
        keys = [normalise_name(b) for b in p.brands]
        out.append((f"made by {' or '.join(p.brands)}", np.isin(m.brand, keys), None))
    if p.forms:
        forms = np.isin(m.form, [FORMS.index(f) for f in p.forms])
        out.append((f"form {'/'.join(p.forms)}", forms, None))
    if p.back:
        ok = m.back == BACKS.index(p.back)
        if not p.forms:  # "open-back"/"closed-back" describe ear cups: in-ears are not meant
            ok &= np.isin(m.form, [FORMS.index("over-ear"), FORMS.index("on-ear")])
        out.append((f"{p.back}-back headphones" if not p.forms else f"{p.back} back", ok, None))
    wireless = p.wireless
    if wireless is None and p.budget_includes_amp:
        wireless = False  # a budget that includes a DAC/amp is for headphones that plug into it
    if wireless is not None:
        ok = m.wireless_known & (m.wireless == wireless)
        out.append(("wireless" if wireless else "wired", ok, ~m.wireless_known))
    if p.true_wireless is not None:  # a neckband, or "I hate true wireless": buds on a band
        ok = m.true_wireless == p.true_wireless
        out.append(("true wireless" if p.true_wireless else "not true wireless", ok, None))
    if p.driver:
        out.append((f"{p.driver} drivers", m.driver == p.driver, m.driver == ""))
    if p.anc:
        out.append(("active noise cancelling", m.anc == 1, np.isnan(m.anc)))
    if p.mic or any(u.needs_mic for u in ctx.uses):  # calls cannot do without one
        out.append(("a microphone", m.mic_known & (m.mic_type > 0), ~m.mic_known))
    plat = m.plat_wireless if p.wireless else m.plat
    for name in p.platforms:
        how = " wirelessly" if p.wireless else ""
        out.append((f"works with {name}{how}", plat[:, PLATFORMS.index(name)], None))
    if p.budget_min_usd is not None:
        out.append((f"costs at least ${p.budget_min_usd:g}", m.price >= p.budget_min_usd, None))
    if p.no_leak:
        out.append(("does not leak", m.leak <= LEAK_LIMIT_NO_LEAK, None))
    if p.volume_limited:
        ok = np.isfinite(m.vol_limit) & (m.vol_limit <= C.SAFE_LEVEL_DB)
        out.append((f"volume limited to {C.SAFE_LEVEL_DB:g} dB", ok, ~np.isfinite(m.vol_limit)))
    if p.max_weight_g:
        known = np.isfinite(m.weight)  # an unknown weight is no pass: left out and counted
        out.append((f"at most {p.max_weight_g:g} g", known & (m.weight <= p.max_weight_g), ~known))
    if p.no_amp:
        ok = ~m.needs_drive | (C.headroom_db(ctx, m) >= 0)
        out.append(("driven by your source without an amp", ok & ~m.electrostatic, None))
    return out


DRIVER_TYPES = get_args(_DriverType)
UNKNOWN_WORDS = {
    "wireless": "whether it is wireless",
    "wired": "whether it is wireless",
    "active noise cancelling": "whether it has noise cancelling",
    **{f"{d} drivers": "its driver type" for d in DRIVER_TYPES},
    "a microphone": "whether it has a microphone",
    "a known price": "its price",
    f"volume limited to {C.SAFE_LEVEL_DB:g} dB": "whether it limits its volume",
}


def unknown_notes(ctx: C.Context, m: ProductMatrix) -> list[str]:
    """'N headphones left out because <fact> is unknown' for each tri-state filter applied,
    counted among the products that pass every other filter."""
    filters = hard_filters_with_unknowns(ctx, m)
    notes = []
    for i, (what, _, unknown) in enumerate(filters):
        if unknown is None:
            continue
        others = np.ones(len(m), dtype=bool)
        for j, (_, ok, _) in enumerate(filters):
            if j != i:
                others &= ok
        n = int((others & unknown).sum())
        if n and what == "a known price":
            notes.append(
                f"{n} headphone{'s' if n != 1 else ''} meeting your needs left out because the "
                "catalog has no price for them"
            )
        elif n:
            notes.append(
                f"{n} headphone{'s' if n != 1 else ''} left out because the catalog does not know "
                f"{UNKNOWN_WORDS.get(what, 'its weight' if what.endswith(' g') else what)} "
                f"('{what}' needs a yes)"
            )
    return notes


def status_unknown_note(view, ctx: C.Context) -> list[str]:
    """'N meeting your needs left out because the catalog does not know whether they are still
    sold (the X)': products whose status nobody has checked are never ranked as current, and
    never left out silently either (principle: unknown is unknown). A first count takes the
    budget, form, back and link from the store's columns; when it is a few (up to
    engine.unknown_status_checked_up_to), every hard need is checked and they are named.
    Makers asked for count in the first count too (the brand map needs no record)."""
    p = ctx.profile
    makers = {normalise_name(b) for b in p.brands}
    rows = [
        r for r in view.unsure()
        if (p.budget_usd is None or r[1] <= p.budget_usd)
        and (not makers or normalise_name(view.brand_of(r[0])) in makers)
        and (not p.forms or r[2] in p.forms)
        and (not p.back or r[3] == p.back)
        and (p.wireless is None or r[4] == int(p.wireless))
    ]  # fmt: skip
    if not rows:
        return []
    what = "within your budget" if p.budget_usd is not None else "of the form and link asked"
    if len(rows) > CHECKED_UP_TO:
        return [f"{len(rows)} headphones {what} left out because the catalog does not know "
                "whether they are still sold"]  # fmt: skip
    mu = build_matrix([view.headphones[r[0]] for r in rows], view.measured)
    ok = np.ones(len(mu), dtype=bool)
    for need, passes in hard_filters(ctx, mu):
        if need != "currently sold":
            ok &= passes
    n = int(ok.sum())
    if not n:
        return []
    names = [view.label(str(i)) for i in mu.ids[ok]][:NAMED_WHEN_FEW] if n <= NAMED_WHEN_FEW else []
    return [
        f"{n} headphone{'s' if n != 1 else ''} meeting your needs left out because the catalog "
        "does not know whether "
        + ("it is" if n == 1 else "they are")
        + " still sold"
        + (f" ({', '.join(names)})" if names else "")
    ]
