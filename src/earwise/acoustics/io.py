"""Reading AutoEq-format measurement CSVs (``frequency,raw``) and locating the shared data."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MEASUREMENTS_ENV = "EARWISE_MEASUREMENTS"
REPO_ROOT = Path(__file__).resolve().parents[3]


class MeasurementError(ValueError):
    """A measurement file that cannot be read; the message names the file."""


@dataclass(frozen=True)
class FrequencyResponse:
    """A response: frequencies in Hz (increasing) and levels in dB."""

    freq_hz: np.ndarray
    raw_db: np.ndarray
    name: str = ""

    def at(self, freq_hz: np.ndarray) -> np.ndarray:
        """Levels interpolated linearly on a log-frequency axis (dB)."""
        return np.interp(np.log(freq_hz), np.log(self.freq_hz), self.raw_db)


def measurements_dir() -> Path:
    """The shared measurements folder (``EARWISE_MEASUREMENTS`` or ``../shared/measurements``)."""
    env = os.environ.get(MEASUREMENTS_ENV)
    return Path(env) if env else REPO_ROOT.parent / "shared" / "measurements"


def read_autoeq_csv(path: Path, name: str = "") -> FrequencyResponse:
    """Read a ``frequency,raw`` CSV; raise :class:`MeasurementError` naming the file."""
    try:
        data = np.loadtxt(path, delimiter=",", skiprows=1, usecols=(0, 1), ndmin=2)
    except (OSError, ValueError) as exc:
        raise MeasurementError(f"{path}: cannot read as frequency,raw CSV ({exc})") from exc
    freq, raw = data[:, 0], data[:, 1]
    if len(freq) < 10 or not np.all(np.diff(freq) > 0) or not np.all(np.isfinite(raw)):
        raise MeasurementError(f"{path}: needs >= 10 finite points with increasing frequencies")
    return FrequencyResponse(freq, raw, name or path.stem)


def measurement_path(ref: str, root: Path | None = None) -> Path:
    """Path of a catalog measurement reference ``"<Source>/<form>/<Name>"``."""
    source, form, name = ref.split("/", 2)
    return (root or measurements_dir()) / source / "data" / form / f"{name}.csv"
