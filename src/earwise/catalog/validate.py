"""Validate catalog data files: ``python -m earwise.catalog.validate [FILE ...]``.

With no argument, validates every file under ``catalog/data``. Prints one line per
problem and exits 1 when any file is invalid.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from pydantic import ValidationError

from earwise.catalog.schema import HeadphoneFile, SourceFile
from earwise.core.yamlio import load_yaml

DATA_DIR = Path(__file__).parent / "data"


def validate_file(path: Path) -> list[str]:
    """Return the problems found in one data file (empty when it is valid)."""
    model = SourceFile if path.parent.name == "sources" else HeadphoneFile
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
        model.model_validate(raw)
    except yaml.YAMLError as exc:
        return [f"{path}: YAML error: {exc}"]
    except ValidationError as exc:
        return [
            f"{path}: {'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        ]
    return []


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(DATA_DIR.glob("headphones/*.yaml")) + sorted(
        DATA_DIR.glob("sources/*.yaml")
    )
    problems = [p for path in paths for p in validate_file(path)]
    for p in problems:
        print(p)
    print(f"{len(paths)} file(s), {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
