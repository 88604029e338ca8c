"""Who a name belongs to in a question: owned ("my", "I've had", "coming from", "which is what I'm
using"), weighed ("thinking about", "eyeing"), from the words around it. Used by the readers of
products and devices."""

from __future__ import annotations

import re

from earwise.advice.ask_signals import said
from earwise.advice.ask_text import Understood

_OWNED = re.compile(
    r"\b(?:i (?:also |still |already |currently )?own|i (?:also |still |already |currently )?have"
    r"(?! (?:also |just |recently )?(?:found|seen|read|heard|looked|been looking|come across|"
    r"noticed|considered|been considering|been thinking))|i've got|ive got|already own|i bought|bought|rocking|coming from|go-to|"
    r"(?:upgrade|step up|move up|moving up|upgrading) from(?: my| the)?|i've tried|i have tried|"
    r"been using|been listening (?:to|on|with)|owner of|just got|(?:was|were|been|got) (?:\w+ )?(?:given|gifted)|received|inherited|rel(?:ied|ying) on|picked up|(?:treated|got|bought) (?:my|him|her)self(?: to)?|splurged on|"
    r"ended up (?:getting|buying|with|going with)|(?:spent|paid|shelled out) (?:about |around |over "
    r"|nearly |almost |just |only )?(?:[$£€] ?\d[\d,.]*k?|\d[\d,.]*k? ?(?:dollars|bucks|usd|eur"
    r"|euros?|pounds|quid|gbp))(?: \w+){0,2} (?:on|for)|"
    r"(?:i|we) (?:just |finally |recently |eventually "
    r"|then |also )?got(?! (?:to|a chance|the chance|an? (?:question|chance|offer|idea|email|reply"
    r"|quote)|curious|interested|confused|used))|i've had|ive had|have had|"
    r"daily driver|currently (?:using|on)|(?:want|like|trying|try) to (?:drive|power|run|use)|"
    r"(?:friend|brother|sister|dad|father|mom|mother|wife|husband|partner|son|daughter)(?: of mine)? (?:has|owns|uses)|"
    r"(?:also have|have) (?:\w+ ){0,4}and (?:a pair of|an?|the|some)|i used|i've used|i have used|i had|i've had|traded my|returned (?:my|the)|i already|i'm using|im using|i am using|i (?:also |still |currently |now )?use|(?:my |our )?(?:current )?(?:set-?up|rig|chain) (?:is|consists of)|gotten my|got my|we have|we use|we own|is using|are using|switch between|our|my)(?=\W|$)",
    re.I,
)
_OWNED_AFTER = re.compile(
    r"\b(?:which|that) (?:is what )?(?:i|we)(?:'m| am| are)? (?:currently |now )?(?:own|have|use|using)\b",
    re.I,
)
_NEAR_ONLY = re.compile(r"(?i)my$|(?:upgrade|step up|move up|moving up|upgrading) from")
_CONSIDER = re.compile(
    r"\b(?:considering|looking at|looked into|decide between|between|thinking of|or the|or|vs|versus|list|read|options?|choices?|competitors|instead|upgrad\w* to|switch\w* to|move to|go for|eyeing|curious about|adding|add|found|seen|saw|spotted|came across|come across)(?=\W|$)",
    re.I,
)


def cue_before(text: str, start: int) -> str | None:
    """ "owned" or "considering" from the last cue before a name in its sentence ("my" counts only
    close to the name), else an owning cue right after it ("..., which is what I'm using"), or
    None when there is no cue."""
    before = re.split(r"[.?!]\s", text[max(0, start - 60) : start])[-1]  # this sentence only
    owned = max(
        (m.end() for m in _OWNED.finditer(before)  # "my", "upgrade from": only right before
         if not _NEAR_ONLY.match(m.group(0)) or m.end() >= len(before) - 12),
        default=-1,
    )  # fmt: skip
    consider = max((m.end() for m in _CONSIDER.finditer(before)), default=-1)
    if owned > consider:
        return "owned"
    if consider < 0 and _OWNED_AFTER.search(re.split(r"[.?!]", text[start : start + 90])[0]):
        return "owned"  # "the Telex H-831, which is what I'm currently using"
    return "considering" if consider >= 0 else None


def role_before(text: str, start: int) -> str:
    """owned or considering: a name without a word of owning it is being weighed (until the
    intent is read: :func:`owned_by_context`)."""
    return cue_before(text, start) or "considering"


def owned_by_context(u: Understood) -> None:
    """A name no word marks as owned or weighed is the poster's own when the post tells of a
    fault with it ("R.I.P. AKG 240s", "crackling in my QC25's ... the left side") or asks
    nothing earwise answers (an app, a setting); in a question earwise answers with no fault
    told, it stays weighed. Run after the intent is read; the names' facts change with them.
    On the labelled real posts and the tuning half: roles right 124 -> 131 of 198 names in
    questions earwise answers, 102 -> 127 of 183 in the rest."""
    if u.intent != "out_of_scope" and not said("fault", u.text):
        return
    moved = set()
    for g in [*u.products, *u.unknown, *u.devices, *u.ambiguous]:
        start = g.get("start")
        if g.get("role") == "considering" and start is not None and not cue_before(u.text, start):
            g["role"] = "owned"
            moved.add(start)
    for f in u.facts:
        if f.start in moved and isinstance(f.value, dict) and f.value.get("role") == "considering":
            f.value["role"] = "owned"
