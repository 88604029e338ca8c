"""Matching names that are written differently from the catalog's: in another word order ("Galaxy
Buds Pro 2" for the Galaxy Buds2 Pro), and the check that a near miss never changes a model code's
letters; a catalog model said by its brand and number. Used by :mod:`earwise.advice.ask_products`.
"""

from __future__ import annotations

import re
from functools import cache

from earwise.advice.ask_text import Understood, common_words, vocab
from earwise.catalog.makers import listed_makers
from earwise.catalog.store import normalise_name
from earwise.catalog.view import CatalogView

_NUMBERS = re.compile(r"\d+")


def normalised_with_map(text: str) -> tuple[str, list[int]]:
    """The text normalised as catalog names are (normalise_name: '+' read as 'plus'), with the
    position in the text of every character kept."""
    chars, where = [], []
    for i, ch in enumerate(text.lower()):
        if ch.isalnum():
            chars.append(ch)
            where.append(i)
        elif ch == "+" and i and text[i - 1].isalnum():  # "Magni 3+", "DX3 Pro+": a name's plus
            chars.extend("plus")
            where.extend([i] * 4)
    return "".join(chars), where


_ROMAN = (
    ("mkiii", "mk3"),
    ("mkii", "mk2"),
    ("markiii", "mk3"),
    ("markii", "mk2"),
    ("mark2", "mk2"),
)


def canon(name: str) -> str:
    """A normalised name with its generation marker in one spelling ("mkii" = "mk2")."""
    for a, b in _ROMAN:
        name = name.replace(a, b)
    return name


def _tokens(name: str) -> tuple[str, ...]:
    return tuple(sorted(re.findall(r"[a-z]+|\d+", name.lower())))


def _token_sets(view: CatalogView) -> dict[tuple[str, ...], tuple[str, str]]:
    """{sorted words and numbers: (id, kind)} of the catalog's names of three or more tokens with
    a number, when one product has them, once per view: a name said in another order ("Galaxy
    Buds Pro 2" for the Galaxy Buds2 Pro) is still that product."""
    got = view.cache.get("ask_token_sets")
    if got is None:
        seen: dict[tuple[str, ...], set[tuple[str, str]]] = {}
        for pid, item in view.headphones.items():
            for name in (f"{item.brand} {item.model}", item.model):
                t = _tokens(name)
                if len(t) >= 3 and any(x.isdigit() for x in t):
                    seen.setdefault(t, set()).add((pid, "headphone"))
        got = view.cache["ask_token_sets"] = {
            t: next(iter(v)) for t, v in seen.items() if len(v) == 1
        }
    return got


_CLAUSE_MARK = re.compile(r"[,;:!?\n\[\]]|\.\.\.|…")  # a line break, "[...]" too
_SENTENCE_END = re.compile(r"\.\s")


def crosses_a_break(text: str, words: list, i: int, size: int) -> bool:
    """Whether the window of ``size`` words from ``words[i]`` spans a clause or sentence break
    (a comma, colon, "?" or a full stop after a word; "Dr. Dre" keeps its abbreviation): no
    name runs on over one ("30% rock. I have" is not the RockIt Sounds R30)."""
    for k in range(i, i + size - 1):
        gap = text[words[k].end() : words[k + 1].start()]
        if _CLAUSE_MARK.search(gap):
            return True
        if _SENTENCE_END.search(gap) and len(words[k].group(0)) > 3:
            return True
    return False


def reordered(text: str, words: list, view: CatalogView) -> list[tuple[int, int, str, str]]:
    """(start, end, id, kind) for capitalised word windows that hold a catalog name's words in
    another order."""
    sets = _token_sets(view)
    out = []
    for size in (5, 4, 3):
        for i in range(len(words) - size + 1):
            a, b = words[i].start(), words[i + size - 1].end()
            if crosses_a_break(text, words, i, size):
                continue
            hit = sets.get(_tokens(text[a:b]))
            if hit and text[a].isupper():
                out.append((a, b, *hit))
    return out


def _code_words(view: CatalogView) -> dict[str, tuple[str, str, set[str]]]:
    """{model code word (letters and digits, "q30"): (id, kind, the words that may come before it
    with words left out between)} for codes only one catalog headphone's name holds and ends
    with, once per view."""
    got = view.cache.get("ask_code_words")
    if got is None:
        seen: dict[str, set[str]] = {}
        words: dict[str, set[str]] = {}
        for pid, h in view.headphones.items():
            said = [w.lower() for w in re.findall(r"[A-Za-z0-9]+", f"{h.brand} {h.model}")]
            words[pid] = set(said[:-2])  # a word before the last but one: words left out between
            for w in said:
                if re.search(r"[a-z]", w) and re.search(r"\d", w) and len(w) >= 3:
                    seen.setdefault(w, set()).add(pid)
            if said and not (re.search(r"[a-z]", said[-1]) and re.search(r"\d", said[-1])):
                words[pid] = set()  # the code must end the name ("AKG K240 Studio" goes on)
        got = view.cache["ask_code_words"] = {
            w: (next(iter(ids)), "headphone", words[next(iter(ids))])
            for w, ids in seen.items()
            if len(ids) == 1
        }
    return got


def by_code_word(text: str, words: list, view: CatalogView) -> list[tuple[int, int, str, str]]:
    """(start, end, id, kind) for a capitalised word of a catalog name followed by a model code
    only that name holds, the words between left out ("Soundcore Q30" for the Anker Soundcore
    Life Q30)."""
    codes = _code_words(view)
    out = []
    for i in range(len(words) - 1):
        first, code = words[i].group(0), words[i + 1].group(0).lower()
        hit = codes.get(code)
        if (
            hit
            and first[0].isupper()
            and first.lower() in hit[2]
            and not crosses_a_break(text, words, i, 2)
        ):
            out.append((words[i].start(), words[i + 1].end(), hit[0], hit[1]))
    return out


def beside_digits(name: str, plural: bool = True) -> list[tuple[str, str]]:
    """The letter before and after each run of digits ("fiiok3" -> [("k", "")]): a near miss may
    fix a brand's spelling, never the letters of a model code. A final plural "s" is dropped
    from what was written (``plural``), never from a catalog name: the M11S is not an M11."""
    if plural:
        name = re.sub(r"(?<=\d)s$", "", name)
    return [
        (name[m.start() - 1 : m.start()], name[m.end() : m.end() + 1])
        for m in _NUMBERS.finditer(name)
    ]


def by_brand_and_number(view: CatalogView, brand: str, tokens: list[str]) -> list[str]:
    """The brand's catalog headphones whose model code has this number, when the name is a brand
    and one number ("Sennheiser 650" -> HD 650, "Grado 80e" -> SR80e; "AKG 701" -> K701 and
    Q701, to be asked about). Letters before the number are the series, left out in speech; the
    number and any letter after it must match exactly."""
    if len(tokens) != 1:
        return []
    number = re.sub(r"(?<=\d)(?:'s|s)$", "", tokens[0].lower())
    if not re.fullmatch(r"\d{2,4}[a-z]?", number):
        return []
    models = _models_by_brand(view).get(normalise_name(maker(brand)), [])
    return sorted(
        pid
        for _key, pid, model in models
        if any(re.sub(r"^[a-z]{1,4}", "", t.lower()) == number for t in re.split(r"[\s-]+", model))
    )


def by_brand_and_prefix(view: CatalogView, brand: str, tokens: list[str]) -> list[str]:
    """The brand's catalog headphones whose model's name starts with a code that goes on, when
    the name is a brand and such a code ("Etymotic ER4" -> ER4S, ER4SR, ER4XR ...: which one is
    asked), never across a number (an "ER4" never starts an "ER45")."""
    key = normalise_name("".join(tokens))
    if not key or not any(c.isdigit() for c in key):
        return []
    models = _models_by_brand(view).get(normalise_name(maker(brand)), [])
    return sorted(
        pid
        for model, pid, _model in models
        if len(model) > len(key)
        and model.startswith(key)
        and not (key[-1].isdigit() and model[len(key)].isdigit())
    )


def starts_a_model(view: CatalogView, brand: str, words: str) -> bool:
    """Whether words after a maker's name start one of its catalog models' names ("bose qc ultra
    headphones" starts the QC Ultra Headphones; "sony noise cancelling headphones" starts none)."""
    key = normalise_name(words)
    models = _models_by_brand(view).get(normalise_name(maker(brand)), [])
    return bool(key) and any(
        normalise_name(name).startswith(key)
        for _key, pid, model in models
        for name in (model, *view.headphones[pid].aliases)
    )


def _models_by_brand(view: CatalogView) -> dict[str, list[tuple[str, str, str]]]:
    """{normalised brand: [(normalised model, id, model)]} of the catalog's headphones, once per
    view."""
    got = view.cache.get("ask_models_by_brand")
    if got is None:
        got = {}
        for h in view.headphones.values():
            key = normalise_name(h.brand)
            got.setdefault(key, []).append((normalise_name(h.model), h.id, h.model))
        view.cache["ask_models_by_brand"] = got
    return got


@cache
def _aliases() -> dict[str, str]:
    return {normalise_name(k): v for k, v in vocab()["brand_aliases"].items()}


def maker(said: str) -> str:
    """The maker a brand as written stands for: ``brand_aliases`` in ask.yaml ("Phillips" ->
    Philips, "Senn" -> Sennheiser, "Altec" -> Altec Lansing), else the words as written."""
    return _aliases().get(normalise_name(said), said)


def catalog_makers(view: CatalogView) -> dict[str, str]:
    """{normalised maker: the catalog's spelling}, built once per view."""
    by_key = view.cache.get("ask_catalog_makers")
    if by_key is None:
        by_key = view.cache["ask_catalog_makers"] = {
            normalise_name(b): b for b in view.brand_names()
        }
    return by_key


def maker_keys(view: CatalogView) -> set[str]:
    """Every maker as it may be written, normalised: the catalog's and ``brand_aliases``."""
    keys = view.cache.get("ask_maker_keys")
    if keys is None:
        keys = view.cache["ask_maker_keys"] = set(catalog_makers(view)) | set(_aliases())
    return keys


def catalog_maker(view: CatalogView, said: str) -> str | None:
    """The catalog's spelling of a maker as written ("sony", "Senn", "Phillips"), or None when
    the catalog has no headphones or gear by it."""
    return catalog_makers(view).get(normalise_name(maker(said)))


def headphone_makers(view: CatalogView) -> dict[str, str]:
    """{normalised maker: the catalog's spelling} for makers with headphones in the catalog."""
    by_key = view.cache.get("ask_headphone_makers")
    if by_key is None:
        names = {view.brand_of(pid) for pid in view.headphones}
        by_key = view.cache["ask_headphone_makers"] = {normalise_name(b): b for b in names}
    return by_key


def read_makers(u: Understood, view: CatalogView) -> None:
    """Headphone makers written as names ("why do audiophiles hate Beats?"): the text is about
    headphones even when it names no model. Only a capitalised word or two (a plain "beats" or
    "monster" is a word)."""
    makers = headphone_makers(view)
    for m in re.finditer(r"\b(?=([A-Z][\w&'-]*(?: [A-Z][\w&'-]*)?))", u.text):
        for said in (m.group(1), m.group(1).split()[0]):  # "Audio Technica", "Sony"
            said = said.removesuffix("'s")
            brand = makers.get(normalise_name(maker(said))) or (  # "my Grados": its headphones
                len(said) > 4 and makers.get(normalise_name(maker(said.removesuffix("s"))))
            )
            if brand and brand not in u.makers:
                u.makers.append(brand)
                break
    for m in re.finditer(r"\b[a-z][a-z&'-]{3,}\b", u.text):  # "grado sound but less fatiguing?"
        said = m.group(0).removesuffix("'s")
        brand = makers.get(normalise_name(maker(said)))
        if brand and not _a_word(said):
            u.maker_spans.append((m.start(), m.end()))
            if brand not in u.makers:
                u.makers.append(brand)


def _a_word(said: str) -> bool:
    """A maker's name that is also a word ("beats", "monster", "focal", ``maker_words`` in
    ask.yaml): in lower case it is that word."""
    word = said.lower()
    return word in common_words() or word in vocab()["maker_words"]


def maker_keys_by_length(view: CatalogView) -> dict[int, list[str]]:
    """:func:`maker_keys` grouped by length, once per view (a near miss of a maker's name is one
    letter longer or shorter at most)."""
    got = view.cache.get("ask_maker_keys_by_length")
    if got is None:
        got = view.cache["ask_maker_keys_by_length"] = {}
        for b in maker_keys(view):
            got.setdefault(len(b), []).append(b)
    return got


def brand_alternation(view: CatalogView) -> str:
    """Every catalog brand (three letters or more, or two written in capitals: "HP", "LG"),
    every maker in ``gear_makers``, every spelling in ``brand_aliases`` and every maker OPRA
    lists (:func:`listed_makers`), longest first, as one regex alternation, built once per view
    (kept in the view's cache)."""
    got = view.cache.get("askbrand_alternation")
    if got is None:
        names = [
            b
            for b in {
                *view.brand_names(),
                *vocab()["gear_makers"],
                *vocab()["brand_aliases"],
                *listed_makers().values(),
            }
            if len(normalise_name(b)) >= 3
        ]
        names.sort(key=lambda b: (-len(b), b))
        capitals = sorted(  # two-letter makers ("HP", "LG") only as written, in capitals
            b for b in {*view.brand_names(), *vocab()["gear_makers"], *vocab()["brand_aliases"]}
            if len(normalise_name(b)) == 2 and b.isupper()
        )  # fmt: skip
        got = "|".join([re.escape(b) for b in names] + [f"(?-i:{re.escape(b)})" for b in capitals])
        view.cache["askbrand_alternation"] = got
    return got


def brand_pattern(view: CatalogView) -> re.Pattern:
    """The brands as one whole-word pattern (group 1), once per view."""
    pattern = view.cache.get("askbrand_pattern")
    if pattern is None:
        pattern = view.cache["askbrand_pattern"] = re.compile(
            r"\b(" + brand_alternation(view) + r")\b", re.I
        )
    return pattern
