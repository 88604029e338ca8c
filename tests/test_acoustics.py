"""Measured-sound features: preference scores, bands and signature labels."""

import numpy as np
import pytest

from earwise.acoustics.features import band_features, signature_label
from earwise.acoustics.io import read_autoeq_csv
from earwise.acoustics.preference import HARMAN_OE_INTERCEPT, over_ear_score
from earwise.acoustics.response import FrequencyResponse
from earwise.acoustics.targets import harman_target

# AutoEq RANKING.md (2021 data): HD 600 90.9, K371 89.4, DT 770 250 Ohm 81.6, WH-1000XM4 42.4.
# Computed as published (Harman frequencies, ddof=1, ln f): identical to AutoEq 4.1.2 to 0.01.
REFERENCE = [
    ("Sennheiser HD 600", 90.9),
    ("AKG K371", 89.4),
    ("Beyerdynamic DT 770 250 Ohm", 81.6),
    ("Sony WH-1000XM4", 42.4),
]


@pytest.mark.parametrize("name,expected", REFERENCE)
def test_harman_over_ear_reference_scores(measurements, name, expected):
    fr = read_autoeq_csv(measurements / "oratory1990" / "data" / "over-ear" / f"{name}.csv")
    target = harman_target("oratory1990", "over-ear", measurements)
    assert over_ear_score(fr, target) == pytest.approx(expected, abs=0.05)


def _synthetic(bass_db: float, treble_db: float) -> tuple[FrequencyResponse, FrequencyResponse]:
    f = 20 * 1.01 ** np.arange(695)
    target = FrequencyResponse(f, np.zeros_like(f), "flat")
    level = np.where(f < 250, bass_db, 0.0) + np.where((f >= 2000) & (f < 10000), treble_db, 0.0)
    return FrequencyResponse(f, level, "m"), target


@pytest.mark.parametrize(
    "bass,treble,label",
    [
        (0, 0, "neutral"),
        (3, 0, "warm"),
        (6, 0, "bass-heavy"),
        (4, 3, "v-shaped"),
        (0, 3, "bright"),
        (0, -4, "dark"),
        (-3, -2, "mid-forward"),
    ],
)
def test_signature_from_synthetic_curves(bass, treble, label):
    m, t = _synthetic(bass, treble)
    feats = band_features(m, t)
    assert feats["bass_db"] == pytest.approx(bass, abs=0.01)
    assert feats["treble_db"] == pytest.approx(treble, abs=0.01)
    assert signature_label(feats["bass_db"], feats["mids_db"], feats["treble_db"]) == label


def test_flat_response_scores_the_intercept():
    m, t = _synthetic(0, 0)
    assert over_ear_score(m, t) == pytest.approx(HARMAN_OE_INTERCEPT)
