"""What a question about one product asks of it ("how good is the mic on X?", "how long does the
battery last?") and the catalog's facts on that topic in plain words, unknowns said as unknown.

Topics and the words that ask for them are data: ``advice/data/ask.yaml`` ``product_topics``.
"""

from __future__ import annotations

import re
from functools import cache

from earwise.advice.ask_text import vocab
from earwise.advice.explain import battery_hours
from earwise.catalog.platforms import (
    NO_BLUETOOTH_AUDIO,
    bluetooth_only_on_record,
    platform_support,
)
from earwise.catalog.schema import PLATFORMS, Headphone


@cache
def _topic_patterns() -> dict[str, re.Pattern]:
    return {k: re.compile(v, re.I) for k, v in vocab()["product_topics"].items()}


def asked_topics(text: str) -> list[str]:
    """The topics a question asks about, in the order of the vocabulary."""
    return [t for t, pat in _topic_patterns().items() if pat.search(text)]


def _mic(h: Headphone) -> list[str]:
    if h.mic is None:
        return ["Whether it has a microphone: unknown (no source says)."]
    if h.mic.type == "none":
        return ["It has no microphone."]
    kind = (
        "of a kind no source states"
        if h.mic.type == "unspecified"
        else h.mic.type.replace("-", " ")
    )
    q = h.mic.quality
    rated = (f" {q.by} rates it {q.rating}." if q else
             " No review in the catalog rates how it sounds on calls.")  # fmt: skip
    return [f"It has a microphone ({kind})." + rated]


def _battery(h: Headphone) -> list[str]:
    if h.wireless is False:
        return ["It is wired: it has no battery."]
    b = h.battery
    if b is None or not (b.claimed_h or b.measured_h):
        return ["The catalog has no battery figure for it: unknown."]
    return [f"{battery_hours(b).capitalize()}."]


def _comfort(h: Headphone) -> list[str]:
    out = [f"Weight: {h.weight_g:g} g." if h.weight_g else "Weight: unknown."]
    c = h.comfort
    if c and c.clamp:
        out.append(f"Clamp: {c.clamp}.")
    if c and c.glasses_friendly is not None:
        out.append(
            "Reviewed as friendly to glasses."
            if c.glasses_friendly
            else "Reviewed as pressing on glasses."
        )
    if c and c.note:
        out.append(f"Reviewers: {c.note}.")
    return out


def _fit(h: Headphone) -> list[str]:
    if "sport" in h.categories:
        return ["Built for sport (tagged so from its maker or reviews): made to stay put."]
    return ["Whether it stays put when running: unknown (the catalog records no sport tag, fit "
            "or sweat rating for it)."]  # fmt: skip


def _noise(h: Headphone) -> list[str]:
    anc = {True: "It has active noise cancelling.", False: "It has no active noise cancelling.",
           None: "Whether it has active noise cancelling: unknown."}[h.anc]  # fmt: skip
    iso = f" Passive isolation reviewed as {h.isolation}." if h.isolation else ""
    return [anc + iso + f" Back: {h.back}."]


def _platforms(h: Headphone) -> list[str]:
    support = platform_support(h)
    works = [f"{p} ({support[p]})" for p in PLATFORMS if isinstance(support[p], str)]
    no = [p for p in PLATFORMS if support[p] is False]
    unknown = [p for p in PLATFORMS if support[p] is None]
    out = [f"Works with {', '.join(works)}."] if works else []
    out += [f"Does not work with {', '.join(no)}."] if no else []
    consoles = [p for p in unknown if p in NO_BLUETOOTH_AUDIO]
    if consoles and bluetooth_only_on_record(h):
        unknown = [p for p in unknown if p not in consoles]
        out.append(
            f"Not through Bluetooth on {' or '.join(consoles)}: those consoles take no Bluetooth "
            "audio, and no cable, dongle or console radio is on record for it (unknown beyond "
            "that)."
        )
    out += [f"Unknown for {', '.join(unknown)}."] if unknown else []
    return out


def _price(h: Headphone) -> list[str]:
    if h.price is None:
        return ["The catalog has no price for it: unknown."]
    return [f"Price: ${h.price.usd:,.0f} ({h.price.basis})."]


def _multipoint(h: Headphone) -> list[str]:
    bt = h.connections.bluetooth
    if bt is None:
        return ["It has no Bluetooth on record, so multipoint does not apply (or is unknown)."]
    return [{True: "Yes: it stays connected to two devices at once.",
             False: "No: it connects to one device at a time.",
             None: "Unknown: no source says whether it stays connected to two devices at "
                   "once."}[bt.multipoint]]  # fmt: skip


_PLUG_WORDS = {"3.5mm": "a 3.5 mm cable", "6.35mm": "a 6.35 mm cable",
               "4.4mm-balanced": "a 4.4 mm balanced cable", "2.5mm-balanced": "a 2.5 mm balanced cable",
               "xlr-4pin": "a 4-pin XLR balanced cable", "xlr-dual-3pin": "two 3-pin XLR cables",
               "usb-c-audio": "USB-C audio (it works as its own DAC over the cable)",
               "usb-a-audio": "USB-A audio (its own DAC over the cable)"}  # fmt: skip


def _wired(h: Headphone) -> list[str]:
    """Which cables it takes: a USB audio input is a DAC mode (the headphone converts the
    digital signal itself); an analogue plug needs a jack or an amp to drive it."""
    c = h.connections
    if c.wired:
        plugs = f"It takes {', '.join(_PLUG_WORDS.get(p, p) for p in c.wired)}."
    elif h.wireless is False:
        plugs = "It is wired; the catalog does not record which plug it has."
    else:
        plugs = (
            "Whether it also plays over a cable (a jack or USB audio): unknown (no source says)."
        )
    detach = {True: "The cable is detachable.", False: "The cable is fixed.",
              None: "Whether the cable detaches: unknown."}[c.detachable_cable]  # fmt: skip
    return [plugs, detach] if c.wired or h.wireless is False else [plugs]


def _comfort_with_glasses(h: Headphone) -> list[str]:
    """The comfort facts, saying so when no review tells how it sits with glasses."""
    out = _comfort(h)
    if h.comfort is None or h.comfort.glasses_friendly is None:
        out.append("With glasses: unknown (no review in the catalog says how it sits on them).")
    return out


_FACTS = {"mic": _mic, "battery": _battery, "comfort": _comfort_with_glasses, "fit": _fit,
          "noise": _noise, "multipoint": _multipoint, "platforms": _platforms,
          "price": _price, "wired": _wired}  # fmt: skip


def topic_facts(h: Headphone, topics: list[str]) -> list[dict]:
    """[{topic, lines}] for each topic asked that the catalog records (sound and drive are
    answered by the fit and the drive check, not here)."""
    return [{"topic": t, "lines": _FACTS[t](h)} for t in topics if t in _FACTS]


def family_platform_lines(name: str, hs: list[Headphone], platforms: list[str]) -> list[str]:
    """Per platform asked: how many of a family's models work with it and through what, how many
    do not (a console that takes no Bluetooth audio, for a model whose only link on record is
    Bluetooth) and how many are unknown."""
    out = []
    for p in platforms:
        support = [platform_support(h)[p] for h in hs]
        works = sorted({s for s in support if isinstance(s, str)})
        n_works = sum(isinstance(s, str) for s in support)
        n_no = sum(
            s is False or (s is None and p in NO_BLUETOOTH_AUDIO and bluetooth_only_on_record(h))
            for s, h in zip(support, hs, strict=True)
        )
        n_unknown = len(hs) - n_works - n_no
        said = [f"{p}: {n_works} of the {len(hs)} {name} in the catalog work"]
        said[0] += f" ({'; '.join(works)})" if works else ""
        if n_no:
            bt = " (Bluetooth is their only link on record)" if p in NO_BLUETOOTH_AUDIO else ""
            said.append(f"{n_no} do not{bt}")
        if n_unknown:
            said.append(f"{n_unknown} unknown")
        out.append(", ".join(said) + ".")
    if any(p in NO_BLUETOOTH_AUDIO for p in platforms):
        out.append("PS5 and Xbox consoles take no Bluetooth audio: a headset needs a cable, a "
                   "USB dongle or the console's own radio there.")  # fmt: skip
    return out


def family_topic_facts(hs: list[Headphone], topics: list[str]) -> list[dict]:
    """[{topic, lines}] for a family: each distinct answer once, with the models it holds for
    ("AirPods Pro 2, AirPods Pro 3: Yes: ..."), so what the models share reads once."""
    out = []
    for t in (t for t in topics if t in _FACTS):
        said: dict[str, list[str]] = {}
        for h in hs:
            said.setdefault(" ".join(_FACTS[t](h)), []).append(h.model)
        out.append({"topic": t, "lines": [f"{', '.join(models)}: {text}"
                                          for text, models in said.items()]})  # fmt: skip
    return out
