"""Reading a question: a catalog name that goes on into a model the catalog does not hold.

"Sundara Closed", "Bathys MG", "OpenFit 2+" and "Arya Organic" start with a catalog name but are
other products. Read as the shorter product they would answer a different question, so they are
kept as gear the catalog lacks ("I don't know the HiFiMan Sundara Closed yet"). What counts as a
variant word is data (``model_variant_words`` and ``not_variant_capitals`` in ask.yaml).

The same holds leftwards and by figures: a model name read without its maker after another
name's start or another maker ("Pixel Buds Pro", "Turtle Beach Stealth") is not that model, and a
short form said with an impedance its catalog model does not have ("a 600 ohm DT 880") is
another variant.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cache

from earwise.advice.ask_match import maker, maker_keys
from earwise.advice.ask_names import after_another_name, common_words, first_name_from
from earwise.advice.ask_roles import role_before
from earwise.advice.ask_text import Understood, vocab
from earwise.catalog.makers import listed_makers
from earwise.catalog.store import normalise_name
from earwise.catalog.view import CatalogView

_NEXT_WORD = re.compile(r" ([A-Za-z0-9][\w+\-]*)")
# A bare number followed by one of these is a count or a figure ("my HD 600 2 years", "DT 770 80
# ohm"), not a longer name.
_QUANTITY_AFTER = re.compile(
    r"[.,]\d|\s*(?:years?|yrs?|months?|weeks?|days?|hours?|hrs?|minutes?|mins?|times?|pairs?|units?|of|"
    r"x|ohms?|Ω|mw|db|hz|khz|v|vrms|%|\$|€|£|dollars?|bucks|euros?|pounds?)(?!\w)",
    re.I,
)


@cache
def _variant_words() -> frozenset[str]:
    return frozenset(vocab()["model_variant_words"])


@cache
def not_variant_capitals() -> frozenset[str]:
    """Plugs, features and chat acronyms (``not_variant_capitals``), upper case: never a model's
    name nor a variant ("USB-C", "XLR", "ANC")."""
    return frozenset(w.upper() for w in vocab()["not_variant_capitals"])


def _is_variant(word: str, after: str) -> bool:
    """Whether ``word`` (and the text ``after`` it) makes a name another model: a variant word as
    makers write it, a short run of capitals ("MG"), or a code with a digit ("2+", "X2", "MkII")."""
    variants = _variant_words()
    if word.upper() in not_variant_capitals():
        return False
    if word in variants or (word.isupper() and word.capitalize() in variants):  # "Pro", "PRO"
        return True
    if word.isupper() and word.isalpha() and len(word) <= 3:
        return True
    if word.isdigit():  # a generation ("OpenFit 2"); a larger number is a figure ("DT 770 250"),
        # and a number before a unit or a count is one too ("my HD 600 2 years ago")
        return len(word) == 1 and not _QUANTITY_AFTER.match(after)
    return any(c.isdigit() for c in word)  # a code ("2+", "X2", "MkII")


def goes_past_catalog(text: str, start: int, end: int, view: CatalogView) -> int | None:
    """The end of the longer name when the catalog name at ``text[start:end]`` goes on with a
    variant word into a model the catalog does not hold; None when it does not."""
    m = _NEXT_WORD.match(text, end)
    if not m:
        return None
    word = m.group(1).rstrip("-")
    if not _is_variant(word, text[m.start(1) + len(word) :]):
        return None
    if catalog_holds(_ordered_names(view), normalise_name(text[start:end] + " " + word)):
        return None  # the catalog holds the longer name ("DT 770 Pro")
    end = m.start(1) + len(word)
    for _ in range(2):  # the variant may take more words ("Pro X Limited Edition")
        m = _NEXT_WORD.match(text, end)
        if not m or not _is_variant(word := m.group(1).rstrip("-"), text[m.start(1) + len(word) :]):
            break
        end = m.start(1) + len(word)
    return end


def catalog_holds(ordered: list, longer: str, name=lambda x: x) -> bool:
    """Whether a sorted list of catalog names (``name`` reads one from an entry) holds a name that
    starts with ``longer`` -- and goes on with more than digits after a number ("Aria 2" is never
    the Aria 2021)."""
    at = bisect_left(ordered, longer, key=name)
    while at < len(ordered) and name(ordered[at]).startswith(longer):
        rest = name(ordered[at])[len(longer) :]
        if not (longer[-1].isdigit() and rest[:1].isdigit()):
            return True
        at += 1
    return False


def _ordered_names(view: CatalogView) -> list[str]:
    got = view.cache.get("ask_variant_names")
    if got is None:
        got = view.cache["ask_variant_names"] = sorted({n for n, _, _ in view.names})
    return got


def _with_maker(view: CatalogView, pid: str, said: str) -> str:
    """Gear as said, under its maker's name when the words leave it out ("HiFiMan Sundara
    Closed"); a placeholder maker ("Generic") is not a name."""
    brand = (view.headphones.get(pid) or view.devices[pid]).brand
    if brand.lower() == "generic" or normalise_name(brand) in normalise_name(said):
        return said
    return f"{brand} {said}"


# "gen" after an ordinal goes with a model's name ("Scarlett Solo 3rd gen")
GEN_AFTER_ORDINAL = re.compile(r"(?<=\d(?:st|nd|rd|th))\s+gen(?:eration)?\b", re.I)


def add_unknown_variant(
    u: Understood, view: CatalogView, pid: str, start: int, end: int, sure: bool = True
) -> None:
    """The longer name as unknown gear, a headphone weighed or owned, a source otherwise; under
    its maker's name when the maker is ``sure`` (a whole catalog name went on) or said in the
    text ("Arya Organic" after "HiFiMan"), else as written ("the Pure i20")."""
    if gen := GEN_AFTER_ORDINAL.match(u.text, end):  # "Scarlett 2i2 3rd gen"
        end = gen.end()
    brand = (view.headphones.get(pid) or view.devices[pid]).brand
    said = normalise_name(brand) in normalise_name(u.text)
    name = _with_maker(view, pid, u.text[start:end]) if sure or said else u.text[start:end]
    role = role_before(u.text, start) if pid in view.headphones else "source"
    u.unknown.append({"name": name, "role": role, "start": start, "end": end})
    u.add("unknown_product", {"name": name, "role": role}, (start, end))


def went_on(u: Understood, view: CatalogView, start: int, end: int, pid: str) -> bool:
    """Whether the catalog name read at ``text[start:end]`` goes on into a model the catalog
    lacks ("Sundara Closed"; kept as unknown gear instead), into longer catalog names it is not,
    or, a common word, into another name ("Track Gain")."""
    longer = goes_past_catalog(u.text, start, end, view)
    if longer is not None and not _a_device_family(u.text[start:longer]):
        add_unknown_variant(
            u, view, pid, start, longer
        )  # ("Galaxy S23" is a phone: read as a device)
    return (
        longer is not None
        or _starts_longer_names(u.text, start, end, view)
        or runs_into_another_name(u.text, start, end)  # "Track Gain": another name's start
    )


def runs_into_another_name(text: str, start: int, end: int) -> bool:
    """A catalog model named by one common word ("Track", "Spring") that runs into another
    capitalised word ("Track Gain", "Spring Boot"): the start of another name, not the model."""
    word = text[start:end]
    m = _NEXT_WORD.match(text, end)
    return bool(
        m
        and re.fullmatch(r"[A-Za-z]+", word)
        and word.lower() in common_words()
        and m.group(1)[0].isupper()
        and m.group(1).isalpha()
        and m.group(1) not in ("I", "A")
        and not _is_variant(m.group(1), text[m.end(1) :])
    )


def _starts_longer_names(text: str, start: int, end: int, view: CatalogView) -> bool:
    """Whether the name goes on with a variant word into the start of longer catalog names that
    it is not itself: "OpenRun Pro" is not the OpenRun (the catalog has the OpenRun Pro 2), so
    the shorter match is dropped and the name is asked about (read_ambiguous)."""
    m = _NEXT_WORD.match(text, end)
    if not m or not _is_variant(word := m.group(1).rstrip("-"), text[m.start(1) + len(word) :]):
        return False
    key = normalise_name(text[start:end] + " " + word)
    names = _ordered_names(view)
    at = bisect_left(names, key)
    return at < len(names) and names[at] != key and names[at].startswith(key)


def _a_device_family(span: str) -> bool:
    """Whether ``span`` starts with a device family ("Galaxy S23", "Pixel 7"): a phone, console
    or player the device reader names, not a variant of a catalog headphone."""
    families = vocab()["device_names"]["families"]
    return any(
        re.match(rf"(?:{k})\b", span, re.I) and (not v or not v.get("proper") or span[0].isupper())
        for k, v in families.items()
    )


def family_variant(
    u: Understood, view: CatalogView, ordered: list, key: str, start: int, end: int, taken: list
) -> None:
    """A model family the catalog knows (``key`` starts catalog names in ``ordered``), going on
    with a variant word into a model it lacks ("Arya Organic" beside the Arya Stealth): unknown
    gear under its maker's name, replacing a device read inside it."""
    longer = goes_past_catalog(u.text, start, end, view)
    at = bisect_right(ordered, (key, "~"))
    if longer is None or len(key) < 4 or at >= len(ordered) or not ordered[at][0].startswith(key):
        return
    # a family named by a code ("DT 770") is its maker's; by a word ("Pure") it may be anyone's
    add_unknown_variant(u, view, ordered[at][1], start, longer, sure=any(c.isdigit() for c in key))
    u.devices = [d for d in u.devices if not (start <= d["start"] and d["end"] <= longer)]
    taken.append((start, longer))


_VARIANT_WORD = re.compile(r"(?i)^(?:mk-?(?:[ivx]+|\d)|mark|ii|iii|iv|gen\d?|v\d)$")
_NOT_MODEL_WORDS = {
    "i",
    "the",
    "and",
    "or",
    "but",
    "for",
    "with",
    "vs",
    "to",
    "a",
    "an",
    "is",
    "my",
}


def goes_on(text: str, words: list, k: int, key: str, ordered: list[tuple[str, str]]) -> bool:
    """Whether the name continues with the next word into a model the catalog does not hold: a
    code ("ALC270", "MKII") or a capitalised word on the same line ("Scarlett Solo")."""
    if k >= len(words):
        return False
    nxt = words[k]
    if text[words[k - 1].end() : nxt.start()] != " ":
        return False
    word = nxt.group(0)
    if word.isdigit() and re.match(r"\s*(?:ohms?|Ω|mw|db|v\b|hz|mm|g\b)", text[nxt.end() :], re.I):
        return False  # "DT 770 80 ohm": a figure that picks the variant, not a longer name
    if len(word) >= 2 and word.isdigit() and any(
        re.search(rf"-{word}(?:-|$)", pid) for n, pid in ordered[bisect_left(ordered, (key, "")) :][:40]
        if n.startswith(key)
    ):  # fmt: skip
        return False  # "DT 770 250": the figure of one of the models the name starts
    capital = word[0].isupper() and word.isalpha() and word.lower() not in _NOT_MODEL_WORDS
    if not (_model_like(word) or capital):
        return False
    return not catalog_holds(ordered, key + normalise_name(word), name=lambda x: x[0])


def _model_like(word: str) -> bool:
    """A word that continues a model's name: a code with a digit ("ALC270", "MKII", "2")."""
    return any(c.isdigit() for c in word) or bool(_VARIANT_WORD.match(word))


def begun_by_another_name(
    u: Understood, view: CatalogView, ordered: list, start: int, end: int, pid: str
) -> bool:
    """A model name read without its maker, right after a capitalised word that starts another
    name: "Pixel Buds Pro" is not OnePlus's "Buds Pro" (the catalog's "Pixel Buds Pro 2" starts
    with it), "Realme Buds Pro" not either (another maker's). Left to the readers of names it
    cannot settle and of gear it lacks."""
    before = re.search(r"([A-Z][\w&'-]*)\s+$", u.text[max(0, start - 40) : start])
    if before is None:
        return False
    word = before.group(1)
    item = view.headphones.get(pid) or view.devices.get(pid)
    code = re.search(r"[A-Za-z]", word) and re.search(r"\d", word)
    if code and not any(c.isdigit() for c in u.text[start:end]):
        return True  # a word after a model code goes on with it ("Schuberth C4 Basic")
    maker_said = normalise_name(maker(word))
    if maker_said and maker_said in normalise_name(item.brand):
        return False  # its own maker ("Sennheiser HD 600", "Senn 600")
    key = normalise_name(f"{word} {u.text[start:end]}")
    hit = first_name_from(ordered, key)
    starts_a_name = hit is not None and hit[1] != pid
    two = re.search(r"([A-Z][\w&'-]*\s+[A-Z][\w&'-]*)\s+$", u.text[max(0, start - 40) : start])
    makers = [maker_said] + ([normalise_name(maker(two.group(1)))] if two else [])
    families = [
        fam for k, fam in vocab()["device_names"]["families"].items() if re.fullmatch(k, word, re.I)
    ]
    own = [f for f in families if normalise_name(f.get("maker", "-")) in normalise_name(item.brand)]
    device_family = len(own) < len(families)  # another's device before it ("Xbox Elite")
    unbranded = normalise_name(item.brand) not in normalise_name(u.text)
    foreign = (  # "a Scarlett Solo 3rd gen" is no Beats Solo 3: a name before, its maker unsaid
        unbranded
        and not own  # "PS5 Pulse 3D" is Sony's own
        and after_another_name(u.text, start, {normalise_name(item.brand)})
    )
    return (
        starts_a_name
        or device_family
        or foreign
        or any(  # another maker's ("Turtle Beach Stealth")
            len(m) > 2
            and (m in maker_keys(view) or m in listed_makers())
            and m not in normalise_name(item.brand)
            for m in makers
        )
    )


def after_listed_maker(text: str, start: int, view: CatalogView) -> bool:
    """Whether the words right before ``start`` are a maker OPRA lists that makes nothing in the
    catalog, written with a capital ("Ultrasone Signature Pro"): what follows is that maker's
    model, not the start of a catalog name ("Signature Acoustics ..."); the reader of gear the
    catalog lacks names it."""
    before = re.search(r"((?:[A-Z][\w&'-]*\s+){1,3})$", text[max(0, start - 40) : start])
    if before is None:
        return False
    words = before.group(1).split()
    known = maker_keys(view)
    return any(
        (key := normalise_name(" ".join(words[k:]))) in listed_makers() and key not in known
        for k in range(len(words))
    )


def other_impedance(u: Understood, view: CatalogView, pid: str, a: int, b: int) -> bool:
    """A short form said with an impedance that is not its catalog model's ("a 600 ohm DT 880"
    beside the 250 ohm DT 880 PRO): another variant, named back as gear the catalog lacks."""
    near = re.search(
        r"(\d{2,3})\s*(?:ohms?|Ω)", u.text[max(0, a - 16) : b + 16], re.I
    ) or re.search(
        r"(\d{2,3})\s*(?:ohms?|Ω)\s+(?:version|variant|model|one)s?\s+of\s+(?:the\s+|a\s+)?$",
        u.text[max(0, a - 40) : a],  # "the 600 ohm version of the DT 990"
        re.I,
    )
    said = float(near.group(1)) if near else None
    h = view.headphones.get(pid)
    rated = h and (
        h.impedance_ohm or (h.sensitivity_measured and h.sensitivity_measured.impedance_ohm)
    )
    if said is None or not rated or abs(said / rated - 1) < 0.2:
        return False
    name = f"{u.text[a:b]} ({said:g} ohm)"
    u.unknown.append({"name": name, "role": role_before(u.text, a), "start": a, "end": b})
    u.add("unknown_product", {"name": name, "role": u.unknown[-1]["role"]}, (a, b))
    return True
