"""Reading a question, part 3: gear named without a catalog model: devices by family ("my iPod",
"the regular Xbox One"), a brand's gear by its kind ("my Sony headphones"), bare model codes with
a brand's own prefix ("ATH-CK323"), a model's short code ("XM4") and a maker the catalog does not
know with a model code ("Realtek ALC270"). Catalog names, ambiguous names and unknown gear after a
brand: :mod:`earwise.advice.ask_products`. A maker the catalog lacks, named by its kind ("Pleomax
earphones"), is read here too.
"""

from __future__ import annotations

import re
from functools import cache

from earwise.advice.ask_match import brand_alternation, maker_keys, starts_a_model
from earwise.advice.ask_names import (
    after_another_name,
    first_name_from,
    merge_repeats,
    model_words_after,
    only_common_words,
    proper_noun,
    sorted_names,
    start_with_maker,
)
from earwise.advice.ask_products import (
    _FUNCTION_WORDS,
    _overlaps,
    _taken,
    add_ambiguous,
    add_short_form,
)
from earwise.advice.ask_roles import role_before
from earwise.advice.ask_text import Understood, vocab
from earwise.catalog.store import normalise_name
from earwise.catalog.view import CatalogView

# --- devices named by family, and a brand's gear named by its kind --------------------------------


@cache
def _device_pattern() -> re.Pattern:
    """The families of ``devices`` in ask.yaml, longest first, with the model words that may
    follow ("iPhone 15 Pro", "Xbox Series X") and an accessory word that makes the name that
    accessory ("Xbox One S controller")."""
    v = vocab()["device_names"]
    families = sorted(v["families"], key=len, reverse=True)
    return re.compile(
        r"(?<![\w-])(?P<family>" + "|".join(families) + r")"
        r"(?P<model>(?:[ \t]+(?:" + v["model_words"] + r"))*)"
        r"(?P<accessory>[ \t]+(?:" + v["accessories"] + r"))?(?![\w-])",
        re.I,
    )


def _starts_a_headphone_name(text: str, start: int, end: int, view: CatalogView) -> bool:
    """A device family word followed by a word that goes on into a catalog headphone's name
    ("Pixel Buds", "Galaxy Buds"): the headphone, not the device."""
    nxt = re.match(r"\s+([\w-]+)", text[end:])
    if nxt is None:
        return False
    key = normalise_name(f"{text[start:end]} {nxt.group(1)}")
    hit = first_name_from(sorted_names(view)[0], key)
    return hit is not None and hit[1] in view.headphones


def read_devices(u: Understood, view: CatalogView) -> None:
    """Devices named by family ("my iPod", "Dell XPS 15") and a brand's gear by its kind ("my
    red Sony headphones"): gear named that is not a catalog model. A device is a source (its
    platform read too); an accessory or a brand's gear takes its role from the words before it."""
    taken = _taken(u)
    families = vocab()["device_names"]["families"]
    for m in _device_pattern().finditer(u.text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        fam = (
            next(
                (val for k, val in families.items() if re.fullmatch(k, m.group("family"), re.I)),
                None,
            )
            or {}
        )
        if fam.get("proper") and not m.group("family")[0].isupper():
            continue  # "switch", "surface", "galaxy" as ordinary words
        if _starts_a_headphone_name(u.text, m.start(), m.end(), view):
            continue  # "Pixel Buds Pro": earbuds, not a Pixel phone
        accessory = bool(m.group("accessory"))
        start = start_with_maker(u, m.start(), fam.get("maker"))  # "Dell XPS 15"
        role = role_before(u.text, start) if accessory else "source"
        _add_device(u, start, m.end(), role, "accessory" if accessory else "device",
                    None if accessory else fam.get("platform"))  # fmt: skip
        taken.append((start, m.end()))
    _read_brand_kind(u, view, taken, "kinds", _NOT_A_SOURCE)  # "my red Sony headphones"
    for m in _brand_choice_pattern(view).finditer(u.text):  # "Altec or Sony?"
        for g in ("a", "b"):
            if not _overlaps(taken, m.start(g), m.end(g)):
                _add_device(u, m.start(g), m.end(g), "considering", "brand", None)
                u.devices[-1]["choice"] = True  # weighed against another maker: only these
                taken.append((m.start(g), m.end(g)))
    for m in _source_brand_pattern(view).finditer(u.text):  # "my Focusrite", "the Schiit"
        model = model_words_after(u.text, m.end("brand"))[0]  # "my schiit modi 3": a model
        if not model and not _overlaps(taken, m.start("brand"), m.end("brand")):
            _add_device(u, m.start("brand"), m.end("brand"), "source", "brand", None)
            taken.append((m.start("brand"), m.end("brand")))
    _read_brand_kind(u, view, taken, "source_kinds")  # "an old Sony receiver"
    _read_unknown_maker_kind(u, view, taken)  # "a pair of Tronssmart Earbuds"
    for m in _owned_brand_pattern(view).finditer(u.text):  # "my red Sony's died", "I love my Bose"
        if model_words_after(u.text, m.end("brand"))[0]:
            continue  # "my dell xps 15 hisses": a model in lower case, read by its maker
        if not _overlaps(taken, m.start("brand"), m.end()):
            _add_device(u, m.start("brand"), m.end("brand"), "owned", "brand", None)
            taken.append((m.start("brand"), m.end()))
    u.devices = merge_repeats(u.devices)


_NOT_A_SOURCE = r"(?!\s*(?:out(?:put)?s?|jacks?|ports?|sockets?|amps?)\b)"


_CODE_BEFORE = re.compile(
    r"(?<![\w/-])(?=[A-Za-z0-9/-]*[A-Za-z])[A-Za-z0-9/-]*\d[A-Za-z0-9/-]*[ \t]+$"
)


def _read_brand_kind(u: Understood, view: CatalogView, taken: list, kinds: str, after: str = ""):
    """A brand's gear named by its kind (:func:`_brand_then_kind`): a source for kinds of
    source, else its role from the words before it."""
    for m in _brand_then_kind(view, kinds, after).finditer(u.text):
        words = m.group("words").split()
        if _overlaps(taken, m.start(), m.end()) or any(w in _FUNCTION_WORDS for w in words):
            continue
        if words and starts_a_model(view, m.group("brand"), " ".join(words)):
            continue  # "bose qc ultra headphones": a model's name in lower case
        if _CODE_BEFORE.search(u.text, 0, m.start()):
            continue  # "a 40PFL3706/F7 Philips tv": a model code with its maker, read as one
        role = "source" if kinds == "source_kinds" else role_before(u.text, m.start())
        _add_device(u, m.start(), m.end(), role, "brand", None)
        taken.append(m.span())


def _read_unknown_maker_kind(u: Understood, view: CatalogView, taken: list) -> None:
    """One word written as a name, without digits nor a name before it, that is not a maker the
    catalog knows, a common English word or a technology (``not_maker_words`` in ask.yaml),
    before headphones, earbuds or a headset ("Pleomax earphones", "a Jawbone bluetooth
    headset"): a maker the catalog lacks, its role from the words before it."""
    for m in _UNKNOWN_MAKER_KIND.finditer(u.text):
        maker = m.group("maker")
        if _overlaps(taken, m.start(), m.end()) or set(m.group("words").split()) & _FUNCTION_WORDS:
            continue
        if not (proper_noun(u.text, m.start()) or any(c.isupper() for c in maker[1:])):
            continue
        if only_common_words(maker) or maker.lower() in _not_maker_words():
            continue
        if normalise_name(maker) in maker_keys(view) or after_another_name(
            u.text, m.start(), set()
        ):
            continue  # a maker the catalog knows (_read_brand_kind), a name's last word
        _add_device(u, m.start(), m.end(), role_before(u.text, m.start()), "brand", None)
        taken.append(m.span())


@cache
def _not_maker_words() -> frozenset[str]:
    return frozenset(w.lower() for w in vocab()["not_maker_words"])


# Plural kinds only (and a headset), not ask.yaml's device_names.kinds: with its singulars, "cans"
# and "in-ears" a word before them is more often no maker ("Rockbox remembering last headphone");
# with them the labelled real posts gain no name and get one false name in each half.
_UNKNOWN_MAKER_KIND = re.compile(
    r"(?<![\w-])(?P<maker>(?-i:[A-Z])[^\W\d]*)(?P<words>(?:[ \t]+(?-i:[a-z])[\w-]*){0,2}?)"
    r"[ \t]+(?:headphones|earbuds|earphones|ear ?buds|buds|iems|headsets?)(?![\w-])"
    + _NOT_A_SOURCE,
    re.I,
)


def _brand_then_kind(view: CatalogView, kinds: str, after: str = "") -> re.Pattern:
    """A brand, up to two describing words in lower case, then a kind of gear from ``kinds`` (a
    key of ``device_names`` in ask.yaml), once per view: "Sony noise cancelling headphones" (kinds
    of headphone; "Bose QC Ultra Headphones" is a model's name), "an old Sony receiver" (kinds of
    source, one the catalog does not list by model)."""
    key = f"ask_brand_then_{kinds}"
    got = view.cache.get(key)
    if got is None:
        got = view.cache[key] = re.compile(
            r"\b(?P<brand>" + brand_alternation(view) + r")(?:'s|s')?"
            r"(?P<words>(?:[ \t]+(?-i:[a-z])[\w-]*){0,2}?)[ \t]+(?:"
            + vocab()["device_names"][kinds]
            + r")(?![\w-])"
            + after,
            re.I,
        )
    return got


def _brand_choice_pattern(view: CatalogView) -> re.Pattern:
    """Two makers weighed against each other and nothing else ("Altec or Sony?", "Sony vs
    Bose?"): each is that maker's gear, being considered. A model after either is another name."""
    got = view.cache.get("ask_brand_choice")
    if got is None:
        alt = brand_alternation(view)
        got = view.cache["ask_brand_choice"] = re.compile(
            rf"(?<![\w-])(?P<a>(?=(?-i:[A-Z0-9]))(?:{alt}))\s+(?:or|vs\.?|versus)\s+"
            rf"(?P<b>(?=(?-i:[A-Z0-9]))(?:{alt}))"
            r"(?=\s*(?:[?.,;!]|$)|\s+(?:for|better|best|worse|when|if|which)\b)",
            re.I,
        )
    return got


def _source_brand_pattern(view: CatalogView) -> re.Pattern:
    """A maker of sources and amps only (the catalog's device brands that make no catalog
    headphone, and ``gear_makers``) named alone as one's gear ("my Focusrite", "I have a
    Focusrite"): a source. A model
    name after it is read by the other readers."""
    got = view.cache.get("ask_source_brand")
    if got is None:
        heads = {h.brand.lower() for h in view.headphones.values()}
        makers = {d.brand for d in view.devices.values() if d.brand.lower() not in heads}
        makers |= {
            k for k, v in vocab()["gear_makers"].items() if v == "source" and k.lower() not in heads
        }
        alt = "|".join(
            re.escape(b) for b in sorted(makers, key=lambda b: (-len(b), b)) if len(b) >= 3
        )
        got = view.cache["ask_source_brand"] = re.compile(
            rf"\b(?:my|the|our|his|her|(?:have|own|got|use|using|with)\s+an?)\s+(?P<brand>{alt})"
            rf"(?:['’]s)?\b(?!\s+(?:(?-i:[A-Z0-9])|[a-z]{{1,3}}\d))",  # "an Audient iD4": a model
            re.I,
        )
    return got


def _not_after_owned_brand() -> str:
    """After "my Sony": any word in lower case ("my Grados hurt", "my Bose died"), but not a thing
    of the maker's other than its headphones (its app, its store, its TV, ``maker_things`` in
    ask.yaml) nor a kind of gear read elsewhere ("my Sony headphones", "my Sony receiver")."""
    names = vocab()["device_names"]
    words = [names["maker_things"], names["kinds"], names["source_kinds"], names["accessories"]]
    return r"(?:" + "|".join(words) + r")\b"


def _owned_brand_pattern(view: CatalogView) -> re.Pattern:
    """A headphone brand owned and named alone ("my red Sony's", "his Bose"): that brand's
    headphones. The brand must end the phrase (a model, "app" or "store" after it is another
    thing)."""
    got = view.cache.get("ask_owned_brand")
    if got is None:
        phones = {p.lower() for p in vocab()["phone_makers"]}
        brands = [
            b
            for b in brand_alternation(view).split("|")
            if b.replace("\\", "").lower() not in phones
        ]
        got = view.cache["ask_owned_brand"] = re.compile(
            r"\b(?:my|his|her|our|their)\s+(?:old\s+|new\s+|red\s+|black\s+|white\s+|trusty\s+)?"
            r"(?P<brand>" + "|".join(brands) + r")(?:['’]?s)?"
            r"(?=\s*(?:[.,;:!?)]|$|\s(?!" + _not_after_owned_brand() + r")(?-i:[a-z]+)(?![\w-])))",
            re.I,
        )
    return got


def _add_device(u: Understood, s: int, e: int, role: str, kind: str, platform: str | None) -> None:
    name = u.text[s:e]
    u.devices.append({"name": name, "role": role, "kind": kind, "platform": platform,
                      "start": s, "end": e})  # fmt: skip
    u.add("device", {"name": name, "role": role, "kind": kind}, (s, e))
    if platform and platform not in u.platforms:
        u.platforms.append(platform)
        u.add("platform", platform, (s, e))


# --- a bare model code with a brand's own prefix ("ATH-CK323", "MDR-V6") -----------------------

CODE_PREFIX_MIN_MODELS = 5  # a prefix belongs to a brand when that many of its models use it...
CODE_PREFIX_MIN_MODELS_SHORT = 10  # ...or this many for a two-letter prefix (more collisions)
CODE_PREFIX_SHARE = 0.8  # ...and at least this share of the catalog's models with the prefix
_PREFIXED = re.compile(r"(?<![\w-])([A-Za-z]{2,4})-([A-Za-z]{0,4}\d[\w]*)(?![\w-])")
# The same without the hyphen ("HD 58X", "hd58x"): the prefix in capitals before a space, or
# joined to the number; a model number of two digits or more.
_DETERMINERS = {"my", "the", "a", "an", "your", "his", "her", "our", "their", "this", "that", "i"}
_PREFIXED_SPACED = re.compile(
    r"(?<![\w-])(?:([A-Z]{2,4}) |([A-Za-z]{2,4}))(\d{2,4})([A-Za-z]{0,3})(?![\w-])"
)


def _code_prefixes(view: CatalogView) -> dict[str, str]:
    """{prefix: brand} for the letter prefixes of the catalog's model codes ("ATH-" for
    Audio-Technica, "MDR-" for Sony) that one brand alone uses, often enough to be its mark;
    derived from the catalog once per view."""
    got = view.cache.get("ask_code_prefixes")
    if got is None:
        counts: dict[str, dict[str, int]] = {}
        for item in (*view.headphones.values(), *view.devices.values()):
            m = re.match(r"([A-Za-z]{2,4})[- ]?[A-Za-z]{0,4}\d", item.model)
            if m:
                by_brand = counts.setdefault(m.group(1).lower(), {})
                by_brand[item.brand] = by_brand.get(item.brand, 0) + 1
        got = view.cache["ask_code_prefixes"] = {
            prefix: brand
            for prefix, by_brand in counts.items()
            for brand, n in [max(by_brand.items(), key=lambda kv: kv[1])]
            if n >= (CODE_PREFIX_MIN_MODELS if len(prefix) > 2 else CODE_PREFIX_MIN_MODELS_SHORT)
            and n >= CODE_PREFIX_SHARE * sum(by_brand.values())
        }
    return got


def read_prefixed_codes(u: Understood, view: CatalogView) -> None:
    """A model code written without its brand but with the brand's own prefix ("my
    ATH-CK323s") that matched no catalog model: unknown gear of that brand."""
    prefixes = _code_prefixes(view)
    taken = _taken(u)
    for m in _PREFIXED.finditer(u.text):
        brand = prefixes.get(m.group(1).lower())
        if brand is None or _overlaps(taken, m.start(), m.end()):
            continue
        code = re.sub(r"(?<=\d)s$", "", m.group(0))  # a plural: "CK323s"
        name = f"{brand} {code.upper() if code.isupper() else code}"
        role = role_before(u.text, m.start())
        u.unknown.append({"name": name, "role": role, "start": m.start(), "end": m.end()})
        taken.append(m.span())
        u.add("unknown_product", {"name": name, "role": role}, m)
    words = set(vocab()["sentence_words"])
    for m in _PREFIXED_SPACED.finditer(u.text):  # "HD 58X", "hd58x": no hyphen
        prefix = m.group(1) or m.group(2)
        brand = prefixes.get(prefix.lower())
        if brand is None or prefix.lower() in words or _overlaps(taken, m.start(), m.end()):
            continue
        if m.group(4).lower() in _UNIT_ENDINGS - {"s"}:
            continue  # "PC 20ms", "HD 300mW": a figure, not a model
        before = re.search(r"(^|[.!?:]\s+|\s)([A-Z][\w&-]+)\s+$", u.text[: m.start()])
        if before and before.group(1) == " " and before.group(2).lower() not in _DETERMINERS:
            continue  # "Precision Acoustics HD45": another maker's model, named by its maker
        code = m.group(3) + ("" if m.group(4) == "s" else m.group(4))  # a plural: "HD58Xs"
        name = f"{brand} {prefix.upper()} {code.upper() if len(code) <= 5 else code}"
        role = role_before(u.text, m.start())
        u.unknown.append({"name": name, "role": role, "start": m.start(), "end": m.end()})
        taken.append(m.span())
        u.add("unknown_product", {"name": name, "role": role}, m)


# --- a model's own short code ("XM4" for the WH-1000XM4 or the WF-1000XM4) ----------------------

_VERSION_SUFFIX = re.compile(r"^(?:r?mk|mark|gen|v|s)\d", re.I)
_SHORT = re.compile(r"(?<![\w-])([A-Za-z]{2,3}\d{1,2})s?(?![\w-])")


def _short_codes(view: CatalogView) -> dict[str, list[str]]:
    """{short code: ids} for the letters-and-digit ending of a numbered model code ("XM4" of
    "WH-1000XM4"), as people shorten it; version endings ("Mk2", "Gen2", "V2") are not names.
    Derived from the catalog once per view."""
    got = view.cache.get("ask_short_codes")
    if got is None:
        got = {}
        for item in (*view.headphones.values(), *view.devices.values()):
            m = re.search(r"\d{2,}([A-Za-z]{2,3}\d{1,2})$", item.model.replace(" ", ""))
            if m and not _VERSION_SUFFIX.match(m.group(1)):
                got.setdefault(m.group(1).lower(), []).append(item.id)
        view.cache["ask_short_codes"] = got
    return got


# A model number with a letter after it, said without the letters before it ("660S" of "HD
# 660 S", "58X" of "HD 58X"); letters that are units ("300mW", "32GB", "6mm") never make one.
_NUMBER_CODE = re.compile(r"(?<![\w$£€.-])(\d{2,4}[A-Za-z]{1,2})s?(?![\w-])")
_UNIT_ENDINGS = {"mm", "mw", "ms", "hz", "db", "gb", "mb", "th", "st", "nd", "rd", "pm", "am", "k",
                 "v", "w", "g", "h", "m", "p", "kg", "lb", "cm", "in", "ft", "yo", "s"}  # fmt: skip


def _number_codes(view: CatalogView) -> dict[str, list[str]]:
    """{number code: ids} for models written as letters then a number with a letter after it
    ("HD 660 S", "HD 58X", "HD 560S"), derived from the catalog once per view. A plain "s" after
    the number counts only in the catalog's own spelling ("560S"), never as a plural."""
    got = view.cache.get("ask_number_codes")
    if got is None:
        got = {}
        for h in view.headphones.values():
            m = re.fullmatch(r"[A-Za-z]{1,4}[- ]?(\d{2,4}) ?([A-Za-z]{1,2})", h.model.strip())
            if m and m.group(2).lower() not in _UNIT_ENDINGS - {"s"}:
                got.setdefault((m.group(1) + m.group(2)).lower(), []).append(h.id)
        view.cache["ask_number_codes"] = got
    return got


def read_short_codes(u: Understood, view: CatalogView) -> None:
    """A model's short code said alone ("my XM4s", "the 660S"): that product when one model ends
    so, else the models it could be, asked about (never picked)."""
    codes = _short_codes(view)
    taken = _taken(u)
    numbered = _number_codes(view)
    for m in _NUMBER_CODE.finditer(u.text):
        code = m.group(1)
        ids = numbered.get(code.lower())
        if not ids or _overlaps(taken, m.start(), m.end()) or not code[-1].isupper():
            continue  # (written as the maker writes it: "660S", not "660s", a plural or seconds)
        taken.append(m.span())
        if len(ids) == 1:
            add_short_form(u, view, ids[0], m.start(), m.end())
        else:
            add_ambiguous(u, view, code, sorted(ids), m.start(), m.end())
    for m in _SHORT.finditer(u.text):
        ids = codes.get(m.group(1).lower())
        if not ids or _overlaps(taken, m.start(), m.end()):
            continue
        taken.append(m.span())
        if len(ids) == 1:
            add_short_form(u, view, ids[0], m.start(), m.end())
        else:
            add_ambiguous(u, view, m.group(1), sorted(ids), m.start(), m.end())


# --- a maker the catalog does not know, with a model code -----------------------------------

# A maker's name the catalog does not know, followed by a model code with letters and digits
# ("Roland EM-10", "Realtek ALC270", "PreSonus HP2"): named back as unknown gear too. Words that
# are technologies or platforms, not makers, are never taken for one.
_CODE_GEAR = re.compile(
    r"\b([A-Z][A-Za-z]{2,})\s+(?:(?:USB|Bluetooth|BT|Wireless|Pro|Studio)\s+)?"
    r"([A-Z]{1,4}-?\d{1,5}[A-Za-z]{0,3}|\d{2,5}[A-Z]{1,3})\b"
)
_NOT_MAKERS = {
    "windows", "bluetooth", "usb", "ios", "android", "iphone", "ipad", "playstation", "xbox", "ps",
    "model", "version", "mark", "type", "gen", "series", "level", "class", "channel", "ch", "size",
    "the", "my", "and", "or", "with", "for", "page", "rule", "step", "number", "room", "hdmi",
    "diy", "building", "build",
}  # fmt: skip


# A model code said with the kind of gear it is ("my G2 100 radio", "a 40PFL3706/F7 Philips tv"),
# or owned by code alone ("my E12 can drive ..."): gear named, the catalog lacking it.
_CODE_KIND = re.compile(
    r"\b(?:my|a|an|the|this|our)\s+((?=[A-Za-z0-9/-]*\d)(?=[A-Za-z0-9/-]*[A-Z])[A-Z0-9][A-Za-z0-9/-]{1,14}"
    r"(?:\s+\d{2,4})?(?:\s+[A-Z][a-z]+)?\s+(?:radio|tv|television|receiver|amp|amplifier|dac|player"
    r"|interface|mixer|stereo|dongle|walkman|soundbar|laptop|phone))\b"
    r"|\b(?i:my)\s+([A-Z]{1,3}\d{1,4}[A-Za-z]?)(?=\s+(?:can|could|will|would|is|does|has|drives?"
    r"|powers?|handles?|runs?|outputs|puts)\b)"
    r"|\b(?i:the)\s+([A-Z]{1,3}\d{1,4}[A-Za-z]?)(?=\s+(?:drives?|powers?)\s+(?:the|my|a|an)\b)"
)


def _model_tails(view: CatalogView) -> set[str]:
    """The last word of every catalog model ("m50" of "ATH-M50"): a code said alone that ends a
    catalog model is that model's short form, never unknown gear."""
    got = view.cache.get("ask_model_tails")
    if got is None:
        got = {re.split(r"[\s-]", h.model)[-1].lower() for h in view.headphones.values()}
        got |= {re.split(r"[\s-]", d.model)[-1].lower() for d in view.devices.values()}
        view.cache["ask_model_tails"] = got
    return got


def read_code_gear(u: Understood, view: CatalogView) -> None:
    taken = _taken(u)
    for m in _CODE_KIND.finditer(u.text):
        g = next(i for i in (1, 2, 3) if m.group(i))  # a kind word, "my X1 can", "the X1 drives"
        name, span = m.group(g), m.span(g)
        if _overlaps(taken, *span) or (g > 1 and name.lower() in _model_tails(view)):
            continue
        kind = re.search(r"\w+$", name).group(0).lower() if m.group(1) else ""
        role = (
            "amp"
            if kind in ("amp", "amplifier")
            else "source"
            if kind or g == 3  # a kind of source named, or "the O2 drives the HD 800"
            else role_before(u.text, span[0])
        )
        u.unknown.append({"name": name, "role": role, "start": span[0], "end": span[1]})
        taken.append(span)
        u.add("unknown_product", {"name": name, "role": role}, span)
    for m in _CODE_GEAR.finditer(u.text):
        if m.group(1).lower() in _NOT_MAKERS:
            continue
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        role = role_before(u.text, m.start())
        u.unknown.append({"name": m.group(0), "role": role, "start": m.start(), "end": m.end()})
        taken.append(m.span())
        u.add("unknown_product", {"name": m.group(0), "role": role}, m)


@cache
def _not_gear() -> re.Pattern:
    return re.compile(vocab()["not_gear_codes"], re.I)


def not_gear_code(code: str) -> bool:
    """A code written like a model's that names no product (``not_gear_codes`` in ask.yaml):
    a format, port or console ("MP3", "USB3", "PS5"), a rating, a standard, a valve or a chip."""
    return _not_gear().fullmatch(code) is not None


def merge_brand_sources(u: Understood) -> None:
    """A maker's source named by its kind and the same maker's model named too ("my Yamaha mixer
    ... Yamaha MG82cx") are one piece of gear: the model's name is kept."""
    kinds = re.compile(r"\b(?:" + vocab()["device_names"]["source_kinds"] + r")$", re.I)
    for d in [d for d in u.devices if d["kind"] == "brand" and kinds.search(d["name"])]:
        brand = d["name"].split()[0].lower()
        if any(g["name"].lower().startswith(brand + " ") for g in u.unknown):
            u.devices.remove(d)
