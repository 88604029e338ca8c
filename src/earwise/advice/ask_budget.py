"""Reading a question, the budget: amounts and ranges in figures or words, their currency
(converted at ``currency.usd_per_unit`` in ask.yaml, or named back when no rate is held), and
which amount is the reader's budget rather than the price of something named or seen."""

from __future__ import annotations

import re

from earwise.advice.ask_text import Understood, vocab

_MONEY = r"(?:(?P<pre>\$|€|£|usd|eur|rp\.?)\s*)?(?P<num>(?<![A-Za-z\d.,])\d[\d.,]*+)(?P<k>\s?(?:k|grand)\b)?\s*(?P<post>(?:\$|€|£)(?!\s*\d)|euros?|dollars?|bucks|usd|eur|gbp|pounds?|quid)?"
# Currencies the rate table does not hold: an amount in one is named back, never converted.
_FOREIGN_CODES = r"CAD|AUD|NZD|INR|SGD|CHF|SEK|NOK|DKK|JPY|CNY|HKD|KRW|MXN|BRL|ZAR|PHP|MYR|THB|PLN"
_FOREIGN = re.compile(
    r"(?:(?:\b(?:" + _FOREIGN_CODES + r")\b|\bRs\.?|₹|\b(?:A|C|NZ|S)\$|¥)\s*\d[\d.,]*+(?:\s?k\b)?"
    r"|(?:\$\s*)?(?<![\d.,])\d[\d.,]*+(?:\s?k\b)?\s*(?:\b(?:"
    + _FOREIGN_CODES
    + r")\b|rupees|rs\b\.?|yen\b|kr\b|kronor|kroner|krona|zl\b|zł|z[lł]oty|pesos?\b|ringgit|rm\b"
    r"|baht|won\b|francs?\b|lei\b|rand\b|lira\b|reais|yuan|rmb\b|dirhams?|riyals?|shekels?|forint"
    r"|koruna|czk\b|huf\b|aed\b|sar\b|ils\b|vnd\b"
    r"|(?:canadian|australian|aussie|singapore|hong kong|new zealand|nz)(?: dollars?| bucks)?\b))",
    re.I,
)


def _mask_foreign(u: Understood) -> str:
    """The text with amounts in currencies without a rate blanked (same length, so spans hold),
    each kept in ``u.budget_foreign`` to be named back."""
    text = u.text
    found = list(_FOREIGN.finditer(u.text))
    if any(_DOLLAR_FAMILY.search(m.group(0)) for m in found):
        # "$100 Canadian ... under $100?": a bare "$" in the same text is that currency too
        found += list(_BARE_DOLLAR.finditer(u.text))
    for m in sorted(found, key=lambda x: x.start()):
        if not text[m.start() : m.end()].strip():
            continue  # already blanked
        u.budget_foreign.append(m.group(0).strip())
        text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
    return text


_DOLLAR_FAMILY = re.compile(
    r"\b(?:CAD|AUD|NZD|SGD|HKD)\b|\b(?:A|C|NZ|S)\$|canadian|australian|aussie|singapore|hong kong"
    r"|new zealand|\bnz\b",
    re.I,
)
_BARE_DOLLAR = re.compile(
    r"(?<![A-Za-z])\$\s*\d[\d.,]*+(?:\s?k\b)?(?!\s*(?:usd|us dollars?)\b)", re.I
)


_RANGE = re.compile(
    _MONEY.replace("(?P<", "(?P<a_") + r"\s*(?:-|–|to)\s*" + _MONEY.replace("(?P<", "(?P<b_"), re.I
)
_SINGLE = re.compile(_MONEY, re.I)
_CURRENCY = {"$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "bucks": "USD", "€": "EUR", "eur": "EUR",
             "euro": "EUR", "euros": "EUR", "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "quid": "GBP", "rp": "IDR", "rp.": "IDR"}  # fmt: skip
BUDGET_INCLUDES_AMP = re.compile(
    r"(buy|get|budget for|including|incl\.?|plus|\+)\s*(a\s+)?(usb\s+)?(dac|amp|dac/amp|headphone amp)",
    re.I,
)
BUDGET_WORD_SCORE = (
    3  # a budget word beside the amount ("budget", "spend", "up to") outweighs the rest
)
_BUDGET_WORDS = re.compile(
    r"budget|spend|pay|afford|price|around|under|max|up to|about|willing|from|for\s*\$|for like|\$|€|£|euro|dollar",
    re.I,
)


def _amount(num: str, currency: str, thousands: str | None = None) -> float:
    """The amount written ``num`` (a "k" or "grand" after it: thousands)."""
    return _plain_amount(num, currency) * (1000 if thousands else 1)


def _plain_amount(num: str, currency: str) -> float:
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


_GEAR_AFTER_A_PRICE = (
    r"\s*(?:(?!(?:for|to|on|in|and|or|of|left|total)\b)[a-z-]+\s+)?(?:speakers?|headphones?|headsets?|cans|iems?|earbuds?|buds|earphones?|"
    r"amps?|dacs?|monitors?|setup|system|rig|cables?|turntables?|receivers?)\b(?!\s+(?:budget|money))"
)


_NOT_MONEY_AFTER = re.compile(
    r"\s*(?:hz|khz|ohms?|Ω|mm|db|gigs?|gb|%|h\b|hrs?\b|hours?|minutes?|mins?\b|days?|weeks?|months?"
    r"|ms\b|milliseconds?|seconds?|secs?\b"
    r"|years?|yrs?\b|times|people|kids|pairs?|feet|ft\b|inch\w*|meters?|metres?|km|miles?|kg|lbs?"
    r"|g\b|mw|watts?|v\b|volts?|bits?\b|-?bit\b)",
    re.I,
)


# A range of prices seen in the shops, not the asker's budget: a price word just before it and no
# word of the asker's own spending ("my budget ranges from ...", "willing to pay ...").
_MARKET_RANGE = re.compile(
    r"^(?!.*\b(?:budget|spend\w*|afford|willing|pay|paying|looking|want|my|i'd|i would)\b)"
    r".*\b(?:seen|saw|noticed|anywhere|(?:can|could|may|might) cost|prices (?:range|vary|go)"
    r"|prices? (?:ranges?|ranging|varies|vary|goes|go) (?:from|between)"
    r"|(?:can |could |may |might )?(?:rang(?:e|es|ing)|var(?:y|ies|ying)) (?:in price )?(?:from|between)"
    r"|(?:going|go|goes|moving|move|jump\w*|step\w*|upgrad\w*) (?:up )?from)\b"  # price classes
    r"[^.?!$€£\d]*$",
    re.I,
)


_TEENS = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}  # fmt: skip
NUMBER_WORDS = {w: n for n, w in enumerate(_TEENS.split() + ["sixteen", "seventeen", "eighteen",
                "nineteen"], 1)} | _TENS  # fmt: skip
# An amount in words after a budget word: "nothing over a hundred dollars", "about fifty quid"
_WORD_MONEY = re.compile(
    r"\b(?:under|below|less than|max(?:imum)?|up to|around|about|budget(?: of| is)?|spend"
    r"|(?:nothing|not|no more|none) (?:over|above|more than)"
    r"|(?:can't|cannot|won't|don't want to) (?:go|spend) (?:over|above|more than|past))\s+"
    r"(?P<n>a|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
    r"(?:(?:[ -](?P<m>hundred|thousand|grand))?\s+(?P<cur>dollars?|bucks|usd|quid|pounds?|euros?)\b"
    r"|[ -](?P<m2>hundred|thousand|grand)\b(?!\s*(?:ohms?|hours?|hz|mw|people|times|miles?)))",
    re.I,
)


def _word_budget(u: Understood, rates: dict) -> None:
    """A budget said in words when none was said in figures ("nothing over a hundred dollars")."""
    m = _WORD_MONEY.search(u.text)
    if m is None:
        return
    n = 1 if m.group("n").lower() == "a" else NUMBER_WORDS[m.group("n").lower()]
    word = (m.group("m") or m.group("m2") or "").lower()  # "two hundred", "a grand": dollars
    scale = {"hundred": 100, "thousand": 1000, "grand": 1000}.get(word, 1)
    value, cur = n * scale, _currency(m.group("cur")) or "USD"
    if value >= 10 and cur in rates:
        u.budget_usd = round(value * rates[cur], 2)
        u.budget_original = m.group(0).strip()
        u.add("budget_usd", u.budget_usd, m)


# what others spend ("most people won't spend more than $50 on earbuds"), or spending said of
# anyone as a sentence's subject ("dropping $300 on headphones isn't for everyone")
_OTHERS_SPEND = re.compile(
    r"\b(?:people|everyone|everybody|nobody|no one|others|folks|consumers|buyers|he|she)"
    r"(?: [\w']+){0,2} (?:spend|pay|buy)\w*(?: (?:more than|over|up to|about|around))?\s*$"
)
_SPENDING_SUBJECT = re.compile(
    r"(?:^|[.!?\]\n]\s*)(?:dropping|spending|paying|shelling out|blowing)"
    r"(?: (?:over|about|around|more than|upwards of))?\s*$"
)
_SAID_OF_IT = re.compile(r"[^.?!]{0,30}\b(?:is|isn't|ain't|was|seems|feels)\b")
_LIMIT_WORDS = re.compile(r"\b(?:max|limit|budget|fine|ok|okay)\b")


_PAST_PURCHASE = re.compile(
    r"\b(?:i|we)(?:'ve| have)? (?:just |recently |finally |already )?(?:bought|purchased|paid"
    r"|ordered)\b|\b(?:tried|including) buying\b",
    re.I,
)


def _sentence_before(text: str, at: int) -> str:
    """The words of the sentence before ``at`` (up to 160 characters back)."""
    return re.split(r"[.!?\n]\s", text[max(0, at - 160) : at])[-1]


def _spent_by_others(head: str, tail: str) -> bool:
    """Money someone else spends, or spending in general, not the reader's budget (``head`` and
    ``tail`` are the lower-cased words before and after the amount)."""
    return bool(_OTHERS_SPEND.search(head)) or bool(
        _SPENDING_SUBJECT.search(head) and _SAID_OF_IT.match(tail) and not _LIMIT_WORDS.search(tail)
    )


# What a sum buys that is no headphone budget: a fee ("pay $5 to watch movies"), money received
# ("getting $100 for a $300 set"), the price of one's own gear ("my $250 pair"), a price said of
# a thing ("At £250 they are steep", "they were upwards of $300", "a price closer to $164"), the
# price of a player named just before it ("a cheaper CD player (under $300)").
_FEE_AFTER = re.compile(
    r"\s*(?:to|for)\s+(?:watch|rent|stream|subscribe|ship|fix|repair|access|the (?:repair|shipping"
    r"|fix|movies?|film|wifi|subscription))\b"
)
_RECEIVED = re.compile(r"\b(?:get|getting|got|fetch\w*|sell\w*|sold)\s+(?:maybe\s+)?$")
_SAID_PRICE = re.compile(
    r"(?:\b(?:is|are|was|were|be)\s+(?:upwards of|as (?:much|high) as|worth|(?:priced|listed"
    r"|selling|sold|going|an? \w+) (?:at|for))|\ba price (?:closer to|close to|near(?:er)?|around"
    r"|about|of))\s*$"
)
_SOURCE_PRICED = re.compile(
    r"\b(?:cd|dvd|blu-?ray|record|cassette|mp3) players?\s*[(,]\s*(?:under|below|about|around"
    r"|for|at)?\s*$"
)


def _price_not_budget(head: str, tail: str) -> bool:
    """Whether a sum is a fee, money received, the price of one's gear or of a thing said, or a
    player's price, by ``head`` and ``tail``, the lower-cased words before and after it."""
    return bool(
        _FEE_AFTER.match(tail)
        or (
            _RECEIVED.search(head)
            and re.match(r"\s*for (?:a|an|my|the|them|it|these|those)\b", tail)
        )
        or _SAID_PRICE.search(head)
        or (
            re.search(r"(?:^|[.!?]\s*)at\s*$", head)
            and re.match(r",?\s*(?:they|it|these|those) (?:are|is|were|was|seem|look)\b", tail)
        )
        or _SOURCE_PRICED.search(head)
        or (
            re.search(r"\b(?:my|our)\s*$", head)  # "my $250 pair": gear one has
            and not re.match(r"\s*(?:budget|max|maximum|limit|price range|range|tops)\b", tail)
        )
    )


def read_budget(u: Understood) -> None:
    rates = vocab()["currency"]["usd_per_unit"]
    text = _mask_foreign(u)  # amounts in a currency without a rate: said, never converted
    seen: list[tuple[int, int]] = []  # ranges of prices seen or weighed: no amount in them counts
    for m in _RANGE.finditer(text):
        cur = _currency(m.group("a_pre"), m.group("a_post"), m.group("b_pre"), m.group("b_post"))
        context = text[max(0, m.start() - 45) : m.end() + 15]
        if cur is None and not _BUDGET_WORDS.search(context):
            continue
        if cur is None and _NOT_MONEY_AFTER.match(text, m.end()):
            continue  # "2 to 3 hours every day", "20-40 ohm", "3.5-6.35 mm": not money
        if _MARKET_RANGE.search(text[max(0, m.start() - 40) : m.start()]):
            seen.append(m.span())
            continue  # "I've seen earphones cost from about £20 to £500": prices seen, not theirs
        cur = cur or "USD"
        lo = _amount(m.group("a_num"), cur, m.group("a_k") or m.group("b_k"))  # "1-2k"
        hi = _amount(m.group("b_num"), cur, m.group("b_k"))
        if 0 <= lo < hi:
            u.budget_min_usd = round(lo * rates[cur], 2) if lo > 0 else None
            u.budget_usd = round(hi * rates[cur], 2)
            u.budget_original = m.group(0).strip().rstrip(".,;:!?")
            u.add("budget_usd", u.budget_usd, m)
            return
    bare = re.search(
        r"\b(?:under|below|less than|max(?:imum)?|up to|budget(?: of| is)?(?: around| about| roughly| approx\.?| approximately| like| ~)?|(?:can|could|willing to|able to) spend(?: up to| about| around)?|(?:can't|cannot|won't|don't want to) (?:go|spend) (?:over|above|more than|past)|(?:spend|pay) (?:no more than|at most)|(?:stretch|go) (?:up )?to|(?:anything|something|options?|suggestions?|recommendations?) (?:around|about|at|for)|keep (?:it|this|things|the cost) (?:around|about|under|below|at|to))\s+(\d[\d,]*(?:\.\d+)?)(\s?(?:k|grand)\b)?(?!\s*(?:%|hz|ohm|mm|db|gig|gb|g\b|h\b|hours?|mw|v\b))",
        text,
        re.I,
    ) or re.search(  # "I have about 150 to spend", "200 max", "300 tops"
        r"(?<![\d.,$€£])(\d[\d,]*(?:\.\d+)?)(\s?(?:k|grand)\b)?\s+(?:to spend|to blow|max\b|tops\b)",
        text,
        re.I,
    )
    if bare is not None and _NOT_MONEY_AFTER.match(text, bare.end()):
        bare = None  # "goes up to 24 bit 192000 hz": a figure, not money
    best = None
    for m in _SINGLE.finditer(text):
        cur = _currency(m.group("pre"), m.group("post"))
        if cur is None or any(a <= m.start() < b for a, b in seen):
            continue
        value = _amount(m.group("num"), cur, m.group("k"))
        if value <= 0:
            continue
        head = text[max(0, m.start() - 30) : m.start()].lower()
        tail = text[m.end() : m.end() + 20].lower()
        score = BUDGET_WORD_SCORE * bool(
            re.search(r"budget|spend|afford|willing|max\b|up to|\bunder\b", head + tail)
        )
        score += bool(re.search(r"around|about|\bish\b|-ish|region|for\s*$", head + tail))
        score -= 4 * bool(
            re.search(
                r"at amazon|going for|goes for|\bgo for|its price|price of|costs?\b|on sale|sells? for|"
                r"selling for|retail\w*|listed (?:at|for)|priced at|coming in (?:at|around)|msrp|\brrp\b",
                head + tail,
            )
        )
        score -= 4 * bool(re.search(r"\b(?:paid|bought|cost me|got (?:it|them|mine) for)\b", head))
        # an amount told of a purchase made, in its sentence: "Recently I bought some Philips
        # SHP5900's [...] (they are my first pair of headphones over $50)"
        score -= 4 * bool(
            _PAST_PURCHASE.search(_sentence_before(text, m.start()))
            and not re.search(
                r"budget|spend|afford|willing|looking|want|need|max\b|up to|under\b|below",
                head + tail,
            )
        )
        # a price seen or compared: "I've seen them for $279", "better than $100 ones"
        score -= 4 * bool(
            re.search(
                r"\b(?:seen|saw|found|spotted)\b[^.?!$€£]{0,30}\b(?:for|at)\s*$",
                head,
            )
            or re.search(
                r"(?<!more )(?<!less )(?<!higher )(?<!lower )\b(?:than|vs\.?|versus|compared to)\s*$",
                head,
            )
            or re.search(r"\bas (?:good|great|well|much|bad) as\s*$", head)
            or re.match(r"\s*ones?\b", tail)  # "$500 ones": a price describing headphones
        )
        # a price weighed, not a budget: "is it worth $1,700?", "he's asking $200"
        score -= 4 * bool(re.search(r"\b(?:worth|asking|asks|charg\w+)\s*$", head))
        # a price inside a why-question: "why are headphones under $50 so bad at bass?"
        score -= 4 * bool(
            re.search(
                r"(?:^|[.!?\]\n]\s*)(?:why|how come)\b[^.!?]*$",
                text[max(0, m.start() - 160) : m.start()],
                re.I,
            )
        )
        # what makers make or sell: "why do companies even make $1000 IEMs?"
        score -= 4 * bool(
            re.search(r"\b(?:make|makes|making|sell|sells|selling|release|released)\s*$", head)
            and re.match(_GEAR_AFTER_A_PRICE, tail)
        )
        # money already gone: "I sold my old ones for $50", "I spent $1000 on my setup so far"
        score -= 4 * bool(
            re.search(r"\b(?:sold|spent|traded)\b[^.?!]{0,30}$", head)
            or re.search(r"\bafter (?:spending|paying|buying)\b[^.?!]{0,20}$", head)
            or re.match(r"[^.?!]{0,30}\bso far\b", tail)
        )
        # the price of what one has: "I have a $40 pair of earbuds that broke"
        score -= 4 * bool(
            re.search(
                r"\b(?:have|had|own|owned|got|use|used|using|returned|sent back|broke|lost|tried)"
                r"\s+(?:a|an|my|this|these|those|the)\s*$",
                head,
            )
        )
        # what a product costs or cost, or a difference: "the Sundara is $299 now", "picked up the
        # HD 600 for $250", "went down to $999", "saved $100", "$50 more than"
        score -= (
            4
            * (not re.search(r"budget|spend|afford|max|limit|range", head))
            * bool(
                re.search(
                    r"\b(?:picked up|snagged|scored|grabbed|found)\b[^.?!]{0,30}\bfor\s*$"
                    r"|(?:\b(?:went|goes|drop|dropped|drops|dip|dipped|dips|fell|is|are|was|were|now)|'re)\s+(?:down\s+)?"
                    r"(?:to|at|only|just|around|about|roughly|like)?\s*$"
                    r"|\bused to (?:be|cost|sell for|go for)\s*$"
                    r"|\b(?:saved?|saving)\s*$"
                    r"|\b(?:the|an) (?:extra|additional)\s*$",  # "worth the extra $300"
                    head,
                )  # fmt: skip
                or re.match(r"\s*(?:more|less|cheaper|off|extra)\b(?! than (?:that|this)\b)", tail)
                and not re.search(r"\b(?:less|more|no more|under|below) than\s*$", head)
            )
        )
        score -= 4 * bool(re.search(r"^\s*(?:that )?(?:i|we|you|they) (?:spent|paid)\b", tail))
        score -= 4 * _price_not_budget(head, tail)
        score -= 4 * _spent_by_others(head, tail)
        # "his $200 cable", "my friend's $1,500 Focal Clear": the price of someone else's gear
        score -= 4 * bool(
            re.search(
                r"(?:\b(?:his|her|their)|\b(?!(?:it|that|what|there|here|let|he|she|who)['’]s)"
                r"[a-z]{2,}['’]s)\s*$",
                head,
            )
        )
        # "$50 headphones can sound as good as ...": a price class a sentence starts with
        score -= 4 * bool(
            re.search(r"(?:^|[.!?]\s*)$", head) and re.match(_GEAR_AFTER_A_PRICE, tail)
        )
        # "I have $2000 speakers", "I use $30 earbuds": the price of gear one has
        score -= 4 * bool(
            re.search(r"\b(?:have|had|own|owned|got|use|using|with)\s*$", head)
            and re.match(_GEAR_AFTER_A_PRICE, tail)
        )
        # "a $4000 flagship", "a $100 DSP IEM": a price describing a product, not a budget
        score -= 4 * bool(
            re.search(
                r"\b(?:a|an|the|that|this|my|our|his|her|their|your)(?:\s+(?:19|20)\d\d)?\s*$", head
            )
            and re.match(r"\s*(?:[a-z][\w-]+|\d+[a-z][\w-]*|\d{3,5}\b)", tail)  # "the $100 7506"
            and not re.match(
                r"\s*(?:budget|or|max|maximum|limit|range|ish|pair|tops|price range|mark|price point"
                r"|level|area|region|ballpark|bracket|tier|class|segment)\b",
                tail,
            )
        )
        # a gift card is money to spend, whatever the words around it: "Got a $100 Amazon gift card"
        if re.match(r"[^.?!]{0,20}\bgift ?cards?\b", tail):
            score = max(score, BUDGET_WORD_SCORE)
        # the most the reader would pay wins among equally good readings ("$30 or ... $40")
        if best is None or (score, value) > (best[0], best[2]):
            best = (score, m, value, cur)
    if best is not None and best[0] >= 0:
        _, m, value, cur = best
        u.budget_usd = round(value * rates[cur], 2)
        u.budget_original = m.group(0).strip().rstrip(".,;:!?")
        u.add("budget_usd", u.budget_usd, m)
    elif bare is not None and _amount(bare.group(1).replace(",", ""), "USD", bare.group(2)) >= 10:
        u.budget_usd = _amount(bare.group(1).replace(",", ""), "USD", bare.group(2))
        u.budget_original = bare.group(0).strip().rstrip(".,;:!?")
        u.add("budget_usd", u.budget_usd, bare)
    else:
        _word_budget(u, rates)


def budget_unlimited(u: Understood) -> bool:
    """No limit on what to spend said ("money is no object", "budget doesn't matter"): a budget
    answered, not one to ask for (``no_budget_limit`` in ask.yaml)."""
    return u.budget_usd is None and bool(re.search(vocab()["no_budget_limit"], u.text, re.I))
