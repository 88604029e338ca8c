"""JSON-shaped building blocks of the service results (recommend, show, compare, kit)."""

from __future__ import annotations

from earwise.advice.engine import RecommendResult, recommend
from earwise.advice.evidence import rig_phrase, rig_scores
from earwise.advice.kit import build_kit
from earwise.advice.profile import Profile, ProfileError
from earwise.catalog.platforms import platform_support
from earwise.catalog.schema import PLATFORMS, Headphone
from earwise.catalog.view import CatalogView

COMPARE_FIELDS = (
    ("price_usd", "Price (USD)"),
    ("year", "Year"),
    ("discontinued", "Discontinued"),
    ("status", "Status"),
    ("price_kind", "Price meaning"),
    ("form_factor", "Form"),
    ("back", "Back"),
    ("driver", "Driver"),
    ("impedance_ohm", "Impedance (ohm)"),
    ("sensitivity", "Sensitivity (published)"),
    ("sensitivity_measured", "Sensitivity (measured)"),
    ("weight_g", "Weight (g)"),
    ("wireless", "Wireless"),
    ("anc", "ANC"),
    ("mic", "Microphone"),
    ("battery", "Battery"),
    ("signature", "Sound signature"),
    ("preference_score", "Predicted preference"),
    ("platforms", "Platforms"),
)


def _mic(h: Headphone) -> str:
    """The microphone type; "unknown" when no source said (never "none")."""
    return h.mic.type if h.mic else "unknown"


def yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "unknown"}[value]


def headphone_summary(view: CatalogView, h: Headphone) -> dict:
    support = platform_support(h)
    return {
        "id": h.id,
        "brand": h.brand,
        "model": h.model,
        "price_usd": h.price_usd,
        "form_factor": h.form_factor,
        "back": h.back,
        "wireless": h.wireless,
        "anc": h.anc,
        "mic": _mic(h),
        "platforms": [p for p in PLATFORMS if isinstance(support[p], str)],
    }


def price_basis(h) -> str | None:
    """What a headphone's price is and when ("launch price, 2008"): an old launch price reads
    differently from this year's street price."""
    return h.price.basis if h.price else None


def recommend_json(
    view: CatalogView, profile: Profile, top: int = 5
) -> tuple[dict, RecommendResult]:
    result = recommend(view, profile, top)
    recs = []
    for r in result.recommendations:
        h = view.headphones[r.id]
        amp = view.devices[r.amp_id] if r.amp_id else None
        recs.append(
            {
                "rank": r.rank,
                **headphone_summary(view, h),
                "score": r.score,
                "criteria": r.criteria,
                "reasons": r.reasons,
                "warnings": r.warnings,
                "decisive": r.decisive,
                "trade_off": r.trade_off,
                "amp": {
                    "id": amp.id,
                    "brand": amp.brand,
                    "model": amp.model,
                    "price_usd": amp.price_usd,
                }
                if amp
                else None,
                "total_price_usd": r.total_price_usd,
                "price_basis": price_basis(h),
            }
        )
    data = {
        "profile": profile.model_dump(),
        "considered": result.considered,
        "notes": result.notes,
        "used_market": result.used_market,
        "recommendations": recs,
    }
    return data, result


def measured_summary(view: CatalogView, product_id: str) -> dict | None:
    d = view.measured.get(product_id)
    if not d:
        return None
    return next(x for x in d["all"] if x["measurement"] == d["primary"])


def preference_by_rig(view: CatalogView, product_id: str) -> str:
    """Each rig's predicted preference with its rank among that rig's measurements: scores of
    different rigs are not on one scale, so a comparison reads across the same rig."""
    return "; ".join(rig_phrase(r) for r in rig_scores(view.measured.get(product_id))) or "-"


def signature_of(view: CatalogView, h: Headphone) -> dict | None:
    m = measured_summary(view, h.id)
    if m:
        return {"label": m["signature"], "from": f"measurement {m['measurement']} ({m['rig']})"}
    if h.signature:
        return {"label": h.signature.label, "from": h.signature.by}
    return None


def show_json(view: CatalogView, h: Headphone) -> dict:
    """The product record with its provenance, derived platform support and measured features."""
    record = h.model_dump(mode="json")
    record["wireless"] = h.wireless
    # Kept for the --json contract (schema v3 moved them into `price` and `status`).
    record["price_usd"] = h.price_usd
    record["discontinued"] = h.discontinued
    record["platform_support"] = platform_support(h)
    record["signature_resolved"] = signature_of(view, h)
    record["measured"] = view.measured.get(h.id)
    return record


def compare_values(view: CatalogView, h: Headphone) -> dict[str, str]:
    """Display strings for :data:`COMPARE_FIELDS`."""
    sig = signature_of(view, h)
    s, sm, b = h.sensitivity, h.sensitivity_measured, h.battery
    support = platform_support(h)

    def fmt(x) -> str:
        return "-" if x is None else (f"{x:g}" if isinstance(x, float) else str(x))

    return {
        "price_usd": fmt(h.price_usd),
        "price_kind": "-"
        if h.price is None
        else h.price.basis + (f" ({h.price.source})" if h.price.source else ""),
        "year": fmt(h.year),
        "discontinued": "yes" if h.discontinued else "no",
        "status": h.status + (f" (succeeded by {h.successor})" if h.successor else ""),
        "form_factor": h.form_factor,
        "back": h.back,
        "driver": " ".join(
            x for x in (h.driver.type, f"{h.driver.size_mm:g} mm" if h.driver.size_mm else "") if x
        )
        or "-",
        "impedance_ohm": fmt(h.impedance_ohm),
        "sensitivity": f"{s.value:g} {s.unit}" + (f" @ {s.ref_hz:g} Hz" if s.ref_hz else "")
        if s
        else "-",
        "sensitivity_measured": f"{sm.db_spl_per_v:g} dB SPL/V ({sm.by})" if sm else "-",
        "weight_g": fmt(h.weight_g),
        "wireless": yes_no(h.wireless),
        "anc": yes_no(h.anc),
        "mic": "yes, kind not stated" if _mic(h) == "unspecified" else _mic(h),
        "battery": f"{fmt(b.claimed_h)} h claimed"
        + (f", {b.measured_h:g} h measured" if b.measured_h else "")
        if b
        else "-",
        "signature": f"{sig['label']} ({sig['from']})" if sig else "-",
        "preference_score": preference_by_rig(view, h.id),
        "platforms": ", ".join(p for p in PLATFORMS if isinstance(support[p], str)) or "-",
    }


def compare_json(view: CatalogView, items: list[Headphone]) -> dict:
    values = {h.id: compare_values(view, h) for h in items}
    rows = []
    for key, label in COMPARE_FIELDS:
        vals = [values[h.id][key] for h in items]
        rows.append({"field": key, "label": label, "values": vals, "differs": len(set(vals)) > 1})
    return {"products": [headphone_summary(view, h) for h in items], "rows": rows}


def kit_json(view: CatalogView, profile: Profile, max_items: int = 3) -> dict:
    """Rule #3: the best kit, the best single headphone and alternatives, as plain data."""
    if profile.budget_usd is None:
        raise ProfileError("a kit needs a budget: the total for headphones and any amp")
    result = build_kit(view, profile, max_items)

    def kit_dict(k) -> dict:
        return {
            "items": [{"id": i.id, "label": view.label(i.id), "price_usd": i.price_usd, "genres": i.genres, "fit": i.fit, "places": i.places} for i in k.items],
            "amp": None if not k.amp_id else {"id": k.amp_id, "label": view.label(k.amp_id), "price_usd": view.devices[k.amp_id].price_usd},
            "total_price_usd": round(k.total_price_usd, 2), "score": k.score, "coverage": k.coverage,
            "decisive": k.decisive, "trade_off": k.trade_off,
        }  # fmt: skip

    return {
        "profile": profile.model_dump(),
        "best": kit_dict(result.best),
        "best_single": kit_dict(result.single),
        "alternatives": [kit_dict(k) for k in result.alternatives],
    }


def device_json(d) -> dict:
    """A source/amp record, with the v2 keys ``price_usd`` and ``discontinued`` kept."""
    record = d.model_dump(mode="json")
    record["price_usd"], record["discontinued"] = d.price_usd, d.discontinued
    return record
