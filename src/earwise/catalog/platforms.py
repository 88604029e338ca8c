"""Which platforms a headphone works with, and through which connection.

Explicit per-platform entries in the data (from the maker or a review) win. For the
rest, support follows from the plugs and radios by these documented rules:

- 3.5 mm: PC, Mac, Switch and Steam Deck have a 3.5 mm jack; PS5 (DualSense) and Xbox
  Series controllers have one; Android through its jack or a USB-C adapter; iPhone
  through Apple's USB-C or Lightning to 3.5 mm adapter.
- USB audio (USB-C or USB-A): PC, Mac, Android, PS5, Switch and Steam Deck accept
  USB Audio Class devices; iPhone 15 and later over USB-C. Xbox Series consoles accept
  only Xbox-licensed USB headsets (Microsoft, "Xbox accessories compatibility"), so a
  generic USB headset is *not* derived to work there.
- Bluetooth: PC, Mac, iPhone, Android, Steam Deck; Switch since system update 13.0
  (Nintendo, 2021). PS5 and Xbox Series consoles have no Bluetooth audio.
- Electrostatic plugs: only through an energizer.
- An audiophile or studio headphone whose connections are not in the catalog at all (and is not
  electrostatic) is taken to be a wired analog headphone, as every such model is; its platform
  entries then say that the plug is not listed, so the reader checks it or uses an adapter.
"""

from __future__ import annotations

from earwise.catalog.schema import PLATFORMS, Headphone

# How a platform is named in a sentence ("they must work with a PC and the Nintendo Switch")
PLATFORM_NAMES = {"pc": "a PC", "mac": "a Mac", "ps5": "the PS5", "xbox": "the Xbox",
                  "switch": "the Nintendo Switch", "iphone": "an iPhone", "android": "Android",
                  "steam-deck": "the Steam Deck"}  # fmt: skip

JACK_35 = {
    "pc": "3.5 mm jack",
    "mac": "3.5 mm jack",
    "ps5": "3.5 mm jack on the DualSense controller",
    "xbox": "3.5 mm jack on the Xbox controller",
    "switch": "3.5 mm jack",
    "steam-deck": "3.5 mm jack",
    "android": "3.5 mm jack or USB-C to 3.5 mm adapter",
    "iphone": "USB-C or Lightning to 3.5 mm adapter",
}
USB = {
    "pc": "USB",
    "mac": "USB",
    "ps5": "USB",
    "switch": "USB-C",
    "steam-deck": "USB-C",
    "android": "USB-C",
    "iphone": "USB-C (iPhone 15 and later)",
}
BLUETOOTH = {
    "pc": "Bluetooth",
    "mac": "Bluetooth",
    "iphone": "Bluetooth",
    "android": "Bluetooth",
    "steam-deck": "Bluetooth",
    "switch": "Bluetooth (system 13.0 and later)",
}
# Consoles that take no Bluetooth audio (module docstring): a headphone whose only link on record
# is Bluetooth is not derived to work there, and a reader is told why.
NO_BLUETOOTH_AUDIO = ("ps5", "xbox")
CONSOLES = frozenset({"ps5", "xbox", "switch"})  # the game consoles among the platforms
AMP_ONLY = {"pc": "through a headphone amplifier", "mac": "through a headphone amplifier"}
ENERGIZER = {
    "pc": "through an electrostatic energizer",
    "mac": "through an electrostatic energizer",
}


UNLISTED_PLUG = " (plug not listed in the catalog: check that it fits)"


def assumed_analog(h: Headphone) -> bool:
    """True for an audiophile/studio headphone with no connection data (see module docstring)."""
    c = h.connections
    listed = c.wired or c.bluetooth or c.dongle or c.xbox_wireless or c.playstation_link
    return (
        not listed
        and bool({"audiophile", "studio"} & set(h.categories))
        and h.driver.type != "electrostatic"
        and not h.true_wireless
    )


def derived_support(h: Headphone) -> dict[str, str]:
    """Support derived from plugs and radios (see module docstring)."""
    wired = set(h.connections.wired)
    if assumed_analog(h):
        return {k: v + UNLISTED_PLUG for k, v in JACK_35.items()}
    out: dict[str, str] = {}
    for rule, applies in (
        (ENERGIZER, bool(wired & {"stax-pro-bias", "stax-normal-bias"})),
        (AMP_ONLY, bool(wired & {"xlr-4pin", "xlr-dual-3pin", "4.4mm-balanced", "2.5mm-balanced"})),
        (BLUETOOTH, h.connections.bluetooth is not None),
        (USB, bool(wired & {"usb-c-audio", "usb-a-audio"})),
        ({"iphone": "Lightning"}, "lightning" in wired),
        (JACK_35, "3.5mm" in wired),
        (
            {k: v.replace("3.5 mm", "6.35 mm (with a 3.5 mm adapter)") for k, v in JACK_35.items()},
            "6.35mm" in wired and "3.5mm" not in wired,
        ),
    ):
        if applies:
            out |= rule
    return out


def platform_support(h: Headphone) -> dict[str, str | bool | None]:
    """Per platform: the connection that makes it work, ``False`` if it does not, ``None`` unknown."""
    derived = derived_support(h)
    return {p: h.platforms.get(p, derived.get(p)) for p in PLATFORMS}


def bluetooth_only_on_record(h: Headphone) -> bool:
    """Its only link on record is Bluetooth: no plug, dongle or console radio is listed."""
    c = h.connections
    return (
        c.bluetooth is not None
        and not c.wired
        and not c.dongle
        and not c.xbox_wireless
        and not c.playstation_link
    )
