"""Soft criteria: each maps the product matrix to scores in [0, 1] for one listener.

Every function is vectorised over products. Weights depend on the profile
(:func:`weights`); sentences explaining a score live in :mod:`earwise.advice.explain`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from earwise.acoustics.power import SourceLimits, level_for_volts, peak_level
from earwise.advice.matrix import (
    BACKS,
    CLAMP_PENALTY,
    FORMS,
    LEVEL3,
    SIG_MEASURED,
    SIG_REVIEW,
    UNKNOWN_COMFORT,
    ProductMatrix,
)
from earwise.advice.profile import Profile
from earwise.advice.use_fit import (  # noqa: F401 (re-exported: the engine and explanations use C.*)
    BOOM_ON_THE_GO_FIT,
    LATENCY_FIT_BLUETOOTH,
    NO_ANC_FIT,
    SAFE_LEVEL_DB,
    SECURE_FIT_UNTAGGED,
    WIRED_FIT_CABLE_FREE_USE,
    anc_fit,
    back_fit,
    boom_fit,
    cable_fit,
    desk_fit,
    form_fit,
    gaming_headset_fit,
    latency_fit,
    phone_fit,
    sport_fit,
    use_fit,
    volume_fit,
    wired_fit,
)
from earwise.advice.vocab import Genre, Use, genres, uses
from earwise.advice.weights import BANDS, load_weights

# Every number below comes from advice/data/weights.yaml (values, units and sources there and in
# docs/engine.md section 7).
W = load_weights()
# Leanings, in dB added to each genre's ideal (Olive et al. 2022 listener segments).
MORE_BASS_DB = W.value("leaning.more_bass_db")
MOST_BASS_DB = W.value("leaning.most_bass_db")
LESS_BASS_DB = W.value("leaning.less_bass_db")
TREBLE_SENSITIVE_DB = W.value("leaning.treble_sensitive_db")
WARM_SHIFT_DB = W.value("leaning.warm_shift_db")
BRIGHT_SHIFT_DB = W.value("leaning.bright_shift_db")
NEUTRAL_SCALE = W.value("leaning.neutral_scale")
NEUTRAL_TOLERANCE_SCALE = W.value("leaning.neutral_tolerance_scale")
NEUTRAL_USE_TOLERANCE_SHRINK = W.value("leaning.neutral_use_tolerance_shrink")
SOUNDSTAGE_OPEN_PREF = W.value("leaning.soundstage_open_pref")
STAGE_BY_BACK = np.array([W.value("music.stage_by_back")[b] for b in BACKS])  # soundstage proxy
STAGE_WEIGHT = W.value("music.stage_share")  # share of music fit given to soundstage
REVIEW_LABEL_SHARE = W.value("music.review_label_share")
# Seven-band music fit: each band's squared miss weighs this much (they sum to 2, as the two broad
# bands did, so tolerance_db keeps its meaning).
BAND_WEIGHTS = np.array([W.value("music.band_weights")[b] for b in BANDS])
SUB_BASS_FLOOR_EXTRA_DB = W.value("music.sub_bass_floor_extra_db")
BAND_LABELS = {
    "sub_bass": "sub-bass (20-60 Hz)", "bass": "bass (60-250 Hz)", "low_mids": "low mids (250-500 Hz)",
    "mids": "mids (500 Hz-2 kHz)", "presence": "presence (2-5 kHz)", "treble": "treble (5-10 kHz)",
    "air": "air (10-20 kHz)",
}  # fmt: skip
UNKNOWN_SCORE = W.value("score.unknown")  # nothing known: neither good nor bad
UNCERTAINTY_PENALTY = W.value("sound.uncertainty_penalty")  # no sound evidence at all
LEAK_SPAN = W.value("place.leak_span")
PLACE_MIX = W.value("place.mix")
PLATFORM_MIX = W.value("platform.mix")
# Drive: headroom (dB) at which the score reaches 1 and 0.
HEADROOM_GOOD_DB = W.value("drive.headroom_good_db")
HEADROOM_BAD_DB = W.value("drive.headroom_bad_db")
# Battery hours that fully satisfy a travel day: over-ears (per charge), true wireless (per charge).
BATTERY_FULL_H = W.value("battery.full_h")
BATTERY_FULL_TWS_H = W.value("battery.full_tws_h")
BATTERY_FULL_LONG_H = W.value("battery.full_long_h")
BATTERY_FULL_LONG_TWS_H = W.value("battery.full_long_tws_h")
GLASSES_BONUS = W.value("comfort.glasses_friendly_bonus")
GLASSES_PENALTY = W.value("comfort.glasses_unfriendly_penalty")
SMALL_HEAD_PENALTY = W.value("comfort.small_head_over_ear_penalty")
NO_BUDGET_VALUE = W.value("value.no_budget_score")
# The criteria's base weights and increments (weights() combines them with the profile).
CRITERION_WEIGHTS = {k.removeprefix("weight."): W.value(k) for k in W if k.startswith("weight.")}


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
    if p.bass == "more":  # up to the bass-loving listeners' 4-6 dB, not past it
        bass = max(bass, min(bass + MORE_BASS_DB, MOST_BASS_DB))
    elif p.bass == "less":
        bass += LESS_BASS_DB
    if p.treble_sensitive:
        treble += TREBLE_SENSITIVE_DB
    if p.tonality == "warm":
        bass, treble = bass + WARM_SHIFT_DB[0], treble + WARM_SHIFT_DB[1]
    elif p.tonality == "bright":
        bass, treble = bass + BRIGHT_SHIFT_DB[0], treble + BRIGHT_SHIFT_DB[1]
    elif p.tonality == "neutral":
        bass, treble = bass * NEUTRAL_SCALE, treble * NEUTRAL_SCALE
        tol = tol * NEUTRAL_TOLERANCE_SCALE
    if any(u.neutral for u in ctx.uses):
        k = max(u.neutral for u in ctx.uses)
        shrink = 1 - NEUTRAL_USE_TOLERANCE_SHRINK * k
        bass, treble, tol = bass * (1 - k), treble * (1 - k), tol * shrink
    if p.soundstage:
        open_pref = max(open_pref, SOUNDSTAGE_OPEN_PREF)
    return bass, treble, tol, open_pref


def personal_target(ctx: Context) -> tuple[float, float]:
    """The listener's personal target as (bass shelf dB at 105 Hz, treble tilt dB/octave) over the
    rig's Harman target: the share-weighted ideal of their genres after leanings."""
    from earwise.acoustics.targets import treble_db_to_tilt

    shares = effective_shares(ctx)
    bass = sum(s * genre_ideal(ctx, g)[0] for g, s in shares.items())
    treble = sum(s * genre_ideal(ctx, g)[1] for g, s in shares.items())
    return round(float(bass), 1), round(treble_db_to_tilt(float(treble)), 2)


def bass_floor(ctx: Context, g: Genre) -> float:
    """The lowest ideal bass for the genre after the listener's leanings (= the ideal bass when
    the genre has no range)."""
    if g.bass_floor_db is None:
        return genre_ideal(ctx, g)[0]
    return genre_ideal(ctx, replace(g, bass_db=g.bass_floor_db))[0]


def band_ideals(ctx: Context, g: Genre) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) ideal deviation from the Harman target per band (sub-bass .. air, dB) for a
    genre after the listener's leanings. Sub-bass and bass follow the genre's bass ideal (a range
    from its floor for genres with one; the sub-bass floor sits ``SUB_BASS_FLOOR_EXTRA_DB`` lower,
    since acoustic music has little energy under 60 Hz); presence, treble and air follow its
    treble ideal; the low mids and mids sit inside the 250 Hz-2 kHz reference, so 0."""
    bass, treble, _tol, _open = genre_ideal(ctx, g)
    floor = min(bass_floor(ctx, g), bass)
    sub_floor = floor + (SUB_BASS_FLOOR_EXTRA_DB if g.bass_floor_db is not None else 0.0)
    lo = np.array([sub_floor, floor, 0.0, 0.0, treble, treble, treble])
    hi = np.array([bass, bass, 0.0, 0.0, treble, treble, treble])
    return lo, hi


def band_misses(ctx: Context, bands7_db: np.ndarray, g: Genre) -> np.ndarray:
    """How far each band of each product (rows of ``bands7_db``) lies outside the genre's ideal
    range, in dB (+ above, - below, 0 inside); ``nan`` where the band is unknown."""
    lo, hi = band_ideals(ctx, g)
    x = np.atleast_2d(bands7_db)
    return x - np.clip(x, lo, hi)


def genre_fit(ctx: Context, m: ProductMatrix, g: Genre) -> np.ndarray:
    """Fit of each product to one genre; ``nan`` where the sound is unknown.

    A Gaussian of the weighted distance over seven bands (sub-bass, bass, low mids, mids,
    presence, treble, air; weights ``music.band_weights``) between the product's deviation from
    its rig's Harman target and the genre's ideal range (:func:`band_ideals`), with the genre's
    tolerance; then a soundstage share by back. The bass ideal is a range [floor, bass_db] for
    genres with a floor (Olive et al. 2022's "less bass" listener segment; acoustic music has
    little energy under 60 Hz): any bass inside it is ideal."""
    _bass, _treble, tol, open_pref = genre_ideal(ctx, g)
    d = band_misses(ctx, m.bands7, g)
    d2 = np.nansum(BAND_WEIGHTS * np.where(BAND_WEIGHTS > 0, d, 0.0) ** 2, axis=1)
    d2 = np.where(np.isfinite(m.bands7[:, 1]), d2, np.nan)  # no sound evidence at all
    tonal = np.exp(-0.5 * d2 / tol**2)
    stage = 1 - open_pref * (1 - STAGE_BY_BACK[m.back])
    return tonal * (1 - STAGE_WEIGHT + STAGE_WEIGHT * stage)


def _fill_unknown(score: np.ndarray, kinds=None, fallback: float = UNKNOWN_SCORE) -> np.ndarray:
    """Unknowns (nan) score the mean of the knowns of their kind (each mask in ``kinds``; all
    rows when None) less UNCERTAINTY_PENALTY, or ``fallback`` less it when none of the kind is
    known: an unmeasured product is expected to be typical, with a margin for not knowing --
    neither favoured over measured ones nor buried. Rows in no kind are left as they are."""
    out, unknown = score, ~np.isfinite(score)
    for kind in [np.ones(len(score), dtype=bool)] if kinds is None else kinds:
        known = kind & ~unknown
        fill = float(score[known].mean()) if known.any() else fallback
        out = np.where(kind & unknown, max(fill - UNCERTAINTY_PENALTY, 0.0), out)
    return out


# Rule #3 with headphones already owned: a genre they already serve well counts this much of
# its share; a genre they serve badly counts in full.
OWNED_FLOOR = W.value("owned.floor")


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
    fill = float(fit[measured].mean()) if measured.any() else UNKNOWN_SCORE
    r = REVIEW_LABEL_SHARE
    fit = np.where(m.sig_src == SIG_REVIEW, r * fit + (1 - r) * fill, fit)
    return np.where(np.isfinite(fit), fit, max(fill - UNCERTAINTY_PENALTY, 0.0))


def sound_quality(ctx: Context, m: ProductMatrix) -> np.ndarray:
    """The Harman predicted preference as a rig percentile (0..1: ranked only among measurements
    of the same rig and form, advice.evidence); unmeasured: the expected score less the
    uncertainty penalty."""
    return _fill_unknown(np.clip(m.pref, 0, 1))


def place(ctx: Context, m: ProductMatrix) -> np.ndarray:
    portability = m.portability
    scores = []
    for u in ctx.uses or [uses()["home"]]:
        s_leak = np.clip(1 - (m.leak - u.max_leak) / LEAK_SPAN, 0, 1)
        s_iso = 1 - np.clip(u.isolation - m.isolation, 0, 1)
        s_port = 1 - u.portable * (1 - portability)
        s_wire = 1 - u.wired * (~m.wired_ok)  # mixing wants a cable: no Bluetooth latency or codec
        mix = PLACE_MIX
        fit = mix["leak"] * s_leak + mix["isolation"] * s_iso + mix["portability"] * s_port
        scores.append(fit * s_wire)
    return np.mean(scores, axis=0)


# Headfonia Rule #4: open backs "leak sound in and out ... you probably can't use them in a library
# or a plane ... [or] loud public places". A leak the place cannot tolerate is not a trade-off to
# average away, so it gates the total: at worst the total keeps PLACE_GATE_FLOOR of itself.
PLACE_GATE_FLOOR = W.value("place.gate_floor")


def place_gate(ctx: Context, m: ProductMatrix) -> np.ndarray:
    """Multiplier in [PLACE_GATE_FLOOR, 1] for the worst leak mismatch over the listener's places,
    times the use gate (form and link, :func:`use_fit`)."""
    gate = np.ones(len(m))
    for u in ctx.uses:
        s_leak = np.clip(1 - (m.leak - u.max_leak) / LEAK_SPAN, 0, 1)
        gate = np.minimum(gate, PLACE_GATE_FLOOR + (1 - PLACE_GATE_FLOOR) * s_leak)
    return gate * use_fit(ctx, m)


def headroom_db(ctx: Context, m: ProductMatrix) -> np.ndarray:
    """Peak level reachable from the listener's source minus the peak level needed (dB). With the
    impedance unknown but the sensitivity per volt known: the source's open-circuit voltage (a
    load large next to its output impedance), as the drive answer does."""
    with_load = peak_level(ctx.source, m.sens_v, m.imp)
    open_circuit = level_for_volts(ctx.source.v_open_vrms, m.sens_v)
    return np.where(np.isfinite(m.imp), with_load, open_circuit) - ctx.needed_peak_db


def drive(ctx: Context, m: ProductMatrix) -> np.ndarray:
    """0..1 by peak headroom from the listener's source; a headphone whose sensitivity is not
    known scores the mean of the known among the candidates less the uncertainty margin (the
    midpoint when the source's output is unknown too)."""
    span = HEADROOM_GOOD_DB - HEADROOM_BAD_DB
    s = np.clip((headroom_db(ctx, m) - HEADROOM_BAD_DB) / span, 0, 1)
    s = np.where(m.needs_drive, _fill_unknown(np.where(m.needs_drive, s, np.nan)), 1.0)
    return np.where(m.electrostatic, 1.0 if ctx.source_is_energizer else 0.0, s)


def platform(ctx: Context, m: ProductMatrix) -> np.ndarray:
    from earwise.catalog.schema import PLATFORMS

    cols = [PLATFORMS.index(p) for p in ctx.profile.platforms]
    if not cols:
        return np.ones(len(m))
    native = m.plat_native[:, cols].mean(axis=1)
    works = m.plat[:, cols].mean(axis=1)
    return PLATFORM_MIX["works"] * works + PLATFORM_MIX["native"] * native


def _fill_unknown_weight(m: ProductMatrix) -> np.ndarray:
    """The static comfort, with an unknown weight scored as the mean of the known among the
    candidates of its kind (headband or in the ear) less the uncertainty margin, not a fixed
    value (issue 12: unknown neither favoured nor buried; a known clamp still counts)."""
    unknown = ~np.isfinite(m.weight)
    if not unknown.any():
        return m.comfort_base
    clamp = np.where(np.isfinite(m.clamp), (m.clamp - LEVEL3["medium"]) * CLAMP_PENALTY, 0)
    weight_part = np.where(unknown, np.nan, m.comfort_base + clamp)
    banded = np.isin(m.form, [FORMS.index("over-ear"), FORMS.index("on-ear")])
    filled = _fill_unknown(weight_part, (banded, ~banded), fallback=UNKNOWN_COMFORT)
    return np.clip(filled - clamp, 0, 1)


def comfort(ctx: Context, m: ProductMatrix) -> np.ndarray:
    """The product's own comfort (weight, clamp: ``matrix.comfort_base``) adjusted for this listener."""
    p = ctx.profile
    s = _fill_unknown_weight(m)
    if p.glasses:
        adjust = np.where(m.glasses > 0, GLASSES_BONUS, GLASSES_PENALTY)
        s = s + np.where(np.isfinite(m.glasses), adjust, 0)
    if p.head_size == "small":
        s = s + SMALL_HEAD_PENALTY * (m.form == FORMS.index("over-ear"))
    return np.clip(s, 0, 1) if (p.glasses or p.head_size) else s


def mic(ctx: Context, m: ProductMatrix) -> np.ndarray:
    """0..1: a reviewer's rating, else the microphone's kind (a boom beats one in the cup); an
    unknown microphone scores the mean of the known among the candidates less the uncertainty
    margin (neither favoured nor buried)."""
    return _fill_unknown(np.where(m.mic_known, m.mic_score, np.nan))


def battery(ctx: Context, m: ProductMatrix) -> np.ndarray:
    """0..1: hours per charge against a full day's use (against the longest in the catalog when
    the listener asks for long battery life); wired products need none; an unknown battery scores
    the mean of its kind (true wireless or not) less the uncertainty margin."""
    if ctx.profile.long_battery:
        full = np.where(m.true_wireless, BATTERY_FULL_LONG_TWS_H, BATTERY_FULL_LONG_H)
    else:
        full = np.where(m.true_wireless, BATTERY_FULL_TWS_H, BATTERY_FULL_H)
    s = np.clip(m.battery / full, 0, 1)
    # unknown: the mean of its kind's known hours less the uncertainty margin (issue 12: neither
    # favoured nor buried), as for sound; the midpoint less the margin when none of its kind is
    s = _fill_unknown(s, (m.wireless & m.true_wireless, m.wireless & ~m.true_wireless))
    return np.where(m.wireless, s, 1.0)


def value(ctx: Context, m: ProductMatrix, total_price: np.ndarray) -> np.ndarray:
    budget = ctx.profile.budget_usd
    if not budget:
        return np.full(len(m), NO_BUDGET_VALUE)
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
    w = CRITERION_WEIGHTS
    mic_need = max([u.mic for u in us], default=0.0) + (w["mic_requested"] if p.mic else 0.0)
    return {
        "music": w["music"],
        "sound_quality": w["sound_quality"]  # a leaning away from the Harman balance: half
        * (w["sound_quality_with_leaning"] if p.bass or p.tonality in ("warm", "bright") else 1.0),
        "place": w["place"] if us else w["place_no_use"],
        "drive": w["drive"],
        "platform": w["platform"] if p.platforms else 0.0,
        "comfort": w["comfort"]
        + (w["comfort_long_sessions"] if p.long_sessions else 0.0)
        + max([u.comfort for u in us], default=0),
        "mic": min(mic_need, w["mic_max"]),
        "battery": max([u.battery for u in us], default=0.0)
        + (w["battery_wireless"] if p.wireless else 0.0)
        + (w["battery_long"] if p.long_battery else 0.0),
        "value": w["value"] if p.budget_usd else 0.0,
    }


def genre_options() -> list[str]:
    return list(genres())
