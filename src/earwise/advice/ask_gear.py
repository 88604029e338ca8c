"""Reading a question, part 4: gear described by its figures instead of its name.

"My interface's headphone out is rated +18 dBu into 600 ohm with 50 ohm output impedance",
"4 Vrms", "250 mW @ 300 ohm" describe a source; "98 dB/mW, 250 ohm" a headphone. They become an
ad-hoc source (open-circuit volts, output impedance) and an ad-hoc headphone (impedance,
sensitivity with its unit) so a drive question about gear the catalog lacks still gets numbers.

Conversions (each a definition, cited):
- dBu: 0 dBu = 0.7746 Vrms, the voltage that gives 1 mW into 600 ohm (sqrt(0.6) V; AES17 /
  IEC 60268 reference);
- dBV: 0 dBV = 1 Vrms;
- power into a load: V = sqrt(P * R) (Joule's law, P = V^2 / R).
A rating into a load is treated as the open-circuit voltage when no output impedance is given
(a low-impedance output barely sags), and corrected for the divider when it is:
V_open = V_load * (R + Zout) / R.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from earwise.acoustics.power import spl_per_v_from_mw
from earwise.advice.ask_text import Understood

DBU_REF_VRMS = math.sqrt(0.6)  # 0 dBu: 1 mW into 600 ohm (AES17 / IEC 60268)
DBV_REF_VRMS = 1.0  # 0 dBV: 1 Vrms

_NUM = r"(\d+(?:[.,]\d+)?)"
_OHM = r"\s*(?:Ω|ohms?\b|ohm\b|R\b)"
_DBU = re.compile(
    r"([+-]?\s?\d+(?:\.\d+)?)\s*dB(u|V)\b(?:[^.;!?]{0,20}?\binto\s+" + _NUM + _OHM + ")?"
)
_VRMS = re.compile(
    _NUM + r"\s*V(?:rms|\s*RMS)\b(?:[^.;!?]{0,20}?\b(?:into|@|at)\s+" + _NUM + _OHM + ")?", re.I
)
_POWER = re.compile(
    _NUM + r"\s*(mW|W)\b\s*(?:per channel\s*)?(?:@|into|at|/)\s*" + _NUM + _OHM, re.I
)
_ZOUT = re.compile(
    r"(?:output impedance|zout|z out)\s*(?:of|is|:|=|at)?\s*(?:about|around|~)?\s*" + _NUM + _OHM
    + r"|" + _NUM + _OHM + r"\s*(?:of\s+)?output impedance",
    re.I,
)  # fmt: skip
_SENS = re.compile(
    _NUM + r"\s*dB\s*(?:SPL)?\s*(?:/|per|@|at)\s*(?:1\s*)?(mW|milliwatt|Vrms|V\b|volt)", re.I
)
_IMPEDANCE = re.compile(_NUM + _OHM, re.I)


@dataclass
class AdHocSource:
    vrms: float  # open-circuit volts
    zout_ohm: float | None
    span: str

    def label(self) -> str:
        z = f", {self.zout_ohm:g} ohm output impedance" if self.zout_ohm is not None else ""
        return f"the output you described ({self.vrms:.2f} Vrms{z}: {self.span})"


@dataclass
class AdHocHeadphone:
    impedance_ohm: float | None
    sensitivity: float | None
    unit: str | None  # "dB SPL/mW" | "dB SPL/V"
    span: str

    def complete(self) -> bool:
        return self.impedance_ohm is not None and self.sensitivity is not None and bool(self.unit)

    def db_spl_per_v(self) -> float:
        """The sensitivity per volt (a complete headphone only): dB/mW + 10 log10(1000 / Z)."""
        if self.unit == "dB SPL/V":
            return self.sensitivity
        return float(spl_per_v_from_mw(self.sensitivity, self.impedance_ohm))


def _f(x: str) -> float:
    return float(x.replace(",", "."))


def read_gear_figures(u: Understood) -> tuple[AdHocSource | None, AdHocHeadphone | None]:
    """The ad-hoc source and headphone the text describes by figures (None when it does not)."""
    text = u.text
    used: list[tuple[int, int]] = []
    vrms = zout = None
    span = ""
    m = _DBU.search(text)
    if m:
        level = _f(m.group(1).replace(" ", ""))
        ref = DBU_REF_VRMS if m.group(2) == "u" else DBV_REF_VRMS
        vrms, span = ref * 10 ** (level / 20), m.group(0)
        used.append(m.span())
    if vrms is None and (m := _VRMS.search(text)):
        vrms, span = _f(m.group(1)), m.group(0)
        used.append(m.span())
    if vrms is None and (m := _POWER.search(text)):
        watts = _f(m.group(1)) / (1000 if m.group(2).lower() == "mw" else 1)
        vrms, span = math.sqrt(watts * _f(m.group(3))), m.group(0)
        used.append(m.span())
    z = _ZOUT.search(text)
    if z:
        zout = _f(z.group(1) or z.group(2))
        used.append(z.span())
    source = None
    if vrms is not None and 0 < vrms < 100:
        load = re.search(r"(?:into|@|at|/)\s*" + _NUM + _OHM, span, re.I)
        if load and zout:
            r_load = _f(load.group(1))
            vrms = vrms * (r_load + zout) / r_load  # back to the open-circuit voltage
        source = AdHocSource(round(vrms, 3), zout, span.strip())
    s = _SENS.search(text)
    sens = unit = None
    if s:
        sens = _f(s.group(1))
        unit = "dB SPL/mW" if s.group(2).lower().startswith("m") else "dB SPL/V"
        used.append(s.span())
    imp = None
    for m in _IMPEDANCE.finditer(text):
        if any(a <= m.start() < b for a, b in used):
            continue
        after = text[m.end() : m.end() + 25].lower()
        if "output impedance" in after:
            continue
        imp = _f(m.group(1))
        break
    headphone = None
    if sens is not None or imp is not None:  # impedance alone: judged over its class
        span_h = ", ".join(x for x in (s.group(0) if s else "", f"{imp:g} ohm" if imp else "") if x)
        headphone = AdHocHeadphone(imp, sens, unit, span_h)
    return source, headphone


# "to reach 110 dB", "hit 105 dB peaks": the loudest wanted; "I listen at 75 dB": the average
_PEAK_WANTED = re.compile(
    r"\b(?:reach|reaching|hit|hitting|get to|go up to|up to|achieve|peaks? (?:of|at)|peaking at)\s+"
    r"(\d{2,3}(?:\.\d)?)\s*dB(?:\s*\(?(?:SPL|A)\)?)?(?!\s*/)\b",
    re.I,
)
_LEVEL_SAID = re.compile(
    r"\blisten(?:s|ing)?\s+(?:at|around|to music at)\s+(?:about |around |roughly )?(\d{2,3})\s*dB"
    r"(?:\s*\(?(?:SPL|A)\)?)?(?!\s*/)\b",
    re.I,
)
PEAK_RANGE_DB = (60.0, 130.0)  # a peak SPL anyone asks a headphone to reach
LEVEL_RANGE_DB = (40.0, 115.0)  # advice.drive.need_for's listening-level range


def read_loudness(u: Understood) -> None:
    """The loudness the listener asks for, in dB SPL: a peak to reach ("how many mW to reach
    110 dB?") or an average listening level ("I listen at 75 dB"). Out of range, not read."""
    if (m := _PEAK_WANTED.search(u.text)) and PEAK_RANGE_DB[0] <= float(
        m.group(1)
    ) <= PEAK_RANGE_DB[1]:
        u.peak_db_spl = float(m.group(1))
        u.add("peak_db_spl", u.peak_db_spl, m)
    if (m := _LEVEL_SAID.search(u.text)) and LEVEL_RANGE_DB[0] <= float(
        m.group(1)
    ) <= LEVEL_RANGE_DB[1]:
        u.level_db_spl = float(m.group(1))
        u.add("level_db_spl", u.level_db_spl, m)
