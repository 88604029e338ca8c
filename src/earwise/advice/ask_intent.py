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
from dataclasses import dataclass
from functools import cache, lru_cache

from earwise.advice.ask_text import Understood, vocab
from earwise.catalog.platforms import NO_BLUETOOTH_AUDIO


@cache
def shapes() -> dict[str, re.Pattern]:
    return {k: re.compile(v, re.I) for k, v in vocab()["intent_shapes"].items()}


# Quote marks around a word or phrase ("I keep reading that I 'need' an amp"), not apostrophes
# inside one ("don't"): shapes read the words, not the quoting.
_QUOTES = re.compile(r"(?<![\w])['‘’\"“”]+|['‘’\"“”]+(?![\w])")


_unquoted = lru_cache(maxsize=256)(lambda text: _QUOTES.sub("", text))  # once per text


def _said(name: str, text: str) -> bool:
    return bool(shapes()[name].search(_unquoted(text)))


def _named(u: Understood) -> tuple[list[dict], list[dict]]:
    heads = [p for p in u.products if p["kind"] == "headphone"]
    gear = [p for p in u.products if p["kind"] == "source"]
    return heads, gear


def asked_sentences(text: str) -> list[str]:
    """The sentences that ask (ending in a question mark, or a statement of what one does not
    know: "I'm not sure which cable goes where."): what is asked is there; the rest of a post is
    context ("For budget IEMs I have shortlisted a few [...] What distinguishes an IEM from
    in-ear headphones?")."""
    out = []
    for m in re.finditer(r"(?:[^.?!\n]|\.(?=\d))*\?", text):  # "16/44.1 enough?": one sentence
        s = m.group(0).strip()
        if not s.strip(" ?"):
            continue
        points_back = len(s.split()) <= 5 and _DEICTIC.search(s)
        if points_back:  # "Is that normal?": about the sentence before
            before = re.findall(r"[^.?!\n]+[.!]?\s*$", text[: m.start()])
            s = (before[-1].strip() + " " + s) if before else s
        out.append((m.start(), s))
    for m in re.finditer(r"(?:[^.?!\n]|\.(?=\d))+(?:[.!\n]|$)", text):
        if _said("embedded_question", m.group(0)):  # "I'm confused about what cable goes where."
            out.append((m.start(), m.group(0).strip().rstrip(".!") + "?"))
    if not out and _QUESTION_START.match(text):  # "is aptx worth it": a question without its mark
        out.append((0, text.strip()))
    return [s for _, s in sorted(out)]


_QUESTION_START = re.compile(
    r"\s*(?:is|are|do|does|did|can|could|should|will|would|what|why|how|which|where)\b", re.I
)
_DEICTIC = re.compile(r"\b(?:that|this|it|so)\b", re.I)


def _drive_in(text: str, source_named: bool) -> bool:
    """Whether the text asks if something drives: the drive shapes, or "is X good enough" /
    "can X handle" when a source is named."""
    return (
        _said("drive", text)
        or (source_named and _said("drive_enough", text))
        or any(
            _said("use_with", s) and not _said("chain_terms", s) for s in re.split(r"[.?!]", text)
        )
    )


def _explain_asked(g: _Signals) -> bool:
    """The questions asked are about what something is or why, more than about how to connect,
    whether something drives, or what to buy; and they name no pairing of headphone and source."""
    asked, source_named = g.asked, g.source_named
    if not asked or (g.heads and g.gear):
        return False
    asked = [s.rsplit(":", 1)[-1] for s in asked]  # "Before I buy: why do ...?" asks the why
    if g.u.budget_usd is not None and g.said("needs") and not any(_said("eli5", s) for s in asked):
        return False  # "Why is it all so expensive? I just want something under $60": a request
    if (g.heads or g.u.unknown) and any(_drive_in(s, source_named) for s in asked):
        return False  # whether a named headphone is driven: a pairing, not a definition
    whys = [s for s in asked if _said("why_asked", s)]
    if (
        g.u.budget_usd is None
        and whys
        and not any(_said("shopping", s) for s in asked if s not in whys)
    ):
        return True  # "Why do people EQ instead of buying ...?" (not "Why is it so hard to find
        # comfortable ones? Anything you'd suggest?": a buyer venting, then asking for picks)
    if g.u.budget_usd is None and any(
        _said("eli5", s) and not _drive_in(s, source_named) for s in asked
    ):
        return True  # "ELI5 ... the difference", "can someone explain": whatever else it mentions
    if any(_said("explain_outright", s) or _said("definition", s) for s in asked) and not any(
        _said("shopping", s) for s in asked
    ):
        return True  # "can someone explain what an impedance adapter does?"
    count = {k: sum(_said(k, s) for s in asked) for k in ("explain", "chain", "shopping")}
    count["chain"] -= sum(_said("chain", s) and _said("effect_question", s) for s in asked)
    count["drive"] = sum(_drive_in(s, source_named) for s in asked)
    return (
        count["explain"] > 0
        and count["shopping"] == 0
        and count["explain"] > max(count["chain"], count["drive"])
    )


@dataclass
class _Signals:
    """What every stage of :func:`read_intent` looks at, read once."""

    u: Understood
    heads: list[dict]  # catalog headphones named (or one described by figures)
    gear: list[dict]  # catalog sources and amps named
    unknown: list[dict]  # named gear the catalog lacks, or names it cannot settle
    about_headphones: bool  # one named, the word, or a term only headphones have
    asking: bool
    shopping: bool
    pairing_asked: bool  # a headphone and a source with drive words
    source_named: bool  # a catalog source, a device, figures of one, or "my phone"
    source_by_name: bool  # the same without figures ("300 mW @ 600 ohm" may be a requirement)
    # the headphones named, or one described by its figures ("98 dB/mW, 250 ohm"): from the
    # driving stage on, a described headphone counts as one named
    described: list[dict]
    asked: list[str]  # the sentences that ask (asked_sentences)

    def said(self, shape: str) -> bool:
        return _said(shape, self.u.text)

    @property
    def drive(self) -> bool:
        return _drive_in(self.u.text, self.source_named)


def _signals(u: Understood) -> _Signals:
    heads, gear = _named(u)
    unknown = u.unknown + u.ambiguous
    source_by_name = (  # "my Focusrite" and "my iPod" are devices; "my Schiit Magni" ambiguous
        bool(gear or u.sources)
        or any(d["role"] == "source" for d in u.devices)
        or any(x.get("role") in ("source", "amp") for x in u.unknown)
        or any(x.get("kind") == "source" for x in u.ambiguous)
        or _said("my_source", u.text)
    )
    source_named = source_by_name or u.adhoc_source is not None or bool(u.devices)
    return _Signals(
        u=u,
        heads=heads,
        gear=gear,
        unknown=unknown,
        about_headphones=bool(heads or unknown or u.makers)
        or _said("headphone_topic", u.text)
        or _said("headphone_terms", u.text),
        asking="?" in u.text or _said("request", u.text) or bool(_QUESTION_START.match(u.text)),
        shopping=_said("shopping", u.text) or u.budget_usd is not None,
        pairing_asked=bool(heads) and bool(gear or u.unknown) and _drive_in(u.text, source_named),
        source_named=source_named,
        source_by_name=source_by_name,
        described=heads
        or (
            [{"id": None, "kind": "headphone", "role": "considering"}]
            if u.adhoc_headphone is not None and u.adhoc_headphone.complete()
            else []
        ),
        asked=asked_sentences(u.text),
    )


_PERSONAL = re.compile(
    r"\b(?:my|mine|i|i'm|i've|we|our|me|anyone else'?s?|anybody else'?s?)\b", re.I
)


def _no_bluetooth_console(g: _Signals) -> bool:
    """A console that takes no Bluetooth audio named with a headphone: "my PS5 won't detect my
    XM4, how do I pair them?" is how to connect them (a chain question), not a fault or a chore."""
    return bool(
        set(NO_BLUETOOTH_AUDIO) & set(g.u.platforms) and (g.heads or g.said("bluetooth_said"))
    )


def _out_of_scope(g: _Signals) -> str | None:
    """Why the question is not one earwise answers ('fault', 'music', 'care', 'other_gear',
    'diy'), or None: a fault, music to play, care and shops, other gear, electronics design."""
    text, not_pairing = g.u.text, not g.pairing_asked
    no_bt_console = _no_bluetooth_console(g)  # "my PS5 won't detect my XM4": how to connect
    if (
        g.said("fault")
        and _PERSONAL.search(text)  # "my left cup crackles"; "why do IEMs hiss?" is a why
        and (not g.shopping or _only_asks_for_a_fix(g))  # "... any suggestions?" asks for a fix
        and not_pairing
        and not g.said("similar")
        and not g.said("gear_fix")
        and not g.said("eli5")  # "can someone explain why my IEMs hiss on my laptop?"
        and not any(_said("purpose_question", s) for s in g.asked)  # "the point of the foams?"
        and not g.said("hiss_asked")  # "does it have audible hiss with sensitive IEMs?"
        and not (g.heads and (g.source_named or g.u.unknown) and g.said("hiss_fault"))  # computed
        and not no_bt_console
        and not (  # "I think it's the amp. Why would an amp hiss with IEMs?": asked in general
            g.asked and all(_said("why_asked", s) and not _PERSONAL.search(s) for s in g.asked)
        )
        and not (
            g.said("bt_mic_quality") and g.said("bluetooth_said")
        )  # HFP call quality: explained
    ):
        return "fault"  # (not "mine broke, I want one that sounds the same")
    if g.said("part_replace") and g.u.budget_usd is None:
        return "care"  # "my HD 6XX headband cracked, can I replace it?": a spare part
    if g.said("music_request"):
        return "music"
    if g.said("production_task") and not g.heads and not g.said("headphone_topic"):
        return "other"  # "what sample rate should I export my podcast at?": a studio's question
    asked = g.asked or [text]
    if any(_said("rules_question", s) for s in asked) and not any(
        _said("shopping", s) for s in asked
    ):
        return "other"  # laws, rules and policies asked about
    if g.said("medical") and g.u.budget_usd is None and not _said("shopping", _without_fix(g)):
        return "other"  # symptoms in the ears and what to do about them: a doctor's question
    if g.said("not_advice") and not g.shopping and not_pairing and not no_bt_console:
        return "care"  # cleaning, returns, software set-up (not pairing with a console that has
        # no Bluetooth audio: how to connect, a chain question)
    if g.said("shop_trust"):
        return "care"  # whether a shop can be trusted
    if g.said("where_to_buy") and g.u.budget_usd is None and not g.said("needs"):
        return "care"  # a shop for a named product
    if not g.heads and g.said("output_to_gear"):
        return "other_gear"
    asks_of_headphones = any(  # the question itself is about headphones, not other gear
        _said("headphone_topic", s) and not _said("other_gear_choice", s) for s in g.asked
    )
    if not g.heads and g.said("other_gear_choice") and not asks_of_headphones:
        return "other_gear"  # "which speakers would pair well with my Magni?": speakers chosen
    words = g.said("headphone_topic") or g.said("headphone_terms")
    amp_or_dac = (
        bool(g.gear)
        or any(x.get("kind") == "source" for x in g.u.ambiguous)
        or g.said("dac_named")  # "what does a DAC do for a cheap CD player?": about the DAC
    )
    if not g.heads and not words and not amp_or_dac and g.said("other_gear"):
        return "other_gear"  # gear the catalog lacks ("a Shure MV7") is no headphone by itself
    other = len(shapes()["other_gear"].findall(text))
    if (
        not g.heads
        and other >= 2
        and other > len(shapes()["headphone_topic"].findall(text))
        and not asks_of_headphones  # "... woofers and tweeters. But how do headphones do bass?"
    ):
        return "other_gear"  # mostly about other gear (speakers, mixers, receivers)
    if g.said("diy_design") and not g.heads or g.said("diy_build") and not g.gear:
        return "diy"  # building an amp, even for one's own headphone (not a catalog source)
    return None


def _one_judged(g: _Signals) -> bool:
    """One named product (or a name it cannot settle) asked about in a product question."""
    others = [x for x in g.u.unknown if x.get("role") not in ("source", "amp")]  # "over the Q45"
    one = len(g.heads) + len(g.u.ambiguous) + len(others) == 1
    return one and any(_said("product_question", s) for s in g.asked)


def _weighed(g: _Signals) -> list[dict]:
    """The products named for their own sake, not as examples of a kind ("closed headphones like
    the M50x"): an explanation may name examples without asking to compare them."""
    return [
        p
        for p in g.heads + g.unknown
        if not shapes()["example_before"].search(g.u.text[max(0, p["start"] - 12) : p["start"]])
    ]


def _how_it_works(g: _Signals) -> str | None:
    """Like X but ..., what or why, how things connect."""
    if g.said("similar") and (g.heads or g.unknown) and not g.said("eq_said"):
        return "similar"  # "like X but ...": before the definitional shapes ("what's a closed X?")
    if g.said("bt_mic_quality") and g.said("bluetooth_said") and not g.shopping:
        return "explain_spec"  # the headset profile's call quality (HFP), how the link works
    asked = g.asked
    if (
        (g.about_headphones or g.said("spec_term"))
        and (not _one_judged(g) or any(_said("eli5", s) for s in g.asked))  # "can someone
        # explain what X means for my Y" (but "how long does the AirPods Max's battery last?")
        and _explain_asked(g)
        and not (len(_weighed(g)) >= 2 and g.said("compare"))
    ):
        return "explain_spec"
    about = g.heads or g.gear or g.u.sources or g.unknown or g.about_headphones or g.u.platforms
    drive_asked = asked and all(
        _drive_in(s, g.source_named) and not _said("chain", s) for s in asked
    )
    chain = g.said("chain") or any(
        _said("chain_terms", s) and (_said("request", s) or _drive_in(s, g.source_named))
        for s in asked
    )
    if g.shopping and not any(_said("chain_howto", s) for s in asked or [g.u.text]):
        chain = False  # connection words in a request for products are what they must plug into
    if (
        asked
        and all(_said("effect_question", s) for s in asked if _said("chain", s))
        and any(_said("audio_terms", s) for s in asked)
    ):
        chain = False  # "how do I get better sound from my phone?": what improves it, explained
    if any(_said("loud_asked", s) for s in asked) and g.drive:
        chain = False  # "how loud will the HD 800 S get on an iPhone with the adapter?": driving
    if chain and (about or g.said("spec_term")) and not drive_asked:
        return "chain"  # unless all that is asked is whether it drives ("plugged in ... amp?")
    return None


def _driving(g: _Signals) -> str | None:
    """Which amp for a headphone; will / can / is ... enough; how driving works."""
    u = g.u
    concrete_source = g.source_named
    adhoc_head = u.adhoc_headphone is not None and u.adhoc_headphone.complete()
    heads = g.described
    if (heads or g.unknown) and g.said("amp_request") and not u.genres and not g.drive:
        return "amps"
    if heads and (g.source_named or u.unknown) and g.said("hiss_fault") and not g.shopping:
        return "drive"  # "my Topping hisses with my Andromeda": the hiss figure is computed
    if not g.drive:
        return None
    if (
        g.shopping
        and not (heads or g.unknown)
        and not any(_drive_in(s, concrete_source) and not _said("shopping", s) for s in g.asked)
    ):
        return None  # picks that must play loud from a phone or may get an amp later: shopping
    unknown_heads = [x for x in g.unknown if x.get("role") not in ("source", "amp")]
    if not heads and not unknown_heads and g.said("dac_need") and not g.said("amp_words"):
        return "explain_spec"  # "do I need a DAC if my motherboard has ...?": what a DAC does
    # a catalog headphone and other gear the catalog lacks, in words of driving: that gear is the
    # source ("my Fiio BTR3K barely gets my HD 650 loud")
    pairing = bool(heads or g.unknown) and (g.source_by_name or bool(g.heads and u.unknown))
    power_of_one = bool(g.heads or g.unknown) and g.said("power_asked")  # "how many mW for X?"
    if g.said("explain") and not pairing and not power_of_one:
        return "explain_spec"  # how driving works, about no pairing of gear in particular
    if heads or g.unknown:
        return "drive"
    if concrete_source and (adhoc_head or g.said("headphone_figures")):
        return "drive"
    return "drive" if concrete_source else "explain_spec"


def _choosing(g: _Signals) -> str | None:
    """Terms, comparisons, one product judged, a request for picks."""
    u = g.u
    if _one_judged(g) and not g.shopping and not (u.genres and g.said("fit_question")):
        return "product_info"  # "how good is the mic on the X?", "how long does its battery last?"
    if g.said("explain") and g.said("spec_term") and not (g.shopping and u.budget_usd):
        return "explain_spec"  # (not "no idea which ones to buy ... in the $50 range")
    on_topic = g.about_headphones or g.said("spec_term") or g.said("term_question")
    if g.said("explain") and not g.described and not g.shopping and on_topic:
        return "explain_spec"
    considered = [p for p in g.described if p["role"] in ("considering", "mentioned")]
    several = len(considered) + len([x for x in g.unknown if x.get("role") != "owned"])
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
        _said("choice_asked", asked)
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
    named = g.described or g.unknown  # (a name it cannot settle counts: the answer asks which)
    if len(named) == 1 and u.genres and g.said("fit_question") and not g.shopping:
        return "genre_fit"
    if named and g.said("product_question") and not g.shopping:
        return "product_info"
    return None


def _without_fix(g: _Signals) -> str:
    """The text without "any suggestions?" and the like (asking for a fix, not for products)."""
    return shapes()["fix_request"].sub(" ", g.u.text)


def _only_asks_for_a_fix(g: _Signals) -> bool:
    """No budget, no need, and no buying words once "any suggestions?" is set aside."""
    rest = _without_fix(g)
    return g.u.budget_usd is None and not g.said("needs") and not _said("shopping", rest)


def _states(sentence: str) -> bool:
    """The question itself (after any lead-in sentence or clause) asks whether something is so,
    or where or what becomes of it (``state_question``), not for something to buy."""
    last = re.split(r"[.:;!]\s+", sentence)[-1].lstrip(" ]")
    return any(shapes()["state_question"].match(c) for c in (last, last.rsplit(",", 1)[-1]))


def _requesting(g: _Signals) -> str:
    """A request for picks, a question about headphones, or nothing to answer."""
    u = g.u
    kind_asked = g.asked and all(
        _said("kind_question", s) or _said("kind_versus", s) for s in g.asked
    )
    exists = any(shapes()["exists_asked"].match(s) for s in g.asked)
    if kind_asked and not (g.described or g.unknown or g.shopping or u.budget_usd or exists):
        return "explain_spec"  # "Are open-back headphones good for gaming?": about the kind
    if (
        g.said("fault")
        and g.said("fix_request")
        and not g.about_headphones
        and _only_asks_for_a_fix(g)
    ):
        return "out_of_scope"  # "the cable box has no sound [...] any suggestions?"
    howto = g.asked and all(shapes()["how_it_is_done"].match(s) for s in g.asked)
    if howto and not g.shopping and not g.said("needs"):  # "how do you hear with headphones?"
        placed = g.gear or u.sources or u.devices or u.platforms or g.said("chain_terms")
        return "chain" if placed else "explain_spec"
    if g.shopping or g.said("needs"):
        return "recommend"
    stated = u.flags and not (u.uses or u.genres or u.platforms)
    if stated and g.asked and all(_states(s) for s in g.asked):
        return "explain_spec"  # "Can ANC cause dizziness?": the flag is the subject, not a need
    if g.asking and g.about_headphones and (u.uses or u.genres or u.flags or u.platforms):
        return "recommend"  # a need described in a question
    if g.asking and g.about_headphones:
        return "explain_spec"  # a question about headphones with no need to shop for
    if u.genres and (u.budget_usd or u.uses or u.platforms or u.flags):
        return "recommend"  # a profile without a question is still a request for advice
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
    """The intent, stage by stage: out of scope, how it works, driving, choosing, requesting.
    An out-of-scope question keeps why in ``u.scope_reason`` (its answer says so)."""
    g = _signals(u)
    u.scope_reason = _out_of_scope(g)
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
