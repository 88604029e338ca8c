"""Record Audio Science Review's measured sensitivity (and impedance) in the catalog files.

Reads ``../shared/reference/over-ear-sensitivity-measured.csv`` (ASR reviews compiled by
Sha1rholder/Sound-Library), keeps rows not flagged ``ignore``, matches each to a catalog
product only by an exact normalised name (brand + model, or an alias), and writes
``sensitivity_measured: {db_spl_per_v, impedance_ohm, by}`` beside the published figure,
plus a ``measured`` source. Sensitivity = 94 - 20*log10(mV/1000) (the file's README).

Run from the repository root: ``.venv/bin/python scripts/import_asr_sensitivity.py``.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

from earwise.catalog.loader import DATA_DIR, load_catalog
from earwise.catalog.store import normalise_name

REFERENCE = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "reference"
    / "over-ear-sensitivity-measured.csv"
)
BY = "Audio Science Review (Sha1rholder/Sound-Library)"
SOURCE_LINE = '      - {kind: measurement, title: "Audio Science Review measurement via Sha1rholder/Sound-Library", covers: [measured]}\n'


# The compilation abbreviates some brands.
BRANDS = {
    "ath": "Audio-Technica",
    "beyer": "Beyerdynamic",
    "dca": "Dan Clark Audio",
    "austrian": "Austrian Audio",
}


def rows() -> list[dict]:
    with REFERENCE.open(encoding="utf-8") as f:
        return [
            r
            for r in csv.DictReader(f)
            if (r.get("ignore") or "").strip().lower() != "yes" and r["94db voltage"]
        ]


def main() -> None:
    catalog = load_catalog()
    index: dict[str, str] = {}
    for h in catalog.headphones:
        for n in (f"{h.brand} {h.model}", *(a for a in h.aliases if h.brand.lower() in a.lower())):
            index.setdefault(normalise_name(n), h.id)
    found: dict[str, dict] = {}
    for r in rows():
        brand = BRANDS.get(r["brand"].strip(), r["brand"])
        pid = index.get(normalise_name(f"{brand} {r['model']}"))
        if pid and pid not in found:
            sens = round(94 - 20 * math.log10(float(r["94db voltage"]) / 1000), 1)
            imp = float(r["impedance"]) if (r.get("impedance") or "").strip() else None
            found[pid] = {"db_spl_per_v": sens, "impedance_ohm": imp}
    for path in sorted((DATA_DIR / "headphones").glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        out, current, changed = [], None, False
        for line in lines:
            m = re.match(r"^  - id: (\S+)", line)
            if m:
                current = m.group(1)
            if current in found and re.match(r"^    sensitivity_measured:", line):
                continue  # replaced below
            out.append(line)
            if current in found and re.match(r"^    form_factor:", line):
                f = found[current]
                imp = (
                    "" if f["impedance_ohm"] is None else f", impedance_ohm: {f['impedance_ohm']:g}"
                )
                out.append(
                    f'    sensitivity_measured: {{db_spl_per_v: {f["db_spl_per_v"]}{imp}, by: "{BY}"}}\n'
                )
                changed = True
            if current in found and re.match(r"^    sources:", line):
                block = "".join(lines)
                start = block.find(f"- id: {current}\n")
                end = block.find("\n  - id: ", start + 1)
                if (
                    "Audio Science Review measurement"
                    not in block[start : end if end > 0 else None]
                ):
                    out.append(SOURCE_LINE)
        if changed:
            path.write_text("".join(out), encoding="utf-8")
    print(f"{len(rows())} usable ASR rows, {len(found)} matched to catalog products")


if __name__ == "__main__":
    main()
