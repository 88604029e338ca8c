"""Benchmark: `recommend` on a synthetic 100,000-product catalog, against a bare numpy floor.

The synthetic catalog resamples the real catalog's rows (so every field keeps its real
distribution: forms, backs, platforms, wireless share, measured share...) and jitters the
continuous values (price x lognormal, band deviations +- 1.5 dB, weight +- 10%, sensitivity
+- 2 dB). Twenty varied profiles run in-process; the floor is one bare numpy pass over the
same feature matrix (a weighted sum of the numeric columns and a top-5 selection), measured
in the same run, so the ratio is meaningful on a shared, noisy machine.

Run: ``make bench`` or ``.venv/bin/python benchmarks/recommend.py [--n 100000]``.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import fields

import numpy as np

from earwise.advice.engine import recommend
from earwise.advice.matrix import ProductMatrix, with_static_features
from earwise.advice.profile import build_profile
from earwise.catalog.view import CatalogView
from earwise.service.app import Earwise
from earwise.service.settings import Settings

PROFILES = [
    {
        "genres": {"electronic": 70, "rock": 20, "hip-hop": 5, "classical": 5},
        "uses": ["shared-office"],
        "platforms": ["pc", "mac", "iphone"],
        "budget_usd": 350,
        "budget_includes_amp": True,
    },
    {"back": "open", "uses": ["home"], "budget_usd": 120},
    {
        "forms": ["over-ear"],
        "budget_usd": 100,
        "long_sessions": True,
        "genres": {"soundtrack": 1, "rock": 1},
    },
    {"genres": {"metal": 1, "rock": 1, "alternative": 1, "jazz": 1}},
    {"uses": ["studio-mixing"], "tonality": "neutral", "budget_usd": 2500, "budget_min_usd": 1500},
    {"forms": ["over-ear"], "budget_usd": 87, "bass": "less", "level": "loud"},
    {"no_leak": True, "head_size": "small", "genres": {"indie": 1}},
    {"genres": {"rock": 1, "punk": 1}, "budget_usd": 300},
    {"genres": {"jazz": 1, "indie": 1}, "uses": ["commute"], "budget_usd": 300, "bass": "less"},
    {"platforms": ["xbox", "ps5"], "wireless": True, "mic": True, "uses": ["gaming"]},
    {"uses": ["plane", "travel"], "anc": True, "budget_usd": 400},
    {"uses": ["gym"], "forms": ["in-ear"], "wireless": True, "budget_usd": 150},
    {
        "genres": {"classical": 1, "chamber": 1},
        "back": "open",
        "soundstage": True,
        "budget_usd": 1000,
    },
    {"uses": ["calls", "shared-office"], "mic": True, "platforms": ["pc", "mac"]},
    {"genres": {"hip-hop": 1}, "bass": "more", "budget_usd": 200},
    {"uses": ["library"], "genres": {"pop": 1}, "budget_usd": 60},
    {"platforms": ["switch", "steam-deck"], "uses": ["gaming"], "budget_usd": 100},
    {"genres": {"pipe-organ": 1}, "budget_usd": 3000, "budget_includes_amp": True},
    {"treble_sensitive": True, "genres": {"rock": 1, "pop": 1}, "glasses": True},
    {"wireless": False, "no_amp": True, "source_vrms": 1.0, "source_zout_ohm": 1.0},
]


def synthetic_view(real: CatalogView, n: int, seed: int = 0) -> CatalogView:
    """A catalog of ``n`` products resampled from the real one, with jittered values."""
    rng = np.random.default_rng(seed)
    m = real.matrix
    pick = rng.integers(0, len(m), n)
    syn = ProductMatrix(**{f.name: getattr(m, f.name)[pick] for f in fields(m)})
    syn.price = np.round(syn.price * rng.lognormal(0, 0.25, n), 2)
    syn.bands = syn.bands + rng.normal(0, 1.5, syn.bands.shape)
    syn.weight = syn.weight * rng.normal(1, 0.1, n)
    syn.sens_v = syn.sens_v + rng.normal(0, 2, n)
    syn.ids = np.array([f"syn-{i:06d}" for i in range(n)], dtype=object)
    with_static_features(syn)
    originals = list(real.headphones.values())
    headphones = {f"syn-{i:06d}": originals[p] for i, p in enumerate(pick)}
    view = CatalogView(headphones, real.devices, real.measured, real.names)
    view.__dict__["matrix"] = syn  # cached_property slot
    return view


def feature_matrix(m: ProductMatrix) -> np.ndarray:
    """The numeric columns as one float matrix (the floor's input)."""
    cols = []
    for f in fields(m):
        a = getattr(m, f.name)
        if a.dtype == object:
            continue
        a = a.reshape(len(m), -1).astype(float)
        cols.append(np.nan_to_num(a))
    return np.ascontiguousarray(np.hstack(cols))


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    real = Earwise(Settings.from_env()).view()
    t0 = time.perf_counter()
    view = synthetic_view(real, args.n)
    print(
        f"synthetic catalog: {args.n:,} products resampled from {len(real.headphones)} real "
        f"({(time.perf_counter() - t0):.1f} s to build)"
    )
    profiles = [build_profile(**p) for p in PROFILES]
    for p in profiles:  # warm-up
        recommend(view, p, 5)
    latencies = []
    for p in profiles:
        latencies += timed(lambda p=p: recommend(view, p, 5), args.repeat)
    x = feature_matrix(view.matrix)
    w = np.linspace(0.1, 1.0, x.shape[1])

    def floor() -> None:
        s = x @ w
        np.argpartition(-s, 5)[:5]

    floor_ms = timed(floor, len(latencies))
    p50, p99 = np.percentile(latencies, [50, 99])
    f50 = float(np.percentile(floor_ms, 50))
    print(
        f"recommend over {len(profiles)} profiles x {args.repeat} runs: "
        f"p50 {p50:.2f} ms, p99 {p99:.2f} ms"
    )
    print(
        f"floor (one numpy pass over the {x.shape[0]:,} x {x.shape[1]} feature matrix): "
        f"p50 {f50:.2f} ms"
    )
    print(f"ratio p50 / floor p50: {p50 / f50:.1f}x  (goal: p50 <= 10 ms and <= 5x the floor)")
    real_lat = []
    for p in profiles:
        real_lat += timed(lambda p=p: recommend(real, p, 5), args.repeat)
    print(
        f"real catalog ({len(real.headphones)} products): p50 "
        f"{np.percentile(real_lat, 50):.2f} ms, p99 {np.percentile(real_lat, 99):.2f} ms"
    )


if __name__ == "__main__":
    main()
