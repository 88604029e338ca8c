"""The catalog's names as ``ask`` reads them: every name worth looking for, each short name with
its maker before it, the names with digits for near-miss matching, all of them sorted for
prefix look-ups, the bare aliases people say alone, the words makers coined ("AirPods") that make
a name however it is written, and the makers of gear that is not headphones; built once per view
(its cache). Also whether a capital marks a name (:func:`proper_noun`: not at the start of a
sentence or line, nor in a title's capitals)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from earwise.advice.ask_match import canon, headphone_makers, maker_keys
from earwise.advice.ask_text import Understood, common_words, vocab
from earwise.catalog.store import normalise_name
from earwise.catalog.view import CatalogView


def catalog_names(view: CatalogView) -> list[tuple[str, str, str]]:
    """The names worth looking for in text, once per view (kept in the view's cache)."""
    names = view.cache.get("ask_names")
    if names is None:
        names = view.cache["ask_names"] = [
            (n, pid, kind)
            for n, pid, kind in view.names
            if len(n) >= 3 and (len(n) > 3 or any(c.isdigit() for c in n) or n.isalpha())
        ]
    return names


def branded_names(view: CatalogView) -> list[tuple[str, str, str]]:
    """Each short name with its maker before it ("Bose QC Ultra Headphones 2023"), for the
    prefix look-ups that ask which model a short name means (the exact scan needs none: the
    short name alone is found inside the longer text)."""
    said = catalog_names(view)
    known = {n for n, _, _ in said}
    return sorted(
        {
            (b + n, pid, kind)
            for n, pid, kind in said
            if not n.startswith(b := normalise_name(view.brand_of(pid))) and b + n not in known
        }
    )


def fuzzy_choices(view: CatalogView) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """Names with a digit, in their canonical spelling (:func:`canon`), for near-miss matching:
    {name: (id, kind)} and its keys, built once per view (kept in the view's cache)."""
    got = view.cache.get("ask_fuzzy")
    if got is None:
        choices = {
            canon(n): (pid, kind)
            for n, pid, kind in catalog_names(view)
            if any(c.isdigit() for c in n)
        }
        got = view.cache["ask_fuzzy"] = (choices, list(choices))
    return got


def sorted_names(view: CatalogView) -> tuple[list[tuple[str, str]], set[str]]:
    """(name, id) sorted by name, for prefix look-ups, and the set of names, once per view."""
    got = view.cache.get("ask_sorted_names")
    if got is None:
        names = catalog_names(view) + branded_names(view)
        got = view.cache["ask_sorted_names"] = (
            sorted({(n, pid) for n, pid, _ in names}),
            {n for n, _, _ in names},
        )
    return got


def first_name_from(ordered: list[tuple[str, str]], key: str) -> tuple[str, str] | None:
    """The first (name, id) of :func:`sorted_names` that starts with ``key``, or None: whether a
    normalised name is the start of a catalog name (a prefix look-up)."""
    at = bisect_left(ordered, (key, ""))
    return ordered[at] if at < len(ordered) and ordered[at][0].startswith(key) else None


def names_starting(ordered: list[tuple[str, str]], key: str) -> list[tuple[str, str]]:
    """The (name, id) of :func:`sorted_names` that start with ``key`` and go on, never across a
    number (a "770" never starts a "7700")."""
    return [
        (n, pid)
        for n, pid in ordered[
            bisect_right(ordered, (key, "~")) : bisect_left(ordered, (key + "{", ""))
        ]
        if not (key[-1].isdigit() and n[len(key)].isdigit())
    ]


def bare_aliases(view: CatalogView) -> dict[str, set[str]]:
    """{normalised short name: its aliases as the catalog spells them} for aliases of three
    letters or digits or fewer ("6XX", "PX8"): curated as what people say alone, they count
    when written so, in the plural ("6XXs"), or, for a code of digits and letters, in lower case
    ("6xx": no word of the language)."""
    got = view.cache.get("ask_bare_aliases")
    if got is None:
        got = view.cache["ask_bare_aliases"] = {}
        for item in (*view.headphones.values(), *view.devices.values()):
            for a in item.aliases:
                if len(normalise_name(a)) <= 3:
                    code = re.search(r"\d", a) and re.search(r"[A-Za-z]", a)
                    spellings = {a, a.lower()} if code else {a}
                    got.setdefault(normalise_name(a), set()).update(
                        spellings | {w + "s" for w in spellings}
                    )
    return got


def coined_words(view: CatalogView) -> set[str]:
    """Words makers coined to start a headphone's name, written with a capital inside ("AirPods",
    "QuietComfort", "LinkBuds"), lower-cased: no ordinary word, so a name made with one counts
    however it is written ("my airpods max"). A maker's own name is not one, nor the everyday
    words some maker writes so (``ordinary_words`` in ask.yaml: "BackBeat", "EarPhone")."""
    got = view.cache.get("ask_coined_words")
    if got is None:
        ordinary = set(vocab()["ordinary_words"])
        got = view.cache["ask_coined_words"] = {
            w.lower()
            for h in view.headphones.values()
            for name in (h.model, *h.aliases)
            if (m := re.match(r"[A-Za-z]+", name))
            and re.search(r"[a-z][A-Z]", w := m.group(0))
            and len(w) >= 5
            and normalise_name(w) != normalise_name(h.brand)
            and w.lower() not in ordinary
        }
    return got


def starts_coined(key: str, coined: set[str]) -> bool:
    """Whether a normalised name starts with a coined word ("airpodsmax", "quietcomfort45")."""
    return any(key.startswith(w) for w in coined)


def coined_spelling(span: str, coined: set[str]) -> str | None:
    """A family named with a coined word in another number, normalised as the catalog writes it:
    "AirPod Pro", "airpod pros", "AirPods Maxes" -> "airpodspro", "airpodsmax"; None when the
    span starts with no coined word."""
    words = [w.lower() for w in re.findall(r"[A-Za-z0-9]+", span)]
    if not words:
        return None
    if words[0] + "s" in coined:
        words[0] += "s"  # "airpod"
    if words[0] not in coined:
        return None
    last = words[-1]
    if len(words) > 1 and last.isalpha() and last.endswith("s") and last[:-1] + "s" not in coined:
        words[-1] = last[:-2] if last.endswith("xes") else last[:-1]  # "pros", "maxes"
    return "".join(words)


def proper_noun(text: str, start: int, length: int = 0) -> bool:
    """Written as a name: capitalised, and not merely because a sentence starts there (a longer
    name, six letters or more, counts at a sentence start too: "Sundara or HD 6XX?")."""
    if not text[start].isupper() or _in_title_case(text, start):
        return False
    gap = text[:start][len(text[:start].rstrip()) :]
    before = text[:start].rstrip()
    line_start = "\n" in gap  # "HI Guys,\n\nFirst of all": a line starts there
    return (bool(before) and before[-1] not in ".!?:\n" and not line_start) or length >= 6


def only_common_words(span: str) -> bool:
    """Every word of ``span`` a common English word ("Every day", "Spring")."""
    said = re.findall(r"[A-Za-z]+|\d", span)
    return bool(said) and all(w.lower() in common_words() for w in said)


def after_another_name(text: str, start: int, makers: set[str]) -> bool:
    """A word right after a capitalised word that is itself written as a name, and not one of
    ``makers`` (normalised): the word goes on that other name ("my GoXLR Mini", "an Arduino Pro
    Mini"), it does not start a catalog name on its own."""
    before = re.search(r"([A-Za-z][\w&'-]*)[ \t]+$", text[max(0, start - 40) : start])
    if before is None or before.group(1) == "I":
        return False
    word_at = start - len(before.group(0))
    written_as_name = proper_noun(text, word_at) or any(c.isupper() for c in before.group(1)[1:])
    key = normalise_name(before.group(1))
    return written_as_name and not any(m.startswith(key) for m in makers)  # "JDS" (Labs) Atom


def _in_title_case(text: str, at: int) -> bool:
    """Whether the line around ``at`` is a title with most words capitalised ("Headsets For Mowing
    the Lawn & Listening to Music"): a capital there is no sign of a name."""
    line = text[text.rfind("\n", 0, at) + 1 : (text.find("\n", at) + 1 or len(text) + 1) - 1]
    words = re.findall(r"[A-Za-z][\w'-]*", line)
    long_words = [w for w in words if len(w) > 3]
    small_capital = any(w in _TITLE_SMALL_WORDS for w in words[1:])  # "Headsets For Mowing"
    return (
        small_capital
        and len(long_words) >= 4
        and sum(w[0].isupper() for w in long_words) >= 0.8 * len(long_words)
    )


# small words only a title capitalises (a line of product names does not: "AirPods or Buds Pro")
_TITLE_SMALL_WORDS = {"For", "With", "From", "Into", "About", "Over", "Under", "And", "The", "Of",
                      "To", "In", "On", "At", "By", "Is", "Are", "Your", "My"}  # fmt: skip


def gear_makers(view: CatalogView) -> dict[str, str]:
    """{normalised maker: role} for makers of gear that is not headphones, once per view."""
    got = view.cache.get("ask_gear_makers")
    if got is None:
        brands = maker_keys(view)
        got = {  # a maker that also makes catalog headphones takes its role from the words
            key: role
            for key, role in ((normalise_name(k), v) for k, v in vocab()["gear_makers"].items())
            if key not in brands
        }
        heads = headphone_makers(view)
        got |= {  # a catalog maker of sources only ("Topping L30 II" the catalog lacks): a source
            normalise_name(d.brand): "source"
            for d in view.devices.values()
            if normalise_name(d.brand) not in heads
        }
        view.cache["ask_gear_makers"] = got
    return got


def names_a_service(tokens: list[str]) -> bool:
    """Whether the words after a maker's name make a service, an app, a shop or a branch
    (``not_model_words`` in ask.yaml: "Music", "Hub", "Germany"), not a model; after a model
    number such a word is a variant's ("Evolve2 65 Teams")."""
    words = vocab()["not_model_words"]
    return any(
        t.removesuffix("'s") in words and not any(c.isdigit() for w in tokens[:i] for c in w)
        for i, t in enumerate(tokens)
    )


# the fewest characters a name said again without its first words must keep to be the same gear
# ("SoundSport" after "Bose SoundSport"; not "Pro" after "DT 700 Pro")
SAID_AGAIN_MIN_CHARS = 5


def said_again(longer: str, shorter: str) -> bool:
    """Whether ``shorter`` names the gear ``longer`` named: the same name, its start, or its end
    when that keeps enough of it ("Bose SoundSport" ... "the SoundSport")."""
    a, b = canon(normalise_name(longer)), canon(normalise_name(shorter))
    return a.startswith(b) or (len(b) >= SAID_AGAIN_MIN_CHARS and a.endswith(b))


def merge_repeats(named: list[dict]) -> list[dict]:
    """One entry per piece of gear: a name said again, again in full ("a Logitech USB headset
    ... the 'Logitech USB Headset'") or again without its maker ("the Bose SoundSport ... the
    SoundSport"), keeps the longer name and the stronger role (owned over weighed)."""
    kept: list[dict] = []
    for g in sorted(named, key=lambda g: (-len(g["name"]), g["start"])):
        same = next(
            (
                k
                for k in kept
                if k.get("kind") == g.get("kind") and said_again(k["name"], g["name"])
            ),
            None,
        )
        if same is None:
            kept.append(g)
            continue
        if g["role"] == "owned":
            same["role"] = "owned"
        if g.get("choice"):  # "Sony headphones ... Sony or Altec?": still a maker weighed
            same["choice"] = True
    return sorted(kept, key=lambda g: g["start"])


def start_with_maker(u: Understood, start: int, maker: str | None) -> int:
    """Where a device's name starts when its maker's name is said right before it ("Dell XPS
    15", "Huawei MateBook 13"): the maker's name is part of it, and a device read from the
    maker's name alone ("Huawei", a family of phones) is that same device."""
    said = maker and re.search(
        rf"\b{re.escape(maker)}[ \t]+$", u.text[max(0, start - 40) : start], re.I
    )
    if not said:
        return start
    before = start - len(said.group())
    if any(p["start"] < start and before < p["end"] for p in u.products + u.unknown):
        return start  # the maker's name is another name's
    u.devices = [d for d in u.devices if not (d["start"] == before and d["end"] <= start)]
    return before


def merge_said_again(u: Understood) -> None:
    """One entry per piece of gear named again, within unknown gear and within names asked about
    ("the Bose SoundSport ... bose soundsport ... the SoundSport"), and across the two: a name
    earwise asks about is not also gear it does not know. The name asked about stays, with the
    longest form said and the stronger role."""
    u.unknown = merge_repeats(u.unknown)  # "ALC1220 [...] with ALC1220": one piece of gear
    u.ambiguous = merge_repeats(u.ambiguous)
    for a in u.ambiguous:
        for g in [g for g in u.unknown if said_again(g["name"], a["name"])
                  or said_again(a["name"], g["name"])]:  # fmt: skip
            u.unknown.remove(g)
            if g["role"] == "owned":
                a["role"] = "owned"
            if _fuller(g["name"]) > _fuller(a["name"]):  # "Bose SoundSport" over "bose soundsport"
                a["name"] = g["name"]


def _fuller(name: str) -> tuple[int, int]:
    return len(name), sum(c.isupper() for c in name)


def merge_touching(u: Understood, view: CatalogView) -> None:
    """Names that touch, with only spaces between them on one line, are one piece of gear unless
    the second starts with a maker: unknown gear or a name earwise asks about right after unknown
    gear or a device goes on that name ("Moto E5 Nora XT1944", "DT 700" + "Pro X"), and unknown
    gear right after a catalog model is that model's variant ("DT 990 Pro Black Edition"), never
    another product."""
    makers = maker_keys(view) | set(gear_makers(view))
    dropped = []
    for g in sorted(u.unknown + u.ambiguous, key=lambda g: g["start"]):
        h = next((h for h in u.products + u.unknown + u.devices if h is not g and h not in dropped
                  and h["start"] < g["start"] and _touches(u.text, h["end"], g["start"])), None)  # fmt: skip
        if h is None or _starts_a_maker(g, makers) or (h in u.products and g in u.ambiguous):
            continue  # "Schiit Magni 3+ Schiit Modi 3": two names
        if h not in u.products:  # unknown gear or a device ("Moto E5" + "Nora XT1944")
            h["end"] = max(h["end"], g["end"])
            h["name"] = u.text[h["start"] : h["end"]]
        dropped.append(g)
    u.unknown = [g for g in u.unknown if g not in dropped]
    u.ambiguous = [g for g in u.ambiguous if g not in dropped]
    starts = {g["start"] for g in dropped}
    u.facts = [f for f in u.facts if not (f.field in _GEAR_FACTS and f.start in starts)]
    u.devices = merge_repeats(u.devices)  # "[Moto E5] ... a Moto E5 Nora XT1944": one phone


_GEAR_FACTS = {"unknown_product", "ambiguous_product"}


def _touches(text: str, end: int, start: int) -> bool:
    return end > start or re.fullmatch(r"[ \t]+", text[end:start]) is not None


def _starts_a_maker(g: dict, makers: set[str]) -> bool:
    first = g["name"].split()[0] if g["name"].split() else ""
    return normalise_name(first) in makers


_NEXT_TOKEN = re.compile(r"[^\S\n]*\n?[^\S\n]*(?<=\s)(\S+)")


def _words_after(text: str) -> list[re.Match]:
    """The words at the start of ``text``, one right after another (never past punctuation that
    stands alone, nor past a blank line: a title's last word and the post's first are no name)."""
    got, pos = [], 0
    while (t := _NEXT_TOKEN.match(text, pos)) is not None:
        got.append(t)
        pos = t.end()
    return got


_MODEL_WORDS = {"mk", "mark", "ii", "iii", "iv", "pro", "plus", "se", "x"}


_MEASURE_AFTER = re.compile(
    r"\s*(?:years?|months?|weeks?|days?|hours?|min(?:ute)?s?|times|pairs?|ohms?|Ω|mw|db|bucks|"
    r"dollars|%|percent|k?hz|v|volts?|gb|inch(?:es)?|mm|feet|ft)\b",
    re.I,
)


def model_words_after(text: str, at: int) -> tuple[list[str], int]:
    """The words of a model's name after a maker's name ending at ``at``, and where they end: up
    to three codes ("K3"), model words ("Pro") or capitalised words, and lower-case words that are
    no common English word ("schiit modi 3", "dell xps 15") when a code follows them."""
    said: list[tuple[str, int]] = []  # (word, where it ends)
    strong = at  # where the last code, model word or capitalised word ends
    for t in _words_after(text[at : at + 40]):
        word = re.sub(r"['\u2019]s$", "", t.group(1).rstrip(".,;:!?)]'\"\u2019"))  # ("SHP5900's")
        if not word or not word[0].isalnum():
            break
        code = any(c.isdigit() for c in word) or word.lower() in _MODEL_WORDS
        capital = word[0].isupper() and word.lower() not in {"and", "or", "the", "i"}
        plain = word.isalpha() and word.islower() and word not in common_words()
        if not (code or capital or plain):
            break
        if "\n" in t.group(0) and not code and word.lower() in common_words():
            break  # "sony headphone\nIs there ...": a title's end, then the post's first word
        end = at + t.start(1) + len(word)
        if word.isdigit() and _MEASURE_AFTER.match(text, end):
            break  # "my sony 2 years ago", "sony 300 ohm": a figure, not a model's number
        said.append((word, end))
        if code or capital:
            strong = end
        if len(said) == 3 or len(word) < len(t.group(1)):
            break  # three words, or punctuation ends the name
    kept = [w for w, end in said if end <= strong]  # no plain word at the end
    if not any(any(c.isdigit() for c in w) or w[0].isupper() for w in kept):
        return [], at
    return kept, strong
