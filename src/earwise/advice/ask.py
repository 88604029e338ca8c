"""Ask in plain words: a reader's question -> listener profile + intent (with the text span behind
every fact) -> what is missing -> an answer from the engine, drive/chain checks and the explainer.

Vocabularies live in ``advice/data/ask.yaml``. Reading is split in three: facts, genres and budget
(:mod:`earwise.advice.ask_text`), product and gear names (:mod:`earwise.advice.ask_products`), and
here places, platforms, constraints, the intent and the profile. The public names of the first two
are re-exported here.
"""

from __future__ import annotations

import re
from functools import cache

from earwise.advice.ask_budget import BUDGET_INCLUDES_AMP, budget_unlimited, read_budget
from earwise.advice.ask_codes import read_bare_codes, read_family_codes, read_slash_codes
from earwise.advice.ask_context import (
    SOURCE_INTENTS,
    budget_from_a_named_price,
    enough_for_a_headphone,
    named_by_a_cue,
    other_battery,
    platform_meant,
    plugged_into,
    price_of_a_named_product,
    read_after_intent,
    read_child,
    which_of,
)
from earwise.advice.ask_devices import (
    merge_brand_sources,
    read_code_gear,
    read_devices,
    read_prefixed_codes,
    read_short_codes,
)
from earwise.advice.ask_gear import LEVEL_RANGE_DB, read_gear_figures, read_loudness
from earwise.advice.ask_intent import read_intent
from earwise.advice.ask_match import catalog_maker, maker_keys, read_makers
from earwise.advice.ask_names import merge_said_again, merge_touching
from earwise.advice.ask_products import (
    FUZZY_PRODUCT,
    read_ambiguous,
    read_products,
    read_unknown_gear,
)
from earwise.advice.ask_reference import like_forms, similar_modifiers, step_up_from
from earwise.advice.ask_series import read_series_numbers
from earwise.advice.ask_text import (
    DATA,
    Fact,
    Understood,
    phrase_hits,
    plain_typography,
    read_genres,
    vocab,
)
from earwise.advice.drive import need_for
from earwise.advice.weights import load_weights
from earwise.catalog.schema import PLATFORMS
from earwise.catalog.view import CatalogView
from earwise.core.errors import EarwiseError

__all__ = [
    "BUDGET_INCLUDES_AMP",
    "DATA",
    "FUZZY_PRODUCT",
    "MAX_QUESTION_CHARS",
    "QUESTIONS",
    "AskError",
    "Fact",
    "Understood",
    "apply_answer",
    "missing_for",
    "phrase_hits",
    "profile_fields",
    "read_budget",
    "read_genres",
    "read_products",
    "similar_modifiers",
    "step_up_from",
    "understand",
    "unknown_sources",
    "vocab",
]

MAX_QUESTION_CHARS = 10_000
STEP_UP_MAX_RATIO = load_weights().value("upgrade.step_up_max_ratio")
LIKE_MAX_RATIO = load_weights().value("similar.max_price_ratio")  # a replacement, not a flagship


class AskError(EarwiseError):
    """A question that cannot be read at all (empty, too long); one readable line."""


# --- places, platforms, sources, constraints, leanings, intent ------------------------------------


@cache
def _negation(pattern: str) -> re.Pattern:
    """A negation shape of ask.yaml, its contractions read with or without the apostrophe ("i
    dont want Bluetooth" negates as "I don't want Bluetooth" does)."""
    return re.compile(vocab()[pattern].replace("n't", "n'?t"), re.I)


def _negated(u: Understood, start: int, hits: list[int], pattern: str = "negation") -> bool:
    """Whether a phrase starting at ``start`` follows a negation (``pattern`` in ask.yaml) in the
    same clause, with no other vocabulary phrase in between ("refuse to use Bluetooth earbuds"
    negates Bluetooth only)."""
    lo = max(0, start - 40)
    m = _negation(pattern).search(u.text, lo, start)
    if not m:
        return False
    if lo + m.end() == start and re.search(r"\b(?:and|or|nor)\s*$", m.group(0), re.I):
        return True  # "not bassy and V-shaped": the negation spans the list up to this phrase
    return not any(lo + m.start() < h < start for h in hits)


# Constraints that are kinds of gear: said of gear one has ("my wireless earbuds"), they describe
# it rather than ask for it.
GEAR_WORDS = {
    "form_in_ear",
    "true_wireless",
    "neckband",
    "form_over_ear",
    "form_on_ear",
    "wireless",
    "wired",
    "back_open",
    "back_closed",
    "cheap",
}
_OWNED_BEFORE = re.compile(  # (not "from my phone over Bluetooth": the link, not what one has)
    r"\b(?:my|our|his|her|their)\s+(?:(?!(?:over|via|through|with|from|by|on|phone|laptop|pc|tv)\b)"
    r"[\w/-]+\s+){0,2}$",
    re.I,
)
_OWNED_AFTER = re.compile(r"^\s*(?:that|which)\s+(?:came|come|comes)\s+with\b", re.I)


def _describes_gear_owned(text: str, start: int, end: int) -> bool:
    return bool(_OWNED_BEFORE.search(text[max(0, start - 40) : start])
                or _OWNED_AFTER.match(text[end : end + 30]))  # fmt: skip


# A complaint turns what it complains of into its opposite: (pattern in ask.yaml, the flag it
# takes away, the flag it means, its table). A form complaint counts only where the form was read.
COMPLAINTS = (
    ("form_complaint", "form_in_ear", "no_earbuds", "constraint_phrases"),
    ("over_ear_form_complaint", "form_over_ear", "no_over_ear", "constraint_phrases"),
    ("cable_complaint", "wired", "wireless", "constraint_phrases"),
    ("treble_complaint", "tonality_bright", "treble_sensitive", "leaning_phrases"),
    ("bass_complaint", "bass_more", "bass_less", "leaning_phrases"),
)


# A use that is not the listener's now: a past habit ("I used to game a lot but now ...") or
# someone else's doing ("my wife is sleeping next to me").
_NOT_THE_LISTENERS = re.compile(
    r"\b(?:used to|no longer|back when|years ago)\b[^,]*$|\bused\s+$|\b(?:wife|husband|partner|girlfriend|"
    r"boyfriend|baby|roommate|someone|people|others|he|she|they)(?:'s| is| are| was| were)?\s*$",
    re.I,
)


def _flag(u: Understood, table: str, flag: str | None, s: int, e: int) -> None:
    if flag and flag not in u.flags:
        u.flags.add(flag)
        u.add(table.split("_")[0], flag, (s, e))


# "I don't care if they bother others": the shape's need waived, not asked
_NOT_MINDED = re.compile(
    r"\b(?:(?:don't|do not|doesn't|does not|won't) (?:care|mind)|(?:fine|ok|okay|alright|no problem) if"
    r"|not (?:a problem|an issue) if)\b[^.?!]{0,30}$",
    re.I,
)
_ONLY_IF_POSSIBLE = re.compile(
    r"\s*(?:\(|,)?\s*(?:if (?:possible|it can be|they can be|affordable)|would be (?:nice|great|a plus|a bonus)"
    r"|(?:is |are )?(?:a )?(?:nice to have|bonus|plus)\b|optional(?:ly)?\b|but not (?:needed|necessary|required)"
    r"|(?:is|are|would be) (?:fine|ok|okay|acceptable|alright)\b)",  # "wired is fine": allowed, not asked
    re.I,
)
_SOUND_OF_WHAT_ONE_HAS = re.compile(
    r"\b(?:it|they|these|those|this|that one|my [\w -]{1,30}?)\s+(?:sounds?|sounded)\s+"
    r"(?:a (?:bit|little) |kind of |kinda |too |so |very |rather |pretty |really |quite |somewhat )?$",
    re.I,
)


def _simple(u: Understood) -> None:
    v = vocab()
    every = phrase_hits(u.text, {**v["constraint_phrases"], **v["leaning_phrases"]})
    hits = [s for *_, s, _ in every]
    for _phrase, use, s, e in phrase_hits(u.text, v["use_phrases"]):
        if (
            use
            and use not in u.uses
            and not _negated(u, s, [], "negation_of_place")
            and not (_NOT_THE_LISTENERS.search(re.split(r"[.?!;]", u.text[max(0, s - 50) : s])[-1]))
        ):
            u.uses.append(use)
            u.add("use", use, (s, e))
    read_child(u)
    for _phrase, plat, s, e in phrase_hits(u.text, v["platform_phrases"]):
        if not platform_meant(u.text, plat, s, e):
            continue
        if plat not in u.platforms:
            u.platforms.append(plat)
            u.add("platform", plat, (s, e))
    for plat, pattern in v["platform_shapes"].items():  # "both Apple and Android"
        if plat not in u.platforms and (m := re.search(pattern, u.text, re.I)):
            u.platforms.append(plat)
            u.add("platform", plat, m)
    if not {"pc", "mac"} & set(u.platforms):
        for _phrase, plat, s, e in phrase_hits(u.text, v["platform_generic"])[:1]:
            u.platforms.append(plat)
            u.add("platform", plat, (s, e))
    for _phrase, src, s, e in phrase_hits(u.text, v["source_phrases"]):
        if src not in u.sources:
            u.sources.append(src)
            u.add("source", src, (s, e))
    negated = v["negated"]
    for table in ("constraint_phrases", "leaning_phrases"):
        for phrase, flag, s, e in phrase_hits(u.text, v[table]):
            if phrase not in v["dislike_phrases"] and _negated(u, s, hits):
                flag = negated.get(flag, flag)
            elif flag in GEAR_WORDS and _describes_gear_owned(u.text, s, e):
                continue  # "my earbuds", "the earbuds that came with it": what one has
            elif table == "leaning_phrases" and _SOUND_OF_WHAT_ONE_HAS.search(u.text[:s]):
                continue  # "it sounds a bit flat to me": the sound of what one has, not a wish
            elif table == "constraint_phrases" and _ONLY_IF_POSSIBLE.match(u.text, e):
                continue  # "wireless if possible": a wish, not a hard need (no soft needs yet)
            _flag(u, table, flag, s, e)
    for flag, pattern in v["constraint_shapes"].items():  # "so I don't wake my wife": no leak
        if (m := re.search(pattern, u.text, re.I)) and not _NOT_MINDED.search(u.text[: m.start()]):
            _flag(u, "constraint_phrases", flag, m.start(), m.end())
    for flag, implied in v["flag_implies"].items():  # "true wireless": in-ear and wireless
        if flag in u.flags:
            u.flags |= set(implied)
    for pattern, was, means, table in COMPLAINTS:
        m = re.search(v[pattern], u.text, re.I)
        if m and (was in u.flags or not pattern.endswith("form_complaint")):
            u.flags.discard(was)
            _flag(u, table, means, m.start(), m.end())
    if "no_earbuds" in u.flags:  # "No IEMs or earbuds": the dislike, not the form
        u.flags.discard("form_in_ear")
    for pattern, flags in (("either_link", {"wired", "wireless"}),
                           ("either_back", {"back_open", "back_closed"})):  # fmt: skip
        if re.search(v[pattern], u.text, re.I):  # "open to wired or wireless": no constraint
            u.flags -= flags
            u.facts = [f for f in u.facts if not (isinstance(f.value, str) and f.value in flags)]


def understand(text: str, view: CatalogView) -> Understood:
    """Read a question: facts with spans, and the intent."""
    if not text or not text.strip():
        raise AskError("the question is empty")
    if len(text) > MAX_QUESTION_CHARS:
        raise AskError(f"the question is over {MAX_QUESTION_CHARS:,} characters")
    text = plain_typography(text)
    u = Understood(text)
    read_genres(u)
    read_budget(u)
    read_products(u, view)
    read_short_codes(u, view)
    read_devices(u, view)
    read_ambiguous(u, view)
    read_unknown_gear(u, view)
    read_prefixed_codes(u, view)
    read_code_gear(u, view)
    read_series_numbers(u, view)
    read_family_codes(u, view)
    read_bare_codes(u, view)
    read_slash_codes(u)
    merge_brand_sources(u)
    named_by_a_cue(u, maker_keys(view))
    merge_touching(u, view)  # "Moto E5 Nora XT1944": one name
    merge_said_again(u)  # "the Bose SoundSport ... the SoundSport": one piece of gear
    read_makers(u, view)
    enough_for_a_headphone(u)
    price_of_a_named_product(u)
    budget_from_a_named_price(u, view)
    u.adhoc_source, u.adhoc_headphone = read_gear_figures(u)
    read_loudness(u)
    _simple(u)
    u.intent = read_intent(u)
    read_after_intent(u, view)
    return u


# --- from understanding to a profile, missing facts and an answer ---------------------------------

QUESTIONS = {
    "budget": "What is your budget, and in which currency?",
    "source": "What will you plug them into (phone, laptop, player, amp)?",
    "headphone": "Which headphone do you mean?",
}


def chosen_brands(u: Understood, view: CatalogView) -> list[str]:
    """Makers weighed against each other ("Sony or Bose?"), in the catalog's spelling: the
    answer keeps to them. A maker the catalog has no headphones by is left out."""
    out = []
    for d in u.devices:
        if not d.get("choice"):
            continue
        words = d["name"].split()
        for n in range(len(words), 0, -1):  # "Sony headphones": the maker is the words before
            if brand := catalog_maker(view, " ".join(words[:n])):
                out.append(brand)
                break
    return list(dict.fromkeys(out))


def profile_fields(u: Understood, view: CatalogView) -> dict:
    f = u.flags
    src = next((p["id"] for p in u.products if p["role"] == "source"), None) or (
        u.sources[0] if u.sources else None
    )
    fields: dict = {
        "genres": u.genres, "uses": u.uses,
        "platforms": [p for p in u.platforms if p in PLATFORMS], "budget_usd": u.budget_usd,
        "budget_min_usd": u.budget_min_usd, "source": src if src in view.devices else None,
        "owned": [p["id"] for p in u.products if p["role"] == "owned" and p["kind"] == "headphone"],
        "no_leak": "no_leak" in f, "long_sessions": "long_sessions" in f, "anc": "anc" in f,
        "long_battery": "long_battery" in f, "secure_fit": "secure_fit" in f,
        "soundstage": "soundstage" in f, "treble_sensitive": "treble_sensitive" in f,
        "low_latency": "low_latency" in f,
        "budget_includes_amp": bool(BUDGET_INCLUDES_AMP.search(u.text)),
        "brands": chosen_brands(u, view),
    }  # fmt: skip
    if "head_small" in f:
        fields["head_size"] = "small"
    elif "head_large" in f:
        fields["head_size"] = "large"
    forms = [
        form
        for flag, form in (
            ("form_over_ear", "over-ear"),
            ("form_on_ear", "on-ear"),
            ("form_in_ear", "in-ear"),
        )
        if flag in f
    ]
    if not forms and ("no_earbuds" in f or "no_over_ear" in f):
        forms = [x for x in ("over-ear", "on-ear", "in-ear")
                 if not ("no_earbuds" in f and x == "in-ear")
                 and not ("no_over_ear" in f and x == "over-ear")]  # fmt: skip
    if forms:
        fields["forms"] = forms + (["earbud"] if "in-ear" in forms else [])
    if "glasses" in f:
        fields["glasses"] = True
    if "used" in f:
        fields["used"] = True
    if fields["budget_includes_amp"] and "wireless" not in fields:
        fields["wireless"] = False  # a DAC/amp in the budget is for wired headphones
    if "wireless" not in f and plugged_into(u, view):
        fields["wireless"] = False  # an amp, a DAC or an instrument takes a cable
    if "volume_limited" in f:
        fields["volume_limited"] = True
    if "cheap" in f and u.budget_usd is None:
        fields["cheap"] = True  # "something cheap": the cheapest share of what fits
    replaced = step_up_from(u, view, "replacement")
    gone = (  # the kind of what is replaced, or of what something else is asked for instead of
        replaced or step_up_from(u, view, "alternative") or step_up_from(u, view, "same_money")
    )
    if gone is not None:  # the same kind: its forms, its link, its noise cancelling
        fields.setdefault("forms", like_forms(gone.form_factor))
        if gone.wireless is not None and "wireless" not in fields:
            fields["wireless"] = gone.wireless
        if gone.anc is True:
            fields["anc"] = True
        if (  # a replacement asked for as picks (a sound-alike has its own band)
            gone.price_usd
            and fields.get("budget_usd") is None
            and u.intent == "recommend"
            and replaced is not None
        ):
            fields["budget_usd"] = LIKE_MAX_RATIO * gone.price_usd  # within twice its price
    step = step_up_from(u, view) if gone is None else None
    if step is not None:
        fields.setdefault("forms", like_forms(step.form_factor))
        if step.price_usd and not fields.get("budget_min_usd"):
            fields["budget_min_usd"] = step.price_usd + 1  # a step up costs more: no sidegrade
        if step.price_usd and fields.get("budget_usd") is None:
            fields["budget_usd"] = STEP_UP_MAX_RATIO * step.price_usd  # the next tier or two
        if step.wireless is not None and "wireless" not in fields:
            fields["wireless"] = step.wireless  # a wired IEM's next step is a wired IEM
    if "back_open" in f and "no_leak" not in f:  # (open and "must not leak": open backs leak)
        fields["back"] = "open"
    elif "back_closed" in f:
        fields["back"] = "closed"
    if "true_wireless" in f or "not_true_wireless" in f:
        fields["true_wireless"] = "not_true_wireless" not in f
    if "wireless" in f:
        fields["wireless"] = True
    elif "long_battery" in f and not ({"wired"} & f or "wireless" in fields or other_battery(u)):
        fields["wireless"] = True  # "with a long battery": only a wireless one has a battery
    elif "wired" in f:
        fields["wireless"] = False
    driver = [x.removeprefix("driver_") for x in f if x.startswith("driver_")]
    if len(driver) == 1:  # one driver type asked for ("planar magnetic headphones")
        fields["driver"] = driver[0]
    if "mic" in f or "headset" in f:  # a headset is headphones with a microphone
        fields["mic"] = True
    if "bass_less" in f:
        fields["bass"] = "less"
    elif "bass_more" in f:
        fields["bass"] = "more"
    for t in ("warm", "neutral", "bright"):
        if f"tonality_{t}" in f:
            fields["tonality"] = t
            break
    if "level_loud" in f:
        fields["level"] = "loud"
    elif "level_quiet" in f:
        fields["level"] = "quiet"
    if u.level_db_spl is not None:
        fields["level"] = u.level_db_spl
    if u.peak_db_spl is not None:  # the loudest wanted: the level is that less the music's peaks
        crest = need_for("normal", list(u.genres)).crest_db
        fields["level"] = min(max(u.peak_db_spl - crest, LEVEL_RANGE_DB[0]), LEVEL_RANGE_DB[1])
    return fields


def unknown_sources(u: Understood) -> list[str]:
    """Sources or amps named that the catalog lacks ("my Apogee Quartet")."""
    return [g["name"] for g in u.unknown if g["role"] in ("source", "amp")]


def missing_for(u: Understood) -> list[dict]:
    need = []
    for a in u.ambiguous:
        source = a["kind"] == "source"
        if (source and u.intent not in SOURCE_INTENTS) or u.intent in (
            "out_of_scope",
            "explain_spec",
        ):
            continue  # named back ("could be ...") but not asked: the answer does not turn on it
        need.append({"field": "source" if source else "headphone",
                     "question": f"Do you mean the {a['labels'][0]}?" if len(a["labels"]) == 1
                     else f"Which {a['name']} do you mean: {which_of(a)}?",
                     "note": f"'{a['name']}' not settled: "
                     + ((f"taken as the {a['labels'][0]}, the only one in the catalog; say if yours "
                         "is another" if len(a["labels"]) == 1 else "assuming a phone")
                        if source else "asked which")})  # fmt: skip
    heads = [p for p in u.products if p["kind"] == "headphone"]
    if u.intent in ("recommend",) and u.budget_usd is None and not budget_unlimited(u):
        need.append({"field": "budget", "question": QUESTIONS["budget"]})
    named_source = (
        any(p["kind"] == "source" for p in u.products)
        or bool(unknown_sources(u))  # "I don't know the X yet"
        or any(d["role"] == "source" for d in u.devices)  # "my iPod"
        or any(a["kind"] == "source" for a in u.ambiguous)  # asked about above
    )
    if u.intent == "drive" and not named_source and not u.sources and u.adhoc_source is None:
        need.append({"field": "source", "question": QUESTIONS["source"]})
    # the answer says it does not know them, or works from the figures given: no need to ask
    named_unknown = (
        bool(u.unknown)
        or any(d["kind"] == "brand" for d in u.devices)  # "my Logitech USB headset"
        or (u.adhoc_headphone is not None and u.adhoc_headphone.complete())
    )
    by_kind = u.intent == "chain" and (  # "my wired headphones with my Xbox": the kind is enough
        {"wired", "wireless", "headset"} & u.flags
        or re.search(r"\b(?:bluetooth|wired|wireless)\b", u.text, re.I)
    )
    if (
        u.intent in ("drive", "genre_fit", "explain", "product_info", "amps", "chain", "similar")
        and not heads
        and not named_unknown
        and not by_kind
        and not any(a["kind"] == "headphone" for a in u.ambiguous)
    ):
        need.append({"field": "headphone", "question": QUESTIONS["headphone"]})
    return need


def apply_answer(u: Understood, field_name: str, reply: str, view: CatalogView) -> None:
    """Fold the reader's reply to a follow-up question into what was understood."""
    extra = understand(
        reply
        if field_name != "budget" or re.search(r"[$€£]|euro|dollar|pound", reply, re.I)
        else f"${reply}",
        view,
    )
    if field_name == "budget" and extra.budget_usd:
        u.budget_usd, u.budget_min_usd, u.budget_original = (
            extra.budget_usd,
            extra.budget_min_usd,
            extra.budget_original,
        )
    elif field_name == "source":
        u.products += [p for p in extra.products if p["kind"] == "source"]
        u.sources += extra.sources
    elif field_name == "headphone":
        u.products += [p for p in extra.products if p["kind"] == "headphone"]
