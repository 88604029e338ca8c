"""Band features of an error curve (measurement minus its rig's target) and a signature label.

Bands (Hz): sub-bass 20-60, bass 60-250, low mids 250-500, mids 500-2000,
presence 2000-5000, treble 5000-10000, air 10000-20000. Each band's value is the
mean error in dB relative to the mean error over the reference band 250 Hz-2 kHz,
so a headphone that is simply louder or quieter overall reads 0 everywhere.

The three broad features the advisor uses are ``bass_db`` (20-250 Hz),
``mids_db`` (500-2000 Hz) and ``treble_db`` (2-10 kHz), on the same reference.
Above 10 kHz measurements depend on fit and coupler too much to be trusted
(Olive et al. limit their models to <= 10 kHz), so ``air`` is reported but unused.
"""

from __future__ import annotations

import numpy as np

from earwise.acoustics.io import FrequencyResponse

BANDS_HZ: dict[str, tuple[float, float]] = {
    "sub_bass": (20, 60),
    "bass": (60, 250),
    "low_mids": (250, 500),
    "mids": (500, 2000),
    "presence": (2000, 5000),
    "treble": (5000, 10000),
    "air": (10000, 20000),
}
REFERENCE_BAND_HZ = (250.0, 2000.0)
BROAD_HZ = {"bass_db": (20, 250), "mids_db": (500, 2000), "treble_db": (2000, 10000)}

# Signature thresholds in dB (broad features relative to the reference band).
TILT_THRESHOLD_DB = 2.0  # a broad band this far from the target is audibly emphasised
STRONG_BASS_DB = 5.0  # Olive 2022: the bass-loving segment prefers 4-6 dB over Harman
DARK_TREBLE_DB = -3.0


def _band_mean(freq_hz: np.ndarray, error_db: np.ndarray, lo: float, hi: float) -> float:
    sl = (freq_hz >= lo) & (freq_hz < hi)
    return float(error_db[sl].mean())


def band_features(measurement: FrequencyResponse, target: FrequencyResponse) -> dict[str, float]:
    """Band and broad features (dB) plus the tilt (dB/octave, 20 Hz-10 kHz) of the error curve."""
    freq = measurement.freq_hz
    error = measurement.raw_db - target.at(freq)
    error = error - _band_mean(freq, error, *REFERENCE_BAND_HZ)
    feats = {name: _band_mean(freq, error, lo, hi) for name, (lo, hi) in BANDS_HZ.items()}
    feats |= {name: _band_mean(freq, error, lo, hi) for name, (lo, hi) in BROAD_HZ.items()}
    sl = (freq >= 20) & (freq <= 10000)
    feats["tilt_db_per_octave"] = float(np.polyfit(np.log2(freq[sl]), error[sl], 1)[0])
    return {k: round(v, 2) for k, v in feats.items()}


def signature_label(bass_db: float, mids_db: float, treble_db: float) -> str:
    """A plain label from the broad features, by the documented thresholds above."""
    t = TILT_THRESHOLD_DB
    if bass_db >= t and treble_db >= t:
        return "v-shaped"
    if bass_db >= STRONG_BASS_DB:
        return "bass-heavy"
    if bass_db >= t:
        return "warm"
    if treble_db >= t:
        return "bright"
    if bass_db <= -t and treble_db <= -t / 2:
        return "mid-forward"
    if treble_db <= DARK_TREBLE_DB:
        return "dark"
    if bass_db <= -t:
        return "bright"  # lean bass: the balance tips to the treble
    return "neutral"
