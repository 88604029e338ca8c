"""The intent model (advice.ask_model): its maths, its file and its place in the reading."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from earwise import service
from earwise.advice.ask import understand
from earwise.advice.ask_model import (
    CLASSES,
    data_digest,
    fit,
    in_words,
    load_model,
    softmax_loss,
)
from earwise.service.requests import AskRequest

ROOT = Path(__file__).resolve().parents[1]


def test_the_model_was_fitted_to_the_labelled_files_as_they_are():
    """Refit with `make fit-intent` after changing tests/data/intent_probes.yaml,
    real_probes.yaml, questions/tuning.yaml or advice/data/ask.yaml (its shapes are features)."""
    model = load_model()
    assert model is not None
    files = [ROOT / p for p in model.meta["fitted_to"]]
    assert [p.name for p in files] == ["intent_probes.yaml", "real_probes.yaml", "tuning.yaml"]
    assert model.meta["data_sha256"] == data_digest(files), "run `make fit-intent`"
    assert "heldout" not in " ".join(model.meta["fitted_to"])


def test_the_gradient_is_that_of_the_loss():
    """The analytic gradient against central differences (step 1e-6, tolerance 1e-5)."""
    rng = np.random.default_rng(0)
    x = (rng.random((12, 5)) < 0.4).astype(float)
    y = rng.integers(0, len(CLASSES), 12)
    sw = rng.uniform(0.5, 2.0, 12)
    params = rng.normal(0, 0.3, 5 * len(CLASSES) + len(CLASSES))
    _, grad = softmax_loss(params, x, y, sw, 0.7)
    step = 1e-6
    for i in range(0, params.size, 3):
        up, down = params.copy(), params.copy()
        up[i] += step
        down[i] -= step
        numeric = (softmax_loss(up, x, y, sw, 0.7)[0] - softmax_loss(down, x, y, sw, 0.7)[0]) / (
            2 * step
        )
        assert grad[i] == pytest.approx(numeric, abs=1e-5)


def test_a_fitted_model_reads_what_it_was_shown():
    rows = [
        (frozenset({"w:amp", "w:enough"}), "drive", 1.0),
        (frozenset({"w:amp", "w:power"}), "drive", 1.0),
        (frozenset({"w:cable", "w:connect"}), "chain", 1.0),
        (frozenset({"w:connect", "w:adapter"}), "chain", 1.0),
        (frozenset({"w:budget", "w:buy"}), "recommend", 1.0),
        (frozenset({"w:buy", "w:under"}), "recommend", 1.0),
    ]
    model = fit(rows, penalty=0.1, min_count=1)
    for feats, cls, _ in rows:
        scores = model.scores(feats)
        assert max(scores, key=scores.get) == cls
        assert sum(scores.values()) == pytest.approx(1.0, abs=1e-9)
    assert model.weighed_most(frozenset({"w:amp", "w:buy"}), "drive") == ["w:amp"]


@settings(max_examples=50, deadline=None)
@given(st.frozensets(st.sampled_from(["w:amp", "s:fault", "b:how_loud", "np:1", "zz:none"])))
def test_scores_are_probabilities(feats):
    scores = load_model().scores(feats)
    assert set(scores) == set(CLASSES)
    assert all(0.0 <= p <= 1.0 for p in scores.values())
    assert sum(scores.values()) == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize(
    ("feature", "said"),
    [
        ("w:amp", "the word 'amp'"),
        ("b:how_loud", "the words 'how loud'"),
        ("as:fault", "the shape 'fault' where it asks"),
        ("np:1", "np 1"),
    ],
)
def test_features_in_words(feature, said):
    assert in_words(feature) == said


def test_the_model_has_the_last_word_on_the_class(view):
    """A real post the rules read as a connection question (an adapter named) that its labels
    make a drive question: the model's class wins, and the answer says how it was read."""
    text = (
        "Support for Apple USB-C to 3.5mm Adapter\nHi, I would like to ask support for apple "
        "usb-c to 3.5mm adapter. \n\nThe adapter works normally but with very low volume. My "
        "understanding is that this is due to insufficient voltage provided to adapter by "
        "default."
    )
    u = understand(text, view)
    assert u.intent_read.rules == "chain"
    assert (u.intent_read.by, u.intent) == ("model", "drive")
    assert u.intent_read.weighed


def test_the_answer_says_how_the_intent_was_read(earwise):
    req = AskRequest(text="Will my phone drive a 250 ohm headphone?")
    data = service.ask(earwise, req).to_json()
    read = data["understood"]["intent_read"]
    assert read["by"] in ("rules", "model") and read["rules"]
    assert set(read["scores"]) == set(CLASSES)
    assert all(isinstance(w, str) for w in read["weighed"])


class _Leaning:
    """A stand-in model whose scores are given."""

    def __init__(self, scores):
        self._scores = scores

    def scores(self, features):
        return dict(self._scores)

    def weighed_most(self, features, cls):
        return []


@pytest.mark.parametrize(
    ("best", "lead", "by"),
    [
        ("out-of-scope", 0.3, "rules"),  # not sure enough: the rules' reading stands
        ("out-of-scope", 0.7, "model"),
        ("drive", 0.3, "rules"),
        ("drive", 0.7, "model"),
    ],
)
def test_the_model_overrides_the_rules_only_when_sure_enough(monkeypatch, best, lead, by):
    from earwise.advice import ask_model
    from earwise.advice.ask_text import Understood

    rest = (1.0 - lead) / 2
    scores = {c: 0.0 for c in CLASSES} | {best: rest + lead, "recommend": rest}
    monkeypatch.setattr(ask_model, "load_model", lambda: _Leaning(scores))
    monkeypatch.setattr(ask_model, "intent_features", lambda u, g: frozenset())
    read = ask_model.weigh(Understood(text="x"), None, "recommend")
    assert read.by == by
