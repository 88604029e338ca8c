"""Reference implementation for tests: RBJ Audio EQ Cookbook biquads written out coefficient by
coefficient, against which earwise's vectorised closed forms (acoustics/peq.py) are checked.

Coefficients are normalised so a0 = 1. ``fc_hz`` is the centre/corner frequency, ``q`` the
quality factor, ``gain_db`` the peak or shelf gain, ``fs_hz`` the sample rate.
"""

from __future__ import annotations

import numpy as np

DEFAULT_FS_HZ = 44100.0  # AutoEq DEFAULT_FS


def _norm(b: list[float], a: list[float]) -> tuple[np.ndarray, np.ndarray]:
    b, a = np.asarray(b, float), np.asarray(a, float)
    return b / a[0], a / a[0]


def peaking(fc_hz: float, q: float, gain_db: float, fs_hz: float = DEFAULT_FS_HZ):
    """RBJ peaking EQ: (b, a)."""
    big_a = 10 ** (gain_db / 40)
    w0 = 2 * np.pi * fc_hz / fs_hz
    alpha = np.sin(w0) / (2 * q)
    b = [1 + alpha * big_a, -2 * np.cos(w0), 1 - alpha * big_a]
    a = [1 + alpha / big_a, -2 * np.cos(w0), 1 - alpha / big_a]
    return _norm(b, a)


def low_shelf(fc_hz: float, q: float, gain_db: float, fs_hz: float = DEFAULT_FS_HZ):
    """RBJ low shelf: (b, a)."""
    big_a = 10 ** (gain_db / 40)
    w0 = 2 * np.pi * fc_hz / fs_hz
    alpha = np.sin(w0) / (2 * q)
    c, s2 = np.cos(w0), 2 * np.sqrt(big_a) * alpha
    b = [big_a * ((big_a + 1) - (big_a - 1) * c + s2), 2 * big_a * ((big_a - 1) - (big_a + 1) * c),
         big_a * ((big_a + 1) - (big_a - 1) * c - s2)]  # fmt: skip
    a = [(big_a + 1) + (big_a - 1) * c + s2, -2 * ((big_a - 1) + (big_a + 1) * c),
         (big_a + 1) + (big_a - 1) * c - s2]  # fmt: skip
    return _norm(b, a)


def high_shelf(fc_hz: float, q: float, gain_db: float, fs_hz: float = DEFAULT_FS_HZ):
    """RBJ high shelf: (b, a)."""
    big_a = 10 ** (gain_db / 40)
    w0 = 2 * np.pi * fc_hz / fs_hz
    alpha = np.sin(w0) / (2 * q)
    c, s2 = np.cos(w0), 2 * np.sqrt(big_a) * alpha
    b = [big_a * ((big_a + 1) + (big_a - 1) * c + s2), -2 * big_a * ((big_a - 1) + (big_a + 1) * c),
         big_a * ((big_a + 1) + (big_a - 1) * c - s2)]  # fmt: skip
    a = [(big_a + 1) - (big_a - 1) * c + s2, 2 * ((big_a - 1) - (big_a + 1) * c),
         (big_a + 1) - (big_a - 1) * c - s2]  # fmt: skip
    return _norm(b, a)


def response_db(b: np.ndarray, a: np.ndarray, freq_hz: np.ndarray, fs_hz: float = DEFAULT_FS_HZ):
    """Magnitude response (dB) of a biquad at ``freq_hz``."""
    z = np.exp(-1j * 2 * np.pi * np.asarray(freq_hz) / fs_hz)
    h = (b[0] + b[1] * z + b[2] * z**2) / (a[0] + a[1] * z + a[2] * z**2)
    return 20 * np.log10(np.abs(h))
