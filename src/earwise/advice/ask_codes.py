"""Reading a question, part 2d: a model code written alone ("my T400", "the MZR700", "a
WHR120RS transmitter", "Sony Walkman NW-A105"), by no maker the catalog or ``gear_makers``
knows: gear named, which the answer names back ("I don't know the MZR700 yet") instead of
leaving it out; and a code after a product and a slash ("HD800/O2").

A code is written as makers write them: capital letters, then two or more digits and maybe
capitals ("SP-400", "RX-V671", "RG40XXH"), or capitals, one digit and capitals ("WM1A"). Codes
that name no product of a maker are left out (``not_gear_codes`` in ask.yaml): ingress ratings
(IEC 60529 "IP55", "IPX4"), audio codec standards ("AC97"), valve types ("EL34", "KT88") and
the part numbers of op-amps and converter chips by their makers' prefixes ("NE5532", "TL072",
"OPA637", "ES9038"). A code that ends a catalog model's name is that model's short form, never
unknown gear: read elsewhere, or here when it is one letter and two or three digits, said as
gear ("my M50" is the ATH-M50; "the E12" is asked about: Sabbat's E12 or FiiO's E12A)."""

from __future__ import annotations

import re

from earwise.advice.ask_devices import _model_tails, not_gear_code
from earwise.advice.ask_products import _overlaps, _taken, add_ambiguous, add_short_form
from earwise.advice.ask_roles import role_before
from earwise.advice.ask_text import Understood
from earwise.catalog.view import CatalogView

_BARE_CODE = re.compile(
    r"(?<![\w/.$£€#-])"
    r"((?-i:[A-Z]{1,4}(?:-[A-Z]{1,3})?-?\d{2,5}[A-Z]{0,3}|[A-Z]{2,4}\d[A-Z]{1,3}))"
    r"(?![\w-]|\.\d)"
)


_LETTER_CODE = re.compile(r"[A-Za-z]\d{2,3}")
# A code that short is a model's only where the words make it a thing one has or weighs ("my
# M50", "the E12 or"), not a build number or a part ("(A15 BP1A.250405)").
_NAMED_AS_GEAR = re.compile(
    r"\b(?:my|the|a|an|his|her|their|our|your|these|those|vs\.?|versus|or|and|with)\s+$", re.I
)
_GEAR_AFTER = re.compile(
    r"s?\s+(?:or|vs\.?|versus|headphones?|iems?|earbuds?|earphones?|amps?|dacs?|cans)\b", re.I
)


def _said_as_gear(text: str, start: int, end: int) -> bool:
    """Whether the words around a short code make it a thing one has or weighs ("my M50", "the
    ER4 or")."""
    return bool(_NAMED_AS_GEAR.search(text, 0, start) or _GEAR_AFTER.match(text, end))


def _letter_codes(view: CatalogView) -> dict[str, list[str]]:
    """{code: ids} for models whose last word is one letter and two or three digits ("M50" of
    the ATH-M50, "E12" of the Sabbat E12), a code too short for the other readers, said alone.
    Another maker's model with a word that starts with the code and goes on in letters ("E12A"
    of FiiO's "E12A Mont Blanc") makes it ambiguous: it is asked about, never picked. Derived from
    the catalog once per view."""
    got = view.cache.get("ask_letter_codes")
    if got is None:
        items = [(i.id, i.brand, re.split(r"[\s()/-]+", i.model.lower().strip(" )")))
                 for i in (*view.headphones.values(), *view.devices.values())]  # fmt: skip
        got = {}
        for pid, _brand, words in items:
            if _LETTER_CODE.fullmatch(words[-1]):
                got.setdefault(words[-1], []).append(pid)
        for code, ids in got.items():
            makers = {view.brand_of(i) for i in ids}
            ids += [p for p, b, words in items if b not in makers and any(
                w.startswith(code) and w[len(code):][:1].isalpha() for w in words)]  # fmt: skip
            ids.sort()
        view.cache["ask_letter_codes"] = got
    return got


# A family's code: two or three capitals and one digit ("ER4", "RS1"), the start of several models
# of one maker (Etymotic's ER4SR, ER4XR, ER-4P...), too short for the other readers. One letter
# and a digit is too common a code to be a family's ("A3", "R2").
_FAMILY_CODE = re.compile(r"(?<![\w/.$£€#-])((?-i:[A-Z]{2,3}-?\d))(?![\w-]|\.\d)")


def _family_codes(view: CatalogView) -> dict[str, list[str]]:
    """{code: ids} of the catalog's model words that start with two or three letters and one
    digit and go on in letters ("er4" of "ER4SR" and "ER-4P MicroPro"), when all are one maker's
    and there are two or more: a family said by its code. Derived from the catalog once per
    view."""
    got = view.cache.get("ask_family_codes")
    if got is None:
        found: dict[str, set[str]] = {}
        for item in (*view.headphones.values(), *view.devices.values()):
            for word in re.split(r"[\s()/]+", item.model.lower()):
                m = re.fullmatch(r"([a-z]{2,3})-?(\d)[a-z]+", word)
                if m:
                    found.setdefault(m.group(1) + m.group(2), set()).add(item.id)
        got = view.cache["ask_family_codes"] = {
            code: sorted(ids)
            for code, ids in found.items()
            if len(ids) >= 2 and len({view.brand_of(i) for i in ids}) == 1
        }
    return got


def read_family_codes(u: Understood, view: CatalogView) -> None:
    """A family's code said as gear ("my ER4 earphone", "the ER4 or"): asked about with the
    family's models, never picked."""
    taken = _taken(u)
    families = _family_codes(view)
    for m in _FAMILY_CODE.finditer(u.text):
        ids = families.get(m.group(1).lower().replace("-", ""))
        if not ids or _overlaps(taken, *m.span()):
            continue
        if _said_as_gear(u.text, *m.span()):
            taken.append(m.span())
            add_ambiguous(u, view, m.group(1), ids, *m.span())


def read_bare_codes(u: Understood, view: CatalogView) -> None:
    """Every model code left unread, not a rating, a standard, a valve or a chip: unknown gear
    with the role its words give it."""
    taken = _taken(u)
    tails = _model_tails(view)
    letter_codes = _letter_codes(view)
    for m in _BARE_CODE.finditer(u.text):
        code = m.group(1)
        if _overlaps(taken, *m.span()) or not_gear_code(code):
            continue
        ids = letter_codes.get(code.lower())
        if ids and _said_as_gear(u.text, *m.span()):  # "my M50", "the E12", "M50 or DT 770?"
            taken.append(m.span())
            if len(ids) == 1:
                add_short_form(u, view, ids[0], *m.span())
            else:
                add_ambiguous(u, view, code, ids, *m.span())
            continue
        if code.lower() in tails:
            continue
        role = role_before(u.text, m.start())
        u.unknown.append({"name": code, "role": role, "start": m.start(), "end": m.end()})
        taken.append(m.span())
        u.add("unknown_product", {"name": code, "role": role}, m)


# A code after a product and a slash ("HD800/O2": the O2 amp beside the HD 800): gear named, the
# catalog lacking it; formats, ports and consoles ("MP3", "USB3", "PS5") are no gear by a code.
_SLASH_CODE = re.compile(r"(?<=\w)/([A-Z][A-Za-z0-9-]{0,10}\d[A-Za-z0-9-]*|[A-Z]\d{1,3})\b")


def read_slash_codes(u: Understood) -> None:
    """A code after a product and a slash, not a format, port or console: unknown gear."""
    taken = _taken(u)
    for m in _SLASH_CODE.finditer(u.text):
        span = m.span(1)
        name = m.group(1)
        if _overlaps(taken, *span) or not_gear_code(name):
            continue
        if re.search(r"(?:https?://|www\.|[=&?@#])\S*$", u.text[max(0, span[0] - 80) : span[0]]):
            continue  # inside an address, not a name in the sentence
        role = role_before(u.text, span[0])
        u.unknown.append({"name": name, "role": role, "start": span[0], "end": span[1]})
        taken.append(span)
        u.add("unknown_product", {"name": name, "role": role}, span)
