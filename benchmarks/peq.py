"""Benchmark: parametric EQ fitting, earwise against AutoEq 4.1.2 on the same goals.

For every oratory1990 measurement in the shared library: AutoEq's own pipeline computes the
equalization goal (Harman target of the rig, max +6 dB, its smoothing); both fitters then fit
the same 10-filter configuration (low shelf 105 Hz Q 0.7, high shelf 10 kHz Q 0.7, 8 peaking)
at 44.1 kHz to that goal, in the same run. Reported per side: RMS error (dB) between the fitted
filters' response and the goal over 20 Hz-10 kHz, and fitting time.

Run: ``make bench-peq`` (AutoEq lives only in .venv-bench). Without AutoEq the script fits
earwise's own goals and prints earwise's figures alone.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np

from earwise.acoustics.eq import apo_specs, equalization_goal
from earwise.acoustics.io import read_autoeq_csv
from earwise.acoustics.peq import Filter, fit_peq, rms_error_db
from earwise.acoustics.targets import harman_target
from earwise.service.settings import Settings

FS_HZ = 44100.0
TOLERANCE_DB = 0.005  # "no worse": equal within rounding of the error itself


def files(root: Path) -> list[tuple[str, Path]]:
    base = root / "oratory1990" / "data"
    return sorted(
        (form, p) for form in ("over-ear", "in-ear", "earbud") for p in (base / form).glob("*.csv")
    )


def autoeq_goal_and_fit(path: Path, form: str, root: Path):
    from autoeq.constants import PEQ_CONFIGS
    from autoeq.frequency_response import FrequencyResponse

    name = "harman_over-ear_2018" if form == "over-ear" else "harman_in-ear_2019v2"
    target = FrequencyResponse.read_csv(str(root / "targets" / f"{name}.csv"))
    fr = FrequencyResponse.read_csv(str(path))
    fr.process(target, max_gain=6.0)
    freq, goal = fr.frequency.copy(), fr.equalization.copy()
    t = time.perf_counter()
    peqs = fr.optimize_parametric_eq(PEQ_CONFIGS["8_PEAKING_WITH_SHELVES"], FS_HZ)
    elapsed = time.perf_counter() - t
    kinds = {"Peaking": "PK", "LowShelf": "LSC", "HighShelf": "HSC"}
    filters = [
        Filter(kinds[f.__class__.__name__], f.fc, f.q, f.gain) for p in peqs for f in p.filters
    ]
    return freq, goal, filters, elapsed


def main() -> None:
    warnings.simplefilter("ignore")
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Settings.from_env().measurements_root
    try:
        import autoeq  # noqa: F401

        have_autoeq = True
    except ImportError:
        have_autoeq = False
    rows = []
    for form, path in files(root):
        if have_autoeq:
            freq, goal, theirs, t_aeq = autoeq_goal_and_fit(path, form, root)
        else:
            fr = read_autoeq_csv(path)
            freq, goal = equalization_goal(fr, harman_target("oratory1990", form, root))
            theirs, t_aeq = None, None
        t = time.perf_counter()
        ours = fit_peq(apo_specs(), freq, goal, FS_HZ)
        t_ours = time.perf_counter() - t
        e_ours = rms_error_db(ours, freq, goal, FS_HZ)
        e_theirs = rms_error_db(theirs, freq, goal, FS_HZ) if theirs else None
        rows.append((path.stem, e_ours, t_ours, e_theirs, t_aeq))
    ours_err = np.array([r[1] for r in rows])
    ours_t = sum(r[2] for r in rows)
    print(
        f"{len(rows)} oratory1990 measurements, 10 filters (LSC 105 Hz, HSC 10 kHz, 8 PK) at 44.1 kHz"
    )
    print(
        f"earwise: mean error {ours_err.mean():.3f} dB, worst {ours_err.max():.3f} dB, total {ours_t:.1f} s"
    )
    if not have_autoeq:
        print("AutoEq not installed here: run 'make bench-peq' for the side-by-side figures")
        return
    aeq_err = np.array([r[3] for r in rows])
    aeq_t = sum(r[4] for r in rows)
    not_worse = np.mean(ours_err <= aeq_err + TOLERANCE_DB)
    print(
        f"AutoEq:  mean error {aeq_err.mean():.3f} dB, worst {aeq_err.max():.3f} dB, total {aeq_t:.1f} s"
    )
    print(f"earwise no worse than AutoEq on {not_worse:.1%} of headphones (tolerance {TOLERANCE_DB} dB); "
          f"lower on average by {aeq_err.mean() - ours_err.mean():.3f} dB; {aeq_t / ours_t:.1f}x faster in total")  # fmt: skip
    worst = sorted(rows, key=lambda r: r[1] - r[3], reverse=True)[:3]
    print(
        "largest earwise deficits: " + "; ".join(f"{r[0]} {r[1]:.3f} vs {r[3]:.3f}" for r in worst)
    )


if __name__ == "__main__":
    main()
