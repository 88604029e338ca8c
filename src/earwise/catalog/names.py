"""Matching a typed product name to one catalog record, and never silently to another one.

Order (first hit wins):

1. ``exact``: the name normalises (:func:`~earwise.catalog.queries.normalise_name`) to a
   product's id, model or "brand model";
2. ``alias``: it normalises to an alias, or to a brand (or a brand's short form used in the
   aliases, such as "Senn" or "B&W") followed by a model or alias: "Apple AirPods Pro 2";
3. ``near``: a token match that is *variant-safe*. Names are cut into tokens at spaces,
   punctuation and letter/digit boundaries ("Px8 S2" -> px 8 s 2; "MkII" -> mk 2; "2nd" -> 2).
   Every token of the query must be one of the candidate's (its brand may stand in, and
   descriptive words such as "headphones", "wireless" or "open back" may be left over);
   the candidate may carry no extra token that changes the model (a number or any other word
   but a few descriptive ones). So "DT 770" never reaches "DT 1770", "Px8 S2" never "Px7 S2",
   "Aria 2" never "Aria" and "Bathys MG" never "Bathys". Extra tokens are allowed only in a
   suffix: a parenthesis, a launch year or "for Xbox" ("BlackShark V2 Pro (2023)"); when
   several such variants fit, the single current one is chosen and the note names the others;
   when a numbered sibling also fits ("AirPods" -> "AirPods 4") nothing is chosen.

Anything else raises :class:`UnknownProductError` with suggestions; two equally good
candidates raise it listing both. A near match carries a note saying what is shown.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from earwise.catalog.queries import id_reads_as_name, normalise_name
from earwise.core.errors import NotFoundError

MAX_NAME_CHARS = 200  # judgement: the longest catalog name is ~90 characters
FUZZY_SUGGEST = 60  # rapidfuzz WRatio from which a name is offered as a suggestion
TYPO_RATIO = 80  # rapidfuzz ratio at which an unknown word (5+ letters) reads as a known one


class UnknownProductError(NotFoundError):
    """A name that matches nothing (or several things); carries suggestions."""

    def __init__(
        self,
        name: str,
        suggestions: list[str],
        kind: str = "product",
        field: str = "name",
        ambiguous: bool = False,
    ) -> None:
        self.name, self.suggestions, self.ambiguous = name, suggestions, ambiguous
        hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        what = f"ambiguous {kind} {name!r} (several products fit)" if ambiguous else None
        super().__init__(f"{what or f'unknown {kind} {name!r}'}{hint}", field)


@dataclass(frozen=True)
class Match:
    """How a name was read: the product (``id``, ``kind`` 'headphone' or 'source'), how it
    matched ('exact', 'alias' or 'near'), the name as given and, for a near match, a sentence
    saying what is shown instead (None otherwise)."""

    id: str
    kind: str
    match: str
    query: str
    note: str | None = None


# Words that describe rather than name: a query may carry them although the product's name
# does not; a product's name may carry the first set although the query does not.
FILLER = frozenset({"headphone", "earbud", "earphone", "headset", "iem", "the", "and", "by", "with",
                    "for", "wireless", "wired", "gaming", "jack", "adapter"})  # fmt: skip
SOFT = FILLER | {"open", "closed", "back", "over", "on", "in", "ear", "noise", "cancelling",
                 "canceling", "bluetooth", "true", "studio", "monitor", "new", "my", "pair", "of",
                 "a", "an", "amp", "amplifier", "dac", "player", "jack", "adapter", "output",
                 "port"}  # fmt: skip
PLATFORMS = frozenset({"xbox", "playstation", "ps", "pc", "mac", "switch"})
_CANON = {"ii": "2", "iii": "3", "iv": "4", "first": "1", "second": "2", "third": "3",
          "fourth": "4", "generation": "gen", "mark": "mk", "mkii": "mk 2", "mkiii": "mk 3",
          "mkiv": "mk 4", "series": "s", "headphones": "headphone", "earbuds": "earbud",
          "earphones": "earphone", "iems": "iem", "headsets": "headset", "ohms": "ohm"}  # fmt: skip
_ORDINAL = {"st", "nd", "rd", "th"}
_RUN = re.compile(r"\d+(?:\.\d+)?|[a-z]+")
_SPLIT = re.compile(r"[^a-z0-9.]+")
_PAREN = re.compile(r"\(([^)]*)\)")
_OHM = re.compile(r"\b\d+\s*ohms?\b")  # an impedance version: "DT 770 PRO 80 Ohm"
_FOR = re.compile(r"\bfor\s+(\w+).*$")
_PLURAL = re.compile(r"\b(\d+)s\b\s*$")  # a trailing model number in the plural: "558s"


def _ascii(text: str) -> str:
    text = text.lower()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("+", " plus ").replace("&", " and ")


def _words(text: str) -> list[str]:
    """Canonical tokens of one stretch of text (no parentheses handling)."""
    out: list[str] = []
    for word in _SPLIT.split(text):
        for run in _RUN.findall(word):
            if run in _ORDINAL and out and out[-1].isdigit():
                continue
            if run[0].isdigit() and "." in run:
                run = run.rstrip("0").rstrip(".") or "0"
            out.extend(_CANON.get(run, run).split())
    return out


def _is_year(word: str) -> bool:
    return word.isdigit() and len(word) == 4 and 1990 <= int(word) <= 2035


@lru_cache(maxsize=16384)
def split_name(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(core tokens, suffix tokens): the suffix is what sits in parentheses, a standalone
    launch year, an impedance ("80 Ohm") and a trailing "for <platform>"."""
    text = _ascii(text)
    suffix_text = " ".join(_PAREN.findall(text))
    core_text = _PAREN.sub(" ", text)
    suffix_text += " " + " ".join(_OHM.findall(core_text))
    core_text = _OHM.sub(" ", core_text)
    m = _FOR.search(core_text)
    if m and m.group(1) in PLATFORMS | {"ps4", "ps5"}:
        suffix_text += " " + m.group(0)
        core_text = core_text[: m.start()]
    core_words = _SPLIT.split(core_text)
    suffix_text += " " + " ".join(w for w in core_words if _is_year(w))
    core = _words(" ".join(w for w in core_words if not _is_year(w)))
    suffix = _words(suffix_text)
    seen: dict[str, int] = {}  # a repeated token counts twice: "HD 25-2 II" is not "HD 25-II"
    out: list[str] = []
    for t in core + suffix:
        seen[t] = seen.get(t, 0) + 1
        out.append(t if seen[t] == 1 else f"{t}#{seen[t]}")
    return tuple(out[: len(core)]), tuple(out[len(core) :])


def tokens(text: str) -> list[str]:
    core, suffix = split_name(text)
    return [*core, *suffix]


def _variant_word(token: str) -> bool:
    """True when an extra token of this kind would name another model."""
    return token not in FILLER


@dataclass
class _Name:
    pid: str
    kind: str
    core: frozenset[str]
    suffix: frozenset[str]


@dataclass
class _Fit:
    """How one product's best name fits the query."""

    pid: str
    kind: str
    cls: int  # 0: clean, 1: only suffix extras, 2: extras that change the model
    key: tuple[int, int, int]  # (typos, soft query words missing, filler extras)
    extras: frozenset[str]


class NameIndex:
    """Every product name of a catalog view cut into tokens once; :meth:`match` reads a name."""

    def __init__(self, items: dict[str, tuple[str, object]], names: list[tuple[str, str, str]]):
        enabled = gc.isenabled()
        gc.disable()  # tens of thousands of small sets, no cycles: collections would double the time
        try:
            self._build(items, names)
        finally:
            if enabled:
                gc.enable()

    def _build(self, items: dict[str, tuple[str, object]], names: list[tuple[str, str, str]]):
        self.items = items  # id -> (kind, record)
        self.exact: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self.alias: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self.brand_of: dict[str, frozenset[str]] = {}
        self.names: list[_Name] = []
        self.labels: dict[str, str] = {}
        brandish: dict[str, set[str]] = defaultdict(set)
        for pid, (kind, x) in items.items():
            self.labels[pid] = x.display_name
            slug = [pid] if id_reads_as_name(x.model) else []  # ('cx-3-00' is no 'CX 300')
            for n in (*slug, x.model, f"{x.brand} {x.model}"):
                self.exact[normalise_name(n)].add((pid, kind))
            for a in x.aliases:
                self.alias[normalise_name(a)].add((pid, kind))
            model = tokens(x.model)
            for a in x.aliases:  # "Senn HD600": 'senn' is Sennheiser's short form
                t = tokens(a)
                if len(t) > len(model) and t[-len(model) :] == model:
                    brandish[x.brand] |= {w for w in t[: -len(model)] if len(w) > 1 and w.isalpha()}
        for n, pid, kind in names:  # names the store knows beyond the records (none today)
            if n not in self.exact or (pid, kind) not in self.exact[n]:
                self.alias[n].add((pid, kind))
        self.brand_keys: dict[str, set[str]] = defaultdict(set)  # normalised brand -> brands
        for pid, (kind, x) in items.items():
            own = set(tokens(x.brand)) | brandish[x.brand]
            self.brand_of[pid] = frozenset(own)
            for b in {x.brand, *brandish[x.brand]}:
                self.brand_keys[normalise_name(b)].add(x.brand)
            for text in (x.model, f"{x.brand} {x.model}", *x.aliases):
                core, suffix = split_name(text)
                self.names.append(_Name(pid, kind, frozenset(core), frozenset(suffix)))
        self.postings: dict[str, set[int]] = defaultdict(set)
        self.brand_postings: dict[str, set[int]] = defaultdict(set)
        for i, nm in enumerate(self.names):
            for t in nm.core | nm.suffix:
                self.postings[t].add(i)
            for t in self.brand_of[nm.pid]:
                self.brand_postings[t].add(i)
        self.vocab = [t for t in set(self.postings) | set(self.brand_postings) if t.isalpha()]
        # what suggestions are drawn from: "brand model" and model (aliases would be ten times
        # as many strings to score, for hardly better hints)
        self.display: dict[str | None, tuple[list[str], list[str]]] = {}
        for want in (None, "headphone", "source"):
            pairs = {n: pid for pid, (kind, x) in items.items() if want in (None, kind)
                     for n in (f"{x.brand} {x.model}", x.model)}  # fmt: skip
            self.display[want] = (list(pairs), list(pairs.values()))

    # -- the three steps -------------------------------------------------------------------

    def match(self, name: str, kind: str | None = None) -> Match:
        if len(name) > MAX_NAME_CHARS:  # never fuzzy-match huge input
            raise UnknownProductError(name[:40] + "...", [], kind or "product")
        as_id = name.strip().lower()
        if as_id in self.items and kind in (None, self.items[as_id][0]):
            return Match(as_id, self.items[as_id][0], "exact", name)  # an id always wins
        key = normalise_name(name)
        if not key:
            raise UnknownProductError(name, [], kind or "product")
        for tier, table in (("exact", self.exact), ("alias", self.alias)):
            hits = sorted(h for h in table.get(key, ()) if kind in (None, h[1]))
            if len(hits) == 1:
                return Match(hits[0][0], hits[0][1], tier, name)
            if hits:
                raise UnknownProductError(
                    name, self._labels(h[0] for h in hits), "name", ambiguous=True
                )
        hit = self._brand_and_name(key, kind)
        if hit is not None:
            return Match(hit[0], hit[1], "alias", name)
        try:
            return self._near(name, kind)
        except UnknownProductError as exc:
            plural = _PLURAL.search(name)
            if exc.ambiguous or plural is None:
                raise
            singular = name[: plural.start(1) + len(plural.group(1))] + name[plural.end() :]
            m = self._near(singular, kind)  # "Senn 558s": the plural of a model number
            note = f"read {plural.group(0).strip()!r} as the plural of {plural.group(1)!r}"
            return Match(m.id, m.kind, "near", name, f"{m.note or ''} ({note})".strip())

    def _brand_and_name(self, key: str, kind: str | None) -> tuple[str, str] | None:
        """'Apple' + 'AirPods Pro 2', 'Senn' + 'HD 600': a brand, then a name of its product."""
        found: set[tuple[str, str]] = set()
        for bkey, brands in self.brand_keys.items():
            if len(key) > len(bkey) and key.startswith(bkey):
                rest = key[len(bkey) :]
                for pid, k in self.exact.get(rest, set()) | self.alias.get(rest, set()):
                    if kind in (None, k) and self.items[pid][1].brand in brands:
                        found.add((pid, k))
        return found.pop() if len(found) == 1 else None

    def _query_tokens(self, name: str) -> list[str]:
        out: list[str] = []
        for t in tokens(name):  # "black shark" -> "blackshark" when only the latter is a word
            joined = out[-1] + t if out and out[-1].isalpha() and t.isalpha() else ""
            if joined in self.postings and not (out[-1] in self.postings and t in self.postings):
                out[-1] = joined
                continue
            out.append(t)
        return list(dict.fromkeys(out))

    def _typos(self, t: str) -> set[str]:
        if (
            not t.isalpha()
            or not 5 <= len(t) <= 30
            or t in self.postings
            or t in self.brand_postings
        ):
            return set()
        from rapidfuzz import fuzz, process  # only for near misses: kept off the start-up path

        hits = process.extract(t, self.vocab, scorer=fuzz.ratio, score_cutoff=TYPO_RATIO, limit=5)
        return {h[0] for h in hits if len(h[0]) >= 4}

    def _fits(self, q: list[str], kind: str | None) -> list[_Fit]:
        typos = {t: self._typos(t) for t in q}
        allowed: set[int] | None = None
        for t in q:  # every query word but the descriptive ones must be found
            if t in SOFT:
                continue
            ok = self.postings.get(t, set()) | self.brand_postings.get(t, set())
            for c in typos[t]:
                ok = ok | self.postings.get(c, set()) | self.brand_postings.get(c, set())
            allowed = ok if allowed is None else allowed & ok
        if allowed is None:  # only descriptive words: a product must use one of them
            allowed = set().union(*(self.postings.get(t, set()) for t in q))
        best: dict[str, _Fit] = {}
        for i in allowed:
            nm = self.names[i]
            if kind not in (None, nm.kind):
                continue
            brand = self.brand_of[nm.pid]
            words = nm.core | nm.suffix
            matched, typo_count, missing_soft = set(), 0, 0
            for t in q:
                if t in words:
                    matched.add(t)
                elif t in brand and not t[0].isdigit():  # numbers must be in the name
                    continue
                elif typos[t] & (words | brand):
                    matched |= typos[t] & words
                    typo_count += 1
                elif t in SOFT:
                    missing_soft += 1
                else:
                    break
            else:
                if not matched & nm.core:
                    continue  # the brand alone names nothing
                extras = nm.core - matched - brand
                changing = {e for e in extras if _variant_word(e)}
                suffix_extra = nm.suffix - matched
                cls = 2 if changing else (1 if suffix_extra else 0)
                fit = _Fit(nm.pid, nm.kind, cls, (typo_count, missing_soft, len(extras)),
                           frozenset(changing))  # fmt: skip
                old = best.get(nm.pid)
                if old is None or (fit.cls, fit.key) < (old.cls, old.key):
                    best[nm.pid] = fit
        return list(best.values())

    def _near(self, name: str, kind: str | None) -> Match:
        fits = self._fits(self._query_tokens(name), kind)
        clean = sorted((f for f in fits if f.cls == 0), key=lambda f: f.key)
        suffixed = sorted((f for f in fits if f.cls == 1), key=lambda f: f.key)
        others = sorted((f for f in fits if f.cls == 2), key=lambda f: (len(f.extras), f.key))
        # a sibling that differs by a number only ("AirPods" -> "AirPods 4", "Aria" -> "Aria 2")
        numbered = [
            f
            for f in others
            if all(e.split("#")[0].isdigit() or e in ("gen", "mk") for e in f.extras)
        ]
        what = kind or "product"
        if clean and not (numbered and clean[0].key[2]):  # the best may add only filler words
            top = [f for f in clean if f.key == clean[0].key]
            if len(top) > 1:
                raise UnknownProductError(
                    name, self._labels(f.pid for f in top), what, ambiguous=True
                )
            rest = [f.pid for f in clean[1:] + suffixed + others]
            return self._near_match(top[0], name, "", rest)
        pool = clean + suffixed
        if pool and not numbered:
            top = [f for f in pool if f.key[:2] == min(f.key[:2] for f in pool)]
            pick, why = self._variant(top)
            if pick is None:
                raise UnknownProductError(
                    name, self._labels(f.pid for f in top), what, ambiguous=True
                )
            return self._near_match(pick, name, why, [f.pid for f in top + others])
        if pool:
            pids = [f.pid for f in pool + numbered]
            raise UnknownProductError(name, self._labels(pids), what, ambiguous=True)
        raise UnknownProductError(name, self._suggest(name, [f.pid for f in others], kind), what)

    def _variant(self, fits: list[_Fit]) -> tuple[_Fit | None, str]:
        """One of several variants of a name ("BlackShark V2 Pro (2020)", "... (2023)"): the
        only one, else the only current one, else the newest current one; None when unclear."""
        if len(fits) == 1:
            return fits[0], ""
        rec = {f.pid: self.items[f.pid][1] for f in fits}
        replaced = {getattr(x, "successor", None) and p for p, x in rec.items()}
        live = [f for f in fits if not rec[f.pid].discontinued and f.pid not in replaced]
        if len(live) == 1:
            return live[0], ", the current variant"
        years = sorted((rec[f.pid].year or 0 for f in live), reverse=True)
        if len(years) > 1 and years[0] > years[1]:
            return next(
                f for f in live if (rec[f.pid].year or 0) == years[0]
            ), ", the newest variant"
        return None, ""

    # -- wording ---------------------------------------------------------------------------

    def _near_match(self, fit: _Fit, name: str, why: str, rest: list[str]) -> Match:
        note = f"showing the {self.labels[fit.pid]} for {name!r} (near match{why})"
        alts = self._labels(p for p in rest if p != fit.pid)
        if alts:
            note += f"; did you mean {', '.join(f'the {a}' for a in alts)}?"
        return Match(fit.pid, fit.kind, "near", name, note)

    def _labels(self, pids, limit: int = 6) -> list[str]:
        return list(dict.fromkeys(self.labels[p] for p in pids))[:limit]

    def _suggest(self, name: str, first: list[str], kind: str | None) -> list[str]:
        strings, pids = self.display.get(kind, self.display[None])
        from rapidfuzz import fuzz, process  # only for near misses: kept off the start-up path

        hits = process.extract(name[:64], strings, scorer=fuzz.WRatio, limit=8,
                               score_cutoff=FUZZY_SUGGEST)  # fmt: skip
        fuzzy = [pids[h[2]] for h in hits]
        return self._labels([*first[:4], *fuzzy], limit=4)
