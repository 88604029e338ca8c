"""A measurement library (AutoEq layout ``<Source>/data/<form>/<Name>.csv``) analysed in batches.

For every file: its rig's Harman target, the Harman predicted preference score (where a model
exists for the form), band features, tilt, signature label and a coarse error curve (1/6-octave
bins, 20 Hz-10 kHz) for similarity. Files of one source and form are scored together as one
matrix, so the whole shared library takes a few seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from earwise.acoustics.features import features_many, signature_label
from earwise.acoustics.io import read_autoeq_many
from earwise.acoustics.preference import scores_in_ear, scores_over_ear
from earwise.acoustics.response import FrequencyResponse, standard_grid
from earwise.acoustics.targets import (
    RIG_FAMILY,
    RIG_OF_SOURCE,
    harman_target,
    personal_target,
    treble_db_to_tilt,
)

SOURCES = tuple(RIG_OF_SOURCE)
FORMS = ("over-ear", "in-ear", "earbud")
SIMILARITY_BAND_HZ = (20.0, 10000.0)  # above 10 kHz fit and coupler dominate (Olive et al.)
SIMILARITY_BINS_PER_OCTAVE = 6
BATCH = 500  # files parsed per call (and per progress step)


@dataclass(frozen=True)
class MeasurementFile:
    source: str
    form: str
    name: str
    path: Path

    @property
    def ref(self) -> str:
        return f"{self.source}/{self.form}/{self.name}"


def scan(root: Path) -> list[MeasurementFile]:
    """Every measurement file under ``root`` (targets excluded), sorted by reference."""
    found = [
        MeasurementFile(source, form, p.stem, p)
        for source in SOURCES
        for form in FORMS
        for p in (root / source / "data" / form).glob("*.csv")
    ]
    return sorted(found, key=lambda m: m.ref)


def similarity_edges() -> np.ndarray:
    lo, hi = np.log2(SIMILARITY_BAND_HZ[0]), np.log2(SIMILARITY_BAND_HZ[1])
    n = int(round((hi - lo) * SIMILARITY_BINS_PER_OCTAVE))
    return 2 ** np.linspace(lo, hi, n + 1)


def similarity_centres_hz() -> np.ndarray:
    """The log centres of the similarity curve's bins (Hz)."""
    edges = similarity_edges()
    return np.sqrt(edges[:-1] * edges[1:])


def shifted_curve(curve_db: np.ndarray, bass_db: float = 0.0, treble_db: float = 0.0) -> np.ndarray:
    """A similarity curve moved as a listener asks ("like X but with more bass"): the personal
    target's 105 Hz low shelf of ``bass_db`` and the tilt that lifts 2-10 kHz by ``treble_db``
    (acoustics.targets), mean removed again. Returns a new array."""
    centres = similarity_centres_hz()
    base = FrequencyResponse(centres, np.zeros_like(centres), "shift")
    moved = personal_target(base, bass_db, treble_db_to_tilt(treble_db)).raw_db
    out = np.asarray(curve_db, float) + moved
    return out - out.mean()


def _bin_matrix(freq_hz: np.ndarray) -> np.ndarray:
    edges = similarity_edges()
    cols = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        sl = ((freq_hz >= lo) & (freq_hz < hi)).astype(float)
        cols.append(sl / max(sl.sum(), 1.0))
    return np.stack(cols, axis=1)


def _to_grid(rows: np.ndarray, freq_hz: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Rows sampled at ``freq_hz`` re-sampled at ``grid`` (log-linear, clamped at the ends)."""
    lf, lg = np.log10(freq_hz), np.log10(grid)
    j = np.clip(np.searchsorted(lf, lg) - 1, 0, len(lf) - 2)
    t = np.clip((lg - lf[j]) / (lf[j + 1] - lf[j]), 0.0, 1.0)
    return rows[:, j] * (1 - t) + rows[:, j + 1] * t


def analyse_group(
    raws: np.ndarray, freq_hz: np.ndarray, source: str, form: str, root: Path
) -> list[dict]:
    """Derived numbers for rows of ``raws`` (one source and form, sharing ``freq_hz``)."""
    grid = standard_grid()
    on_grid = _to_grid(raws, freq_hz, grid)
    target = harman_target(source, form, root)
    target_db = target.at(grid)
    if form == "over-ear":
        scores, model = scores_over_ear(on_grid, target_db), "Harman over-ear 2018"
    elif form == "in-ear":
        scores, model = scores_in_ear(on_grid, target_db), "Harman in-ear 2019"
    else:  # Olive's models were fitted on over-/on-ears and sealed in-ears only
        scores, model = None, "none: no Harman model for open-fit earbuds"
    error = on_grid - target_db
    feats = features_many(grid, error)
    curve = error @ _bin_matrix(grid)
    curve -= curve.mean(axis=1, keepdims=True)
    names = list(feats)
    band_rows = np.round(np.stack([feats[k] for k in names], axis=1), 2).tolist()
    curves = np.round(curve, 1).tolist()
    score_list = [None] * len(raws) if scores is None else np.round(scores, 2).tolist()
    common = {"rig": RIG_OF_SOURCE[source], "rig_family": RIG_FAMILY[source], "target": target.name,
              "preference_model": model}  # fmt: skip
    out = []
    for bands_row, curve_row, score in zip(band_rows, curves, score_list, strict=True):
        bands = dict(zip(names, bands_row, strict=True))
        label = signature_label(bands["bass_db"], bands["mids_db"], bands["treble_db"])
        out.append(common | {"preference_score": score, "signature": label, "bands_db": bands,
                             "error_db": curve_row})  # fmt: skip
    return out


def analyse(
    files: Iterable[MeasurementFile], root: Path, progress: Callable[[int], None] | None = None
) -> tuple[dict[str, dict], dict[str, str]]:
    """(features by reference, problems by reference) for ``files``, grouped for speed."""
    files = list(files)
    problems: dict[str, str] = {}
    groups: dict[tuple[str, str, bytes], list[tuple[MeasurementFile, np.ndarray]]] = {}
    for start in range(0, len(files), BATCH):
        part = files[start : start + BATCH]
        responses, bad = read_autoeq_many([mf.path for mf in part])
        for mf, fr in zip(part, responses, strict=True):
            if fr is None:
                problems[mf.ref] = bad[mf.path]
                continue
            groups.setdefault((mf.source, mf.form, fr.freq_hz.tobytes()), []).append(
                (mf, fr.raw_db)
            )
        if progress:
            progress(len(part))
    results: dict[str, dict] = {}
    for (source, form, fbytes), members in groups.items():
        raws = np.stack([raw for _, raw in members])
        feats = analyse_group(raws, np.frombuffer(fbytes), source, form, root)
        for (mf, _), f in zip(members, feats, strict=True):
            results[mf.ref] = {"measurement": mf.ref, **f}
    return results, problems
