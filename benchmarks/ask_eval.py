"""Ask evaluation (issue 13): how well `earwise ask` reads real questions, field by field.

The labelled set is ``tests/data/questions/{tuning,heldout}.yaml``: real public posts (URL, verbatim
text) with their intent, genres, budget, named products and roles, platforms, uses, constraints,
leanings and what an adviser would have to ask. The halves are split by source page; nothing in
earwise's vocabularies or rules may be added because of a held-out question.
``tests/data/questions/precision.yaml`` holds texts that must NOT produce a given fact (a price
quoted for someone else's product, "classic rock" for classical, model numbers inside other
words, a brand in passing).

For each half it prints per-field precision, recall and F1 (a set of predicted items against the
labelled set, summed over questions), budget accuracy, product-role accuracy and the intent
confusion matrix; then the precision cases.

Run: ``.venv/bin/python benchmarks/ask_eval.py [--half tuning|heldout|both|real] [--verbose]``
(``--half real``: products and budgets on the labelled real posts of ``real_probes.yaml``)
(``--verbose`` lists each question's misses for the tuning half only: nothing may be tuned on the
held-out half, so it reports aggregates).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from earwise.advice.ask import understand
from earwise.advice.ask_match import canon, maker_keys
from earwise.advice.ask_model import CLASS_OF, CLASSES
from earwise.advice.ask_text import vocab
from earwise.catalog.names import UnknownProductError
from earwise.catalog.queries import normalise_name
from earwise.service.app import Earwise
from earwise.service.settings import Settings

QUESTIONS = Path(__file__).resolve().parent.parent / "tests" / "data" / "questions"
# earwise's own intents -> the labels of the set (advice.ask_model, which the intent model is
# fitted in). Questions about one named product's fitness ("is X any good on Xbox?", "how is X
# for rock?") weigh it against a need, as a comparison does.
INTENTS = CLASSES
INTENT_LABEL = CLASS_OF
# earwise's place names -> the labels (the set says "office" for either office, "running" and
# "gym" are one place to earwise).
USE_LABEL = {"shared-office": "office", "private-office": "office", "gym": "gym"}
LABEL_USE = {"running": "gym", "office": "office"}
FLAG_LABEL = {
    "no_leak": "no_leak", "anc": "anc", "wireless": "wireless", "wired": "wired", "mic": "mic",
    "form_in_ear": "form_in_ear", "form_over_ear": "form_over_ear", "form_on_ear": "form_on_ear",
    "no_earbuds": "no_earbuds", "back_open": "open_back", "back_closed": "closed_back",
    "volume_limited": "volume_limited", "durable": "durable", "compact": "compact",
    "glasses": "glasses", "head_small": "head_small", "head_large": "head_large",
    "long_sessions": "long_sessions", "low_latency": "low_latency",
    "treble_sensitive": "treble_sensitive",
}  # fmt: skip
LEANING_LABEL = {
    "bass_more": "bass", "bass_less": "bass", "tonality_neutral": "neutral",
    "tonality_warm": "warm", "tonality_bright": "bright", "slightly_bright": "bright",
    "soundstage": "soundstage", "detail": "detail", "vocals": "vocals",
}  # fmt: skip
SET_FIELDS = ("genres", "uses", "platforms", "constraints", "leanings", "missing")


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: set, expected: set) -> None:
        self.tp += len(predicted & expected)
        self.fp += len(predicted - expected)
        self.fn += len(expected - predicted)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        return (
            2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
        )


@dataclass
class Result:
    fields: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    confusion: Counter = field(default_factory=Counter)
    intents_right: int = 0
    budgets_right: int = 0
    budgets_labelled: int = 0
    budgets_predicted: int = 0
    roles_right: int = 0
    roles_seen: int = 0
    n: int = 0
    misses: list[str] = field(default_factory=list)
    # products missed and read falsely, by kind (aggregates: which capability is lacking)
    product_misses: Counter = field(default_factory=Counter)


REAL_POSTS = QUESTIONS.parent / "real_probes.yaml"


def load(half: str) -> list[dict]:
    if half == "real":
        return load_real()
    data = yaml.safe_load((QUESTIONS / f"{half}.yaml").read_text(encoding="utf-8")) or {}
    return data.get("questions", [])


def load_real() -> list[dict]:
    """The real posts of ``tests/data/real_probes.yaml`` (the intent model's training posts) as
    questions labelled with their products and budget only: a wider check of those two fields,
    in two halves by position (``r-a`` even, ``r-b`` odd: rules are chosen on the first)."""
    posts = yaml.load(REAL_POSTS.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)["questions"]
    empty = {
        "genres": {},
        "platforms": [],
        "uses": [],
        "constraints": [],
        "leanings": [],
        "missing": [],
    }
    return [
        {"id": f"r-{'ab'[i % 2]}{i:03d}", "text": p["text"], "labels": {
            "intent": CLASS_OF.get(p["intent"][0], p["intent"][0]), "budget": p.get("budget"),
            "products": p.get("products") or [], **empty}}
        for i, p in enumerate(posts) if "products" in p
    ]  # fmt: skip


def _usd(budget: dict | None) -> float | None:
    if not budget or budget.get("max") is None:
        return None
    rates = vocab()["currency"]["usd_per_unit"]
    rate = rates.get(str(budget.get("currency") or "USD").upper())
    return None if rate is None else float(budget["max"]) * rate


def predicted_labels(u, view) -> dict[str, set]:
    """What earwise read, in the set's label names."""
    from earwise.advice.ask import missing_for

    flags = set(u.flags)
    return {
        "genres": set(u.genres) - {"general"},  # the unnamed rest of the shares, not a genre
        "uses": {USE_LABEL.get(x, x) for x in u.uses},
        "platforms": set(u.platforms),
        "constraints": {FLAG_LABEL[f] for f in flags if f in FLAG_LABEL},
        "leanings": {LEANING_LABEL[f] for f in flags if f in LEANING_LABEL},
        "missing": {m["field"] for m in missing_for(u)},
    }


def expected_labels(labels: dict) -> dict[str, set]:
    return {
        "genres": set(labels.get("genres") or {}),
        "uses": {LABEL_USE.get(x, x) for x in labels.get("uses") or []},
        "platforms": set(labels.get("platforms") or []),
        "constraints": set(labels.get("constraints") or []),
        "leanings": set(labels.get("leanings") or []),
        "missing": set(labels.get("missing") or []),
    }


def _label_product_id(view, name: str) -> str | None:
    """A labelled product's catalog id when the name is an exact name or alias (no near match)."""
    try:
        m = view.match(name)
    except UnknownProductError:
        return None
    return m.id if m.match != "near" else None


def _words(name: str) -> set[str]:
    return {canon(normalise_name(w)) for w in re.findall(r"[\w+]+", name)} - {""}


def _same_words(said: str, label: str) -> bool:
    """Gear the catalog lacks, named back as the reader wrote it, is the labelled gear when one
    name's words are all in the other and they share a model code ("Sennheiser 58X Jubilee" is
    the labelled "Sennheiser HD 58X Jubilee")."""
    a, b = _words(said), _words(label)
    shared = a & b
    return bool(shared) and (a <= b or b <= a) and any(any(c.isdigit() for c in w) for w in shared)


def _near(g: dict, gkey: str, w: dict, wkey: str) -> bool:
    return bool(gkey and (gkey in wkey or wkey in gkey)) or (
        g["id"] is None and _same_words(g["span"], w["name"])
    )


def _miss_kind(view, name: str, text: str) -> str:
    """What kind of name was missed: one the catalog holds, one of a maker it knows, a name written
    in the post word for word or only described ("the miniwatt tube amp")."""
    if _label_product_id(view, name):
        return "missed: a catalog name"
    first = normalise_name(name.split()[0]) if name.split() else ""
    if first in maker_keys(view):
        return "missed: a known maker's gear"
    verbatim = name.lower() in text.lower()
    return "missed: other gear, " + ("as written" if verbatim else "described")


def score_products(u, labels: dict, view, res: Result) -> list[str]:
    """Products: a predicted catalog product is right when a labelled name resolves to it or
    the labelled name contains its span; unknown gear the reader named counts when earwise names
    it back ("I don't know X"), and so does a name it cannot settle and asks about ("Which XM4
    do you mean?"): right when the post named that product, a false product when it did not."""
    want = labels.get("products") or []
    got = list(u.products) + [
        {"id": None, "span": g["name"], "role": g.get("role")}
        for g in u.unknown + u.devices + u.ambiguous  # a name it cannot settle is named back
    ]
    used: set[int] = set()
    notes = []
    found: dict[int, int] = {}  # labelled index -> predicted index
    # an exact name first, then a name inside the other, then the same words: a label is never
    # left without its own match because a longer name took it first
    for strict in (True, False):
        for j, w in enumerate(want):
            if j in found:
                continue
            wid = _label_product_id(view, w["name"])
            wkey = canon(normalise_name(w["name"]))
            for i, g in enumerate(got):
                if i in used:
                    continue
                gkey = canon(normalise_name(g["span"]))
                same = (wid and g["id"] == wid) or gkey == wkey
                if same or (not strict and _near(g, gkey, w, wkey)):
                    found[j] = i
                    used.add(i)
                    break
    for j, w in enumerate(want):
        if j not in found:
            res.fields["products"].fn += 1
            res.product_misses[_miss_kind(view, w["name"], u.text)] += 1
            notes.append(f"missed product {w['name']!r}")
            continue
        res.fields["products"].tp += 1
        res.roles_seen += 1
        res.roles_right += got[found[j]].get("role") == w.get("role")
    for i, g in enumerate(got):
        if i not in used:
            res.fields["products"].fp += 1
            res.product_misses["false: " + ("catalog" if g["id"] else "other")] += 1
            notes.append(f"extra product {g['span']!r} ({g['id']})")
    return notes


def evaluate(app: Earwise, questions: list[dict]) -> Result:
    view = app.view()
    res = Result()
    for q in questions:
        labels = q["labels"]
        u = understand(q["text"], view)
        res.n += 1
        got_intent = INTENT_LABEL.get(u.intent, u.intent)
        res.confusion[(labels["intent"], got_intent)] += 1
        res.intents_right += got_intent == labels["intent"]
        notes = [] if got_intent == labels["intent"] else [f"intent {got_intent}"]
        pred, exp = predicted_labels(u, view), expected_labels(labels)
        for f in SET_FIELDS:
            res.fields[f].add(pred[f], exp[f])
            if pred[f] != exp[f]:
                notes.append(f"{f}: got {sorted(pred[f])} want {sorted(exp[f])}")
        want_usd = _usd(labels.get("budget"))
        res.budgets_labelled += want_usd is not None
        res.budgets_predicted += u.budget_usd is not None
        ok = (
            want_usd is not None
            and u.budget_usd is not None
            and abs(u.budget_usd - want_usd) <= 0.02 * want_usd
        )
        res.budgets_right += ok
        if (want_usd is None) != (u.budget_usd is None) or (want_usd and not ok):
            notes.append(f"budget: got {u.budget_usd} want {want_usd}")
        notes += score_products(u, labels, view, res)
        if notes:
            res.misses.append(f"{q['id']} [{labels['intent']}]: " + "; ".join(notes))
    return res


def _pct(x: float | None) -> str:
    return "   -" if x is None else f"{100 * x:3.0f}%"


def report(res: Result, label: str) -> None:
    print(f"\n== {label}: {res.n} questions ==")
    print(f"intent accuracy {_pct(res.intents_right / res.n if res.n else None)}")
    bp = res.budgets_right / res.budgets_predicted if res.budgets_predicted else None
    br = res.budgets_right / res.budgets_labelled if res.budgets_labelled else None
    print(f"budget: precision {_pct(bp)} recall {_pct(br)} "
          f"({res.budgets_right} right, {res.budgets_predicted} read, {res.budgets_labelled} labelled)")  # fmt: skip
    print(f"{'field':12s} {'P':>5s} {'R':>5s} {'F1':>5s}   tp  fp  fn")
    for f in ("products", *SET_FIELDS):
        t = res.fields[f]
        print(f"{f:12s} {_pct(t.precision):>5s} {_pct(t.recall):>5s} {_pct(t.f1):>5s}  "
              f"{t.tp:3d} {t.fp:3d} {t.fn:3d}")  # fmt: skip
    if res.roles_seen:
        print(f"product roles right: {res.roles_right}/{res.roles_seen}")
    if res.product_misses:
        print("products missed or false, by kind: " + ", ".join(
            f"{k} {n}" for k, n in sorted(res.product_misses.items())))  # fmt: skip
    print("intent confusion (rows: labelled, columns: read)")
    print(" " * 13 + " ".join(f"{i[:7]:>7s}" for i in INTENTS))
    for want in INTENTS:
        row = [res.confusion[(want, got)] for got in INTENTS]
        if any(row):
            print(f"{want:12s} " + " ".join(f"{n:7d}" for n in row))


def precision_cases(app: Earwise) -> tuple[int, int, list[str]]:
    """Texts that must not produce a fact: (passed, total, failures)."""
    path = QUESTIONS / "precision.yaml"
    if not path.exists():
        return 0, 0, []
    view = app.view()
    cases = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("cases", [])
    fails = []
    for c in cases:
        u = understand(c["text"], view)
        bad = []
        never = c.get("never", {})
        if "genres" in never and set(never["genres"]) & set(u.genres):
            bad.append(f"genres {sorted(set(never['genres']) & set(u.genres))}")
        if never.get("budget") and u.budget_usd is not None:
            bad.append(f"budget {u.budget_usd}")
        ids = {p["id"] for p in u.products}
        if "products" in never and set(never["products"]) & ids:
            bad.append(f"products {sorted(set(never['products']) & ids)}")
        if "brands_only" in never and u.products:
            bad.append(f"products {sorted(ids)}")
        if "platforms" in never and set(never["platforms"]) & set(u.platforms):
            bad.append(f"platforms {sorted(set(never['platforms']) & set(u.platforms))}")
        if never.get("devices") and u.devices:
            bad.append(f"devices {[d['name'] for d in u.devices]}")
        if never.get("unknown") and u.unknown:
            bad.append(f"unknown {[g['name'] for g in u.unknown]}")
        if never.get("ambiguous") and u.ambiguous:
            bad.append(f"ambiguous {[a['name'] for a in u.ambiguous]}")
        if bad:
            fails.append(f"{c['id']}: {'; '.join(bad)} <- {c['text'][:70]!r}")
    return len(cases) - len(fails), len(cases), fails


def report_real(app: Earwise, verbose: bool) -> int:
    """Products and budgets on the real posts, each half (their intents are fitted to: not shown)."""
    qs = load_real()
    for half in ("a", "b"):
        res = evaluate(app, [q for q in qs if q["id"].startswith(f"r-{half}")])
        t = res.fields["products"]
        print(f"\n== real posts, half {half}: {res.n} posts (products and budgets only) ==")
        print(f"products: precision {_pct(t.precision)} recall {_pct(t.recall)} "
              f"(tp {t.tp}, fp {t.fp}, fn {t.fn}); roles right {res.roles_right}/{res.roles_seen}")  # fmt: skip
        print(f"budget: {res.budgets_right} right, {res.budgets_predicted} read, "
              f"{res.budgets_labelled} labelled")  # fmt: skip
        print("products missed or false, by kind: " + ", ".join(
            f"{k} {n}" for k, n in sorted(res.product_misses.items())))  # fmt: skip
        if verbose:
            print("\n".join("  " + m for m in res.misses if "product" in m or "budget" in m))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--half", choices=["tuning", "heldout", "both", "real"], default="both")
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args(argv)
    app = Earwise(Settings.from_env())
    if args.half == "real":
        return report_real(app, args.verbose)
    for half in ("tuning", "heldout"):
        if args.half in (half, "both"):
            res = evaluate(app, load(half))
            report(res, half)
            if args.verbose and half == "tuning":
                print("\n".join("  " + m for m in res.misses))
            elif args.verbose:  # what the held-out half holds is never read one question at a time
                print("  (per-question notes are shown for the tuning half only)")
    ok, total, fails = precision_cases(app)
    if total:
        print(f"\nprecision cases: {ok}/{total} produce no wrong fact")
        for f in fails:
            print("  " + f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
