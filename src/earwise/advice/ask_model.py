"""Reading a question, part 4: the intent weighed by a model fitted to labelled real questions.

The rules of :mod:`earwise.advice.ask_intent` read an intent stage by stage. Held against real
questions they had not been written for, they read 62% of the held-out half of
``tests/data/questions`` and 54 of 105 posts collected on 2026-12-01 in the labelled class. The
same shapes and the words of the question, weighed by a model fitted to the labelled questions we
hold, read 70% of the tuning half in five folds (``scripts/fit_intent_model.py --check``) and,
with the rules, 74 of those 105 posts (a model fitted without them). So the model has the last
word on the kind of question (its *class*) when it is sure enough: when its class leads the
rules' by more than ask.yaml's ``override_margin`` in probability. The rules keep the finer
reading within a class ("product_info" or "genre_fit" within a comparison, "amps" within a drive
question) and the reason a question is out of scope.

Method: multinomial logistic regression (softmax regression) with an L2 penalty on the weights
(Bishop 2006, *Pattern Recognition and Machine Learning*, section 4.3.4, eqs. 4.104 to 4.109),
fitted with L-BFGS (Nocedal & Wright 2006, *Numerical Optimization*, section 7.2) through
``scipy.optimize.minimize``. The features are binary: the words (but the function words of a
published stop list) and word pairs of the question (without its greetings, thanks and
sign-offs, which the rules leave out too) and of its asked sentences, the question shapes of
``ask.yaml`` said in the text and in the asked sentences, and a few counts (products, sources,
a budget). Its settings (the penalty, the weight of a real post against a team-written probe,
how often a feature must occur, the stop list) are in ``ask.yaml`` under ``intent_model`` with
how they were chosen; the fitted weights are in ``data/intent_model.json`` with the files they
were fitted to.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from earwise.advice.ask_signals import Signals, said, shapes
from earwise.advice.ask_text import DATA as ASK_DATA
from earwise.advice.ask_text import Understood, vocab, without_social_formulas

MODEL_FILE = Path(__file__).parent / "data" / "intent_model.json"

# The classes of the labelled sets (scored by benchmarks/ask_eval.py), and earwise's intents in
# each.
CLASSES = ("recommend", "drive", "chain", "compare", "similar", "explain", "out-of-scope")
CLASS_OF = {
    "recommend": "recommend", "drive": "drive", "amps": "drive", "chain": "chain",
    "compare": "compare", "compare_sources": "compare", "genre_fit": "compare",
    "product_info": "compare", "similar": "similar", "explain": "explain",
    "explain_spec": "explain", "out_of_scope": "out-of-scope", "none": "out-of-scope",
}  # fmt: skip

_WORD = re.compile(r"[a-z0-9']+")
ASKED_MAX = 12  # asked sentences weighed (a hostile post of a thousand '?' stays quick)
TOP_FEATURES = 5  # features shown as what weighed most


@dataclass
class IntentRead:
    """How the intent was read: the rules' intent, the model's probability for each class, and
    the features that weighed most for the class answered."""

    rules: str
    by: str = "rules"  # "rules", or "model" when the model's class overrode the rules' intent
    best: str = ""  # the model's most likely class
    scores: dict[str, float] = field(default_factory=dict)
    weighed: list[str] = field(default_factory=list)
    features: frozenset[str] = frozenset()


@cache
def stop_words() -> frozenset[str]:
    """Words left out of the single-word features (ask.yaml ``intent_model.stop_words``)."""
    return frozenset(settings().get("stop_words", "").split())


def intent_features(u: Understood, g: Signals) -> frozenset[str]:
    """The binary features of a question (see the module docstring)."""
    words = _WORD.findall(without_social_formulas(u.text).lower())  # as the rules read it
    stop = stop_words()  # single words only: a pair keeps them ("how do", "will my")
    feats = {"w:" + w for w in words if w not in stop} | {
        "b:" + a + "_" + b for a, b in zip(words, words[1:], strict=False)
    }
    names = list(shapes())
    for sentence in g.asked[:ASKED_MAX]:
        asked = _WORD.findall(sentence.lower())
        feats |= {"aw:" + w for w in asked if w not in stop}
        feats |= {"ab:" + a + "_" + b for a, b in zip(asked, asked[1:], strict=False)}
        feats |= {"as:" + k for k in names if said(k, sentence)}
    feats |= {"s:" + k for k in names if g.said(k)}
    feats |= {
        f"np:{min(len(u.products), 3)}", f"ns:{min(len(u.sources), 3)}",
        f"nu:{min(len(u.unknown), 3)}", f"bud:{bool(u.budget_usd)}", f"q:{'?' in u.text}",
        f"asked:{min(len(g.asked), 3)}", f"drive:{bool(g.drive)}", f"shop:{bool(g.shopping)}",
        f"abouthp:{bool(g.about_headphones)}",
    }  # fmt: skip
    return frozenset(feats)


_SAID = {
    "w": "the word '{}'", "b": "the words '{}'", "aw": "the word '{}' where it asks",
    "ab": "the words '{}' where it asks", "s": "the shape '{}'", "as": "the shape '{}' where it asks",
}  # fmt: skip


def in_words(feature: str) -> str:
    """A feature as a reader would say it ("b:how_loud" -> "the words 'how loud'")."""
    kind, _, value = feature.partition(":")
    if kind in _SAID:
        return _SAID[kind].format(value.replace("_", " ") if kind in ("b", "ab") else value)
    return f"{kind} {value}"  # the counts: "np:1" is one product named


def read_as_json(read: IntentRead) -> dict:
    """How the intent was read, for the answer's ``understood`` part."""
    return {
        "rules": read.rules,
        "by": read.by,
        "scores": {c: round(p, 3) for c, p in read.scores.items()},
        "weighed": [in_words(f) for f in read.weighed],
    }


@dataclass(frozen=True)
class IntentModel:
    """Fitted weights: row ``index[feature]`` of ``matrix`` holds a feature's weight for each
    class (:data:`CLASSES`)."""

    index: dict[str, int]
    matrix: np.ndarray
    bias: np.ndarray
    meta: dict

    def _rows(self, features: frozenset[str]) -> tuple[list[str], np.ndarray]:
        known = [f for f in features if f in self.index]
        return known, self.matrix[[self.index[f] for f in known]]

    def scores(self, features: frozenset[str]) -> dict[str, float]:
        """The probability of each class (softmax of the summed weights, Bishop eq. 4.104)."""
        z = self.bias + self._rows(features)[1].sum(axis=0)
        p = np.exp(z - z.max())
        p = p / p.sum()
        return {c: float(x) for c, x in zip(CLASSES, p, strict=True)}

    def best(self, features: frozenset[str]) -> str:
        """The most likely class."""
        scores = self.scores(features)
        return max(scores, key=scores.__getitem__)

    def weighed_most(self, features: frozenset[str], cls: str) -> list[str]:
        """The features that pushed most towards ``cls`` (against the mean of the other classes)."""
        k = CLASSES.index(cls)
        known, w = self._rows(features)
        pull = w[:, k] - (w.sum(axis=1) - w[:, k]) / (len(CLASSES) - 1)
        ranked = sorted(zip(known, pull.tolist(), strict=True), key=lambda kv: (-kv[1], kv[0]))
        return [f for f, v in ranked[:TOP_FEATURES] if v > 0]


@cache
def load_model(path: Path = MODEL_FILE) -> IntentModel | None:
    """The fitted model, or None when no weights were fitted yet (the fitting script reads
    questions with the rules alone)."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    names = list(data["weights"])
    matrix = np.array(list(data["weights"].values()), dtype=float).reshape(len(names), -1)
    index = {f: i for i, f in enumerate(names)}
    return IntentModel(index, matrix, np.asarray(data["bias"], dtype=float), data["meta"])


def settings() -> dict:
    """The model's settings with their sources (ask.yaml ``intent_model``)."""
    return vocab()["intent_model"]


def data_digest(paths: list[Path]) -> str:
    """SHA-256 over the labelled files a model was fitted to and over ask.yaml, whose question
    shapes are features and which holds the settings (the model records it; a test checks it
    against the files as they are now: a change to either calls for a refit)."""
    h = hashlib.sha256()
    for p in [*paths, ASK_DATA]:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def weigh(u: Understood, g: Signals, rules: str) -> IntentRead:
    """The model's reading of a question the rules read as ``rules``: ``by`` is "model" when the
    model's most likely class is not the rules' class and leads it by more than ask.yaml's
    ``override_margin``, unless the rules' intent is one of ``keep_rules_intents``
    (:func:`ask_intent.read_intent` then answers in the model's class)."""
    read = IntentRead(rules=rules, features=intent_features(u, g))
    model = load_model()
    if model is None:
        return read
    read.scores = model.scores(read.features)
    read.best = max(read.scores, key=read.scores.__getitem__)
    lead = read.scores[read.best] - read.scores[CLASS_OF.get(rules, rules)]
    kept = rules in settings().get("keep_rules_intents", ())  # a reading the rules hold to
    read.by = "model" if lead > settings()["override_margin"] and not kept else "rules"
    answered = read.best if read.by == "model" else CLASS_OF.get(rules, rules)
    read.weighed = model.weighed_most(read.features, answered)  # (for the class answered)
    return read


def softmax_loss(
    params: np.ndarray, x, y: np.ndarray, sample_weight: np.ndarray, penalty: float
) -> tuple[float, np.ndarray]:
    """The weighted cross-entropy of a softmax regression plus ``penalty`` times the squared
    weights (Bishop eqs. 4.108 and 4.109 with an L2 term), and its gradient. ``x`` is an
    (n, d) sparse or dense 0/1 matrix, ``y`` the class index of each row, ``params`` the
    (d, k) weights then the k biases, flattened."""
    n, d = x.shape
    k = len(CLASSES)
    w, b = params[: d * k].reshape(d, k), params[d * k :]
    z = x @ w + b
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p = p / p.sum(axis=1, keepdims=True)
    t = np.zeros((n, k))
    t[np.arange(n), y] = 1.0
    loss = -float((sample_weight * np.log((p * t).sum(axis=1) + 1e-300)).sum())
    loss += penalty * float((w**2).sum())
    err = (p - t) * sample_weight[:, None]
    grad_w = np.asarray(x.T @ err) + 2.0 * penalty * w
    return loss, np.concatenate([grad_w.ravel(), err.sum(axis=0)])


def fit(
    rows: list[tuple[frozenset[str], str, float]], penalty: float, min_count: int
) -> IntentModel:
    """Fit the model to (features, class, sample weight) rows; features seen in fewer than
    ``min_count`` rows are left out."""
    from scipy.optimize import minimize
    from scipy.sparse import csr_matrix

    counts: dict[str, int] = {}
    for feats, _, _ in rows:
        for f in feats:
            counts[f] = counts.get(f, 0) + 1
    kept = sorted(f for f, c in counts.items() if c >= min_count)
    index = {f: i for i, f in enumerate(kept)}
    cols = [sorted(index[f] for f in feats if f in index) for feats, _, _ in rows]
    ptr = np.cumsum([0] + [len(c) for c in cols])
    flat = [i for c in cols for i in c]
    x = csr_matrix((np.ones(len(flat)), flat, ptr), shape=(len(rows), len(kept)))
    y = np.array([CLASSES.index(cls) for _, cls, _ in rows])
    sw = np.array([w for _, _, w in rows], dtype=float)
    start = np.zeros(len(kept) * len(CLASSES) + len(CLASSES))
    res = minimize(
        softmax_loss, start, args=(x, y, sw, penalty), jac=True, method="L-BFGS-B",
        options={"maxiter": 500},
    )  # fmt: skip
    w = res.x[: len(kept) * len(CLASSES)].reshape(len(kept), len(CLASSES))
    meta = {"features": len(kept), "rows": len(rows), "converged": bool(res.success)}
    return IntentModel(index, w, res.x[len(kept) * len(CLASSES) :], meta)


def class_prior(rows: list[tuple[frozenset[str], str, float]]) -> dict[str, float]:
    """The share of each class among (features, class, weight) rows, by weight."""
    count = dict.fromkeys(CLASSES, 0.0)
    for _, cls, weight in rows:
        count[cls] += weight
    total = sum(count.values())
    return {c: n / total for c, n in count.items()}


def shrunk_prior(questions: list, toward: dict[str, float], strength: float) -> dict[str, float]:
    """The class shares of ``questions``, each count shrunk toward the shares ``toward`` by
    ``strength`` pseudo-questions (a Dirichlet prior: a class seen once in a small sample keeps
    most of its share)."""
    seen = class_prior([(f, c, 1.0) for f, c, _ in questions])
    n = len(questions)
    return {c: (seen[c] * n + strength * toward[c]) / (n + strength) for c in CLASSES}


def with_prior(model: IntentModel, fitted: dict, target: dict) -> IntentModel:
    """The model for questions whose classes come in the shares ``target`` rather than the
    shares ``fitted`` it was fitted to: each class's probability times target/fitted, then
    normalised (Saerens, Latinne & Decaestecker 2002, *Neural Computation* 14(1), eq. 2.4),
    which is adding log(target/fitted) to each class's bias."""
    shift = np.log([target[c] / fitted[c] for c in CLASSES])
    meta = model.meta | {"prior_fitted": fitted, "prior_target": target}
    return IntentModel(model.index, model.matrix, model.bias + shift, meta)


def model_json(model: IntentModel, meta: dict, digits: int = 4) -> str:
    """The model as JSON: weights rounded to ``digits`` decimals, features whose weights all
    round to zero left out."""
    weights = {}
    for f, i in sorted(model.index.items()):
        row = [round(float(v), digits) for v in model.matrix[i]]
        if any(row):
            weights[f] = row
    out = {
        "meta": model.meta | meta,
        "classes": list(CLASSES),
        "bias": [round(float(v), digits) for v in model.bias],
        "weights": weights,
    }
    return json.dumps(out, separators=(",", ":"), sort_keys=False) + "\n"
