"""Reading a question, the reference it starts from: the headphone a "like X but closed" question
is like (and the changes asked for), the one a "step up from X" climbs from, the one a "replace
my X" replaces."""

from __future__ import annotations

import re

from earwise.advice.ask_text import Understood, vocab
from earwise.catalog.view import CatalogView

# "like X but closed / cheaper / wireless": what the reader wants changed from the reference.
_BUT = re.compile(
    r"\b(?:but|with|in an?|that(?:'s| is| are)|only|except|for(?= less| cheaper)|at(?= a lower| a fraction| less)"
    r"|(?:need|want|looking for) something)\b([^.?!]{0,60})",
    re.I,
)
# ... or said before what is asked for: "a cheaper headphone with a similar tuning", "budget
# alternatives that sound close to X", "a wireless version of the Sundara"
_BEFORE = re.compile(
    r"\b((?:cheaper|budget|less expensive|wireless|bluetooth|wired|closed(?:[- ]back)?|open(?:[- ]back)?"
    r"|noise[- ]cancell?ing)\s+(?:[\w-]+\s+)?(?:headphones?|alternatives?|versions?|options?|iems?"
    r"|earbuds?|ones?|pairs?|sets?|cans|equivalents?|something|dupes?|clones?|knock-?offs?))\b",
    re.I,
)
# ... or a title that is only a change and a name: "Cheaper HD 800 S?"
_TITLE = re.compile(
    r"\s*((?:cheaper|budget|wireless|bluetooth|wired|closed(?:[- ]back)?|open(?:[- ]back)?"
    r"|noise[- ]cancell?ing))\s+(?:the\s+)?(?-i:[A-Z0-9])[^.?!]{1,30}\?\s*$",
    re.I,
)
_MODIFIERS = (
    ("back", "closed", r"\bclosed(?:[- ]back)?\b"),
    ("back", "open", r"\bopen(?:[- ]back)?\b"),
    ("wireless", True, r"\bwireless|bluetooth\b"),
    ("wireless", False, r"\bwired\b"),
    ("anc", True, r"\bnoise[- ]cancell?ing|\banc\b"),
    (
        "cheaper",
        True,
        r"\bcheaper|less expensive|(?<!my )(?<!a )(?<!the )budget\b|less money|for less\b|lower price"
        r"|fraction of the (?:price|cost)|(?:can't|cannot|can not) afford",
    ),
    (
        "bass",
        "more",
        r"\b(?:more|better|bigger|deeper|stronger) (?:sub-?)?bass|\bbassier|more (?:low end|rumble|punch|slam)",
    ),
    ("bass", "less", r"\bless (?:sub-?)?bass|less bassy|leaner bass"),
    (
        "treble",
        "less",
        r"\bless (?:treble|bright\w*|sibilan\w*|harsh\w*|sharp\w*)|\bsmoother|\bdarker|\bwarmer",
    ),
    ("treble", "more", r"\bmore (?:treble|sparkle|air|detail)|\bbrighter"),
)


def similar_modifiers(u: Understood) -> dict:
    """The changes asked for after "but" (or "with", "in a", "that's") in a "like X but ..."
    question: back, wireless, anc, cheaper, more or less bass or treble. Empty when the question
    asks for the same sound only."""
    out: dict = {}
    said = [m.group(1) for m in _BUT.finditer(u.text)] + [
        m.group(1) for m in _BEFORE.finditer(u.text)
    ]
    if m := _TITLE.match(u.text):  # "Cheaper HD 800 S?", "Wireless HD 600?": a title
        said.append(m.group(1))
    for words in said:
        for key, value, pattern in _MODIFIERS:
            if key not in out and re.search(pattern, words, re.I):
                out[key] = value
    return out


def like_forms(form: str) -> list[str]:
    """The forms that stand in for ``form`` in a step up or a replacement (an IEM's next step may
    be an earbud's; an on-ear's an over-ear's, as few on-ears are still made)."""
    return [form] + {"in-ear": ["earbud"], "on-ear": ["over-ear"]}.get(form, [])


def step_up_from(u: Understood, view: CatalogView, pattern: str = "step_up"):
    """The headphone a "next step up from X" question starts from (the first named after the
    phrase, or the one owned), or None; with ``pattern="replacement"``, the one a "replace my X"
    question replaces; with ``pattern="alternative"``, the one something else is asked for
    instead ("is the HD 600 still the one, or is there something better for the same money?").
    One headphone named before the phrase is the one it starts from."""
    m = re.search(vocab()[pattern], u.text, re.I)
    heads = [p for p in u.products if p["kind"] == "headphone"]
    if not m and pattern == "replacement":  # "my Porta Pro finally broke": the one just named
        for b in re.finditer(vocab()["broke"], u.text, re.I):
            near = [p for p in heads if 0 <= b.start() - p["end"] <= 40]
            if near:
                return view.headphones[near[-1]["id"]]
    if not m:
        return None
    after = [p for p in heads if p["start"] >= m.start()]
    owned = [p for p in heads if p["role"] == "owned"]
    pick = (after or owned or (heads if len(heads) == 1 else []) or [None])[0]
    return view.headphones[pick["id"]] if pick else None


def unbudgeted_cap_note(u: Understood, view: CatalogView, cap_usd: float) -> str:
    """What the price cap of a question with no budget rests on: twice the price of what it
    replaces, or the next price tier or two above what it steps up from."""
    gone = step_up_from(u, view, "replacement")
    if gone is not None and gone.price_usd:
        return (
            f"no budget given: ranked up to ${cap_usd:,.0f}, twice the {gone.display_name}'s "
            f"${gone.price_usd:,.0f} (a replacement, not a flagship)"
        )
    return f"no budget given: ranked up to ${cap_usd:,.0f}, the next price tier or two"
