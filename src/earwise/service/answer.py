"""Answer an understood question with the engine, kit, drive/chain checks and the explainer,
opening with one plain paragraph in the reader's own terms."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from earwise.advice.ask import Understood, apply_answer, missing_for, profile_fields, understand
from earwise.advice.chain import build_chain
from earwise.advice.drive import DriveError, amps_for, device_output, headphone_drive, need_for
from earwise.advice.engine import ASSUMED_SOURCE_ID, NoMatchError, rank_products
from earwise.advice.profile import ProfileError, build_profile
from earwise.advice.spec_explain import explain_sheet, sheet_from_headphone
from earwise.advice.vocab import uses
from earwise.catalog.view import CatalogView
from earwise.service.views import compare_json, kit_json, recommend_json

OUT_OF_SCOPE = (
    "earwise cannot diagnose faults. General guidance: swap left and right at each point of the chain "
    "(source cables, amp channels, headphone cable) and see whether the problem follows a component; "
    "the part it follows is the faulty one."
)
GENRE_MIN_SHARE_FOR_KIT = 0.2


def _list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def opening(u: Understood, view: CatalogView, fields: dict) -> str:
    bits = []
    if u.genres:
        bits.append(
            "you listen to "
            + _list([f"{g} ({s:.0%})" for g, s in sorted(u.genres.items(), key=lambda x: -x[1])])
        )
    if u.uses:
        labels = uses()
        bits.append(
            "you will use them " + _list([labels[x].label if x in labels else x for x in u.uses])
        )
    if u.platforms:
        bits.append("they must work with " + _list(u.platforms))
    if u.budget_usd:
        rng = (
            f"${u.budget_min_usd:,.0f}-${u.budget_usd:,.0f}"
            if u.budget_min_usd
            else f"about ${u.budget_usd:,.0f}"
        )
        conv = (
            f" ({u.budget_original})" if u.budget_original and "$" not in u.budget_original else ""
        )
        bits.append(
            f"your budget is {rng}{conv}"
            + (" including an amp/DAC" if fields.get("budget_includes_amp") else "")
        )
    owned = [view.label(p["id"]) for p in u.products if p["role"] == "owned"]
    if owned:
        bits.append("you own the " + _list(owned))
    wants = {"no_leak": "must not leak", "long_sessions": "must be comfortable for long sessions", "head_small": "must fit a small head",
             "back_open": "should be open-back", "bass_less": "should not overdo the bass", "tonality_neutral": "should sound neutral"}  # fmt: skip
    wish = [w for k, w in wants.items() if k in u.flags]
    if wish:
        bits.append("they " + _list(wish))
    text = ("From what you wrote: " + "; ".join(bits) + ".") if bits else ""
    return text


def _heads(u: Understood) -> list[str]:
    return [p["id"] for p in u.products if p["kind"] == "headphone"]


def _source_id(u: Understood) -> str | None:
    return next((p["id"] for p in u.products if p["role"] in ("source", "amp")), None) or (
        u.sources[0] if u.sources else None
    )


def answer(u: Understood, view: CatalogView) -> dict:
    fields = profile_fields(u, view)
    lead = opening(u, view, fields)
    notes = []
    if u.intent == "out_of_scope":
        return {
            "kind": "out_of_scope",
            "opening": "That is a fault to diagnose, not a choice to make.",
            "guidance": OUT_OF_SCOPE,
        }
    if u.intent == "none":
        return {"kind": "none", "opening": ("I did not find a question there. " + lead).strip()}
    lead = lead or {
        "drive": "Whether your source drives it, in numbers:",
        "explain_spec": "What those figures mean:",
        "amps": "The amplifiers that would drive it:",
        "chain": "Your signal chain, link by link:",
        "product_info": "What the catalog knows about it:",
        "genre_fit": "How it suits that music:",
        "compare": "Comparing them:",
        "compare_sources": "Comparing them:",
    }.get(u.intent, "Here is what fits best:")
    try:
        profile = build_profile(**{k: v for k, v in fields.items() if v not in (None, [], {})})
    except ProfileError as exc:
        profile, notes = build_profile(), [f"ignored part of the profile: {exc}"]
    heads = _heads(u)
    if u.intent == "recommend":
        try:
            data, _ = recommend_json(view, profile, 5)
        except NoMatchError as exc:
            return {"kind": "recommend", "opening": lead, "problem": str(exc)}
        out = {
            "kind": "recommend",
            "opening": lead + " Here is what fits best, with the reasons.",
            "recommendations": data["recommendations"],
            "notes": data["notes"] + notes,
        }
        big = [g for g, s in profile.genre_shares.items() if s >= GENRE_MIN_SHARE_FOR_KIT]
        if profile.budget_usd and len(big) >= 2:
            with contextlib.suppress(NoMatchError, ProfileError):
                out["kit"] = kit_json(view, profile)
        considered = [h for h in heads if h not in profile.owned]
        if len(considered) >= 2:
            out["comparison"] = _compare(view, profile, considered)
        return out
    if u.intent == "compare":
        return {
            "kind": "compare",
            "opening": lead + " Comparing what you named for your music:",
            **_compare(view, profile, [h for h in heads if h not in profile.owned] or heads),
        }
    if u.intent == "genre_fit":
        ranked = rank_products(view, profile, heads[:3])
        return {"kind": "genre_fit", "opening": lead, "products": [r.__dict__ for r in ranked]}
    if u.intent == "explain":
        h = view.headphones[heads[0]]
        return {
            "kind": "explain",
            "opening": lead,
            "explain": explain_sheet(sheet_from_headphone(h), f"{h.brand} {h.model}"),
        }
    if u.intent == "amps":
        h = view.headphones[heads[0]]
        try:
            return {
                "kind": "amps",
                "opening": lead,
                "amps": amps_for(
                    h,
                    list(view.devices.values()),
                    need_for(profile.level, list(profile.genres)),
                    profile.budget_usd,
                ),
            }
        except DriveError as exc:
            return {"kind": "amps", "opening": lead, "problem": str(exc)}
    if u.intent == "chain":
        src = _source_id(u)
        amp = next((p["id"] for p in u.products if p["role"] == "amp"), None)
        source = view.devices.get(src) if src and src != amp else view.devices[ASSUMED_SOURCE_ID]
        if not heads:
            return {"kind": "chain", "opening": lead, "problem": "which headphone?"}
        chain = build_chain(source, view.headphones[heads[0]], need_for(profile.level, list(profile.genres)),
                            amp=view.devices.get(amp) if amp else None, devices=list(view.devices.values()))  # fmt: skip
        out = {"kind": "chain", "opening": lead, "chain": chain}
        if not (src and src != amp):
            out["assumed"] = f"no source named: assumed a phone ({source.brand} {source.model})"
        return out
    if u.intent == "explain_spec":
        from earwise.advice.specs import SpecError, parse_spec_sheet

        try:
            return {
                "kind": "explain_spec",
                "opening": lead,
                "explain": explain_sheet(parse_spec_sheet(u.text)),
            }
        except SpecError as exc:
            return {"kind": "explain_spec", "opening": lead, "problem": str(exc)}
    if u.intent == "drive":
        if not heads:
            return {"kind": "drive", "opening": lead, "problem": "which headphone?"}
        d = view.devices[_source_id(u) or ASSUMED_SOURCE_ID]
        lim, out_name = device_output(d)
        need = need_for(profile.level, list(profile.genres))
        try:
            rep = headphone_drive(
                view.headphones[heads[0]], lim, f"the {d.brand} {d.model} ({out_name})", need
            )
        except DriveError as exc:
            rep = {"verdict": str(exc)}
        fit = rank_products(view, profile, heads[:1]) if u.genres else []
        out = {"kind": "drive", "opening": lead, "drive": rep, "fit": [r.__dict__ for r in fit]}
        if rep.get("headroom_db") is None or rep["headroom_db"] < 3:
            # not enough headroom, or the source's output is unknown: which amps would do
            with contextlib.suppress(DriveError):
                out["amps"] = amps_for(view.headphones[heads[0]], list(view.devices.values()), need)
        return out
    if u.intent == "compare_sources":
        devices = [view.devices[p["id"]] for p in u.products if p["kind"] == "source"][:4]
        rows = []
        for d in devices:
            lim, out_name = device_output(d)
            rows.append({"id": d.id, "label": f"{d.brand} {d.model}", "category": d.category, "output": out_name,
                         "max_vrms_open": None if lim is None else round(lim.v_open_vrms, 2),
                         "zout_ohm": None if lim is None else lim.zout_ohm, "price_usd": d.price_usd})  # fmt: skip
        heads_owned = [h for h in heads]
        drives = []
        for h in heads_owned[:1]:
            for d in devices:
                lim, out_name = device_output(d)
                try:
                    drives.append(
                        headphone_drive(
                            view.headphones[h],
                            lim,
                            f"the {d.brand} {d.model}",
                            need_for(profile.level, list(profile.genres)),
                        )
                    )
                except DriveError as exc:
                    drives.append({"verdict": str(exc)})
        return {
            "kind": "compare_sources",
            "opening": lead + " Comparing the sources and amps you named:",
            "sources": rows,
            "drives": drives,
        }
    if u.intent == "product_info":
        ranked = rank_products(view, profile, heads[:2])
        return {
            "kind": "product_info",
            "opening": lead,
            "products": [r.__dict__ for r in ranked],
            "specs": compare_json(view, [view.headphones[h] for h in heads[:2]]),
        }
    return {"kind": u.intent, "opening": lead}


def _compare(view: CatalogView, profile, ids: list[str]) -> dict:
    ranked = rank_products(view, profile, ids[:4])
    return {
        "ranking": [r.__dict__ for r in ranked],
        "specs": compare_json(view, [view.headphones[i] for i in ids[:4]])
        if len(ids) >= 2
        else None,
    }


def ask(text: str, view: CatalogView, prompt: Callable[[str], str] | None = None) -> dict:
    """Understand, ask back (through ``prompt`` when given) or state assumptions, then answer."""
    u = understand(text, view)
    missing = missing_for(u)
    assumptions = []
    if prompt is not None:
        for m in list(missing):
            reply = prompt(m["question"])
            if reply and reply.strip():
                apply_answer(u, m["field"], reply, view)
        missing = missing_for(u)
    for m in missing:
        assumptions.append({"budget": "no budget given: ranking across all prices",
                            "source": "no source given: assuming a phone",
                            "headphone": "no headphone named"}[m["field"]])  # fmt: skip
    return {
        "understood": {
            "intent": u.intent,
            "profile": profile_fields(u, view) | {"budget_original": u.budget_original},
            "products": u.products,
            "facts": [
                {"field": f.field, "value": f.value, "span": f.span, "start": f.start, "end": f.end}
                for f in u.facts
            ],
        },
        "missing": missing,
        "assumptions": assumptions,
        "answer": answer(u, view),
    }
