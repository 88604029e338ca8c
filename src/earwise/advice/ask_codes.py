"""Reading a question, part 2d: a model code written alone ("my T400", "the MZR700", "a
WHR120RS transmitter", "Sony Walkman NW-A105"), by no maker the catalog or ``gear_makers``
knows: gear named, which the answer names back ("I don't know the MZR700 yet") instead of
leaving it out; and a code after a product and a slash ("HD800/O2").

A code is written as makers write them: capital letters, then two or more digits and maybe
capitals ("SP-400", "RX-V671", "RG40XXH"), or capitals, one digit and capitals ("WM1A"). Codes
that name no product of a maker are left out (``not_gear_codes`` in ask.yaml): ingress ratings
(IEC 60529 "IP55", "IPX4"), audio codec standards ("AC97"), valve types ("EL34", "KT88") and
the part numbers of op-amps and converter chips by their makers' prefixes ("NE5532", "TL072",
"OPA637", "ES9038"). A code that ends a catalog model's name ("M50" of the ATH-M50) is that
model's short form, read elsewhere, never unknown gear."""

from __future__ import annotations

import re

from earwise.advice.ask_devices import _model_tails, not_gear_code
from earwise.advice.ask_products import _overlaps, _taken
from earwise.advice.ask_roles import role_before
from earwise.advice.ask_text import Understood
from earwise.catalog.view import CatalogView

_BARE_CODE = re.compile(
    r"(?<![\w/.$£€#-])"
    r"((?-i:[A-Z]{1,4}(?:-[A-Z]{1,3})?-?\d{2,5}[A-Z]{0,3}|[A-Z]{2,4}\d[A-Z]{1,3}))"
    r"(?![\w-]|\.\d)"
)


def read_bare_codes(u: Understood, view: CatalogView) -> None:
    """Every model code left unread, not a rating, a standard, a valve or a chip: unknown gear
    with the role its words give it."""
    taken = _taken(u)
    tails = _model_tails(view)
    for m in _BARE_CODE.finditer(u.text):
        code = m.group(1)
        if _overlaps(taken, *m.span()) or code.lower() in tails or not_gear_code(code):
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
