"""Answers about what a named headphone (or a family of them) can do: the catalog's facts on the
topics asked, first ("how is the mic on X?", "can I use my AirPods with an Xbox?")."""

from __future__ import annotations

from earwise.advice.ask import Understood
from earwise.advice.ask_intent import asked_sentences
from earwise.advice.engine import ASSUMED_SOURCE_ID, rank_products
from earwise.advice.product_facts import asked_topics, family_platform_lines, topic_facts
from earwise.catalog.view import CatalogView
from earwise.service.views import compare_json


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


def family_platforms(u: Understood, view: CatalogView, profile, lead: str) -> dict | None:
    """A family named without its model ("my AirPods") and a platform: answered for every model
    of the family in the catalog, how many work and through what; None without a family."""
    family = next((a for a in u.ambiguous if a["kind"] == "headphone"), None)
    if family is None:
        return None
    hs = [view.headphones[c] for c in family["candidates"]]
    lines = family_platform_lines(family["name"], hs, profile.platforms)
    return {"kind": "product_info", "opening": lead, "products": [], "specs": None,
            "asked": [{"topic": "platforms", "lines": lines}]}  # fmt: skip
