"""The frequency-response value: frequencies in Hz, levels in dB; every operation returns a new one.

Interpolation is linear in level against log10(frequency) (AutoEq's ``pol_order=1`` spline),
onto AutoEq's standard grid 20 Hz * 1.01^k up to 20 kHz unless a grid is given.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

GRID_F_MIN_HZ = 20.0  # AutoEq DEFAULT_F_MIN
GRID_F_MAX_HZ = 20000.0  # AutoEq DEFAULT_F_MAX
GRID_STEP = 1.01  # AutoEq DEFAULT_STEP: each point 1 % above the previous


def standard_grid(
    f_min_hz: float = GRID_F_MIN_HZ, f_max_hz: float = GRID_F_MAX_HZ, step: float = GRID_STEP
) -> np.ndarray:
    """AutoEq's log grid: f_min * step**k <= f_max (695 points for 20 Hz-20 kHz)."""
    n = int(np.floor(np.log(f_max_hz / f_min_hz) / np.log(step))) + 1
    return f_min_hz * step ** np.arange(n)


def log_interp(x_hz: np.ndarray, freq_hz: np.ndarray, level_db: np.ndarray) -> np.ndarray:
    """Linear interpolation of ``level_db`` on log10 frequency, extrapolating linearly at the ends."""
    lx, lf = np.log10(x_hz), np.log10(freq_hz)
    y = np.interp(lx, lf, level_db)
    lo, hi = lx < lf[0], lx > lf[-1]
    if lo.any():
        slope = (level_db[1] - level_db[0]) / (lf[1] - lf[0])
        y[lo] = level_db[0] + slope * (lx[lo] - lf[0])
    if hi.any():
        slope = (level_db[-1] - level_db[-2]) / (lf[-1] - lf[-2])
        y[hi] = level_db[-1] + slope * (lx[hi] - lf[-1])
    return y


@dataclass(frozen=True)
class FrequencyResponse:
    """A response: ``freq_hz`` strictly increasing, ``raw_db`` the level at each frequency."""

    freq_hz: np.ndarray
    raw_db: np.ndarray
    name: str = ""

    def at(self, freq_hz: np.ndarray | float) -> np.ndarray:
        """Levels (dB) at ``freq_hz`` (log-linear interpolation)."""
        return log_interp(
            np.atleast_1d(np.asarray(freq_hz, dtype=float)), self.freq_hz, self.raw_db
        )

    def interpolate(self, freq_hz: np.ndarray | None = None) -> FrequencyResponse:
        """The response on ``freq_hz`` (default: the standard 20 Hz-20 kHz log grid)."""
        grid = standard_grid() if freq_hz is None else np.asarray(freq_hz, dtype=float)
        return replace(self, freq_hz=grid, raw_db=self.at(grid))

    def normalise(
        self, at_hz: float | None = 1000.0, band_hz: tuple[float, float] | None = None
    ) -> FrequencyResponse:
        """Shift so the level at ``at_hz`` (or the mean over ``band_hz``) is 0 dB."""
        if band_hz is not None:
            sl = (self.freq_hz >= band_hz[0]) & (self.freq_hz <= band_hz[1])
            if not sl.any():
                raise ValueError(f"no points between {band_hz[0]:g} and {band_hz[1]:g} Hz")
            ref = float(self.raw_db[sl].mean())
        else:
            ref = float(self.at(at_hz)[0])
        return replace(self, raw_db=self.raw_db - ref)

    def smooth(self, fraction: float = 1 / 6) -> FrequencyResponse:
        """Fractional-octave smoothing: each point becomes the mean level within
        +-``fraction``/2 octave of it (computed on a uniform log grid with cumulative sums)."""
        if not fraction > 0:
            raise ValueError("smoothing fraction must be > 0 (e.g. 1/3, 1/6, 1/12 octave)")
        lf = np.log2(self.freq_hz)
        grid = np.arange(lf[0], lf[-1] + 1e-9, min(fraction / 8, 1 / 96))
        y = np.interp(grid, lf, self.raw_db)
        cum = np.concatenate(([0.0], np.cumsum(y)))
        half = fraction / 2
        lo = np.searchsorted(grid, lf - half, side="left")
        hi = np.searchsorted(grid, lf + half, side="right")
        return replace(self, raw_db=(cum[hi] - cum[lo]) / (hi - lo))

    def minus(self, target: FrequencyResponse) -> FrequencyResponse:
        """The error curve: this response minus ``target`` (interpolated to this grid)."""
        return replace(
            self, raw_db=self.raw_db - target.at(self.freq_hz), name=f"{self.name} error"
        )
