"""Spec-sheet parsing: pasted text in, typed values out, with what could not be read named.

Copes with the ways real sheets are written: ``Ω``, ``ohm``, ``Ohms``, ``kΩ``; ``dB/mW``,
``dB SPL/mW``, ``dB/V``, ``dB SPL/Vrms``, ``dB (1 kHz, 1 mW)``, ``96 dB (500 Hz)``, ``112 dB SPL
at 1 kHz / 1 Vrms``; ``10Hz – 39,800Hz``, ``5 Hz to 40 kHz``, ``12-38500 Hz``, ``15 - 28.000 Hz``;
``THD < 0.1% (1 kHz, 100 dB)``; ``290 g (without cable)``, ``0.29 kg``, ``10.2 oz``;
``40 mm dynamic``; decimal commas (``0,1 %``, ``98,5 dB``).

Impossible values (negative or zero impedance, a sensitivity outside 40-160 dB) raise
:class:`SpecError`; implausible ones are kept with a warning by the explainer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from earwise.core.errors import EarwiseError

MAX_TEXT_CHARS = 20_000
SENSITIVITY_LIMITS_DB = (40.0, 160.0)  # physically impossible outside (refused)
IMPEDANCE_LIMITS_OHM = (0.5, 200_000.0)  # refused outside

NUMBER = r"[-+]?\d+(?:[.,]\d+)*"  # groups of digits, one mark between ("16...32" is two)
_DRIVER_TYPES = {
    "electrostatic": "electrostatic",
    "planar magnetic": "planar",
    "planar-magnetic": "planar",
    "planar": "planar",
    "orthodynamic": "planar",
    "isodynamic": "planar",
    "balanced armature": "balanced-armature",
    "balanced-armature": "balanced-armature",
    "hybrid": "hybrid",
    "dynamic": "dynamic",
    "moving coil": "dynamic",
}
KEYWORDS = ("impedance", "sensitivity", "spl", "frequency", "response", "thd", "distortion",
            "weight", "driver", "transducer", "ohm", "ω", "db", "hz", "gewicht", "impédance",
            "impedanz", "empfindlichkeit", "sensibilité", "poids", "peso")  # fmt: skip


# A sensitivity's label, and any other spec's label (where the sensitivity's clause ends).
_SENSITIVITY_LABEL = re.compile(r"sensitiv|empfindlich|sensibilit|efficiency", re.IGNORECASE)
_OTHER_LABEL = re.compile(
    r"frequen|response|range|imped|thd|distortion|klirr|weight|gewicht|poids|peso|driver"
    r"|transducer|wandler|diaphragm|max(imum)?\.?\s*input|cable",
    re.IGNORECASE,
)


class SpecError(EarwiseError):
    """Spec text that cannot be used (impossible values, empty or oversized input)."""


@dataclass
class SpecSheet:
    """Values read from a sheet; ``None`` when the sheet does not give them."""

    impedance_ohm: float | None = None
    sensitivity_db: float | None = None
    sensitivity_unit: str | None = None  # "dB SPL/mW", "dB SPL/V" or None (not stated)
    sensitivity_ref_hz: float | None = None
    freq_range_hz: tuple[float, float] | None = None
    thd_pct: tuple[float, float] | None = None  # (low, high); equal when one figure
    thd_conditions: str | None = None
    weight_g: float | None = None
    weight_note: str | None = None
    driver_size_mm: float | None = None
    driver_type: str | None = None
    unread: list[str] = field(default_factory=list)


def parse_number(text: str, thousands_dot: bool = False) -> float:
    """A number written with '.' or ',' as decimal mark or thousands separator.

    '39,800' and (with ``thousands_dot``) '28.000' are thousands; '0,1' and '98,5' are decimals;
    with both marks the last one is the decimal mark ('1.234,5' / '1,234.5').
    """
    s = text.strip().lstrip("+")
    if "," in s and "." in s:
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if dec == "," else ",", "").replace(dec, ".")
    elif "," in s:
        s = s.replace(",", "") if re.fullmatch(r"-?\d{1,3}(,\d{3})+", s) else s.replace(",", ".")
    elif "." in s and thousands_dot and re.fullmatch(r"-?\d{1,3}(\.\d{3})+", s):
        s = s.replace(".", "")
    return float(s)


def _segments(text: str) -> list[str]:
    """Split at newlines, ';', '|', bullets, and ', ' outside parentheses.

    A literal backslash-n (``\\n``, as a shell passes ``--text "a\\nb"``) counts as a newline.
    """
    text = text.replace("\\r\\n", "\n").replace("\\n", "\n")
    parts, depth, cur = [], 0, []
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        depth = max(depth, 0)
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if ch in "\n;|•" or (ch == "," and nxt.isspace() and depth == 0):
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def _hz(value: str, unit: str) -> float:
    return parse_number(value, thousands_dot=True) * (
        1000.0 if unit.lower().startswith("k") else 1.0
    )


def _impedance(seg: str) -> float | None:
    m = re.search(rf"({NUMBER})\s*(k\s*)?(?:Ω|ω|ohms?\b|Ohm)", seg, re.IGNORECASE)
    if not m:
        return None
    value = parse_number(m.group(1)) * (1000.0 if m.group(2) else 1.0)
    if not IMPEDANCE_LIMITS_OHM[0] <= value <= IMPEDANCE_LIMITS_OHM[1]:
        raise SpecError(f"impedance {value:g} ohm is impossible (give a positive value in ohm)")
    return value


def _sensitivity_clause(seg: str) -> tuple[str, re.Match[str]] | None:
    """The sensitivity's own words in ``seg`` and its ``<number> dB`` match within them.

    With a label (``Sensitivity``, ``Empfindlichkeit`` ...) the clause runs from the label to the
    next other spec's label (``Frequency``, ``Impedance`` ...), so a one-line sheet's frequency
    range never lends the sensitivity its 10 Hz. Without a label it starts at the figure (the
    first ``dB`` followed by SPL or a ``/``, else the first ``dB``) and runs to the next label.
    """
    label = _SENSITIVITY_LABEL.search(seg)
    if label:
        stop = _OTHER_LABEL.search(seg, label.end())
        clause = seg[label.start() : stop.start() if stop else len(seg)]
        m = re.search(rf"({NUMBER})\s*dB", clause, re.IGNORECASE)
        return (clause, m) if m else None
    found = list(re.finditer(rf"({NUMBER})\s*dB", seg, re.IGNORECASE))
    if not found:
        return None
    first = next(
        (m for m in found if re.match(r"\s*(SPL|/)", seg[m.end() :], re.IGNORECASE)), found[0]
    )
    stop = _OTHER_LABEL.search(seg, first.end())
    clause = seg[first.start() : stop.start() if stop else len(seg)]
    return clause, re.match(rf"({NUMBER})\s*dB", clause, re.IGNORECASE)


def _sensitivity(seg: str) -> tuple[float, str | None, float | None] | None:
    """(level dB, unit, reference frequency Hz) from the sensitivity's own clause only."""
    got = _sensitivity_clause(seg)
    if not got:
        return None
    clause, m = got
    value = parse_number(m.group(1))
    if not SENSITIVITY_LIMITS_DB[0] <= value <= SENSITIVITY_LIMITS_DB[1]:
        raise SpecError(
            f"sensitivity {value:g} dB is impossible (real headphones: about 75-130 dB)"
        )
    rest = clause[m.end() :]
    unit = None
    if re.search(r"m\s*W", rest):
        unit = "dB SPL/mW"
    elif re.search(r"(/\s*V\b|V\s*rms|\b1\s*V\b|/\s*Vrms|per\s+volt)", rest, re.IGNORECASE):
        unit = "dB SPL/V"
    ref = re.search(rf"({NUMBER})\s*(k?Hz)", clause, re.IGNORECASE)
    return value, unit, _hz(ref.group(1), ref.group(2)) if ref else None


def _freq_range(seg: str) -> tuple[float, float] | None:
    m = re.search(
        rf"({NUMBER})\s*(k?Hz)?\s*(?:-|–|—|to|bis|à|a|~)\s*({NUMBER})\s*(k?Hz)", seg, re.IGNORECASE
    )
    if not m:
        return None
    hi_unit = m.group(4)
    lo = _hz(
        m.group(1),
        m.group(2)
        or ("Hz" if hi_unit.lower().startswith("k") and "." not in m.group(1) else hi_unit),
    )
    hi = _hz(m.group(3), hi_unit)
    return (lo, hi) if lo < hi else None


def _thd(seg: str) -> tuple[tuple[float, float], str | None] | None:
    pcts = re.findall(rf"({NUMBER})\s*%", seg)
    if not pcts:
        return None
    lo_hi = re.search(rf"({NUMBER})\s*(?:-|–|to)\s*({NUMBER})\s*%", seg)
    if lo_hi:
        lo, hi = parse_number(lo_hi.group(1)), parse_number(lo_hi.group(2))
    else:
        lo = hi = parse_number(pcts[0])
    cond = re.search(r"\(([^)]*)\)", seg)
    return (lo, hi), cond.group(1) if cond else None


def _weight(seg: str) -> tuple[float, str | None] | None:
    m = re.search(rf"({NUMBER})\s*(kg|g|oz)\b", seg, re.IGNORECASE)
    if not m:
        return None
    factor = {"kg": 1000.0, "g": 1.0, "oz": 28.3495}[m.group(2).lower()]
    note = re.search(r"\(([^)]*)\)", seg)
    return parse_number(m.group(1)) * factor, note.group(1) if note else None


def _driver(seg: str) -> tuple[float | None, str | None]:
    size = re.search(rf"({NUMBER})\s*mm", seg, re.IGNORECASE)
    low = seg.lower()
    kind = next((v for k, v in _DRIVER_TYPES.items() if k in low), None)
    return (parse_number(size.group(1)) if size else None), kind


def parse_spec_sheet(text: str) -> SpecSheet:
    """Read every spec the text gives; lines that look like specs but could not be read are kept
    in ``unread``."""
    if not text or not text.strip():
        raise SpecError("the spec sheet is empty")
    if len(text) > MAX_TEXT_CHARS:
        raise SpecError(f"the spec sheet is over {MAX_TEXT_CHARS:,} characters")
    sheet = SpecSheet()
    for seg in _segments(text):
        low = seg.lower()
        used = False
        if any(
            k in low for k in ("sensitiv", "empfindlich", "sensibilit", "spl", "efficiency")
        ) or re.search(r"dB\s*(SPL)?\s*/", seg):
            got = _sensitivity(seg)
            if got and sheet.sensitivity_db is None:
                sheet.sensitivity_db, sheet.sensitivity_unit, sheet.sensitivity_ref_hz = got
                used = True
        if any(k in low for k in ("thd", "distortion", "klirr", "distorsion")):
            got = _thd(seg)
            if got:
                sheet.thd_pct, sheet.thd_conditions = got
                used = True
        elif any(
            k in low
            for k in ("frequency", "response", "range", "frequenz", "fréquence", "frecuencia")
        ) or (
            re.search(r"Hz", seg) and re.search(r"(-|–|to)", seg) and sheet.freq_range_hz is None
        ):
            got = _freq_range(seg)
            if got:
                sheet.freq_range_hz = got
                used = True
        if "ω" in low or "ohm" in low or "imped" in low:
            got = _impedance(seg)
            if got is not None and sheet.impedance_ohm is None:
                sheet.impedance_ohm = got
                used = True
        if any(k in low for k in ("weight", "gewicht", "poids", "peso", "mass")) or re.fullmatch(
            rf"{NUMBER}\s*(g|kg|oz)\b.*", seg, re.IGNORECASE
        ):
            got = _weight(seg)
            if got:
                sheet.weight_g, sheet.weight_note = got
                used = True
        if any(k in low for k in ("driver", "transducer", "wandler", "diaphragm")) or any(
            k in low for k in _DRIVER_TYPES
        ):
            size, kind = _driver(seg)
            if size or kind:
                sheet.driver_size_mm = sheet.driver_size_mm or size
                sheet.driver_type = sheet.driver_type or kind
                used = True
        if not used and any(k in low for k in KEYWORDS):
            sheet.unread.append(seg[:120])
    return sheet
