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

What is asked sits in the sentences that end in a question mark, or that say what the writer does
not know ("I'm confused about what cable goes where.") (:func:`asked_sentences`); the rest of a
post is context. A sentence that starts with "why", or asks outright for an explanation ("ELI5",
"can someone explain"), asks for a reason whatever buying words the post has, unless it names a
budget. When those sentences ask what something is or why, more than how to connect
or what to buy, the question is **explain** even if the context mentions a budget. A question about
headphones that describes no need (no use, music, form or platform, no buying words) is a question
about headphones, **explain**, not a shopping list.
"""

from __future__ import annotations

import re

from earwise.advice.ask_model import weigh
from earwise.advice.ask_scope import only_asks_for_a_fix, out_of_scope
from earwise.advice.ask_signals import (
    SHORT_TITLE_WORDS,
    Signals,
    asked_sentences,
    drive_in,
    said,
    shapes,
    signals,
)
from earwise.advice.ask_text import Understood

__all__ = ["asked_sentences", "read_intent"]

_MY = re.compile(r"\bmy\b", re.I)


def _explain_asked(g: Signals) -> bool:
    """The questions asked are about what something is or why, more than about how to connect,
    whether something drives, or what to buy; and they name no pairing of headphone and source."""
    asked, source_named = g.asked, g.source_named
    if not asked or (g.heads and g.gear):
        return False
    eli5 = any(said("eli5", s) for s in asked)  # "can someone explain what X means for my Y"
    if (g.heads or g.unknown) and g.source_by_name and g.said("pairing_terms") and not eli5:
        return False  # "my Pioneer's output impedance is high; does it change my SR60?": a pairing
    asked = [
        shapes()["before_buying"].sub("", s.rsplit(":", 1)[-1]) for s in asked
    ]  # "Before I buy: why
    # do ...?" and "Before I spend $300 on headphones, can someone tell me if ...?" ask the why
    if g.u.budget_usd is not None and g.said("needs") and not any(said("eli5", s) for s in asked):
        return False  # "Why is it all so expensive? I just want something under $60": a request
    if (g.heads or g.u.unknown) and any(drive_in(s, source_named) for s in asked):
        return False  # whether a named headphone is driven: a pairing, not a definition
    whys = [  # (not "why won't my PS4 controller output sound?": a fault of one's own gear)
        s for s in asked if said("why_asked", s) and not (said("fault", s) and _MY.search(s))
    ]
    if (
        g.u.budget_usd is None
        and whys
        and not any(said("shopping", s) for s in asked if s not in whys)
    ):
        return True  # "Why do people EQ instead of buying ...?" (not "Why is it so hard to find
        # comfortable ones? Anything you'd suggest?": a buyer venting, then asking for picks)
    if g.u.budget_usd is None and any(
        said("eli5", s) and not drive_in(s, source_named) for s in asked
    ):
        return True  # "ELI5 ... the difference", "can someone explain": whatever else it mentions
    defined = [s for s in asked if said("explain_outright", s) or said("definition", s)]
    if defined and not any(  # (not beside "Do I connect it with USB or optical?" asked apart)
        said("shopping", s) or (said("chain", s) and s not in defined) for s in asked
    ):
        return True  # "can someone explain what an impedance adapter does?"
    count = {k: sum(said(k, s) for s in asked) for k in ("explain", "chain", "shopping")}
    advice = [s for s in asked if said("buying_advice", s)]  # "is it worth getting ones with ..."
    count["shopping"] -= sum(said("shopping", s) for s in advice)
    count["explain"] += sum(not said("explain", s) for s in advice)
    count["chain"] -= sum(
        said("chain", s) and said("effect_question", s) and not said("plug_where", s) for s in asked
    )
    count["drive"] = sum(drive_in(s, source_named) for s in asked)
    return (
        count["explain"] > 0
        and count["shopping"] == 0
        and count["explain"] > max(count["chain"], count["drive"])
    )


def _one_judged(g: Signals) -> bool:
    """One named product (or a name it cannot settle) asked about in a product question."""
    others = [x for x in g.u.unknown if x.get("role") not in ("source", "amp")]  # "over the Q45"
    named = g.asked_of(g.heads + g.u.ambiguous + others)  # (not gear told as background)
    one = len(named) == 1
    return one and any(said("product_question", s) for s in g.asked)


def _weighed(g: Signals) -> list[dict]:
    """The products named for their own sake, not as examples of a kind ("closed headphones like
    the M50x"): an explanation may name examples without asking to compare them."""
    return [
        p
        for p in g.asked_of(g.heads + g.unknown)
        if not shapes()["example_before"].search(g.u.text[max(0, p["start"] - 12) : p["start"]])
    ]


def _how_it_works(g: Signals) -> str | None:
    """Like X but ..., what or why, how things connect."""
    if (
        g.said("similar")
        and (g.heads or g.unknown)
        and not g.said("eq_said")
        and not g.pairing_asked  # "is the Atom enough for the XS, or something like a Magnius?"
        and not (len(g.heads) >= 2 and g.said("likeness_asked"))  # "does X sound like Y?"
    ):
        return "similar"  # "like X but ...": before the definitional shapes ("what's a closed X?")
    if g.said("bt_mic_quality") and g.said("bluetooth_said") and not g.shopping:
        return "explain_spec"  # the headset profile's call quality (HFP), how the link works
    asked = g.asked
    if (
        (g.about_headphones or g.said("spec_term"))
        and (not _one_judged(g) or any(said("eli5", s) for s in g.asked))  # "can someone
        # explain what X means for my Y" (but "how long does the AirPods Max's battery last?")
        and _explain_asked(g)
        and not (len(_weighed(g)) >= 2 and g.said("compare"))
    ):
        return "explain_spec"
    about = g.heads or g.gear or g.u.sources or g.unknown or g.about_headphones or g.u.platforms
    drive_asked = asked and all(  # ("If I connect X to Y, will it get louder?": the premise)
        drive_in(s, g.source_named) and not said("chain", shapes()["premise"].sub("", s))
        for s in asked
    )
    placed = g.said("chain_terms") or g.u.platforms or g.u.devices or g.gear  # "HD 600 to PC"
    chain = (
        g.said("chain")
        or g.said("ground_loop")
        or (placed and any(said("need_asked", s) for s in asked))
    )
    chain = chain or any(
        said("chain_terms", s) and (said("request", s) or drive_in(s, g.source_named))
        for s in asked
    )
    if g.shopping and not any(said("chain_howto", s) for s in asked or [g.text]):
        chain = False  # connection words in a request for products are what they must plug into
    chained = [s for s in asked if said("chain", s) and not said("lossless_condition", s)]
    if (
        chained
        and all(said("effect_question", s) for s in chained)
        and any(said("audio_terms", s) for s in asked)
    ):
        chain = False  # "how do I get better sound from my phone?": what improves it, explained
    if any(said("loud_asked", s) or said("more_power_asked", s) for s in asked) and g.drive:
        chain = False  # "how loud will the HD 800 S get on an iPhone with the adapter?": driving
    if g.said("quiet_at_max") and any(drive_in(s, g.source_named) for s in asked):
        chain = False  # "too low even at max. Would a small USB dongle help?": driving
    if g.said("hiss_fault") and g.heads and g.source_named and not g.said("ground_loop"):
        chain = False  # "X off Y gives a hiss: do I need an impedance adapter?": hiss computed
    if chain and (about or g.said("spec_term")) and not drive_asked:
        return "chain"  # unless all that is asked is whether it drives ("plugged in ... amp?")
    return None


_JACK = re.compile(
    r"\b(?:headphone|3\.5 ?mm|aux)\s+(?:jack|out(?:put)?|port|socket)|\bjack\b", re.I
)


def _driving(g: Signals) -> str | None:
    """Which amp for a headphone; will / can / is ... enough; how driving works."""
    u = g.u
    concrete_source = g.source_named
    adhoc_head = u.adhoc_headphone is not None and u.adhoc_headphone.complete()
    heads = g.described
    music_asked = u.genres and (  # (not "I listen to rock. Amp for X?")
        _need_asked(g, ("genre",)) or g.said("needs")
    )
    if (heads or g.unknown) and g.said("amp_request") and not g.drive and not music_asked:
        return "amps"
    sources = (
        g.gear
        or u.unknown
        or [a for a in u.ambiguous if a["kind"] == "source"]
        or [d for d in u.devices if d.get("role") == "source" or d.get("platform")]
    )  # ("Sundara on a Mac Mini headphone jack?": the Mac Mini is the source)
    unknown_heads = [  # gear the catalog lacks or cannot settle, not named as a source
        x for x in g.unknown if x.get("role") not in ("source", "amp") and x.get("kind") != "source"
    ]
    one_head = len(g.heads) == 1 or (not g.heads and len(unknown_heads) == 1)
    if not g.heads:  # the one headphone is the unknown one: not its own source
        sources = [x for x in sources if x not in unknown_heads]  # ("600 ohm DT 880 from a 2i2")
    if one_head and sources and g.said("terse_pairing") and not g.shopping:
        return "drive"  # "FiiO K3 for Sundara?": a source named with a headphone
    if heads and g.said("terse_enough") and not g.shopping:
        return "drive"  # "Magni enough for HE400se?": the one before "enough" is the source
    if (
        (heads or unknown_heads and g.source_named)
        and (g.source_named or u.unknown)
        and g.said("hiss_fault")
        and not g.shopping
    ):
        return "drive"  # "my Topping hisses with my Andromeda": the hiss figure is computed
    level_off = g.said("quiet_at_max") or g.said("loud_at_min")
    if level_off and (concrete_source or _JACK.search(g.text)) and not g.shopping:
        return "drive"  # "the max volume on the headphone jack is too low", "too loud even at
        # the lowest volume on my PC": the level a source gives a headphone, computed
    if not g.drive:
        return None
    figures_asked = g.said("headphone_figures") and any(drive_in(s, True) for s in g.asked)
    if figures_asked and (concrete_source or u.platforms):
        return "drive"  # "do I need an amp for 80 ohm headphones on a MacBook?"
    if g.said("quiet_at_max") and concrete_source and not (heads or g.unknown):
        return "drive"  # "my phone can't get my planars loud enough. What should I get?"
    if g.asked and all(said("headphones_asked_for", s) for s in g.asked):
        return None  # "I use an Audient iD4, which headphones for mixing?": picks asked for
    if (
        g.shopping
        and not (heads or g.unknown)
        and not any(drive_in(s, concrete_source) and not said("shopping", s) for s in g.asked)
    ):
        return None  # picks that must play loud from a phone or may get an amp later: shopping
    if not heads and not unknown_heads and g.said("dac_need") and not g.said("amp_words"):
        return "explain_spec"  # "do I need a DAC if my motherboard has ...?": what a DAC does
    # a catalog headphone and other gear the catalog lacks, in words of driving: that gear is the
    # source ("my Fiio BTR3K barely gets my HD 650 loud")
    pairing = bool(heads or g.unknown) and (g.source_by_name or bool(g.heads and u.unknown))
    power_of_one = bool(g.heads or g.unknown) and g.said("power_asked")  # "how many mW for X?"
    amp_asked = concrete_source and any(said("amp_needed", s) for s in g.asked)  # "... on the
    # controller: is that normal, or does it need an amp?"
    kind_on_source = bool(g.gear or concrete_source) and any(  # "run IEMs
        drive_in(s, True) and said("headphone_topic", s) for s in g.asked
    )  # from a powerful desktop amp? I have an Asgard 3": a source and a kind of headphone
    if g.said("explain") and not (pairing or power_of_one or amp_asked or kind_on_source):
        return "explain_spec"  # how driving works, about no pairing of gear in particular
    if heads or g.unknown:
        return "drive"
    if (concrete_source or u.platforms) and (adhoc_head or g.said("headphone_figures")):
        return "drive"  # "is 250 ohm too much for a Switch?": the console is the source
    if g.said("headphone_figures") and g.said("source_kind"):
        return "drive"  # "will a cheap USB sound card power 250 ohm headphones?"
    return "drive" if concrete_source else "explain_spec"


def _choosing(g: Signals) -> str | None:
    """Terms, comparisons, one product judged, a request for picks."""
    u = g.u
    if _one_judged(g) and not g.shopping and not (u.genres and g.said("fit_question")):
        return "product_info"  # "how good is the mic on the X?", "how long does its battery last?"
    weighed = len(_weighed(g)) >= 2 and any(  # "how does X compare to Y?" asked
        said("compared_outright", s) for s in g.asked
    )
    if g.said("explain") and g.said("spec_term") and not (g.shopping and u.budget_usd or weighed):
        return "explain_spec"  # (not "no idea which ones to buy ... in the $50 range")
    on_topic = g.about_headphones or g.said("spec_term") or g.said("term_question")
    if g.said("explain") and not g.described and not g.shopping and on_topic and not weighed:
        return "explain_spec"
    considered = [p for p in g.described if p["role"] in ("considering", "mentioned")]
    several = len(considered) + len([x for x in u.unknown if x.get("role") != "owned"])
    several += sum(  # "the XM5 and the Bose QC Ultra": a headphone name it asks about, weighed
        1 for a in u.ambiguous if a["kind"] == "headphone" and a["role"] != "owned"
    )
    several += sum(1 for d in u.devices if d.get("choice"))  # "Sony or Bose?": makers weighed
    # sources weighed, some the catalog lacks ("Fiio M11S or Hiby R6?"), perhaps for one
    # headphone ("Magni Heresy or Topping L30 II for the HD 600?")
    sources = len(g.gear) + sum(
        1 for x in g.unknown if x.get("role") in ("source", "amp") or (g.gear and not g.described)
    )
    settled = g.gear or any(a["kind"] == "source" for a in u.ambiguous)  # "Schiit Magni": which?
    if sources >= 2 and len(g.described) <= 1 and settled and g.said("compare"):
        return "compare_sources"
    asked = " ".join(g.asked)
    if several >= 2 and (
        said("choice_asked", asked)
        or (g.said("compare") and not (u.budget_usd and g.said("open_request")))
    ):
        return "compare"
    owned = [p for p in g.described if p["role"] == "owned"] + [
        x
        for x in g.unknown
        if x.get("role") == "owned"  # a name it cannot settle, too
    ]
    if owned and several >= 1 and g.said("upgrade_to"):
        return "compare"  # what one has against a named other model
    named = g.asked_of(g.described or g.unknown)  # (a name it cannot settle counts: the
    # answer asks which; not gear told as background)
    if len(named) == 1 and u.genres and g.said("fit_question") and not g.shopping:
        return "genre_fit"
    if named and g.said("product_question") and not g.shopping:
        return "product_info"
    return None


_ONE_TO_FIND = re.compile(r"\b(?:something|anything|ones?|pair|replacement)\b", re.I)


def _states(sentence: str) -> bool:
    """The question itself (after any lead-in sentence or clause) asks whether something is so,
    or where or what becomes of it (``state_question``), not for something to buy."""
    last = re.split(r"[.:;!]\s+", sentence)[-1].lstrip(" ]")
    clauses = [last, last.rsplit(",", 1)[-1], _PHRASE_FIRST.sub("", last)]
    return any(shapes()["state_question"].match(c) for c in clauses)


# a phrase before the question itself: "Despite a large diaphragm, how is it that ...?"
_PHRASE_FIRST = re.compile(
    r"^(?:despite|given|ignoring|apart from|aside from|besides|regardless of|in terms of)\b"
    r"[^,?]{0,60}?\s(?=(?:how|why|what|is|are|do|does|can|could|would|will)\b)",
    re.I,
)


_NEED_FIELDS = ("use", "genre", "constraint", "leaning", "platform")


def _need_asked(g: Signals, fields: tuple[str, ...] = _NEED_FIELDS) -> bool:
    """A need (a use, genre, constraint, leaning or platform: ``fields``) said in a sentence that
    asks, or the post asks nothing in particular: background ("I work from home.") before a
    question about something else is no need to shop for."""
    needs = [f.span.lower() for f in g.u.facts if f.field in fields]
    if not g.asked or not all(_about_itself(s) for s in g.asked):
        return bool(needs)  # "I run every morning [...] What do people use?"
    return any(n in s.lower() for n in needs for s in g.asked)


def _buying_asked(g: Signals) -> bool:
    """Words of buying or of a need asked about, or said in a post that asks nothing of its own:
    "Recent purchases from iFi [...] Are balanced headphones necessary?" asks what balanced
    headphones are for, not what to buy."""
    if g.said("needs") or g.u.budget_usd or g.u.budget_foreign:
        return True  # "I just want something decent under $60": a need told is one to shop for
    explicit = "?" in g.text or any(said("embedded_question", s) for s in g.asked)
    if not explicit or not all(_about_itself(s) for s in g.asked):
        return g.shopping  # (a post that asks nothing outright: its buying words are the request)
    return any(said("shopping", s) for s in g.asked)


def _about_itself(sentence: str) -> bool:
    """A question with a subject of its own: whether something is so, what it does or means, or
    a term of the trade with nothing asked to buy ("what will a 6 kHz peak sound like?")."""
    own = ("explain", "definition", "effect_question", "explain_outright", "why_asked")
    terms = (said("spec_term", sentence) or said("audio_terms", sentence)) and not said(
        "shopping", sentence
    )
    return _states(sentence) or terms or any(said(k, sentence) for k in own)


def _requesting(g: Signals) -> str:
    """A request for picks, a question about headphones, or nothing to answer."""
    u = g.u
    kind_asked = g.asked and all(
        said("kind_question", s) or said("kind_versus", s) for s in g.asked
    )
    exists = any(shapes()["exists_asked"].match(s) for s in g.asked)
    shopping_asked = any(said("shopping", s) for s in g.asked)  # (not "I'm about to buy ...")
    needs = u.uses or u.genres or u.platforms
    if (
        kind_asked
        and not (g.asked_of(g.described + g.unknown) or u.budget_usd or exists)
        and not (g.shopping and (shopping_asked or needs))
    ):
        return "explain_spec"  # "Are open-back headphones good for gaming?": about the kind
    if (
        g.said("fault")
        and g.said("fix_request")
        and not g.about_headphones
        and only_asks_for_a_fix(g)
    ):
        return "out_of_scope"  # "the cable box has no sound [...] any suggestions?"
    howto = g.asked and all(shapes()["how_it_is_done"].match(s) for s in g.asked)
    if howto and not g.shopping and not g.said("needs"):  # "how do you hear with headphones?"
        placed = g.gear or u.sources or u.devices or u.platforms or g.said("chain_terms")
        placed = placed or g.said("chain")  # "how do I split the headphone output?"
        return "chain" if placed else "explain_spec"
    if _buying_asked(g):
        return "recommend"
    if any(said("similar", s) and _ONE_TO_FIND.search(s) for s in g.asked):
        return "recommend"  # "where can I find something that sounds the same?" (no model named)
    stated = u.flags and not _need_asked(g, ("use", "genre", "platform"))
    if stated and g.asked and all(_states(s) for s in g.asked):
        return "explain_spec"  # "Can ANC cause dizziness?": the flag is the subject, not a need
    if g.asking and g.about_headphones and _need_asked(g):
        return "recommend"  # a need described in a question
    if (
        g.about_headphones
        and (u.flags or u.uses)
        and any(said("solution_asked", s) for s in g.asked)
    ):
        return "recommend"  # a need told, then "is there a way to ...?"
    if g.asking and g.about_headphones:
        return "explain_spec"  # a question about headphones with no need to shop for
    wants = u.budget_usd or u.platforms or u.flags
    profile = u.genres and (wants or u.uses) or u.uses and wants and g.about_headphones
    if profile and not (g.asked and all(_about_itself(s) for s in g.asked)):
        return "recommend"  # a profile without a question ("Closed back for office, no ANC"),
        # not music told before a question of its own ("I listen to rock. Why does my TV lag?")
    if not g.about_headphones and g.asking:
        if g.said("spec_term") and not g.said("other_gear"):
            return "explain_spec"  # a DAC, an amp, impedance: the gear around headphones
        if (
            (g.said("explain") or g.said("definition") or g.said("effect_question"))
            and g.said("audio_terms")
            and not g.said("other_gear")
        ):
            return "explain_spec"  # "is wired still better than Bluetooth for sound quality?"
        return "out_of_scope"
    return "none"


def read_intent(u: Understood) -> str:
    """The intent, stage by stage: out of scope, how it works, driving, choosing, requesting;
    then weighed by the model fitted to labelled questions (:mod:`ask_model`), which has the
    last word on the class of question. An out-of-scope question keeps why in
    ``u.scope_reason`` (its answer says so); ``u.intent_read`` keeps how the intent was read. A
    post of a few words on one line with no mark, in which nothing else is found to answer, is
    read as a title that asks ("Balanced worth it", "cheap anc over ears")."""
    g = signals(u)
    intent = _stages(u, g)
    short = "\n" not in u.text.strip() and len(u.text.split()) <= SHORT_TITLE_WORDS
    if intent == "none" and short and "?" not in u.text:
        g = signals(u, as_title=True)
        intent = _stages(u, g)
    u.intent_read = read = weigh(u, g, intent)
    if read.by == "rules":
        return intent
    u.scope_reason = (out_of_scope(g) or "other") if read.best == "out-of-scope" else None
    return _intent_of_class(read.best, g)


_COMPARING = ("compare", "compare_sources", "genre_fit", "product_info")


def _intent_of_class(cls: str, g: Signals) -> str:
    """earwise's intent for a class of question the rules did not read: the rules' finer
    reading within the class where they give one."""
    if cls == "compare":
        fine = _choosing(g)  # (else one thing named is judged, two or more are weighed)
        named = len(g.heads) + len(g.unknown)
        return fine if fine in _COMPARING else "product_info" if named == 1 else "compare"
    return {"explain": "explain_spec", "out-of-scope": "out_of_scope"}.get(cls, cls)


def _stages(u: Understood, g: Signals) -> str:
    u.scope_reason = out_of_scope(g)
    if u.scope_reason:
        return "out_of_scope"
    for stage in (_how_it_works, _driving, _choosing):
        intent = stage(g)
        if intent is not None:
            return intent
    intent = _requesting(g)
    if intent == "out_of_scope":
        u.scope_reason = "other"
    return intent
