"""Parametric EQ: fit peaking and shelf biquads (RBJ cookbook) to an equalization goal.

Method:
1. Fixed parameters (e.g. a 105 Hz, Q 0.7 low shelf) stay fixed; free ones have bounds.
2. Greedy start: shelves take the mean goal at the band ends; each peaking filter is placed on
   the largest remaining deviation of the (1/6-octave smoothed) residual, its gain the
   residual there and its Q from the width of that feature (half-gain bandwidth).
3. Joint refinement of every free parameter with bounded least squares (``scipy.optimize.
   least_squares``, trust-region reflective) on log fc, log Q and gain; the Jacobian is built
   filter by filter from one vectorised evaluation of all perturbed filters.

The error is measured from 20 Hz to 10 kHz. Above 10 kHz measurements cannot resolve the
response at the eardrum (it changes with fit and with each coupler), so there only the band's
average level is matched (one residual carrying the weight of all the points it replaces), as
AutoEq does; no narrow filter chases detail up there.

SciPy is imported only when a fit runs (``Fitter``), never at import: the response functions
(used by targets and every command) need only numpy, and ``scipy.optimize`` costs ~0.3 s.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

DEFAULT_FS_HZ = 44100.0  # AutoEq DEFAULT_FS
FIT_BAND_HZ = (20.0, 10000.0)
FIT_GRID_STEP = (
    1.03  # fit on a 1/23-octave grid: a Q 6 peak (0.24 octave wide) still spans 5+ points
)
START_PLAN = ((1 / 6, 20), (1 / 2, 10))  # (smoothing octaves of the greedy start, LM evaluations)
POLISH_NFEV = 15
JAC_STEP = 1e-4
TYPE_CODES = {"PK": 0, "LSC": 1, "HSC": 2}


@dataclass(frozen=True)
class Filter:
    """One biquad: type PK (peaking), LSC (low shelf) or HSC (high shelf)."""

    type: str
    fc_hz: float
    q: float
    gain_db: float


@dataclass(frozen=True)
class FilterSpec:
    """What the optimiser may change: ``fc_hz``/``q`` set means fixed."""

    type: str
    fc_hz: float | None = None
    q: float | None = None
    fc_bounds_hz: tuple[float, float] = (20.0, 10000.0)
    q_bounds: tuple[float, float] = (0.18248, 6.0)
    gain_bounds_db: tuple[float, float] = (-20.0, 20.0)


def trig(freq_hz: np.ndarray, fs_hz: float) -> tuple[np.ndarray, np.ndarray]:
    """cos(w) and cos(2w) at ``freq_hz`` (w = 2 pi f / fs), reused across evaluations."""
    w = 2 * np.pi * np.asarray(freq_hz, float) / fs_hz
    return np.cos(w)[None, :], np.cos(2 * w)[None, :]


def _peaking_db(fc, q, gain, fs: float, c1: np.ndarray, c2: np.ndarray) -> np.ndarray:
    """Peaking filters in closed form. With b0 + b2 = 2 and b1 = a1 = -2 cos w0 (RBJ), the squared
    magnitudes share K = 2 + 4 cos^2 w0 - 8 cos w0 cos w + 2 cos 2w, so
    |H|^2 = (K + 2 (alpha A)^2 (1 - cos 2w)) / (K + 2 (alpha / A)^2 (1 - cos 2w))."""
    w0 = (2 * np.pi / fs) * fc
    cos0 = np.cos(w0)
    alpha2 = (np.sin(w0) / (2 * q)) ** 2
    a2 = 10 ** (gain / 20)  # A^2
    k = (2 + 4 * cos0 * cos0)[:, None] - (8 * cos0)[:, None] * c1 + 2 * c2
    s = 1 - c2
    num = k + (2 * alpha2 * a2)[:, None] * s
    den = k + (2 * alpha2 / a2)[:, None] * s
    return 10 * np.log10(num / den)


def _shelf_db(types, fc, q, gain, fs: float, c1: np.ndarray, c2: np.ndarray) -> np.ndarray:
    """RBJ low (type 1) and high (type 2) shelves on the unit circle:
    |b0 + b1 z + b2 z^2|^2 = b0^2 + b1^2 + b2^2 + 2 (b0 b1 + b1 b2) cos w + 2 b0 b2 cos 2w."""
    a = 10 ** (gain / 40)
    w0 = (2 * np.pi / fs) * fc
    c, sq = np.cos(w0), np.sqrt(a) * np.sin(w0) / q  # 2 sqrt(A) alpha
    s = np.where(types == 1, 1.0, -1.0)  # +1 low shelf, -1 high shelf
    ap, am = a + 1, a - 1
    b0, b1, b2 = (
        a * (ap - s * am * c + sq),
        s * 2 * a * (am - s * ap * c),
        a * (ap - s * am * c - sq),
    )
    a0, a1, a2 = ap + s * am * c + sq, -s * 2 * (am + s * ap * c), ap + s * am * c - sq
    col = lambda v: v[:, None]  # noqa: E731
    num = (
        col(b0 * b0 + b1 * b1 + b2 * b2) + col(2 * (b0 * b1 + b1 * b2)) * c1 + col(2 * b0 * b2) * c2
    )
    den = (
        col(a0 * a0 + a1 * a1 + a2 * a2) + col(2 * (a0 * a1 + a1 * a2)) * c1 + col(2 * a0 * a2) * c2
    )
    return 10 * np.log10(num / den)


def responses_db(types, fc, q, gain, freq_hz: np.ndarray, fs_hz: float, cos=None) -> np.ndarray:
    """Magnitude response (dB) of each filter (rows) at ``freq_hz``."""
    c1, c2 = cos if cos is not None else trig(freq_hz, fs_hz)
    types = np.asarray(types)
    fc, q, gain = (np.asarray(x, float) for x in (fc, q, gain))
    pk = types == 0
    if pk.all():
        return _peaking_db(fc, q, gain, fs_hz, c1, c2)
    if not pk.any():
        return _shelf_db(types, fc, q, gain, fs_hz, c1, c2)
    out = np.empty((len(types), c1.shape[1]))
    out[pk] = _peaking_db(fc[pk], q[pk], gain[pk], fs_hz, c1, c2)
    out[~pk] = _shelf_db(types[~pk], fc[~pk], q[~pk], gain[~pk], fs_hz, c1, c2)
    return out


def response_db(filters: list[Filter], freq_hz: np.ndarray, fs_hz: float) -> np.ndarray:
    """Combined response (dB) of ``filters`` at ``freq_hz``."""
    if not filters:
        return np.zeros(len(freq_hz))
    types = np.array([TYPE_CODES[f.type] for f in filters])
    arr = np.array([[f.fc_hz, f.q, f.gain_db] for f in filters], dtype=float)
    return responses_db(
        types, arr[:, 0], arr[:, 1], arr[:, 2], np.asarray(freq_hz, float), fs_hz
    ).sum(axis=0)


def _smooth(y: np.ndarray, freq_hz: np.ndarray, octaves: float = 1 / 6) -> np.ndarray:
    lf = np.log2(freq_hz)
    cum = np.concatenate(([0.0], np.cumsum(y)))
    lo = np.searchsorted(lf, lf - octaves / 2)
    hi = np.searchsorted(lf, lf + octaves / 2, side="right")
    return (cum[hi] - cum[lo]) / (hi - lo)


def _q_from_width(residual: np.ndarray, freq_hz: np.ndarray, ix: int) -> float:
    """Q of a peaking filter matching the half-gain width of the feature at ``ix``."""
    peak = residual[ix]
    half = np.abs(residual) < abs(peak) / 2
    left = ix - np.argmax(half[ix::-1]) if half[: ix + 1].any() else 0
    right = ix + np.argmax(half[ix:]) if half[ix:].any() else len(freq_hz) - 1
    octaves = max(np.log2(freq_hz[right] / freq_hz[max(left, 0)]), 0.1)
    return float(np.sqrt(2**octaves) / (2**octaves - 1))


class Fitter:
    """Fits ``specs`` to ``goal_db`` (on ``freq_hz``) at sample rate ``fs_hz``."""

    def __init__(
        self, specs: list[FilterSpec], freq_hz: np.ndarray, goal_db: np.ndarray, fs_hz: float
    ):
        self.specs, self.fs = specs, fs_hz
        self.f = np.asarray(freq_hz, float)
        self.goal = np.asarray(goal_db, float)
        band = (self.f >= FIT_BAND_HZ[0]) & (self.f <= FIT_BAND_HZ[1])
        self.hf = self.f > FIT_BAND_HZ[1]
        self.band_goal = self.goal[band]
        self.hf_goal = float(self.goal[self.hf].mean()) if self.hf.any() else 0.0
        self.hf_weight = np.sqrt(max(int(self.hf.sum()), 1))
        self.band = band
        self.types = np.array([TYPE_CODES[s.type] for s in specs])
        free = [
            (i, k)
            for i, s in enumerate(specs)
            for k, fixed in enumerate((s.fc_hz, s.q, None))
            if fixed is None
        ]
        self.free_i = np.array([i for i, _ in free], dtype=int)
        self.free_k = np.array([k for _, k in free], dtype=int)
        self.log_param = self.free_k < 2
        self.lo, self.hi = self._bounds()
        self.cos = trig(self.f, fs_hz)

    def _full(self, x: np.ndarray, base: np.ndarray) -> np.ndarray:
        """Unbounded x -> bounded parameters: lo + (hi - lo) * sigmoid(x), in log for fc and Q."""
        p = base.copy()
        from scipy.special import expit  # lazy: see the module docstring

        v = self.lo + (self.hi - self.lo) * expit(x)
        p[self.free_i, self.free_k] = np.where(self.log_param, np.exp(v), v)
        return p

    def _to_x(self, base: np.ndarray) -> np.ndarray:
        v = base[self.free_i, self.free_k]
        v = np.where(self.log_param, np.log(np.maximum(v, 1e-12)), v)
        u = np.clip((v - self.lo) / (self.hi - self.lo), 1e-6, 1 - 1e-6)
        return np.log(u / (1 - u))

    def _rows(self, p: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        t = self.types if rows is None else self.types[rows]
        q = p if rows is None else p[rows]
        return responses_db(t, q[:, 0], q[:, 1], q[:, 2], self.f, self.fs, self.cos)

    def _residual_from(self, total: np.ndarray) -> np.ndarray:
        r = total[..., self.band] - self.band_goal
        if not self.hf.any():
            return r
        hf = self.hf_weight * (total[..., self.hf].mean(axis=-1) - self.hf_goal)
        return np.concatenate([r, hf[..., None]], axis=-1)

    def residuals(self, x: np.ndarray, base: np.ndarray) -> np.ndarray:
        own = self._rows(self._full(x, base))
        self._last = (x.copy(), own)  # the Jacobian at the same point reuses it
        return self._residual_from(own.sum(axis=0))

    def jacobian(self, x: np.ndarray, base: np.ndarray) -> np.ndarray:
        """Forward differences: every perturbed free parameter in one evaluation per filter type."""
        p = self._full(x, base)
        last = getattr(self, "_last", None)
        own = last[1] if last is not None and np.array_equal(last[0], x) else self._rows(p)
        pp = p[self.free_i].copy()
        rows = np.arange(len(self.free_i))
        from scipy.special import expit  # lazy: see the module docstring

        v = self.lo + (self.hi - self.lo) * expit(x + JAC_STEP)
        pp[rows, self.free_k] = np.where(self.log_param, np.exp(v), v)
        pert = responses_db(
            self.types[self.free_i], pp[:, 0], pp[:, 1], pp[:, 2], self.f, self.fs, self.cos
        )
        delta = (pert - own[self.free_i]) / JAC_STEP  # d(total)/dx, one row per free parameter
        cols = delta[:, self.band]
        if self.hf.any():
            cols = np.concatenate(
                [cols, self.hf_weight * delta[:, self.hf].mean(axis=1)[:, None]], axis=1
            )
        return cols.T

    def initial(self, smoothing_oct: float = 1 / 6) -> np.ndarray:
        """Greedy start (see module docstring); returns the full parameter table."""
        p = np.zeros((len(self.specs), 3))
        residual = self.goal.copy()
        order = sorted(range(len(self.specs)), key=lambda i: self.specs[i].type == "PK")
        for i in order:
            s = self.specs[i]
            if s.type in ("LSC", "HSC"):
                fc = s.fc_hz or (105.0 if s.type == "LSC" else 10000.0)
                sel = self.f < fc / 2 if s.type == "LSC" else self.f > fc
                gain = float(residual[sel].mean()) if sel.any() else 0.0
                q = s.q or 0.7
            else:
                sm = _smooth(residual, self.f, smoothing_oct)
                if s.fc_hz is not None:  # fixed band: its gain is the residual at its centre
                    ix = int(np.argmin(np.abs(np.log(self.f / s.fc_hz))))
                else:
                    lo, hi = s.fc_bounds_hz
                    inside = self.band & (self.f >= lo) & (self.f <= hi)
                    ix = int(np.flatnonzero(inside)[np.argmax(np.abs(sm[inside]))])
                fc = s.fc_hz or float(self.f[ix])
                gain = float(sm[ix])
                q = s.q or _q_from_width(sm, self.f, ix)
            fc = s.fc_hz if s.fc_hz is not None else float(np.clip(fc, *s.fc_bounds_hz))
            q = s.q if s.q is not None else float(np.clip(q, *s.q_bounds))
            p[i] = (fc, q, float(np.clip(gain, *s.gain_bounds_db)))
            residual = residual - self._rows(p, np.array([i]))[0]
        return p

    def _bounds(self) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = [], []
        for i, k in zip(self.free_i, self.free_k, strict=True):
            b = (self.specs[i].fc_bounds_hz, self.specs[i].q_bounds, self.specs[i].gain_bounds_db)[
                k
            ]
            lo.append(np.log(b[0]) if k < 2 else b[0])
            hi.append(np.log(b[1]) if k < 2 else b[1])
        return np.array(lo), np.array(hi)

    def refine(self, base: np.ndarray, max_nfev: int) -> tuple[np.ndarray, float]:
        """Levenberg-Marquardt (MINPACK) on the bounded-by-construction parameters."""
        if not len(self.free_i):
            return base, float(np.sum(self.residuals(np.array([]), base) ** 2))
        from scipy.optimize import least_squares  # lazy: see the module docstring

        sol = least_squares(self.residuals, self._to_x(base), jac=self.jacobian, args=(base,),
                            method="lm", max_nfev=max_nfev, ftol=1e-6, xtol=1e-7)  # fmt: skip
        return self._full(sol.x, base), float(2 * sol.cost)

    def fit(self) -> list[Filter]:
        """Refine from two greedy starts (narrow and wide smoothing) briefly, then polish the better."""
        trials = [self.refine(self.initial(width), nfev) for width, nfev in START_PLAN]
        best, _ = min(trials, key=lambda t: t[1])
        best, _ = self.refine(best, POLISH_NFEV)
        names = {v: k for k, v in TYPE_CODES.items()}
        return [
            Filter(names[int(t)], float(fc), float(q), float(g))
            for t, (fc, q, g) in zip(self.types, best, strict=True)
        ]


def fit_grid(freq_hz: np.ndarray, goal_db: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The goal resampled (log-linear) on the fitting grid, 20 Hz to the goal's top frequency."""
    f = np.asarray(freq_hz, float)
    grid = 20.0 * FIT_GRID_STEP ** np.arange(int(np.log(f[-1] / 20.0) / np.log(FIT_GRID_STEP)) + 1)
    return grid, np.interp(np.log(grid), np.log(f), np.asarray(goal_db, float))


def fit_peq(
    specs: list[FilterSpec], freq_hz: np.ndarray, goal_db: np.ndarray, fs_hz: float
) -> list[Filter]:
    """Best filters for the goal (see module docstring)."""
    grid, goal = fit_grid(freq_hz, goal_db)
    return Fitter(specs, grid, goal, fs_hz).fit()


def rms_error_db(
    filters: list[Filter], freq_hz: np.ndarray, goal_db: np.ndarray, fs_hz: float
) -> float:
    """RMS difference (dB) between the filters' response and the goal, 20 Hz-10 kHz."""
    f = np.asarray(freq_hz, float)
    band = (f >= FIT_BAND_HZ[0]) & (f <= FIT_BAND_HZ[1])
    return float(np.sqrt(np.mean((response_db(filters, f, fs_hz) - goal_db)[band] ** 2)))


def preamp_db(filters: list[Filter], fs_hz: float) -> float:
    """Negative of the largest boost over 20 Hz-20 kHz, so the EQ cannot clip."""
    f = np.geomspace(20, 20000, 2000)
    return -max(0.0, float(response_db(filters, f, fs_hz).max()))


def rounded(
    filters: list[Filter], fc_step: float = 1.0, q_step: float = 0.01, gain_step: float = 0.1
) -> list[Filter]:
    """Filters rounded to what an app's fields accept."""
    return [replace(f, fc_hz=round(f.fc_hz / fc_step) * fc_step, q=round(f.q / q_step) * q_step,
                    gain_db=round(f.gain_db / gain_step) * gain_step) for f in filters]  # fmt: skip
