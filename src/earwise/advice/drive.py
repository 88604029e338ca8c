"""Will this source drive this headphone? Headroom, the limiting factor, output-impedance effects,
the amplifiers that would do, electrostatic energizers, and the whole signal chain.

Physics in :mod:`earwise.acoustics.power`. Rules of thumb used, each named where it is applied:
- output impedance at most 1/8 of the headphone's impedance keeps the level change from an
  impedance swing small (NwAvGuy, "Headphone amp impedance", 2011: damping factor >= 8);
- the level the music needs = listening level + the genre's crest factor (Katz K-system).

Every result dict (:func:`drive_report`, :func:`headphone_drive`, :func:`amps_for`, and through
them ``chain``) is JSON-safe: a value that is not a finite number (an unbounded level, a
division by a zero impedance) is ``None``, never ``inf``/``nan`` (which ``json.dumps`` would
print as the invalid tokens ``Infinity``/``NaN``). ``None`` already means "unknown / not
applicable" in these dicts (e.g. ``damping_factor`` for a 0 ohm output).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from earwise.acoustics.power import (
    LISTENING_LEVEL_DB_SPL,
    SourceLimits,
    current_limited,
    level_for_volts,
    milliamps,
    milliwatts,
    peak_level,
    silent_noise_uv,
    volts_at_load,
    volts_for_level,
    zout_level_loss_db,
)
from earwise.advice.matrix import effective_sensitivity, impedance_for_drive
from earwise.advice.vocab import genres, resolve_genre
from earwise.advice.weights import load_weights
from earwise.catalog.devices import bias_voltages, output_limits, pick_output
from earwise.catalog.schema import Headphone, SourceDevice
from earwise.core.errors import EarwiseError
from earwise.core.jsonsafe import json_safe

HISS_NOTE_BELOW_UV = load_weights().value("drive.hiss_note_below_uv")
DAMPING_FACTOR_MIN = 8.0  # NwAvGuy 2011: Zout <= Z/8
DEFAULT_CREST_DB = 14.0  # Katz K-14: most pop and rock mastering
# A headphone given by its impedance alone is judged over the catalog's headphones within this
# share of it (judgement: 250 ohm takes 225-275 ohm, the 250 ohm versions of a model family).
IMPEDANCE_CLASS_TOLERANCE = 0.1
BIAS_OF_PLUG = {"stax-pro-bias": 580.0, "stax-normal-bias": 230.0}  # Stax Pro / Normal (V DC)
BIAS_NAME_OF_PLUG = {"stax-pro-bias": "Pro bias", "stax-normal-bias": "Normal bias"}  # Stax terms
PLUGS_OF_OUTPUT = (  # words in an output's name -> the headphone plugs it accepts directly
    ("4.4", "4.4mm-balanced"),
    ("2.5", "2.5mm-balanced"),
    ("xlr", "xlr-4pin"),
    ("6.35", "6.35mm"),
    ("1/4", "6.35mm"),
    ("3.5", "3.5mm"),
    ("usb", "usb-c-audio"),
    ("lightning", "lightning"),
    ("pro-bias", "stax-pro-bias"),
    ("normal-bias", "stax-normal-bias"),
)


class DriveError(EarwiseError):
    """A drive or chain question that cannot be answered as asked; one readable line."""


@dataclass(frozen=True)
class Need:
    level_db: float
    crest_db: float
    why: str

    @property
    def peak_db(self) -> float:
        return self.level_db + self.crest_db


def need_for(level: str | float = "normal", genre_names: list[str] | None = None) -> Need:
    """Listening level (quiet/normal/loud or dB SPL) + the largest crest factor of the genres."""
    if isinstance(level, str) and level in LISTENING_LEVEL_DB_SPL:
        level_db = LISTENING_LEVEL_DB_SPL[level]
    else:
        try:
            level_db = float(level)
        except (TypeError, ValueError):
            raise DriveError(
                f"level {level!r}: give quiet, normal, loud or a dB SPL number"
            ) from None
        if not 40 <= level_db <= 115:
            raise DriveError("listening level must be 40-115 dB SPL")
    if genre_names:
        gs = [genres()[resolve_genre(g)] for g in genre_names]
        g = max(gs, key=lambda x: x.crest_db)
        return Need(level_db, g.crest_db, f"{g.name} peaks {g.crest_db:g} dB above its average")
    return Need(
        level_db,
        DEFAULT_CREST_DB,
        f"most pop/rock peaks about {DEFAULT_CREST_DB:g} dB above its average",
    )


def adhoc_source(vrms: float, zout_ohm: float = 0.0, max_ma: float | None = None) -> SourceLimits:
    """Drive limits of an output described by hand: ``vrms`` open-circuit volts (> 0, finite),
    ``zout_ohm`` output impedance in ohm (>= 0, finite), ``max_ma`` current limit in mA (> 0;
    ``None`` = not limited). Anything else raises :class:`DriveError` with ``field`` set to
    ``vrms``, ``zout`` or ``max_ma``."""
    if not (math.isfinite(vrms) and vrms > 0):
        raise DriveError("vrms must be a positive, finite voltage (Vrms)", "vrms")
    if not math.isfinite(zout_ohm):
        raise DriveError("zout must be a finite output impedance in ohm", "zout")
    if zout_ohm < 0:
        raise DriveError("zout (output impedance) cannot be negative", "zout")
    if max_ma is not None and not max_ma > 0:  # nan fails this too; +inf means no limit
        raise DriveError("max_ma must be a positive current limit in mA", "max_ma")
    return SourceLimits(vrms, zout_ohm, max_ma, f"a source of {vrms:g} Vrms, {zout_ohm:g} ohm")


def device_output(device: SourceDevice, balanced: bool = False) -> tuple[SourceLimits | None, str]:
    """Drive limits of the device's (balanced) output and its name."""
    if balanced and not any(o.kind == "balanced" for o in device.outputs):
        raise DriveError(f"the {device.display_name} has no balanced output")
    out = pick_output(device, balanced)
    return output_limits(device, out), out.name


def _usable(source: SourceLimits | None) -> bool:
    """Limits that give a finite level: voltage > 0, 0 <= Zout < inf, current limit > 0 if any."""
    return (
        source is not None
        and math.isfinite(source.v_open_vrms)
        and source.v_open_vrms > 0
        and math.isfinite(source.zout_ohm)
        and source.zout_ohm >= 0
        and (source.max_current_ma is None or source.max_current_ma > 0)
    )


def drive_report(
    label: str, sens_db_spl_v: float, impedance_ohm: float, source: SourceLimits | None,
    source_label: str, need: Need, z_min: float | None = None, z_max: float | None = None,
    driver_type: str | None = None,
) -> dict:  # fmt: skip
    """The numbers and a one-sentence verdict for one headphone on one output."""
    report: dict = {
        "headphone": label, "source": source_label, "sensitivity_db_spl_per_v": round(sens_db_spl_v, 1),
        "impedance_ohm": impedance_ohm, "listening_level_db_spl": need.level_db, "crest_db": need.crest_db,
        "needed_peak_db_spl": need.peak_db, "why_needed": need.why,
    }  # fmt: skip
    v_need = float(volts_for_level(need.peak_db, sens_db_spl_v))
    report |= {
        "needed_vrms": round(v_need, 3),
        "needed_mw": round(float(milliwatts(v_need, impedance_ohm)), 2),
        "needed_ma": round(float(milliamps(v_need, impedance_ohm)), 2),
        "silent_noise_uv": round(float(silent_noise_uv(sens_db_spl_v)), 2),
    }
    if not _usable(source):
        report |= {"reachable_peak_db_spl": None, "headroom_db": None, "limited_by": "unknown",
                   "verdict": f"No output figures are published for {source_label}: the headphone needs "
                              f"{v_need:.2f} Vrms / {report['needed_mw']:g} mW for {need.peak_db:.0f} dB SPL peaks; "
                              "check that the source delivers it." + _hiss_note(report)}  # fmt: skip
        return json_safe(report)
    reach = float(peak_level(source, sens_db_spl_v, impedance_ohm))
    headroom = reach - need.peak_db
    limited = "current" if bool(current_limited(source, impedance_ohm)) else "voltage"
    loss = float(zout_level_loss_db(impedance_ohm, source.zout_ohm))
    report |= {
        "reachable_peak_db_spl": round(reach, 1), "headroom_db": round(headroom, 1), "limited_by": limited,
        "source_vrms_into_load": round(float(volts_at_load(source, impedance_ohm)), 3),
        "source_zout_ohm": source.zout_ohm, "zout_level_loss_db": round(loss, 2),
        "damping_factor": round(impedance_ohm / source.zout_ohm, 1) if source.zout_ohm else None,
    }  # fmt: skip
    if z_min and z_max and source.zout_ohm:
        dev = float(
            zout_level_loss_db(z_max, source.zout_ohm) - zout_level_loss_db(z_min, source.zout_ohm)
        )
        report["zout_fr_deviation_db"] = round(dev, 2)
    report["verdict"] = _verdict(report, driver_type)
    return json_safe(report)


def _verdict(r: dict, driver_type: str | None) -> str:
    h, need = r["headroom_db"], r["needed_peak_db_spl"]
    hp = r["headphone"] if r["headphone"].startswith(("this ", "the ")) else f"the {r['headphone']}"
    base = (
        f"{r['source']} reaches about {r['reachable_peak_db_spl']:.0f} dB SPL peaks with {hp}; "
        f"your music needs {need:.0f} ({r['listening_level_db_spl']:g} dB listening + {r['crest_db']:g} dB peaks)"
    )
    if h >= 3:
        text = f"Enough: {base}, {h:.0f} dB to spare."
    elif h >= 0:
        text = f"Just enough: {base}; only {h:.1f} dB to spare, so loud passages may clip."
    else:
        text = f"Not enough: {base}; {-h:.0f} dB short ({r['limited_by']}-limited), so peaks will clip: add an amp."
    df = r.get("damping_factor")
    if df is not None and df < DAMPING_FACTOR_MIN:
        text += (
            f" Its {r['source_zout_ohm']:g} ohm output impedance is more than 1/8 of the headphone's "
            f"{r['impedance_ohm']:g} ohm (damping factor {df:g}): the bass and treble balance can shift"
            + (
                " a lot, since balanced armatures' impedance swings with frequency"
                if driver_type in ("balanced-armature", "hybrid")
                else ""
            )
            + "."
        )
    dev = r.get("zout_fr_deviation_db")
    if dev is not None and abs(dev) >= 0.5:
        text += (
            f" With its impedance swing, the response shifts by {abs(dev):.1f} dB across the band."
        )
    return text + _hiss_note(r)


def _hiss_note(r: dict) -> str:
    """For a sensitive headphone: the source noise under which it stays silent, and how to read
    that from a spec sheet (noise = output voltage x 10^(-SNR/20))."""
    uv = r.get("silent_noise_uv")
    if uv is None or uv >= HISS_NOTE_BELOW_UV:
        return ""
    return (
        f" It is sensitive ({r['sensitivity_db_spl_per_v']:g} dB SPL/V): a source whose noise floor is above "
        f"{uv:.2g} µV will hiss audibly in a quiet room; a spec sheet's noise is its output voltage "
        "x 10^(-SNR/20)."
    )


def voltage_only_report(
    label: str, sens_db_spl_v: float, source: SourceLimits | None, source_label: str, need: Need
) -> dict:
    """A drive report for a headphone whose sensitivity per volt is known but not its impedance:
    the level the source's open-circuit voltage gives, the load taken as large next to the
    output impedance, the current not checked (said in the verdict)."""
    report: dict = {"headphone": label, "source": source_label, "sensitivity_db_spl_per_v": round(sens_db_spl_v, 1),
                    "impedance_ohm": None, "listening_level_db_spl": need.level_db, "crest_db": need.crest_db,
                    "needed_peak_db_spl": need.peak_db, "why_needed": need.why,
                    "needed_vrms": round(float(volts_for_level(need.peak_db, sens_db_spl_v)), 3),
                    "silent_noise_uv": round(float(silent_noise_uv(sens_db_spl_v)), 2)}  # fmt: skip
    if not _usable(source):
        report |= {"reachable_peak_db_spl": None, "headroom_db": None, "limited_by": "unknown",
                   "verdict": f"No output figures are published for {source_label}: the headphone needs "
                              f"{report['needed_vrms']:.2f} Vrms for {need.peak_db:.0f} dB SPL peaks."}  # fmt: skip
        return json_safe(report)
    reach = float(level_for_volts(source.v_open_vrms, sens_db_spl_v))  # open circuit
    report |= {"reachable_peak_db_spl": round(reach, 1), "headroom_db": round(reach - need.peak_db, 1),
               "limited_by": "voltage", "damping_factor": None}  # fmt: skip
    report["verdict"] = _verdict(report, None) + (
        " Its impedance is not in the catalog: this takes the output impedance as small next to it"
        " and does not check the current the source can give."
    )
    return json_safe(report)


def impedance_class_drive(
    headphones: Iterable[Headphone], impedance_ohm: float, source: SourceLimits | None,
    source_label: str, need: Need,
) -> dict:  # fmt: skip
    """How a source drives headphones of about ``impedance_ohm`` when their sensitivity is not
    given: the drive report of every wired catalog headphone within IMPEDANCE_CLASS_TOLERANCE of
    it whose sensitivity is known, summed up as ranges (what the answer rests on, said)."""
    lo, hi = (
        impedance_ohm * (1 - IMPEDANCE_CLASS_TOLERANCE),
        impedance_ohm * (1 + IMPEDANCE_CLASS_TOLERANCE),
    )
    return class_drive(
        headphones, lambda h, imp: lo <= imp <= hi, source, source_label, need,
        label=f"a headphone of {impedance_ohm:g} ohm", impedance_ohm=impedance_ohm,
        basis=f"its sensitivity was not given, so this is over the {{n}} headphones of "
              f"{lo:.0f}-{hi:.0f} ohm in the catalog whose sensitivity is known",
    )  # fmt: skip


def driver_class_drive(
    headphones: Iterable[Headphone], driver: str, source: SourceLimits | None,
    source_label: str, need: Need,
) -> dict:  # fmt: skip
    """How a source drives a kind of headphone named by its driver ("planar headphones"): over
    every wired catalog headphone of that driver type whose sensitivity and impedance are known."""
    return class_drive(
        headphones, lambda h, imp: h.driver.type == driver, source, source_label, need,
        label=f"{driver} headphones", impedance_ohm=None,
        basis=f"no model was named, so this is over the {{n}} {driver} headphones in the catalog "
              "whose sensitivity and impedance are known",
    )  # fmt: skip


def class_drive(
    headphones: Iterable[Headphone], member, source: SourceLimits | None, source_label: str,
    need: Need, label: str, impedance_ohm: float | None, basis: str,
) -> dict:  # fmt: skip
    """The drive report of every wired catalog headphone that is a ``member(h, impedance)`` of a
    class, with a known sensitivity, summed up as ranges; ``basis`` says what it rests on."""
    peers = []
    for h in headphones:
        if is_electrostatic(h) or (h.wireless and not h.connections.wired):  # status aside
            continue
        sens, imp = effective_sensitivity(h), impedance_for_drive(h)
        if np.isfinite(sens) and np.isfinite(imp) and member(h, imp):
            peers.append(drive_report(h.display_name, sens, imp, source, source_label, need))
    if not peers:
        raise DriveError(f"no {label.removeprefix('a ')} in the catalog has a known "
                         "sensitivity: give the headphone's sensitivity too", "headphone")  # fmt: skip
    peers.sort(key=lambda r: r["sensitivity_db_spl_per_v"])
    sens = [r["sensitivity_db_spl_per_v"] for r in peers]
    report = {"headphone": label, "source": source_label, "impedance_ohm": impedance_ohm,
              "needed_peak_db_spl": need.peak_db, "why_needed": need.why, "peers": len(peers),
              "sensitivity_db_spl_per_v_range": [sens[0], sens[-1]],
              "least_sensitive": peers[0]["headphone"], "most_sensitive": peers[-1]["headphone"]}  # fmt: skip
    basis = (basis.format(n=len(peers)) + f" ({sens[0]:.0f}-{sens[-1]:.0f} dB SPL/V, from the "
             f"{peers[0]['headphone']} to the {peers[-1]['headphone']})")  # fmt: skip
    headroom = [r["headroom_db"] for r in peers if r.get("headroom_db") is not None]
    if not headroom:
        report["verdict"] = (
            f"{basis[0].upper()}{basis[1:]}. No output figures are published for {source_label}."
        )
        return json_safe(report)
    reach = [
        r["reachable_peak_db_spl"] for r in peers if r.get("reachable_peak_db_spl") is not None
    ]
    enough = sum(x >= 0 for x in headroom)
    # words that answer "will it drive?" and "do I need an amp?" alike (a "Yes" would not)
    word = (
        "Enough"
        if enough == len(headroom)
        else "Not enough"
        if enough == 0
        else "It depends on the model"
    )
    report |= {"reachable_peak_db_spl_range": [min(reach), max(reach)],
               "headroom_db_range": [min(headroom), max(headroom)], "enough": enough}  # fmt: skip
    report["verdict"] = (
        f"{word}: {basis}. On {source_label} they reach {min(reach):.0f}-{max(reach):.0f} dB SPL "
        f"peaks; your music needs {need.peak_db:.0f}. {enough} of {len(headroom)} get there"
        + ("" if enough == len(headroom) else "; the rest need an amp")
        + ". Give its sensitivity or its name to settle yours."
    )
    return json_safe(report)


def is_electrostatic(h: Headphone) -> bool:
    """An electrostatic driver, or a Stax bias plug: only an energizer can drive it."""
    return h.driver.type == "electrostatic" or any(p in BIAS_OF_PLUG for p in h.connections.wired)


def energizer_need(h: Headphone, devices: Iterable[SourceDevice] | None = None) -> str:
    """What an electrostatic headphone needs, in words: an energizer, its bias (580 V Pro bias for
    a Stax Pro plug, 230 V Normal bias for a Normal plug) and, when ``devices`` are given, the
    catalog energizers that match."""
    plugs = [p for p in h.connections.wired if p in BIAS_OF_PLUG]
    bias = " or ".join(f"{BIAS_OF_PLUG[p]:.0f} V Stax {BIAS_NAME_OF_PLUG[p]}" for p in plugs)
    text = "it needs an electrostatic energizer" + (
        f" with {bias}" if bias else " matching its plug and bias (usually its maker's own)"
    )
    if devices is not None:
        options = energizers_for(h, list(devices))
        text += (
            " (in the catalog: " + ", ".join(o["label"] for o in options) + ")"
            if options
            else " (none in the catalog matches)"
        )
    return text


def headphone_drive(
    h: Headphone,
    source: SourceLimits | None,
    source_label: str,
    need: Need,
    *,
    devices: Iterable[SourceDevice] | None = None,
) -> dict:
    """Drive report for a catalog headphone (electrostatics and wireless handled apart).

    An electrostatic raises :class:`DriveError` (field ``headphone``) saying it needs an
    energizer, with which bias, and, when ``devices`` (the catalog's sources) are given, the
    matching energizers by name.
    """
    label = h.display_name
    if is_electrostatic(h):
        raise DriveError(
            f"the {label} is electrostatic: no headphone output can drive it; "
            f"{energizer_need(h, devices)}; the chain check shows how to connect one",
            "headphone",
        )
    if h.wireless and not ({"3.5mm", "6.35mm"} & set(h.connections.wired)):
        return {
            "headphone": label,
            "source": source_label,
            "verdict": f"The {label} has its own amplifier (wireless/USB): your source only sends it a signal.",
        }
    sens, imp = effective_sensitivity(h), impedance_for_drive(h)
    if np.isfinite(sens) and not np.isfinite(imp):
        return voltage_only_report(label, float(sens), source, source_label, need)
    if not (np.isfinite(sens) and np.isfinite(imp)):
        raise DriveError(
            f"the catalog has no sensitivity for the {label}: give its sensitivity and impedance "
            "as figures (for example '98 dB/mW, 32 ohm')"
        )
    return drive_report(
        label,
        sens,
        imp,
        source,
        source_label,
        need,
        h.impedance_min_ohm,
        h.impedance_max_ohm,
        h.driver.type,
    )


def energizers_for(h: Headphone, devices: list[SourceDevice]) -> list[dict]:
    """Catalog energizers whose bias matches the headphone's plug, with how each connects; with
    no Stax plug on record (Koss's own connector), only its maker's energizers: another maker's
    plug and bias do not fit."""
    biases = {BIAS_OF_PLUG[p] for p in h.connections.wired if p in BIAS_OF_PLUG}
    out = []
    for d in sorted(devices, key=lambda d: d.id):
        if d.category != "energizer" or (biases and not biases & bias_voltages(d)):
            continue
        if not biases and d.brand.lower() != h.brand.lower():
            continue
        transformer = any("speaker" in i for i in d.inputs)
        out.append({
            "id": d.id, "label": f"{d.brand} {d.model.split(' (')[0]}",
            "bias_v": sorted(bias_voltages(d)), "price_usd": d.price_usd,
            "how": ("a transformer box: connect it to a speaker (power) amplifier's speaker terminals, "
                    "plug the headphone into the socket with the matching bias, mains powers the bias; "
                    "start with the amplifier's volume at minimum") if transformer
                   else "a dedicated energizer: line-level input (RCA/XLR) from your DAC or preamp",
        })  # fmt: skip
    return out


def amps_for(
    h: Headphone, devices: list[SourceDevice], need: Need, budget_usd: float | None = None
) -> dict:
    """Catalog sources and amps that drive ``h`` with headroom, cheapest first, with the margin."""
    label = h.display_name
    if h.driver.type == "electrostatic":
        return json_safe(
            {"headphone": label, "electrostatic": True, "energizers": energizers_for(h, devices)}
        )
    sens, imp = effective_sensitivity(h), impedance_for_drive(h)
    if not (np.isfinite(sens) and np.isfinite(imp)):
        raise DriveError(f"the {label} has no published sensitivity and impedance in the catalog")
    balanced_ok = bool({"4.4mm-balanced", "2.5mm-balanced", "xlr-4pin"} & set(h.connections.wired))
    rows, unknown = [], 0
    for d in devices:
        if d.category == "energizer" or (
            budget_usd is not None and (d.price_usd or np.inf) > budget_usd
        ):
            continue
        best = None
        for o in d.outputs:
            if o.kind == "balanced" and not balanced_ok:
                continue
            lim = output_limits(d, o)
            if lim is None:
                continue
            head = float(peak_level(lim, sens, imp)) - need.peak_db
            if best is None or head > best[0]:
                best = (head, o.name)
        if best is None:
            unknown += 1
        elif best[0] >= 0:
            rows.append({"id": d.id, "label": d.display_name, "category": d.category,
                         "price_usd": d.price_usd, "output": best[1], "headroom_db": round(best[0], 1),
                         "discontinued": d.discontinued, "on_sale": d.on_sale})  # fmt: skip
    rows.sort(  # on sale first (a discontinued one is for the used market), then cheapest
        key=lambda r: (not r["on_sale"], r["price_usd"] is None, r["price_usd"] or 0,
                       -r["headroom_db"], r["id"])
    )  # fmt: skip
    return json_safe({"headphone": label, "needed_peak_db_spl": need.peak_db, "why_needed": need.why,
                      "amps": rows, "without_output_figures": unknown})  # fmt: skip
