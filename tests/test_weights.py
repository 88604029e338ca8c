"""advice/data/weights.yaml: validated on load, used by the engine, and mirrored in docs/engine.md."""

from __future__ import annotations

import ast
import copy
from pathlib import Path

import numpy as np
import pytest
import yaml

from earwise.advice import weights as W
from earwise.advice.weights import WeightsError, docs_rows, load_weights, parse

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "engine.md"
ADVICE = ROOT / "src" / "earwise" / "advice"
REGENERATE = (
    "docs/engine.md section 7 differs from src/earwise/advice/data/weights.yaml; regenerate it "
    "with `python -m earwise.advice.weights --update-docs` (or print the table with "
    "`python -m earwise.advice.weights --markdown` and paste it between the weights markers)"
)


def raw() -> dict:
    """weights.yaml as plain YAML, read without the loader."""
    return yaml.safe_load(W.DATA.read_text(encoding="utf-8"))


def test_docs_table_matches_weights_yaml_exactly():
    doc = docs_rows(DOCS.read_text(encoding="utf-8"))
    data = raw()["weights"]
    assert sorted(doc) == sorted(data), (
        f"{REGENERATE}. Only in the docs: {sorted(set(doc) - set(data))}; "
        f"only in weights.yaml: {sorted(set(data) - set(doc))}"
    )
    for key, entry in data.items():
        want = {"value": entry["value"], "unit": entry.get("unit"), "source": entry["source"]}
        assert doc[key] == want, f"{REGENERATE}. {key}: docs {doc[key]} != yaml {want}"


def test_docs_section_is_the_generated_table_verbatim():
    text = DOCS.read_text(encoding="utf-8")
    block = W.BEGIN + text.split(W.BEGIN, 1)[1].split(W.END, 1)[0] + W.END
    assert block == W.markdown(), REGENERATE


def test_markdown_cli_prints_the_table(capsys):
    assert W.main(["--markdown"]) == 0
    assert capsys.readouterr().out.strip() == W.markdown()
    assert W.main(["--bogus"]) == 2


def test_update_docs_rewrites_only_the_section(tmp_path):
    doc = tmp_path / "engine.md"
    doc.write_text(f"# title\n\n{W.BEGIN}\n| stale |\n{W.END}\n\ntail\n", encoding="utf-8")
    W.update_docs(doc)
    text = doc.read_text(encoding="utf-8")
    assert text == f"# title\n\n{W.markdown()}\n\ntail\n"
    assert docs_rows(text) == docs_rows(DOCS.read_text(encoding="utf-8"))


def test_every_entry_has_value_and_source_and_judgements_give_a_reason():
    w = load_weights()
    assert len(w) == len(W.SCHEMA) == len(raw()["weights"])
    for key, e in w.items():
        assert e.key == key and e.source
        if e.source.lower().startswith("judgement"):
            assert len(e.source.split(":", 1)[-1].strip()) > 10, key


def test_loaded_once_and_read_only():
    w = load_weights()
    assert load_weights() is w
    with pytest.raises(AttributeError):
        w.path = Path("x")
    with pytest.raises(TypeError):
        w.value("place.mix")["leak"] = 1.0
    with pytest.raises(WeightsError, match="no weight"):
        w["no.such.key"]


def _broken(mutate) -> dict:
    data = copy.deepcopy(raw())
    mutate(data["weights"])
    return data


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("weight.music"), "missing keys \\['weight.music'\\]"),
        (lambda d: d.update({"weight.typo": {"value": 1, "source": "x"}}), "unknown keys"),
        (lambda d: d["weight.music"].pop("source"), "needs both 'value' and 'source'"),
        (lambda d: d["weight.music"].pop("value"), "needs both 'value' and 'source'"),
        (lambda d: d["weight.music"].update(source="judgement"), "needs a one-line reason"),
        (lambda d: d["weight.music"].update(note="x"), "unknown fields"),
        (lambda d: d["weight.music"].update(value="high"), "finite number"),
        (lambda d: d["weight.music"].update(value=float("nan")), "finite number"),
        (lambda d: d["kit.pool_overall"].update(value=8.5), "whole number"),
        (lambda d: d["leaning.warm_shift_db"].update(value=[1.0]), "pair of numbers"),
        (lambda d: d["leak.closed_by_form"]["value"].pop("earbud"), "missing keys \\['earbud'\\]"),
        (
            lambda d: d["mic.type_score"]["value"].update(headset=0.5),
            "unknown keys \\['headset'\\]",
        ),
    ],
)
def test_malformed_weights_fail_loudly(mutate, message):
    with pytest.raises(WeightsError, match=message):
        parse(_broken(mutate))


def test_unreadable_or_invalid_files_fail_loudly(tmp_path):
    with pytest.raises(WeightsError, match="cannot read"):
        load_weights(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("weights: [", encoding="utf-8")
    with pytest.raises(WeightsError, match="not valid YAML"):
        load_weights(bad)
    with pytest.raises(WeightsError, match="one mapping"):
        parse({"weights": {}, "extra": 1})


def test_schema_labels_match_the_matrix():
    from earwise.advice.matrix import BACKS, FORMS, MIC_TYPES

    assert set(W.FORMS) == set(FORMS) and set(W.BACKS) == set(BACKS)
    assert set(W.SCHEMA["mic.type_score"][1]) == set(MIC_TYPES)


def test_the_engine_uses_the_file_values():
    from earwise.advice import criteria as C
    from earwise.advice import matrix as M
    from earwise.advice.engine import LEAK_LIMIT_NO_LEAK
    from earwise.advice.profile import Profile

    w = load_weights()
    assert w.value("leaning.more_bass_db") == C.MORE_BASS_DB
    assert w.value("place.gate_floor") == C.PLACE_GATE_FLOOR
    assert w.value("engine.no_leak_max") == LEAK_LIMIT_NO_LEAK
    assert list(M.MIC_TYPE_SCORE) == [w.value("mic.type_score")[t] for t in M.MIC_TYPES]
    assert list(M.PORTABILITY_BY_FORM) == [w.value("portability.by_form")[f] for f in M.FORMS]
    assert np.array_equal(C.STAGE_BY_BACK, [w.value("music.stage_by_back")[b] for b in M.BACKS])
    assert Profile().genre_shares == dict(w.value("profile.default_genres"))
    assert C.CRITERION_WEIGHTS["music"] == w.value("weight.music")


# Module-level numbers allowed in code: enum codes and physical constants (Stax bias voltages).
ALLOWED = {("matrix.py", "SIG_NONE"), ("explain.py", "BIAS_OF_PLUG")}
ENGINE_MODULES = ("engine", "criteria", "matrix", "explain", "kit", "best", "profile")


@pytest.mark.parametrize("module", ENGINE_MODULES)
def test_no_numeric_constants_outside_weights_yaml(module):
    """A new weight or threshold at module level must go to weights.yaml, not into the code."""
    path = ADVICE / f"{module}.py"
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
        numbers = [
            c.value
            for c in ast.walk(node.value)
            if isinstance(c, ast.Constant)
            and isinstance(c.value, int | float)
            and not isinstance(c.value, bool)
        ]
        if numbers and not any((path.name, n) in ALLOWED for n in names):
            raise AssertionError(f"{path.name}: {names} = {numbers}: move it to weights.yaml")


def test_no_advice_module_over_500_lines():
    for path in ADVICE.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 500, path.name
