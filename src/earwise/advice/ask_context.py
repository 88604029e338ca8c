"""Reading a question, the last pass: facts the words around a name settle once every name is
read. A price right after a named product is its price, not a budget; gear said to be "enough
for" or used "with" a named headphone is its source; an amp or an instrument they plug into makes
the headphones wired; a platform word is meant only when not left behind ("switched from
Android"); a battery may be a source's; a child's age is the kids use."""

from __future__ import annotations

import re

from earwise.advice.ask_budget import NUMBER_WORDS
from earwise.advice.ask_roles import owned_by_context
from earwise.advice.ask_text import Understood, vocab
from earwise.catalog.store import normalise_name
from earwise.catalog.view import CatalogView

SOURCE_INTENTS = ("drive", "chain", "amps")  # answers that turn on the source


def which_of(a: dict, article: str = "") -> str:
    """The models a name could be, for a question or a sentence: all of them when a few (each
    after ``article``), else how many and the first three ("one of the 11 AirPods in the
    catalog (...)")."""
    labels = a["labels"]
    if len(labels) <= vocab()["names_asked_one_by_one"]:
        return article + f" or {article}".join(labels)
    return f"one of the {len(labels)} {a['name']} in the catalog ({', '.join(labels[:3])}, ...)"


# "I can get the HD 600 for $250 used", "the Sundara at $299": the price of a named product
_PRICE_AFTER_NAME = re.compile(
    r"\s*(?:used |new |refurbished )?(?:for|at|is|was|costs?|for only|for just)\s*$", re.I
)


def price_of_a_named_product(u: Understood) -> None:
    """A budget read right after a named product is that product's price, not the reader's
    budget (unless budget words say otherwise)."""
    if u.budget_usd is None:
        return
    fact = next((f for f in u.facts if f.field == "budget_usd"), None)
    if fact is None or re.search(
        r"budget|spend|afford|\bmax|up to|\bunder\b|limit",
        u.text[max(0, fact.start - 25) : fact.start],
        re.I,
    ):
        return
    named = [p["end"] for p in u.products if p["kind"] == "headphone"] + [
        g["end"] for g in u.unknown
    ]
    if any(
        0 <= fact.start - e <= 20 and _PRICE_AFTER_NAME.fullmatch(u.text[e : fact.start])
        for e in named
    ):
        u.budget_usd = u.budget_min_usd = u.budget_original = None
        u.facts = [f for f in u.facts if f.field != "budget_usd"]


def budget_from_a_named_price(u: Understood, view: CatalogView) -> None:
    """No amount, one catalog headphone and "for the same money" ("Is the HD 600 still the one
    to get, or is there something better for the same money?"): its catalog price is the budget,
    named as such in the opening. A headphone without a price leaves the budget unknown."""
    heads = [p for p in u.products if p["kind"] == "headphone"]
    m = re.search(vocab()["same_money"], u.text, re.I)
    if u.budget_usd is not None or m is None or len(heads) != 1:
        return
    h = view.headphones[heads[0]["id"]]
    if not h.price_usd:
        return
    u.budget_usd = float(h.price_usd)
    u.budget_original = f"the {h.display_name}'s price"
    u.add("budget_usd", u.budget_usd, m)


_ENOUGH_FOR = re.compile(
    r"\s+(?:(?:be |is |are )?(?:really |actually |powerful |good |strong )?(?:enough|sufficient|adequate)"
    r"|(?:have|has|got) (?:enough|sufficient|the) (?:power|juice|output|current|voltage|oomph))"
    r"\s+(?:to (?:drive|power|run)\s+|for\s+)(?:the |my |a |an )?",
    re.I,
)
# "I'm using a FiiO K5 Pro with the DT 990": the gear one drives a named headphone with
_DRIVES_WITH = re.compile(
    r"\s+(?:with|for|to (?:drive|power|run)|into)\s+(?:the |my |a |an |his |her )?", re.I
)
_DRIVING_VERB = re.compile(
    r"\b(?:using|use|used|run|running|pair\w*|driv\w*|power\w*|plug\w*)\s+(?:a |an |the |my )?$",
    re.I,
)


def enough_for_a_headphone(u: Understood) -> None:
    """Gear the catalog lacks, said to be "enough for" a named headphone ("Is a FiiO BTR5 enough
    for the Sundara?") or used to drive one ("I'm using a FiiO K5 Pro with the DT 990 Pro"), is
    the source that would drive it."""
    heads = {p["start"] for p in u.products if p["kind"] == "headphone"} | {
        a["start"] for a in u.ambiguous if a["kind"] == "headphone"
    }
    for g in u.unknown:
        if g["role"] == "source":
            continue
        m = _ENOUGH_FOR.match(u.text, g["end"])
        w = _DRIVES_WITH.match(u.text, g["end"])
        driving = _DRIVING_VERB.search(u.text[max(0, g["start"] - 30) : g["start"]])
        if (m and m.end() in heads) or (w and driving and w.end() in heads):
            g["role"] = "source"


# Gear named with a cue that it is a product, by a maker the catalog does not know: "a company
# TV Ears makes", "a brand called Raycon", "the Roadwarrior Bluetooth by Blue Parrott".
_NAME = (
    r"(?!(?:I|I'm|I've|We|You|He|She|They|It|The|A|An|This|That|My|Our|Their|His|Her)\b)"
    r"(?-i:[A-Z][\w&'-]*)(?: (?-i:[A-Z0-9][\w&'-]*)){0,2}"
)
_MAKER_CUE = re.compile(
    rf"\b(?:company|brand|maker|manufacturer)(?: called| named)? (?P<name>{_NAME})"
    rf"|\bthe (?P<model>{_NAME}) by (?P<by>{_NAME})",
    re.I,
)


def named_by_a_cue(u: Understood, brands: set[str]) -> None:
    """Gear the catalog lacks, named with a cue that it is a product ("a company TV Ears makes",
    "the Roadwarrior Bluetooth by Blue Parrott"), kept to be named back ("I don't know X yet").
    A maker the catalog knows named alone ("the company Sony") is a maker, not gear (``brands``:
    normalised maker names)."""
    taken = [(p["start"], p["end"]) for p in u.products + u.unknown + u.devices + u.ambiguous]
    for m in _MAKER_CUE.finditer(u.text):
        start, end = (m.start("name"), m.end("name")) if m.group("name") else (
            m.start("model"), m.end("by"))  # fmt: skip
        if any(start < e and s < end for s, e in taken):
            continue
        name = u.text[start:end]
        if normalise_name(name) in brands or normalise_name(m.group("model") or "") in brands:
            continue  # a maker, or a maker's full name ("the Beats by Dr. Dre Studio Pro")
        u.unknown.append({"name": name, "role": "considering", "start": start, "end": end})
        u.add("unknown_product", {"name": name, "role": "considering"}, (start, end))
        taken.append((start, end))


def console_as_source(u: Understood, view: CatalogView) -> None:
    """A drive, chain or amp question that names a console and no source: its headphone jack is
    the source (``console_sources`` in ask.yaml); so is a console a request for picks says they
    plug into ("wired headphones I will plug into my PS5"). Not for a wireless headphone: it does
    not plug in, and the question is which links the console takes."""
    plugged = any(d["role"] == "source" and d["name"].lower() in vocab()["console_sources"]
                  for d in u.devices)  # fmt: skip
    if (
        (u.intent not in SOURCE_INTENTS and not (u.intent == "recommend" and plugged))
        or u.sources
        or any(p["kind"] == "source" for p in u.products)
        or any(view.headphones[p["id"]].wireless for p in u.products if p["kind"] == "headphone")
    ):
        return
    consoles = vocab()["console_sources"]
    u.sources += [consoles[p] for p in u.platforms if p in consoles][:1]


def unknown_gear_as_source(u: Understood) -> None:
    """A drive question that names one catalog headphone, no source, and gear the catalog lacks
    ("my Fiio BTR3K barely gets my HD 650 loud"): that gear is what drives it, so the answer says
    it worked with a phone instead and asks for its figures, not "what will you plug them into"."""
    heads = [p for p in u.products if p["kind"] == "headphone"]
    if u.intent != "drive" or len(heads) != 1 or u.sources or u.adhoc_source is not None:
        return
    if any(p["kind"] == "source" for p in u.products) or any(
        x["role"] in ("source", "amp") for x in u.unknown
    ):
        return
    if len(u.unknown) == 1:
        u.unknown[0]["role"] = "source"


# Sources that give nothing but a headphone socket (amps, DACs, dongles, sound cards, energizers):
# headphones plugged into one are wired. Phones, laptops, players and consoles also take Bluetooth.
CABLE_ONLY_SOURCES = frozenset(
    {"desktop-amp", "desktop-dac-amp", "portable-amp", "portable-dac-amp", "phone-dongle",
     "sound-card", "energizer"}
)  # fmt: skip


_LACKED = re.compile(
    r"\b(?:no|not|without|(?:don't|do not|doesn't|does not) (?:have|own|want|need)(?: to (?:buy|get))?"
    r"|instead of)\s+(?:\w+\s+){0,2}$",
    re.I,
)
_INTO = re.compile(
    r"\b(?:plug(?:ged|ging)?|connect(?:ed|ing)?|hook(?:ed|ing)? up) (?:\w+ )?(?:in)?to (?:my |an? |the )?$",
    re.I,
)


def plugged_into(u: Understood, view: CatalogView) -> str | None:
    """The amp, DAC or instrument the headphones will be plugged into, when one is named ("will be
    plugged into a Fiio K5 Pro", "practice on my digital piano"): the picks must be wired."""
    for p in u.products:
        if p["kind"] == "source" and view.devices[p["id"]].category in CABLE_ONLY_SOURCES:
            return view.label(p["id"])
    for g in u.unknown:  # an amp, or gear the catalog lacks with "plugged into" before it
        if g.get("role") == "amp" or _INTO.search(u.text[max(0, g["start"] - 30) : g["start"]]):
            return g["name"]
    for m in re.finditer(vocab()["intent_shapes"]["cable_only_gear"], u.text, re.I):
        if not _LACKED.search(u.text[max(0, m.start() - 30) : m.start()]):
            return m.group(0)  # (not "I don't have a headphone amp": no amp to plug into)
    return None


# A platform left behind: "I switched from Android to iPhone".
_LEFT_BEHIND = re.compile(
    r"\b(?:switch\w*|mov\w*|came|coming|chang\w*|migrat\w*|went) (?:over )?from (?:an? |my )?$",
    re.I,
)


def platform_meant(text: str, plat: str, s: int, e: int) -> bool:
    """A platform word at ``text[s:e]`` meant as one the headphones must work with: not "switch"
    the verb ("switch to wireless") and not a platform left behind."""
    console_noun = (
        text[s:e] == "Switch"
        and re.search(  # "too much for a Switch?": the console
            r"\b(?:my|a|the|his|her|our|their|your|kid's|son's|daughter's)\s+$",
            text[max(0, s - 12) : s],
            re.I,
        )
    )
    if (
        plat == "switch"
        and not console_noun
        and text[s:e].lower() == "switch"  # "Nintendo Switch", "Switch OLED" are the console
        and (
            not re.search(
                r"nintendo|console|games?|docked|handheld|joy-?cons?|tabletop", text, re.I
            )
            or re.match(r"\s+(?:to|from|between|over|off|on|it|them)\b", text[e : e + 10], re.I)
            or re.search(r"\b(?:to|i|will|would|might|should)\s+$", text[max(0, s - 8) : s], re.I)
        )
    ):
        return False
    return not _LEFT_BEHIND.search(text[max(0, s - 40) : s])


_OTHER_GEAR_BATTERY = re.compile(
    r"\b(?:phone|iphone|android|dap|player|walkman|ipod|laptop|tablet|ipad|dongle|amp|dac|switch)"
    r"(?:'s)?(?: \w+)?\s*$",
    re.I,
)


def other_battery(u: Understood) -> bool:
    """The battery asked about is a source's ("my DAP's battery life"), not the headphones'."""
    return any(
        f.value == "long_battery"
        and _OTHER_GEAR_BATTERY.search(u.text[max(0, f.start - 25) : f.start])
        for f in u.facts
    )


def read_child(u: Understood) -> None:
    """A child by age ("my daughter (6)", "my eight year old"): the kids use, up to kid_max_age."""
    v = vocab()
    for m in re.finditer(v["kid_age"], u.text, re.I):
        said = next(g for g in m.group("a", "b", "c") if g).lower()
        age = int(said) if said.isdigit() else NUMBER_WORDS[said]
        if age <= v["kid_max_age"] and "kids" not in u.uses:
            u.uses.append("kids")
            u.add("use", "kids", m)


def read_after_intent(u: Understood, view: CatalogView) -> None:
    """What the intent settles: a console's jack or unknown gear as the source, whose the names
    are when no word says."""
    console_as_source(u, view)
    unknown_gear_as_source(u)
    owned_by_context(u)
