"""Answers about what a named headphone (or a family of them) can do: the catalog's facts on the
topics asked, first ("how is the mic on X?", "can I use my AirPods with an Xbox?")."""

from __future__ import annotations

from earwise.advice.ask import Understood, unknown_sources
from earwise.advice.ask_context import plugged_into, which_of
from earwise.advice.ask_intent import asked_sentences
from earwise.advice.ask_text import vocab
from earwise.advice.drive import DriveError, device_output, headphone_drive, need_for
from earwise.advice.engine import ASSUMED_SOURCE_ID, rank_products
from earwise.advice.maker_facts import maker_lines, maker_summary
from earwise.advice.product_facts import (
    asked_topics,
    family_platform_lines,
    family_topic_facts,
    topic_facts,
)
from earwise.advice.weights import load_weights
from earwise.catalog.view import CatalogView
from earwise.service.views import compare_json

CLOSE_CALL_POINTS = load_weights().value("compare.close_call_points")


def wireless_on_a_platform(
    u: Understood, view: CatalogView, profile, heads: list[str], source_id: str | None
) -> bool:
    """'Can I use my AirPods Pro 2 with an Xbox?': a wireless headphone and a platform, no
    source or amp named: a question of which links the platform takes, not of a signal chain."""
    named_source = source_id not in (None, ASSUMED_SOURCE_ID) or u.adhoc_source is not None
    return (
        bool(heads)
        and bool(profile.platforms)
        and not named_source
        and view.headphones[heads[0]].wireless is True
    )


def product_info(u: Understood, view: CatalogView, profile, heads, lead, topics=None) -> dict:
    """What the catalog knows about the named headphone(s), the asked topics first."""
    ranked = rank_products(view, profile, heads[:2])
    topics = topics or asked_topics(" ".join(asked_sentences(u.text)) or u.text)
    out = {
        "kind": "product_info",
        "opening": lead,
        "products": [r.__dict__ for r in ranked],
        "specs": compare_json(view, [view.headphones[h] for h in heads[:2]]),
    }
    if heads and topics:  # what was asked, first: "how good is the mic on X?"
        out["asked"] = topic_facts(view.headphones[heads[0]], topics)
    return out


def family_answer(u: Understood, view: CatalogView, profile, lead: str) -> dict | None:
    """A family named without its model ("my AirPods") with a platform or a topic asked: answered
    for every model of the family in the catalog (how many work with the platform and through
    what; each model's facts on the topic); None without a family or a question to answer."""
    family = next((a for a in u.ambiguous if a["kind"] == "headphone"), None)
    topics = asked_topics(" ".join(asked_sentences(u.text)) or u.text)
    if family is None or not (profile.platforms or topics):
        return None
    hs = [view.headphones[c] for c in family["candidates"] if c in view.headphones]
    if not hs:  # (a name may start a source's name too: "Dual", the DualSense's jack)
        return None
    asked = (
        [
            {
                "topic": "platforms",
                "lines": family_platform_lines(family["name"], hs, profile.platforms),
            }
        ]
        if profile.platforms
        else family_topic_facts(hs, [t for t in topics if t != "platforms"])
    )
    if not asked:
        return None
    return {"kind": "product_info", "opening": lead, "products": [], "specs": None,
            "asked": asked}  # fmt: skip


def maker_answers(u: Understood, view: CatalogView) -> list[dict]:
    """Each headphone maker named ("Is Skullcandy a good brand?", "Sennheiser or Sony?"): what
    the catalog holds by it (:mod:`earwise.advice.maker_facts`)."""
    shown = vocab()["makers_shown"]
    return [
        {"brand": b, "lines": maker_lines(maker_summary(view, b), shown["best_models"])}
        for b in u.makers[: shown["makers"]]
    ]


def only_one_of(u: Understood, view: CatalogView, keep=None) -> tuple[str, str] | None:
    """(id, the name as said) when no headphone is settled but one name it cannot settle has a
    single catalog model (``keep``: among those it keeps, e.g. the measured ones): "the Hifiman
    Ananda" is only the Ananda Stealth, "the AirPods Max" measured only in its Lightning version.
    The answer works with that one and says so, instead of asking and answering nothing."""
    a = next((x for x in u.ambiguous if x["kind"] == "headphone"), None)
    models = [
        c
        for c in (a or {}).get("candidates", [])
        if c in view.headphones and (keep is None or keep(c))
    ]
    return (models[0], a["name"]) if len(models) == 1 else None


def sources_answer(u: Understood, view: CatalogView, profile, heads: list[str], lead: str) -> dict:
    """Sources and amps weighed against each other: each one's output (unknown figures said
    unknown) and, with a headphone named, whether each drives it."""
    named = [p["id"] for p in u.products if p["kind"] == "source"]
    named += [c for a in u.ambiguous if a["kind"] == "source" for c in a["candidates"]]  # each
    devices = [view.devices[i] for i in dict.fromkeys(named) if i in view.devices][:4]
    rows = []
    for d in devices:
        lim, out_name = device_output(d)
        rows.append({"id": d.id, "label": d.display_name, "category": d.category, "output": out_name,
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
                        f"the {d.display_name}",
                        need_for(profile.level, list(profile.genres)),
                    )
                )
            except DriveError as exc:  # the headphone's own gap is said once, not per source
                if {"verdict": str(exc)} not in drives:
                    drives.append({"verdict": str(exc)})
    return {
        "kind": "compare_sources",
        "opening": lead + " Comparing the sources and amps you named:",
        "sources": rows,
        "drives": drives,
    }


def compare_verdict(view: CatalogView, ranked) -> str | None:
    """One sentence that answers "X or Y?": the first fits better by so many points, and on what;
    under ``compare.close_call_points`` apart, too close for the numbers to decide."""
    if len(ranked) < 2:
        return None
    a, b = ranked[0], ranked[1]
    gap = a.score - b.score
    name_a, name_b = view.label(a.id), view.label(b.id)
    if gap < CLOSE_CALL_POINTS:
        return (f"Too close to call on these numbers: the {name_a} scores {a.score:.1f} and the "
                f"{name_b} {b.score:.1f}; the differences below decide."
                + _lifecycle_caveat(view, [a.id, b.id]))  # fmt: skip
    why = f" ({a.trade_off.split(': ', 1)[-1]})" if a.trade_off else ""
    unheard = [view.label(r.id) for r in (a, b) if r.id not in view.measured]
    caveat = (  # a sound verdict against a typical-sound stand-in is no verdict on its sound
        f" The {' and the '.join(unheard)} {'has' if len(unheard) == 1 else 'have'} no measurement: "
        "its sound is counted as typical, so the sound part of this is not a judgement of it."
        if unheard and why and ("sound" in why or "music" in why)
        else ""
    )
    return (f"The {name_a} fits what you asked better: {a.score:.1f} against {b.score:.1f}{why}."
            + caveat + _lifecycle_caveat(view, [a.id, b.id]))  # fmt: skip


def _lifecycle_caveat(view: CatalogView, ids: list[str]) -> str:
    """What of the compared is not on sale: discontinued (and what replaced it) or unchecked."""
    out = []
    for pid in ids:
        h = view.headphones[pid]
        if h.status == "discontinued":
            after = (f", succeeded by the {view.label(h.successor)}"
                     if h.successor in view.headphones else "")  # fmt: skip
            out.append(
                f" The {view.label(pid)} is discontinued{after}: new ones may be hard to find."
            )
        elif h.status == "unknown":
            out.append(f" Whether the {view.label(pid)} is still sold is not known.")
    return "".join(out)


def gear_sentences(u: Understood, view: CatalogView) -> str:
    """What the answer cannot look up: gear the catalog lacks, names it cannot settle, and gear
    described by its figures (used as given)."""
    out = [f"I don't know the {g['name']} yet: it is not in the catalog." for g in u.unknown]
    out += [  # a short form is a reading, not an exact name: said, so a wrong one shows
        f"I took '{f.span}' to be the {view.label(f.value['id'])}."
        for f in u.facts
        if f.field == "product" and isinstance(f.value, dict) and f.value.get("short_form")
    ]
    out += [  # one candidate: not an exact name, said so; the answer says when it used it
        f"'{a['name']}' is not an exact name in the catalog."
        if len(a["labels"]) == 1
        else f"'{a['name']}' could be {which_of(a, 'the ')}; I have not picked one."
        for a in u.ambiguous
    ]
    if u.adhoc_source is not None:
        out.append(f"I read your source as {u.adhoc_source.label()}.")
    amp = plugged_into(u, view) if u.intent == "recommend" and "wireless" not in u.flags else None
    if amp and "wired" not in u.flags:  # (said when the listener asked for wired themselves)
        out.append(f"They plug into the {amp}, so I looked at wired headphones only.")
    h = u.adhoc_headphone
    if h is not None and h.complete():
        out.append(
            f"I read your headphone as {h.sensitivity:g} {h.unit} at {h.impedance_ohm:g} ohm."
        )
    return " ".join(out)


def unknown_source_notes(u: Understood) -> list[str]:
    """A drive, chain or buying question whose source the catalog lacks (or names only by its
    maker): the answer works with a phone instead, and says so (with what would let it check
    the real one)."""
    name = unknown_source_name(u)
    if name is None or (u.intent == "recommend" and "wireless" in u.flags):
        return []  # Bluetooth picks: the source's headphone output plays no part
    if is_a_phone(u, name):  # "my Pixel 8": a phone of its own, its output not on record
        return [f"I don't know the {name}'s own headphone output; a typical phone's (1 Vrms) "
                "stands in for it"]  # fmt: skip
    return [
        f"I don't know the {name}'s output, so I worked with a phone instead; give its figures "
        "(e.g. '+18 dBu into 600 ohm, 10 ohm output impedance') to check it"
    ]


def is_a_phone(u: Understood, name: str | None) -> bool:
    """Whether the source named ``name`` is a phone (a typical phone stands in for its output)."""
    return any(d["name"] == name and d.get("platform") in ("iphone", "android") for d in u.devices)


def unknown_source_name(u: Understood) -> str | None:
    """The source the reader named whose output the catalog lacks (the phone stands in for it),
    or None: a catalog source, figures given, or none named."""
    if u.intent not in ("drive", "chain", "recommend") or u.adhoc_source is not None or u.sources:
        return None
    if any(p["kind"] == "source" for p in u.products):
        return None
    named = unknown_sources(u) + [  # "I have a Focusrite", "my old iPod Classic": gear named
        d["name"]  # by its maker or family, not as a catalog model
        for d in u.devices
        if d["role"] == "source" and d["kind"] in ("brand", "device")
    ]
    return named[0] if named else None
