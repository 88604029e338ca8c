"""The signal chain: source -> [DAC] -> [amp] -> headphone, each link's role, limit and fit.

Headfonia's Rule #6 (garbage in, garbage out) and Rule #5 (amplification): "when a DAC is
available to replace the DAC built into most cellphones and low to mid-priced music players,
you can usually expect a much greater improvement"; an amp matters when the source cannot
supply the power the music's peaks need. A USB DAC or DAC/amp receives the computer's digital
stream, so the computer's onboard DAC and headphone output are no longer in the chain.
"""

from __future__ import annotations

from earwise.advice.drive import (
    BIAS_OF_PLUG,
    DAMPING_FACTOR_MIN,
    PLUGS_OF_OUTPUT,
    DriveError,
    Need,
    device_output,
    energizers_for,
    headphone_drive,
)
from earwise.catalog.devices import bias_voltages, pick_output
from earwise.catalog.schema import Headphone, SourceDevice

BUILT_IN_DAC = {"phone", "laptop", "console-controller", "console", "sound-card"}
ADAPTERS = {
    ("3.5mm", "6.35mm"): "a 3.5 mm to 6.35 mm adapter (most headphones include one)",
    ("6.35mm", "3.5mm"): "a 6.35 mm to 3.5 mm adapter",
    ("4.4mm-balanced", "3.5mm"): "a single-ended 3.5 mm cable instead of the 4.4 mm balanced one",
    ("2.5mm-balanced", "3.5mm"): "a single-ended 3.5 mm cable instead of the 2.5 mm balanced one",
    ("xlr-4pin", "6.35mm"): "a single-ended 6.35 mm cable instead of the XLR one",
    ("3.5mm", "usb-c-audio"): "a USB-C to 3.5 mm adapter (it contains its own DAC and amp)",
    ("3.5mm", "lightning"): "a Lightning to 3.5 mm adapter (it contains its own DAC and amp)",
}


def plugs_of_output(name: str) -> set[str]:
    low = name.lower()
    return {plug for word, plug in PLUGS_OF_OUTPUT if word in low}


def connection(h: Headphone, device: SourceDevice, output_name: str) -> dict:
    """Does the headphone plug into this output, directly or with which adapter?"""
    jacks = plugs_of_output(output_name)
    plugs = set(h.connections.wired)
    direct = sorted(plugs & jacks)
    if direct:
        return {"ok": True, "how": f"plug the {direct[0]} connector into the {output_name} output"}
    for plug in sorted(plugs):
        for jack in sorted(jacks):
            if (plug, jack) in ADAPTERS:
                return {
                    "ok": True,
                    "how": f"use {ADAPTERS[(plug, jack)]} on the {output_name} output",
                }
    if not plugs:
        return {
            "ok": None,
            "how": f"the headphone's plug is not listed in the catalog: check that it fits the {output_name} output (or use an adapter)",
        }
    return {
        "ok": False,
        "how": f"the headphone's connectors ({', '.join(sorted(plugs))}) do not fit the {output_name} output",
    }


def _link(role: str, device: SourceDevice, note: str) -> dict:
    return {
        "role": role,
        "id": device.id,
        "label": device.display_name,
        "category": device.category,
        "note": note,
    }


def build_chain(
    source: SourceDevice, headphone: Headphone, need: Need, dac: SourceDevice | None = None,
    amp: SourceDevice | None = None, devices: list[SourceDevice] | None = None,
) -> dict:  # fmt: skip
    """Each link's role and limit, the connection, the drive margin, and what to upgrade first."""
    links = []
    digital_bypass = False
    if dac is not None:
        digital_bypass = True
        links.append(
            _link(
                "source",
                source,
                "sends digital audio (USB or optical) to the external DAC: its own DAC and headphone output are bypassed",
            )
        )
        links.append(
            _link(
                "DAC",
                dac,
                "converts to analog"
                + (" and drives the headphone" if amp is None else ", feeding the amp"),
            )
        )
    elif (
        amp is not None
        and amp.dac
        and any(i.lower().startswith("usb") for i in amp.inputs)
        and source.category in BUILT_IN_DAC | {"dap"}
    ):
        digital_bypass = True
        links.append(
            _link(
                "source",
                source,
                "sends digital audio over USB: its onboard DAC and headphone output no longer matter",
            )
        )
    else:
        role = "source and DAC" if source.dac is not False else "source"
        links.append(
            _link(
                role,
                source,
                "its own DAC makes the analog signal"
                + (
                    " that feeds the amp (its onboard DAC still matters)"
                    if amp
                    else " and its headphone output drives the headphone"
                ),
            )
        )
    if amp is not None:
        role = "DAC/amp" if digital_bypass and dac is None and amp.dac else "amp"
        links.append(_link(role, amp, "amplifies the signal for the headphone"))
    driver = amp or dac or source
    label = headphone.display_name
    result: dict = {"links": links, "headphone": label, "digital_bypass": digital_bypass}
    estat = headphone.driver.type == "electrostatic" or any(
        p in BIAS_OF_PLUG for p in headphone.connections.wired
    )
    if estat:
        result |= _electrostatic(headphone, driver, devices or [])
        return result
    balanced = bool(
        {"4.4mm-balanced", "2.5mm-balanced", "xlr-4pin"} & set(headphone.connections.wired)
    ) and any(o.kind == "balanced" for o in driver.outputs)
    limits, out_name = device_output(driver, balanced)
    result["connection"] = connection(headphone, driver, out_name)
    try:
        result["drive"] = headphone_drive(
            headphone, limits, f"the {driver.display_name} ({out_name})", need
        )
    except DriveError as exc:
        result["drive"] = {"verdict": str(exc)}
    result["upgrade_first"] = upgrade_first(result, source, dac, amp)
    return result


def _electrostatic(h: Headphone, driver: SourceDevice, devices: list[SourceDevice]) -> dict:
    biases = sorted(BIAS_OF_PLUG[p] for p in h.connections.wired if p in BIAS_OF_PLUG)
    label = h.display_name
    if driver.category == "energizer":
        match = not biases or bool(set(biases) & bias_voltages(driver))
        socket = next(
            (o.name for o in driver.outputs if o.bias_v in biases), pick_output(driver).name
        )
        transformer = any("speaker" in i for i in driver.inputs)
        how = (
            f"Connect your speaker amplifier's left and right speaker terminals to the {driver.brand} {driver.model.split(' (')[0]}'s "
            f"inputs, then plug the {label} into its {socket} ({'/'.join(f'{b:.0f} V' for b in biases) or 'matching'} bias). "
            "The box steps the speaker-level signal up to the hundreds of volts an electrostatic needs and "
            "supplies the bias from the mains. Start with the amplifier's volume at minimum."
        ) if transformer else (
            f"Feed the energizer a line-level signal (RCA/XLR) from your DAC or preamp and plug the {label} into its {socket}."
        )  # fmt: skip
        verdict = (
            how
            if match
            else f"Bias mismatch: the {label} needs {biases} V, this energizer gives {sorted(bias_voltages(driver))} V."
        )
        power = (
            "Loudness is set by the speaker amplifier's power into the transformer; no figures are published for it in the catalog."
            if transformer
            else "Loudness is set by the energizer's own output."
        )
        return {"connection": {"ok": match, "how": verdict}, "drive": {"verdict": power if match else verdict},
                "upgrade_first": {"link": "none", "why": "electrostatic chains live or die by the energizer; this one matches" if match else "get an energizer with the matching bias"}}  # fmt: skip
    options = energizers_for(h, devices)
    names = "; ".join(o["label"] for o in options) or "none in the catalog"
    msg = f"The {label} is electrostatic: no ordinary headphone output can drive it. It needs an energizer with {'/'.join(f'{b:.0f} V' for b in biases) or 'matching'} bias: {names}."
    return {"connection": {"ok": False, "how": msg}, "drive": {"verdict": msg}, "energizers": options,
            "upgrade_first": {"link": "energizer", "why": msg}}  # fmt: skip


def upgrade_first(
    result: dict, source: SourceDevice, dac: SourceDevice | None, amp: SourceDevice | None
) -> dict:
    """Which link limits this chain most, in the order the seeds teach: power, then output
    impedance, then the source's DAC (Rule #6), then the headphone itself."""
    d = result.get("drive", {})
    head = d.get("headroom_db")
    if head is None:
        return {
            "link": "unknown",
            "why": "the power margin cannot be checked (missing figures): " + d.get("verdict", ""),
        }
    if head < 0:
        return {
            "link": "amp",
            "why": f"the chain is {-head:.0f} dB short of your music's peaks: more voltage/current matters before anything else",
        }
    df = d.get("damping_factor")
    if df is not None and df < DAMPING_FACTOR_MIN:
        return {
            "link": "amp",
            "why": f"output impedance is high for this headphone (damping factor {df:g} < {DAMPING_FACTOR_MIN:g}): a low-impedance output fixes the tonal shift",
        }
    if dac is None and not result.get("digital_bypass") and source.category in BUILT_IN_DAC:
        return {
            "link": "DAC",
            "why": "power is sufficient, so nothing needs upgrading for loudness; if anything, the phone/computer's built-in DAC and output come next (Headfonia Rule #6, garbage in, garbage out): with no hiss, hum or noise you hear, there is nothing to fix",
        }
    return {
        "link": "headphone",
        "why": "power, output impedance and conversion are all adequate: the headphone (transducer) now decides the sound",
    }
