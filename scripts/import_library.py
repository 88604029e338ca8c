"""Import the measurement library's products that the catalog lacks, with their measurements.

Every file in ``../shared/measurements`` (AutoEq layout ``<Source>/data/<form>/<Name>.csv``)
that no curated product links to (:func:`earwise.catalog.linking.link`) is grouped by product:
parentheses that describe the measured unit or its setup -- "(sample 2)", "(serial number
…)", pads, filters, nozzles, tips, ANC on/off, wired/wireless, modes -- are dropped, so those
files are one product; anything else ("Aria" vs "Aria 2", "(2)", "(Gen 2)", a year) keeps
models apart. A group whose name is a curated product (brand + model or alias) is left to the
curated product. The rest become products in ``data/imported/autoeq-library/<brand>.yaml``:

- brand split from the name when the brand is known (the catalog's brands, OPRA's vendors);
  otherwise the product is skipped and counted;
- form from the folder (in-ear, earbud, over-ear; Crinacle's fit can say on-ear), back closed
  for in-ears, open for earbuds; for over-ears Crinacle's fit or the name ("Open", "Closed")
  must say it, otherwise the product is skipped and counted (the schema needs a back);
- ``measurements``: the files of the stock configuration (the setup variants when there is
  none), each source folder cited as "<rig> measurement in the AutoEq library";
- ``status: unknown`` (``discontinued`` when Crinacle's list says so), and from Crinacle's
  2023 list its list price, driver configuration and signature (see import_crinacle.py);
  OPRA is cited when it lists the product with the same form.

Run from the repository root: ``.venv/bin/python scripts/import_library.py``. Running it
twice writes identical files.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import import_crinacle as crinacle  # noqa: E402
import import_opra as common  # noqa: E402

from earwise.acoustics.library import scan  # noqa: E402
from earwise.catalog.linking import link, measurement_key  # noqa: E402
from earwise.catalog.loader import DATA_DIR  # noqa: E402
from earwise.catalog.names import tokens  # noqa: E402

DATASET = "autoeq-library"
RIGS = {
    "oratory1990": "GRAS 43AG-7 (oratory1990)",
    "Rtings": "Head Acoustics HMS II.3 (Rtings)",
    "Innerfidelity": "Head Acoustics HMS II.3 (Innerfidelity)",
    "Headphone.com Legacy": "Head Acoustics HMS II.3 (Headphone.com Legacy)",
}
AUTOEQ_URL = "https://github.com/jaakkopasanen/AutoEq"
_SETUP_WORDS = (
    r"sample|serial|earpads?|pads|arpads|filters?|nozzles?|vents?|ports|eartips|tips|anc|obc|"
    r"wired|wireless|active\+?|passive|power|mod|seal|eq|mode|setting|step|adapter|cable|"
    r"input|removed|covered|tight|standard|balanced|warm|bass|club|stage|treble|boost"
)
SETUP = re.compile(
    rf"\s*\((?:[^)]*\b(?:{_SETUP_WORDS})\b[^)]*|black|blue|white|red|green|yellow|gr[ae]y|"
    r"silver)\)",
    re.IGNORECASE,
)
LIST_OF = {"in-ear": "iems", "earbud": "iems", "over-ear": "headphones"}


def base_name(name: str) -> str:
    """The product a measurement file is of: setup parentheses dropped."""
    return " ".join(SETUP.sub("", name).split())


def rig_source(folder: str) -> dict:
    rig = RIGS.get(folder, folder)
    return {
        "kind": "measurement",
        "title": f"{rig} measurement in the AutoEq library (../shared/measurements)",
        "url": AUTOEQ_URL,
        "covers": ["measured"],
    }


def groups(refs: list[str]) -> dict[tuple[str, str], dict]:
    """(form, product key) -> {'name', 'refs'}: the files of one product."""
    out: dict[tuple[str, str], dict] = {}
    for ref in sorted(refs):
        _, form, name = ref.split("/", 2)
        base = base_name(name)
        key = (form, " ".join(tokens(base)) or base.lower())
        g = out.setdefault(key, {"names": set(), "refs": []})
        g["names"].add(base)
        g["refs"].append(ref)
    for g in out.values():
        g["name"] = min(g.pop("names"))  # one spelling, stable
    return out


def stock_refs(name: str, refs: list[str]) -> list[str]:
    """The files of the stock configuration, or all of them when there is none."""
    stock = [r for r in refs if measurement_key(r.split("/", 2)[2]) == measurement_key(name)]
    return stock or refs


def back_from_name(model: str) -> str | None:
    words = set(tokens(model))
    if "open" in words and "closed" not in words:
        return "open"
    if "closed" in words and "open" not in words:
        return "closed"
    return None


def crinacle_index(rows: list[crinacle.Row]) -> dict[tuple[str, str], crinacle.Row]:
    index: dict[tuple[str, str], crinacle.Row] = {}
    for row in rows:
        for k in common.name_keys(f"{row.brand} {row.model}") | common.name_keys(row.name):
            index.setdefault((row.list, k), row)
    return index


def build(data_dir: Path = DATA_DIR, datasets: Path = common.DATASETS,
          measurements: Path = common.MEASUREMENTS) -> dict:  # fmt: skip
    """{'products', 'owned' ((list, key) pairs Crinacle must leave to this import), 'counts'}."""
    curated, brands, opra = common.load_reference(data_dir, datasets)
    rows, _ = crinacle.parse_rows(crinacle.read_rows(datasets), brands)
    by_crinacle = crinacle_index(rows)
    refs = [mf.ref for mf in scan(measurements)]
    linked, unmatched = link(curated.headphones.values(), refs)
    linked_groups = set(groups([r for rs in linked.values() for r in rs]))
    counts = {"files": len(refs), "files linked to curated products": len(refs) - len(unmatched),
              "products (groups of unlinked files)": 0, "variant of a curated product": 0,
              "near a curated product (left to a curator)": 0, "unknown brand": 0, "over-ear, back unknown": 0, "imported": 0,
              "with Crinacle facts": 0, "listed in OPRA": 0}  # fmt: skip
    skipped: dict[str, list[str]] = defaultdict(list)
    products, owned = [], set()
    spelled = []
    for (form, key), g in sorted(groups(unmatched).items()):
        counts["products (groups of unlinked files)"] += 1
        name = g["name"]
        if (form, key) in linked_groups or curated.known(name):
            counts["variant of a curated product"] += 1
            continue
        split = brands.split(name)
        if split is None:
            counts["unknown brand"] += 1
            skipped["unknown brand"].append(name)
            continue
        brand, model = split
        if curated.known(f"{brand} {model}"):
            counts["variant of a curated product"] += 1
            continue
        near = curated.near(f"{brand} {model}") or curated.clash(model)
        if near:
            counts["near a curated product (left to a curator)"] += 1
            skipped["near a curated product (left to a curator)"].append(f"{name} ~ {near}")
            continue
        keys = common.name_keys(name) | common.name_keys(f"{brand} {model}")
        row = next((by_crinacle[(LIST_OF[form], k)] for k in sorted(keys)
                    if (LIST_OF[form], k) in by_crinacle), None)  # fmt: skip
        back, fit_used = {"in-ear": "closed", "earbud": "open"}.get(form), False
        if form == "over-ear":
            if row is not None:
                form, back, fit_used = row.form, row.back, True
            else:
                back = back_from_name(model)
        if back is None:
            counts["over-ear, back unknown"] += 1
            skipped["over-ear, back unknown"].append(name)
            continue
        p = {"id": "", "brand": brand, "model": model, "status": "unknown"}
        crinacle_sources = []
        if row is not None:
            counts["with Crinacle facts"] += 1
            facts, crinacle_sources = crinacle.facts_for(row)
            if row.discontinued:
                p["status"] = "discontinued"
            if "price" in facts:
                p["price"] = facts["price"]
            p["form_factor"], p["back"] = form, back
            if row.driver:
                p["driver"] = row.driver
            if "signature" in facts:
                p["signature"] = facts["signature"]
            if row.driver or fit_used:
                crinacle_sources.insert(0, crinacle.driver_source(row, with_fit=fit_used))
        else:
            p["form_factor"], p["back"] = form, back
        p["measurements"] = stock_refs(name, g["refs"])
        folders = sorted({r.split("/", 1)[0] for r in p["measurements"]},
                         key=lambda f: (list(RIGS).index(f) if f in RIGS else 99, f))  # fmt: skip
        p["sources"] = [rig_source(f) for f in folders] + crinacle_sources
        opra_form = opra.lookup(brands, brand, model)
        if opra_form == p["form_factor"]:
            counts["listed in OPRA"] += 1
            p["sources"].append(opra.source(opra_form))
        products.append(p)
        spelled.append(brand)
        owned |= {(LIST_OF.get(form, "headphones"), k) for k in keys}
    spelling = common.most_common_spelling(spelled)
    for p in products:
        p["brand"] = spelling[common.normalise_name(p["brand"])]
    products.sort(key=lambda p: (p["brand"].lower(), p["model"].lower(), p["model"]))
    common.unique_ids(products, set(curated.headphones))
    counts["imported"] = len(products)
    counts["linkable measurement files in imported products"] = sum(
        len(p["measurements"]) for p in products
    )
    return {"products": products, "owned": owned, "counts": counts, "skipped": dict(skipped)}


def run(data_dir: Path = DATA_DIR, datasets: Path = common.DATASETS,
        measurements: Path = common.MEASUREMENTS) -> dict:  # fmt: skip
    result = build(data_dir, datasets, measurements)
    header = common.GENERATED.format(
        script="import_library.py",
        what="../shared/measurements (AutoEq data, MIT) with facts from ../shared/datasets\n"
        "# (Crinacle ranking scraped 2023-05-08, OPRA commit 0b88ecd)",
    )
    common.write_dataset(
        data_dir / "imported" / DATASET,
        result["products"],
        header,
        {p["id"]: p["brand"] for p in result["products"]},
    )
    return result["counts"]


if __name__ == "__main__":
    for k, v in run().items():
        print(f"{k}: {v}")
