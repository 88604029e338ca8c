"""The engine's weights and thresholds, loaded once from ``advice/data/weights.yaml``.

Every entry has a ``value``, a ``source`` (a citation, or "judgement: <reason>") and, where it
means something, a ``unit``. The file is validated against :data:`SCHEMA` on load: a missing
or unknown key, a missing value or source, or a value of the wrong shape raises
:class:`WeightsError`. ``docs/engine.md`` carries the same table (section 7), generated with::

    python -m earwise.advice.weights --markdown       # print the table
    python -m earwise.advice.weights --update-docs    # rewrite the section in docs/engine.md
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import get_args

import yaml

from earwise.acoustics.features import BANDS_HZ
from earwise.catalog.schema import Back, FormFactor, Level3, MicQuality, MicType, Signature
from earwise.core.errors import EarwiseError
from earwise.core.yamlio import load_yaml

DATA = Path(__file__).parent / "data" / "weights.yaml"
DOCS = Path(__file__).resolve().parents[3] / "docs" / "engine.md"
BEGIN, END = "<!-- weights:begin -->", "<!-- weights:end -->"

Number = float | int
Value = Number | tuple[float, float] | Mapping[str, object]


class WeightsError(EarwiseError):
    """weights.yaml is malformed: a key is missing or unknown, or an entry is incomplete."""


# --- the schema: every key the code reads, and the shape of its value -----------------------------
NUM, INT, PAIR, SIX = "number", "int", "pair", "six"
# the seven bands of acoustics.features, in order (music.band_weights names one weight each)
BANDS = tuple(BANDS_HZ)


def _map(keys, of: str = NUM) -> tuple[str, tuple[str, ...], str]:
    return ("map", tuple(keys), of)


FORMS, BACKS, LEVELS = get_args(FormFactor), get_args(Back), get_args(Level3)
_RATINGS = get_args(MicQuality.model_fields["rating"].annotation)
_LABELS = get_args(Signature.model_fields["label"].annotation)

SCHEMA: dict[str, object] = {
    **{
        f"weight.{k}": NUM
        for k in (
            "music",
            "sound_quality",
            "sound_quality_with_leaning",
            "place",
            "place_no_use",
            "drive",
            "platform",
            "comfort",
            "comfort_long_sessions",
            "mic_requested",
            "mic_max",
            "battery_wireless",
            "battery_long",
            "value",
        )
    },  # fmt: skip
    "leaning.more_bass_db": NUM,
    "leaning.most_bass_db": NUM,
    "leaning.less_bass_db": NUM,
    "leaning.treble_sensitive_db": NUM,
    "leaning.warm_shift_db": PAIR,
    "leaning.bright_shift_db": PAIR,
    "leaning.neutral_scale": NUM,
    "leaning.neutral_tolerance_scale": NUM,
    "leaning.neutral_use_tolerance_shrink": NUM,
    "leaning.soundstage_open_pref": NUM,
    "music.stage_by_back": _map(BACKS),
    "music.stage_share": NUM,
    "music.review_label_share": NUM,
    "music.band_weights": _map(BANDS),
    "music.sub_bass_floor_extra_db": NUM,
    "owned.floor": NUM,
    "score.unknown": NUM,
    "sound.uncertainty_penalty": NUM,
    "place.leak_span": NUM,
    "place.mix": _map(("leak", "isolation", "portability")),
    "place.gate_floor": NUM,
    "use.bluetooth_only_latency_fit": NUM,
    "use.no_anc_fit": NUM,
    "use.secure_fit_untagged_fit": NUM,
    "value.band_low_share": NUM,
    "use.wireless_for_wired_use_fit": NUM,
    "use.no_phone_link_fit": NUM,
    "use.wired_for_cable_free_use_fit": NUM,
    "use.non_boom_mic_fit": NUM,
    "use.boom_headset_on_the_go_fit": NUM,
    "use.kids_safe_level_db": NUM,
    "use.kids_no_limit_fit": NUM,
    "use.kids_unknown_limit_fit": NUM,
    "drive.hiss_note_below_uv": NUM,
    "drive.headroom_good_db": NUM,
    "drive.headroom_bad_db": NUM,
    "platform.mix": _map(("works", "native")),
    "comfort.light_g": NUM,
    "comfort.heavy_g": NUM,
    "comfort.heavy_score": NUM,
    "comfort.on_ear_weight_factor": NUM,
    "comfort.unknown": NUM,
    "comfort.clamp_penalty": NUM,
    "comfort.glasses_friendly_bonus": NUM,
    "comfort.glasses_unfriendly_penalty": NUM,
    "comfort.small_head_over_ear_penalty": NUM,
    "mic.type_score": _map(get_args(MicType)),
    "mic.rating_score": _map(_RATINGS),
    "battery.full_h": NUM,
    "battery.full_tws_h": NUM,
    "battery.full_long_h": NUM,
    "battery.full_long_tws_h": NUM,
    "value.no_budget_score": NUM,
    "level3": _map(LEVELS),
    "leak.by_back": _map(b for b in BACKS if b != "closed"),
    "leak.closed_by_form": _map(FORMS),
    "isolation.by_back": _map(b for b in BACKS if b != "closed"),
    "isolation.closed_by_form": _map(FORMS),
    "isolation.anc_reduction": NUM,
    "signature.bands": _map(_LABELS, PAIR),
    "signature.bands7": _map(_LABELS, SIX),
    "portability.by_form": _map(FORMS),
    "portability.wireless_bonus": NUM,
    "engine.unknown_status_checked_up_to": NUM,
    "engine.unknown_status_named_up_to": NUM,
    "engine.no_leak_max": NUM,
    "engine.assumed_phone_vrms": NUM,
    "engine.crest_min_share": NUM,
    "explain.same_level_db": NUM,
    "explain.good_fit": NUM,
    "explain.poor_fit": NUM,
    "explain.min_genre_share": NUM,
    "explain.owned_gain": NUM,
    "explain.weak_best_score": NUM,
    "explain.high_isolation_use": NUM,
    "explain.isolation_shortfall": NUM,
    "explain.easy_drive_headroom_db": NUM,
    "explain.good_preference": NUM,
    "explain.poor_preference": NUM,
    "explain.comfortable": NUM,
    "explain.uncomfortable": NUM,
    "explain.battery_ok": NUM,
    "kit.pool_per_genre": INT,
    "kit.pool_overall": INT,
    "kit.pool_total_share": NUM,
    "kit.place_tie_margin": NUM,
    "compare.close_call_points": NUM,
    "best.long_battery_h": NUM,
    "best.heavy_g": NUM,
    "best.light_g": NUM,
    "best.pro_preference": NUM,
    "best.con_preference": NUM,
    "best.resort_pool": INT,
    "best.value_budget_usd": NUM,
    "best.under_default_usd": NUM,
    "similar.max_price_ratio": NUM,
    "upgrade.step_up_max_ratio": NUM,
    "thrift.cheap_share": NUM,
    "profile.default_genres": _map(("general",)),
}


@dataclass(frozen=True)
class Weight:
    """One entry of weights.yaml."""

    key: str
    value: Value
    unit: str | None
    source: str


class Weights(Mapping[str, Weight]):
    """Read-only mapping key -> :class:`Weight`; ``w[key].value`` or ``w.value(key)``."""

    __slots__ = ("_entries", "path")

    def __init__(self, entries: dict[str, Weight], path: Path) -> None:
        object.__setattr__(self, "_entries", MappingProxyType(dict(entries)))
        object.__setattr__(self, "path", path)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Weights is read-only")

    def __getitem__(self, key: str) -> Weight:
        try:
            return self._entries[key]
        except KeyError:
            raise WeightsError(f"no weight {key!r} in {self.path.name}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def value(self, key: str) -> Value:
        return self[key].value


def _is_number(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _checked(key: str, kind: object, value: object) -> Value:
    """``value`` frozen (pairs as tuples, maps read-only) after checking it has the shape ``kind``."""
    where = f"{key}: value"
    if kind == INT:
        if not (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
            raise WeightsError(f"{where} must be a whole number >= 0, got {value!r}")
        return value
    if kind == NUM:
        if not _is_number(value):
            raise WeightsError(f"{where} must be a finite number, got {value!r}")
        return value
    if kind == PAIR:
        if not (isinstance(value, list) and len(value) == 2 and all(map(_is_number, value))):
            raise WeightsError(f"{where} must be a pair of numbers [a, b], got {value!r}")
        return tuple(value)
    if kind == SIX:
        if not (isinstance(value, list) and len(value) == 6 and all(map(_is_number, value))):
            raise WeightsError(f"{where} must be six numbers (sub-bass..treble), got {value!r}")
        return tuple(value)
    _, keys, of = kind
    if not isinstance(value, dict):
        raise WeightsError(f"{where} must be a mapping with keys {', '.join(keys)}")
    missing, unknown = [k for k in keys if k not in value], [k for k in value if k not in keys]
    if missing or unknown:
        raise WeightsError(
            f"{where}: missing keys {missing or 'none'}, unknown keys {unknown or 'none'}"
        )
    return MappingProxyType({k: _checked(f"{key}.{k}", of, value[k]) for k in keys})


def parse(data: object, path: Path = DATA) -> Weights:
    """Validate the loaded YAML document against :data:`SCHEMA`."""
    name = path.name
    if (
        not isinstance(data, dict)
        or set(data) != {"weights"}
        or not isinstance(data["weights"], dict)
    ):
        raise WeightsError(f"{name} must hold one mapping, 'weights: {{key: entry}}'")
    raw = data["weights"]
    missing = [k for k in SCHEMA if k not in raw]
    unknown = [k for k in raw if k not in SCHEMA]
    if missing or unknown:
        raise WeightsError(
            f"{name}: missing keys {missing or 'none'}; unknown keys {unknown or 'none'}"
        )
    entries = {}
    for key, kind in SCHEMA.items():
        e = raw[key]
        if not isinstance(e, dict) or "value" not in e or "source" not in e:
            raise WeightsError(f"{name}: {key} needs both 'value' and 'source'")
        extra = set(e) - {"value", "unit", "source"}
        if extra:
            raise WeightsError(f"{name}: {key} has unknown fields {sorted(extra)}")
        source, unit = e["source"], e.get("unit")
        if not isinstance(source, str) or not source.strip():
            raise WeightsError(f"{name}: {key} source must be a citation or 'judgement: reason'")
        if re.fullmatch(r"\s*judge?ment\W*", source, re.I):
            raise WeightsError(f"{name}: {key} source 'judgement' needs a one-line reason")
        if unit is not None and not isinstance(unit, str):
            raise WeightsError(f"{name}: {key} unit must be text")
        entries[key] = Weight(key, _checked(key, kind, e["value"]), unit, source.strip())
    return Weights(entries, path)


def load_weights(path: Path | str | None = None) -> Weights:
    """The validated weights of ``path`` (default: the packaged weights.yaml), read once."""
    return _load(Path(path) if path is not None else DATA)


@cache
def _load(path: Path) -> Weights:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WeightsError(f"cannot read {path}: {exc.strerror}") from None
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise WeightsError(f"{path.name} is not valid YAML: {exc}") from None
    return parse(data, path)


def value(key: str) -> Value:
    """One value of the packaged weights: ``value("weight.music")`` -> 3.0."""
    return load_weights().value(key)


# --- the documentation table --------------------------------------------------------------------


def render_value(v: object) -> str:
    """A value in YAML flow style (numbers as Python writes them), e.g. ``{open: 1.0, closed: 0.2}``."""
    if isinstance(v, Mapping):
        return "{" + ", ".join(f"{k}: {render_value(x)}" for k, x in v.items()) + "}"
    if isinstance(v, tuple | list):
        return "[" + ", ".join(render_value(x) for x in v) + "]"
    return repr(v)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown(w: Weights | None = None) -> str:
    """The docs table (between the markers) for ``w`` (default: the packaged weights)."""
    w = w if w is not None else load_weights()
    lines = [
        BEGIN,
        "| key | value | unit | source |",
        "|---|---|---|---|",
        *(
            f"| `{e.key}` | `{render_value(e.value)}` | {_cell(e.unit or '')} | {_cell(e.source)} |"
            for e in w.values()
        ),
        END,
    ]
    return "\n".join(lines)


def docs_rows(doc_text: str) -> dict[str, dict]:
    """Parse the generated table of docs/engine.md: key -> {value, unit, source} (values as YAML)."""
    if BEGIN not in doc_text or END not in doc_text:
        raise WeightsError(f"docs/engine.md has no {BEGIN} ... {END} section")
    block = doc_text.split(BEGIN, 1)[1].split(END, 1)[0]
    rows = {}
    for line in block.strip().splitlines()[2:]:
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if len(cells) != 4:
            raise WeightsError(f"docs/engine.md weights table: bad row {line!r}")
        key, val, unit, source = cells
        rows[key.strip("`")] = {
            "value": load_yaml(val.strip("`")),
            "unit": unit or None,
            "source": source,
        }
    return rows


def update_docs(path: Path = DOCS) -> None:
    """Rewrite the generated weights table of docs/engine.md in place."""
    text = path.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise WeightsError(f"{path} has no {BEGIN} ... {END} section to update")
    head, rest = text.split(BEGIN, 1)
    path.write_text(head + markdown() + rest.split(END, 1)[1], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--markdown"]:
        print(markdown())
    elif args[:1] == ["--update-docs"] and len(args) <= 2:
        update_docs(Path(args[1]) if len(args) == 2 else DOCS)
    else:
        print("usage: python -m earwise.advice.weights --markdown | --update-docs [PATH]")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
