"""Answers to "like X but ..." questions: the on-sale products whose measured sound is closest
to X (moved as asked: more or less bass or treble), with the changes asked for."""

from __future__ import annotations

import math

from earwise.advice.ask import Understood, similar_modifiers
from earwise.advice.engine import NoMatchError
from earwise.advice.evidence import evidence
from earwise.advice.profile import ProfileError
from earwise.advice.weights import load_weights
from earwise.catalog.view import CatalogView
from earwise.service.answer_facts import only_one_of
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

    one = only_one_of(u, view, keep=view.measured.get) if not heads else None
    if one is not None:  # "a cheaper dupe for the AirPods Max": the one version measured
        heads, lead = (
            [one[0]],
            (lead + " " if lead else "")
            + (
                f"Of the models '{one[1]}' could be, only the {view.label(one[0])} has a measured "
                "response, so I compared with it."
            ),
        )
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
    forms, backs, kept = kept_like_the_reference(ref, wants, profile)
    said = wants  # what was asked, for the opening; the filters also keep the reference's link
    if "wireless" not in wants and ref.wireless is not None:
        wants = {**wants, "wireless": ref.wireless}
        kept.append(f"{'wireless' if ref.wireless else 'wired'} like it")
    if "anc" not in wants and ref.anc is True:
        wants = {**wants, "anc": True}
        kept.append("noise cancelling like it")
    if limit is None and ref.price_usd:  # "sounds like my M50x": not a $6,000 flagship
        limit = ref.price_usd * load_weights().value("similar.max_price_ratio")
        kept.append(f"prices up to twice its own (${limit:,.0f}; give a budget to change that)")
    try:
        # wide enough that the changes asked for (wireless, a budget) still leave a few to show
        found = similar_json(view, ref.id, 400 if said or limit else 60, {}, tonal_shift_db(wants))[
            "similar"
        ]
    except (MeasuredError, KeyError):
        note = (f"The catalog has no measurement of the {ref.display_name}, so it cannot say what "
                "sounds like it")  # fmt: skip
        return _similar_without_measurement(
            view, profile, ref, wants, limit, lead, forms, note, kept
        )
    on_sale = set(view.on_sale_ids)
    rows, unpriced = [], []
    for s in found:
        pid = s.get("product_id")
        if not pid or pid == ref.id or pid not in on_sale or any(r["id"] == pid for r in rows):
            continue
        h = view.headphones[pid]
        if h.form_factor not in forms or (backs is not None and h.back not in backs):
            continue
        if "wireless" in wants and h.wireless is not wants["wireless"]:
            continue
        if wants.get("anc") and h.anc is not True:
            continue
        if h.price_usd is None and len(unpriced) < 3:  # named apart: the reader can price it
            unpriced.append({"id": pid, "label": view.label(pid), "distance_db": s["distance_db"]})
        if h.price_usd is None or (limit is not None and h.price_usd > limit):
            continue  # as in recommendations: a pick nobody can price is not offered
        rows.append({"id": pid, "label": view.label(pid), "distance_db": s["distance_db"],
                     "price_usd": h.price_usd})  # fmt: skip
        if len(rows) == SHOWN:
            break
    if not rows and ref.form_factor not in forms:  # "IEMs that sound like the HD 800 S"
        rows = alike_across_rigs(view, ref, forms, backs, wants, limit)
        kinds = " and ".join(sorted(forms))
        if not rows:
            note = (f"{kinds} headphones are measured on other rigs than the {ref.form_factor} "
                    f"{ref.display_name}, and it has no band-by-band measurement to compare")  # fmt: skip
            return _similar_without_measurement(
                view, profile, ref, wants, limit, lead, forms, note, kept
            )
        return {"kind": "similar", "similar": rows, "opening": (lead + " " if lead else "") + (
            f"{kinds.capitalize()} headphones are measured on other rigs than the "
            f"{ref.form_factor} {ref.display_name}, so these are compared by their shape: how far "
            "each one's seven bands (sub-bass to air) sit from its own rig's target, against the "
            f"{ref.display_name}'s; the root-mean-square difference in dB, smaller is closer."
            + (f" Kept to {'; '.join(kept)}." if kept else ""))}  # fmt: skip
    asked = ", ".join(k if isinstance(v, bool) else f"{v} {k}" if k in ("bass", "treble") else f"{k} {v}"
                      for k, v in said.items())  # fmt: skip
    return {
        "kind": "similar",
        "opening": (lead + " " if lead else "")
        + f"Closest in measured sound to the {ref.display_name}"
        + (f" ({asked})" if asked else "")
        + ": the average difference in dB across the range, smaller is closer."
        + (f" Kept to {'; '.join(kept)}." if kept else "")
        + _none_priced_sentence(rows, len(found), limit)
        + _unpriced_sentence(unpriced, rows),
        "similar": rows,
        "unpriced": unpriced,
        **(
            {}
            if rows or unpriced
            else {"problem": "nothing on sale meets those changes and sounds close"}
        ),
    }


SHOWN = 5  # sound-alikes listed: what a short answer holds


def _none_priced_sentence(rows: list[dict], searched: int, limit: float | None) -> str:
    """Said outright when no sound-alike can be listed: none with a price on record (within the
    budget) is among the closest measured ones that keep what was asked."""
    if rows:
        return ""
    within = f" up to ${limit:,.0f}" if limit is not None else ""
    return (f" Of the {searched} closest measured, none on sale that keeps those has a price on "
            f"record{within}.")  # fmt: skip


def _unpriced_sentence(unpriced: list[dict], rows: list[dict]) -> str:
    """The close ones left out for want of a price, closer than the last shown (or all when
    fewer than five are shown), named so the reader can price them."""
    far = rows[-1]["distance_db"] if len(rows) == SHOWN else float("inf")
    close = [u for u in unpriced if u["distance_db"] <= far]
    if not close:
        return ""
    names = ", ".join(f"{u['label']} ({u['distance_db']:.1f} dB)" for u in close)
    return f" Also close, with no price on record (check its price against your budget): {names}."


# forms that stand in for each other: on the head, or in the ear
_FORM_GROUPS = ({"over-ear", "on-ear"}, {"in-ear", "earbud"})


def kept_like_the_reference(ref, wants: dict, profile) -> tuple[set[str], set[str] | None, list]:
    """The forms and backs a sound-alike keeps unless the question asks otherwise, and what was
    kept, in words: the forms asked for, else the reference's (over- and on-ears stand in for
    each other, as in-ears and earbuds do); the back asked for (closed when it must not leak),
    else the reference's when the form is its own. "Like my HD 600" is not answered with IEMs,
    nor "like my M50x" with open backs."""
    asked_forms = set(profile.forms)
    forms = asked_forms or next((g for g in _FORM_GROUPS if ref.form_factor in g), set())
    back = wants.get("back") or ("closed" if profile.no_leak else None)
    kept = []
    if not asked_forms:
        kept.append(
            f"{ref.form_factor} and {' and '.join(sorted(forms - {ref.form_factor}))} headphones like it"
        )
    if (
        back is None
        and ref.form_factor in forms
        and ref.back
        and ref.form_factor in ("over-ear", "on-ear")
    ):
        back = ref.back
        kept.append(f"{ref.back} backs like it (say 'open' or 'closed' to change that)")
    backs = (
        None if back is None else {"open", "semi-open"} if back in ("open", "semi-open") else {back}
    )
    return forms, backs, kept


def alike_across_rigs(view, ref, forms: set[str], backs, wants: dict, limit) -> list[dict]:
    """Sound-alikes of another form, measured on another rig: each rig's measurement is scored
    only against its own target (advice.evidence), so what compares across rigs is the shape of
    the deviation, band by band. The on-sale, priced products of ``forms`` closest in that shape
    (root-mean-square over the seven bands), with the changes asked for."""
    ref_bands = evidence(view.measured.get(ref.id)).bands_db
    if not ref_bands or any(b is None for b in ref_bands):
        return []
    scored = []
    for pid in view.on_sale_ids:
        h = view.headphones.get(pid)
        if h is None or h.form_factor not in forms or h.price_usd is None:
            continue
        if (backs is not None and h.back not in backs) or (
            limit is not None and h.price_usd > limit
        ):
            continue
        if ("wireless" in wants and h.wireless is not wants["wireless"]) or (
            wants.get("anc") and h.anc is not True
        ):
            continue
        bands = evidence(view.measured.get(pid)).bands_db
        if bands and all(b is not None for b in bands):
            rms = math.sqrt(
                sum((a - b) ** 2 for a, b in zip(bands, ref_bands, strict=True)) / len(bands)
            )
            scored.append((rms, pid, h))
    scored.sort(key=lambda x: x[0])
    return [{"id": pid, "label": view.label(pid), "distance_db": round(rms, 1), "price_usd": h.price_usd}
            for rms, pid, h in scored[:5]]  # fmt: skip


def _similar_without_measurement(
    view,
    profile,
    ref,
    wants: dict,
    limit,
    lead: str,
    forms: set[str],
    why: str,
    kept: list | None = None,
) -> dict:
    """No measured likeness (no measurement of the reference, or only on another rig than the
    forms asked for): the best products of those forms with the changes asked for, said plainly
    to be matches for the changes, not sound-alikes."""
    update = {"forms": sorted(forms), "owned": [*profile.owned, ref.id]}
    if "back" in wants:
        update["back"] = wants["back"]
    if "wireless" in wants:
        update["wireless"] = wants["wireless"]
    if wants.get("anc"):
        update["anc"] = True
    if limit is not None:
        update["budget_usd"] = limit
    note = f"{why}; these are the best {' and '.join(sorted(forms))} headphones with the changes you asked for."
    note += f" Kept to {'; '.join(kept)}." if kept else ""  # the reference's kind and link
    try:
        data, _ = recommend_json(view, profile.model_copy(update=update), 5)
    except (NoMatchError, ProfileError) as exc:
        return {"kind": "similar", "opening": lead, "problem": f"{note} {exc}"}
    rows = [{"id": r["id"], "label": f"{r['brand']} {r['model']}", "distance_db": None,
             "price_usd": r["total_price_usd"]} for r in data["recommendations"]]  # fmt: skip
    return {"kind": "similar", "opening": (lead + " " if lead else "") + note, "similar": rows}
