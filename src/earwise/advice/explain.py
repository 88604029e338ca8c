"""Plain-language reasons and warnings for one recommended product, with the numbers behind them."""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from earwise.advice import criteria as C
from earwise.advice.drive import BIAS_OF_PLUG, energizers_for
from earwise.advice.evidence import evidence, rig_phrase, rig_scores
from earwise.advice.matrix import BACKS, SIG_MEASURED, SIG_REVIEW, ProductMatrix
from earwise.advice.vocab import Use
from earwise.advice.weights import load_weights
from earwise.catalog.platforms import CONSOLES, platform_support
from earwise.catalog.schema import Headphone
from earwise.catalog.view import CatalogView

# Thresholds for what is worth a sentence; values and sources in advice/data/weights.yaml.
_W = load_weights()
SAME_LEVEL_DB = _W.value("explain.same_level_db")  # below this, 'about as much'
GOOD, POOR = _W.value("explain.good_fit"), _W.value("explain.poor_fit")
MIN_SHARE = _W.value("explain.min_genre_share")  # genres below this share get no sentence
OWNED_GAIN = _W.value("explain.owned_gain")
HIGH_ISOLATION_USE = _W.value("explain.high_isolation_use")
ISOLATION_SHORTFALL = _W.value("explain.isolation_shortfall")
GOOD_PREFERENCE = _W.value("explain.good_preference")
POOR_PREFERENCE = _W.value("explain.poor_preference")
COMFORTABLE, UNCOMFORTABLE = _W.value("explain.comfortable"), _W.value("explain.uncomfortable")
BATTERY_OK = _W.value("explain.battery_ok")
EASY_DRIVE_DB = _W.value("explain.easy_drive_headroom_db")
BASE_COMFORT_WEIGHT = _W.value("weight.comfort")


def _more_less(db: float, band: str) -> str:
    """'3.1 dB more bass' / '1.2 dB less treble' / 'as much treble'."""
    if abs(db) < SAME_LEVEL_DB:
        return f"about as much {band}"
    return f"{abs(db):.1f} dB {'more' if db > 0 else 'less'} {band}"


def _sound_sentence(h: Headphone, view: CatalogView, m: ProductMatrix, j: int) -> str:
    bass, treble = m.bands[j]
    if m.sig_src[j] == SIG_MEASURED:
        d = view.measured[h.id]
        primary = next(x for x in d["all"] if x["measurement"] == d["primary"])
        srcs = list(dict.fromkeys(x["measurement"].split("/")[0] for x in d["all"]))
        src = srcs[0] if len(srcs) == 1 else f"{len(srcs)} rigs ({', '.join(srcs)}), averaged"
        return (
            f"{primary['signature']}, measured by {src}: {_more_less(bass, 'bass')} and "
            f"{_more_less(treble, 'treble')} compared with the Harman target (the balance most "
            "listeners prefer in Harman's research)"
        )
    return f"reviewed as {h.signature.label} ({h.signature.by})"


def _worst_band(ctx: C.Context, bands7_db: np.ndarray, g) -> str:
    """'; it misses most in the presence (2-5 kHz): 3.4 dB above what suits jazz' (the band
    that costs the fit most, of the seven), or '' when every band is inside the genre's range."""
    miss = C.band_misses(ctx, bands7_db, g)[0]
    cost = np.where(np.isfinite(miss), C.BAND_WEIGHTS * miss**2, 0.0)
    k = int(np.argmax(cost))
    if cost[k] <= 0 or abs(miss[k]) < SAME_LEVEL_DB:
        return ""
    label = C.BAND_LABELS[C.BANDS[k]]
    side = "above" if miss[k] > 0 else "below"
    return f"; it misses most in the {label}: {abs(miss[k]):.1f} dB {side} what suits {g.shown}"


def preference_lines(view: CatalogView, h: Headphone) -> tuple[list[str], list[str]]:
    """What the sound-quality judgement rests on: each rig's score, ranked only on that rig."""
    d = view.measured.get(h.id)
    ev = evidence(d)
    if ev.pct is None:
        return [], [
            "No measurement with a predicted-preference score: sound quality counted as typical, "
            "less a margin for not knowing"
        ]
    parts = [rig_phrase(r) for r in rig_scores(d) if r.pct is not None][:3]
    line = (
        "Harman predicted preference out of 100 (how close it is to the sound most listeners "
        "prefer): " + "; ".join(parts)
    )
    if ev.pct >= GOOD_PREFERENCE:
        return [line], []
    if ev.pct < POOR_PREFERENCE:
        return [], [line + ": below most"]
    return [line], []


def music_lines(ctx: C.Context, view: CatalogView, m: ProductMatrix, j: int, h: Headphone):
    reasons, warnings = [], []
    if m.sig_src[j] not in (SIG_MEASURED, SIG_REVIEW):
        warnings.append(
            "No measurement or review of its sound in the catalog: music fit unknown "
            "(scored as average)"
        )
        return reasons, warnings
    sound = _sound_sentence(h, view, m, j)
    one = m.take(np.array([j]))
    fits = sorted(
        ((float(C.genre_fit(ctx, one, g)[0]), s, g) for g, s in ctx.genres.items()),
        key=lambda t: (-t[1], t[2].name),
    )
    good = [f"{g.shown} ({f:.0%})" for f, s, g in fits if f >= GOOD and s >= MIN_SHARE]
    bad = [(f, g) for f, s, g in fits if f < POOR and s >= MIN_SHARE]
    if good:
        reasons.append(f"Sound suits {', '.join(good)}: {sound}")
    for f, g in bad:
        b, t, _, _ = C.genre_ideal(ctx, g)
        bass, treble = m.bands[j]
        p = ctx.profile
        yours = " (with your leaning)" if p.bass or p.tonality or p.treble_sensitive else ""
        warnings.append(
            f"Weak match for {g.shown} ({f:.0%}): {g.why}. It would want{yours} "
            f"{_more_less(b, 'bass')} and {_more_less(t, 'treble')} compared with the Harman target; "
            f"this one has {_more_less(bass, 'bass')} and {_more_less(treble, 'treble')}"
            + _worst_band(ctx, m.bands7[j], g)
        )
    if ctx.owned_fit:
        gains = [g.name for f, s, g in fits if f - ctx.owned_fit.get(g.name, 1.0) >= OWNED_GAIN]
        if gains:
            reasons.append(
                f"Complements what you own: better than your headphones for {', '.join(gains)}"
            )
    fair = [f"{g.shown} ({f:.0%})" for f, s, g in fits if POOR <= f < GOOD and s >= MIN_SHARE]
    if fair:
        reasons.append(f"Fair match for {', '.join(fair)}" + ("" if good else f": {sound}"))
    return reasons, warnings


def place_lines(ctx: C.Context, m: ProductMatrix, j: int):
    reasons, warnings = [], []
    back = BACKS[m.back[j]]
    for u in ctx.uses:
        if m.leak[j] > u.max_leak:
            warnings.append(f"{back.capitalize()} design leaks sound: not for use {u.label}")
        elif u.max_leak < 1:
            reasons.append(
                f"Leaks little ({back}; leak index {m.leak[j]:.0%}, where 0% is sealed and 100% "
                f"an open back): fine {u.label}"
            )
        loud = u.isolation >= HIGH_ISOLATION_USE
        if loud and m.isolation[j] < u.isolation - ISOLATION_SHORTFALL:
            warnings.append(
                f"Isolation index {m.isolation[j]:.0%} (how much outside noise it keeps out) is "
                f"low for use {u.label}"
                + ("" if m.anc[j] == 1 else " (no ANC)" if m.anc[j] == 0 else " (ANC unknown)")
            )
        elif loud and m.anc[j] == 1:
            reasons.append(f"Active noise cancelling helps {u.label}")
    anc = C.anc_fit(ctx, m.take(np.array([j])))[0]
    if anc < 1:
        said = "no active noise cancelling" if m.anc[j] == 0 else "noise cancelling not known"
        warnings.append(
            f"{said.capitalize()}: engine and traffic rumble is low bass that a passive seal "
            f"barely stops, so it counts {anc:.0%} {_uses_label(ctx, _asks_for('anc'))}"
        )
    return reasons, warnings


def drive_lines(ctx: C.Context, view: CatalogView, m: ProductMatrix, j: int, amp_id: str | None):
    if m.electrostatic[j]:
        if ctx.source_is_energizer:
            return ["Driven by your electrostatic energizer"], []
        return [], [energizer_sentence(view, view.headphones[str(m.ids[j])])]
    need = ctx.needed_peak_db
    reach = float(C.headroom_db(ctx, m.take(np.array([j])))[0] + need)
    if amp_id and not (np.isfinite(reach) and reach < need):
        amp = view.devices[amp_id]  # planned because the budget asked for a DAC/amp
        return [f"With the DAC/amp your budget includes: the {amp.display_name} "
                f"(${amp.price_usd:g}), in the price"], []  # fmt: skip
    if not m.needs_drive[j]:
        return [], []
    if not np.isfinite(m.sens_v[j]):
        return [], [
            "Sensitivity or impedance not in the catalog: cannot check whether your source drives it"
        ]
    if not np.isfinite(reach):
        return [], [
            f"No output figures in the catalog for {ctx.source_label}: cannot check the drive"
        ]
    level = f"{ctx.profile.level_db_spl:g} dB listening plus {ctx.crest_db:g} dB peaks"
    if amp_id:
        amp = view.devices[amp_id]
        return [
            f"Needs an amp: {ctx.source_label} reaches about {reach:.0f} dB SPL peaks, "
            f"your music needs {need:.0f} ({level}); the {amp.display_name} "
            f"(${amp.price_usd:g}) is included in the price"
        ], []
    h = view.headphones[str(m.ids[j])]
    unitless = h.sensitivity_measured is None and h.sensitivity and h.sensitivity.unit == "unknown"
    at_least = "at least " if unitless else ""  # read the lower way: never louder than it is
    text = (
        f"{ctx.source_label} reaches {at_least}about {reach:.0f} dB SPL peaks with it; your music "
        f"needs {need:.0f} ({level})"
        + (
            f" (its sensitivity, {h.sensitivity.value:g} dB, is published without a unit: read "
            "the lower way)"
            if unitless
            else ""
        )
    )
    spare = reach - need
    if spare >= EASY_DRIVE_DB:
        return [f"Easy to drive: {text}, {spare:.0f} dB to spare"], []
    if spare >= C.HEADROOM_GOOD_DB:
        return [f"Loud enough: {text}, {spare:.0f} dB to spare"], []
    if spare >= 0:
        return [], [
            f"Only just loud enough: {text}, {spare:.1f} dB to spare (loud passages may clip)"
        ]
    return [], [f"Underpowered: {text}; budget for an amp ({need - reach:.0f} dB short)"]


def energizer_sentence(view: CatalogView, h: Headphone) -> str:
    """Electrostatics need an energizer with the matching bias; name the catalog's options."""
    biases = {BIAS_OF_PLUG[p] for p in h.connections.wired if p in BIAS_OF_PLUG}
    options = [
        o["label"] + (" (wired to a speaker amplifier's outputs)" if "speaker" in o["how"] else "")
        for o in energizers_for(h, list(view.devices.values()))
    ]
    need = (
        "/".join(f"{b:.0f} V" for b in sorted(biases)) + " bias"
        if biases
        else "its own plug and bias (its maker's; another maker's does not fit)"
    )
    text = (
        f"Electrostatic: needs an energizer with {need}; no ordinary headphone output can drive it"
    )
    return text + (f". In the catalog: {'; '.join(options)}" if options else "")


def platform_lines(ctx: C.Context, h: Headphone):
    if not ctx.profile.platforms:
        return [], []
    support = platform_support(h)
    via = [f"{p} via {support[p]}" for p in ctx.profile.platforms if isinstance(support[p], str)]
    no = [p for p in ctx.profile.platforms if support[p] is False]
    unknown = [p for p in ctx.profile.platforms if support[p] is None]
    warnings = [f"Does not work with {', '.join(no)}"] if no else []
    warnings += [f"Support for {', '.join(unknown)} is not known"] if unknown else []
    return ([f"Works with {'; '.join(via)}"] if via else []), warnings


def comfort_lines(ctx: C.Context, h: Headphone, score: float):
    reasons, warnings = [], []
    w = f"{h.weight_g:g} g" if h.weight_g else "weight unknown"
    if score >= COMFORTABLE and h.weight_g and h.form_factor in ("over-ear", "on-ear"):
        reasons.append(f"Comfortable for long sessions: light ({w})")
    elif score < UNCOMFORTABLE:
        clamp = f", {h.comfort.clamp} clamp" if h.comfort and h.comfort.clamp else ""
        warnings.append(f"May tire on long sessions ({w}{clamp})")
    if ctx.profile.glasses and h.comfort and h.comfort.glasses_friendly is not None:
        (reasons if h.comfort.glasses_friendly else warnings).append(
            "Friendly to glasses" if h.comfort.glasses_friendly else "Presses on glasses"
        )
    return reasons, warnings


def mic_lines(h: Headphone):
    if h.mic is None:
        return [], ["Microphone unknown: no source says whether it has one"]
    if h.mic.type == "none":
        return [], ["No microphone"]
    q = f", rated {h.mic.quality.rating} by {h.mic.quality.by}" if h.mic.quality else ""
    if h.mic.type == "unspecified":
        return [f"Microphone: yes, kind not stated{q}"], []
    return [f"Microphone: {h.mic.type.replace('-', ' ')}{q}"], []


def battery_hours(b) -> str:
    """ "30 h claimed, 27.5 h measured by RTINGS": the hours a record holds, claimed first."""
    parts = [f"{b.claimed_h:g} h claimed"] if b.claimed_h else []
    if b.measured_h:
        parts.append(f"{b.measured_h:g} h measured by {b.measured_by}")
    return ", ".join(parts)


def battery_lines(h: Headphone, true_wireless: bool):
    """The hours against a day's use (battery.full_h; true-wireless buds, whose case recharges
    them, against battery.full_tws_h), whatever ranking asked for (long battery life ranks by
    hours over the catalog: 30 h is not 'short' for that)."""
    if not h.wireless or h.battery is None:
        return [], []
    hours = h.battery.measured_h or h.battery.claimed_h
    text = f"Battery: {battery_hours(h.battery)}"
    if hours is None:
        return [], []
    day = C.BATTERY_FULL_TWS_H if true_wireless else C.BATTERY_FULL_H
    if hours / day >= BATTERY_OK:
        return [text + (" per charge, the case recharges it" if true_wireless else "")], []
    what = "a working day" if true_wireless else "a long travel day and the way back"
    return [], [f"{text}: under the {day:g} h that covers {what}"]


def _asks_for(name: str):
    """A predicate: the use sets ``name`` (a ``vocab.Use`` field) away from its neutral value."""
    neutral = {f.name: f.default for f in fields(Use)}.get(name)
    return lambda u: getattr(u, name) != neutral and bool(getattr(u, name))


# A use-and-form factor below full is a warning: (the factor, what it says, which uses ask for it).
USE_FIT_REMARKS = (
    (C.back_fit, "A {back} back: mixing is judged on open backs (no cup resonance, the room-like "
     "image engineers check a mix on), so it counts {fit:.0%} {uses}", _asks_for("backs")),
    (C.sport_fit, "Not known to be built for sport (its maker or reviews do not tag it so for "
     "hooks, wings or a sweat rating), so it counts {fit:.0%} for staying put",
     _asks_for("sport_build")),
    (C.cable_fit, "Wired: a cord swings and catches {uses}, so it counts {fit:.0%}",
     _asks_for("cable_free")),
    (C.gaming_headset_fit, "A gaming headset: tuned for games, with a mic you will not use here, "
     "so it counts {fit:.0%} {uses}", _GAMING := _asks_for("gaming_headset")),
    (C.desk_fit, "A boom-mic gaming headset: built for the desk (the boom sticks out, most do "
     "not fold), so it counts {fit:.0%} for use {uses}", _asks_for("portable")),
    (C.phone_fit, "Works with neither iPhone nor Android on record (a console's dongle or radio): "
     "{uses} your phone is the source, so it counts {fit:.0%}", _asks_for("phone_link")),
)  # fmt: skip


def _uses_label(ctx: C.Context, asks=_asks_for("portable")) -> str:
    """The labels of the listener's uses that ask for what a remark is about (by default the
    uses on the go); with no use named, what the remark is judged for."""
    if not ctx.uses:
        return "for listening with no gaming named" if asks is _GAMING else "on the go"
    return " and ".join(u.label for u in ctx.uses if asks(u)) or "on the go"


def use_fit_lines(ctx: C.Context, m: ProductMatrix, j: int) -> tuple[list[str], list[str]]:
    """The warnings of the use-and-form factors below full for row ``j`` (USE_FIT_REMARKS)."""
    row = m.take(np.array([j]))
    fits = [(fit_of(ctx, row)[0], says, asks) for fit_of, says, asks in USE_FIT_REMARKS]
    return [], [
        says.format(back=BACKS[m.back[j]], fit=fit, uses=_uses_label(ctx, asks))
        for fit, says, asks in sorted(fits, key=lambda t: t[0])
        if fit < 1
    ]


def explain(
    view: CatalogView,
    ctx: C.Context,
    m: ProductMatrix,
    j: int,
    crit: dict[str, float],
    amp_id: str | None,
) -> tuple[list[str], list[str]]:
    """Reasons (what fits and why) and warnings (trade-offs) for row ``j``."""
    h = view.headphones[str(m.ids[j])]
    parts = [
        use_fit_lines(ctx, m, j),  # first: each of these cuts the total by a tenth or more
        music_lines(ctx, view, m, j, h),
        place_lines(ctx, m, j),
        drive_lines(ctx, view, m, j, amp_id),
        platform_lines(ctx, h),
    ]
    if "sound_quality" in crit:
        parts.append(preference_lines(view, h))
    if any(u.volume_limit for u in ctx.uses) or ctx.profile.volume_limited:
        if h.volume_limit_db is not None and h.volume_limit_db <= C.SAFE_LEVEL_DB:
            parts.append(([f"Volume limited to {h.volume_limit_db:g} dB by its maker"], []))
        elif h.volume_limit_db is not None:
            parts.append(
                (
                    [],
                    [
                        f"Its volume limit ({h.volume_limit_db:g} dB) is above {C.SAFE_LEVEL_DB:g} dB"
                    ],
                )
            )
        else:
            on = ("the console's parental controls" if CONSOLES & set(ctx.profile.platforms)
                  else "the phone or tablet")  # fmt: skip
            parts.append(([], [f"No volume limit known: set one on {on}"]))
    if m.sport[j] and (ctx.profile.secure_fit or any(map(_asks_for("sport_build"), ctx.uses))):
        parts.append((["Built for sport (its maker or reviews say so): made to stay put"], []))
    if C.weights(ctx)["comfort"] > BASE_COMFORT_WEIGHT:
        parts.append(comfort_lines(ctx, h, crit["comfort"]))
    if crit.get("mic") is not None:
        parts.append(mic_lines(h))
    if "battery" in crit:
        parts.append(battery_lines(h, bool(m.true_wireless[j])))
    if ctx.profile.budget_usd and h.price_usd:
        pct = 100 * h.price_usd / ctx.profile.budget_usd
        parts.append(([f"${h.price_usd:g}: {pct:.0f}% of your budget"], []))
    return [r for p in parts for r in p[0]], [w for p in parts for w in p[1]]


def personal_target_note(bass_db: float, tilt_db_per_oct: float) -> str:
    """The sound looked for, in words first (more or less bass and treble than the balance most
    listeners prefer), then the numbers: a 105 Hz low shelf and a treble tilt per octave."""
    bass = (f"{abs(bass_db):.1f} dB {'more' if bass_db > 0 else 'less'} bass"
            if round(bass_db, 1) else "the same bass")  # fmt: skip
    treble = ("" if abs(tilt_db_per_oct) < 0.05
              else f" and {'a little ' if abs(tilt_db_per_oct) < 0.3 else ''}"
                   f"{'brighter' if tilt_db_per_oct > 0 else 'softer'} treble")  # fmt: skip
    return (
        f"the sound looked for: the balance most listeners prefer (the Harman target) with {bass}"
        f"{treble}, to suit your music and leanings (a {bass_db:+.1f} dB shelf at 105 Hz, "
        f"{tilt_db_per_oct:+.2f} dB per octave of treble tilt)"
    )
