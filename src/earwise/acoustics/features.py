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

from earwise.acoustics.response import FrequencyResponse

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
LEAN_BASS_DB = -3.0


def band_matrix(freq_hz: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Names and an averaging matrix A (points x features): ``error @ A`` gives band means."""
    names = list(BANDS_HZ) + list(BROAD_HZ)
    spans = list(BANDS_HZ.values()) + list(BROAD_HZ.values())
    cols = []
    for lo, hi in spans:
        sl = ((freq_hz >= lo) & (freq_hz < hi)).astype(float)
        cols.append(sl / max(sl.sum(), 1.0))
    return names, np.stack(cols, axis=1)


def features_many(freq_hz: np.ndarray, error_db: np.ndarray) -> dict[str, np.ndarray]:
    """Band and broad features (dB, relative to 250 Hz-2 kHz) and tilt for rows of ``error_db``."""
    error_db = np.atleast_2d(error_db)
    ref = (freq_hz >= REFERENCE_BAND_HZ[0]) & (freq_hz < REFERENCE_BAND_HZ[1])
    rel = error_db - error_db[:, ref].mean(axis=1, keepdims=True)
    names, a = band_matrix(freq_hz)
    means = rel @ a
    out = {name: means[:, k] for k, name in enumerate(names)}
    sl = (freq_hz >= 20) & (freq_hz <= 10000)
    x = np.log2(freq_hz[sl])
    xc = x - x.mean()
    out["tilt_db_per_octave"] = (
        (rel[:, sl] - rel[:, sl].mean(axis=1, keepdims=True)) @ xc / (xc @ xc)
    )
    return out


def band_features(measurement: FrequencyResponse, target: FrequencyResponse) -> dict[str, float]:
    """Band and broad features (dB) plus the tilt (dB/octave, 20 Hz-10 kHz) of one error curve."""
    freq = measurement.freq_hz
    feats = features_many(freq, measurement.raw_db - target.at(freq))
    return {k: round(float(v[0]), 2) for k, v in feats.items()}


def signature_label(bass_db: float, mids_db: float, treble_db: float) -> str:
    """A plain label from the broad features (dB against the rig's Harman target):

    v-shaped  bass >= +2 and treble >= +2
    bass-heavy bass >= +5 (Olive 2022: the bass-loving segment wants 4-6 dB more)
    warm      bass >= +2
    bright    treble >= +2
    mid-forward bass <= -2 and treble <= -1 (both ends recessed around the mids)
    dark      treble <= -3
    lean      bass <= -3 (less bass than the Harman target)
    neutral   otherwise (within about 2 dB of the target in every broad band)
    """
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
    if bass_db <= LEAN_BASS_DB:
        return "lean"
    return "neutral"
