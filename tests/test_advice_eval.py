"""The advice evaluation's dev set (benchmarks/data/advice) stays well-formed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from earwise.service.requests import ProfileRequest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location(
    "advice_eval", ROOT / "benchmarks" / "advice_eval.py"
)
advice_eval = importlib.util.module_from_spec(_spec)
sys.modules["advice_eval"] = advice_eval  # dataclasses look their module up
_spec.loader.exec_module(advice_eval)

CASES = advice_eval.load_cases()


def test_there_are_cases_in_both_halves():
    halves = {c.half for c in CASES}
    assert halves == {"tuning", "heldout"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_every_case_is_a_valid_profile_with_a_dated_public_source(case):
    ProfileRequest(**case.profile)
    assert case.url.startswith("http")
    assert case.picks and all(isinstance(p, str) and p for p in case.picks)
    assert case.date


def test_one_publication_never_feeds_both_halves():
    by_url: dict[str, set[str]] = {}
    for c in CASES:
        by_url.setdefault(c.url, set()).add(c.half)
    assert all(len(h) == 1 for h in by_url.values())


def test_the_constructed_questions_are_checked_and_mostly_pass(earwise):
    """The buying questions written for the checks (not real) run through the same sanity checks
    as the forum questions; the two known gaps are catalog data (no priced sport on-ears, no
    volume-limited headphone under $50)."""
    ok, total, _ = advice_eval.constructed_sanity(earwise)
    assert total >= 26 and ok >= total - 2
