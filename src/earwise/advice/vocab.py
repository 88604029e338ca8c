"""Vocabularies the listener profile is written in: genres, uses, platforms (from data files)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from earwise.catalog.schema import PLATFORMS
from earwise.core.errors import EarwiseError
from earwise.core.yamlio import load_yaml

DATA = Path(__file__).parent / "data"

PLATFORM_ALIASES = {
    "windows": "pc",
    "linux": "pc",
    "macos": "mac",
    "macbook": "mac",
    "ios": "iphone",
    "ipad": "iphone",
    "playstation": "ps5",
    "playstation-5": "ps5",
    "xbox-series": "xbox",
    "xbox-series-x": "xbox",
    "xbox-series-s": "xbox",
    "nintendo-switch": "switch",
    "steamdeck": "steam-deck",
    "deck": "steam-deck",
}


@dataclass(frozen=True)
class Genre:
    name: str
    bass_db: float
    treble_db: float
    tolerance_db: float
    open_pref: float
    crest_db: float
    why: str
    # The lowest bass (dB re the Harman target) still ideal for the genre; None: bass_db alone.
    bass_floor_db: float | None = None
    label: str | None = None  # how answers name it (default: the name)

    @property
    def shown(self) -> str:
        return self.label or self.name


@dataclass(frozen=True)
class Use:
    name: str
    max_leak: float
    isolation: float
    portable: float
    mic: float
    battery: float
    comfort: float
    neutral: float
    label: str
    wired: float = 0.0
    cable_free: float = 0.0  # how much the use wants no cable to the source (sport: it snags)
    phone_link: float = (
        0.0  # how much the use plays from a phone (on the go: the phone is the source)
    )
    low_latency: float = 0.0
    boom_mic: float = 0.0
    anc: float = 0.0  # how much the use wants active noise cancelling (engine and traffic rumble)
    radio_link: bool = True  # a USB 2.4 GHz dongle counts as a low-latency link (not for a TV)
    backs: dict[str, float] | None = None  # back -> 0..1 fit; None: every back suits
    gaming_headset: float = 1.0  # what a product tagged a gaming headset keeps of its total
    sport_build: float = 1.0  # what a product not tagged as built for sport keeps of its total
    needs_mic: bool = False  # the use cannot do without a microphone (calls): a hard need
    volume_limit: float = 0.0  # how much a known safe volume limit matters (children)
    thrift: float = 0.0  # with no budget, the cheapest share of what fits that is ranked (children)
    default_genre: str | None = None  # judged for this when no music is named (TV: spoken word)
    forms: dict[str, float] | None = None  # form -> 0..1 fit; None: every form suits


def slug(text: str) -> str:
    """Lowercase, spaces and underscores to hyphens: 'Drum and Bass' -> 'drum-and-bass'."""
    return re.sub(r"[\s_/]+", "-", text.strip().lower())


@cache
def _load(name: str) -> dict:
    return load_yaml((DATA / name).read_text(encoding="utf-8"))


@cache
def genres() -> dict[str, Genre]:
    return {k: Genre(name=k, **v) for k, v in _load("genres.yaml")["genres"].items()}


@cache
def uses() -> dict[str, Use]:
    return {k: Use(name=k, **v) for k, v in _load("uses.yaml")["uses"].items()}


class VocabularyError(EarwiseError):
    """An unknown genre, use or platform; the message lists the valid values."""


def _resolve(kind: str, text: str, valid: list[str], aliases: dict[str, str]) -> str:
    key = slug(text)
    if key in valid:
        return key
    if key in aliases:
        return aliases[key]
    raise VocabularyError(f"unknown {kind} {text!r}; valid {kind}s: {', '.join(valid)}", kind)


def resolve_genre(text: str) -> str:
    return _resolve("genre", text, list(genres()), _load("genres.yaml")["aliases"])


def resolve_use(text: str) -> str:
    return _resolve("use", text, list(uses()), _load("uses.yaml")["aliases"])


def resolve_platform(text: str) -> str:
    return _resolve("platform", text, list(PLATFORMS), PLATFORM_ALIASES)
