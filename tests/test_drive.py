"""Drive, amps-for and chain: physics reference values and the Headfonia readers' chain questions."""

from __future__ import annotations

import json
import math

import pytest

from earwise.acoustics.power import SourceLimits, spl_per_v_from_mw
from earwise.advice.chain import build_chain, upgrade_first
from earwise.advice.drive import (
    DriveError,
    adhoc_source,
    amps_for,
    drive_report,
    energizers_for,
    headphone_drive,
    json_safe,
    need_for,
)
from earwise.cli import app

HD600_V = float(spl_per_v_from_mw(97, 300))


def test_hd600_reference_values():
    r = drive_report("HD 600", HD600_V, 300, SourceLimits(1.0, 0.0), "1 V", need_for(96, ["rock"]))
    assert r["needed_peak_db_spl"] == 110
    assert r["needed_vrms"] == pytest.approx(2.45, abs=0.01) and r["needed_mw"] == pytest.approx(
        20, abs=0.1
    )
    assert r["reachable_peak_db_spl"] == pytest.approx(102.2, abs=0.1)
    assert r["headroom_db"] == pytest.approx(-7.8, abs=0.1) and r["verdict"].startswith(
        "Not enough"
    )


@pytest.mark.parametrize(
    ("sens_db_spl_v", "silent_uv", "note"),
    [(120.0, 1.0, True), (110.0, 3.16, False), (HD600_V, 7.74, False)],  # 10^(-sens/20) V
)
def test_silent_noise_is_the_noise_heard_at_the_threshold_of_hearing(
    sens_db_spl_v, silent_uv, note
):
    """0 dB SPL (ISO 226 / ISO 389-7 near 1-4 kHz): 120 dB SPL/V turns 1 µV of noise into 0 dB SPL;
    the verdict speaks of hiss only for headphones under the weights' 3 µV."""
    r = drive_report("x", sens_db_spl_v, 32, SourceLimits(1.0, 0.0), "1 V", need_for())
    assert r["silent_noise_uv"] == pytest.approx(silent_uv, abs=0.01)
    assert ("hiss audibly" in r["verdict"]) is note
    unknown = drive_report("x", 120.0, 32, None, "a box", need_for())
    assert "1 µV" in unknown["verdict"]


def test_current_limit_and_output_impedance():
    planar = drive_report(
        "planar", 100.0, 16, SourceLimits(4.0, 0.5, 50.0), "amp", need_for("loud")
    )
    assert planar["limited_by"] == "current"
    ba = drive_report(
        "IEM",
        110.0,
        9,
        SourceLimits(1.0, 10.0),
        "old dongle",
        need_for(),
        z_min=5,
        z_max=40,
        driver_type="balanced-armature",
    )
    assert (
        ba["damping_factor"] == pytest.approx(0.9)
        and "1/8" in ba["verdict"]
        and "balanced armatures" in ba["verdict"]
    )
    assert ba["zout_fr_deviation_db"] == pytest.approx(
        20 * (__import__("math").log10(40 / 50) - __import__("math").log10(5 / 15)), abs=0.01
    )


INF, NAN = math.inf, math.nan


@pytest.mark.parametrize(
    "vrms,zout_ohm,max_ma,field",
    [
        (0.0, 0.0, None, "vrms"),
        (-1.0, 0.0, None, "vrms"),
        (INF, 0.0, None, "vrms"),
        (NAN, 0.0, None, "vrms"),
        (1.0, -1.0, None, "zout"),
        (1.0, INF, None, "zout"),
        (1.0, NAN, None, "zout"),
        (1.0, 0.0, 0.0, "max_ma"),
        (1.0, 0.0, -5.0, "max_ma"),
        (1.0, 0.0, NAN, "max_ma"),
    ],
)
def test_bad_ad_hoc_sources_name_the_parameter(vrms, zout_ohm, max_ma, field):
    with pytest.raises(DriveError) as info:
        adhoc_source(vrms, zout_ohm, max_ma)
    assert info.value.field == field and field in str(info.value)


def test_bad_listening_level():
    with pytest.raises(DriveError):
        need_for("deafening")


@pytest.mark.parametrize(
    "source",
    [
        SourceLimits(INF, 0.0),
        SourceLimits(1.0, INF),
        SourceLimits(0.0, 0.0),
        SourceLimits(1.0, 0.0, 0.0),
        SourceLimits(NAN, 1.0),
        SourceLimits(2.0, 0.0, INF),
        SourceLimits(2.0, 1e-300),
    ],
)
def test_drive_report_is_json_safe(source):
    """Regression: `drive --json` printed `Infinity`; every number is finite or None."""
    r = drive_report("HD 600", HD600_V, 300, source, "odd source", need_for())
    json.dumps(r, allow_nan=False)
    assert r["verdict"] and "inf" not in r["verdict"] and "nan" not in r["verdict"]


@pytest.mark.parametrize(
    "value,expected",
    [
        (INF, None),
        (-INF, None),
        (NAN, None),
        (1.5, 1.5),
        ({"a": [INF, (1.0, NAN)], "b": "inf"}, {"a": [None, [1.0, None]], "b": "inf"}),
    ],
)
def test_json_safe(value, expected):
    assert json_safe(value) == expected


def test_every_catalog_drive_and_amps_result_is_json_safe(view):
    devices = list(view.devices.values())
    lim = adhoc_source(1.0, 2.0)
    for h in view.headphones.values():
        try:
            json.dumps(headphone_drive(h, lim, "a 1 V output", need_for()), allow_nan=False)
            json.dumps(amps_for(h, devices, need_for("loud"), 300), allow_nan=False)
        except DriveError:
            continue


@pytest.mark.parametrize(
    "name,with_devices,needles",
    [
        ("Stax SR-X", True, ("electrostatic energizer", "230 V", "Normal bias", "Stax SRD-7")),
        ("Stax SR-X", False, ("electrostatic energizer", "230 V", "Normal bias")),
        ("Stax SR-009", False, ("electrostatic energizer", "580 V", "Pro bias")),
    ],
)
def test_electrostatic_on_a_headphone_output_says_it_needs_an_energizer(
    view, name, with_devices, needles
):
    """Regression: the error never said an energizer was needed, nor which."""
    h = view.headphone(name)
    devices = list(view.devices.values()) if with_devices else None
    with pytest.raises(DriveError) as info:
        headphone_drive(h, adhoc_source(2.0), "a 2 V output", need_for(), devices=devices)
    msg = str(info.value)
    assert info.value.field == "headphone"
    assert all(n in msg for n in needles), msg
    if with_devices:
        names = [o["label"] for o in energizers_for(h, devices)]
        assert names and all(n in msg for n in names)


def test_electrostatic_with_pro_plug_names_matching_energizers(view):
    devices = list(view.devices.values())
    pro = next(h for h in view.headphones.values() if "stax-pro-bias" in h.connections.wired)
    with pytest.raises(DriveError) as info:
        headphone_drive(pro, None, "x", need_for(), devices=devices)
    for option in energizers_for(pro, devices):
        assert option["label"] in str(info.value) and 580.0 in option["bias_v"]


def test_amps_for_cheapest_first_with_headroom(view):
    data = amps_for(
        view.headphone("HD 600"), list(view.devices.values()), need_for("normal", ["classical"])
    )
    assert data["amps"] and all(a["headroom_db"] >= 0 for a in data["amps"])
    for on_sale in (
        True,
        False,
    ):  # those on sale first (the rest is the used market), each cheapest first
        prices = [a["price_usd"] for a in data["amps"]
                  if a["price_usd"] is not None and a["on_sale"] is on_sale]  # fmt: skip
        assert prices == sorted(prices)
    flags = [a["on_sale"] for a in data["amps"]]
    assert flags == sorted(flags, reverse=True)


def test_energizers_match_bias(view):
    sr_x = view.headphone("Stax SR-X")
    options = energizers_for(sr_x, list(view.devices.values()))
    assert options and all(230.0 in o["bias_v"] for o in options)
    assert any("speaker" in o["how"] for o in options)
    pro = next(h for h in view.headphones.values() if "stax-pro-bias" in h.connections.wired)
    assert all(580.0 in o["bias_v"] for o in energizers_for(pro, list(view.devices.values())))


# --- readers' chain questions (Headfonia seed) ---------------------------------------------------


def test_stax_srx_srd7_hookup(view):
    """'I have a headphon, Stax condenser type SR-X + SRD-7 but I don't know how to hook it to my amp'."""
    c = build_chain(view.device("generic laptop"), view.headphone("Stax SR-X"), need_for(),
                    amp=view.device("Stax SRD-7"), devices=list(view.devices.values()))  # fmt: skip
    how = c["connection"]["how"]
    assert (
        c["connection"]["ok"]
        and "speaker terminals" in how
        and "230 V" in how
        and "volume at minimum" in how
    )


def test_onboard_sound_plus_usb_dac_amp(view):
    """'if I have onboard sound for my comp and I hook up an amp through USB, does the onboard matter?'"""
    usb_amp = next(d for d in view.devices.values() if d.dac and any(i.lower().startswith("usb") for i in d.inputs)
                   and d.category.endswith("dac-amp") and any(o.ratings for o in d.outputs))  # fmt: skip
    c = build_chain(
        view.device("generic laptop"), view.headphone("HD 600"), need_for(), amp=usb_amp
    )
    assert c["digital_bypass"] and "no longer matter" in c["links"][0]["note"]
    assert c["drive"]["reachable_peak_db_spl"] is not None  # answered in numbers


def test_iphone_with_amp_keeps_the_phone_dac(view):
    """'is an iPhone no longer a garbage source if you use a quality amp with it? ... a quality LOD'"""
    analog_amp = next(d for d in view.devices.values() if d.category in ("portable-amp", "desktop-amp") and not d.dac
                      and any(o.ratings for o in d.outputs))  # fmt: skip
    c = build_chain(view.device("iPhone 4S"), view.headphone("HD 600"), need_for(), amp=analog_amp)
    assert not c["digital_bypass"] and "onboard DAC still matters" in c["links"][0]["note"]
    assert c["upgrade_first"]["link"] in ("DAC", "amp")


def test_will_a_behringer_amp_help_the_philips(view):
    """'would it make a difference if I would buy a behringer headphone amp ... philips sbc hp250'."""
    c = build_chain(view.device("generic laptop"), view.headphone("philips sbc hp250"), need_for("loud"),
                    amp=view.device("Behringer HA400"))  # fmt: skip
    assert [link["role"] for link in c["links"]] == ["source and DAC", "amp"]
    assert c["upgrade_first"]["link"] in ("unknown", "DAC", "amp", "headphone")


def test_senn_558_amp_suggestions(view):
    """'I've got Senn 558s ... Can you recommend a headphone amp to add to this?'"""
    data = amps_for(
        view.headphone("Senn 558s"), list(view.devices.values()), need_for("loud", ["rock"])
    )
    assert data["amps"] and data["amps"][0]["headroom_db"] >= 0


def test_upgrade_order():
    assert upgrade_first({"drive": {"headroom_db": -5}}, None, None, None)["link"] == "amp"
    assert (
        upgrade_first({"drive": {"headroom_db": 6, "damping_factor": 2}}, None, None, None)["link"]
        == "amp"
    )


@pytest.mark.parametrize(
    "args,needle",
    [(["drive", "HD 600", "--source", "Zzyzx 3000"], "unknown"),
     (["drive", "HD 600", "--vrms", "0"], "vrms"), (["drive", "HD 600", "--vrms", "1", "--zout", "-2"], "zout"),
     (["drive", "HD 600", "--source", "Apple USB-C to 3.5 mm", "--balanced"], "no balanced output"),
     (["drive", "Stax SR-X", "--vrms", "2"], "energizer"), (["drive", "HD 600", "--vrms", "1", "--level", "deafening"], "level")],
)  # fmt: skip
def test_drive_errors(runner, args, needle):
    r = runner.invoke(app, args)
    assert r.exit_code == 2 and needle in r.stderr, r.output


def test_drive_and_chain_cli_json(runner):
    r = runner.invoke(
        app, ["drive", "HD 600", "--vrms", "1", "--zout", "10", "--genre", "classical", "--json"]
    )
    data = json.loads(r.stdout)
    assert data["needed_peak_db_spl"] == 100 and data["zout_level_loss_db"] == pytest.approx(
        -0.29, abs=0.01
    )
    r = runner.invoke(
        app,
        [
            "chain",
            "--source",
            "generic laptop",
            "--amp",
            "Stax SRD-7",
            "--headphone",
            "Stax SR-X",
            "--json",
        ],
    )
    assert r.exit_code == 0 and json.loads(r.stdout)["connection"]["ok"]
    r = runner.invoke(app, ["amps-for", "HD 600", "--budget", "200", "--json"])
    assert all((a["price_usd"] or 0) <= 200 for a in json.loads(r.stdout)["amps"])


def test_a_known_sensitivity_without_an_impedance_is_judged_by_voltage_and_says_so():
    from conftest import make_headphone

    h = make_headphone(sensitivity_measured={"db_spl_per_v": 100.0, "by": "test"})
    r = headphone_drive(h, SourceLimits(1.0, 1.0, None, "phone"), "a phone", need_for())
    assert r["impedance_ohm"] is None and r["reachable_peak_db_spl"] == pytest.approx(100.0)
    assert r["headroom_db"] == pytest.approx(100.0 - need_for().peak_db)
    assert "impedance is not in the catalog" in r["verdict"]


def test_no_sensitivity_asks_for_figures_in_plain_words():
    from conftest import make_headphone

    with pytest.raises(DriveError, match="98 dB/mW, 32 ohm"):
        headphone_drive(make_headphone(), SourceLimits(1.0, 1.0, None, "x"), "x", need_for())


def test_an_electrostatic_without_a_stax_plug_gets_only_its_makers_energizers(view):
    """The Koss ESP/950 uses Koss's own connector and energizer: no Stax energizer is offered."""
    devices = list(view.devices.values())
    assert all(
        o["label"].startswith("Koss")
        for o in energizers_for(view.headphones["koss-esp950"], devices)
    )
    stax = energizers_for(view.headphones["stax-sr-l300"], devices)
    assert stax and all(o["label"].startswith("Stax") for o in stax)
