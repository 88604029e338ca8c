"""A spec sheet in plain words: what each figure means, what it implies for this reader, and
the flags the seeds teach (The Master Switch, "Understanding headphone specs")."""

from __future__ import annotations

import math

from earwise.acoustics.power import SourceLimits, spl_per_mw_from_v, spl_per_v_from_mw
from earwise.advice.drive import DAMPING_FACTOR_MIN, Need, drive_report, need_for
from earwise.advice.specs import SpecSheet
from earwise.catalog.schema import Headphone

PLAUSIBLE_SENSITIVITY_DB = (75.0, 130.0)  # outside: accepted with a warning
HEARING_HZ = (20.0, 20000.0)
NARROW_RANGE_HZ = (30.0, 16000.0)  # The Master Switch: steer clear if it cannot reach these
LIGHT_G, HEAVY_G = 250.0, 400.0
REFERENCE_SOURCES = (  # The Master Switch's worked example: a 1 V phone, a 2 V laptop
    ("a 1 V phone output", SourceLimits(1.0, 0.0)),
    ("a 2 V laptop output", SourceLimits(2.0, 0.0)),
)
DRIVER_TYPE_NOTES = {
    "planar": "Planar magnetic: usually low sensitivity and low impedance, so it is current-hungry: choose an amp rated for low loads.",
    "balanced-armature": "Balanced armature: its impedance swings with frequency, so a source's output impedance changes its tonal balance; use an output under 1/8 of its impedance.",
    "hybrid": "Hybrid (dynamic + balanced armature): like balanced armatures, sensitive to the source's output impedance.",
    "electrostatic": "Electrostatic: needs a dedicated energizer (high-voltage bias and drive); no headphone output can drive it.",
    "dynamic": "Dynamic (moving coil): the common type; drive needs follow from sensitivity and impedance.",
}


def sheet_from_headphone(h: Headphone) -> SpecSheet:
    s = h.sensitivity
    return SpecSheet(
        impedance_ohm=h.impedance_ohm,
        sensitivity_db=s.value if s else None,
        sensitivity_unit=None if not s or s.unit == "unknown" else s.unit,
        sensitivity_ref_hz=s.ref_hz if s else None,
        freq_range_hz=h.freq_range_hz,
        thd_pct=(h.thd_pct, h.thd_pct) if h.thd_pct is not None else None,
        thd_conditions=h.thd_note,
        weight_g=h.weight_g,
        driver_size_mm=h.driver.size_mm,
        driver_type=h.driver.type,
    )


def _readings(sheet: SpecSheet) -> list[tuple[str, float]]:
    """(unit, dB SPL/V) readings of the sensitivity: one, or both when the unit is not stated."""
    s, z, unit = sheet.sensitivity_db, sheet.impedance_ohm, sheet.sensitivity_unit
    if s is None:
        return []
    if unit == "dB SPL/V":
        return [("dB SPL/V", s)]
    if z is None:
        return [(unit or "dB (unit not stated)", float("nan"))]
    as_mw = float(spl_per_v_from_mw(s, z))
    return (
        [("dB SPL/mW", as_mw)] if unit == "dB SPL/mW" else [("dB SPL/mW", as_mw), ("dB SPL/V", s)]
    )


def explain_sheet(
    sheet: SpecSheet, label: str = "this headphone", source: tuple[str, SourceLimits] | None = None,
    need: Need | None = None,
) -> dict:  # fmt: skip
    """Every spec: value, meaning, implication for this reader, flags; and a drive verdict."""
    need = need or need_for()
    items: list[dict] = []
    z = sheet.impedance_ohm
    if z is not None:
        items.append({
            "spec": "impedance", "value": f"{z:g} ohm",
            "means": "the electrical load the headphone presents; with sensitivity it sets how much voltage and current a level takes",
            "for_you": f"a source with output impedance under {z / DAMPING_FACTOR_MIN:.1f} ohm (1/8 of it) keeps its tonal balance",
            "flags": [] if z <= 100 else ["high impedance alone does not mean 'needs an amp': the sensitivity decides how much voltage it takes"],
        })  # fmt: skip
    readings = _readings(sheet)
    if sheet.sensitivity_db is not None:
        s = sheet.sensitivity_db
        flags = []
        if not PLAUSIBLE_SENSITIVITY_DB[0] <= s <= PLAUSIBLE_SENSITIVITY_DB[1]:
            flags.append(
                f"implausible: real headphones measure about {PLAUSIBLE_SENSITIVITY_DB[0]:g}-{PLAUSIBLE_SENSITIVITY_DB[1]:g} dB; check the sheet"
            )
        if sheet.sensitivity_unit is None:
            flags.append(
                "unit not stated (dB/mW or dB/V?): shown both ways; drive checks use the lower, more demanding reading"
            )
        if sheet.sensitivity_ref_hz and sheet.sensitivity_ref_hz != 1000:
            flags.append(
                f"measured at {sheet.sensitivity_ref_hz:g} Hz: not comparable with the usual 1 kHz figures"
            )
        conv = []
        if z is not None:
            if sheet.sensitivity_unit == "dB SPL/V":
                conv.append(f"= {float(spl_per_mw_from_v(s, z)):.1f} dB SPL/mW at {z:g} ohm")
            elif sheet.sensitivity_unit == "dB SPL/mW":
                conv.append(f"= {float(spl_per_v_from_mw(s, z)):.1f} dB SPL/V at {z:g} ohm")
            else:
                conv.append(
                    f"read as dB/mW: {float(spl_per_v_from_mw(s, z)):.1f} dB SPL/V; read as dB/V: {float(spl_per_mw_from_v(s, z)):.1f} dB SPL/mW"
                )
        items.append({
            "spec": "sensitivity", "value": f"{s:g} {sheet.sensitivity_unit or 'dB (unit not stated)'}" + (f" at {sheet.sensitivity_ref_hz:g} Hz" if sheet.sensitivity_ref_hz else ""),
            "means": "how loud it plays for a given input: per milliwatt (dB/mW) or per volt (dB/V)", "for_you": "; ".join(conv) or _per_volt_alone(sheet, need) or "give the impedance to convert it", "flags": flags,
        })  # fmt: skip
    if sheet.freq_range_hz is not None:
        lo, hi = sheet.freq_range_hz
        flags = []
        if lo < HEARING_HZ[0] or hi > HEARING_HZ[1]:
            flags.append("the range beyond 20 Hz-20 kHz is inaudible: marketing, not sound quality")
        if lo > NARROW_RANGE_HZ[0] or hi < NARROW_RANGE_HZ[1]:
            flags.append(
                f"narrow: cannot reach {NARROW_RANGE_HZ[0]:g} Hz-{NARROW_RANGE_HZ[1] / 1000:g} kHz (The Master Switch: steer clear)"
            )
        items.append({"spec": "frequency range", "value": f"{lo:g} Hz - {hi:g} Hz", "means": "the lowest and highest tones it can make, not how evenly: a measured frequency response says far more", "for_you": "judge it from a measured frequency response instead (earwise analyzes one)", "flags": flags})  # fmt: skip
    if sheet.thd_pct is not None:
        lo, hi = sheet.thd_pct
        value = f"{lo:g}%" if lo == hi else f"{lo:g}-{hi:g}%"
        items.append({"spec": "THD", "value": value + (f" ({sheet.thd_conditions})" if sheet.thd_conditions else ""), "means": "distortion added by the driver at one test level and frequency", "for_you": "below about 1% it is rarely audible in music; the test level matters more than the figure", "flags": [] if sheet.thd_conditions else ["no test level or frequency given: hard to compare"]})  # fmt: skip
    if sheet.weight_g is not None:
        w = sheet.weight_g
        feel = "light" if w < LIGHT_G else "heavy for long sessions" if w > HEAVY_G else "average"
        items.append({"spec": "weight", "value": f"{w:g} g" + (f" ({sheet.weight_note})" if sheet.weight_note else ""), "means": "what sits on your head or in your ears", "for_you": f"{feel} for an over-ear", "flags": []})  # fmt: skip
    if sheet.driver_size_mm is not None or sheet.driver_type is not None:
        items.append({"spec": "driver", "value": " ".join(x for x in (f"{sheet.driver_size_mm:g} mm" if sheet.driver_size_mm else "", sheet.driver_type or "") if x), "means": "the part that moves air", "for_you": DRIVER_TYPE_NOTES.get(sheet.driver_type or "", "type not given"), "flags": ["driver size predicts little about bass or quality (The Master Switch)"] if sheet.driver_size_mm else []})  # fmt: skip
    drive = _drive_lines(sheet, label, source, need, readings)
    return {
        "headphone": label,
        "items": items,
        "drive": drive,
        "unread": sheet.unread,
        "verdict": _summary(drive, sheet, need),
    }


def _drive_lines(sheet, label, source, need, readings) -> list[dict]:
    z = sheet.impedance_ohm
    if not readings or z is None or sheet.driver_type == "electrostatic":
        return []
    sens_v = min(v for _, v in readings)
    sources = [source] if source else list(REFERENCE_SOURCES)
    return [
        drive_report(label, sens_v, z, lim, name, need, driver_type=sheet.driver_type)
        for name, lim in sources
    ]


def _per_volt_alone(sheet: SpecSheet, need: Need) -> str | None:
    """For a sensitivity per volt without an impedance: the voltage the music's peaks take
    (level = sensitivity + 20*log10(volts)) and whether the reference sources' open-circuit
    voltage reaches it. The current it draws waits on the impedance."""
    if sheet.sensitivity_unit != "dB SPL/V" or sheet.impedance_ohm is not None:
        return None
    s = sheet.sensitivity_db
    volts = 10 ** ((need.peak_db - s) / 20)
    reach = "; ".join(
        f"{name} reaches {s + 20 * math.log10(lim.v_open_vrms):.0f} dB SPL"
        for name, lim in REFERENCE_SOURCES
    )
    return (
        f"1 Vrms makes {s:g} dB SPL, so your music's peaks ({need.peak_db:g} dB SPL) take "
        f"{volts:.2f} Vrms: {reach} before any load; give the impedance to check the current"
    )


def _summary(drive: list[dict], sheet: SpecSheet, need: Need | None = None) -> str:
    if sheet.driver_type == "electrostatic":
        return "Electrostatic: it needs an energizer, whatever the other figures say."
    volts_only = None if drive or need is None else _per_volt_alone(sheet, need)
    if volts_only:
        return f"Voltage: {volts_only}."
    if not drive:
        return "Without both sensitivity and impedance, the power it needs cannot be worked out."
    return " ".join(d["verdict"] for d in drive)
