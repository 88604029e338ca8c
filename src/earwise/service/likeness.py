"""Answers to "like X but ..." questions: the on-sale products whose measured sound is closest
to X (moved as asked: more or less bass or treble), with the changes asked for."""

from __future__ import annotations

from earwise.advice.ask import Understood, similar_modifiers
from earwise.advice.engine import NoMatchError
from earwise.advice.profile import ProfileError
from earwise.advice.weights import load_weights
from earwise.catalog.view import CatalogView
from earwise.service.views import recommend_json


def tonal_shift_db(wants: dict) -> tuple[float, float]:
    """(bass, treble) dB for "more/less bass/treble" asked of a likeness: the listener-segment
    steps the advice model uses (weights.yaml: leaning.more_bass_db, leaning.less_bass_db, and
    the 2 dB treble step of leaning.bright_shift_db)."""
    w = load_weights()
    treble_step = w.value("leaning.bright_shift_db")[1]
    bass = {"more": w.value("leaning.more_bass_db"), "less": w.value("leaning.less_bass_db")}
    return (bass.get(wants.get("bass"), 0.0),
            {"more": treble_step, "less": -treble_step}.get(wants.get("treble"), 0.0))  # fmt: skip


def similar_answer(u: Understood, view: CatalogView, profile, heads: list[str], lead: str) -> dict:
    """'Like X but closed (cheaper, wireless...)': the on-sale products whose measured sound is
    closest to X on the same rig family, that meet the changes asked for and the profile."""
    from earwise.service.measured import MeasuredError, similar_json

    if not heads:
        problem = (
            f"the {u.unknown[0]['name']} is not in the catalog, so I cannot say what sounds like "
            "it: name a catalog headphone that sounds like it, or ask for picks with the sound "
            "you want"
            if u.unknown
            else "which headphone is the reference?"
        )
        return {"kind": "similar", "opening": lead, "problem": problem}
    ref = view.headphones[heads[0]]
    wants = similar_modifiers(u)
    limit = profile.budget_usd
    if wants.get("cheaper") and ref.price_usd:
        limit = min(limit or ref.price_usd, ref.price_usd * 0.999)
    try:
        # wide enough that the changes asked for (wireless, a budget) still leave a few to show
        found = similar_json(
            view, ref.id, 400 if wants or limit else 60, {}, tonal_shift_db(wants)
        )["similar"]
    except (MeasuredError, KeyError):
        return _similar_without_measurement(view, profile, ref, wants, limit, lead)
    on_sale = set(view.on_sale_ids)
    rows = []
    for s in found:
        pid = s.get("product_id")
        if not pid or pid == ref.id or pid not in on_sale or any(r["id"] == pid for r in rows):
            continue
        h = view.headphones[pid]
        if "back" in wants and h.back != wants["back"]:
            continue
        if "wireless" in wants and h.wireless is not wants["wireless"]:
            continue
        if wants.get("anc") and h.anc is not True:
            continue
        if h.price_usd is None or (limit is not None and h.price_usd > limit):
            continue  # as in recommendations: a pick nobody can price is not offered
        rows.append({"id": pid, "label": view.label(pid), "distance_db": s["distance_db"],
                     "price_usd": h.price_usd})  # fmt: skip
        if len(rows) == 5:
            break
    asked = ", ".join(k if isinstance(v, bool) else f"{v} {k}" if k in ("bass", "treble") else f"{k} {v}"
                      for k, v in wants.items())  # fmt: skip
    return {
        "kind": "similar",
        "opening": (lead + " " if lead else "")
        + f"Closest in measured sound to the {ref.display_name}"
        + (f" ({asked})" if asked else "")
        + ": the average difference in dB across the range, smaller is closer.",
        "similar": rows,
        **({} if rows else {"problem": "nothing on sale meets those changes and sounds close"}),
    }


def _similar_without_measurement(view, profile, ref, wants: dict, limit, lead: str) -> dict:
    """No measurement of the reference: the best products of its form with the changes asked
    for, said plainly to be matches for the changes, not sound-alikes."""
    update = {"forms": [ref.form_factor], "owned": [*profile.owned, ref.id]}
    if "back" in wants:
        update["back"] = wants["back"]
    if "wireless" in wants:
        update["wireless"] = wants["wireless"]
    if wants.get("anc"):
        update["anc"] = True
    if limit is not None:
        update["budget_usd"] = limit
    note = (
        f"The catalog has no measurement of the {ref.display_name}, so it cannot say what "
        f"sounds like it; these are the best {ref.form_factor} headphones with the changes you asked "
        "for."
    )
    try:
        data, _ = recommend_json(view, profile.model_copy(update=update), 5)
    except (NoMatchError, ProfileError) as exc:
        return {"kind": "similar", "opening": lead, "problem": f"{note} {exc}"}
    rows = [{"id": r["id"], "label": f"{r['brand']} {r['model']}", "distance_db": None,
             "price_usd": r["total_price_usd"]} for r in data["recommendations"]]  # fmt: skip
    return {"kind": "similar", "opening": (lead + " " if lead else "") + note, "similar": rows}
