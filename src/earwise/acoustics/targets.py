"""Targets: any target CSV, each rig's Harman target, and a listener's personal target.

Curves from different rigs are never compared without their own rig's target (shared
measurements README): oratory1990 used GRAS 43AG/43AC couplers (Harman's research rigs);
Rtings, Innerfidelity and Headphone.com used a Head Acoustics HMS II.3, each with its own
Harman-equivalent target.

Personal target = the rig's Harman target + a low shelf at 105 Hz, Q 0.7 (AutoEq's bass-boost
defaults) + a treble tilt in dB/octave about 632 Hz (the log centre of 20 Hz-20 kHz).
Presets follow Olive, Welti & Khonsaripour's 2022 listener segments: 64 % prefer the Harman
target, 15 % prefer 4-6 dB more bass, 21 % about 2 dB less.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from earwise.acoustics.io import parse_measurement_text, read_autoeq_csv
from earwise.acoustics.peq import DEFAULT_FS_HZ, Filter, response_db
from earwise.acoustics.response import FrequencyResponse

RIG_OF_SOURCE = {
    "oratory1990": "GRAS 43AG/43AC",
    "Rtings": "HMS II.3 (Rtings)",
    "Innerfidelity": "HMS II.3 (Innerfidelity)",
    "Headphone.com Legacy": "HMS II.3 (Headphone.com)",
}
RIG_FAMILY = {
    "oratory1990": "GRAS",
    "Rtings": "HMS",
    "Innerfidelity": "HMS",
    "Headphone.com Legacy": "HMS",
}
_PREFIX = {
    "oratory1990": "harman",
    "Rtings": "rtings_harman",
    "Innerfidelity": "innerfidelity_harman",
    "Headphone.com Legacy": "headphonecom_harman",
}
# Harman over-ear 2018 (Olive, Welti, McMullin 2018) and in-ear 2019 v2 (Olive et al. 2019).
_TARGET_NAME = {"over-ear": "over-ear_2018", "in-ear": "in-ear_2019v2", "earbud": "in-ear_2019v2"}

BASS_SHELF_FC_HZ = 105.0  # AutoEq DEFAULT_BASS_BOOST_FC
BASS_SHELF_Q = 0.7  # AutoEq DEFAULT_BASS_BOOST_Q
TILT_CENTRE_HZ = 20.0 * np.sqrt(20000.0 / 20.0)  # 632 Hz, log centre of the audible band
TREBLE_BAND_OCTAVES = float(np.log2(np.sqrt(2000 * 10000) / TILT_CENTRE_HZ))  # 2-10 kHz centre
# Olive, Welti & Khonsaripour (2022): listener segments (bass shelf in dB, tilt dB/oct).
PRESETS = {"harman": (0.0, 0.0), "more-bass": (5.0, 0.0), "less-bass": (-2.0, 0.0)}


def load_target(path: Path | str) -> FrequencyResponse:
    """Any target curve in AutoEq CSV format (levels in dB, frequencies in Hz)."""
    return read_autoeq_csv(path)


def parse_target_text(text: str, name: str) -> FrequencyResponse:
    """A target curve from uploaded text (no file), read by the measurement parser.

    Same formats and checks as :func:`~earwise.acoustics.io.parse_measurement_text`; errors are
    :class:`~earwise.acoustics.io.MeasurementError` subclasses naming ``name`` and line numbers,
    never the text.
    """
    return parse_measurement_text(text, name)


def harman_target(source: str, form: str, root: Path) -> FrequencyResponse:
    """The Harman target for a measurement source's rig and a form (over-ear, in-ear, earbud)."""
    name = f"{_PREFIX[source]}_{_TARGET_NAME[form]}"
    return read_autoeq_csv(root / "targets" / f"{name}.csv", name)


def personal_target(
    base: FrequencyResponse, bass_db: float = 0.0, tilt_db_per_octave: float = 0.0
) -> FrequencyResponse:
    """``base`` + a 105 Hz low shelf of ``bass_db`` + a tilt about 632 Hz."""
    shelf = response_db(
        [Filter("LSC", BASS_SHELF_FC_HZ, BASS_SHELF_Q, bass_db)], base.freq_hz, DEFAULT_FS_HZ
    )
    tilt = tilt_db_per_octave * np.log2(base.freq_hz / TILT_CENTRE_HZ)
    label = f"{base.name} + {bass_db:+.1f} dB bass, {tilt_db_per_octave:+.2f} dB/oct"
    return replace(base, raw_db=base.raw_db + shelf + tilt, name=label)


def preset_target(base: FrequencyResponse, preset: str) -> FrequencyResponse:
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; valid: {', '.join(PRESETS)}")
    return personal_target(base, *PRESETS[preset])


def treble_db_to_tilt(treble_db: float) -> float:
    """The tilt (dB/oct about 632 Hz) that lifts the 2-10 kHz band by ``treble_db``."""
    return treble_db / TREBLE_BAND_OCTAVES
