"""The layout shows the layers: small modules, settings read only at the edge."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "earwise"
MODULES = sorted(SRC.rglob("*.py"))
MAX_LINES = 500
# Where the environment may be read: the settings object, built once at the edge (and the CLI's
# entry point, which only sets a default for a third-party library).
ENV_READERS = {"service/settings.py", "cli/common.py"}


@pytest.mark.parametrize("module", MODULES, ids=[str(m.relative_to(SRC)) for m in MODULES])
def test_no_module_over_500_lines(module):
    lines = len(module.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module.relative_to(SRC)}: {lines} lines"


def test_no_core_function_reads_the_environment():
    readers = {
        str(m.relative_to(SRC))
        for m in MODULES
        if re.search(r"os\.environ|os\.getenv|getenv\(", m.read_text(encoding="utf-8"))
    }
    assert readers <= ENV_READERS, readers - ENV_READERS
