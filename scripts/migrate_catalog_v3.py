"""One-off migration of the catalog data files to schema v3 (issue 11), kept for the record.

- ``price_usd`` + ``price_note`` -> ``price: {usd, kind, as_of, source}``: the kind is read from
  the note's own words (MSRP/list price -> msrp; launch/introduction/released -> launch; a price a
  retailer, review or guide quoted -> street), ``as_of`` is the note's year, ``source`` the note.
- ``discontinued: true`` -> ``status: discontinued``; ``discontinued: false`` is dropped (current).

Line-based, so comments and layout survive. Idempotent: files already migrated are unchanged.
Run: ``python scripts/migrate_catalog_v3.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "earwise" / "catalog" / "data"
YEAR = re.compile(r"\b(19[5-9]\d|20[0-2]\d)\b")
MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}  # fmt: skip


def kind_of(note: str) -> str:
    n = note.lower()
    if "launch" in n or "introduction" in n or "released at" in n or "at release" in n:
        return "launch"
    if "msrp" in n or "list price" in n or "rrp" in n:
        return "msrp"
    return "street"


def as_of(note: str) -> str | None:
    years = YEAR.findall(note)
    if not years:
        return None
    year = years[-1] if kind_of(note) == "street" else years[0]
    month = re.search(r"\b(" + "|".join(MONTHS) + r")[a-z]*\.?\s+" + year, note.lower())
    return f"{year}-{MONTHS[month.group(1)]:02d}" if month else year


def migrate(text: str) -> str:
    lines, out, i = text.splitlines(), [], 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^(\s*)price_usd:\s*([0-9.]+)\s*$", line)
        if m:
            indent, usd = m.group(1), m.group(2)
            note = None
            if i + 1 < len(lines):
                n = re.match(r"^\s*price_note:\s*(.*)$", lines[i + 1])
                if n:
                    raw = n.group(1).strip()
                    note = json.loads(raw) if raw.startswith('"') else raw.strip("'")
                    i += 1
            fields = [f"usd: {usd}", f"kind: {kind_of(note or '')}"]
            if note and as_of(note):
                fields.append(f'as_of: "{as_of(note)}"')
            if note:
                fields.append(f"source: {json.dumps(note, ensure_ascii=False)}")
            out.append(f"{indent}price: {{{', '.join(fields)}}}")
        elif re.match(r"^\s*price_note:", line):
            out.append(line.replace("price_note:", "# price note (no price):"))
        elif re.match(r"^(\s*)discontinued:\s*true\s*$", line):
            out.append(re.sub(r"discontinued:\s*true", "status: discontinued", line))
        elif re.match(r"^\s*discontinued:\s*false\s*$", line):
            pass
        else:
            out.append(line)
        i += 1
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def main() -> None:
    for path in sorted(DATA.glob("*/*.yaml")) + sorted(DATA.glob("headphones/_example.yaml.txt")):
        text = path.read_text(encoding="utf-8")
        new = migrate(text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(f"migrated {path.relative_to(DATA)}")


if __name__ == "__main__":
    main()
