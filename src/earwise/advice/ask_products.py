"""Reading a question, part 2: product and gear names and the role of each (owned, considering,
source, amp), resolved against the catalog: exact names and aliases, plurals, then rapidfuzz for
near misses such as "Senn 558s".
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from earwise.advice.ask_match import (
    beside_digits,
    brand_pattern,
    by_brand_and_number,
    by_brand_and_prefix,
    by_code_word,
    canon,
    crosses_a_break,
    maker_keys,
    maker_keys_by_length,
    normalised_with_map,
    reordered,
)
from earwise.advice.ask_names import (
    after_another_name,
    bare_aliases,
    catalog_names,
    coined_spelling,
    coined_words,
    fuzzy_choices,
    gear_makers,
    merge_repeats,
    model_words_after,
    names_a_service,
    names_starting,
    only_common_words,
    proper_noun,
    sorted_names,
    starts_coined,
)
from earwise.advice.ask_roles import cue_before, role_before
from earwise.advice.ask_text import NAME_WORDS, Understood, common_words, in_a_word, vocab
from earwise.advice.ask_variants import (
    GEN_AFTER_ORDINAL,
    add_unknown_variant,
    after_listed_maker,
    begun_by_another_name,
    family_variant,
    goes_on,
    not_variant_capitals,
    other_impedance,
    went_on,
)
from earwise.catalog.store import normalise_name
from earwise.catalog.view import CatalogView

FUZZY_PRODUCT = 90  # rapidfuzz ratio needed to accept a near-miss product name
FUZZY_BRAND = 85  # a one-letter slip in a brand of five letters or more ("Phillips", "Sennhiser")
_NUMBERS = re.compile(r"\d+")  # a near miss keeps every number: 770 is never 1770
_CURRENCY = re.compile(r"[$€£¥]")
# A model code written as one, in capitals with a hyphen ("LCD-X", "HE-6"): a short name counts
# without its brand then ("sr-x" or "Mk-2" in lower case does not).
_CAPS_CODE = re.compile(r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b")
_A_KIND = re.compile(r"(?:ear|head)(?:phones?|buds?|sets?)|iems?|in-?ears?|cans")  # (normalised)
_ORDINAL_GEN = re.compile(r"(?<=\d)(?:st|nd|rd|th)\s*gen", re.I)  # "Pro 2nd gen" is the Pro 2


def read_products(u: Understood, view: CatalogView) -> None:
    norm, where = normalised_with_map(u.text)
    found: list[tuple[int, int, str, str]] = []
    plurals: set[tuple[int, int, str, str]] = set()
    low_norm = norm
    caps_code = bool(_CAPS_CODE.search(u.text))  # "LCD-X" somewhere: short codes may count
    for n, pid, kind in catalog_names(view):
        if n not in norm:
            continue  # (most names are not in the text: nothing else to compute)
        # A name without digits may be an ordinary word ("reference", "space", "tour", "dime"):
        # without its brand in the text it counts only when written as a name (capitalised, not
        # at a sentence start); short codes ("sr-x") always need their brand.
        plain = not any(c.isdigit() for c in n)
        branded = normalise_name(view.brand_of(pid)) in low_norm
        coined = plain and (
            starts_coined(n, coined_words(view)) or n in vocab()["lowercase_names"]  # "sundara"
        )  # "airpods max"
        short = (plain and len(n) < 5 or len(n) <= 3) and not branded and not coined  # ("kato")
        if plain and not branded and _A_KIND.fullmatch(n):
            continue  # "these Earphones": a kind of gear, not the model of that name
        said_as_alias = short and any(a in u.text for a in bare_aliases(view).get(n, ()))
        if short and not caps_code and not said_as_alias:
            continue  # "sr-x", "mk2", "x1": a bare code is another word without its brand
        for variant in (n, n + "s"):
            start = norm.find(variant)
            while start >= 0:
                end = start + len(variant)
                # must start and end on word boundaries of the original text
                s0, e0 = where[start], where[end - 1] + 1
                if (
                    (s0 == 0 or not in_a_word(u.text[s0 - 1]))
                    and not (
                        plain
                        and s0 >= 2
                        and u.text[s0 - 2 : s0 - 1].isalpha()
                        and u.text[s0 - 1] == "-"
                    )  # "Pura-Fit Ear Plugs": inside a word
                    and (
                        e0 >= len(u.text)
                        or not in_a_word(u.text[e0])
                        or _ORDINAL_GEN.match(u.text, e0)
                    )
                    and not _CURRENCY.search(u.text[s0:e0])  # "a $4000" is a price
                    and (not plain or branded or proper_noun(u.text, s0, len(n)) or coined)
                    and (
                        not short
                        or _CAPS_CODE.fullmatch(u.text[s0:e0])  # "LCD-X", "HE-6"
                        or u.text[s0:e0] in bare_aliases(view).get(n, ())  # "6XX", as listed
                    )
                ):
                    found.append((s0, e0, pid, kind))
                    if variant != n:
                        plurals.add((s0, e0, pid, kind))
                start = norm.find(variant, start + 1)
    # fuzzy near misses on short word windows that contain a digit (model numbers)
    words = list(NAME_WORDS.finditer(u.text))
    found += reordered(u.text, words, view) + by_code_word(u.text, words, view)
    choices, keys = fuzzy_choices(view)
    for size in (3, 2):
        for i in range(len(words) - size + 1):
            window = words[i : i + size]
            if crosses_a_break(u.text, words, i, size):
                continue
            span = u.text[window[0].start() : window[-1].end()]
            if not re.search(r"[a-z]", span, re.I) or not any(c.isdigit() for c in span):
                continue
            if _CURRENCY.search(span):
                continue  # "the $100" is a price, not the TE100
            if window[0].group(0) in vocab()["sentence_words"]:
                continue  # "out is 1 ohm" is no Ivery IS-1: a word of the sentence, in lower case
            if any(s <= window[0].start() < e for s, e, *_ in found) or any(
                w.group(0).isdigit() for w in window[:1]
            ):
                continue
            key = canon(normalise_name(span))
            hit = process.extractOne(key, keys, scorer=fuzz.ratio)
            if (
                hit
                and hit[1] >= FUZZY_PRODUCT
                and abs(len(hit[0]) - len(key)) <= 2
                and _NUMBERS.findall(hit[0]) == _NUMBERS.findall(key)  # never cross model numbers
                and beside_digits(hit[0], plural=False) == beside_digits(key)  # K3 is no KA3
            ):
                found.append((window[0].start(), window[-1].end(), *choices[hit[0]]))
    # overlapping matches: the one reaching furthest wins (a variant suffix: "HD25-II" over
    # "Sennheiser HD25"), then the longest, then a name over a plural ("HD 800s" is the HD 800 S,
    # not two HD 800s), then the earliest
    found.sort(key=lambda f: (-f[1], -(f[1] - f[0]), f in plurals, f[0]))
    kept: list[tuple[int, int, str, str]] = []
    for f in found:
        if any(f[0] < k[1] and k[0] < f[1] for k in kept):
            continue
        kept.append(f)
    kept.sort(key=lambda f: f[0])
    ordered, _ = sorted_names(view)  # another maker's name first ("Marshall Major IV" is no
    # FAudio Major IV), then a name going on into a model the catalog lacks ("Sundara Closed")
    kept = [f for f in kept if not begun_by_another_name(u, view, ordered, f[0], f[1], f[2])]
    kept = [f for f in kept if not went_on(u, view, f[0], f[1], f[2])]
    u.product_spans = [(s, e) for s, e, *_ in kept]
    seen = set()
    for s, e, pid, kind in kept:
        if pid in seen:
            continue
        seen.add(pid)
        role = "source" if kind == "source" else "mentioned"
        if kind == "source" and view.devices[pid].category in (
            "portable-amp",
            "desktop-amp",
            "portable-dac-amp",
            "desktop-dac-amp",
            "energizer",
        ):
            role = "amp"
        elif kind == "headphone":
            role = cue_before(u.text, s) or "mentioned"
        prev = (
            next((p for p in reversed(u.products) if p["kind"] == "headphone"), None)
            if kind == "headphone"
            else None
        )
        if role == "mentioned" and prev is not None and prev["role"] in ("owned", "considering"):
            gap = u.text[prev["end"] : s]
            if (
                len(gap) < 60
                and not re.search(r"[.?!]", gap)
                and not re.search(r"\b(but|while|now|looking|want|new|to|over|vs)\b", gap, re.I)
            ):
                role = prev["role"]  # a list continues: "I own the X, the Y and the Z"
        if role == "mentioned" and kind == "headphone":
            role = "considering"  # named without a word of owning it: weighed, not owned
        u.products.append(
            {"id": pid, "kind": kind, "role": role, "span": u.text[s:e], "start": s, "end": e}
        )
        u.add("product", {"id": pid, "role": role}, (s, e))


# --- gear the catalog lacks -------------------------------------------------------------------


def _taken(u: Understood) -> list[tuple[int, int]]:
    """Every span already read as a name (catalog products and their repeats, ambiguous names,
    unknown gear, devices)."""
    return list(u.product_spans) + [
        (p["start"], p["end"]) for p in u.products + u.ambiguous + u.unknown + u.devices
    ]


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < e and s < end for s, e in spans)


# A model after a brand: up to three tokens, each with a digit, or capitalised, or a model word.
_MODEL_TOKEN = re.compile(r"(?:[A-Z0-9][\w+\-./]*|mk\s?[ivx0-9]+|mark\s+[ivx0-9]+)", re.I)
_AMP_AFTER = re.compile(r"\s+(?:[\w-]+\s+)?(?:head(?:phone)?[- ]?)?(?:amp|amplifier)s?\b", re.I)


_POSSESSIVE = re.compile(r"['\u2019]s\b")


def read_unknown_gear(u: Understood, view: CatalogView) -> None:
    """Gear named as "<known brand> <model>" that matched no catalog product: kept so the answer
    can say "I don't know the X yet" instead of silently ignoring it or using another product.
    Known brands are the catalog's and the makers of sources it does not list yet (``gear_makers``
    in ask.yaml: audio interfaces, mixers, whose gear is a source; hearing aids, whose role the
    words give)."""
    taken = _taken(u)
    pattern = brand_pattern(view)
    makers = gear_makers(view)
    for m in pattern.finditer(u.text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        tokens, end = model_words_after(u.text, m.end())
        owner = None
        if not tokens and (owner := _POSSESSIVE.match(u.text, m.end())):
            tokens, end = model_words_after(u.text, owner.end())  # "Sony's TPS-L2 cassette player"
            tokens = tokens if tokens and any(c.isdigit() for c in tokens[0]) else []
        if not tokens:
            continue
        if (
            m.group(1).islower()
            and m.group(1) in common_words()
            and not any(c.isdigit() for t in tokens for c in t)
        ):
            continue  # "Apple boss Steve Jobs": a maker's name that is a word, as the word
        if gen := GEN_AFTER_ORDINAL.match(u.text, end):  # "Scarlett Solo 3rd gen"
            end = gen.end()
        if names_a_service(tokens):
            continue  # "Apple Music", "the Sony Store", "Logitech G Hub": a service, a shop, an app
        if any(m.start() < e and s < end for s, e in taken):
            continue
        name = u.text[m.start() : end]
        if owner is not None:  # "Sony's TPS-L2": the maker's TPS-L2
            name = f"{m.group(1)} {u.text[owner.end() : end].strip()}"
        cands = by_brand_and_number(view, m.group(1), tokens)
        if cands:  # "Sennheiser 650", "AKG 701's": a catalog model said by its number
            taken.append((m.start(), end))
            if len(cands) == 1:
                add_short_form(u, view, cands[0], m.start(), end)
            else:
                add_ambiguous(u, view, name, cands, m.start(), end)
            continue
        cands = by_brand_and_prefix(view, m.group(1), tokens)
        if (
            0 < len(cands) <= vocab()["family_max"]
        ):  # "Etymotic ER4": the start of several models' names
            taken.append((m.start(), end))
            add_ambiguous(u, view, name, cands, m.start(), end)
            continue
        role = makers.get(normalise_name(m.group(1)), "words")  # "words": read from them
        role = role_before(u.text, m.start()) if role == "words" else role
        if _AMP_AFTER.match(u.text, end):
            role = "amp"  # "PreSonus HP2 personal amplifiers": gear named as an amp
        u.unknown.append({"name": name, "role": role, "start": m.start(), "end": end})
        taken.append((m.start(), end))
        u.add("unknown_product", {"name": name, "role": role}, (m.start(), end))
    u.unknown = merge_repeats(u.unknown)
    said = {canon(normalise_name(d["name"])): d for d in u.devices}
    for g in [g for g in u.unknown if canon(normalise_name(g["name"])) in said]:
        u.unknown.remove(g)  # said before as a brand's gear by its kind: one piece of gear
        if g["role"] == "owned":
            said[canon(normalise_name(g["name"]))]["role"] = "owned"


# --- a name that stops short of a model: "DT 1990" (PRO or PRO MKII?), "Magni" (2 or Heresy?) ---


# What people leave off a model's name when they say it ("DT 1990" for the "DT 1990 PRO", "Aria"
# for the "Aria (2021)"): only these endings, or a year, make a single longer name the same
# product; any other ending is another model.
SHORT_FORM_SUFFIXES = {"pro", "s"}


def read_ambiguous(u: Understood, view: CatalogView) -> None:
    """Names that are the start of several catalog models and match none exactly: kept with their
    candidates so the answer asks which one instead of picking one silently. A single candidate
    is taken as that product (a spoken short form), and said so in its role's span."""
    taken = _taken(u)
    ordered, exact = sorted_names(view)
    brands = maker_keys(view)
    by_length = maker_keys_by_length(view)
    words = list(NAME_WORDS.finditer(u.text))
    for size in (4, 3, 2, 1):
        for i in range(len(words) - size + 1):
            a, b = words[i].start(), words[i + size - 1].end()
            if any(a < e and s < b for s, e in taken) or crosses_a_break(u.text, words, i, size):
                continue
            span = u.text[a:b]
            key = normalise_name(span)
            if re.search(r"\d'?s$", span):  # "K240s": the plural of a model number
                key = normalise_name(re.sub(r"'?s$", "", span))
            key = coined_spelling(span, coined_words(view)) or key  # "AirPod Pros"
            if (
                _names_a_brand(span, key, brands, by_length)
                or span.upper() in not_variant_capitals()
                or _TARGET_AFTER.match(u.text, b)
            ):
                continue  # a brand in passing, a plug ("USB-C"), a target ("the Harman target")
            if (
                _KIND_WORDS.fullmatch(span)
                or _NOT_A_NAME.match(span)
                or span.isdigit()
                or span.lower() in vocab()["platform_phrases"]
            ):
                continue  # a kind of gear ("Headphones"), "I fix", "$1000", a platform ("Switch")
            if after_listed_maker(u.text, a, view):
                continue  # "Ultrasone Signature Pro": Ultrasone's, named by read_unknown_gear
            if goes_on(u.text, words, i + size, key, ordered):
                if any(c.isupper() for c in span.split()[0]) or any(c.isdigit() for c in key):
                    family_variant(u, view, ordered, key, a, b, taken)
                continue  # the name goes on past what the catalog holds
            has_digit = any(c.isdigit() for c in key)
            said = span.split()
            branded = any(  # its maker's name as the first word(s): "focal utopia"
                normalise_name(" ".join(said[:n])) in brands for n in (1, 2) if len(said) > n
            )
            coined = starts_coined(key, coined_words(view))  # "my airpods"
            coined = coined or (size == 1 and key in vocab()["lowercase_names"])  # "sundara"
            if len(key) < 4 or not (
                has_digit or branded or coined or proper_noun(u.text, a, len(span))
            ):
                continue  # a word, unless a code, after its maker ("focal utopia") or a name
            if size == 1 and not has_digit and not span[0].isupper() and not coined:
                continue
            if key in exact:
                continue
            longer = names_starting(ordered, key)  # names that start with the key and go on
            cands = sorted({pid for _, pid in longer if view.brand_of(pid) != "Generic"})
            makers = {normalise_name(view.brand_of(c)) for c in cands}
            goes = normalise_name(u.text[a : b + 24])
            if cands and all(len(key) < len(mk) and goes.startswith(mk) for mk in makers):
                continue  # the maker's name written out ("Kiwi Ears Quartet"): the unknown reader's
            if cands and all(mk.startswith(key) for mk in makers):
                continue  # "lower than Harman": part of a maker's name (Harman Kardon), no model
            few = len(cands) <= vocab()["names_asked_one_by_one"]
            if not few and a_family(view, span, size, cands, coined):
                taken.append((a, b))  # "my AirPods": a family of one maker, asked which
                if not any(normalise_name(x["name"]) == key for x in u.ambiguous):
                    add_ambiguous(u, view, span, cands, a, b)
                continue
            if not cands or not few:
                continue
            if size == 1 and not has_digit and after_another_name(u.text, a, makers):
                continue  # "my GoXLR Mini": another's model, not the start of a catalog name
            if (
                "'" in span
                or only_common_words(span)
                and (
                    not proper_noun(u.text, a)
                    or len(cands) == 1
                    and not _DETERMINER_BEFORE.search(u.text, 0, a)
                )
            ):
                continue  # "If I'm", "Listening to music", "next Spring": words, not a model
            if u.text[b : b + 1] == "+" and len(makers) == 1:  # "Magni+": another model
                taken.append((a, b + 1))
                add_unknown_variant(u, view, cands[0], a, b + 1)
                continue
            if (
                size == 1
                and not has_digit
                and not any(
                    key in {normalise_name(w) for w in re.findall(r"[\w-]+", view.label(c))}
                    for c in cands
                )
            ):
                continue  # "Open" is not the start of the OpenFit: a word, not a model's name
            near = u.text[max(0, a - 16) : b + 16]
            by_figure = [c for c in cands
                         if any(re.search(rf"-{d}(?:-|$)", c) for d in re.findall(r"\d+", near)
                                if d not in key)]  # fmt: skip
            settled = len(by_figure) == 1  # "a 250 ohm DT 770 Pro": the figure picks the variant
            if settled:
                cands = by_figure
            taken.append((a, b))
            rest = {n[len(key) :] for n, pid in longer if pid in cands}
            said_short = SHORT_FORM_SUFFIXES - (
                {"s"} if key[-1].isdigit() else set()
            )  # M11 != M11S
            short = rest & said_short or any(re.fullmatch(r"(19|20)\d\d", r) for r in rest)
            if len(cands) == 1 and (settled or short):
                if not other_impedance(u, view, cands[0], a, b):
                    add_short_form(u, view, cands[0], a, b)
            elif not any(normalise_name(x["name"]) == key for x in u.ambiguous):
                add_ambiguous(u, view, span, cands, a, b)  # the same short name: asked once


_DETERMINER_BEFORE = re.compile(r"\b(?:the|my|a|an|his|her|your|their|our|this|that)\s+$", re.I)
_NOT_A_NAME = re.compile(r"I\s")  # the pronoun starts no model's name ("Can I fix them?")
_TARGET_AFTER = re.compile(r"[\s-]*(?:target|curve|tuning|tuned|research)s?\b", re.I)
_KIND_WORDS = re.compile(
    r"(?:(?:head ?phones?|headsets?|ear ?buds?|earphones?|iems?|cans|buds|in-?ears?|wireless|"
    r"noise[- ]cancell?ing)\s*)+",
    re.I,
)


def a_family(
    view: CatalogView, span: str, size: int, cands: list[str], coined: bool = False
) -> bool:
    """A model family of one maker said without its model ("AirPods", "Galaxy Buds",
    "QuietComfort"): several words written as a name, or one word with a capital inside it (a
    plain word such as "Cloud" may be just a word). Only headphones."""
    if not all(c in view.headphones for c in cands):
        return False
    if len({view.brand_of(c) for c in cands}) != 1:
        return False
    words = span.split()
    if coined and words[-1].isalpha():
        return True  # "airpods", "quietcomfort": a coined word is a name however written
    named = all(w[0].isupper() for w in words) and words[-1].isalpha() and len(words[-1]) > 2
    return named and (size > 1 or bool(re.search(r"[a-z][A-Z]", span)))  # "SE" is a code


def add_short_form(u: Understood, view: CatalogView, pid: str, a: int, b: int) -> None:
    """A catalog product said in a short form ("DT 1990" for the DT 1990 PRO, "XM5" when one model
    ends so), with its role."""
    kind = "headphone" if pid in view.headphones else "source"
    role = role_before(u.text, a) if kind == "headphone" else "source"
    u.products.append({"id": pid, "kind": kind, "role": role, "span": u.text[a:b],
                       "start": a, "end": b})  # fmt: skip
    u.add("product", {"id": pid, "role": role, "short_form": True}, (a, b))


def add_ambiguous(
    u: Understood, view: CatalogView, name: str, cands: list[str], a: int, b: int
) -> None:
    """A name several catalog models could be: kept with them, to be asked about."""
    labels = [view.label(c) for c in cands]
    kind = "source" if all(c in view.devices for c in cands) else "headphone"
    role = "source" if kind == "source" else role_before(u.text, a)
    u.ambiguous.append({"name": name, "candidates": cands, "labels": labels, "kind": kind,
                        "role": role, "start": a, "end": b})  # fmt: skip
    u.add("ambiguous_product", {"name": name, "candidates": cands}, (a, b))


_FUNCTION_WORDS = {"by", "of", "and", "or", "the", "for", "with", "to", "from", "in", "on"}


def _names_a_brand(span: str, key: str, brands: set[str], by_length: dict) -> bool:
    """A brand, a brand's long name ("Beats by Dre") or a misspelt brand ("Phillips"): a maker
    mentioned, not a model."""
    words = span.split()
    if any(w.lower() in _FUNCTION_WORDS for w in words[1:]):
        return True
    if key in brands:
        return True
    return (
        len(words) == 1
        and len(key) >= 5
        and any(
            fuzz.ratio(key, b) >= FUZZY_BRAND
            for n in (len(key) - 1, len(key), len(key) + 1)
            for b in by_length.get(n, ())
        )
    )
