"""Reading a question, part 3a: the signals the intent is read from (the shapes in
``advice/data/ask.yaml`` under ``intent_shapes``, the sentences that ask, the gear named)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

from earwise.advice.ask_text import (
    Understood,
    opinion_asked_of_what_was_said,
    vocab,
    without_social_formulas,
)


@cache
def shapes() -> dict[str, re.Pattern]:
    return {k: re.compile(v, re.I) for k, v in vocab()["intent_shapes"].items()}


# Quote marks around a word or phrase ("I keep reading that I 'need' an amp"), not apostrophes
# inside one ("don't"): shapes read the words, not the quoting.
_QUOTES = re.compile(r"(?<![\w])['‘’\"“”]+|['‘’\"“”]+(?![\w])")


# Contractions written without their apostrophe ("dont", "whats", "im"), as posts often do, read
# as written with it; only those that are no other English word ("its", "were", "ill" stay).
_BARE_CONTRACTION = re.compile(
    r"\b(don|doesn|didn|isn|aren|wasn|weren|can|couldn|wouldn|shouldn|won|hasn|haven|hadn)t\b"
    r"|\b(i)m\b|\b(i|you|they|we)ve\b|\b(you|they)re\b|\b(what|that|there|here|how|where)s\b",
    re.I,
)


def _with_apostrophes(text: str) -> str:
    return _BARE_CONTRACTION.sub(_contracted, text)


def _contracted(m: re.Match) -> str:
    word = m.group(0)
    if m.group(1):
        return word[:-1] + "'t"
    return (
        word[:-2] + "'" + word[-2:]
        if word[-2:].lower() in ("ve", "re")
        else (word[:-1] + "'" + word[-1])
    )


_unquoted = lru_cache(maxsize=256)(
    lambda text: _with_apostrophes(_QUOTES.sub("", text))
)  # once per text


def said(name: str, text: str) -> bool:
    return bool(shapes()[name].search(_unquoted(text)))


def named(u: Understood) -> tuple[list[dict], list[dict]]:
    heads = [p for p in u.products if p["kind"] == "headphone"]
    gear = [p for p in u.products if p["kind"] == "source"]
    return heads, gear


def _names_something(sentence: str) -> bool:
    """A word after the first with a capital or a digit: a name or a figure."""
    words = sentence.strip(" \"'([").split()[1:]
    return any(w[0].isupper() or any(c.isdigit() for c in w) for w in words)


_LIST_MARK = re.compile(r"^(?:\(?\d{1,2}\)|\(?[a-h]\)|[-*\u2022])\s+")


# A sentence that ends in a full stop, "!", a line's end or the text's end, "1.2" kept whole:
# tried only from the text's start or after a mark, never given back (a long text with no
# such end took quadratic time)
_START = r"(?:^|(?<=[?!\n])|(?<=\.)(?![\d.]))"  # (not inside "1.2" nor "...")
_SENTENCE = re.compile(_START + r"(?:[^.!\n]|\.(?=\d))++(?:[.!\n]|$)")
_STATEMENT = re.compile(_START + r"(?:[^.?!\n]|\.(?=\d))++(?:[.!\n]|$)")  # no "?"
_QUESTION = re.compile(_START + r"(?:[^.?!\n]|\.(?=\d)|\.{2,}+(?= *[a-z\d]))*+\?")


def asked_sentences(text: str) -> list[str]:
    """The sentences that ask (ending in a question mark, or a statement of what one does not
    know: "I'm not sure which cable goes where."): what is asked is there; the rest of a post is
    context ("For budget IEMs I have shortlisted a few [...] What distinguishes an IEM from
    in-ear headphones?"). A question without its mark is read as marked (questions_marked)."""
    text = questions_marked(text)
    out = []
    # "16/44.1 enough?" and "so good... compared to speakers?": one sentence each
    for m in _QUESTION.finditer(text):
        s = _LIST_MARK.sub("", m.group(0).strip())  # "1) Are planars ...?" asks "Are planars ...?"
        if not s.strip(" ?"):
            continue
        points_back = (
            (len(s.split()) <= 5 and _OPTIONS.search(s))
            or (len(s.split()) <= 8 and _WHICH_OF_THEM.match(s))  # "Which should I use for IEMs?"
            or (
                len(s.split()) <= 8 and _WHAT_TO_BUY.match(s)
            )  # "... optical only. What i have to buy?"
            or _DEICTIC.search(s)
            and (
                len(s.split()) <= 5
                or (len(s.split()) <= 8 and _REFERS_BACK.search(s) and not _names_something(s))
            )
        )
        if points_back:  # "Is that normal?", "Is there any truth to that?": the sentence before
            before = re.findall(r"(?:[^.?!\n]|\.(?=\d))+[.!]?[\"')\]]*\s*$", text[: m.start()])
            s = (before[-1].strip() + " " + s) if before else s
        out.append((m.start(), s))
    for m in _STATEMENT.finditer(text):
        if said("embedded_question", m.group(0)):  # "I'm confused about what cable goes where."
            out.append((m.start(), m.group(0).strip().rstrip(".!") + "?"))
    if not out and _QUESTION_START.match(text):  # "is aptx worth it": a question without its mark
        out.append((0, text.strip()))
    elif "?" not in text:  # questions without their mark later on ("... Is balanced better")
        out += _unmarked_questions(text)
    return [s for _, s in sorted(out)]


_LEAD_IN = r"(?:(?:so|but|and|also|honestly|anyway|ok(?:ay)?|basically|seriously),?\s+)?"
_UNMARKED = re.compile(
    r"\s*"
    + _LEAD_IN
    + r"(?!what (?:i|we) (?:want|need|really|would|am)\b|what would be [\w ]{1,20},)"
    r"(?:is|are|do|does|did|can|could|should|will|would|what|why|how|which|"
    r"where|who|am|any(?:one|body)|has|have)\b(?!\s+not\b)",
    re.I,
)  # (not a statement that starts with "what": "What I want is ...", "What would be amazing, ...")
_TITLE_CHOICE = re.compile(
    r"\s*\S+(?:\s+\S+){0,4}\s+(?:vs\.?|versus|or)\s+\S+(?:\s+\S+){0,4}\s*$", re.I
)


_CLAUSE_FIRST = re.compile(r"[^,;:\n]{3,80}?(?:,|;|:| - )")  # a clause, then what it asks
_WH_AFTER = re.compile(r"\s*(?:what|why|how|which|where|who)\b(?! (?:i|we) (?:want|need)\b)", re.I)
SHORT_TITLE_WORDS = 8  # a whole post this short with no mark may be a title that asks


def _starts_as_question(sentence: str) -> bool:
    """A sentence that starts as a question does, or asks after a clause ("Despite the bigger
    diaphragm, how is it ...")."""
    clause = _CLAUSE_FIRST.match(sentence)
    return len(sentence.split()) >= 2 and bool(
        _UNMARKED.match(sentence) or (clause and _WH_AFTER.match(sentence, clause.end()))
    )


def questions_marked(text: str) -> str:
    """A text with no question mark, its questions marked: a sentence that starts as a question
    ends in one ("... at 100% barely gets my HD 650 loud. Is that normal."). Marks replace full
    stops one for one, or are added at the end."""
    if "?" in text or _QUESTION_START.match(text):
        return text  # (a post that starts as a question asks all it says: asked_sentences)
    chars = list(text)
    for m in _SENTENCE.finditer(text):
        if _starts_as_question(m.group(0)):
            end = m.end() - 1
            if end >= 0 and chars[end] in ".!":
                chars[end] = "?"
            elif m.end() == len(text):
                chars.append("?")
    return "".join(chars)


def _unmarked_questions(text: str) -> list[tuple[int, str]]:
    """In a text with no question mark, the sentences that start as questions do ("... Is
    balanced actually better or is it just louder"), and a short title weighing two things
    ("Planar vs dynamic")."""
    if _TITLE_CHOICE.fullmatch(text.strip()):
        return [(0, text.strip() + "?")]
    return [
        (m.start(), m.group(0).strip().rstrip(".!") + "?")
        for m in _SENTENCE.finditer(text)
        if _starts_as_question(m.group(0))
    ]


_HOW_TO = re.compile(
    r"\s*(?:[\w ,]{0,20}\bbut )?how (?:do|can|could|should|would) (?:i|we|you)\b", re.I
)
_QUESTION_START = re.compile(
    r"\s*(?:is|are|do|does|did|can|could|should|will|would|what|why|how|which|where)\b", re.I
)
# a longer sentence that only weighs what was said before: a claim ("Is there any truth to
# that?", "Aren't those the same thing?") or the options for it ("What's my best option here?")
_REFERS_BACK = re.compile(
    r"\b(?:true|truth|right|correct|myth|same thing|options?|(?:way|set-?up) to do (?:that|this|it))\b",
    re.I,
)
_WHICH_OF_THEM = re.compile(r"\s*which (?:should|do|would|can) (?:i|we)\b", re.I)
_WHAT_TO_BUY = re.compile(r"\s*what (?:do |should )?(?:i|we) (?:have|need) to (?:buy|get)\b", re.I)
_OPTIONS = re.compile(r"\b(?:options?|alternatives?|choices)\b", re.I)  # "What are my options?"
_DEICTIC = re.compile(r"\b(?:that|this|it|so|those|these|here)\b", re.I)


def drive_in(text: str, source_named: bool, asked: list[str] | None = None) -> bool:
    """Whether the text asks if something drives: the drive shapes, or "is X good enough" /
    "can X handle" when a source is named. With the sentences that ask given, gear told in use
    ("I use a pair of MDR-7506 with my MacBook.") outside them counts only when a question goes
    on about driving ("Should I upgrade the amp?")."""
    sentences = [s.strip() for s in re.split(r"(?<!\d)[.?!]|[.?!](?!\d)", text)]  # not "1.2"
    used_with = [s for s in sentences if said("use_with", s)]
    if asked:  # (a use planned is what the gear is for: "I'll use it with my phone")
        used_with = [
            s
            for s in used_with
            if _PLANNED_USE.search(s) or any(s in a or _goes_on_about(a, s) for a in asked)
        ]
    return (
        said("drive", text)
        or (  # (whether AAC is "good enough" is about the codec)
            source_named
            and any(said("drive_enough", s) and not said("codec_terms", s) for s in sentences)
        )
        or any(  # (not "how do I also use it with my laptop?": how to connect it)
            not said("chain_terms", s) and not _HOW_TO.match(s) for s in used_with
        )
        or (source_named and said("pairing_terms", text))  # "my receiver's output impedance"
        or any(said("power_enough", s) and not said("sound_part", s) for s in sentences)
    )


# what points back at things told before a question: a pronoun, "the closest equivalent", or a
# choice among them ("which would you pick?", "both")
_POINTS_BACK = re.compile(
    r"\b(?:it|its|them|they|these|those|this pair|that pair|that'?s|(?:is|does|will|would|"
    r"can|could) (?:that|this)|equivalent|replacement|(?:the|my|these|those) (?:headphones?|"
    r"cans|iems?|earbuds?|pair|ones?)|which (?:ones?|is|are|of|would|should|do|does|will|to)|"
    r"both|either|the two|between (?:them|these|those|the two))\b",
    re.I,
)
_OWN_SUBJECT = re.compile(r"\b(?:my|our|the|a|an)\s+[a-z][\w-]+", re.I)


def _points_back(question: str) -> bool:
    """Whether a question points back at what was told before it: a pronoun or a choice with
    no thing of its own named before it in the sentence ("Is it loud enough?", "Which would
    you pick?"; not "My car stereo hums when the engine runs, how do I get rid of it?")."""
    m = _POINTS_BACK.search(question)
    return bool(m) and not _OWN_SUBJECT.search(question, 0, m.start())


_PLANNED_USE = re.compile(
    r"\b(?:i'?ll|i will|i'?d|i would|going to|gonna|plan(?:ning)? to|want to|wanna|intend to|"
    r"hope to|would like to)\s+(?:\w+\s+)?(?:use|run)\b",
    re.I,
)
_THE_NOUN = re.compile(r"\b(?:the|that|this|these|those)\s+([a-z][\w-]{2,})", re.I)


def _goes_on_about(question: str, told: str) -> bool:
    """Whether a question goes on about gear told in use before it: in words of driving
    ("Should I upgrade the amp?", "... more out of them with a real amp?") or by pointing back
    at a thing the told sentence names ("could the dongle be holding back the sound?")."""
    if said("amp_words", question) or said("drive_enough", question):
        return True
    told_words = {w.lower() for w in re.findall(r"[\w-]+", told)}
    return any(m.group(1).lower() in told_words for m in _THE_NOUN.finditer(question))


@dataclass
class Signals:
    """What every stage of :func:`read_intent` looks at, read once."""

    u: Understood
    heads: list[dict]  # catalog headphones named (or one described by figures)
    gear: list[dict]  # catalog sources and amps named
    unknown: list[dict]  # named gear the catalog lacks, or names it cannot settle
    about_headphones: bool  # one named, the word, or a term only headphones have
    asking: bool
    shopping: bool
    pairing_asked: bool  # a headphone and a source with drive words
    source_named: bool  # a catalog source, a device, figures of one, or "my phone"
    source_by_name: bool  # the same without figures ("300 mW @ 600 ohm" may be a requirement)
    # the headphones named, or one described by its figures ("98 dB/mW, 250 ohm"): from the
    # driving stage on, a described headphone counts as one named
    described: list[dict]
    asked: list[str]  # the sentences that ask (asked_sentences)
    text: str = ""  # the question with the names read capitalised (names_capitalised)

    def said(self, shape: str) -> bool:
        """The shape in the text or in one of its sentences: a shape anchored to the whole text
        (a title: "Magni enough for HE400se?", "Headphones for sleeping") holds for a sentence
        of a longer post too ("I have been into audio for years. Magni enough for HE400se?")."""
        if said(shape, self.text):
            return True
        return _anchored(shape) and any(said(shape, s) for s in self.sentences)

    @cached_property
    def sentences(self) -> list[str]:
        """The text's sentences and lines, when it has more than one."""
        got = [s.strip() for s in re.findall(r"[^.!?\n]+(?:[.!?]+|$)", self.text, re.M)]
        got = [s for s in got if s]
        return got if len(got) > 1 else []

    @cached_property
    def heads_asked(self) -> list[dict]:
        """The headphones the question is about: named in a sentence that asks, or all named
        when nothing is asked outright or a question points back ("Is it bad to run 4 ohm
        speakers on it?"); not those only told as background ("I use a pair of MDR-7506 with my
        MacBook. Best speakers for a small desk?")."""
        return self.asked_of(self.heads)

    def asked_of(self, named: list[dict]) -> list[dict]:
        """Of the things named (with their place in the text), those the question is about
        (see :attr:`heads_asked`)."""
        if not self.asked or any(_points_back(a) for a in self.asked):
            return named
        asked = " ".join(self.asked).lower()
        return [x for x in named if "start" not in x or self._span(x).lower() in asked]

    def _span(self, x: dict) -> str:
        return x.get("span") or self.u.text[x["start"] : x["end"]]

    @property
    def drive(self) -> bool:
        told = self.asked or [  # a request told without a question ("Need new ones under $50")
            s for s in self.sentences if any(said(k, s) for k in ("shopping", "needs", "request"))
        ]
        return drive_in(self.text, self.source_named, told)


@cache
def _anchored(shape: str) -> bool:
    """Whether a shape holds only at the start of what it reads (``^``), once per shape."""
    return bool(re.search(r"(?:^|\||\((?:\?:)?)\^", shapes()[shape].pattern))


def names_capitalised(u: Understood) -> str:
    """The question with every word of the names it read starting with a capital, one character
    for one:
    shapes that expect a name ("what the HD 650 gives me", "Magni enough for HE400se?") read
    "what the hd 650 gives me" and "magni enough for he400se?" alike."""
    chars = list(u.text)
    spans = [(p["start"], p["end"]) for p in u.unknown + u.ambiguous + u.devices if "start" in p]
    spans += list(u.product_spans) + list(u.maker_spans)
    for start, end in spans:  # every word of it ("fiio k3 for sundara?" reads "Fiio K3 ...")
        for m in re.finditer(r"(?<![\w'])[a-z]", u.text[max(0, start) : end]):
            chars[start + m.start()] = chars[start + m.start()].upper()
    return "".join(chars)


def signals(u: Understood, as_title: bool = False) -> Signals:
    """What the stages read; ``as_title`` reads a short post with no mark as asking ("Balanced
    worth it", "Bluetooth headphones on Switch")."""
    heads, gear = named(u)
    text = questions_marked(without_social_formulas(names_capitalised(u)))
    if as_title:
        text = text.rstrip().rstrip(".!") + "?"
    text = opinion_asked_of_what_was_said(text)
    asked = asked_sentences(text)
    unknown = u.unknown + u.ambiguous
    source_by_name = (  # "my Focusrite" and "my iPod" are devices; "my Schiit Magni" ambiguous
        bool(gear or u.sources)
        or any(d["role"] == "source" for d in u.devices)
        or any(x.get("role") in ("source", "amp") for x in u.unknown)
        or any(x.get("kind") == "source" for x in u.ambiguous)
        or said("my_source", text)
    )
    source_named = source_by_name or u.adhoc_source is not None or bool(u.devices)
    return Signals(
        u=u,
        heads=heads,
        gear=gear,
        unknown=unknown,
        about_headphones=bool(heads or unknown or u.makers)
        or said("headphone_topic", text)
        or said("headphone_terms", text),
        asking="?" in text or said("request", text) or bool(asked),  # (a question without its mark)
        shopping=said("shopping", text) or u.budget_usd is not None,
        pairing_asked=bool(heads)
        and bool(gear or u.unknown or any(a["kind"] == "source" for a in u.ambiguous))
        and drive_in(text, source_named, asked),
        source_named=source_named,
        source_by_name=source_by_name,
        described=heads
        or (
            [{"id": None, "kind": "headphone", "role": "considering"}]
            if u.adhoc_headphone is not None and u.adhoc_headphone.complete()
            else []
        ),
        asked=asked,
        text=text,
    )
