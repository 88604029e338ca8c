"""Terms a question asks about ("what is impedance?", "noise-isolating vs noise-cancelling?"),
explained in plain words from ``advice/data/terms.yaml`` (each with its source and how earwise
computes with it)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from earwise.core.yamlio import load_yaml

DATA = Path(__file__).parent / "data" / "terms.yaml"


@dataclass(frozen=True)
class Term:
    term: str
    match: re.Pattern
    means: str
    numbers: str | None
    source: str


@cache
def terms() -> tuple[Term, ...]:
    data = load_yaml(DATA.read_text(encoding="utf-8"))
    return tuple(
        Term(t["term"], re.compile(t["match"], re.I), t["means"], t.get("numbers"), t["source"])
        for t in data["terms"]
    )


def terms_in(text: str, limit: int = 3, asked: str = "") -> list[dict]:
    """The terms a text names (at most ``limit``): those in the sentences that ask (``asked``)
    first, then the rest, each group in the order they first appear."""
    found = sorted(  # two terms found at one place: the file's order (never compares terms)
        (not (asked and t.match.search(asked)), m.start(), i, t)
        for i, t in enumerate(terms())
        if (m := t.match.search(text))
    )
    return [
        {"term": t.term, "means": t.means, "numbers": t.numbers, "source": t.source}
        for *_, t in found[:limit]
    ]
