"""Answer an understood question with the engine, kit, drive/chain checks and the explainer,
opening with one plain paragraph in the reader's own terms."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable

from earwise.advice.ask import (
    Understood,
    apply_answer,
    missing_for,
    profile_fields,
    understand,
)
from earwise.advice.ask_intent import asked_sentences
from earwise.advice.ask_model import read_as_json
from earwise.advice.ask_reference import unbudgeted_cap_note
from earwise.advice.ask_text import vocab
from earwise.advice.chain import build_chain
from earwise.advice.connections import connection_guide
from earwise.advice.drive import (
    DriveError,
    adhoc_source,
    amps_for,
    device_output,
    drive_report,
    driver_class_drive,
    headphone_drive,
    impedance_class_drive,
    need_for,
)
from earwise.advice.engine import (
    ASSUMED_SOURCE_ID,
    NoMatchError,
    assumed_source_limits,
    rank_products,
)
from earwise.advice.kind_fit import kind_for_uses
from earwise.advice.profile import ProfileError, build_profile_leniently
from earwise.advice.spec_explain import explain_sheet, sheet_from_headphone
from earwise.advice.vocab import uses
from earwise.catalog.view import CatalogView
from earwise.service.answer_facts import (
    compare_verdict,
    family_answer,
    is_a_phone,
    maker_answers,
    only_one_of,
    product_info,
    sources_answer,
    unknown_source_name,
    unknown_source_notes,
    wireless_on_a_platform,
)
from earwise.service.likeness import similar_answer
from earwise.service.opening import opening
from earwise.service.views import compare_json, kit_json, recommend_json

OUT_OF_SCOPE = (
    "earwise cannot diagnose faults. General guidance: change one part of the chain at a time "
    "(swap left and right at the source cables, amp channels and headphone cable; for a wireless "
    "headphone, forget the pairing and pair again, or try another device) and see whether the "
    "problem follows a component; the part it follows is the faulty one."
)
# What earwise says when a question is not one it answers, by why (Understood.scope_reason).
SCOPE_ANSWERS = {
    "fault": ("That is a fault to diagnose, not a choice to make.", OUT_OF_SCOPE),
    "music": ("earwise chooses headphones, not music to play on them.",
              "Ask it which headphones suit the music you like, or what a term means."),
    "care": ("That is about looking after, buying from a shop or setting up software, not about "
             "choosing or pairing headphones.",
             "earwise recommends headphones, checks whether a source drives them, how to connect "
             "them, and explains specifications."),
    "diy": ("That is electronics design, which earwise does not do.",
            "It can say what a headphone needs from an amplifier: volts, milliwatts and output "
            "impedance (ask 'will X drive Y?')."),
    "other_gear": ("earwise advises on headphones and the sources and amplifiers that drive them, "
                   "not on speakers, receivers or other gear.",
                   "Ask about headphones for that room or use instead."),
    "other": ("That is not a question about choosing, driving or connecting headphones.",
              "earwise recommends headphones, compares them, checks drive and connections, and "
              "explains specifications."),
}  # fmt: skip
GENRE_MIN_SHARE_FOR_KIT = 0.2


def _heads(u: Understood) -> list[str]:
    return [p["id"] for p in u.products if p["kind"] == "headphone"]


def _source_id(u: Understood) -> str | None:
    """The catalog source the reader plugs into: one named, one said by its kind, or a source
    name with a single model it could be (taken as that one, and said so in the assumptions)."""
    only = [a["candidates"][0] for a in u.ambiguous
            if a["kind"] == "source" and len(a["candidates"]) == 1]  # fmt: skip
    return (
        next((p["id"] for p in u.products if p["role"] in ("source", "amp")), None)
        or (u.sources[0] if u.sources else None)
        or (only[0] if len(only) == 1 else None)
    )


def answer(u: Understood, view: CatalogView, fields: dict) -> dict:
    """The answer to what was understood; ``fields`` are its profile (:func:`profile_fields`)."""
    lead = opening(u, view, fields)
    notes = []
    if u.intent == "out_of_scope":
        reason = u.scope_reason or "other"
        said, guidance = SCOPE_ANSWERS[reason]
        return {"kind": "out_of_scope", "reason": reason, "opening": said, "guidance": guidance}
    if u.intent == "none":
        return {"kind": "none", "opening": ("I did not find a question there. " + lead).strip()}
    understood = lead
    lead = lead or {
        "drive": "Whether your source drives it, in numbers:",
        "explain_spec": "What that means:",
        "amps": "The amplifiers that would drive it:",
        "chain": "Your signal chain, link by link:",
        "product_info": "What the catalog knows about it:",
        "genre_fit": "How it suits that music:",
        "compare": "Comparing them:",
        "compare_sources": "Comparing them:",
        "similar": "",  # its answer opens with what it compared with
    }.get(u.intent, "Here is what fits best:")
    profile, notes = build_profile_leniently(
        **{k: v for k, v in fields.items() if v not in (None, [], {})}
    )
    heads = _heads(u)
    if not heads and u.intent in ("drive", "amps", "chain") and (one := only_one_of(u, view)):
        heads = [one[0]]  # "the Hifiman Ananda": the one model of that name in the catalog
        lead = (f"{lead} For the numbers I took the {view.label(one[0])}, the only model it could "
                "be in the catalog: say if you mean another.").strip()  # fmt: skip
    if u.intent == "recommend":
        try:
            data, _ = recommend_json(view, profile, 5)
        except NoMatchError as exc:
            return {"kind": "recommend", "opening": lead, "problem": str(exc)}
        out = {
            "kind": "recommend",
            "opening": (understood + " " if understood else "")
            + "Here is what fits best, with the reasons.",
            "recommendations": data["recommendations"],
            "notes": [n for f, n in vocab()["lacked_kinds"].items() if f in u.flags]
            + data["notes"]
            + notes,
        }
        if data.get("used_market"):
            out["used_market"] = data["used_market"]
        big = [g for g, s in profile.genre_shares.items() if s >= GENRE_MIN_SHARE_FOR_KIT]
        if profile.budget_usd and len(big) >= 2:
            with contextlib.suppress(NoMatchError, ProfileError):
                out["kit"] = kit_json(view, profile)
        considered = [h for h in heads if h not in profile.owned]
        if len(considered) >= 2:
            out["comparison"] = _compare(view, profile, considered)
        return out
    if u.intent == "compare":
        weighed = [h for h in heads if h not in profile.owned]
        if len(weighed) == 1:  # "upgrade from my X to the Y": Y against what you own
            weighed = weighed + [h for h in heads if h in profile.owned]
        said, lacking = "Comparing what you named for your music:", []
        open_names = [a for a in u.ambiguous if a["kind"] == "headphone"]
        maybe = [
            c
            for a in open_names
            for c in a["candidates"]
            if c in view.headphones and c not in weighed  # (a name may start a source's too)
        ]
        forms = {view.headphones[h].form_factor for h in weighed}
        same_kind = [c for c in maybe if view.headphones[c].form_factor in forms]
        if same_kind:  # "Momentum 4 vs XM5", "XM5 vs QC Ultra": the one of the named one's kind
            maybe = same_kind
        if open_names and 2 <= len(weighed) + len(maybe) <= COMPARE_MAX:  # each it could be
            weighed = weighed + maybe
            said = (
                "Comparing what you named for your music, with each model "
                + " and ".join(f"'{a['name']}'" for a in open_names)
                + " could be"
                + (" of the kind of the other one named:" if same_kind else ":")
            )
        if len(weighed) < 2 and len(profile.brands) >= 2:  # "Sony or Bose?": each maker's best
            weighed, lacking = best_by_brand(view, profile)
            said = "The best fit from each maker for what you asked, compared:"
        out = {
            "kind": "compare",
            "opening": (understood + " " if understood else "") + said,
            **_compare(view, profile, weighed or heads),
        }
        if lacking:
            out["notes"] = [
                f"Nothing by {b} that is on sale with a known price meets these needs."
                for b in lacking
            ]
        return out
    if u.intent == "genre_fit":
        ranked = rank_products(view, profile, heads[:3])
        return {"kind": "genre_fit", "opening": lead, "products": [r.__dict__ for r in ranked]}
    if u.intent == "explain" and heads:
        h = view.headphones[heads[0]]
        return {
            "kind": "explain",
            "opening": lead,
            "explain": explain_sheet(sheet_from_headphone(h), h.display_name),
        }
    if u.intent == "amps":
        if not heads:  # gear the catalog lacks ("a 600 ohm DT 880"): no figures to size an amp for
            return {"kind": "amps", "opening": lead, "problem": "which headphone? (give its "
                    "sensitivity and impedance, e.g. '96 dB/mW, 600 ohm', to size an amp for it)"}  # fmt: skip
        h = view.headphones[heads[0]]
        devices = list(view.devices.values())
        if "android" in profile.platforms:  # a USB-C phone: a Lightning-only adapter cannot plug in
            devices = [d for d in devices if set(d.inputs) != {"lightning"}]
        try:
            return {
                "kind": "amps",
                "opening": lead,
                "amps": amps_for(
                    h,
                    devices,
                    need_for(profile.level, list(profile.genres)),
                    profile.budget_usd,
                ),
            }
        except DriveError as exc:
            return {"kind": "amps", "opening": lead, "problem": str(exc)}
    if u.intent in ("chain", "product_info") and not heads:
        family = family_answer(u, view, profile, lead)  # "my AirPods with an Xbox?"
        if family and u.intent == "chain" and (guide := connection_guide(u.text, u.platforms)):
            family["connections"] = guide  # and how such headphones connect there, the way round
        if family:
            return family
    if u.intent == "chain" and wireless_on_a_platform(u, view, profile, heads, _source_id(u)):
        return product_info(u, view, profile, heads, lead, {"platforms"})
    if u.intent == "chain":
        src = _source_id(u)
        amp = next((p["id"] for p in u.products if p["role"] == "amp"), None)
        source = view.devices.get(src) if src and src != amp else view.devices[ASSUMED_SOURCE_ID]
        guide = connection_guide(u.text, u.platforms)
        if not heads:  # no model to compute a chain for: how each kind connects to the source
            found = {"connections": guide} if guide else {"problem": "which headphone?"}
            return {"kind": "chain", "opening": lead, **found}
        chain = build_chain(source, view.headphones[heads[0]], need_for(profile.level, list(profile.genres)),
                            amp=view.devices.get(amp) if amp else None, devices=list(view.devices.values()))  # fmt: skip
        out = {"kind": "chain", "opening": lead, "chain": chain, "connections": guide}
        if not (src and src != amp):
            out["assumed"] = f"no source named: assumed a phone ({source.display_name})"
        return out
    if u.intent == "explain_spec":
        from earwise.advice.specs import SpecError, parse_spec_sheet
        from earwise.advice.terms import terms_in

        out = {
            "kind": "explain_spec",
            "opening": lead,
            "terms": terms_in(u.text, asked=" ".join(asked_sentences(u.text))),
        }
        try:
            sheet = parse_spec_sheet(u.text)
            if sheet.impedance_ohm is not None or sheet.sensitivity_db is not None:
                out["explain"] = explain_sheet(sheet)
        except SpecError as exc:
            if not out["terms"]:
                out["problem"] = str(exc)
        said = {f: w for f, w in (("bluetooth", "bluetooth"), ("back_open", "open"),
                                  ("back_closed", "closed")) if re.search(rf"\b{w}\b", u.text, re.I)}  # fmt: skip
        kinds = u.flags | set(said)  # "open or closed back?": both
        if lines := kind_for_uses(kinds, [uses()[x] for x in u.uses if x in uses()]):
            out["for_use"] = lines  # "Are open backs good for the office?": the model's numbers
        if u.makers and not (u.products or u.unknown or u.ambiguous):  # "Is Skullcandy good?"
            out["makers"] = maker_answers(u, view)
            if not out["terms"] and lead == "What that means:":
                out["opening"] = "What the catalog holds by that maker:"
        if not out["terms"] and not ({"explain", "makers", "for_use"} & set(out)):
            out["problem"] = "I did not find a term or a figure I can explain in that question"
        return out
    if u.intent == "drive":
        adhoc_h = u.adhoc_headphone if u.adhoc_headphone and u.adhoc_headphone.complete() else None
        by_impedance = (
            u.adhoc_headphone.impedance_ohm
            if not heads and adhoc_h is None and u.adhoc_headphone
            else None
        )
        by_driver = fields.get("driver") if not heads and adhoc_h is None else None
        if not heads and adhoc_h is None and by_impedance is None and by_driver is None:
            return {"kind": "drive", "opening": lead, "problem": "which headphone?"}
        need = need_for(profile.level, list(profile.genres))
        if u.adhoc_source is not None and not _source_id(u):
            s_ad = u.adhoc_source
            lim = adhoc_source(s_ad.vrms, s_ad.zout_ohm or 0.0)
            src_label = s_ad.label()
        elif _source_id(u) not in (None, ASSUMED_SOURCE_ID):
            d = view.devices[_source_id(u)]
            lim, out_name = device_output(d)
            src_label = f"the {d.display_name} ({out_name})"
        else:  # the phone every answer assumes (with its figures, or 1 Vrms): named or not
            lim = assumed_source_limits(view, yours=_source_id(u) == ASSUMED_SOURCE_ID)
            src_label = lim.name
        try:
            if by_impedance is not None:  # "a 250 ohm headphone": over the catalog's of that class
                rep = impedance_class_drive(
                    view.headphones.values(), by_impedance, lim, src_label, need
                )
            elif by_driver is not None:  # "planar headphones": over the catalog's planars
                rep = driver_class_drive(view.headphones.values(), by_driver, lim, src_label, need)
            elif heads:
                rep = headphone_drive(view.headphones[heads[0]], lim, src_label, need)
            else:
                rep = drive_report(f"the headphone you described ({adhoc_h.span})", adhoc_h.db_spl_per_v(),
                                   adhoc_h.impedance_ohm, lim, src_label, need)  # fmt: skip
        except DriveError as exc:
            rep = {"verdict": str(exc)}
        stand_in = unknown_source_name(u)
        if stand_in and not is_a_phone(u, stand_in) and rep.get("verdict") and "headroom_db" in rep:
            v = rep["verdict"]
            rep["verdict"] = (f"Not checked for the {stand_in} (its output is not in the "
                              f"catalog); for comparison, {v[0].lower()}{v[1:]}")  # fmt: skip
        if not heads:
            return {"kind": "drive", "opening": lead, "drive": rep}
        fit = rank_products(view, profile, heads[:1]) if u.genres else []
        out = {"kind": "drive", "opening": lead, "drive": rep, "fit": [r.__dict__ for r in fit]}
        if rep.get("headroom_db") is None or rep["headroom_db"] < 3:
            # not enough headroom, or the source's output is unknown: which amps would do
            with contextlib.suppress(DriveError):
                out["amps"] = amps_for(view.headphones[heads[0]], list(view.devices.values()), need)
        return out
    if u.intent == "compare_sources":
        return sources_answer(u, view, profile, heads, lead)
    if u.intent == "similar":
        return similar_answer(u, view, profile, heads, lead)
    if u.intent == "product_info":
        return product_info(u, view, profile, heads, lead)
    return {"kind": u.intent, "opening": lead}


def best_by_brand(view: CatalogView, profile) -> tuple[list[str], list[str]]:
    """The engine's first pick among each maker's headphones for this profile, and the makers
    with nothing that meets the needs."""
    picks, lacking = [], []
    for brand in profile.brands:
        try:
            data, _ = recommend_json(view, profile.model_copy(update={"brands": [brand]}), 1)
        except NoMatchError:
            data = {"recommendations": []}
        picks += [r["id"] for r in data["recommendations"][:1]]
        if not data["recommendations"]:
            lacking.append(brand)
    return picks, lacking


COMPARE_MAX = 4  # products side by side: what a table on a screen holds


def _compare(view: CatalogView, profile, ids: list[str]) -> dict:
    ranked = rank_products(view, profile, ids[:COMPARE_MAX])
    return {
        "verdict": compare_verdict(view, ranked),
        "ranking": [r.__dict__ for r in ranked],
        "specs": compare_json(view, [view.headphones[i] for i in ids[:COMPARE_MAX]])
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
        note = m.get("note") or {"budget": "no budget given: ranking across all prices",
                                 "source": "no source given: assuming a phone",
                                 "headphone": "no headphone settled"}[m["field"]]  # fmt: skip
        tier = profile_fields(u, view).get("budget_usd") if m["field"] == "budget" else None
        if tier:  # a step up from (or a replacement of) a priced headphone, with no budget
            note = unbudgeted_cap_note(u, view, tier)
        h = u.adhoc_headphone
        if (
            m["field"] == "headphone"
            and u.intent == "drive"
            and h
            and h.impedance_ohm
            and not h.complete()
        ):
            note = (f"no model named: judged over the catalog's headphones of about "
                    f"{h.impedance_ohm:g} ohm")  # fmt: skip
        if note not in assumptions:
            assumptions.append(note)
    assumptions += unknown_source_notes(u)
    fields = profile_fields(u, view)  # once, for the answer and for what was understood
    return {
        "understood": {
            "intent": u.intent,
            "intent_read": read_as_json(u.intent_read) if u.intent_read else None,
            "profile": fields | {"budget_original": u.budget_original},
            "products": u.products,
            "unknown": u.unknown,
            "devices": u.devices,
            "makers": u.makers,
            "facts": [
                {"field": f.field, "value": f.value, "span": f.span, "start": f.start, "end": f.end}
                for f in u.facts
            ],
        },
        "missing": missing,
        "assumptions": assumptions,
        "answer": answer(u, view, fields),
    }
