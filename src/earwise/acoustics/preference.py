"""Harman predicted preference scores, computed the way the published numbers were.

Over-ear: Olive, Welti & McMullin (2018), "A Statistical Model that Predicts Listeners'
Preference Ratings of Around-Ear and On-Ear Headphones", AES 144th Convention:
``score = 114.49 - 12.62*SD - 15.52*|slope|`` over 50 Hz-10 kHz.
In-ear: Olive, Welti & Khonsaripour (2019), AES 147th Convention (in-ear model):
``score = 100.0795 - 8.5*SD - 6.796*|slope| - 3.475*AE`` with SD and slope over 20 Hz-10 kHz
and AE the mean absolute error over 40 Hz-10 kHz after shifting the error to 0 dB at 500 Hz.

Procedure (reproduces AutoEq 4.1.2's RANKING numbers): the measurement and its rig's target
are put on the standard log grid (20 Hz * 1.01^k), error = measurement - target, the error is
interpolated (linear on log10 f) to the R40-style frequencies of Harman's spreadsheet below,
SD is the sample standard deviation (ddof=1, as in Listen Inc's Excel sheet) and slope the
least-squares slope of error against ln(f). The full-precision coefficients are the ones in
that sheet (as quoted by AutoEq); the papers round them.

Everything is vectorised over many measurements at once (``scores_*``), so the whole shared
library is scored in one pass.
"""

from __future__ import annotations

import numpy as np

from earwise.acoustics.response import FrequencyResponse, standard_grid

HARMAN_OE_INTERCEPT = 114.490443008238  # Olive et al. 2018 (114.49 in the paper)
HARMAN_OE_SD_COEF = 12.62  # Olive et al. 2018
HARMAN_OE_SLOPE_COEF = 15.5163857197367  # Olive et al. 2018 (15.52 in the paper)
HARMAN_OE_BAND_HZ = (50.0, 10000.0)  # Olive et al. 2018

HARMAN_IE_INTERCEPT = 100.0795  # Olive et al. 2019
HARMAN_IE_SD_COEF = 8.5  # Olive et al. 2019
HARMAN_IE_SLOPE_COEF = 6.796  # Olive et al. 2019
HARMAN_IE_AE_COEF = 3.475  # Olive et al. 2019
HARMAN_IE_BAND_HZ = (20.0, 10000.0)  # Olive et al. 2019
HARMAN_IE_AE_BAND_HZ = (40.0, 10000.0)  # Olive et al. 2019
HARMAN_IE_AE_REF_HZ = 500.0  # Olive et al. 2019

# Frequencies (Hz) at which Harman's preference spreadsheet evaluates the error: R40-style
# preferred numbers from 20 Hz to 20 kHz (in-ear sheet); the over-ear sheet rounds the lowest
# 16 to whole hertz. Same tables as AutoEq's constants.py.
HARMAN_IE_FREQS_HZ = np.array(
    [
    20, 21.2, 22.4, 23.6, 25, 26.5, 28, 30, 31.5, 33.5, 35.5, 37.5, 40, 42.5, 45, 47.5, 50, 53,
    56, 60, 63, 67, 71, 75, 80, 85, 90, 95, 100, 106, 112, 118, 125, 132, 140, 150, 160, 170,
    180, 190, 200, 212, 224, 236, 250, 265, 280, 300, 315, 335, 355, 375, 400, 425, 450, 475,
    500, 530, 560, 600, 630, 670, 710, 750, 800, 850, 900, 950, 1000, 1060, 1120, 1180, 1250,
    1320, 1400, 1500, 1600, 1700, 1800, 1900, 2000, 2120, 2240, 2360, 2500, 2650, 2800, 3000,
    3150, 3350, 3550, 3750, 4000, 4250, 4500, 4750, 5000, 5300, 5600, 6000, 6300, 6700, 7100,
    7500, 8000, 8500, 9000, 9500, 10000, 10600, 11200, 11800, 12500, 13200, 14000, 15000,
    16000, 17000, 18000, 19000, 20000,
    ]
)  # fmt: skip
HARMAN_OE_FREQS_HZ = np.concatenate(
    [
        [20, 21, 22, 24, 25, 27, 28, 30, 32, 34, 36, 38, 40, 43, 45, 48],
        HARMAN_IE_FREQS_HZ[16:],
    ]
)  # fmt: skip


def _interp_rows(rows: np.ndarray, grid_hz: np.ndarray, x_hz: np.ndarray) -> np.ndarray:
    """Rows on ``grid_hz`` interpolated (linear on log10 f) to ``x_hz``."""
    lg, lx = np.log10(grid_hz), np.log10(x_hz)
    j = np.clip(np.searchsorted(lg, lx) - 1, 0, len(lg) - 2)
    t = (lx - lg[j]) / (lg[j + 1] - lg[j])
    return rows[:, j] * (1 - t) + rows[:, j + 1] * t


def _sd_slope(freq_hz: np.ndarray, error: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row-wise sample SD (ddof=1) and least-squares slope against ln(f)."""
    x = np.log(freq_hz)
    xc = x - x.mean()
    sd = error.std(axis=1, ddof=1)
    slope = (error - error.mean(axis=1, keepdims=True)) @ xc / (xc @ xc)
    return sd, slope


def harman_errors(raw_db: np.ndarray, target_db: np.ndarray, freqs_hz: np.ndarray) -> np.ndarray:
    """Error curves (rows) on the standard grid interpolated to Harman's frequencies."""
    return _interp_rows(np.atleast_2d(raw_db) - target_db, standard_grid(), freqs_hz)


def scores_over_ear(raw_db: np.ndarray, target_db: np.ndarray) -> np.ndarray:
    """Over-ear scores for rows of ``raw_db`` (standard grid) against ``target_db`` (same grid)."""
    e = harman_errors(raw_db, target_db, HARMAN_OE_FREQS_HZ)
    sl = (HARMAN_OE_BAND_HZ[0] <= HARMAN_OE_FREQS_HZ) & (HARMAN_OE_BAND_HZ[1] >= HARMAN_OE_FREQS_HZ)
    sd, slope = _sd_slope(HARMAN_OE_FREQS_HZ[sl], e[:, sl])
    return HARMAN_OE_INTERCEPT - HARMAN_OE_SD_COEF * sd - HARMAN_OE_SLOPE_COEF * np.abs(slope)


def scores_in_ear(raw_db: np.ndarray, target_db: np.ndarray) -> np.ndarray:
    """In-ear scores for rows of ``raw_db`` (standard grid) against ``target_db`` (same grid)."""
    f = HARMAN_IE_FREQS_HZ
    e = harman_errors(raw_db, target_db, f)
    sl = (f >= HARMAN_IE_BAND_HZ[0]) & (f <= HARMAN_IE_BAND_HZ[1])
    sd, slope = _sd_slope(f[sl], e[:, sl])
    ref = e[:, np.flatnonzero(f == HARMAN_IE_AE_REF_HZ)[0]][:, None]
    ae_sl = (f >= HARMAN_IE_AE_BAND_HZ[0]) & (f <= HARMAN_IE_AE_BAND_HZ[1])
    ae = np.abs(e[:, ae_sl] - ref).mean(axis=1)
    return (
        HARMAN_IE_INTERCEPT
        - HARMAN_IE_SD_COEF * sd
        - HARMAN_IE_SLOPE_COEF * np.abs(slope)
        - HARMAN_IE_AE_COEF * ae
    )


def _on_grid(measurement: FrequencyResponse, target: FrequencyResponse):
    grid = standard_grid()
    return measurement.at(grid), target.at(grid)


def over_ear_score(measurement: FrequencyResponse, target: FrequencyResponse) -> float:
    """Predicted preference of an over-/on-ear headphone (can exceed 100 or go negative)."""
    return float(scores_over_ear(*_on_grid(measurement, target))[0])


def in_ear_score(measurement: FrequencyResponse, target: FrequencyResponse) -> float:
    """Predicted preference of a sealed in-ear headphone."""
    return float(scores_in_ear(*_on_grid(measurement, target))[0])
