"""Benchmark: read, normalise, score and label every file of the shared measurement library.

earwise's batch pipeline (``earwise.acoustics.library``) runs over all files; when AutoEq
4.1.2 is importable (``make bench-measurements`` builds ``.venv-bench`` with it; it is never
a dependency of earwise), AutoEq's own read_csv + interpolate + center + compensate + Harman
score runs on the same files in the same run, and the script prints both throughputs, their
ratio and the largest score difference.

Run: ``make bench-measurements`` or ``python benchmarks/measurements.py [PATH]``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from earwise.acoustics.library import analyse, scan
from earwise.acoustics.targets import _PREFIX, _TARGET_NAME
from earwise.service.settings import Settings

EARWISE_RUNS = 3  # earwise takes well under a second: report the median of three runs, since
# one short run is at the mercy of this shared machine; AutoEq's single long run averages itself


def run_earwise(files, root: Path) -> tuple[float, dict]:
    times = []
    for _ in range(EARWISE_RUNS):
        t = time.perf_counter()
        results, problems = analyse(files, root)
        times.append(time.perf_counter() - t)
    if problems:
        print(f"earwise: {len(problems)} unreadable files")
    return float(np.median(times)), results


def run_autoeq(files, root: Path) -> tuple[float, dict] | None:
    try:
        from autoeq.frequency_response import FrequencyResponse
    except ImportError:
        return None
    t = time.perf_counter()
    targets: dict[tuple[str, str], object] = {}
    scores: dict[str, float | None] = {}
    for mf in files:
        key = (mf.source, mf.form)
        if key not in targets:
            name = f"{_PREFIX[mf.source]}_{_TARGET_NAME[mf.form]}"
            targets[key] = FrequencyResponse.read_csv(str(root / "targets" / f"{name}.csv"))
        fr = FrequencyResponse.read_csv(str(mf.path))
        fr.interpolate()
        fr.center()
        fr.compensate(targets[key])
        if mf.form == "over-ear":
            scores[mf.ref] = fr.harman_overear_preference_score()[0]
        elif mf.form == "in-ear":
            scores[mf.ref] = fr.harman_inear_preference_score()[0]
        else:
            scores[mf.ref] = None
    return time.perf_counter() - t, scores


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Settings.from_env().measurements_root
    files = scan(root)
    print(f"{len(files)} measurement files under {root}")
    ours, results = run_earwise(files, root)
    print(
        f"earwise: {ours:.2f} s (median of {EARWISE_RUNS} runs), {len(files) / ours:,.0f} files/s (read, normalise, score, label, bands)"
    )
    theirs = run_autoeq(files, root)
    if theirs is None:
        print(
            "AutoEq not installed here: run 'make bench-measurements' for the side-by-side figures"
        )
        return
    t_aeq, scores = theirs
    print(
        f"AutoEq 4.1.2: {t_aeq:.2f} s, {len(files) / t_aeq:,.0f} files/s (read, interpolate, center, compensate, score)"
    )
    print(f"ratio: earwise is {t_aeq / ours:.1f}x faster")
    diffs = np.array(
        [
            abs(results[r]["preference_score"] - s)
            for r, s in scores.items()
            if s is not None and r in results
        ]
    )
    print(f"scores compared: {len(diffs)}; max |difference| {diffs.max():.3f}, mean {diffs.mean():.4f}; "
          f"within 0.05: {np.mean(diffs <= 0.05):.1%}")  # fmt: skip


if __name__ == "__main__":
    main()
