"""Which headphones sound closest to a given one.

Each measurement's error curve against its own rig's Harman target is averaged into
1/6-octave bins from 20 Hz to 10 kHz and its mean removed (a level difference is not a sound
difference). Distance = RMS difference of two such curves, in dB. Only curves from the same
rig family (GRAS couplers vs HMS II.3 heads) and the same form group (over-/on-ear vs in-ear and
earbud) are compared: a target removes most, but not all, of a rig's own colouration.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Candidate:
    key: str  # a measurement reference
    curve_db: np.ndarray
    rig_family: str
    form_group: str


def form_group(form: str) -> str:
    return "over-ear" if form in ("over-ear", "on-ear") else "in-ear"


def nearest(
    query: Candidate, candidates: list[Candidate], top: int = 5
) -> list[tuple[Candidate, float]]:
    """The ``top`` closest candidates (same rig family and form group), closest first."""
    pool = [
        c for c in candidates
        if c.rig_family == query.rig_family and c.form_group == query.form_group and c.key != query.key
    ]  # fmt: skip
    if not pool:
        return []
    curves = np.stack([c.curve_db for c in pool])
    dist = np.sqrt(np.mean((curves - query.curve_db) ** 2, axis=1))
    order = np.lexsort(([c.key for c in pool], np.round(dist, 6)))[:top]
    return [(pool[i], float(dist[i])) for i in order]
