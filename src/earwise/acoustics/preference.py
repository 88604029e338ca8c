"""Harman predicted preference scores from an error curve.

Over-ear: Olive, Welti & McMullin (2018), "A Statistical Model that Predicts
Listeners' Preference Ratings of Around-Ear and On-Ear Headphones", AES 144th Conv.
In-ear: Olive, Welti & Khonsaripour (2019), AES 147th Conv. (in-ear model).

SD is the sample standard deviation (ddof=1) of the error; slope is the
least-squares slope of the error against the natural log of frequency.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from earwise.acoustics.io import FrequencyResponse

HARMAN_OE_INTERCEPT = 114.49  # Olive et al. 2018
HARMAN_OE_SD_COEF = 12.62  # Olive et al. 2018
HARMAN_OE_SLOPE_COEF = 15.52  # Olive et al. 2018
HARMAN_OE_BAND_HZ = (50.0, 10000.0)  # Olive et al. 2018

HARMAN_IE_INTERCEPT = 100.0795  # Olive et al. 2019
HARMAN_IE_SD_COEF = 8.5  # Olive et al. 2019
HARMAN_IE_SLOPE_COEF = 6.796  # Olive et al. 2019
HARMAN_IE_AE_COEF = 3.475  # Olive et al. 2019
HARMAN_IE_BAND_HZ = (20.0, 10000.0)  # Olive et al. 2019
HARMAN_IE_AE_BAND_HZ = (40.0, 10000.0)  # Olive et al. 2019
HARMAN_IE_AE_REF_HZ = 500.0  # Olive et al. 2019


def _sd_slope(freq_hz: np.ndarray, error_db: np.ndarray) -> tuple[float, float]:
    sd = float(np.std(error_db, ddof=1))
    slope = float(stats.linregress(np.log(freq_hz), error_db).slope)
    return sd, slope


def over_ear_score(measurement: FrequencyResponse, target: FrequencyResponse) -> float:
    """Predicted preference (0-100 scale, can exceed it) of an over-/on-ear headphone."""
    freq = measurement.freq_hz
    error = measurement.raw_db - target.at(freq)
    sl = (freq >= HARMAN_OE_BAND_HZ[0]) & (freq <= HARMAN_OE_BAND_HZ[1])
    sd, slope = _sd_slope(freq[sl], error[sl])
    return HARMAN_OE_INTERCEPT - HARMAN_OE_SD_COEF * sd - HARMAN_OE_SLOPE_COEF * abs(slope)


def in_ear_score(measurement: FrequencyResponse, target: FrequencyResponse) -> float:
    """Predicted preference of an in-ear headphone (SD, slope and absolute error AE)."""
    freq = measurement.freq_hz
    error = measurement.raw_db - target.at(freq)
    sl = (freq >= HARMAN_IE_BAND_HZ[0]) & (freq <= HARMAN_IE_BAND_HZ[1])
    sd, slope = _sd_slope(freq[sl], error[sl])
    ae_sl = (freq >= HARMAN_IE_AE_BAND_HZ[0]) & (freq <= HARMAN_IE_AE_BAND_HZ[1])
    ref = np.interp(np.log(HARMAN_IE_AE_REF_HZ), np.log(freq), error)
    ae = float(np.mean(np.abs(error[ae_sl] - ref)))
    return (
        HARMAN_IE_INTERCEPT
        - HARMAN_IE_SD_COEF * sd
        - HARMAN_IE_SLOPE_COEF * abs(slope)
        - HARMAN_IE_AE_COEF * ae
    )
