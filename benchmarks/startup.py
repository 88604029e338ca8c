"""Benchmark: CLI start-up time against a bare ``python -c "import numpy"`` floor.

Every command pays the interpreter start and the imports before it does any work, so start-up
is measured as wall-clock time of whole processes: the median of several runs of each, with the
floor (``import numpy``, which every command needs) measured in the same run so the ratios are
meaningful on a shared, noisy machine. All processes use this interpreter (``sys.executable``)
and the ``earwise`` script installed next to it.

Goals (judgement: a help screen should feel instant, a recommendation may load the catalog):
``--help`` <= 3x the floor, ``recommend`` <= 6x the floor.

Run: ``make bench-startup`` or ``.venv/bin/python benchmarks/startup.py [--runs 7]``.
This is a benchmark, not a test: it prints numbers and exits 0 whether or not a goal is met.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS_DEFAULT = 7  # judgement: odd, so the median is one real run; ~10 s in total
HELP_GOAL_RATIO = 3.0  # goal: `earwise --help` within 3x of `import numpy`
RECOMMEND_GOAL_RATIO = 6.0  # goal: `earwise recommend ...` within 6x of `import numpy`

EARWISE = str(Path(sys.executable).with_name("earwise"))
# As installed for a user, Python caches compiled modules (.pyc). This machine's environment sets
# PYTHONDONTWRITEBYTECODE, which would make every run recompile earwise's ~40 modules (~40 ms)
# and measure the compiler, not start-up; the timed processes run without it.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
RECOMMEND_ARGS = [
    "recommend",
    *("--genre", "electronic:70", "--genre", "rock:30"),
    *("--budget", "350", "--top", "5"),
]


def median_seconds(cmd: list[str], runs: int) -> float:
    """Median wall-clock seconds of ``runs`` runs of ``cmd`` (output discarded; must exit 0)."""
    times_s = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV
        )
        times_s.append(time.perf_counter() - start)
    return statistics.median(times_s)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS_DEFAULT, help="runs per command")
    args = parser.parse_args()

    # One untimed run of each warms the OS file cache and writes any .pyc files.
    cases = [
        ("import numpy (floor)", [sys.executable, "-c", "import numpy"], None),
        ("earwise --help", [EARWISE, "--help"], HELP_GOAL_RATIO),
        ("earwise recommend", [EARWISE, *RECOMMEND_ARGS], RECOMMEND_GOAL_RATIO),
    ]
    for _, cmd, _ in cases:
        subprocess.run(
            cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV
        )

    floor_s = median_seconds(cases[0][1], args.runs)
    print(f"median of {args.runs} runs, python {sys.version.split()[0]} ({sys.executable})")
    print(f"{'command':<24} {'median':>9} {'ratio':>7}  goal")
    print(f"{cases[0][0]:<24} {floor_s:>8.3f}s {1.0:>6.2f}x")
    for label, cmd, goal in cases[1:]:
        t_s = median_seconds(cmd, args.runs)
        ratio = t_s / floor_s
        verdict = "met" if ratio <= goal else "MISSED"
        print(f"{label:<24} {t_s:>8.3f}s {ratio:>6.2f}x  <= {goal:g}x {verdict}")


if __name__ == "__main__":
    main()
