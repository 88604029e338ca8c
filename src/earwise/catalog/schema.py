"""Validated models of the catalog's data files.

Every curated YAML file under ``catalog/data`` is read into these models. A value
that is not known is ``None`` (YAML ``null`` or simply absent) -- never a guess.
Each product lists its ``sources``; each source says which groups of fields it
``covers``, and validation refuses a product whose filled-in group has no source.
"""

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from earwise.core.naming import display_name

FormFactor = Literal["over-ear", "on-ear", "in-ear", "earbud"]
Back = Literal["open", "closed", "semi-open"]
DriverType = Literal[
    "dynamic", "planar", "balanced-armature", "hybrid", "electrostatic", "bone-conduction"
]
SensitivityUnit = Literal["dB SPL/mW", "dB SPL/V", "unknown"]
WiredPlug = Literal[
    "3.5mm",  # TRS or TRRS 3.5 mm plug
    "6.35mm",
    "4.4mm-balanced",
    "2.5mm-balanced",
    "xlr-4pin",
    "xlr-dual-3pin",
    "usb-c-audio",
    "usb-a-audio",
    "lightning",
    "stax-pro-bias",  # 5-pin electrostatic plug, 580 V bias
    "stax-normal-bias",  # 6-pin electrostatic plug, 230 V bias
]
Platform = Literal["pc", "mac", "ps5", "xbox", "switch", "iphone", "android", "steam-deck"]
PLATFORMS: tuple[str, ...] = (
    "pc",
    "mac",
    "ps5",
    "xbox",
    "switch",
    "iphone",
    "android",
    "steam-deck",
)
# "unspecified": it has a microphone whose kind no source states (a derived rule's fact).
MicType = Literal[
    "none", "inline", "fixed-boom", "detachable-boom", "built-in", "retractable-boom", "unspecified"
]
# "tv": a set sold with its own transmitter base that plugs into a TV (optical or analog out), so
# the link to the picture is the base's radio, not the TV's Bluetooth.
Category = Literal["gaming", "studio", "audiophile", "consumer", "sport", "travel", "tv"]
Level3 = Literal["low", "medium", "high"]
# "derived": a documented earwise rule applied to the product's own sourced facts (e.g. a passive
# analog headphone has no active noise cancelling); it ranks below any direct statement.
SourceKind = Literal[
    "manufacturer", "review", "measurement", "seed", "retailer", "database", "press", "derived"
]
Group = Literal["price", "specs", "connectivity", "mic", "comfort", "sound", "measured"]
PriceKind = Literal["msrp", "launch", "street", "list"]
# "unknown": imported from a list that does not say whether it is still sold (never recommended).
Status = Literal["current", "discontinued", "announced", "unknown"]
_AS_OF = re.compile(r"^(19|20)\d\d(-(0[1-9]|1[0-2]))?$")

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# The fields each fact group holds (policy.withhold_weak empties them; ``Source.facts`` names
# some of them). A group's structural facts -- form, back, plugs, true wireless, driver type --
# are the product's shape and not listed.
GROUP_FIELDS: dict[str, tuple[str, ...]] = {
    "price": ("price", "year"),
    "specs": ("impedance_ohm", "impedance_min_ohm", "impedance_max_ohm", "sensitivity",
              "thd_pct", "thd_note", "freq_range_hz", "weight_g", "driver"),
    "connectivity": ("platforms", "battery", "app", "anc", "onboard_eq", "spatial_audio"),
    "mic": ("mic",),
    "comfort": ("comfort", "isolation", "volume_limit_db"),
    "sound": ("signature",),
}  # fmt: skip


class Source(_Strict):
    """Where a group of facts came from. ``facts``, when given, names the only fields of its
    groups that the page states (a review that says "no ANC" backs ``anc``, not the battery
    figure beside it); empty means the whole of each group."""

    kind: SourceKind
    title: str = Field(min_length=3)
    url: str | None = None
    covers: list[Group] = Field(min_length=1)
    facts: list[str] = []

    @model_validator(mode="after")
    def _facts_in_groups(self) -> "Source":
        allowed = {f for g in self.covers for f in GROUP_FIELDS.get(g, ())}
        wrong = [f for f in self.facts if f not in allowed]
        if wrong:
            raise ValueError(
                f"source {self.title!r}: facts {wrong} are not fields of {self.covers}"
            )
        return self


PRICE_KIND_WORDS = {"msrp": "maker's list price", "launch": "launch price",
                    "street": "street price", "list": "list price"}  # fmt: skip


class Price(_Strict):
    """A price and what it means: ``msrp`` (the maker's list price), ``launch`` (at release),
    ``street`` (what a retailer or review quoted), ``list`` (a ranking's list price); ``as_of``
    is ``YYYY-MM`` or ``YYYY``; ``source`` names where it was seen."""

    usd: float = Field(gt=0, le=100_000)
    kind: PriceKind
    as_of: str | None = None
    source: str | None = None

    @field_validator("as_of")
    @classmethod
    def _as_of(cls, v: str | None) -> str | None:
        if v is not None and not _AS_OF.match(v):
            raise ValueError(f"as_of {v!r} must be YYYY-MM or YYYY")
        return v

    @property
    def basis(self) -> str:
        """What the price is and when, in words: "launch price, 2008"."""
        return PRICE_KIND_WORDS[self.kind] + (f", {self.as_of}" if self.as_of else "")


class Driver(_Strict):
    type: DriverType | None = None
    size_mm: float | None = Field(default=None, gt=0, le=120)
    count: str | None = None  # e.g. "1DD + 4BA"


class Sensitivity(_Strict):
    """Sensitivity exactly as published: its value, unit and reference frequency."""

    value: float = Field(gt=60, lt=140)
    unit: SensitivityUnit
    ref_hz: float | None = Field(default=None, gt=0)


class MeasuredSensitivity(_Strict):
    """A measured sensitivity, kept beside (never instead of) the published one."""

    db_spl_per_v: float = Field(gt=60, lt=140)
    impedance_ohm: float | None = Field(default=None, gt=0)  # measured at 1 kHz
    by: str  # e.g. "Audio Science Review"


class Bluetooth(_Strict):
    version: str | None = None
    codecs: list[str] = []
    multipoint: bool | None = None


class Dongle(_Strict):
    plug: Literal["usb-a", "usb-c", "usb-a+usb-c"] | None = None
    protocol: str = "2.4 GHz"


class Connections(_Strict):
    wired: list[WiredPlug] = []
    dongle: Dongle | None = None
    bluetooth: Bluetooth | None = None
    xbox_wireless: bool = False
    playstation_link: bool = False
    detachable_cable: bool | None = None


class MicQuality(_Strict):
    rating: Literal["poor", "fair", "good", "very good", "excellent"]
    by: str


class Mic(_Strict):
    type: MicType
    quality: MicQuality | None = None


class Battery(_Strict):
    claimed_h: float | None = Field(default=None, gt=0)
    measured_h: float | None = Field(default=None, gt=0)
    measured_by: str | None = None


class App(_Strict):
    name: str
    platforms: list[Literal["windows", "macos", "ios", "android", "linux", "web"]] = []


class Comfort(_Strict):
    clamp: Level3 | None = None
    glasses_friendly: bool | None = None
    head_size: Literal["small", "medium", "large", "any"] | None = None
    note: str | None = None


class Signature(_Strict):
    label: Literal[
        "neutral",
        "warm",
        "bass-heavy",
        "v-shaped",
        "bright",
        "dark",
        "mid-forward",
        "u-shaped",
        "lean",
    ]
    by: str


class _Lifecycle:
    """What headphones and sources share (their ``price`` and ``status`` fields): the price in
    USD and where they are in their life."""

    @property
    def price_usd(self) -> float | None:
        return None if self.price is None else self.price.usd

    @property
    def discontinued(self) -> bool:
        return self.status == "discontinued"

    @property
    def display_name(self) -> str:
        """Maker and model as a reader sees them, the maker once ("Drop + Sennheiser HD 6XX",
        not "Drop Drop + ...")."""
        return display_name(self.brand, self.model)

    @property
    def on_sale(self) -> bool:
        """Known to be sold now (status current); announced, unknown and discontinued are not."""
        return self.status == "current"


class Headphone(_Strict, _Lifecycle):
    """One headphone or headset, as published and as measured."""

    id: str
    brand: str
    model: str
    aliases: list[str] = []
    year: int | None = Field(default=None, ge=1950, le=2027)
    status: Status = "current"
    successor: str | None = None  # the id of the model that replaced a discontinued one
    price: Price | None = None
    categories: list[Category] = []
    form_factor: FormFactor
    back: Back
    true_wireless: bool = False
    driver: Driver = Driver()
    impedance_ohm: float | None = Field(default=None, gt=0)
    impedance_min_ohm: float | None = Field(default=None, gt=0)
    impedance_max_ohm: float | None = Field(default=None, gt=0)
    sensitivity: Sensitivity | None = None
    sensitivity_measured: MeasuredSensitivity | None = None
    thd_pct: float | None = Field(default=None, ge=0, lt=20)
    thd_note: str | None = None
    freq_range_hz: tuple[float, float] | None = None
    weight_g: float | None = Field(default=None, gt=0, lt=1500)
    connections: Connections = Connections()
    platforms: dict[Platform, str | Literal[False]] = {}
    mic: Mic | None = None
    anc: bool | None = None
    isolation: Level3 | None = None
    battery: Battery | None = None
    app: App | None = None
    onboard_eq: bool | None = None
    spatial_audio: str | None = None
    comfort: Comfort | None = None
    # Children's headphones: the level the maker limits output to, in dB SPL (e.g. 85); a comfort
    # fact (who can wear it safely). None: no limit known (never "no limit").
    volume_limit_db: float | None = Field(default=None, ge=60, le=110)
    signature: Signature | None = None
    measurements: list[str] = []
    sources: list[Source] = Field(min_length=1)
    # Fact groups the loader withheld because only weak sources back them, and single fields
    # ("battery") that no strong source states when the strong ones name only other fields
    # (policy.withhold_weak); computed, never written in a data file.
    withheld: list[str] = []

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not _SLUG.match(v):
            raise ValueError(f"id {v!r} must be a lowercase slug like 'sennheiser-hd-600'")
        return v

    @field_validator("freq_range_hz")
    @classmethod
    def _range(cls, v: tuple[float, float] | None) -> tuple[float, float] | None:
        if v is not None and not (0 < v[0] < v[1]):
            raise ValueError("freq_range_hz must be [low, high] with 0 < low < high")
        return v

    @model_validator(mode="after")
    def _provenance(self) -> "Headphone":
        covered = {g for s in self.sources for g in s.covers}
        needed = {
            "price": self.price is not None or self.year is not None,
            "specs": any(
                x is not None
                for x in (self.impedance_ohm, self.sensitivity, self.weight_g, self.freq_range_hz)
            ),
            "connectivity": bool(self.platforms) or self.battery is not None,
            "mic": self.mic is not None and self.mic.type != "none",
            "comfort": self.comfort is not None or self.volume_limit_db is not None,
            "sound": self.signature is not None,
        }
        missing = [g for g, filled in needed.items() if filled and g not in covered]
        if missing:
            raise ValueError(f"{self.id}: no source covers {', '.join(missing)}")
        return self

    @property
    def wireless(self) -> bool | None:
        """True with any radio (or true wireless); False when only wired plugs are listed, or
        for an audiophile/studio headphone without connection data (wired analog by
        convention, see catalog.platforms); None when nothing is known."""
        c = self.connections
        if c.bluetooth or c.dongle or c.xbox_wireless or c.playstation_link or self.true_wireless:
            return True
        if c.wired or ({"audiophile", "studio"} & set(self.categories)):
            return False
        return None


OutputKind = Literal["single-ended", "balanced"]
SourceCategory = Literal[
    "phone",
    "phone-dongle",
    "laptop",
    "console-controller",
    "console",
    "dap",
    "portable-amp",
    "portable-dac-amp",
    "desktop-amp",
    "desktop-dac-amp",
    "energizer",
    "sound-card",
]


class Rating(_Strict):
    """One published output rating: a voltage or a power, into a stated load.

    ``load_ohm`` is ``None`` when the voltage was given without load (open circuit).
    """

    vrms: float | None = Field(default=None, gt=0, le=600)
    power_mw: float | None = Field(default=None, gt=0, le=50000)
    load_ohm: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one(self) -> "Rating":
        if (self.vrms is None) == (self.power_mw is None):
            raise ValueError("a rating gives exactly one of vrms or power_mw")
        if self.power_mw is not None and self.load_ohm is None:
            raise ValueError("a power rating needs its load_ohm")
        return self


class Output(_Strict):
    name: str  # e.g. "3.5 mm", "4.4 mm balanced", "6.35 mm"
    kind: OutputKind = "single-ended"
    ratings: list[Rating] = []
    zout_ohm: float | None = Field(default=None, ge=0)
    max_current_ma: float | None = Field(default=None, gt=0)
    bias_v: float | None = None  # electrostatic energizers: 580 (Pro) or 230 (Normal)


class SourceDevice(_Strict, _Lifecycle):
    """A phone, dongle, laptop, player, amplifier or energizer."""

    id: str
    brand: str
    model: str
    aliases: list[str] = []
    category: SourceCategory
    year: int | None = Field(default=None, ge=1950, le=2027)
    status: Status = "current"
    successor: str | None = None
    price: Price | None = None
    dac: bool | None = None
    inputs: list[str] = []
    outputs: list[Output] = Field(min_length=1)
    portable: bool | None = None
    tone_controls: bool | None = None
    note: str | None = None
    sources: list[Source] = Field(min_length=1)
    withheld: list[Group] = []  # as Headphone.withheld: computed by the loader, never in data

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not _SLUG.match(v):
            raise ValueError(f"id {v!r} must be a lowercase slug like 'fiio-e17k'")
        return v

    @model_validator(mode="after")
    def _provenance(self) -> "SourceDevice":
        covered = {g for s in self.sources for g in s.covers}
        has_specs = any(o.ratings or o.zout_ohm is not None for o in self.outputs)
        missing = [
            g
            for g, filled in (("price", self.price is not None), ("specs", has_specs))
            if filled and g not in covered
        ]
        if missing:
            raise ValueError(f"{self.id}: no source covers {', '.join(missing)}")
        return self


class HeadphoneFile(_Strict):
    brand: str
    headphones: list[Headphone]


class SourceFile(_Strict):
    brand: str
    sources_and_amps: list[SourceDevice]
