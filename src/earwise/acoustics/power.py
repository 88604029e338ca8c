"""Drive physics: sensitivity units, voltage/current/power for a level, source limits.

All functions accept numpy arrays as well as floats.

Sensitivity conversion: at 1 Vrms a load of Z ohm takes P = 1/Z W = 1000/Z mW, so
``S[dB SPL/V] = S[dB SPL/mW] + 10*log10(1000 / Z)``.
Level for a voltage: ``L = S[dB SPL/V] + 20*log10(V)``.

Listening levels and crest factors (how far music peaks rise above its average):
- quiet 70, normal 80, loud 90 dB SPL average. 80 dB(A) is the reference exposure of
  ITU-T H.870 (2018) "Guidelines for safe listening devices/systems" for 40 h/week.
- crest factors follow Bob Katz's K-System ("Integrating Loudness Metering and
  Monitoring", JAES 48(9), 2000): 20 dB of headroom above the average for wide
  dynamic-range music (classical, film, acoustic jazz: K-20), 14 dB for pop and
  rock mastering (K-14). See ``advice/data/genres.yaml`` for each genre's figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Threshold of hearing in quiet near 1-4 kHz, where hiss is heard first: about 0 dB SPL (ISO 226:2023
# equal-loudness contours, threshold curve; ISO 389-7 free-field reference thresholds, lowest at 3-4 kHz).
HEARING_THRESHOLD_DB_SPL = 0.0
LISTENING_LEVEL_DB_SPL = {"quiet": 70.0, "normal": 80.0, "loud": 90.0}  # ITU-T H.870 reference 80
UNKNOWN_UNIT_NOTE = "sensitivity published without unit: read both ways, the lower is used"


def spl_per_v_from_mw(sens_db_spl_mw, impedance_ohm):
    """dB SPL/mW -> dB SPL/V for a load of ``impedance_ohm``."""
    return np.asarray(sens_db_spl_mw) + 10 * np.log10(1000.0 / np.asarray(impedance_ohm))


def spl_per_mw_from_v(sens_db_spl_v, impedance_ohm):
    """dB SPL/V -> dB SPL/mW for a load of ``impedance_ohm``."""
    return np.asarray(sens_db_spl_v) - 10 * np.log10(1000.0 / np.asarray(impedance_ohm))


def volts_for_level(level_db_spl, sens_db_spl_v):
    """Vrms needed at the headphone for ``level_db_spl``."""
    return 10 ** ((np.asarray(level_db_spl) - np.asarray(sens_db_spl_v)) / 20)


def silent_noise_uv(sens_db_spl_v):
    """The source output noise (µV rms) that a headphone of ``sens_db_spl_v`` (dB SPL/V) turns into
    sound at the threshold of hearing (HEARING_THRESHOLD_DB_SPL): a source noisier than this hisses
    audibly in a quiet room with nothing playing."""
    return volts_for_level(HEARING_THRESHOLD_DB_SPL, sens_db_spl_v) * 1e6


def milliwatts(volts, impedance_ohm):
    """Power (mW) into the load at ``volts`` Vrms."""
    return np.asarray(volts) ** 2 / np.asarray(impedance_ohm) * 1000


def milliamps(volts, impedance_ohm):
    """Current (mA rms) into the load at ``volts`` Vrms."""
    return np.asarray(volts) / np.asarray(impedance_ohm) * 1000


def level_for_volts(volts, sens_db_spl_v):
    """dB SPL reached at ``volts`` Vrms on the headphone."""
    return np.asarray(sens_db_spl_v) + 20 * np.log10(np.asarray(volts))


@dataclass(frozen=True)
class SourceLimits:
    """What one output can deliver: open-circuit voltage, output impedance, current limit.

    ``max_current_ma`` is ``None`` when neither published nor implied by the ratings;
    the output is then treated as voltage-limited.
    """

    v_open_vrms: float
    zout_ohm: float
    max_current_ma: float | None = None
    name: str = ""


def limits_from_ratings(
    ratings: list[tuple[float | None, float | None, float | None]],
    zout_ohm: float | None,
    max_current_ma: float | None = None,
    name: str = "",
) -> SourceLimits | None:
    """Combine published ratings ``(vrms, power_mw, load_ohm)`` into :class:`SourceLimits`.

    Each rating becomes the voltage across its load (``sqrt(P*R)`` for a power rating);
    the open-circuit voltage is the largest ``V*(R+Zout)/R``. A rating that falls short
    of that voltage at a lower load than the one that reached it reveals a current limit
    ``V/R``; one at a higher load is another mode of the output (a laptop jack that drops to
    1 V line level into 4.7 kohm), not a limit on current.
    """
    if not ratings:
        return None
    z = zout_ohm or 0.0
    points = []
    for vrms, power_mw, load in ratings:
        v = vrms if vrms is not None else float(np.sqrt(power_mw / 1000 * load))
        v_open = v if load is None else v * (load + z) / load
        points.append((v, load, v_open))
    v_open = max(p[2] for p in points)
    load_at_max = max(points, key=lambda p: p[2])[1]
    limit = max_current_ma
    for v, load, v_o in points:
        lower_load = load_at_max is None or (load is not None and load < load_at_max)
        if load is not None and lower_load and v_o < 0.97 * v_open:
            implied = v / load * 1000
            limit = implied if limit is None else min(limit, implied)
    return SourceLimits(v_open, z, limit, name)


def volts_at_load(limits: SourceLimits, impedance_ohm):
    """Largest Vrms the output puts across a load: divider by Zout, capped by current."""
    z = np.asarray(impedance_ohm, dtype=float)
    v = limits.v_open_vrms * z / (z + limits.zout_ohm)
    if limits.max_current_ma is not None:
        v = np.minimum(v, limits.max_current_ma / 1000 * z)
    return v


def current_limited(limits: SourceLimits, impedance_ohm):
    """True where the current limit, not the voltage, sets the maximum."""
    z = np.asarray(impedance_ohm, dtype=float)
    if limits.max_current_ma is None:
        return np.zeros_like(z, dtype=bool)
    return limits.max_current_ma / 1000 * z < limits.v_open_vrms * z / (z + limits.zout_ohm)


def peak_level(limits: SourceLimits, sens_db_spl_v, impedance_ohm):
    """Highest dB SPL the output reaches with a headphone (before clipping)."""
    return level_for_volts(volts_at_load(limits, impedance_ohm), sens_db_spl_v)


def zout_level_loss_db(impedance_ohm, zout_ohm):
    """Level lost (dB, negative) in the divider formed by the output impedance."""
    z = np.asarray(impedance_ohm, dtype=float)
    return 20 * np.log10(z / (z + zout_ohm))
