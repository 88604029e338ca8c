"""Parametric EQ: fitting, presets and their file syntax (round trips), bad input, the CLI."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from earwise.acoustics import eq
from earwise.acoustics.peq import Filter, FilterSpec, fit_peq, response_db, rms_error_db
from earwise.acoustics.response import FrequencyResponse, standard_grid
from earwise.cli import app

GRID = standard_grid()
KNOWN = [Filter("LSC", 105, 0.7, 4.0), Filter("HSC", 10000, 0.7, -2.0), Filter("PK", 180, 1.2, -3.5),
         Filter("PK", 2800, 3.0, 4.0), Filter("PK", 6200, 5.0, -5.0)]  # fmt: skip


def test_fit_recovers_known_filters():
    goal = response_db(KNOWN, GRID, 48000)
    specs = [FilterSpec("LSC", 105, 0.7), FilterSpec("HSC", 10000, 0.7)] + [FilterSpec("PK")] * 3
    fitted = fit_peq(specs, GRID, goal, 48000)
    assert rms_error_db(fitted, GRID, goal, 48000) < 0.05


def test_fixed_bands_keep_their_frequencies():
    p = eq.PRESETS["graphic10"].with_limits(6, None)
    fitted = fit_peq(list(p.specs), GRID, response_db(KNOWN, GRID, 48000), p.fs_hz)
    assert [f.fc_hz for f in fitted] == list(eq.GRAPHIC10_FC_HZ) and all(
        f.q == 1.41 for f in fitted
    )


def test_goal_caps_boost_and_holds_treble_flat():
    error = np.where(GRID < 100, -12.0, 0.0) + np.where(GRID > 12000, np.sin(GRID) * 5, 0)
    goal = eq.goal_from_error(error, GRID, 6.0)
    assert goal.max() <= 6.0 + 1e-9
    assert np.ptp(goal[GRID > 10000]) == pytest.approx(0)


# --- file syntax: documentation examples and round trips -----------------------------------------

APO_DOC = "Preamp: -6.3 dB\nFilter 1: ON LSC Fc 105 Hz Gain 6.7 dB Q 0.70\nFilter 2: ON PK Fc 3000 Hz Gain -2.5 dB Q 1.41\n"


def test_apo_reads_the_documented_syntax():
    filters, pre = eq.read_apo(APO_DOC)
    assert pre == -6.3 and filters[0] == Filter("LSC", 105, 0.7, 6.7) and filters[1].type == "PK"


@pytest.mark.parametrize("name", [n for n, p in eq.PRESETS.items() if p.kind != "graphic"])
def test_every_preset_round_trips(name):
    p = eq.PRESETS[name].with_limits(6, None)
    filters = fit_peq(
        list(p.specs), GRID, np.clip(response_db(KNOWN, GRID, 48000), -12, 6), p.fs_hz
    )
    text, written, pre = eq.export(p, filters)
    eq.validate_export(p, text, written, pre)
    if name in ("graphic10", "spotify"):
        fcs, gains, pre2 = eq.read_bands(text)
        assert gains == pytest.approx(
            [f.gain_db for f in written], abs=0.051
        ) and pre2 == pytest.approx(pre)
    else:
        back, pre2 = (eq.read_rockbox if name == "rockbox" else eq.read_apo)(text)
        assert pre2 == pytest.approx(pre, abs=0.051)
        for a, b in zip(back, written, strict=True):
            assert (a.type, round(a.fc_hz)) == (
                b.type,
                round(b.fc_hz),
            ) and a.gain_db == pytest.approx(b.gain_db, abs=0.051)
    lim = p.gain_limit_db
    assert all(-lim - 1e-9 <= f.gain_db <= 6 + 1e-9 for f in written)


def test_syntax_of_each_format():
    p = eq.PRESETS["apo"]
    text, written, pre = eq.export(p, KNOWN)
    assert re.fullmatch(r"Preamp: -?\d+\.\d dB", text.splitlines()[0])
    assert all(
        re.fullmatch(r"Filter \d+: ON (PK|LSC|HSC) Fc \d+ Hz Gain -?\d+\.\d dB Q \d+\.\d\d", x)
        for x in text.splitlines()[1:]
    )
    rock, _, _ = eq.export(eq.PRESETS["rockbox"], KNOWN)
    assert (
        rock.startswith("eq enabled: on\neq precut: ") and "eq low shelf filter: 105, 7, 40" in rock
    )
    f, g = eq.graphic_frequencies(), np.linspace(-3, 2, 127)
    graphic, _, _ = eq.export(eq.PRESETS["graphiceq"], [], (f, g))
    assert graphic.startswith("GraphicEQ: 20 ") and graphic.count(";") == 126
    back_f, back_g = eq.read_graphiceq(graphic)
    assert back_f == pytest.approx(f) and back_g == pytest.approx(g - 2, abs=0.051)


def test_preamp_prevents_clipping():
    text, written, pre = eq.export(eq.PRESETS["apo"], KNOWN)
    assert pre <= -float(response_db(written, np.geomspace(20, 20000, 2000), 48000).max()) + 0.05


# --- bad input ----------------------------------------------------------------------------------


def test_bad_measurements_and_targets():
    short = FrequencyResponse(np.geomspace(20, 20000, 12), np.zeros(12), "short")
    with pytest.raises(eq.EqError, match="at least 20"):
        eq.check_measurement(short)
    rng = np.random.default_rng(1)
    noisy = FrequencyResponse(GRID, rng.normal(0, 8, len(GRID)), "noisy")
    with pytest.raises(eq.EqError, match="too noisy"):
        eq.check_measurement(noisy)
    narrow = FrequencyResponse(np.geomspace(100, 8000, 100), np.zeros(100), "narrow target")
    with pytest.raises(eq.EqError, match="must cover 20 Hz-10 kHz"):
        eq.check_target(narrow)


@pytest.mark.parametrize(
    "preset,max_gain,n,message",
    [("qudelix", 20, None, "between 0 and 12"), ("apo", -1, None, "between 0"), ("apo", 6, 20, "1 to 10 filters"),
     ("spotify", 6, 3, "fixed bands")],
)  # fmt: skip
def test_impossible_preset_limits(preset, max_gain, n, message):
    with pytest.raises(eq.EqError, match=message):
        eq.PRESETS[preset].with_limits(max_gain, n)


# --- CLI ----------------------------------------------------------------------------------------


def test_cli_eq_writes_files(runner, measurements, tmp_path):
    out, svg = tmp_path / "hd650.txt", tmp_path / "hd650.svg"
    r = runner.invoke(app, ["eq", "HD 650", "-o", str(out), "--plot", str(svg), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["remaining_error_db"] < 1.0 and len(data["filters"]) == 10
    assert (
        data["preference"]["after_estimate"] > data["preference"]["before"]
        and "estimate" in data["preference"]["caveat"]
    )
    filters, pre = eq.read_apo(out.read_text())
    assert len(filters) == 10 and pre == data["preamp_db"]
    assert "after EQ" in svg.read_text()


def test_cli_eq_like_and_presets(runner, measurements):
    r = runner.invoke(app, ["eq", "HD 600", "--like", "HD 650", "--preset", "qudelix", "--json"])
    data = json.loads(r.stdout)
    assert r.exit_code == 0 and data["goal"].startswith("sound like") and data["preference"] is None
    assert all(-12 <= f["gain_db"] <= 6 and 0.1 <= f["q"] <= 7 for f in data["filters"])
    r = runner.invoke(app, ["eq", "HD 600", "--preset", "graphiceq", "--json"])
    assert json.loads(r.stdout)["file_text"].startswith("GraphicEQ:")
    r = runner.invoke(app, ["eq", "HD 600", "--preset", "nope"])
    assert r.exit_code == 2 and "valid" in r.stderr
    r = runner.invoke(
        app, ["eq", "HD 600", "--like", "Sony WH-1000XM4"]
    )  # GRAS vs GRAS works; check HMS mismatch:
    assert r.exit_code in (0, 2)
