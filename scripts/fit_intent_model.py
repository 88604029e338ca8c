"""Fit the intent model (advice.ask_model) to the labelled questions and write its weights.

    python scripts/fit_intent_model.py            # fit, write src/earwise/advice/data/intent_model.json
    python scripts/fit_intent_model.py --check    # also cross-validate on the tuning half

The questions it is fitted to: the team's probes (tests/data/intent_probes.yaml), real posts
collected apart from the labelled sets (tests/data/real_probes.yaml) and the tuning half of the
labelled set (tests/data/questions/tuning.yaml). Never the held-out half. A question's class is
that of the rules' reading when it is one of its labels, else that of its first label; real posts weigh more than probes (ask.yaml ``intent_model``).

``--check`` fits five more models, each without a fifth of the tuning half, and reports how
many of the left-out questions each reads right: the figure for questions the model was not
fitted to.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import yaml

from earwise.advice.ask import understand
from earwise.advice.ask_model import (
    CLASS_OF,
    MODEL_FILE,
    IntentModel,
    class_prior,
    data_digest,
    fit,
    model_json,
    settings,
    shrunk_prior,
    with_prior,
)
from earwise.service.app import Earwise
from earwise.service.settings import Settings

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
SOURCES = {  # file -> which sample weight of ask.yaml's intent_model it takes
    DATA / "intent_probes.yaml": "probe",
    DATA / "real_probes.yaml": "real",
    DATA / "questions" / "tuning.yaml": "real",
}


def labelled(path: Path) -> list[tuple[str, list[str]]]:
    """(text, labels) for each question of a labelled file, as earwise's intents."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = data["questions"] if isinstance(data, dict) else data
    out = []
    for q in items:
        labels = q["labels"]["intent"] if "labels" in q else q["intent"]
        labels = labels if isinstance(labels, list) else [labels]
        out.append((q["text"], [lab.replace("-", "_") for lab in labels]))
    return out


def rows_of(view, path: Path, weight: float) -> list[tuple[frozenset[str], str, float]]:
    """The features of each question of ``path`` as the reader computes them, and its class:
    the class of the rules' reading when it is one of the labels (a borderline post may be
    labelled two ways; the model need not learn to leave a reading that is right), else the
    class of its first label."""
    rows = []
    for text, labels in labelled(path):
        read = understand(text, view).intent_read
        right = read.rules in labels or CLASS_OF.get(read.rules) == labels[0]  # (tuning: classes)
        cls = CLASS_OF.get(read.rules if right else labels[0], labels[0])
        rows.append((read.features, cls, weight))
    return rows


def fitted_for(rows: list, questions: list, conf: dict) -> IntentModel:
    """The model fitted to ``rows``, its class shares moved to those of ``questions`` (the tuning
    half: real questions as people ask them), shrunk toward the fitted shares by ask.yaml's
    ``prior_strength`` pseudo-questions (none moved when it is absent)."""
    model = fit(rows, conf["penalty"], conf["min_count"])
    if conf.get("prior_strength") is None:
        return model
    fitted = class_prior(rows)
    return with_prior(model, fitted, shrunk_prior(questions, fitted, conf["prior_strength"]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="cross-validate on the tuning half")
    ap.add_argument("--out", type=Path, default=MODEL_FILE)
    args = ap.parse_args(argv)
    conf = settings()
    with tempfile.TemporaryDirectory() as tmp:
        view = Earwise(Settings.from_env(store_path=Path(tmp) / "catalog.sqlite")).view()
        by_file = {p: rows_of(view, p, conf["sample_weight"][w]) for p, w in SOURCES.items()}
    rows = [r for rs in by_file.values() for r in rs]
    tuning = by_file[DATA / "questions" / "tuning.yaml"]
    model = fitted_for(rows, tuning, conf)
    right = sum(model.best(f) == c for f, c, _ in rows)
    meta = {
        "fitted_to": {str(p.relative_to(DATA.parents[1])): len(rs) for p, rs in by_file.items()},
        "data_sha256": data_digest(list(SOURCES)),
        "read_right_when_fitted": right,
        "settings": {
            k: conf.get(k) for k in ("penalty", "min_count", "sample_weight", "prior_strength")
        },
    }
    args.out.write_text(model_json(model, meta), encoding="utf-8")
    print(f"fitted to {len(rows)} questions, {model.meta['features']} features; "
          f"{right} read right; wrote {args.out}")  # fmt: skip
    if args.check:
        others = [r for p, rs in by_file.items() if rs is not tuning for r in rs]
        ok = 0
        for k in range(5):
            held, kept = tuning[k::5], [r for i, r in enumerate(tuning) if i % 5 != k]
            ok += sum(fitted_for(others + kept, kept, conf).best(f) == c for f, c, _ in held)
        print(f"tuning half, 5-fold: {ok}/{len(tuning)} read right by a model not fitted to them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
