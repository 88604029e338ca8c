"""Equalization goals, app presets with their limits, and each app's file syntax (write and read).

Goal: the inverse of the error curve (measurement minus target) normalised at 1 kHz,
smoothed to 1/12 octave (AutoEq's default), boosts capped at ``max_gain_db`` (default +6 dB:
large boosts eat headroom and drive the driver into distortion). Above 10 kHz the goal is held
at the band's average: measurements cannot resolve the response at the eardrum up there (it
changes with fit and coupler), so only the overall treble level is corrected.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from earwise.acoustics.peq import FIT_BAND_HZ, Filter, FilterSpec, preamp_db, rounded
from earwise.acoustics.response import FrequencyResponse, standard_grid
from earwise.core.errors import EarwiseError

DEFAULT_MAX_GAIN_DB = 6.0
GOAL_SMOOTHING_OCT = 1 / 12  # AutoEq DEFAULT_SMOOTHING_WINDOW_SIZE
MIN_POINTS_IN_BAND = 20
MAX_JAGGEDNESS_DB = 1.5  # median |second difference| on the 1 % grid: beyond this it is noise
GRAPHIC_EQ_STEP = (
    1.0563  # 127 points from 20 Hz to 20 kHz, the Equalizer APO GraphicEQ / Wavelet grid
)


class EqError(EarwiseError):
    """A measurement, target or preset that cannot give a sensible EQ; one readable line."""


def check_measurement(fr: FrequencyResponse) -> None:
    inside = (fr.freq_hz >= FIT_BAND_HZ[0]) & (fr.freq_hz <= FIT_BAND_HZ[1])
    if inside.sum() < MIN_POINTS_IN_BAND:
        raise EqError(
            f"{fr.name}: only {int(inside.sum())} points between 20 Hz and 10 kHz; at least {MIN_POINTS_IN_BAND} are needed to fit an EQ"
        )
    grid = standard_grid()
    jag = float(np.median(np.abs(np.diff(fr.at(grid[grid <= FIT_BAND_HZ[1]]), 2))))
    if jag > MAX_JAGGEDNESS_DB:
        raise EqError(
            f"{fr.name}: too noisy to fit (median point-to-point jump {jag:.1f} dB); smooth or re-measure it"
        )


def check_target(target: FrequencyResponse) -> None:
    if target.freq_hz[0] > FIT_BAND_HZ[0] * 1.05 or target.freq_hz[-1] < FIT_BAND_HZ[1]:
        raise EqError(
            f"target {target.name} covers {target.freq_hz[0]:g}-{target.freq_hz[-1]:g} Hz; it must cover 20 Hz-10 kHz"
        )


def _smooth(y: np.ndarray, freq_hz: np.ndarray, octaves: float) -> np.ndarray:
    return FrequencyResponse(freq_hz, y).smooth(octaves).raw_db


def goal_from_error(
    error_db: np.ndarray, freq_hz: np.ndarray, max_gain_db: float = DEFAULT_MAX_GAIN_DB
) -> np.ndarray:
    """Equalization goal from an error curve on ``freq_hz`` (see module docstring)."""
    err = error_db - np.interp(np.log(1000.0), np.log(freq_hz), error_db)
    eq = -_smooth(err, freq_hz, GOAL_SMOOTHING_OCT)
    hf = freq_hz > FIT_BAND_HZ[1]
    if hf.any():
        eq[hf] = eq[hf].mean()
    return np.minimum(eq, max_gain_db)


def equalization_goal(
    measurement: FrequencyResponse,
    target: FrequencyResponse,
    max_gain_db: float = DEFAULT_MAX_GAIN_DB,
) -> tuple[np.ndarray, np.ndarray]:
    """(frequencies, goal dB) on the standard grid, after checking both curves."""
    check_measurement(measurement)
    check_target(target)
    grid = standard_grid()
    return grid, goal_from_error(measurement.at(grid) - target.at(grid), grid, max_gain_db)


# --- presets --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    kind: str  # "parametric" | "fixed" (gains only) | "graphic" (a sampled curve)
    specs: tuple[FilterSpec, ...] = ()
    fs_hz: float = 48000.0
    gain_limit_db: float = 20.0
    q_bounds: tuple[float, float] = (0.18248, 6.0)
    extension: str = "txt"
    note: str = ""

    def with_limits(self, max_gain_db: float, n_filters: int | None) -> Preset:
        """The preset with the user's boost cap and filter count, refused when impossible."""
        if not 0 <= max_gain_db <= self.gain_limit_db:
            raise EqError(
                f"--max-gain must be between 0 and {self.gain_limit_db:g} dB for {self.title}"
            )
        specs = list(self.specs)
        if n_filters is not None:
            if self.kind != "parametric":
                raise EqError(f"{self.title} has fixed bands: --filters does not apply")
            if not 1 <= n_filters <= len(specs):
                raise EqError(f"{self.title} takes 1 to {len(specs)} filters, not {n_filters}")
            shelves = [s for s in specs if s.type != "PK"][: min(2, n_filters)]
            specs = shelves + [s for s in specs if s.type == "PK"][: n_filters - len(shelves)]
        specs = [
            replace(s, gain_bounds_db=(-self.gain_limit_db, min(max_gain_db, self.gain_limit_db)))
            for s in specs
        ]
        return replace(self, specs=tuple(specs))


def _parametric(
    n_peaking: int, gain_limit: float, q_bounds: tuple[float, float]
) -> tuple[FilterSpec, ...]:
    shelf_q = (min(0.4, q_bounds[1]), min(0.7, q_bounds[1]))
    return (
        FilterSpec("LSC", 105.0, 0.7, q_bounds=shelf_q, gain_bounds_db=(-gain_limit, gain_limit)),
        FilterSpec("HSC", 10000.0, 0.7, q_bounds=shelf_q, gain_bounds_db=(-gain_limit, gain_limit)),
        *[FilterSpec("PK", q_bounds=q_bounds, gain_bounds_db=(-gain_limit, gain_limit))]
        * n_peaking,
    )


def apo_specs() -> list[FilterSpec]:
    """Equalizer APO's 10-filter set: 105 Hz low shelf, 10 kHz high shelf, 8 peaking (AutoEq's default)."""
    return list(_parametric(8, 20.0, (0.18248, 6.0)))


GRAPHIC10_FC_HZ = tuple(31.25 * 2**k for k in range(10))  # 31.25 Hz ... 16 kHz, octave bands
GRAPHIC10_Q = 1.41  # one octave bandwidth
SPOTIFY_FC_HZ = (60.0, 150.0, 400.0, 1000.0, 2400.0, 15000.0)  # Spotify's six sliders
SPOTIFY_Q = (
    1.0  # Spotify does not publish its band shapes: a one-and-a-third-octave peak is assumed
)


def _fixed(fcs: tuple[float, ...], q: float, gain_limit: float) -> tuple[FilterSpec, ...]:
    return tuple(FilterSpec("PK", fc, q, gain_bounds_db=(-gain_limit, gain_limit)) for fc in fcs)


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "apo",
            "Equalizer APO / Peace",
            "parametric",
            _parametric(8, 20.0, (0.18248, 6.0)),
            note="10 filters: 8 peaking + low and high shelf",
        ),
        Preset(
            "graphiceq",
            "Equalizer APO GraphicEQ / Wavelet",
            "graphic",
            note="127-point graphic curve",
        ),
        Preset(
            "poweramp",
            "Poweramp",
            "parametric",
            _parametric(8, 15.0, (0.18248, 6.0)),
            gain_limit_db=15.0,
            note="imports the APO text format; bands +-15 dB",
        ),
        Preset(
            "qudelix",
            "Qudelix-5K",
            "parametric",
            _parametric(8, 12.0, (0.1, 7.0)),
            gain_limit_db=12.0,
            q_bounds=(0.1, 7.0),
            note="10-band PEQ, +-12 dB, Q 0.1-7; APO text format",
        ),
        Preset(
            "uapp",
            "USB Audio Player PRO",
            "parametric",
            _parametric(8, 12.0, (0.18248, 6.0)),
            gain_limit_db=12.0,
            note="parametric EQ in the APO text format",
        ),
        Preset(
            "rockbox",
            "Rockbox",
            "parametric",
            _parametric(8, 24.0, (0.5, 6.0)),
            fs_hz=44100.0,
            gain_limit_db=24.0,
            q_bounds=(0.5, 6.0),
            extension="cfg",
            note="low shelf, 8 peaking, high shelf; Q and gain in tenths",
        ),
        Preset(
            "graphic10",
            "10-band graphic EQ",
            "fixed",
            _fixed(GRAPHIC10_FC_HZ, GRAPHIC10_Q, 12.0),
            gain_limit_db=12.0,
            note="31.25 Hz x 2^k, Q 1.41",
        ),
        Preset(
            "spotify",
            "Spotify",
            "fixed",
            _fixed(SPOTIFY_FC_HZ, SPOTIFY_Q, 12.0),
            gain_limit_db=12.0,
            note="6 fixed sliders, +-12 dB",
        ),
    )
}


# --- writers and readers ----------------------------------------------------------------------

_APO_TYPES = {"PK": "PK", "LSC": "LSC", "HSC": "HSC"}


def write_apo(filters: list[Filter], preamp: float) -> str:
    lines = [f"Preamp: {preamp:.1f} dB"]
    lines += [
        f"Filter {i}: ON {_APO_TYPES[f.type]} Fc {f.fc_hz:.0f} Hz Gain {f.gain_db:.1f} dB Q {f.q:.2f}"
        for i, f in enumerate(filters, 1)
    ]
    return "\n".join(lines) + "\n"


def read_apo(text: str) -> tuple[list[Filter], float]:
    pre = re.search(r"^Preamp:\s*([-+\d.]+)\s*dB", text, re.M)
    if not pre:
        raise EqError("not an Equalizer APO file: no 'Preamp:' line")
    filters = []
    for m in re.finditer(
        r"^Filter\s+\d+:\s+ON\s+(PK|LSC|HSC)\s+Fc\s+([\d.]+)\s*Hz\s+Gain\s+([-+\d.]+)\s*dB\s+Q\s+([\d.]+)\s*$",
        text,
        re.M,
    ):
        filters.append(Filter(m.group(1), float(m.group(2)), float(m.group(4)), float(m.group(3))))
    return filters, float(pre.group(1))


def graphic_frequencies() -> np.ndarray:
    return np.round(20.0 * GRAPHIC_EQ_STEP ** np.arange(127))


def write_graphiceq(freq_hz: np.ndarray, gains_db: np.ndarray) -> str:
    return (
        "GraphicEQ: "
        + "; ".join(f"{f:.0f} {g:.1f}" for f, g in zip(freq_hz, gains_db, strict=True))
        + "\n"
    )


def read_graphiceq(text: str) -> tuple[np.ndarray, np.ndarray]:
    if not text.startswith("GraphicEQ:"):
        raise EqError("not a GraphicEQ file: it must start with 'GraphicEQ:'")
    pairs = [p.split() for p in text[len("GraphicEQ:") :].strip().split(";") if p.strip()]
    arr = np.array(pairs, dtype=float)
    return arr[:, 0], arr[:, 1]


def write_rockbox(filters: list[Filter], preamp: float) -> str:
    """Rockbox .cfg: 'eq <kind> filter: cutoff Hz, Q x 10, gain x 10'; 'eq precut' in tenths of dB."""
    lines = ["eq enabled: on", f"eq precut: {round(-preamp * 10)}"]
    peaks = iter(range(1, 9))
    for f in filters:
        kind = {"LSC": "low shelf filter", "HSC": "high shelf filter"}.get(
            f.type
        ) or f"peak filter {next(peaks)}"
        lines.append(f"eq {kind}: {f.fc_hz:.0f}, {round(f.q * 10)}, {round(f.gain_db * 10)}")
    return "\n".join(lines) + "\n"


def read_rockbox(text: str) -> tuple[list[Filter], float]:
    pre = re.search(r"^eq precut:\s*(\d+)", text, re.M)
    if not pre:
        raise EqError("not a Rockbox EQ file: no 'eq precut:' line")
    filters = []
    for m in re.finditer(
        r"^eq (low shelf|high shelf|peak) filter(?: \d+)?:\s*(\d+),\s*(\d+),\s*(-?\d+)\s*$",
        text,
        re.M,
    ):
        kind = {"low shelf": "LSC", "high shelf": "HSC", "peak": "PK"}[m.group(1)]
        filters.append(Filter(kind, float(m.group(2)), int(m.group(3)) / 10, int(m.group(4)) / 10))
    return filters, -int(pre.group(1)) / 10


def write_bands(filters: list[Filter], preamp: float) -> str:
    lines = [f"Preamp: {preamp:.1f} dB"] + [f"{f.fc_hz:g} Hz: {f.gain_db:+.1f} dB" for f in filters]
    return "\n".join(lines) + "\n"


def read_bands(text: str) -> tuple[list[float], list[float], float]:
    pre = re.search(r"^Preamp:\s*([-+\d.]+)\s*dB", text, re.M)
    if not pre:
        raise EqError("not a band list: no 'Preamp:' line")
    bands = re.findall(r"^([\d.]+) Hz:\s*([-+\d.]+) dB$", text, re.M)
    return [float(f) for f, _ in bands], [float(g) for _, g in bands], float(pre.group(1))


WRITERS: dict[str, Callable] = {"apo": write_apo, "poweramp": write_apo, "qudelix": write_apo, "uapp": write_apo,
                                "rockbox": write_rockbox, "graphic10": write_bands, "spotify": write_bands}  # fmt: skip


def export(
    preset: Preset, filters: list[Filter], graphic: tuple[np.ndarray, np.ndarray] | None = None
) -> tuple[str, list[Filter], float]:
    """File text in the app's syntax, the filters as written (rounded), and the preamp."""
    if preset.kind == "graphic":
        f, g = graphic
        peak = float(np.max(g))
        return write_graphiceq(f, g - max(peak, 0.0)), [], -max(peak, 0.0)
    steps = {"rockbox": (1.0, 0.1, 0.1)}.get(preset.name, (1.0, 0.01, 0.1))
    out = rounded(filters, *steps)
    pre = round(preamp_db(out, preset.fs_hz), 1)
    return WRITERS[preset.name](out, pre), out, pre


def validate_export(preset: Preset, text: str, filters: list[Filter], preamp: float) -> None:
    """Re-read an exported file with its own reader; refuse it unless it says what was meant."""
    if preset.kind == "graphic":
        f, g = read_graphiceq(text)
        ok = len(f) == 127 and np.all(np.diff(f) > 0)
    elif preset.name in ("graphic10", "spotify"):
        fcs, gains, pre = read_bands(text)
        ok = np.allclose(fcs, [x.fc_hz for x in filters]) and np.allclose(
            gains, [x.gain_db for x in filters], atol=0.051
        )
        ok = ok and abs(pre - preamp) < 0.051
    else:
        back, pre = (read_rockbox if preset.name == "rockbox" else read_apo)(text)
        ok = (
            len(back) == len(filters)
            and abs(pre - preamp) < 0.051
            and all(
                a.type == b.type
                and abs(a.fc_hz - b.fc_hz) < 0.51
                and abs(a.q - b.q) < 0.051
                and abs(a.gain_db - b.gain_db) < 0.051
                for a, b in zip(back, filters, strict=True)
            )
        )
    if not ok:
        raise EqError(f"the exported {preset.title} file did not read back as written")
