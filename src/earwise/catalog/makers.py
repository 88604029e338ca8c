"""Makers of headphones known by name beyond the catalog's own brands.

``data/makers/opra-2026.yaml`` lists the vendors of the OPRA product list (opra-project/OPRA,
commit 0b88ecd, 2026-07-01, CC BY-SA 4.0), written by ``scripts/import_opra.py --makers``. A
question may name their gear ("Marshall Major IV", "Urbanears Plattan 2") though the catalog holds
none of it: knowing the maker lets the reader name it back as gear it does not know yet, instead
of reading a catalog model out of the model's words ("Major" is also an FAudio in-ear).
"""

from __future__ import annotations

from functools import cache

from earwise.catalog.loader import DATA_DIR
from earwise.catalog.queries import normalise_name
from earwise.core.yamlio import load_yaml

MAKERS_FILE = DATA_DIR / "makers" / "opra-2026.yaml"


@cache
def listed_makers() -> dict[str, str]:
    """{normalised maker: its name as listed} for every maker in the makers file."""
    if not MAKERS_FILE.exists():
        return {}
    data = load_yaml(MAKERS_FILE.read_text(encoding="utf-8")) or {}
    return {normalise_name(m["name"]): m["name"] for m in data.get("makers", [])}
