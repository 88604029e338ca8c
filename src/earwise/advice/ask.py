"""Ask in plain words: a reader's question -> listener profile + intent (with the text span behind
every fact) -> what is missing -> an answer from the engine, drive/chain checks and the explainer.

Vocabularies live in ``advice/data/ask.yaml``; product and gear names are resolved against the
catalog (exact names and aliases, plurals, then rapidfuzz for near misses such as "Senn 558s").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from earwise.catalog.store import normalise_name
from earwise.catalog.view import CatalogView
from earwise.core.errors import EarwiseError

DATA = Path(__file__).parent / "data" / "ask.yaml"
MAX_QUESTION_CHARS = 10_000
FUZZY_PRODUCT = 90  # rapidfuzz WRatio needed to accept a near-miss product name


class AskError(EarwiseError):
    """A question that cannot be read at all (empty, too long); one readable line."""


@dataclass
class Fact:
    field: str
    value: object
    span: str
    start: int
    end: int


@dataclass
class Understood:
    text: str
    intent: str = "recommend"
    facts: list[Fact] = field(default_factory=list)
    genres: dict[str, float] = field(default_factory=dict)
    uses: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)
    budget_usd: float | None = None
    budget_min_usd: float | None = None
    budget_original: str | None = None
    products: list[dict] = field(default_factory=list)  # {"id", "kind", "role", "span"}
    sources: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)

    def add(self, field_name: str, value, m: re.Match | tuple[int, int]) -> None:
        start, end = (m.start(), m.end()) if isinstance(m, re.Match) else m
        self.facts.append(Fact(field_name, value, self.text[start:end], start, end))


@cache
def vocab() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def _phrase_hits(text: str, phrases: dict[str, str]) -> list[tuple[str, str, int, int]]:
    """(phrase, value, start, end) for whole-word matches, longest phrases first, no overlaps."""
    low = text.lower()
    taken = [False] * len(low)
    hits = []
    for phrase in sorted(phrases, key=len, reverse=True):
        pat = re.compile(r"(?<![a-z0-9])" + re.escape(phrase) + r"(?![a-z0-9])")
        for m in pat.finditer(low):
            if not any(taken[m.start() : m.end()]):
                hits.append((phrase, phrases[phrase], m.start(), m.end()))
                taken[m.start() : m.end()] = [True] * (m.end() - m.start())
    return sorted(hits, key=lambda h: h[2])


# --- genres -------------------------------------------------------------------------------------

_SHARE = re.compile(r"(\d{1,3})\s*%\s*([a-z&/ \-]{2,60}?)(?=\s*(?:[,.;)—–]|\band\b|$))", re.I)
_MOSTLY = re.compile(r"\b(mostly|mainly|primarily|a lot of)\s+([a-z&/\- ]{2,40})", re.I)


def _genres(u: Understood) -> None:
    phrases = vocab()["genre_phrases"]
    shares: dict[str, float] = {}
    for m in _SHARE.finditer(u.text):
        found = [v for _, v, _, _ in _phrase_hits(m.group(2), phrases)]
        found = list(dict.fromkeys(found))
        for g in found:
            shares[g] = shares.get(g, 0.0) + float(m.group(1)) / len(found)
        if found:
            u.add("genres", {g: round(float(m.group(1)) / len(found), 1) for g in found}, m)
    if not shares:
        for phrase, g, s, e in _phrase_hits(u.text, phrases):
            if phrase == "classic" and re.match(r"\s*(rock|kicks?)", u.text[e:], re.I):
                continue
            shares.setdefault(g, 1.0)
            u.add("genre", g, (s, e))
        for m in _MOSTLY.finditer(u.text):
            for _, g, _, _ in _phrase_hits(m.group(2), phrases)[:1]:
                shares[g] = shares.get(g, 1.0) + 2.0
                u.add("genre_emphasis", g, m)
        low = u.text.lower()
        if any(p in low for p in vocab()["all_genres_phrases"]):
            excluded = set()
            ex = re.search(r"except\s+([a-z ]+)", low)
            if ex:
                excluded = {v for _, v, _, _ in _phrase_hits(ex.group(1), phrases)}
            for g in vocab()["all_genres"]:
                if g not in excluded:
                    shares.setdefault(g, 1.0)
            if excluded:
                for g in excluded:
                    shares.pop(g, None)
                u.add("genres_except", sorted(excluded), ex)
    total = sum(shares.values())
    u.genres = {g: round(s / total, 4) for g, s in shares.items()} if total else {}


# --- budget ---------------------------------------------------------------------------------------

_MONEY = r"(?:(?P<pre>\$|€|£|usd|eur|rp\.?)\s*)?(?P<num>\d[\d.,]*)\s*(?P<post>\$|€|£|euros?|dollars?|bucks|usd|eur|gbp|pounds?)?"
_RANGE = re.compile(
    _MONEY.replace("(?P<", "(?P<a_") + r"\s*(?:-|–|to)\s*" + _MONEY.replace("(?P<", "(?P<b_"), re.I
)
_SINGLE = re.compile(_MONEY, re.I)
_CURRENCY = {"$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "bucks": "USD", "€": "EUR", "eur": "EUR",
             "euro": "EUR", "euros": "EUR", "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "rp": "IDR", "rp.": "IDR"}  # fmt: skip
BUDGET_INCLUDES_AMP = re.compile(
    r"(buy|get|budget for|including|incl\.?|plus|\+)\s*(a\s+)?(usb\s+)?(dac|amp|dac/amp|headphone amp)",
    re.I,
)
_BUDGET_WORDS = re.compile(
    r"budget|spend|pay|afford|price|around|under|max|up to|about|willing|from|for\s*\$|\$|€|£|euro|dollar",
    re.I,
)


def _amount(num: str, currency: str) -> float:
    s = num.rstrip(".,")
    if currency == "IDR":
        s = s.replace(".", "").replace(",", "")
    elif re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", s):
        s = s.replace(",", "")
    else:
        s = s.replace(",", ".")
    return float(s)


def _currency(*tokens: str | None) -> str | None:
    for t in tokens:
        if t and t.lower() in _CURRENCY:
            return _CURRENCY[t.lower()]
    return None


def _budget(u: Understood) -> None:
    rates = vocab()["currency"]["usd_per_unit"]
    for m in _RANGE.finditer(u.text):
        cur = _currency(m.group("a_pre"), m.group("a_post"), m.group("b_pre"), m.group("b_post"))
        context = u.text[max(0, m.start() - 30) : m.end() + 15]
        if cur is None and not _BUDGET_WORDS.search(context):
            continue
        if cur is None and re.search(
            r"\b(hz|ohm|mm|db|gig|gb|%)", u.text[m.end() : m.end() + 6], re.I
        ):
            continue
        cur = cur or "USD"
        lo, hi = _amount(m.group("a_num"), cur), _amount(m.group("b_num"), cur)
        if 0 <= lo < hi:
            u.budget_min_usd = round(lo * rates[cur], 2) if lo > 0 else None
            u.budget_usd = round(hi * rates[cur], 2)
            u.budget_original = m.group(0).strip()
            u.add("budget_usd", u.budget_usd, m)
            return
    bare = re.search(
        r"\b(?:under|below|less than|max(?:imum)?|up to|budget(?: of| is)?)\s+(\d[\d,]*(?:\.\d+)?)(?!\s*(?:%|hz|ohm|mm|db|gig|gb|g\b|h\b|hours?|mw|v\b))",
        u.text,
        re.I,
    )
    best = None
    for m in _SINGLE.finditer(u.text):
        cur = _currency(m.group("pre"), m.group("post"))
        if cur is None:
            continue
        value = _amount(m.group("num"), cur)
        if value <= 0:
            continue
        head = u.text[max(0, m.start() - 30) : m.start()].lower()
        tail = u.text[m.end() : m.end() + 20].lower()
        score = 3 * bool(re.search(r"budget|spend|afford|willing|max\b|up to|under", head + tail))
        score += bool(re.search(r"around|about|ish|region|for\s*$", head + tail))
        score -= 4 * bool(
            re.search(r"at amazon|going for|its price|price of|costs?\b", head + tail)
        )
        if best is None or score > best[0]:
            best = (score, m, value, cur)
    if best is not None and best[0] >= 0:
        _, m, value, cur = best
        u.budget_usd = round(value * rates[cur], 2)
        u.budget_original = m.group(0).strip()
        u.add("budget_usd", u.budget_usd, m)
    elif bare is not None and float(bare.group(1).replace(",", "")) >= 10:
        u.budget_usd = float(bare.group(1).replace(",", ""))
        u.budget_original = bare.group(0)
        u.add("budget_usd", u.budget_usd, bare)


# --- products and gear ------------------------------------------------------------------------------

_OWNED = re.compile(
    r"\b(?:i own|i have|i've got|ive got|already own|i bought|traded my|i already|i'm using|im using|i am using|i use|gotten my|got my|my)(?=\W|$)",
    re.I,
)
_CONSIDER = re.compile(
    r"\b(?:considering|looking at|looked into|decide between|between|thinking of|or the|or|vs|versus|list|read|options?|choices?|competitors|instead)(?=\W|$)",
    re.I,
)


_NAMES: dict[int, list[tuple[str, str, str]]] = {}


def _names(view_id: int, view: CatalogView) -> list[tuple[str, str, str]]:
    if view_id not in _NAMES:
        _NAMES[view_id] = [
            (n, pid, kind)
            for n, pid, kind in view.names
            if len(n) >= 3 and (len(n) > 3 or any(c.isdigit() for c in n) or n.isalpha())
        ]
    return _NAMES[view_id]


def _normalised_with_map(text: str) -> tuple[str, list[int]]:
    chars, where = [], []
    for i, ch in enumerate(text.lower()):
        if ch.isalnum():
            chars.append(ch)
            where.append(i)
    return "".join(chars), where


_STOP = {"pro", "plus", "wireless", "studio", "pc", "mac", "one", "track", "open", "classic", "pure", "live", "ultra",
         "over", "solo", "tour", "tune", "flex", "space", "elite", "dime", "hesh", "crusher", "andromeda", "phone"}  # fmt: skip


def _products(u: Understood, view: CatalogView) -> None:
    norm, where = _normalised_with_map(u.text)
    found: list[tuple[int, int, str, str]] = []
    low_norm = norm
    for n, pid, kind in _names(id(view), view):
        if n in _STOP:
            continue
        if not any(c.isdigit() for c in n) and len(n) < 6:
            # short codes without digits ("sr-x") only next to their brand
            item = view.headphones.get(pid) or view.devices.get(pid)
            if normalise_name(item.brand) not in low_norm:
                continue
        for variant in (n, n + "s"):
            start = norm.find(variant)
            while start >= 0:
                end = start + len(variant)
                # must start and end on word boundaries of the original text
                s0, e0 = where[start], where[end - 1] + 1
                if (s0 == 0 or not u.text[s0 - 1].isalnum()) and (
                    e0 >= len(u.text) or not u.text[e0].isalnum()
                ):
                    found.append((s0, e0, pid, kind))
                start = norm.find(variant, start + 1)
    # fuzzy near misses on short word windows that contain a digit (model numbers)
    words = list(re.finditer(r"[A-Za-z][\w\-]*|\d[\w\-]*", u.text))
    choices = {
        n: (pid, kind) for n, pid, kind in _names(id(view), view) if any(c.isdigit() for c in n)
    }
    for size in (3, 2):
        for i in range(len(words) - size + 1):
            window = words[i : i + size]
            span = u.text[window[0].start() : window[-1].end()]
            if not re.search(r"[a-z]", span, re.I) or not any(c.isdigit() for c in span):
                continue
            if any(s <= window[0].start() < e for s, e, *_ in found) or any(
                w.group(0).isdigit() for w in window[:1]
            ):
                continue
            key = normalise_name(span)
            hit = process.extractOne(key, list(choices), scorer=fuzz.ratio)
            if hit and hit[1] >= FUZZY_PRODUCT and abs(len(hit[0]) - len(key)) <= 2:
                found.append((window[0].start(), window[-1].end(), *choices[hit[0]]))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[tuple[int, int, str, str]] = []
    for f in found:
        if kept and f[0] < kept[-1][1]:
            continue
        kept.append(f)
    seen = set()
    for s, e, pid, kind in kept:
        if pid in seen:
            continue
        seen.add(pid)
        before = re.split(r"[.?!]\s", u.text[max(0, s - 60) : s])[-1]  # this sentence only
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
            owned_hits = [
                m.end()
                for m in _OWNED.finditer(before)
                if m.group(0).lower() != "my" or m.end() >= len(before) - 12
            ]
            last_owned = max(owned_hits, default=-1)
            last_consider = max([m.end() for m in _CONSIDER.finditer(before)], default=-1)
            if last_owned > last_consider:
                role = "owned"
            elif last_consider >= 0:
                role = "considering"
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
                and not re.search(r"\b(but|while|now|looking|want|new)\b", gap, re.I)
            ):
                role = prev["role"]  # a list continues: "I own the X, the Y and the Z"
        u.products.append(
            {"id": pid, "kind": kind, "role": role, "span": u.text[s:e], "start": s, "end": e}
        )
        u.add("product", {"id": pid, "role": role}, (s, e))


# --- places, platforms, sources, constraints, leanings, intent ------------------------------------


def _simple(u: Understood) -> None:
    v = vocab()
    for _phrase, use, s, e in _phrase_hits(u.text, v["use_phrases"]):
        if use not in u.uses:
            u.uses.append(use)
            u.add("use", use, (s, e))
    for _phrase, plat, s, e in _phrase_hits(u.text, v["platform_phrases"]):
        if plat == "switch" and not re.search(r"nintendo|console|games?", u.text, re.I):
            continue
        if plat not in u.platforms:
            u.platforms.append(plat)
            u.add("platform", plat, (s, e))
    for _phrase, src, s, e in _phrase_hits(u.text, v["source_phrases"]):
        if src not in u.sources:
            u.sources.append(src)
            u.add("source", src, (s, e))
    for table in ("constraint_phrases", "leaning_phrases"):
        for phrase, flag, s, e in _phrase_hits(u.text, v[table]):
            if phrase in ("bright", "warm") and re.search(
                r"(not|slightly)\s+\w*\s*$", u.text[max(0, s - 12) : s], re.I
            ):
                flag = (
                    "treble_sensitive"
                    if phrase == "bright" and "not" in u.text[max(0, s - 12) : s].lower()
                    else flag
                )
            if flag not in u.flags:
                u.flags.add(flag)
                u.add(table.split("_")[0], flag, (s, e))


def _intent(u: Understood) -> None:
    low = " " + u.text.lower() + " "
    if any(p in low for p in vocab()["intent_phrases"]["out_of_scope"]):
        u.intent = "out_of_scope"
        return
    has_question = "?" in u.text or re.search(
        r"\b(recommend|suggest|help|which|what|how|would|should|could|can you|any|looking for|i want|i need|searching|decide|thoughts)\b",
        low,
    )
    if not has_question:
        # a profile without a question mark is still a request for advice
        u.intent = "recommend" if (u.genres and (u.budget_usd or u.uses or u.platforms)) else "none"
        return
    headphones = [p for p in u.products if p["kind"] == "headphone"]
    considered = [p for p in headphones if p["role"] in ("considering", "mentioned")]
    phrases = vocab()["intent_phrases"]

    def said(intent: str) -> bool:
        return any(p in low for p in phrases[intent])

    if said("out_of_scope"):
        u.intent = "out_of_scope"
    elif said("chain") and (u.products or u.sources):
        u.intent = "chain"
    elif said("genre_fit") and headphones and u.genres:
        u.intent = "genre_fit"
    elif said("explain") and headphones:
        u.intent = "explain"
    elif said("explain") and re.search(r"\d\s*(db|ohm|Ω|hz|mw)", low, re.I):
        u.intent = "explain_spec"
    elif (
        re.search(r"\b(recommend|suggest|which|what)\b[^.?!]{0,40}\bamp\b", low)
        and headphones
        and not u.genres
    ):
        u.intent = "amps"
    elif (
        len([p for p in u.products if p["kind"] == "source"]) >= 2
        and not headphones
        and re.search(r"\b(or|vs|versus|compare|decide|which)\b", low)
    ):
        u.intent = "compare_sources"
    elif said("recommend") and u.genres and u.budget_usd:
        u.intent = "recommend"  # a whole profile: recommend (and compare what they named)
    elif len(considered) >= 2 and (
        said("compare") or (re.search(r"\b(which|better)\b", low) and not u.budget_usd)
    ):
        u.intent = "compare"
    elif said("drive") and headphones and not said("recommend"):
        u.intent = "drive"
    elif said("product_info") and headphones and not said("recommend"):
        u.intent = "product_info"
    elif said("recommend"):
        u.intent = "recommend"
    elif said("drive") and (
        headphones or u.sources or any(p["kind"] == "source" for p in u.products)
    ):
        u.intent = "drive"
    elif said("product_info") and headphones:
        u.intent = "product_info"
    else:
        u.intent = "recommend"


def understand(text: str, view: CatalogView) -> Understood:
    """Read a question: facts with spans, and the intent."""
    if not text or not text.strip():
        raise AskError("the question is empty")
    if len(text) > MAX_QUESTION_CHARS:
        raise AskError(f"the question is over {MAX_QUESTION_CHARS:,} characters")
    text = (
        text.replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
    )
    u = Understood(text)
    _genres(u)
    _budget(u)
    _products(u, view)
    _simple(u)
    _intent(u)
    return u


# --- from understanding to a profile, missing facts and an answer ---------------------------------

QUESTIONS = {
    "budget": "What is your budget, and in which currency?",
    "source": "What will you plug them into (phone, laptop, player, amp)?",
    "headphone": "Which headphone do you mean?",
}


def profile_fields(u: Understood, view: CatalogView) -> dict:
    f = u.flags
    src = next((p["id"] for p in u.products if p["role"] == "source"), None) or (
        u.sources[0] if u.sources else None
    )
    fields: dict = {
        "genres": u.genres, "uses": u.uses, "platforms": u.platforms, "budget_usd": u.budget_usd,
        "budget_min_usd": u.budget_min_usd, "source": src if src in view.devices else None,
        "owned": [p["id"] for p in u.products if p["role"] == "owned" and p["kind"] == "headphone"],
        "no_leak": "no_leak" in f, "long_sessions": "long_sessions" in f, "anc": "anc" in f,
        "soundstage": "soundstage" in f, "treble_sensitive": "treble_sensitive" in f,
        "budget_includes_amp": bool(BUDGET_INCLUDES_AMP.search(u.text)),
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
    if forms:
        fields["forms"] = forms + (["earbud"] if "in-ear" in forms else [])
    if "back_open" in f:
        fields["back"] = "open"
    elif "back_closed" in f:
        fields["back"] = "closed"
    if "wireless" in f or "form_in_ear" in f and "true wireless" in u.text.lower():
        fields["wireless"] = True
    elif "wired" in f:
        fields["wireless"] = False
    if "mic" in f:
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
    return fields


def missing_for(u: Understood) -> list[dict]:
    need = []
    heads = [p for p in u.products if p["kind"] == "headphone"]
    if u.intent in ("recommend",) and u.budget_usd is None:
        need.append({"field": "budget", "question": QUESTIONS["budget"]})
    if u.intent == "drive" and not any(p["kind"] == "source" for p in u.products) and not u.sources:
        need.append({"field": "source", "question": QUESTIONS["source"]})
    if u.intent in ("drive", "genre_fit", "explain", "product_info", "amps", "chain") and not heads:
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
