"""The listener profile: music, places, platforms, source, budget, constraints and leanings."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from earwise.acoustics.power import LISTENING_LEVEL_DB_SPL
from earwise.advice.vocab import (
    VocabularyError,
    resolve_genre,
    resolve_platform,
    resolve_use,
)
from earwise.advice.weights import load_weights
from earwise.catalog.schema import DriverType
from earwise.core.errors import EarwiseError

# An unspecified taste (advice/data/weights.yaml, profile.default_genres).
DEFAULT_GENRES = dict(load_weights().value("profile.default_genres"))


class ProfileError(EarwiseError):
    """Input that cannot make a profile; the message is one readable line."""


def parse_genre_shares(items: list[str]) -> dict[str, float]:
    """``["electronic:70", "rock:20", "jazz"]`` -> normalised shares summing to 1.

    A genre given without a share gets an equal part of whatever the explicit shares
    leave (or an equal share of everything when no share is given).
    """
    explicit: dict[str, float] = {}
    bare: list[str] = []
    for item in items:
        name, sep, share = item.partition(":")
        try:
            genre = resolve_genre(name)
        except VocabularyError as exc:
            raise ProfileError(str(exc)) from None
        if not sep:
            bare.append(genre)
            continue
        try:
            value = float(share.strip().rstrip("%"))
        except ValueError:
            raise ProfileError(
                f"genre share {item!r} does not parse: write NAME:SHARE, e.g. rock:20"
            ) from None
        if not value >= 0:
            raise ProfileError(f"genre share {item!r} must be a number >= 0")
        explicit[genre] = explicit.get(genre, 0.0) + value
    total = sum(explicit.values())
    if bare:
        rest = 100.0 - total if explicit and total < 100 else 0.0
        mean_explicit = total / len(explicit) if explicit else 1.0
        each = rest / len(bare) if rest > 0 else mean_explicit
        for g in bare:
            explicit[g] = explicit.get(g, 0.0) + each
        total = sum(explicit.values())
    if explicit and total <= 0:
        raise ProfileError("genre shares add up to 0; give at least one positive share")
    return {g: round(v / total, 6) for g, v in explicit.items()} if explicit else {}


class Profile(BaseModel):
    """Everything the engine knows about one listener."""

    model_config = ConfigDict(extra="forbid")

    genres: dict[str, float] = {}
    uses: list[str] = []
    platforms: list[str] = []
    source: str | None = None  # a catalog source id
    source_vrms: float | None = Field(default=None, gt=0, le=600)
    source_zout_ohm: float | None = Field(default=None, ge=0, le=1000)
    source_max_ma: float | None = Field(default=None, gt=0)
    budget_usd: float | None = Field(default=None, gt=0)
    budget_min_usd: float | None = Field(default=None, ge=0)
    budget_includes_amp: bool = False
    forms: list[Literal["over-ear", "on-ear", "in-ear", "earbud"]] = []
    back: Literal["open", "closed", "semi-open"] | None = None
    driver: DriverType | None = None  # only this driver type (the catalog's names)
    wireless: bool | None = None
    true_wireless: bool | None = None  # False: in-ears on a cord or a band (a neckband)
    anc: bool = False
    mic: bool = False
    no_amp: bool = False
    used: bool = False  # also show discontinued models, apart, as the used market
    volume_limited: bool = False  # must have a known volume limit at or under the safe level
    cheap: bool = False  # asked for cheap ones: with no budget, only the cheapest share is ranked
    max_weight_g: float | None = Field(default=None, gt=0)
    glasses: bool = False
    head_size: Literal["small", "large"] | None = None
    no_leak: bool = False
    isolation: Literal["low", "medium", "high"] | None = None
    long_sessions: bool = False
    long_battery: bool = False  # battery life per charge matters (weighs the battery criterion)
    secure_fit: bool = False  # must stay put (running, jumping): built for sport counts
    bass: Literal["more", "less"] | None = None
    treble_sensitive: bool = False
    tonality: Literal["warm", "neutral", "bright"] | None = None
    soundstage: bool = False
    low_latency: bool = False  # a cable or a 2.4 GHz / console link, not Bluetooth alone
    level: Literal["quiet", "normal", "loud"] | float = "normal"
    owned: list[str] = []
    brands: list[str] = []  # only these makers (catalog brand names), e.g. "Sony or Bose?"

    @field_validator("genres")
    @classmethod
    def _genres(cls, v: dict[str, float]) -> dict[str, float]:
        try:
            out = {resolve_genre(k): float(s) for k, s in v.items()}
        except VocabularyError as exc:
            raise ValueError(str(exc)) from None
        if any(s < 0 for s in out.values()):
            raise ValueError("genre shares must be >= 0")
        total = sum(out.values())
        return {k: s / total for k, s in out.items()} if total > 0 else {}

    @field_validator("uses", "platforms")
    @classmethod
    def _vocabulary(cls, v: list[str], info) -> list[str]:
        resolve = resolve_use if info.field_name == "uses" else resolve_platform
        try:
            return list(dict.fromkeys(resolve(x) for x in v))
        except VocabularyError as exc:
            raise ValueError(str(exc)) from None

    @field_validator("level")
    @classmethod
    def _level(cls, v: str | float) -> str | float:
        if isinstance(v, float) and not 40 <= v <= 115:
            raise ValueError("listening level must be 40-115 dB SPL")
        return v

    @model_validator(mode="after")
    def _adhoc_source(self) -> Profile:
        if (self.source_zout_ohm is not None or self.source_max_ma) and self.source_vrms is None:
            raise ValueError(
                "a source output impedance or current limit needs the source voltage (Vrms) too"
            )
        return self

    @model_validator(mode="after")
    def _budget_range(self) -> Profile:
        if self.budget_min_usd and self.budget_usd and self.budget_min_usd > self.budget_usd:
            raise ValueError("the minimum price is above the budget")
        return self

    @property
    def level_db_spl(self) -> float:
        """Average listening level in dB SPL."""
        return LISTENING_LEVEL_DB_SPL[self.level] if isinstance(self.level, str) else self.level

    @property
    def genre_shares(self) -> dict[str, float]:
        """Shares of the listener's music; with none named, "general": the balance of the Harman target."""
        if self.genres:
            return self.genres
        from earwise.advice.vocab import uses

        named = [uses()[u].default_genre for u in self.uses if uses()[u].default_genre]
        return {named[0]: 1.0} if named else dict(DEFAULT_GENRES)


def build_profile(**fields) -> Profile:
    """Make a :class:`Profile`, turning validation errors into one readable :class:`ProfileError`."""
    from pydantic import ValidationError

    try:
        return Profile(**fields)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "profile"
        msg = err["msg"].removeprefix("Value error, ")
        raise ProfileError(f"{where}: {msg}") from None


def build_profile_leniently(**fields) -> tuple[Profile, list[str]]:
    """A profile from fields read out of words, which may contradict each other ("a step up from
    my $350 QC35 II, budget $350"): the full profile when it is valid, else the profile without
    the one field that makes it invalid (the first that works, in ``fields``' order), else an
    empty one; with a note of what was left out and why. A lower price bound goes first (it is
    inferred, a budget is said), then the field the error names, then the last read."""
    try:
        return build_profile(**fields), []
    except ProfileError as exc:
        first = exc
    named = [k for k in fields if str(first).startswith(f"{k}:")]
    order = ["budget_min_usd", *named, *reversed(fields)]
    for key in dict.fromkeys(k for k in order if k in fields):
        rest = {k: v for k, v in fields.items() if k != key}
        try:
            return build_profile(**rest), [f"left out {key.replace('_', ' ')}: {first}"]
        except ProfileError:
            continue
    return build_profile(), [f"ignored the profile: {first}"]
