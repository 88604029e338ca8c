"""Typed requests, one per use case. Constructing one validates it: every number finite and in
its documented range (:mod:`earwise.service.limits`), names and text bounded, choices checked.
Only :class:`~earwise.core.errors.EarwiseError` (with ``field`` set) escapes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import get_args

from earwise.catalog.schema import DriverType
from earwise.core.errors import EarwiseError
from earwise.service import limits as L

FORMS = ("over-ear", "on-ear", "in-ear", "earbud")
BACKS = ("open", "closed", "semi-open")
DRIVERS = get_args(DriverType)
HEADS = ("small", "large")
BASS = ("more", "less")
TONALITY = ("warm", "neutral", "bright")
TARGET_PRESETS = ("harman", "more-bass", "less-bass")
RIGS = ("oratory1990", "Rtings", "Innerfidelity", "Headphone.com Legacy")
MEASURED_FORMS = ("over-ear", "in-ear", "earbud")


def _set(obj, name: str, value) -> None:
    object.__setattr__(obj, name, value)


@dataclass(frozen=True)
class ProfileRequest:
    """A listener profile as given on the command line or in a query string."""

    genre: list[str] = field(default_factory=list)
    use: list[str] = field(default_factory=list)
    platform: list[str] = field(default_factory=list)
    budget: str | float | None = None
    min_price: float | None = None
    budget_includes_amp: bool = False
    source: str | None = None
    source_vrms: float | None = None
    source_zout: float | None = None
    form: str | None = None
    back: str | None = None
    driver: str | None = None
    wireless: bool | None = None
    anc: bool = False
    mic: bool = False
    no_amp: bool = False
    used: bool = False
    no_leak: bool = False
    max_weight: float | None = None
    glasses: bool = False
    head: str | None = None
    long_sessions: bool = False
    long_battery: bool = False
    bass: str | None = None
    treble_sensitive: bool = False
    tonality: str | None = None
    soundstage: bool = False
    level: str | float | None = "normal"
    owned: list[str] = field(default_factory=list)
    brand: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        _set(self, "genre", L.check_genre_items(self.genre))
        _set(self, "use", L.check_list(self.use, "use"))
        _set(self, "platform", L.check_list(self.platform, "platform"))
        _set(self, "owned", L.check_list(self.owned, "owned"))
        _set(self, "brand", L.check_list(self.brand, "brand"))
        _set(self, "budget", L.parse_budget(self.budget))
        _set(self, "min_price", L.check_number(self.min_price, "min_price", L.PRICE_USD, "USD"))
        _set(self, "source", L.check_name(self.source, "source", required=False))
        _set(self, "source_vrms", L.check_number(self.source_vrms, "source_vrms", L.VRMS, "Vrms"))
        _set(
            self, "source_zout", L.check_number(self.source_zout, "source_zout", L.ZOUT_OHM, "ohm")
        )
        if self.source is not None and self.source_vrms is not None:
            raise EarwiseError(
                "give either a catalog source or an ad-hoc source (source_vrms), not both",
                "source_vrms",
            )
        if self.source_zout is not None and self.source_vrms is None:
            raise EarwiseError("source_zout needs source_vrms (the ad-hoc source)", "source_zout")
        _set(self, "form", L.check_choice(self.form, "form", FORMS))
        _set(self, "back", L.check_choice(self.back, "back", BACKS))
        _set(self, "driver", L.check_choice(self.driver, "driver", DRIVERS))
        _set(self, "head", L.check_choice(self.head, "head", HEADS))
        _set(self, "bass", L.check_choice(self.bass, "bass", BASS))
        _set(self, "tonality", L.check_choice(self.tonality, "tonality", TONALITY))
        _set(self, "max_weight", L.check_number(self.max_weight, "max_weight", L.WEIGHT_G, "g"))
        _set(self, "level", L.parse_level(self.level))
        if self.min_price is not None and self.budget is not None and self.min_price > self.budget:
            raise EarwiseError("the minimum price is above the budget", "min_price")


@dataclass(frozen=True)
class RecommendRequest:
    profile: ProfileRequest = field(default_factory=ProfileRequest)
    top: int = 5

    def __post_init__(self) -> None:
        _set(self, "top", L.check_int(self.top, "top", L.TOP))


@dataclass(frozen=True)
class KitRequest:
    profile: ProfileRequest = field(default_factory=ProfileRequest)
    max_items: int = 3

    def __post_init__(self) -> None:
        _set(self, "max_items", L.check_int(self.max_items, "max_items", (1, 3)))
        if self.profile.budget is None:
            raise EarwiseError(
                "a kit needs a budget: the total for headphones and any amp", "budget"
            )


@dataclass(frozen=True)
class NameRequest:
    """One catalog product by name, id or alias."""

    name: str

    def __post_init__(self) -> None:
        _set(self, "name", L.check_name(self.name, "name"))


@dataclass(frozen=True)
class SearchRequest:
    form: str | None = None
    back: str | None = None
    wireless: bool | None = None
    anc: bool | None = None
    mic: bool | None = None
    platform: str | None = None
    signature: str | None = None
    brand: str | None = None
    max_price: float | None = None
    min_price: float | None = None
    current: bool = False
    sort: str = "price"
    desc: bool = False
    limit: int | None = None

    def __post_init__(self) -> None:
        from earwise.catalog.store import SORTABLE

        _set(self, "form", L.check_choice(self.form, "form", FORMS))
        _set(self, "back", L.check_choice(self.back, "back", BACKS))
        for name in ("platform", "signature", "brand"):
            _set(self, name, L.check_name(getattr(self, name), name, required=False))
        _set(self, "max_price", L.check_number(self.max_price, "max_price", L.PRICE_USD, "USD"))
        _set(self, "min_price", L.check_number(self.min_price, "min_price", L.PRICE_USD, "USD"))
        _set(self, "sort", L.check_choice(self.sort or "price", "sort", list(SORTABLE)))
        if self.limit is not None:
            _set(self, "limit", L.check_int(self.limit, "limit", (1, 10_000)))


@dataclass(frozen=True)
class CompareRequest:
    names: list[str]

    def __post_init__(self) -> None:
        names = L.check_list(self.names, "names")
        if not 2 <= len(names) <= 4:
            raise EarwiseError("compare takes two to four products", "names")
        _set(self, "names", names)


@dataclass(frozen=True)
class BestRequest:
    category: str | None = None
    under: float | None = None
    gaming: bool = False
    top: int = 3

    def __post_init__(self) -> None:
        from earwise.advice.best import category_names

        _set(self, "category", L.check_choice(self.category, "category", category_names()))
        _set(self, "under", L.check_number(self.under, "under", L.BUDGET_USD, "USD"))
        _set(self, "top", L.check_int(self.top, "top", (1, 10)))


def _target(value: str | None) -> str | None:
    """A target preset name; files never come by path through a request (uploads do)."""
    return L.check_choice(value, "target", TARGET_PRESETS)


@dataclass(frozen=True)
class MeasurementUpload:
    """A user's own measurement or target that arrived as text (a file read at the CLI edge, or
    an uploaded body on the web); ``name`` labels it in answers."""

    text: str
    name: str = "your measurement"

    def __post_init__(self) -> None:
        from earwise.core.files import MAX_INPUT_BYTES

        _set(self, "name", L.check_name(self.name, "name") or "your measurement")
        if not isinstance(self.text, str) or not self.text.strip():
            raise EarwiseError(f"{self.name}: the measurement is empty", "file")
        if len(self.text.encode("utf-8", "surrogatepass")) > MAX_INPUT_BYTES:
            raise EarwiseError(f"{self.name}: over {MAX_INPUT_BYTES:,} bytes", "file")


@dataclass(frozen=True)
class AnalyzeRequest:
    """A catalog product (``name``) or an uploaded measurement (``upload``), not both."""

    name: str | None = None
    upload: MeasurementUpload | None = None
    target: str | None = None
    target_upload: MeasurementUpload | None = None
    rig: str | None = None
    form: str | None = None

    def __post_init__(self) -> None:
        if (self.name is None) == (self.upload is None):
            raise EarwiseError("give a catalog name or a measurement file", "name")
        _set(self, "name", L.check_name(self.name, "name", required=False))
        if self.name is None and self.upload is None:
            raise EarwiseError("give a catalog name or a measurement file", "name")
        _set(self, "target", _target(self.target))
        _set(self, "rig", L.check_choice(self.rig, "rig", RIGS))
        _set(self, "form", L.check_choice(self.form, "form", MEASURED_FORMS))


@dataclass(frozen=True)
class SimilarRequest:
    name: str
    top: int = 5

    def __post_init__(self) -> None:
        _set(self, "name", L.check_name(self.name, "name"))
        _set(self, "top", L.check_int(self.top, "top", L.TOP))


@dataclass(frozen=True)
class PlotRequest:
    """Catalog names and/or uploaded measurements, overlaid on a target (or none)."""

    names: list[str] = field(default_factory=list)
    uploads: list[MeasurementUpload] = field(default_factory=list)
    target: str | None = None
    target_upload: MeasurementUpload | None = None
    fmt: str = "svg"

    def __post_init__(self) -> None:
        _set(self, "names", L.check_list(self.names, "names"))
        if not 1 <= len(self.names) + len(self.uploads) <= 8:
            raise EarwiseError("plot takes one to eight responses", "names")
        if self.target != "none":
            _set(self, "target", _target(self.target))
        _set(self, "fmt", L.check_choice(self.fmt, "output", ("svg", "png")))


@dataclass(frozen=True)
class EqRequest:
    name: str | None = None
    upload: MeasurementUpload | None = None
    target: str | None = None
    target_upload: MeasurementUpload | None = None
    preset: str = "apo"
    like: str | None = None
    max_gain: float = 6.0
    filters: int | None = None
    rig: str | None = None
    form: str | None = None

    def __post_init__(self) -> None:
        from earwise.acoustics.eq import PRESETS

        if (self.name is None) == (self.upload is None):
            raise EarwiseError("give a catalog name or a measurement file", "name")
        _set(self, "name", L.check_name(self.name, "name", required=False))
        if self.name is None and self.upload is None:
            raise EarwiseError("give a catalog name or a measurement file", "name")
        _set(self, "target", _target(self.target))
        _set(self, "preset", L.check_choice(self.preset or "apo", "preset", list(PRESETS)))
        _set(self, "like", L.check_name(self.like, "like", required=False))
        _set(self, "max_gain", L.check_number(self.max_gain, "max_gain", L.GAIN_DB, "dB"))
        if self.filters is not None:
            _set(self, "filters", L.check_int(self.filters, "filters", L.FILTERS))
        _set(self, "rig", L.check_choice(self.rig, "rig", RIGS))
        _set(self, "form", L.check_choice(self.form, "form", MEASURED_FORMS))


@dataclass(frozen=True)
class NeedRequest:
    """How loud: a level and the genres whose crest factor sets the peaks."""

    level: str | float | None = "normal"
    genre: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        _set(self, "level", L.parse_level(self.level))
        _set(self, "genre", [g.partition(":")[0] for g in L.check_genre_items(self.genre)])


@dataclass(frozen=True)
class DriveRequest:
    headphone: str
    source: str | None = None
    vrms: float | None = None
    zout: float | None = None
    max_ma: float | None = None
    balanced: bool = False
    need: NeedRequest = field(default_factory=NeedRequest)

    def __post_init__(self) -> None:
        _set(self, "headphone", L.check_name(self.headphone, "headphone"))
        _set(self, "source", L.check_name(self.source, "source", required=False))
        _set(self, "vrms", L.check_number(self.vrms, "vrms", L.VRMS, "Vrms"))
        _set(self, "zout", L.check_number(self.zout, "zout", L.ZOUT_OHM, "ohm"))
        _set(self, "max_ma", L.check_number(self.max_ma, "max_ma", L.MAX_MA, "mA"))
        if self.source is not None and self.vrms is not None:
            raise EarwiseError("give either a catalog source or vrms (ad-hoc), not both", "vrms")
        if self.vrms is None and (self.zout is not None or self.max_ma is not None):
            raise EarwiseError("zout and max_ma describe an ad-hoc source: give vrms too", "vrms")


@dataclass(frozen=True)
class AmpsForRequest:
    headphone: str
    budget: str | float | None = None
    need: NeedRequest = field(default_factory=NeedRequest)

    def __post_init__(self) -> None:
        _set(self, "headphone", L.check_name(self.headphone, "headphone"))
        _set(self, "budget", L.parse_budget(self.budget))


@dataclass(frozen=True)
class ChainRequest:
    headphone: str
    source: str | None = None
    dac: str | None = None
    amp: str | None = None
    need: NeedRequest = field(default_factory=NeedRequest)

    def __post_init__(self) -> None:
        _set(self, "headphone", L.check_name(self.headphone, "headphone"))
        for name in ("source", "dac", "amp"):
            _set(self, name, L.check_name(getattr(self, name), name, required=False))


@dataclass(frozen=True)
class ExplainRequest:
    """A catalog headphone (``name``) or a pasted spec sheet (``text``), not both."""

    name: str | None = None
    text: str | None = None
    source: str | None = None
    need: NeedRequest = field(default_factory=NeedRequest)

    def __post_init__(self) -> None:
        if (self.name is None) == (self.text is None):
            raise EarwiseError("give one of: a catalog name or a spec sheet's text", "text")
        _set(self, "name", L.check_name(self.name, "name", required=False))
        if self.text is not None:
            _set(self, "text", L.check_text(self.text, "text"))
        _set(self, "source", L.check_name(self.source, "source", required=False))


@dataclass(frozen=True)
class AskRequest:
    text: str

    def __post_init__(self) -> None:
        _set(self, "text", L.check_text(self.text, "q"))


@dataclass(frozen=True)
class IndexRequest:
    root: str | None = None  # None: the settings' measurements root
    force: bool = False


@dataclass(frozen=True)
class EnrichRequest:
    root: str | None = None
    force: bool = False
