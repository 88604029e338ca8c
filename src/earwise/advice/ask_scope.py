"""Reading a question, part 3b: whether it is one earwise answers (a fault, music to play,
care and shops, other gear, electronics design, manners are not)."""

from __future__ import annotations

import re

from earwise.advice.ask_signals import Signals, drive_in, said, shapes
from earwise.catalog.platforms import NO_BLUETOOTH_AUDIO

_PERSONAL = re.compile(
    r"\b(?:my|mine|i|i'm|i've|we|our|me|anyone else'?s?|anybody else'?s?)\b", re.I
)


def _no_bluetooth_console(g: Signals) -> bool:
    """A console that takes no Bluetooth audio named with a headphone: "my PS5 won't detect my
    XM4, how do I pair them?" is how to connect them (a chain question), not a fault or a chore."""
    return bool(
        set(NO_BLUETOOTH_AUDIO) & set(g.u.platforms) and (g.heads or g.said("bluetooth_said"))
    )


def out_of_scope(g: Signals) -> str | None:
    """Why the question is not one earwise answers ('fault', 'music', 'care', 'other_gear',
    'diy'), or None: a fault, music to play, care and shops, other gear, electronics design."""
    text, not_pairing = g.text, not g.pairing_asked
    no_bt_console = _no_bluetooth_console(g)  # "my PS5 won't detect my XM4": how to connect
    if (
        g.said("fault")
        and (_PERSONAL.search(text) or (g.heads and not g.asked) or g.said("fix_asked"))
        # "my left cup crackles", "Left earbud quieter than the right, fix?",
        # "Left earcup crackling, HD 598"; "why do IEMs hiss?" is a why
        and (not g.shopping or only_asks_for_a_fix(g))  # "... any suggestions?" asks for a fix
        and not_pairing
        and not g.said("similar")
        and not g.said("gear_fix")
        and not g.said("eli5")  # "can someone explain why my IEMs hiss on my laptop?"
        and not any(said("purpose_question", s) for s in g.asked)  # "the point of the foams?"
        and not g.said("hiss_asked")  # "does it have audible hiss with sensitive IEMs?"
        and not (g.heads and (g.source_named or g.u.unknown) and g.said("hiss_fault"))  # computed
        and not no_bt_console
        and not g.said("ground_loop")  # a ground loop is fixed in the connection
        and not (  # "Is 16 ohm too low for my Fiio K5 Pro? ... they hiss": whether it drives
            g.asked
            and all(drive_in(s, g.source_named) for s in g.asked)
            and (g.heads or g.gear or g.unknown)
        )
        and not (  # "... no sound from the 4.4 output. Which output should I select?": how to
            g.asked  # connect named gear, with the fault as its context
            and any(said("chain_howto", s) for s in g.asked)
            and (
                g.heads
                or g.gear
                or g.unknown
                or g.u.devices
                or any(said("chain", s) for s in g.asked)  # "how do I make it the output?"
            )
        )
        and not (  # "I think it's the amp. Why would an amp hiss with IEMs?": asked in general
            g.asked and all(said("why_asked", s) and not _PERSONAL.search(s) for s in g.asked)
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
    if g.said("software_request") and not g.heads_asked:
        return "other"  # an app to EQ with, a program to record in
    about_other = g.asked and all(  # every question asked is about other gear or production
        (said("production_task", s) or said("other_gear", s))
        and not said("headphone_topic", s)
        and not said("headphone_terms", s)
        for s in g.asked
    )
    connects_heads = g.heads and any(said("chain", s) for s in g.asked)  # "a switch box
    # that would let me hear all three" with the headphones told before: how they connect
    told = g.heads + g.gear + g.unknown  # (not "daisy chain my Magni", nor "I have a Magni
    # [...] do I need a speaker amp?": words of driving go on about the gear told)
    about_told = g.asked_of(told) or told and any(said("amp_words", s) for s in g.asked)
    if about_other and not (about_told or connects_heads):
        return "other_gear"  # "Is it bad to run 4 ohm speakers on it? My headphones work fine."
    if g.said("production_tips") and not g.heads_asked and not g.shopping:
        return "other"  # "any tips for mixing vocals on headphones?": a technique
    if g.said("production_task") and not (g.heads_asked or g.shopping or g.said("headphone_topic")):
        return "other"  # "what sample rate should I export my podcast at?": a studio's question
    asked = g.asked or [text]
    if any(said("rules_question", s) for s in asked) and not any(
        said("shopping", s) for s in asked
    ):
        return "other"  # laws, rules and policies asked about
    if (
        g.said("medical")
        and g.u.budget_usd is None
        and not said("shopping", without_fix(g))
        and not any(said("headphones_cause", s) for s in g.asked)  # "can IEMs cause ...?"
        and not g.said("headphones_wanted")  # "I have tinnitus and want headphones that ..."
    ):
        return "other"  # symptoms in the ears and what to do about them: a doctor's question
    if g.said("not_advice") and not g.shopping and not_pairing and not no_bt_console:
        return "care"  # cleaning, returns, software set-up (not pairing with a console that has
        # no Bluetooth audio: how to connect, a chain question)
    if g.said("opinion_poll") and not g.shopping and not (g.heads and g.said("compare")):
        return "other"  # the readers' own experience or taste polled
    if g.said("etiquette") and not g.shopping:
        return "other"  # manners ("is it rude to wear earbuds at the gym?")
    if g.said("shop_trust"):
        return "care"  # whether a shop can be trusted
    if g.said("where_to_buy") and g.u.budget_usd is None and not g.said("needs"):
        return "care"  # a shop for a named product
    if not g.heads_asked and g.said("output_to_gear"):
        return "other_gear"
    asks_of_headphones = any(  # the question itself is about headphones, not other gear
        said("headphone_topic", s) and not said("other_gear_choice", s) for s in g.asked
    )
    if not g.heads_asked and g.said("other_gear_choice") and not asks_of_headphones:
        return "other_gear"  # "which speakers would pair well with my Magni?": speakers chosen
    words = g.said("headphone_topic") or g.said("headphone_terms") or bool(g.u.makers)
    amp_or_dac = (
        bool(g.gear)
        or any(x.get("kind") == "source" for x in g.u.ambiguous)
        or g.said("dac_named")  # "what does a DAC do for a cheap CD player?": about the DAC
    )
    if not g.heads_asked and not words and not amp_or_dac and g.said("other_gear"):
        return "other_gear"  # gear the catalog lacks ("a Shure MV7") is no headphone by itself
    other = len(shapes()["other_gear"].findall(text))
    if (
        not g.heads
        and not g.gear  # a headphone DAC/amp set up beside speakers: how that gear connects
        and other >= 2
        and other > len(shapes()["headphone_topic"].findall(text))
        and not asks_of_headphones  # "... woofers and tweeters. But how do headphones do bass?"
        and not g.said("headphone_sink")  # "my record player with my headphones": its source
    ):
        return "other_gear"  # mostly about other gear (speakers, mixers, receivers)
    if _designing(g) and not g.heads or g.said("diy_build") and not g.gear:
        return "diy"  # building an amp, even for one's own headphone (not a catalog source)
    return None


def _designing(g: Signals) -> bool:
    """Electronics design asked about, or building one's own gear told: words of circuits in the
    background of another question are no design question ("Anybody who has studied circuits
    knows [...] So why do makers list impedance as a real number?")."""
    if not g.asked:
        return g.said("diy_design")
    return g.said("diy_build") or any(said("diy_design", s) for s in g.asked)


def without_fix(g: Signals) -> str:
    """The text without "any suggestions?" and the like (asking for a fix, not for products)."""
    return shapes()["fix_request"].sub(" ", g.text)


def only_asks_for_a_fix(g: Signals) -> bool:
    """No budget, no need, and no buying words once "any suggestions?" is set aside."""
    if g.u.budget_usd is not None or g.said("needs"):
        return False
    if g.asked and all(said("fix_asked", s) for s in g.asked):
        return True  # "Does anyone know how this problem can be fixed?" (a spare bought or not)
    return not said("shopping", without_fix(g))
