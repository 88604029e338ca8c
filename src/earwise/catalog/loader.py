"""Load the data files into validated models, plus measurement-derived features.

Headphones come from the curated ``headphones/<brand>.yaml`` files and from the imported
``imported/<dataset>/<brand>.yaml`` files (same format, written by ``scripts/import_*.py``);
``overlays/<dataset>.yaml`` then fills empty fields of existing products and appends the
dataset as a source (:mod:`earwise.catalog.overlays`). Every product is validated after the
merge, so provenance rules hold for merged facts too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from earwise.catalog.overlays import apply_overlays, read_overlay
from earwise.catalog.policy import WEAK_FILE, weak_sites, withhold_weak
from earwise.catalog.schema import Headphone, HeadphoneFile, SourceDevice, SourceFile
from earwise.core.errors import EarwiseError
from earwise.core.yamlio import load_yaml

DATA_DIR = Path(__file__).parent / "data"
WEAK_NAME = "weak_sources.yaml"
DERIVED_FILE = DATA_DIR / "derived" / "measured.yaml"


class CatalogError(EarwiseError):
    """A data file that does not validate; the message names the file and field."""


@dataclass(frozen=True)
class Catalog:
    headphones: list[Headphone]
    sources: list[SourceDevice]
    measured: dict[str, dict] = field(default_factory=dict)


def headphone_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """Curated headphone files, then imported ones (by dataset, then brand)."""
    return sorted((data_dir / "headphones").glob("*.yaml")) + sorted(
        (data_dir / "imported").glob("*/*.yaml")
    )


def overlay_files(data_dir: Path = DATA_DIR) -> list[Path]:
    return sorted((data_dir / "overlays").glob("*.yaml"))


def data_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """Every data file, in a stable order (derived file last)."""
    files = headphone_files(data_dir) + overlay_files(data_dir)
    files += sorted((data_dir / "sources").glob("*.yaml"))
    weak = data_dir / WEAK_NAME  # what counts as a source changes what the catalog shows
    files += [weak] if weak.exists() else []
    derived = data_dir / "derived" / "measured.yaml"
    return files + ([derived] if derived.exists() else [])


def data_hash(data_dir: Path = DATA_DIR) -> str:
    """SHA-256 over every data file's path (relative to ``data_dir``) and bytes: changes when
    any file changes (``headphones/sony.yaml`` and ``imported/x/sony.yaml`` stay distinct)."""
    h = hashlib.sha256()
    for path in data_files(data_dir):
        h.update(path.relative_to(data_dir).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _label(path: Path, data_dir: Path) -> str:
    try:
        return path.relative_to(data_dir).as_posix()
    except ValueError:
        return path.name


def _parse(path: Path, data_dir: Path):
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogError(f"{_label(path, data_dir)}: invalid YAML: {exc}") from exc


def _validate(data, model, label: str):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise CatalogError(f"{label}: {loc}: {err['msg']}") from exc


def _load_headphones(data_dir: Path) -> list[Headphone]:
    """Curated and imported files with the overlays merged in, then validated."""
    raw = [(p, _parse(p, data_dir)) for p in headphone_files(data_dir)]
    records: dict[str, dict] = {}
    for path, data in raw:
        items = data.get("headphones") if isinstance(data, dict) else None
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                if "withheld" in item:
                    raise CatalogError(
                        f"{_label(path, data_dir)}: {item['id']}: 'withheld' is computed by the "
                        "loader (facts resting only on weak sources), never written in a data file"
                    )
                records.setdefault(item["id"], item)  # duplicates are reported below
    touched: dict[str, list[str]] = {}
    for path in overlay_files(data_dir):
        label = _label(path, data_dir)
        try:
            entries = read_overlay(path, _parse(path, data_dir))
            apply_overlays(records, entries, label)
        except ValueError as exc:
            raise CatalogError(str(exc)) from exc
        for e in entries:
            touched.setdefault(e.id, []).append(label)
    out: list[Headphone] = []
    for path, data in raw:
        label = _label(path, data_dir)
        items = data.get("headphones") if isinstance(data, dict) else None
        ids = [i.get("id") for i in items if isinstance(i, dict)] if isinstance(items, list) else []
        extra = sorted({o for i in ids if isinstance(i, str) for o in touched.get(i, [])})
        out += _validate(data, HeadphoneFile, " + ".join([label, *extra])).headphones
    return out


def _read(path: Path, model: type[HeadphoneFile] | type[SourceFile], data_dir: Path = DATA_DIR):
    return _validate(_parse(path, data_dir), model, _label(path, data_dir))


def load_catalog(data_dir: Path = DATA_DIR) -> Catalog:
    """Read and validate every data file (overlays merged); ids must be unique."""
    headphones = _load_headphones(data_dir)
    sources = [
        s
        for p in sorted((data_dir / "sources").glob("*.yaml"))
        for s in _read(p, SourceFile, data_dir).sources_and_amps
    ]
    ids = [x.id for x in headphones] + [x.id for x in sources]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise CatalogError(f"duplicate ids: {', '.join(dupes)}")
    weak_file = data_dir / WEAK_NAME
    sites = weak_sites(weak_file if weak_file.exists() else WEAK_FILE)
    headphones = [withhold_weak(h, sites) for h in headphones]
    sources = [withhold_weak(d, sites) for d in sources]
    derived = data_dir / "derived" / "measured.yaml"
    measured = load_yaml(derived.read_text(encoding="utf-8")) if derived.exists() else {}
    return Catalog(headphones, sources, measured or {})


@cache
def builtin_catalog() -> Catalog:
    """The catalog shipped with earwise (read once per process)."""
    return load_catalog()
