"""How headphones connect to the sources a question names ("my PS5 controller", "a TV with only
optical out"), from the makers' manuals in ``advice/data/connections.yaml``: the answer to a
connection question that names no catalog headphone, and a reminder beside one that does."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from earwise.core.yamlio import load_yaml

DATA = Path(__file__).parent / "data" / "connections.yaml"


@dataclass(frozen=True)
class Guide:
    name: str
    match: re.Pattern
    lines: tuple[
        str, ...
    ]  # how each kind of headphone connects (a source) or what to know (a kind)
    source: str
    platform: str | None = None


@cache
def guides() -> tuple[tuple[Guide, ...], tuple[Guide, ...]]:
    """(sources, kinds) from the data file, once."""
    data = load_yaml(DATA.read_text(encoding="utf-8"))
    sources = tuple(
        Guide(
            s["name"],
            re.compile(s["match"], re.I),
            tuple(s["ways"]),
            s["source"],
            s.get("platform"),
        )  # fmt: skip
        for s in data["sources"]
    )
    kinds = tuple(
        Guide(k["name"], re.compile(k["match"], re.I), (k["says"],), k["source"])
        for k in data["kinds"]
    )
    return sources, kinds


def connection_guide(text: str, platforms: list[str], most: int = 2) -> list[dict]:
    """For each source the text names (by its words, or a platform already read: "switch" the
    verb is not the console), how headphones connect to it, then what to know about the plugs
    and cables it names; at most ``most`` sources, in the order they appear."""
    sources, kinds = guides()
    hits = []
    for g in sources:
        m = g.match.search(text)
        if m or (g.platform and g.platform in platforms):
            hits.append((m.start() if m else len(text), g))
    hits.sort(key=lambda h: h[0])
    out = [{"to": g.name, "ways": list(g.lines), "source": g.source} for _, g in hits[:most]]
    out += [{"about": g.name, "ways": list(g.lines), "source": g.source}
            for g in kinds if g.match.search(text)]  # fmt: skip
    return out
