"""Reading a question, part 1: the facts with their text spans, the vocabularies and genres.

:class:`Understood` collects what was read (each :class:`Fact` keeps the span of text behind it);
:func:`read_genres` fills the music shares. The budget: :mod:`earwise.advice.ask_budget`; product
names: :mod:`earwise.advice.ask_products`; intent and profile: :mod:`earwise.advice.ask`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from earwise.core.yamlio import load_yaml

DATA = Path(__file__).parent / "data" / "ask.yaml"
COMMON_WORDS = Path(__file__).parent / "data" / "common_words.txt"


@cache
def common_words() -> frozenset[str]:
    """Common English words (wordfreq, Zipf >= 4; see scripts/derive_common_words.py)."""
    lines = COMMON_WORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(w for w in lines if w and not w.startswith("#"))


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
    budget_foreign: list[str] = field(default_factory=list)  # amounts in currencies without a rate
    # why an out-of-scope question is one (ask_intent.read_intent): fault, music, care, ...
    scope_reason: str | None = None
    products: list[dict] = field(default_factory=list)  # {"id", "kind", "role", "span"}
    sources: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    # gear named with a known brand that the catalog does not hold: {"name", "role", "start", "end"}
    unknown: list[dict] = field(default_factory=list)
    # a name that starts several catalog models: {"name", "candidates", "start", "end"}
    ambiguous: list[dict] = field(default_factory=list)
    # gear named by family or kind, not as a catalog model: a consumer device ("iPod", "Xbox One")
    # or a brand's gear by its kind ("my Sony headphones"): {"name", "role", "kind", "platform",
    # "start", "end"}; named, never "unknown" (there is no model to know)
    devices: list[dict] = field(default_factory=list)
    # the loudness asked for, dB SPL: a peak to reach, an average listening level (ask_gear)
    peak_db_spl: float | None = None
    level_db_spl: float | None = None
    # headphone makers written as names, with or without a model ("Is Skullcandy any good?")
    makers: list[str] = field(default_factory=list)
    maker_spans: list[tuple[int, int]] = field(default_factory=list)  # where they are written
    # every span a catalog name was read from, repeats included (later readers skip them)
    product_spans: list[tuple[int, int]] = field(default_factory=list)
    # gear described by figures (advice.ask_gear): AdHocSource / AdHocHeadphone, or None
    adhoc_source: object | None = None
    adhoc_headphone: object | None = None
    # how the intent was read: the rules' intent, the model's scores (advice.ask_model.IntentRead)
    intent_read: object | None = None

    def add(self, field_name: str, value, m: re.Match | tuple[int, int]) -> None:
        start, end = (m.start(), m.end()) if isinstance(m, re.Match) else m
        self.facts.append(Fact(field_name, value, self.text[start:end], start, end))


@cache
def vocab() -> dict:
    return load_yaml(DATA.read_text(encoding="utf-8"))


@cache
def _phrase_re(phrase: str) -> re.Pattern:
    """A phrase as a whole-word pattern, compiled once (the vocabularies hold more phrases than
    the re module's own cache)."""
    return re.compile(r"(?<![a-z0-9])" + re.escape(phrase) + r"(?![a-z0-9])")


def phrase_hits(text: str, phrases: dict[str, str]) -> list[tuple[str, str, int, int]]:
    """(phrase, value, start, end) for whole-word matches, longest phrases first, no overlaps."""
    low = text.lower()
    taken = [False] * len(low)
    hits = []
    for phrase in sorted(phrases, key=len, reverse=True):
        if phrase not in low:
            continue  # a plain substring test first: most phrases are absent
        for m in _phrase_re(phrase).finditer(low):
            if not any(taken[m.start() : m.end()]):
                hits.append((phrase, phrases[phrase], m.start(), m.end()))
                taken[m.start() : m.end()] = [True] * (m.end() - m.start())
    return sorted(hits, key=lambda h: h[2])


# --- genres -------------------------------------------------------------------------------------

_SHARE = re.compile(
    r"(\d{1,3})\s*%\s*([a-z&/ \-]{2,60}?)(?=\s*(?:[,.;)—–]|\band\b|\d{1,3}\s*%|$))", re.I
)
_MOSTLY = re.compile(r"\b(mostly|mainly|primarily|a lot of)\s+([a-z&/\- ]{2,40})", re.I)


# A genre word followed by one of these is an adjective or a phrase, not the music.
NOT_A_GENRE_AFTER = (
    r"[\s-]*(?:noise|sounds?\b|mode|light|temperature|up\b|solid|star|stars|culture|filters?\b|"
    r"ups?\b|on(?:to)?\b|in(?:to)?\b|out\b|over\b|piano|drums?\b|keyboards?|kits?\b|devices?\b|"
    r"instruments?|components?|circuits?|engineering|parts?\b|gadgets?|browsers?\b|gx\b|"
    r"(?:(?:options?|choices?|picks?|models?|ones?)\s+)?(?:to|for)\s+(?:the|a|an|my|your)\b|"
    r"(?:shells?|housings?|cups?|build|body|frames?|grilles?|casings?|headbands?)\b)"
)  # "pop onto a flight", "an electronic piano", "an alternative to the HD 600", "metal
# shells": the word is not the music
# Genre names that are everyday words first ("an alternative to the HD 600", "metal cups", "in
# my country", "acoustic isolation"): a genre only beside another genre or in a sentence about music.
WORDS_BEFORE_MUSIC = {"alternative", "country", "acoustic", "metal", "chamber", "instrumental",
                      "soul", "dance", "folk", "indie", "blues", "funk", "soundtrack",
                      "house", "trance", "grime", "drill", "trap", "thrash", "baroque",
                      "salsa", "motown"}  # fmt: skip
_MUSIC_WORDS = re.compile(
    r"\b(?:listen\w*|music|genres?|songs?|albums?|bands?|tracks?|artists?|playlists?|"
    r"singers?|vocals?|guitars?|records?)\b",
    re.I,
)


_FOR_LIST = re.compile(r"\bfor (?:[\w&-]+(?:,|\s+and|\s+or|/)\s*){0,3}$", re.I)  # "for rock and "
_GEAR_KINDS = re.compile(
    r"\b(?:headphones?|headsets?|iems?|earbuds?|earphones?|cans|buds|in-?ears?)\b", re.I
)
_FIT_FOR = re.compile(
    r"\b(?:how (?:is|are|does|do|would)|good|great|fine|suit\w*|any good)\b", re.I
)


_LIST_SEP = re.compile(r"\s*(?:,|/|&|\band\b|\bor\b)\s*(?:\band\b\s*)?", re.I)


def _listed_with_another(text: str, hits: list, start: int, end: int) -> bool:
    """Another genre named right beside this one in a list ("alternative and indie", "folk,
    country"): the words are the music."""
    return any(
        (e2 <= start and _LIST_SEP.fullmatch(text[e2:start]))
        or (s2 >= end and _LIST_SEP.fullmatch(text[end:s2]))
        for _, _, s2, e2 in hits
        if (s2, e2) != (start, end)
    )


def _music_near(text: str, start: int, end: int) -> bool:
    """A music word in the same sentence as text[start:end], or the word is what a headphone is
    judged or wanted for ("how is the Sundara for metal?", "cheap IEMs for metal")."""
    lo = max(text.rfind(c, 0, start) for c in ".!?\n") + 1
    his = [i for i in (text.find(c, end) for c in ".!?\n") if i >= 0]
    sentence = text[lo : min(his) if his else len(text)]
    judged_for = bool(_FOR_LIST.search(text[:start])) and bool(
        _FIT_FOR.search(sentence) or _GEAR_KINDS.search(sentence)
    )  # "how is the Sundara for metal?", "cheap IEMs for metal"
    return judged_for or bool(_MUSIC_WORDS.search(sentence))


# "everything" means every genre only when the text talks about listening or music.
MUSIC_CONTEXT = re.compile(
    r"\b(?:listen\w*|music|genres?|songs?|albums?)\b[^.!?]{0,30}\beverything\b|\beverything\b[^.!?]{0,30}\b(?:music|genres?)\b",
    re.I,
)


def read_genres(u: Understood) -> None:
    phrases = vocab()["genre_phrases"]
    shares: dict[str, float] = {}
    for m in _SHARE.finditer(u.text):
        found = [v for _, v, _, _ in phrase_hits(m.group(2), phrases)]
        found = list(dict.fromkeys(found))
        for g in found:
            shares[g] = shares.get(g, 0.0) + float(m.group(1)) / len(found)
        if found:
            u.add("genres", {g: round(float(m.group(1)) / len(found), 1) for g in found}, m)
    said = sum(shares.values())
    if shares and said < 100 and "general" not in shares:
        shares["general"] = 100.0 - said  # "70% electronica": the other 30% is music unnamed
    if not shares:
        hits = phrase_hits(u.text, phrases)
        plain = {p for p, *_ in hits if p not in WORDS_BEFORE_MUSIC}
        for phrase, g, s, e in hits:
            if phrase == "classic" and re.match(r"\s*(rock|kicks?)", u.text[e:], re.I):
                continue
            if re.match(NOT_A_GENRE_AFTER, u.text[e:], re.I):
                continue  # "ambient noise", "pop up", "rock solid": the word is not the music
            if (
                phrase in WORDS_BEFORE_MUSIC
                and not plain
                and not _music_near(u.text, s, e)
                and not _listed_with_another(u.text, hits, s, e)
            ):
                continue  # "an alternative to", "metal cups", "in my country": not music
            shares.setdefault(g, 1.0)
            u.add("genre", g, (s, e))
        for m in _MOSTLY.finditer(u.text):
            for _, g, _, _ in phrase_hits(m.group(2), phrases)[:1]:
                shares[g] = shares.get(g, 1.0) + 2.0
                u.add("genre_emphasis", g, m)
        low = u.text.lower()
        if any(
            p in low and (p != "everything" or MUSIC_CONTEXT.search(low))
            for p in vocab()["all_genres_phrases"]
        ):
            excluded = set()
            ex = re.search(r"except\s+([a-z ]+)", low)
            if ex:
                excluded = {v for _, v, _, _ in phrase_hits(ex.group(1), phrases)}
            for g in vocab()["all_genres"]:
                if g not in excluded:
                    shares.setdefault(g, 1.0)
            if excluded:
                for g in excluded:
                    shares.pop(g, None)
                u.add("genres_except", sorted(excluded), ex)
    total = sum(shares.values())
    u.genres = {g: round(s / total, 4) for g, s in shares.items()} if total else {}


# scripts written without spaces between words (kana, CJK ideographs, Hangul): a name ends where
# one begins ("Air Pods Proはなんか")
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f"
_UNSPACED_CHAR = re.compile(f"[{_UNSPACED}]")
_SPACED_WORD_CHAR = rf"[^\W{_UNSPACED}]"  # a letter, digit or "_" of a script that spaces words
# a word that may start a name: a Latin letter or a digit, then word characters and hyphens
NAME_WORDS = re.compile(rf"[A-Za-z](?:{_SPACED_WORD_CHAR}|-)*|\d(?:{_SPACED_WORD_CHAR}|-)*")


def in_a_word(ch: str) -> bool:
    """Whether ``ch`` goes on the word before or after it: a letter or digit of a script that
    spaces its words."""
    return ch.isalnum() and not _UNSPACED_CHAR.match(ch)


# markdown emphasis ("_both_", "**really**"): its marks become spaces, the same length, so every
# span still points into the text as written
# (a single "*" is left alone: it marks footnotes as often as emphasis, "iPhone* 4S")
_MARKDOWN_EMPHASIS = re.compile(r"(?<![\w*])(\*\*|__?)(?=\w)([^_*\n]{1,80}?)(?<=\w)(\1)(?![\w*])")
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})  # typographic hyphens: "SE\u2011215CL"
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def plain_typography(text: str) -> str:
    """Typographic quotes and hyphens as typed ones, markdown emphasis marks as spaces: one
    character for one, so spans read from the result point into the text as written."""
    text = text.translate(_QUOTES).translate(_HYPHENS)
    return _MARKDOWN_EMPHASIS.sub(
        lambda m: " " * len(m.group(1)) + m.group(2) + " " * len(m.group(3)), text
    )


@cache
def _social_formula() -> re.Pattern:
    """Social formulas (``social_formulas`` in ask.yaml), one or several joined by commas, that
    make a whole sentence or line, end the text, or open a sentence as a greeting ("Hi all, ...")."""
    one = vocab()["social_formulas"]
    several = rf"(?:{one})(?:\s*,\s*(?:{one}))*"
    start = r"(?:^|(?<=[.!?\n])|(?<=[.!?]\s))\s*"
    return re.compile(
        rf"{start}{several}\s*(?=\n|$|(?<=[.!])\s)"  # a whole sentence or line
        rf"|(?<=\s){several}[.!]*\s*$"  # the text's last words ("... Thanks in advance!")
        rf"|{start}(?:{one})(?:\s*,?\s*(?:{one}))*\s*[,:;-]\s",  # "Hi all, quick question: I need"
        re.I,
    )


def without_social_formulas(text: str) -> str:
    """The text without its greetings, apologies for asking, thanks and sign-offs: what is left
    is what the post asks ("Hi all, first post. Magni enough for HE400se? Thanks!" reads as
    "Magni enough for HE400se?"). Not one character for one: only for reading shapes."""
    return _social_formula().sub(lambda m: " " if m.start() else "", text).strip()


@cache
def _opinion_tag() -> re.Pattern:
    """A sentence or line that only asks others' opinion (``opinion_tags`` in ask.yaml)."""
    return re.compile(
        r"(?:(?<=[.!?\n])|(?<=[.!?]\s)|(?<=\s))\s*(?:" + vocab()["opinion_tags"] + r")\s*(?=\n|$)",
        re.I,
    )


def opinion_asked_of_what_was_said(text: str) -> str:
    """The text with a closing request for opinions folded into the sentence before it, as its
    question ("I plan to run the HD 650 from my phone. Thoughts?" reads as "I plan to run the HD
    650 from my phone?"); after a question the tag is only left out."""
    m = _opinion_tag().search(text)
    if m is None or not text[: m.start()].strip():
        return text
    before = text[: m.start()].rstrip()
    rest = text[m.end() :]
    if "?" in before:  # the post asked already: the tag adds nothing
        return before + rest
    if before[-1] in ".!":
        before = before[:-1] + "?"
    elif before[-1] != "?":
        before += "?"
    return before + rest
