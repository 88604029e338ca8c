"""Import Crinacle's 2023 ranking lists: facts only (list price, drivers, fit, his signature).

Reads ``../shared/datasets/crinacle-ranking-2023/{iems,headphones}.csv`` (crinacle.com/rankings
as scraped on 2023-05-08 by ``dhrumilsindhwa/audiophile-pipeline``) and writes:

- ``data/overlays/crinacle-2023.yaml``: for rows that are a curated product (normalised brand
  + model or alias), the facts the curated product lacks, with the list as source;
- ``data/imported/crinacle-2023/<brand>.yaml``: the other rows as products with
  ``status: unknown`` (``discontinued`` when the list says so), except rows the measurement
  library importer owns (it adds the same Crinacle facts to them, see import_library.py).

Facts taken: the list price when it is a plain number (``price: {kind: list, as_of:
2023-05}``), the driver configuration (``2EST 4BA 1DD`` -> hybrid, count kept), the fit of a
headphone (form and back; in-ears are closed-back), and his signature description, attributed
to him, only when it maps cleanly to one of the catalog's labels. Grades, ranks, value ratings
and comments are opinions and are not imported. Rows naming two models at once ("HD650/HD6XX",
two names run together), collaborations other than Drop's, rows with no known brand and
"earspeaker" fits are skipped and counted.

Run from the repository root: ``.venv/bin/python scripts/import_crinacle.py``. Running it
twice writes identical files.
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import import_opra as common  # noqa: E402

from earwise.catalog.loader import DATA_DIR  # noqa: E402
from earwise.catalog.queries import normalise_name  # noqa: E402

DATASET = "crinacle-2023"
FOLDER = Path("crinacle-ranking-2023")
SNAPSHOT = "scraped 2023-05-08"
PRICE_SOURCE = "Crinacle ranking list (scraped 2023-05-08)"
BY = "Crinacle (ranking list, scraped 2023-05-08)"
LIST_TITLE = {
    "iems": "Crinacle's in-ear ranking list (crinacle.com/rankings, scraped 2023-05-08)",
    "headphones": "Crinacle's headphone ranking list (crinacle.com/rankings, scraped 2023-05-08)",
}
URL = "https://crinacle.com/rankings/"

# His signature descriptions that are one of the catalog's labels; others are left out.
SIGNATURES = {
    "neutral": "neutral",
    "harman-neutral": "neutral",
    "harman neutral": "neutral",
    "df-neutral": "neutral",
    "warm": "warm",
    "bassy": "bass-heavy",
    "v-shaped": "v-shaped",
    "mild v-shape": "v-shaped",
    "u-shaped": "u-shaped",
    "mild u-shape": "u-shaped",
    "bright": "bright",
    "dark": "dark",
    "mid-centric": "mid-forward",
}
FITS = {
    "open circumaural": ("over-ear", "open"),
    "closed circumaural": ("over-ear", "closed"),
    "semi-open circumaural": ("over-ear", "semi-open"),
    "closed supra-aural": ("on-ear", "closed"),
    "open supra-aural": ("on-ear", "open"),
    "open clip-on": ("on-ear", "open"),
}
HEADPHONE_DRIVERS = {"dynamic": "dynamic", "planar": "planar", "electrostatic": "electrostatic"}
_PART = re.compile(r"^(\d+)?(DD|BA|EST|PLANAR|PIEZO|MS|AMT|BC)$")
_KIND = {"DD": "dynamic", "BA": "balanced-armature", "EST": "electrostatic", "PLANAR": "planar"}
_WORD = {"ELECTROSTATIC": "EST", "DYNAMIC": "DD"}
# A parenthesis that describes the measured unit's setup (pads, cable), not another model.
SETUP = re.compile(r"\s*\((?:w/|[^)]*\bpads\b|no cipher)[^)]*\)", re.IGNORECASE)


def parse_driver(text: str) -> dict | None:
    """Crinacle's driver string as ``{type, count}``: '2EST 4BA 1DD' -> hybrid with the string
    as count; '1DD' or 'DD' -> dynamic; '6BA' -> balanced-armature; 'Planar' -> planar. None
    when it names nothing the schema has (AMT, ribbon, electret alone) or cannot be read."""
    parts = [_WORD.get(p, p) for p in text.upper().split()]
    kinds, counted = [], True
    for p in parts:
        m = _PART.match(p)
        if not m:
            return None
        kinds.append(m.group(2))
        counted = counted and m.group(1) is not None
    if not kinds:
        return None
    if len(set(kinds)) > 1:
        return {"type": "hybrid", "count": " ".join(parts)}
    kind = _KIND.get(kinds[0])
    if kind is None:
        return None
    return {"type": kind, "count": " ".join(parts)} if counted else {"type": kind}


def parse_price(text: str) -> float | None:
    """A plain number only: '1000' -> 1000; 'Discont.', '?', '3000(HE1000)' -> None."""
    t = text.strip()
    if not re.fullmatch(r"\d+(?:\.\d+)?", t) or float(t) <= 0:
        return None
    return int(t) if t.isdigit() else float(t)


def says_discontinued(price: str) -> bool:
    p = price.lower()
    return p.startswith("discont") or "replaced" in p


def signature_label(text: str) -> str | None:
    return SIGNATURES.get(text.strip().strip('"').lower())


@dataclass
class Row:
    """One usable row: brand, model and the facts it gives."""

    list: str  # "iems" or "headphones"
    name: str
    brand: str
    model: str
    price: float | None
    discontinued: bool
    driver: dict | None
    signature: str | None
    description: str
    driver_text: str
    form: str
    back: str
    fit: str | None


def read_rows(datasets: Path = common.DATASETS) -> dict[str, list[dict[str, str]]]:
    out = {}
    for name in ("iems", "headphones"):
        with (datasets / FOLDER / f"{name}.csv").open(encoding="utf-8", newline="") as f:
            out[name] = list(csv.DictReader(f))
    return out


def two_models(name: str) -> bool:
    """'HD650/HD6XX', 'Abyss Diana PhiAbyss Diana V2': a row about more than one model."""
    if re.search(r"[A-Za-z0-9]/[A-Za-z0-9]", re.sub(r"\b[A-Z]/[A-Z]", "", name)):
        return True
    first = name.split()[0]
    return len(first) > 2 and first in name[len(first) :]


def parse_rows(
    raw: dict[str, list[dict[str, str]]], brands: common.Brands
) -> tuple[list[Row], dict[str, int]]:
    """Usable rows, and counts of the skipped ones by reason."""
    rows: list[Row] = []
    skipped = {"two models in one row": 0, "collaboration": 0, "unknown brand": 0, "fit": 0}
    for kind, items in raw.items():
        for r in items:
            name = " ".join(SETUP.sub("", r["model"]).split())
            m = re.match(r"^(?:Mass)?[Dd]rop x (.+)$", name)
            if m:
                name = f"Drop Drop + {m.group(1)}"
            if two_models(r["model"]) or " w/ " in name:
                skipped["two models in one row"] += 1
                continue
            split = brands.split(name)
            if split is None:
                skipped["unknown brand"] += 1
                continue
            brand, model = split
            if model.lower().startswith("x "):
                skipped["collaboration"] += 1
                continue
            if kind == "iems":
                form, back, fit = "in-ear", "closed", None
                driver = parse_driver(r["driver_type"])
            else:
                fit = r["fit_cup"].strip()
                if fit.lower() not in FITS:
                    skipped["fit"] += 1
                    continue
                form, back = FITS[fit.lower()]
                t = HEADPHONE_DRIVERS.get(r["driver_type"].strip().lower())
                driver = {"type": t} if t else None
            rows.append(
                Row(kind, name, brand, model, parse_price(r["price"]),
                    says_discontinued(r["price"]), driver, signature_label(r["signature"]),
                    r["signature"].strip().strip('"'), r["driver_type"].strip(), form, back, fit)
            )  # fmt: skip
    spelling = common.most_common_spelling(r.brand for r in rows)
    for r in rows:
        r.brand = spelling[normalise_name(r.brand)]
    return rows, skipped


# --- facts and sources ----------------------------------------------------------------------


def price_fact(row: Row) -> dict | None:
    if row.price is None:
        return None
    return {"usd": row.price, "kind": "list", "as_of": "2023-05", "source": PRICE_SOURCE}


def source(row: Row, group: str, what: str) -> dict:
    return {
        "kind": "review",
        "title": f"{LIST_TITLE[row.list]}: {what}",
        "url": URL,
        "covers": [group],
    }


def price_source(row: Row) -> dict:
    return source(row, "price", f"list price ${row.price:g} (as of the ranking, 2023-05)")


def driver_source(row: Row, with_fit: bool) -> dict:
    what = f"driver configuration '{row.driver_text}'" if row.driver else ""
    if with_fit:
        fit = f"fit '{row.fit}'" if row.fit else "form (in-ear list)"
        what = f"{what}, {fit}" if what else fit
    return source(row, "specs", what)


def signature_source(row: Row) -> dict:
    return source(row, "sound", f"signature, his description '{row.description}'")


def facts_for(row: Row) -> tuple[dict, list[dict]]:
    """The product fields this row fills and their sources (form and back excluded)."""
    facts, sources = {}, []
    if row.price is not None:
        facts["price"] = price_fact(row)
        sources.append(price_source(row))
    if row.driver:
        facts["driver"] = row.driver
    if row.signature:
        facts["signature"] = {"label": row.signature, "by": BY}
        sources.append(signature_source(row))
    return facts, sources


def product(row: Row, opra: common.Opra, brands: common.Brands) -> dict:
    """A new catalog product from one row (id assigned later)."""
    facts, sources = facts_for(row)
    form, back = row.form, row.back
    opra_form = opra.lookup(brands, row.brand, row.model)
    out = {"id": "", "brand": row.brand, "model": row.model, "status": "unknown"}
    if row.discontinued:
        out["status"] = "discontinued"
    if "price" in facts:
        out["price"] = facts["price"]
    if row.list == "iems" and opra_form == "earbud":
        form, back = "earbud", "open"  # OPRA: an earbud, which rests in the ear, unsealed
    out["form_factor"], out["back"] = form, back
    if row.driver:
        out["driver"] = row.driver
    if "signature" in facts:
        out["signature"] = facts["signature"]
    out["sources"] = [driver_source(row, with_fit=True), *sources]
    if opra_form:
        out["sources"].append(opra.source(opra_form))
    return out


def overlay_facts(row: Row, curated) -> tuple[dict, dict | None]:
    """What a curated product lacks that the row gives, and one source naming it all."""
    facts: dict = {}
    what, groups = [], []
    if curated.price is None and row.price is not None:
        facts["price"] = price_fact(row)
        what.append(f"list price ${row.price:g} (as of the ranking, 2023-05)")
        groups.append("price")
    if row.driver:
        have = curated.driver
        if have.type is None:
            facts["driver"] = row.driver
        elif have.type == row.driver["type"] and have.count is None and "count" in row.driver:
            facts["driver"] = {"count": row.driver["count"]}
        if "driver" in facts:
            what.append(f"driver configuration '{row.driver_text}'")
            groups.append("specs")
    if curated.signature is None and row.signature:
        facts["signature"] = {"label": row.signature, "by": BY}
        what.append(f"signature, his description '{row.description}'")
        groups.append("sound")
    if not facts:
        return {}, None
    src = {"kind": "review", "title": f"{LIST_TITLE[row.list]}: {'; '.join(what)}", "url": URL,
           "covers": groups}  # fmt: skip
    return facts, src


# --- the run --------------------------------------------------------------------------------


def build(data_dir: Path = DATA_DIR, datasets: Path = common.DATASETS,
          measurements: Path = common.MEASUREMENTS) -> dict:  # fmt: skip
    """Everything the import writes, plus counts: {'products', 'overlays', 'counts'}."""
    import import_library  # here: it imports this module

    curated, brands, opra = common.load_reference(data_dir, datasets)
    rows, skipped = parse_rows(read_rows(datasets), brands)
    library = (
        import_library.build(data_dir, datasets, measurements)
        if measurements.is_dir()
        else {"products": [], "owned": set()}
    )
    owned = library["owned"]
    overlays, products, seen, result_near = [], [], set(), []
    counts = {"rows": sum(len(v) for v in read_rows(datasets).values()), **skipped,
              "duplicate rows": 0, "curated (overlay)": 0, "curated (nothing to add)": 0,
              "near a curated product (left to a curator)": 0, "in the measurement library": 0,
              "imported": 0}  # fmt: skip
    for row in rows:
        full = f"{row.brand} {row.model}"
        keys = common.name_keys(full) | common.name_keys(row.name)
        if keys & seen:
            counts["duplicate rows"] += 1
            continue
        seen |= keys
        if curated.known(full, row.name):
            pid = curated.match(full, row.name)
            facts, src = overlay_facts(row, curated.headphones[pid]) if pid else ({}, None)
            if src:
                overlays.append({"id": pid, "facts": facts, "source": src})
                counts["curated (overlay)"] += 1
            else:
                counts["curated (nothing to add)"] += 1
            continue
        near = curated.near(full) or curated.clash(row.model)
        if near:
            counts["near a curated product (left to a curator)"] += 1
            result_near.append(f"{row.name} ~ {near}")
            continue
        if any((row.list, k) in owned for k in keys):
            counts["in the measurement library"] += 1
            continue
        products.append(product(row, opra, brands))
    products.sort(key=lambda p: (p["brand"].lower(), p["model"].lower(), p["model"]))
    common.unique_ids(products, set(curated.headphones) | {p["id"] for p in library["products"]})
    counts["imported"] = len(products)
    overlays.sort(key=lambda o: o["id"])
    return {"products": products, "overlays": overlays, "counts": counts, "near": result_near}


def run(data_dir: Path = DATA_DIR, datasets: Path = common.DATASETS,
        measurements: Path = common.MEASUREMENTS) -> dict:  # fmt: skip
    """Build and write the files under ``data_dir``; returns the counts."""
    result = build(data_dir, datasets, measurements)
    what = f"../shared/datasets/crinacle-ranking-2023 ({SNAPSHOT})"
    header = common.GENERATED.format(script="import_crinacle.py", what=what)
    common.write_dataset(
        data_dir / "imported" / DATASET,
        result["products"],
        header,
        {p["id"]: p["brand"] for p in result["products"]},
    )
    common.write_text(
        data_dir / "overlays" / f"{DATASET}.yaml", header + common.dump(result["overlays"])
    )
    return result["counts"]


if __name__ == "__main__":
    for k, v in run().items():
        print(f"{k}: {v}")
