"""Start-up: importing the CLI must not pull in the heavy libraries that only some commands need.

``scipy`` (~0.3 s) is for the EQ fit, ``matplotlib`` for PNG plots, ``fastapi``/``uvicorn`` for
``earwise serve``; each is imported inside the function that needs it. Measured in a fresh
interpreter (this test process has imported everything already). Timings: benchmarks/startup.py.
"""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

HEAVY_PREFIXES = ("scipy", "matplotlib", "fastapi", "uvicorn")
PROBE = "import sys, {module}; print(sorted(m for m in sys.modules if m.startswith({prefixes!r})))"


def heavy_modules_after_import(module: str) -> list[str]:
    """The heavy modules loaded by ``import module`` in a fresh interpreter (this venv)."""
    code = PROBE.format(module=module, prefixes=HEAVY_PREFIXES)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return ast.literal_eval(out.stdout.strip().splitlines()[-1])


def test_cli_import_loads_no_heavy_library():
    assert heavy_modules_after_import("earwise.cli") == []


@pytest.mark.parametrize(
    "module",
    [
        "earwise.acoustics.io",
        "earwise.acoustics.targets",
        "earwise.acoustics.peq",
        "earwise.acoustics.eq",
        "earwise.acoustics.plot",
        "earwise.acoustics.library",
        "earwise.advice.specs",
        "earwise.advice.drive",
        "earwise.advice.spec_explain",
    ],
)
def test_acoustics_and_advice_modules_import_light(module):
    assert heavy_modules_after_import(module) == []


def test_eq_fit_still_finds_scipy():
    """The lazy import works: a fit runs (and loads scipy.optimize only then)."""
    import numpy as np

    from earwise.acoustics.peq import DEFAULT_FS_HZ, Filter, FilterSpec, fit_peq, response_db

    f_hz = np.geomspace(20, 20000, 300)
    goal_db = response_db([Filter("PK", 1000.0, 1.0, 4.0)], f_hz, DEFAULT_FS_HZ)
    (flt,) = fit_peq([FilterSpec("PK")], f_hz, goal_db, DEFAULT_FS_HZ)
    assert flt.fc_hz == pytest.approx(1000, rel=0.05) and flt.gain_db == pytest.approx(4, abs=0.2)
