"""Reading a question, part 3: the intent, from the shape of the question.

Not from phrases lifted out of known questions: each shape is a small grammar of how people ask a
kind of question, kept in ``advice/data/ask.yaml`` under ``intent_shapes`` with its reason.

- **out of scope**: a fault to diagnose (noise, one side dead, broken), or gear that is not
  headphones (speakers, receivers, turntables, car audio) with nothing about headphones;
- **chain**: how things connect (connect, hook up, plug into, adapter, which output, wiring);
- **similar**: "like X but closed", "similar to X", "an alternative to X" with a named product;
- **drive**: will / can / is ... enough / do I need an amp, for a concrete pairing (a headphone
  and a source, or one of them with "my"); the same words about no gear in particular are a
  question about how driving works, so **explain**;
- **explain**: what a spec or a term means, how to read, compare or convert figures;
- **compare**: two or more named products with "or", "vs", "between", "which", "decide";
- one named headphone judged for a use or music ("how is X for rock", "is X any good",
  "impressions of X"): **genre_fit** / **product_info**;
- **recommend**: a description of needs, with or without a question mark (buying words, a budget,
  a use, music, a form);
- anything else: **none** (nothing to answer) or **out of scope**.

What is asked sits in the sentences that end in a question mark (:func:`asked_sentences`); the rest
of a post is context. When those sentences ask what something is or why, more than how to connect
or what to buy, the question is **explain** even if the context mentions a budget. A question about
headphones that describes no need (no use, music, form or platform, no buying words) is a question
about headphones, **explain**, not a shopping list.
"""

from __future__ import annotations

import re
from functools import cache

from earwise.advice.ask_text import Understood, vocab


@cache
def shapes() -> dict[str, re.Pattern]:
    return {k: re.compile(v, re.I) for k, v in vocab()["intent_shapes"].items()}


def _said(name: str, text: str) -> bool:
    return bool(shapes()[name].search(text))


def _named(u: Understood) -> tuple[list[dict], list[dict]]:
    heads = [p for p in u.products if p["kind"] == "headphone"]
    gear = [p for p in u.products if p["kind"] == "source"]
    return heads, gear


def asked_sentences(text: str) -> list[str]:
    """The sentences that ask (ending in a question mark): what is asked is there; the rest of a
    post is context ("For budget IEMs I have shortlisted a few [...] What distinguishes an IEM
    from in-ear headphones?")."""
    return [s.strip() for s in re.findall(r"[^.?!\n]*\?", text) if s.strip(" ?")]


def _explain_asked(u: Understood, heads: list[dict], gear: list[dict]) -> bool:
    """The questions asked are about what something is or why, more than about how to connect,
    whether something drives, or what to buy; and they name no pairing of headphone and source."""
    asked = asked_sentences(u.text)
    if not asked or (heads and gear):
        return False
    if (heads or u.unknown) and any(_said("drive", s) for s in asked):
        return False  # whether a named headphone is driven: a pairing, not a definition
    count = {k: sum(_said(k, s) for s in asked) for k in ("explain", "chain", "drive", "shopping")}
    return (
        count["explain"] > 0
        and count["shopping"] == 0
        and count["explain"] > max(count["chain"], count["drive"])
    )


def read_intent(u: Understood) -> str:
    text = u.text
    heads, gear = _named(u)
    unknown = u.unknown + u.ambiguous  # named gear the catalog lacks, or names it cannot settle
    # about headphones: one named, the word, or a term only headphones have (burn-in, soundstage)
    about_headphones = (
        bool(heads or unknown) or _said("headphone_topic", text) or _said("headphone_terms", text)
    )
    asking = "?" in text or _said("request", text)
    shopping = _said("shopping", text) or u.budget_usd is not None

    pairing_asked = bool(heads) and bool(gear or u.unknown) and _said("drive", text)
    if _said("fault", text) and not shopping and not pairing_asked:
        return "out_of_scope"
    if _said("music_request", text) or (
        _said("not_advice", text) and not shopping and not pairing_asked
    ):
        return "out_of_scope"  # music to play; cleaning, returns, software set-up
    if not about_headphones and _said("other_gear", text):
        return "out_of_scope"
    other = len(shapes()["other_gear"].findall(text))
    if not heads and other >= 2 and other > len(shapes()["headphone_topic"].findall(text)):
        return "out_of_scope"  # mostly about other gear (speakers, mixers, receivers)
    if _said("diy_design", text) and not heads:
        return "out_of_scope"
    if _said("similar", text) and (heads or unknown):
        return "similar"  # "like X but ...": before the definitional shapes ("what's a closed X?")
    if (
        (about_headphones or _said("spec_term", text))
        and _explain_asked(u, heads, gear)
        and not (len(heads) + len(unknown) >= 2 and _said("compare", text))
    ):
        return "explain_spec"
    if _said("chain", text) and (
        heads or gear or u.sources or unknown or about_headphones or _said("spec_term", text)
    ):
        return "chain"
    concrete_source = bool(gear or u.sources or u.adhoc_source) or _said("my_source", text)
    adhoc_head = u.adhoc_headphone is not None and u.adhoc_headphone.complete()
    if adhoc_head and not heads:
        heads = [{"id": None, "kind": "headphone", "role": "considering"}]
    if (
        (heads or unknown)
        and _said("amp_request", text)
        and not u.genres
        and not _said("drive", text)
    ):
        return "amps"
    if _said("drive", text):
        named_source = bool(gear or u.sources) or _said("my_source", text)
        pairing = bool(heads or unknown) and named_source  # figures alone may be a requirement
        if _said("explain", text) and not pairing:
            return "explain_spec"  # how driving works, about no gear in particular
        if heads or unknown:
            return "drive"
        if concrete_source and (adhoc_head or _said("headphone_figures", text)):
            return "drive"
        return "drive" if concrete_source else "explain_spec"
    if _said("explain", text) and _said("spec_term", text):
        return "explain_spec"
    on_topic = about_headphones or _said("spec_term", text) or _said("term_question", text)
    if _said("explain", text) and not heads and not shopping and on_topic:
        return "explain_spec"
    considered = [p for p in heads if p["role"] in ("considering", "mentioned")]
    several = len(considered) + len([g for g in unknown if g.get("role") != "owned"])
    if len(gear) >= 2 and not heads and _said("compare", text):
        return "compare_sources"
    asked = " ".join(asked_sentences(text))
    if several >= 2 and (
        _said("choice_asked", asked)
        or (_said("compare", text) and not (u.budget_usd and _said("open_request", text)))
    ):
        return "compare"
    owned = [p for p in heads if p["role"] == "owned"] + [
        g for g in u.unknown if g.get("role") == "owned"
    ]
    if owned and several >= 1 and _said("upgrade_to", text):
        return "compare"  # what one has against a named other model
    named = heads or unknown  # (a name it cannot settle counts: the answer asks which)
    if len(named) == 1 and u.genres and _said("fit_question", text) and not shopping:
        return "genre_fit"
    if named and _said("product_question", text) and not shopping:
        return "product_info"
    if shopping or _said("needs", text):
        return "recommend"
    if asking and about_headphones and (u.uses or u.genres or u.flags or u.platforms):
        return "recommend"  # a need described in a question
    if asking and about_headphones:
        return "explain_spec"  # a question about headphones with no need to shop for
    if u.genres and (u.budget_usd or u.uses or u.platforms):
        return "recommend"  # a profile without a question is still a request for advice
    if not about_headphones and asking:
        if _said("spec_term", text) and not _said("other_gear", text):
            return "explain_spec"  # a DAC, an amp, impedance: the gear around headphones
        return "out_of_scope"
    return "none"


# Why a question is out of scope, in the order read_intent checks them: each has its own answer.
_SCOPE_REASONS = (("music_request", "music"), ("fault", "fault"), ("not_advice", "care"),
                  ("diy_design", "diy"), ("other_gear", "other_gear"))  # fmt: skip


def out_of_scope_reason(u: Understood) -> str:
    """'fault', 'music', 'care', 'diy', 'other_gear' or 'other': what kind of question earwise
    does not answer, so the answer can say so plainly."""
    return next((r for shape, r in _SCOPE_REASONS if _said(shape, u.text)), "other")
