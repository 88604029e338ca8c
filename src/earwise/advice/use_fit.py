"""Use and form sense (docs/engine.md "Use and form sense"): a form, back, link or build that does
not suit the use (earbuds for mixing, an over-ear for running, Bluetooth alone for gaming, a gaming
headset in the studio) is a reason a guide would never pick the product, so each factor scales
the total rather than averaging away. What the listener asked for explicitly is not penalised:
they chose it. Every factor comes from advice/data/uses.yaml and weights.yaml."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from earwise.advice.matrix import BACKS, FORMS, MIC_TYPES, ProductMatrix
from earwise.advice.vocab import uses
from earwise.advice.weights import load_weights
from earwise.catalog.platforms import CONSOLES

if TYPE_CHECKING:
    from earwise.advice.criteria import Context

W = load_weights()

LATENCY_FIT_BLUETOOTH = W.value("use.bluetooth_only_latency_fit")


def form_fit(ctx: Context, m: ProductMatrix) -> np.ndarray:
    """0..1: the worst fit of the product's form over the listener's uses (1 without uses). One
    form asked for is never penalised (they chose it); among several left ("I hate earbuds" leaves
    over- and on-ears) the use still ranks them, against the best of those allowed."""
    fit = np.ones(len(m))
    allowed = [FORMS.index(f) for f in ctx.profile.forms]
    if len(allowed) == 1:
        return fit
    for u in ctx.uses:
        if u.forms:
            table = np.array([u.forms.get(f, 1.0) for f in FORMS])
            if allowed:
                table = np.minimum(table / table[allowed].max(), 1.0)
            fit = np.minimum(fit, table[m.form])
    return fit


def latency_fit(ctx: Context, m: ProductMatrix) -> np.ndarray:
    """0..1: Bluetooth alone for a use that needs a low-latency link scores LATENCY_FIT_BLUETOOTH;
    for a use a USB dongle cannot serve (a TV: ``radio_link`` false) only a cable or the set's own
    transmitter base for the TV counts."""
    fit = np.ones(len(m))
    for need, link in [(float(ctx.profile.low_latency), m.low_latency)] + [
        (u.low_latency, m.low_latency if u.radio_link else m.wired_ok | m.tv_base) for u in ctx.uses
    ]:
        fit = np.minimum(fit, np.where(link, 1.0, 1 - need * (1 - LATENCY_FIT_BLUETOOTH)))
    return fit


def back_fit(ctx: Context, m: ProductMatrix) -> np.ndarray:
    """0..1: the worst fit of the product's back over the listener's uses (``backs`` in
    uses.yaml: open backs for mixing); a back the listener asked for is never penalised."""
    fit = np.ones(len(m))
    if ctx.profile.back:
        return fit
    for u in ctx.uses:
        if u.backs:
            table = np.array([u.backs.get(b, 1.0) for b in BACKS])
            fit = np.minimum(fit, table[m.back])
    return fit


SECURE_FIT_UNTAGGED = W.value("use.secure_fit_untagged_fit")


def sport_fit(ctx: Context, m: ProductMatrix) -> np.ndarray:
    """0..1: for sport (``sport_build`` in uses.yaml) or a secure fit asked for, a product not
    tagged as built for sport keeps the lowest of those factors (not known to stay put)."""
    keep = min(
        [u.sport_build for u in ctx.uses]
        + ([SECURE_FIT_UNTAGGED] if ctx.profile.secure_fit else []),
        default=1.0,
    )
    return np.where(m.sport, 1.0, keep)


def gaming_headset_fit(ctx: Context, m: ProductMatrix) -> np.ndarray:
    """0..1: a product tagged a gaming headset keeps ``gaming_headset`` of its total for a use
    that is not gaming (studio work), the lowest over the uses; with no use named, as at home
    (``uses.yaml`` home), unless the listener leans to gaming (a console, a microphone)."""
    if any(u.boom_mic for u in ctx.uses):
        return np.ones(len(m))  # gaming is one of the uses
    p = ctx.profile
    if not ctx.uses and (p.mic or CONSOLES & set(p.platforms)):
        return np.ones(len(m))
    keep = min(u.gaming_headset for u in ctx.uses or [uses()["home"]])
    return np.where(m.gaming, keep, 1.0)


WIRELESS_FIT_WIRED_USE = W.value("use.wireless_for_wired_use_fit")


def wired_fit(ctx: Context, m: ProductMatrix) -> np.ndarray:
    """0..1: a wireless design for a use that wants a cable (mixing, tracking), unless the
    listener asked for wireless."""
    need = max([u.wired for u in ctx.uses], default=0.0)
    if ctx.profile.wireless:
        return np.ones(len(m))
    return np.where(m.wireless, 1 - need * (1 - WIRELESS_FIT_WIRED_USE), 1.0)


def _has_or_expected(known: np.ndarray, has: np.ndarray, without: float) -> np.ndarray:
    """1 where the feature is known to be there, ``without`` where known absent; an unknown is
    expected to have it as often as the known candidates do (unknown is neither yes nor no)."""
    share = float(has[known].mean()) if known.any() else 0.5
    return np.where(known, np.where(has, 1.0, without), share + (1 - share) * without)


WIRED_FIT_CABLE_FREE_USE = W.value("use.wired_for_cable_free_use_fit")


def cable_fit(ctx: Context, m: ProductMatrix) -> np.ndarray:
    """0..1: a wired-only product for a use that wants no cable (sport: the cord snags); a
    product not known to be wireless or wired is expected to be as often wireless as the known
    candidates are. Asking for wired (or wireless) settles it: nothing to scale then."""
    need = max([u.cable_free for u in ctx.uses], default=0.0)
    if need == 0 or ctx.profile.wireless is not None:
        return np.ones(len(m))
    wired_only = 1 - need * (1 - WIRED_FIT_CABLE_FREE_USE)
    return _has_or_expected(m.wireless_known, m.wireless.astype(bool), wired_only)


NO_PHONE_LINK_FIT = W.value("use.no_phone_link_fit")


def phone_fit(ctx: Context, m: ProductMatrix) -> np.ndarray:
    """0..1: for a use that plays from a phone (``phone_link``: commute, gym, travel), a product
    known to work with neither iPhone nor Android keeps NO_PHONE_LINK_FIT at full need; unknown
    support is no "no". Platforms named settle it (their filter rules)."""
    need = max([u.phone_link for u in ctx.uses], default=0.0)
    if need == 0 or ctx.profile.platforms:
        return np.ones(len(m))
    return np.where(m.no_phone, 1 - need * (1 - NO_PHONE_LINK_FIT), 1.0)


NON_BOOM_MIC_FIT = W.value("use.non_boom_mic_fit")
BOOM_MIC_TYPES = [MIC_TYPES.index(t) for t in ("fixed-boom", "detachable-boom", "retractable-boom")]


def boom_fit(ctx: Context, m: ProductMatrix) -> np.ndarray:
    """0..1: a use that wants a boom mic (gaming) takes a little off products without one."""
    need = max([u.boom_mic for u in ctx.uses], default=0.0)
    boom = np.isin(m.mic_type, BOOM_MIC_TYPES)
    return np.where(boom, 1.0, 1 - need * (1 - NON_BOOM_MIC_FIT))


BOOM_ON_THE_GO_FIT = W.value("use.boom_headset_on_the_go_fit")
DETACHABLE_BOOM = MIC_TYPES.index("detachable-boom")


def desk_fit(ctx: Context, m: ProductMatrix) -> np.ndarray:
    """0..1: on the go (commute, gym, plane), a boom-mic gaming headset is the desk form: it
    keeps ``BOOM_ON_THE_GO_FIT`` at full portability need (half the cut for a detachable boom),
    unless a use asks for a boom mic."""
    if max([u.boom_mic for u in ctx.uses], default=0.0) > 0:
        return np.ones(len(m))
    need = max([u.portable for u in ctx.uses], default=0.0)
    cut = need * (1 - BOOM_ON_THE_GO_FIT)
    boom = np.isin(m.mic_type, BOOM_MIC_TYPES)
    half = m.mic_type == DETACHABLE_BOOM
    return np.where(boom, 1 - np.where(half, cut / 2, cut), 1.0)


NO_ANC_FIT = W.value("use.no_anc_fit")


def anc_fit(ctx: Context, m: ProductMatrix) -> np.ndarray:
    """0..1: a use that wants active noise cancelling (plane, travel, commute) takes off products
    without it, ``NO_ANC_FIT`` at full need; unknown ANC is expected to be as common as among the
    known candidates. Asking for ANC already filters; nothing to scale then."""
    need = max([u.anc for u in ctx.uses], default=0.0)
    if need == 0 or ctx.profile.anc:
        return np.ones(len(m))
    without = 1 - need * (1 - NO_ANC_FIT)
    return _has_or_expected(np.isfinite(m.anc), m.anc == 1, without)


SAFE_LEVEL_DB = W.value("use.kids_safe_level_db")
NO_LIMIT_FIT, UNKNOWN_LIMIT_FIT = (
    W.value("use.kids_no_limit_fit"),
    W.value("use.kids_unknown_limit_fit"),
)


def volume_fit(ctx: Context, m: ProductMatrix) -> np.ndarray:
    """0..1: for a child, a known limit at or under the safe level suits; a higher known limit
    less; no limit known, in between (unknown is not "no limit")."""
    need = max([u.volume_limit for u in ctx.uses], default=0.0)
    known = np.isfinite(m.vol_limit)
    safe = known & (m.vol_limit <= SAFE_LEVEL_DB)
    fit = np.where(safe, 1.0, np.where(known, NO_LIMIT_FIT, UNKNOWN_LIMIT_FIT))
    return 1 - need * (1 - fit)


def use_fit(ctx: Context, m: ProductMatrix) -> np.ndarray:
    return (form_fit(ctx, m) * latency_fit(ctx, m) * wired_fit(ctx, m) * cable_fit(ctx, m) * boom_fit(ctx, m)
            * volume_fit(ctx, m) * desk_fit(ctx, m) * anc_fit(ctx, m) * back_fit(ctx, m)
            * gaming_headset_fit(ctx, m) * sport_fit(ctx, m) * phone_fit(ctx, m))  # fmt: skip
