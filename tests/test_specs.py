"""Spec-sheet parsing and explanation, including The Master Switch's AKG K712 worked example."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earwise.advice.spec_explain import explain_sheet
from earwise.advice.specs import SpecError, parse_number, parse_spec_sheet
from earwise.cli import app

K712 = """AKG K712 PRO
Impedance: 62 Ω
Sensitivity: 105 dB SPL/V
Frequency response: 10Hz – 39,800Hz
THD: 0.1-1%"""


@pytest.mark.parametrize(
    "text,field,expected",
    [
        ("Impedance: 62 Ω", "impedance_ohm", 62),
        ("Nominal impedance 300 Ohms", "impedance_ohm", 300),
        ("impedance 32 ohm", "impedance_ohm", 32),
        ("Impedance: 1.2 kΩ", "impedance_ohm", 1200),
        ("Sensitivity: 105 dB SPL/V", "sensitivity_unit", "dB SPL/V"),
        ("Sensitivity 97 dB/mW", "sensitivity_unit", "dB SPL/mW"),
        ("Sensitivity 97 dB SPL/mW", "sensitivity_unit", "dB SPL/mW"),
        ("Sensitivity: 112 dB SPL/Vrms", "sensitivity_unit", "dB SPL/V"),
        ("Sensitivity: 97 dB (1 kHz, 1 mW)", "sensitivity_unit", "dB SPL/mW"),
        ("Sensitivity: 96 dB (500 Hz)", "sensitivity_ref_hz", 500),
        ("Sensitivity: 96 dB (500 Hz)", "sensitivity_unit", None),
        ("Empfindlichkeit: 98,5 dB/mW", "sensitivity_db", 98.5),
        ("Frequency response: 10Hz – 39,800Hz", "freq_range_hz", (10, 39800)),
        ("Frequency range 5 Hz to 40 kHz", "freq_range_hz", (5, 40000)),
        ("Frequency response 12-38500 Hz", "freq_range_hz", (12, 38500)),
        ("Frequenzgang: 15 - 28.000 Hz", "freq_range_hz", (15, 28000)),
        ("THD < 0.1% (1 kHz, 100 dB)", "thd_pct", (0.1, 0.1)),
        ("THD < 0.1% (1 kHz, 100 dB)", "thd_conditions", "1 kHz, 100 dB"),
        ("Klirrfaktor: 0,2 %", "thd_pct", (0.2, 0.2)),
        ("Weight: 290 g (without cable)", "weight_g", 290),
        ("Weight: 290 g (without cable)", "weight_note", "without cable"),
        ("Weight 0.29 kg", "weight_g", 290),
        ("Driver: 40 mm dynamic", "driver_size_mm", 40),
        ("Driver: 40 mm dynamic", "driver_type", "dynamic"),
        ("50 mm planar magnetic transducer", "driver_type", "planar"),
    ],
)
def test_parser_reads_real_sheet_formats(text, field, expected):
    assert getattr(parse_spec_sheet(text), field) == expected


def test_numbers_with_commas_and_dots():
    assert parse_number("39,800") == 39800 and parse_number("0,1") == 0.1
    assert parse_number("1.234,5") == 1234.5 and parse_number("28.000", thousands_dot=True) == 28000


def test_unreadable_spec_lines_are_named():
    sheet = parse_spec_sheet("Impedance: 32 Ω\nSensitivity: very high\nColour: black")
    assert sheet.impedance_ohm == 32 and sheet.unread == ["Sensitivity: very high"]


@pytest.mark.parametrize(
    "text,message",
    [
        ("Sensitivity: 300 dB", "impossible"),
        ("Impedance: -32 ohm", "impossible"),
        ("", "empty"),
        ("x" * 20001, "over"),
    ],
)
def test_impossible_values_refused(text, message):
    with pytest.raises(SpecError, match=message):
        parse_spec_sheet(text)


def test_implausible_sensitivity_warned_not_refused():
    data = explain_sheet(parse_spec_sheet("Impedance 32 ohm\nSensitivity 140 dB/mW"))
    sens = next(i for i in data["items"] if i["spec"] == "sensitivity")
    assert any("implausible" in f for f in sens["flags"])


def test_a_sensitivity_per_volt_alone_gives_the_voltage_the_peaks_take():
    """105 dB SPL/V with no impedance: 1 Vrms makes 105 dB, so 94 dB peaks take
    10**((94 - 105) / 20) = 0.28 Vrms, and a 1 V phone reaches 105 dB before any load."""
    data = explain_sheet(parse_spec_sheet("Sensitivity 105 dB SPL/V"))
    sens = next(i for i in data["items"] if i["spec"] == "sensitivity")
    assert "0.28 Vrms" in sens["for_you"] and "reaches 105 dB SPL" in sens["for_you"]
    assert data["verdict"].startswith("Voltage: ")
    per_mw = explain_sheet(parse_spec_sheet("Sensitivity 105 dB/mW"))  # power needs the impedance
    assert per_mw["verdict"].startswith("Without both")


def test_flags():
    data = explain_sheet(
        parse_spec_sheet(
            "Impedance 250 ohm\nSensitivity 96 dB (500 Hz)\nFrequency response 5 Hz - 40 kHz\nDriver 45 mm planar"
        )
    )
    flags = " ".join(f for i in data["items"] for f in i["flags"])
    assert (
        "unit not stated" in flags
        and "500 Hz" in flags
        and "marketing" in flags
        and "predicts little" in flags
    )
    assert "current-hungry" in next(i for i in data["items"] if i["spec"] == "driver")["for_you"]
    narrow = explain_sheet(parse_spec_sheet("Frequency response 50 Hz - 12 kHz"))
    assert "narrow" in narrow["items"][0]["flags"][0]


def test_k712_worked_example_end_to_end(runner):
    r = runner.invoke(app, ["explain", "--text", K712, "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    sens = next(i for i in data["items"] if i["spec"] == "sensitivity")
    assert "92.9 dB SPL/mW" in sens["for_you"]
    phone, laptop = data["drive"]
    assert phone["reachable_peak_db_spl"] == pytest.approx(105.0, abs=0.05)
    assert laptop["reachable_peak_db_spl"] == pytest.approx(111.0, abs=0.05)
    assert phone["verdict"].startswith("Enough") and "dB to spare" in data["verdict"]
    assert any("marketing" in f for i in data["items"] for f in i["flags"])


def test_explain_catalog_product_and_errors(runner):
    r = runner.invoke(app, ["explain", "HD 600"])
    assert r.exit_code == 0 and "Impedance" in r.stdout
    r = runner.invoke(app, ["explain"])
    assert r.exit_code == 2 and "give one of" in r.stderr
    r = runner.invoke(app, ["explain", "--text", "Sensitivity: 300 dB"])
    assert r.exit_code == 2 and "impossible" in r.stderr


@given(st.text(max_size=300))
def test_parser_never_raises_anything_but_spec_error(text):
    with contextlib.suppress(SpecError):
        parse_spec_sheet(text)


REALISTIC_SHEET = """Sony MDR-7506
Frequency response: 10 Hz – 20 kHz
Impedance: 63 Ω
Sensitivity: 102 dB SPL/mW
Driver: 40 mm dynamic"""


@pytest.mark.parametrize(
    "text,sens_db,unit,ref_hz",
    [
        (REALISTIC_SHEET, 102.0, "dB SPL/mW", None),
        # a shell passes --text "a\nb" with a literal backslash-n: still two lines
        (REALISTIC_SHEET.replace("\n", "\\n"), 102.0, "dB SPL/mW", None),
        # pasted from a web table: one line, the labels in a row
        (REALISTIC_SHEET.replace("\n", "   "), 102.0, "dB SPL/mW", None),
        ("Frequency response: 10 Hz - 40 kHz (-10 dB) Sensitivity: 102 dB SPL/V", 102.0, "dB SPL/V", None),
        ("Frequency range 5-40,000 Hz   Sensitivity (at 1 kHz): 98 dB/mW", 98.0, "dB SPL/mW", 1000.0),
        ("Sensitivity: 96 dB (500 Hz)   Frequency response: 10 Hz - 40 kHz", 96.0, None, 500.0),
        ("Sensitivity: 102 dB   Max input power: 50 mW", 102.0, None, None),
    ],
)  # fmt: skip
def test_sensitivity_reference_comes_from_its_own_clause(text, sens_db, unit, ref_hz):
    """Regression: the first 'Hz' on the sheet (the range's 10 Hz) became the reference."""
    sheet = parse_spec_sheet(text)
    assert sheet.sensitivity_db == pytest.approx(sens_db, abs=1e-9)
    assert sheet.sensitivity_unit == unit
    if ref_hz is None:
        assert sheet.sensitivity_ref_hz is None
    else:
        assert sheet.sensitivity_ref_hz == pytest.approx(ref_hz, abs=1e-9)


def test_explain_text_does_not_flag_the_range_as_reference(runner):
    r = runner.invoke(app, ["explain", "--text", REALISTIC_SHEET.replace("\n", "\\n"), "--json"])
    assert r.exit_code == 0, r.output
    sens = next(i for i in json.loads(r.stdout)["items"] if i["spec"] == "sensitivity")
    assert " at " not in sens["value"] and not any("measured at" in f for f in sens["flags"])
