"""The catalog as arrays: one row per headphone, one column per feature the engine scores.

Scoring works on these arrays, never one Python object at a time, so the engine scales
to catalogs of 100,000 products. Unknown values are ``nan`` (or a separate "known" mask).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

import numpy as np

from earwise.acoustics.power import spl_per_v_from_mw
from earwise.advice.evidence import evidence
from earwise.advice.weights import load_weights
from earwise.catalog.platforms import assumed_analog, platform_support
from earwise.catalog.schema import PLATFORMS, Headphone
from earwise.catalog.store import normalise_name

W = load_weights()  # advice/data/weights.yaml: every number below, with units and sources

FORMS = ("over-ear", "on-ear", "in-ear", "earbud")
BACKS = ("open", "closed", "semi-open")
MIC_TYPES = (
    "none", "inline", "built-in", "fixed-boom", "detachable-boom", "retractable-boom", "unspecified"
)  # fmt: skip
# How well a mic type serves calls when no review rated it: a boom near the mouth beats
# a mic in the cup or cable (SoundGuys' microphone demos in the gaming-headset seed).
MIC_TYPE_SCORE = np.array([W.value("mic.type_score")[t] for t in MIC_TYPES])
UNKNOWN_MIC_SCORE = W.value("score.unknown")  # no source says whether it has a microphone
MIC_RATING_SCORE = dict(W.value("mic.rating_score"))
LEVEL3 = dict(W.value("level3"))  # a review's low/medium/high (isolation, clamp) as 0..1

# Leakage (0 none - 1 open back) and passive isolation by design class, used when no review
# rated the product: open backs "leak sound like crazy" and isolate nothing (The Master Switch;
# Headfonia Rule #4), sealed in-ears isolate most, open-fit earbuds leak and isolate little.
LEAK_BY_BACK = dict(W.value("leak.by_back"))
LEAK_CLOSED_BY_FORM = dict(W.value("leak.closed_by_form"))
ISOLATION_BY_BACK = dict(W.value("isolation.by_back"))
ISOLATION_CLOSED_BY_FORM = dict(W.value("isolation.closed_by_form"))
ANC_REDUCTION = W.value("isolation.anc_reduction")  # fraction of the remaining noise ANC removes

# Nominal broad-band deviations (bass_db, treble_db) for a review's signature label, used
# only when no measurement is in the catalog. Thresholds match acoustics.features.
SIGNATURE_BANDS = dict(W.value("signature.bands"))
SIGNATURE_BANDS7 = {k: (*v, np.nan) for k, v in W.value("signature.bands7").items()}  # air unknown
SIG_NONE, SIG_MEASURED, SIG_REVIEW = 0, 1, 2
# Portability by form: in-ears and earbuds pocket, on-ears fold, over-ears are bulky.
PORTABILITY_BY_FORM = np.array([W.value("portability.by_form")[f] for f in FORMS])
WIRELESS_PORTABILITY_BONUS = W.value("portability.wireless_bonus")
# Comfort: over-ear weight from LIGHT_G (no burden, score 1) to HEAVY_G (heavy, HEAVY_SCORE; The
# Master Switch calls over-ears "bulkier and heavier"); on-ears press on the ear, so their weight
# counts ON_EAR_WEIGHT_FACTOR times; a clamp level above medium costs CLAMP_PENALTY per unit.
LIGHT_G, HEAVY_G = W.value("comfort.light_g"), W.value("comfort.heavy_g")
HEAVY_SCORE = W.value("comfort.heavy_score")
ON_EAR_WEIGHT_FACTOR = W.value("comfort.on_ear_weight_factor")
UNKNOWN_COMFORT = W.value("comfort.unknown")
CLAMP_PENALTY = W.value("comfort.clamp_penalty")
# Words that mark a platform connection as wireless (dongle, Bluetooth, console radios).
WIRELESS_WORDS = (
    "dongle",
    "bluetooth",
    "wireless",
    "2.4",
    "lightspeed",
    "playstation link",
    "slipstream",
)
DRIVEN_WIRED = {"3.5mm", "6.35mm", "4.4mm-balanced", "2.5mm-balanced", "xlr-4pin", "xlr-dual-3pin"}
ESTAT_PLUGS = {"stax-pro-bias", "stax-normal-bias"}


@dataclass
class ProductMatrix:
    """Feature arrays, all of length ``n`` (``plat`` is n x 8, ``bands`` n x 2: broad bass and
    treble, ``bands7`` n x 7: sub-bass .. air, each in dB against the Harman target)."""

    ids: np.ndarray
    brand: np.ndarray  # the maker's name, normalised (catalog.store.normalise_name)
    price: np.ndarray
    form: np.ndarray
    back: np.ndarray
    wireless: np.ndarray
    wireless_known: np.ndarray
    true_wireless: np.ndarray
    anc: np.ndarray
    mic_type: np.ndarray
    mic_known: np.ndarray
    mic_score: np.ndarray
    plat: np.ndarray
    plat_native: np.ndarray
    plat_wireless: np.ndarray
    wired_ok: np.ndarray
    low_latency: np.ndarray  # a cable, a 2.4 GHz dongle or a console radio (not Bluetooth alone)
    tv_base: np.ndarray  # sold with its own transmitter base for a TV (category "tv")
    gaming: np.ndarray  # tagged a gaming headset by its maker or reviews (categories)
    sport: np.ndarray  # tagged built for sport (hooks, wings, bone conduction, sweat rating)
    driver: np.ndarray  # the driver type as published ("" unknown)
    sens_v: np.ndarray
    imp: np.ndarray
    needs_drive: np.ndarray
    electrostatic: np.ndarray
    bands: np.ndarray
    bands7: np.ndarray
    sig_src: np.ndarray
    pref: np.ndarray  # mean rig percentile (0..1) of the Harman predicted preference
    isolation: np.ndarray
    leak: np.ndarray
    weight: np.ndarray
    clamp: np.ndarray
    glasses: np.ndarray
    battery: np.ndarray
    vol_limit: np.ndarray  # the maker's volume limit, dB SPL (nan: none known)
    discontinued: np.ndarray
    on_sale: np.ndarray
    no_phone: np.ndarray  # known to work with neither iPhone nor Android (a console link only)
    comfort_base: np.ndarray | None = None  # derived in build_matrix: see static_comfort
    portability: np.ndarray | None = None  # derived in build_matrix: see static_portability

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, idx: np.ndarray) -> ProductMatrix | Rows:
        """Rows ``idx``: the matrix itself when that is every row, else a lazy row selection."""
        if len(idx) == len(self.ids) and np.array_equal(idx, np.arange(len(self.ids))):
            return self
        return Rows(self, np.asarray(idx))


class Rows:
    """A row selection of a :class:`ProductMatrix` whose columns are gathered on first use.

    Scoring touches most columns but explanations need ``ids`` only for the top rows, so
    gathering lazily saves copying what is never read.
    """

    def __init__(self, base: ProductMatrix, idx: np.ndarray) -> None:
        self._base, self._idx = base, idx

    def __len__(self) -> int:
        return len(self._idx)

    def __getattr__(self, name: str) -> np.ndarray:
        value = getattr(self._base, name)[self._idx]
        self.__dict__[name] = value
        return value

    def take(self, idx: np.ndarray) -> Rows:
        return Rows(self._base, self._idx[np.asarray(idx)])


def effective_sensitivity(h: Headphone) -> float:
    """dB SPL/V used for drive: measured if known, else published (converted with Z).

    A sensitivity published without a unit is read both ways and the lower is used,
    so the verdict errs towards "needs more power".
    """
    if h.sensitivity_measured is not None:
        return h.sensitivity_measured.db_spl_per_v
    s, z = h.sensitivity, h.impedance_ohm
    if s is None:
        return np.nan
    if s.unit == "dB SPL/V":
        return s.value
    if z is None:
        return np.nan
    as_mw = float(spl_per_v_from_mw(s.value, z))
    return as_mw if s.unit == "dB SPL/mW" else min(as_mw, s.value)


def impedance_for_drive(h: Headphone) -> float:
    """Nominal impedance as published, else the measured one (ASR), else nan."""
    if h.impedance_ohm is not None:
        return h.impedance_ohm
    m = h.sensitivity_measured
    return m.impedance_ohm if m and m.impedance_ohm else np.nan


def _isolation_leak(h: Headphone) -> tuple[float, float]:
    if h.back in LEAK_BY_BACK:
        leak, iso = LEAK_BY_BACK[h.back], ISOLATION_BY_BACK[h.back]
    else:
        leak, iso = LEAK_CLOSED_BY_FORM[h.form_factor], ISOLATION_CLOSED_BY_FORM[h.form_factor]
    if h.isolation is not None:
        iso = LEVEL3[h.isolation]
    if h.anc:
        iso = 1 - (1 - iso) * (1 - ANC_REDUCTION)
    return iso, leak


_NOT_NATIVE = re.compile("adapter|controller|amplifier")


def _words(words) -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


_WIRELESS = _words(WIRELESS_WORDS)


def _radio_link(h: Headphone) -> bool:
    """A low-latency wireless link: a 2.4 GHz dongle or a console's own radio."""
    c = h.connections
    return c.dongle is not None or c.xbox_wireless or c.playstation_link


def _row(h: Headphone, measured: dict) -> dict:
    support = platform_support(h)
    vias = [support[p] for p in PLATFORMS]
    m = measured.get(h.id)
    ev = evidence(m)
    if m and ev.bass_db is not None:
        # every measurement, each against its own rig's target: mean bands, mean rig percentile
        bands = (ev.bass_db, ev.treble_db)
        # a band a measurement did not record follows its broad band (older derived data)
        broad = (ev.bass_db, ev.bass_db, 0.0, 0.0, ev.treble_db, ev.treble_db, np.nan)
        bands7 = tuple(f if b is None else b for b, f in zip(ev.bands_db, broad, strict=True))
        sig_src = SIG_MEASURED
        pref = np.nan if ev.pct is None else ev.pct
    elif h.signature is not None:
        bands, sig_src, pref = SIGNATURE_BANDS[h.signature.label], SIG_REVIEW, np.nan
        bands7 = SIGNATURE_BANDS7[h.signature.label]
    else:
        bands, sig_src, pref = (np.nan, np.nan), SIG_NONE, np.nan
        bands7 = (np.nan,) * 7
    mic_type = h.mic.type if h.mic else "none"
    mic_score = MIC_TYPE_SCORE[MIC_TYPES.index(mic_type)] if h.mic else UNKNOWN_MIC_SCORE
    if h.mic and h.mic.quality:
        mic_score = MIC_RATING_SCORE[h.mic.quality.rating]
    iso, leak = _isolation_leak(h)
    bat = h.battery.measured_h or h.battery.claimed_h if h.battery else None
    wired = set(h.connections.wired)
    comfort = h.comfort
    return {
        "ids": h.id,
        "brand": normalise_name(h.brand),
        "price": np.nan if h.price_usd is None else h.price_usd,
        "form": FORMS.index(h.form_factor),
        "back": BACKS.index(h.back),
        "wireless": h.wireless is True,
        "wireless_known": h.wireless is not None,
        "true_wireless": h.true_wireless,
        "anc": np.nan if h.anc is None else float(h.anc),
        "mic_type": MIC_TYPES.index(mic_type),
        "mic_known": h.mic is not None,
        "mic_score": mic_score,
        "plat": [isinstance(v, str) for v in vias],
        "plat_native": [isinstance(v, str) and not _NOT_NATIVE.search(v) for v in vias],
        "plat_wireless": [isinstance(v, str) and bool(_WIRELESS.search(v)) for v in vias],
        # a headphone known not to be wireless has a cable even when its plug is not recorded
        "wired_ok": bool(wired) or h.wireless is False,
        "low_latency": bool(wired) or h.wireless is False or _radio_link(h) or "tv" in h.categories,
        "tv_base": "tv" in h.categories,
        # a gaming headset: tagged for gaming, and a headset (over/on-ear, or a microphone on
        # record); an IEM reviewers liked for games is not one (7Hz Salnotes Zero)
        "gaming": "gaming" in h.categories
        and (
            h.form_factor in ("over-ear", "on-ear") or (h.mic is not None and h.mic.type != "none")
        ),
        "sport": "sport" in h.categories,
        "driver": h.driver.type or "",
        "sens_v": effective_sensitivity(h),
        "imp": impedance_for_drive(h),
        "needs_drive": not h.wireless and (bool(wired & DRIVEN_WIRED) or assumed_analog(h)),
        "electrostatic": bool(wired & ESTAT_PLUGS) or h.driver.type == "electrostatic",
        "bands": bands,
        "bands7": bands7,
        "sig_src": sig_src,
        "pref": pref,
        "isolation": iso,
        "leak": leak,
        "weight": np.nan if h.weight_g is None else h.weight_g,
        "clamp": np.nan if not comfort or not comfort.clamp else LEVEL3[comfort.clamp],
        "glasses": np.nan
        if not comfort or comfort.glasses_friendly is None
        else float(comfort.glasses_friendly),
        "battery": np.nan if bat is None else bat,
        "vol_limit": np.nan if h.volume_limit_db is None else h.volume_limit_db,
        "discontinued": h.discontinued,
        "on_sale": h.on_sale,
        "no_phone": support["iphone"] is False and support["android"] is False,
    }


def static_portability(m: ProductMatrix) -> np.ndarray:
    """0..1: pocketable and wireless is most portable."""
    return np.minimum(PORTABILITY_BY_FORM[m.form] + WIRELESS_PORTABILITY_BONUS * m.wireless, 1.0)


def static_comfort(m: ProductMatrix) -> np.ndarray:
    """0..1 from weight and clamp, before the listener's glasses or head size."""
    over = m.form == FORMS.index("over-ear")
    w = np.where(over, m.weight, m.weight * ON_EAR_WEIGHT_FACTOR)
    drop = 1 - HEAVY_SCORE
    s = np.clip(1 - (w - LIGHT_G) / (HEAVY_G - LIGHT_G) * drop, HEAVY_SCORE, 1)
    s = np.where(np.isfinite(s), s, UNKNOWN_COMFORT)
    s = s - np.where(np.isfinite(m.clamp), (m.clamp - LEVEL3["medium"]) * CLAMP_PENALTY, 0)
    return np.clip(s, 0, 1)


def with_static_features(m: ProductMatrix) -> ProductMatrix:
    """Fill the profile-independent derived columns once."""
    m.comfort_base = static_comfort(m)
    m.portability = static_portability(m)
    return m


def build_matrix(headphones: list[Headphone], measured: dict) -> ProductMatrix:
    """Arrays for ``headphones`` (row order = list order)."""
    rows = [_row(h, measured) for h in headphones]
    names = [f.name for f in fields(ProductMatrix) if f.name not in ("comfort_base", "portability")]
    cols = {name: [r[name] for r in rows] for name in names}
    dtypes = {
        "ids": object,
        "brand": object,
        "driver": object,
        "form": np.int8,
        "back": np.int8,
        "mic_type": np.int8,
        "sig_src": np.int8,
        "wireless": bool,
        "wireless_known": bool,
        "mic_known": bool,
        "true_wireless": bool,
        "plat": bool,
        "plat_native": bool,
        "plat_wireless": bool,
        "wired_ok": bool,
        "low_latency": bool,
        "tv_base": bool,
        "gaming": bool,
        "sport": bool,
        "needs_drive": bool,
        "electrostatic": bool,
        "discontinued": bool,
        "on_sale": bool,
        "no_phone": bool,
    }
    return with_static_features(
        ProductMatrix(**{k: np.array(v, dtype=dtypes.get(k, float)) for k, v in cols.items()})
    )


def matrix_of(view) -> ProductMatrix:
    """The matrix of the products on sale (what can be recommended), built once per view and
    kept in ``view.cache``."""
    m = view.cache.get("matrix")
    if m is None:
        rows = [view.headphones[i] for i in view.on_sale_ids]
        m = view.cache["matrix"] = build_matrix(rows, view.measured)
    return m


def matrix_for(view, ids: list[str]) -> ProductMatrix:
    """A matrix of any named products (owned or asked about, on sale or not), in ``ids`` order."""
    known = [i for i in dict.fromkeys(ids) if i in view.headphones]
    return build_matrix([view.headphones[i] for i in known], view.measured)
