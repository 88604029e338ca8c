"""Load the curated YAML files into validated models, plus measurement-derived features."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from earwise.catalog.schema import Headphone, HeadphoneFile, SourceDevice, SourceFile
from earwise.core.errors import EarwiseError
from earwise.core.yamlio import load_yaml

DATA_DIR = Path(__file__).parent / "data"
DERIVED_FILE = DATA_DIR / "derived" / "measured.yaml"


class CatalogError(EarwiseError):
    """A data file that does not validate; the message names the file and field."""


@dataclass(frozen=True)
class Catalog:
    headphones: list[Headphone]
    sources: list[SourceDevice]
    measured: dict[str, dict] = field(default_factory=dict)


def data_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """Every curated data file, in a stable order (derived file last)."""
    files = sorted((data_dir / "headphones").glob("*.yaml"))
    files += sorted((data_dir / "sources").glob("*.yaml"))
    derived = data_dir / "derived" / "measured.yaml"
    return files + ([derived] if derived.exists() else [])


def data_hash(data_dir: Path = DATA_DIR) -> str:
    """SHA-256 over every data file's name and bytes: changes when any file changes."""
    h = hashlib.sha256()
    for path in data_files(data_dir):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _read(path: Path, model: type[HeadphoneFile] | type[SourceFile]):
    try:
        return model.model_validate(load_yaml(path.read_text(encoding="utf-8")))
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path.name}: invalid YAML: {exc}") from exc
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise CatalogError(f"{path.name}: {loc}: {err['msg']}") from exc


def load_catalog(data_dir: Path = DATA_DIR) -> Catalog:
    """Read and validate every data file; ids must be unique across the catalog."""
    headphones = [
        h
        for p in sorted((data_dir / "headphones").glob("*.yaml"))
        for h in _read(p, HeadphoneFile).headphones
    ]
    sources = [
        s
        for p in sorted((data_dir / "sources").glob("*.yaml"))
        for s in _read(p, SourceFile).sources_and_amps
    ]
    ids = [x.id for x in headphones] + [x.id for x in sources]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise CatalogError(f"duplicate ids: {', '.join(dupes)}")
    derived = data_dir / "derived" / "measured.yaml"
    measured = load_yaml(derived.read_text(encoding="utf-8")) if derived.exists() else {}
    return Catalog(headphones, sources, measured or {})


@cache
def builtin_catalog() -> Catalog:
    """The catalog shipped with earwise (read once per process)."""
    return load_catalog()
