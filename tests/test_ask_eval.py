"""The labelled question set (tests/data/questions) stays well-formed and split by page, and the
ask evaluation runs over it (benchmarks/ask_eval.py prints the figures)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "tests" / "data" / "questions"
_spec = importlib.util.spec_from_file_location("ask_eval", ROOT / "benchmarks" / "ask_eval.py")
ask_eval = importlib.util.module_from_spec(_spec)
sys.modules["ask_eval"] = ask_eval
_spec.loader.exec_module(ask_eval)

HALVES = {h: ask_eval.load(h) for h in ("tuning", "heldout")}
ALL = [q for qs in HALVES.values() for q in qs]
ALLOWED = {
    "intent": set(ask_eval.INTENTS),
    "uses": {"home", "office", "commute", "plane", "gym", "running", "gaming", "studio-mixing",
             "studio-tracking", "calls", "tv", "sleep", "kids", "school"},
    "platforms": {"pc", "mac", "iphone", "android", "ps5", "xbox", "switch", "steam-deck", "tv"},
    "missing": {"budget", "source", "use", "headphone"},
}  # fmt: skip


def test_both_halves_exist_and_ids_are_unique():
    assert all(HALVES.values())
    ids = [q["id"] for q in ALL]
    assert len(ids) == len(set(ids))


def test_a_page_never_feeds_both_halves():
    pages = {h: {q["url"] for q in qs} for h, qs in HALVES.items()}
    assert not pages["tuning"] & pages["heldout"]


@pytest.mark.parametrize("q", ALL, ids=[q["id"] for q in ALL])
def test_every_question_is_a_public_post_with_valid_labels(q):
    assert q["url"].startswith("http") and q["text"].strip() and len(q["text"]) <= 1000
    labels = q["labels"]
    assert labels["intent"] in ALLOWED["intent"]
    for key in ("uses", "platforms", "missing"):
        assert set(labels.get(key) or []) <= ALLOWED[key], key
    for p in labels.get("products") or []:
        assert p["name"] and p["role"]


def test_precision_cases_are_well_formed():
    data = yaml.safe_load((QUESTIONS / "precision.yaml").read_text(encoding="utf-8"))
    assert data["cases"] and all(c["text"] and c["never"] for c in data["cases"])


def test_the_evaluation_runs_and_reports_every_field(earwise):
    res = ask_eval.evaluate(earwise, HALVES["tuning"])
    assert res.n == len(HALVES["tuning"])
    assert set(res.fields) >= {"products", *ask_eval.SET_FIELDS}
    ok, total, _ = ask_eval.precision_cases(earwise)
    assert total > 0 and ok == total  # no precision case produces a wrong fact


def test_the_real_posts_carry_product_and_budget_labels():
    """Every real post (the intent model's training posts) is labelled with its gear and budget,
    in the labelled set's form, so ``--half real`` scores those two fields on them."""
    real = ask_eval.load_real()
    posts = yaml.load(ask_eval.REAL_POSTS.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    assert len(real) == len(posts["questions"])
    for q in real:
        for p in q["labels"]["products"]:
            assert p["name"].strip() and p["role"] in {"owned", "considering", "source", "amp"}
        budget = q["labels"]["budget"]
        assert budget is None or (budget["max"] > 0 and budget["currency"])
