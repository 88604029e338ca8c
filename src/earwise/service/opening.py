"""The opening of an ``ask`` answer: what was understood and what was assumed, in plain words
("From what you wrote: you listen to rock (100%); your budget is about $200 ...")."""

from __future__ import annotations

import re

from earwise.advice.ask import Understood, step_up_from
from earwise.advice.ask_budget import budget_unlimited
from earwise.advice.drive import LISTENING_LEVEL_DB_SPL
from earwise.advice.vocab import genres, uses
from earwise.catalog.platforms import PLATFORM_NAMES
from earwise.catalog.schema import PLATFORMS
from earwise.catalog.view import CatalogView
from earwise.service.answer_facts import gear_sentences


def _list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def opening(u: Understood, view: CatalogView, fields: dict) -> str:
    bits = []
    if u.genres:
        bits.append(
            "you listen to "
            + _list(
                [
                    f"{genres()[g].shown if g in genres() else g} ({s:.0%})"
                    for g, s in sorted(u.genres.items(), key=lambda x: -x[1])
                ]
            )  # fmt: skip
        )
    if u.uses:
        labels = uses()
        bits.append(
            "you will use them " + _list([labels[x].label if x in labels else x for x in u.uses])
        )
    checked = [p for p in u.platforms if p in PLATFORMS]
    if checked and u.intent != "explain_spec":  # "does LDAC matter on iPhone?" asks no need
        bits.append("they must work with " + _list([PLATFORM_NAMES[p] for p in checked]))
    unchecked = [p for p in u.platforms if p not in PLATFORMS]
    if unchecked:  # "TV", "laptop": named back, but the catalog records no support for them
        bits.append(
            f"you will use them with a {_list([p.upper() if len(p) <= 3 else p for p in unchecked])}"
            " (support for it is not recorded, so not checked)"
        )
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
    if budget_unlimited(u):
        bits.append("price is no object, so I ranked across all prices")
    if u.budget_foreign and not u.budget_usd:
        bits.append(
            f"your budget of {u.budget_foreign[0]} is in a currency I have no exchange rate for, "
            "so I ranked across all prices (give it in US dollars, euros or pounds)"
        )
    owned = [view.label(p["id"]) for p in u.products if p["role"] == "owned"]
    owned += [d["name"] for d in u.devices if d["role"] == "owned"]
    plugged = [  # "iphone" as written is named as the platform is ("an iPhone")
        re.sub(r"^(?:an?|the) ", "", PLATFORM_NAMES[d["platform"]])
        if d.get("platform") in PLATFORM_NAMES and d["name"].lower() == d["platform"]
        else d["name"]
        for d in u.devices
        if d["role"] == "source"
    ]
    said_by_platform = u.platforms and fields.get("wireless") and u.intent == "recommend"
    if plugged and not said_by_platform:  # (wireless picks: "they must work with" says it)
        bits.append(
            (
                "your source is the "
                if u.intent == "explain_spec"
                else "you will plug them into the "
            )
            + _list(plugged)
        )
    if owned:
        bits.append("you own the " + _list(owned))
    gone = step_up_from(u, view, "replacement") if u.intent == "recommend" else None
    if gone is not None:
        kept = (
            [gone.form_factor]
            + ["wireless" if gone.wireless else "wired"] * (gone.wireless is not None)
            + ["with noise cancelling"] * (gone.anc is True)
        )
        bits.append(f"you want a replacement for the {gone.display_name} ({', '.join(kept)})")
    step = step_up_from(u, view) if u.intent == "recommend" and gone is None else None
    if step is not None:
        above = f", above its ${step.price_usd:,.0f}" if step.price_usd else ""
        if step.price_usd and u.budget_usd is None and fields.get("budget_usd"):
            above += f" and up to ${fields['budget_usd']:,.0f}, the next price tier or two"
        bits.append(f"you want a step up from the {step.display_name} (the same form{above})")
    if fields.get("driver") and u.intent != "explain_spec":  # "Planar vs dynamic?" asks no need
        bits.append(f"they must have {fields['driver']} drivers")
    if fields.get("brands"):
        bits.append("you are choosing between " + _list(fields["brands"]))
    wants = {"no_leak": "must not leak", "long_sessions": "must be comfortable for long sessions", "long_battery": "must last long on a charge", "head_small": "must fit a small head",
             "back_open": "should be open-back", "back_closed": "should be closed-back", "bass_less": "should not overdo the bass",
             "bass_more": "should have more bass", "tonality_neutral": "should sound neutral",
             "not_true_wireless": "must not be true wireless (buds on a cord or a band)",
             "secure_fit": "should be built for sport (stay put, stand sweat)"}  # fmt: skip
    clash = {"back_open"} if "no_leak" in u.flags else set()  # said apart below
    wish = [w for k, w in wants.items() if k in u.flags - clash and u.intent != "explain_spec"]
    if wish:
        bits.append("they " + _list(wish))
    level = next((k for k in ("loud", "quiet") if f"level_{k}" in u.flags), None)
    if level and u.level_db_spl is None and u.peak_db_spl is None:  # figures say it themselves
        bits.append(
            f"you listen {level.replace('quiet', 'quietly')} (about {LISTENING_LEVEL_DB_SPL[level]:g} dB SPL on average)"
        )
    if {"back_open", "no_leak"} <= u.flags and u.intent == "recommend":
        bits.append("open backs leak by design, so for sound that must not leak I looked at closed "
                    "backs and in-ears instead")  # fmt: skip
    text = ("From what you wrote: " + "; ".join(bits) + ".") if bits else ""
    gear = gear_sentences(u, view)
    return " ".join(x for x in (text, gear) if x)
