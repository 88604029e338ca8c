"""Soft criteria: each maps the product matrix to scores in [0, 1] for one listener.

Every function is vectorised over products. Weights depend on the profile
(:func:`weights`); sentences explaining a score live in :mod:`earwise.advice.explain`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from earwise.acoustics.power import SourceLimits, peak_level
from earwise.advice.matrix import FORMS, SIG_MEASURED, SIG_REVIEW, ProductMatrix
from earwise.advice.profile import Profile
from earwise.advice.vocab import Genre, Use, genres, uses

# Leanings, in dB added to each genre's ideal (Olive et al. 2022 listener segments: 15% of
# listeners prefer 4-6 dB more bass than the Harman target, 21% about 2 dB less).
MORE_BASS_DB = 4.0
LESS_BASS_DB = -2.0
TREBLE_SENSITIVE_DB = -1.5
WARM_SHIFT_DB = (2.0, -1.5)
BRIGHT_SHIFT_DB = (0.0, 2.0)
STAGE_BY_BACK = np.array([1.0, 0.2, 0.6])  # open, closed, semi-open: soundstage proxy
STAGE_WEIGHT = 0.2  # share of music fit given to soundstage
# Drive: headroom (dB) at which the score reaches 1 and 0.
HEADROOM_GOOD_DB, HEADROOM_BAD_DB = 3.0, -9.0
# Battery hours that fully satisfy a travel day: over-ears (per charge), true wireless (per charge).
BATTERY_FULL_H = 30.0
BATTERY_FULL_TWS_H = 8.0


@dataclass(frozen=True)
class Context:
    """A profile resolved against the vocabularies and the user's source."""

    profile: Profile
    genres: dict[Genre, float]
    uses: list[Use]
    source: SourceLimits
    source_label: str
    source_assumed: bool
    source_is_energizer: bool
    needed_peak_db: float
    crest_db: float
    owned_fit: dict[str, float] | None = None  # genre -> best fit among owned headphones


def genre_ideal(ctx: Context, g: Genre) -> tuple[float, float, float, float]:
    """(bass_db, treble_db, tolerance_db, open_pref) for a genre after the listener's leanings."""
    p = ctx.profile
    bass, treble, tol, open_pref = g.bass_db, g.treble_db, g.tolerance_db, g.open_pref
    if p.bass == "more":
        bass += MORE_BASS_DB
    elif p.bass == "less":
        bass += LESS_BASS_DB
    if p.treble_sensitive:
        treble += TREBLE_SENSITIVE_DB
    if p.tonality == "warm":
        bass, treble = bass + WARM_SHIFT_DB[0], treble + WARM_SHIFT_DB[1]
    elif p.tonality == "bright":
        bass, treble = bass + BRIGHT_SHIFT_DB[0], treble + BRIGHT_SHIFT_DB[1]
    elif p.tonality == "neutral":
        bass, treble, tol = bass / 2, treble / 2, tol * 0.8
    if any(u.neutral for u in ctx.uses):
        k = max(u.neutral for u in ctx.uses)
        bass, treble, tol = bass * (1 - k), treble * (1 - k), tol * (1 - 0.3 * k)
    if p.soundstage:
        open_pref = max(open_pref, 0.8)
    return bass, treble, tol, open_pref


def personal_target(ctx: Context) -> tuple[float, float]:
    """The listener's personal target as (bass shelf dB at 105 Hz, treble tilt dB/octave) over the
    rig's Harman target: the share-weighted ideal of their genres after leanings."""
    from earwise.acoustics.targets import treble_db_to_tilt

    shares = effective_shares(ctx)
    bass = sum(s * genre_ideal(ctx, g)[0] for g, s in shares.items())
    treble = sum(s * genre_ideal(ctx, g)[1] for g, s in shares.items())
    return round(float(bass), 1), round(treble_db_to_tilt(float(treble)), 2)


def genre_fit(ctx: Context, m: ProductMatrix, g: Genre) -> np.ndarray:
    """Fit of each product to one genre; ``nan`` where the sound is unknown."""
    bass, treble, tol, open_pref = genre_ideal(ctx, g)
    d2 = (m.bands[:, 0] - bass) ** 2 + (m.bands[:, 1] - treble) ** 2
    tonal = np.exp(-0.5 * d2 / tol**2)
    stage = 1 - open_pref * (1 - STAGE_BY_BACK[m.back])
    return tonal * (1 - STAGE_WEIGHT + STAGE_WEIGHT * stage)


def _fill_unknown(score: np.ndarray) -> np.ndarray:
    """Unknowns score the mean of the knowns (or 0.5): unmeasured is neither good nor bad."""
    known = np.isfinite(score)
    fill = float(score[known].mean()) if known.any() else 0.5
    return np.where(known, score, fill)


# Rule #3 with headphones already owned: a genre they already serve well counts this much of
# its share; a genre they serve badly counts in full.
OWNED_FLOOR = 0.25


def effective_shares(ctx: Context) -> dict[Genre, float]:
    """Genre shares, shifted towards the music the listener's own headphones serve poorly."""
    if not ctx.owned_fit:
        return ctx.genres
    raw = {
        g: s * (OWNED_FLOOR + (1 - OWNED_FLOOR) * (1 - ctx.owned_fit.get(g.name, 0.0)))
        for g, s in ctx.genres.items()
    }
    total = sum(raw.values())
    return {g: v / total for g, v in raw.items()} if total > 0 else ctx.genres


def music(ctx: Context, m: ProductMatrix) -> np.ndarray:
    """Genre-weighted fit. Measured products count in full; a review's label is coarse, so its
    fit is averaged with the mean measured fit; products with neither get that mean."""
    shares = effective_shares(ctx)
    fit = np.asarray(sum(share * genre_fit(ctx, m, g) for g, share in shares.items()), float)
    measured = m.sig_src == SIG_MEASURED
    fill = float(fit[measured].mean()) if measured.any() else 0.5
    fit = np.where(m.sig_src == SIG_REVIEW, 0.5 * fit + 0.5 * fill, fit)
    return np.where(np.isfinite(fit), fit, fill)


def sound_quality(ctx: Context, m: ProductMatrix) -> np.ndarray:
    """Harman predicted preference mapped 50 -> 0 and 95 -> 1 (unmeasured: the mean)."""
    return _fill_unknown(np.clip((m.pref - 50.0) / 45.0, 0, 1))


def place(ctx: Context, m: ProductMatrix) -> np.ndarray:
    portability = m.portability
    scores = []
    for u in ctx.uses or [uses()["home"]]:
        s_leak = np.clip(1 - (m.leak - u.max_leak) / 0.5, 0, 1)
        s_iso = 1 - np.clip(u.isolation - m.isolation, 0, 1)
        s_port = 1 - u.portable * (1 - portability)
        s_wire = 1 - u.wired * (~m.wired_ok)  # mixing wants a cable: no Bluetooth latency or codec
        scores.append((0.45 * s_leak + 0.35 * s_iso + 0.2 * s_port) * s_wire)
    return np.mean(scores, axis=0)


# Headfonia Rule #4: open backs "leak sound in and out ... you probably can't use them in a library
# or a plane ... [or] loud public places". A leak the place cannot tolerate is not a trade-off to
# average away, so it gates the total: at worst the total keeps PLACE_GATE_FLOOR of itself.
PLACE_GATE_FLOOR = 0.4


def place_gate(ctx: Context, m: ProductMatrix) -> np.ndarray:
    """Multiplier in [PLACE_GATE_FLOOR, 1] for the worst leak mismatch over the listener's places."""
    gate = np.ones(len(m))
    for u in ctx.uses:
        s_leak = np.clip(1 - (m.leak - u.max_leak) / 0.5, 0, 1)
        gate = np.minimum(gate, PLACE_GATE_FLOOR + (1 - PLACE_GATE_FLOOR) * s_leak)
    return gate


def headroom_db(ctx: Context, m: ProductMatrix) -> np.ndarray:
    """Peak level reachable from the listener's source minus the peak level needed (dB)."""
    return peak_level(ctx.source, m.sens_v, m.imp) - ctx.needed_peak_db


def drive(ctx: Context, m: ProductMatrix) -> np.ndarray:
    span = HEADROOM_GOOD_DB - HEADROOM_BAD_DB
    s = np.clip((headroom_db(ctx, m) - HEADROOM_BAD_DB) / span, 0, 1)
    s = np.where(np.isfinite(s), s, 0.5)  # sensitivity or source output unknown
    s = np.where(m.needs_drive, s, 1.0)
    return np.where(m.electrostatic, 1.0 if ctx.source_is_energizer else 0.0, s)


def platform(ctx: Context, m: ProductMatrix) -> np.ndarray:
    from earwise.catalog.schema import PLATFORMS

    cols = [PLATFORMS.index(p) for p in ctx.profile.platforms]
    if not cols:
        return np.ones(len(m))
    native = m.plat_native[:, cols].mean(axis=1)
    works = m.plat[:, cols].mean(axis=1)
    return 0.4 * works + 0.6 * native


def comfort(ctx: Context, m: ProductMatrix) -> np.ndarray:
    """The product's own comfort (weight, clamp: ``matrix.comfort_base``) adjusted for this listener."""
    p = ctx.profile
    s = m.comfort_base
    if p.glasses:
        s = s + np.where(np.isfinite(m.glasses), np.where(m.glasses > 0, 0.1, -0.3), 0)
    if p.head_size == "small":
        s = s - 0.1 * (m.form == FORMS.index("over-ear"))
    return np.clip(s, 0, 1) if (p.glasses or p.head_size) else s


def mic(ctx: Context, m: ProductMatrix) -> np.ndarray:
    return m.mic_score


def battery(ctx: Context, m: ProductMatrix) -> np.ndarray:
    full = np.where(m.true_wireless, BATTERY_FULL_TWS_H, BATTERY_FULL_H)
    s = np.clip(m.battery / full, 0, 1)
    s = np.where(np.isfinite(s), s, 0.5)
    return np.where(m.wireless, s, 1.0)


def value(ctx: Context, m: ProductMatrix, total_price: np.ndarray) -> np.ndarray:
    budget = ctx.profile.budget_usd
    if not budget:
        return np.full(len(m), 0.5)
    return np.clip(1 - total_price / budget, 0, 1)


CRITERIA = (
    "music",
    "sound_quality",
    "place",
    "drive",
    "platform",
    "comfort",
    "mic",
    "battery",
    "value",
)


def weights(ctx: Context) -> dict[str, float]:
    """How much each criterion counts for this listener (documented in docs/engine.md)."""
    p, us = ctx.profile, ctx.uses
    mic_need = max([u.mic for u in us], default=0.0) + (1.5 if p.mic else 0.0)
    return {
        "music": 3.0,
        "sound_quality": 2.5,
        "place": 2.0 if us else 1.0,
        "drive": 1.5,
        "platform": 1.0 if p.platforms else 0.0,
        "comfort": 1.0
        + (1.0 if p.long_sessions else 0.0)
        + max([u.comfort for u in us], default=0),
        "mic": min(mic_need, 2.0),
        "battery": max([u.battery for u in us], default=0.0) + (0.5 if p.wireless else 0.0),
        "value": 0.25 if p.budget_usd else 0.0,
    }


def genre_options() -> list[str]:
    return list(genres())
