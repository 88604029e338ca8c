"""Enrich the catalog with numbers derived from measurements, with the measurement named.

``earwise catalog enrich`` links the shared library's measurements to catalog products
(curated lists plus automatic name matching, :mod:`earwise.catalog.linking`), analyses every
linked file against its own rig's Harman target (:mod:`earwise.acoustics.library`) and writes
``data/derived/measured.yaml``: per product the primary measurement (oratory1990 first, the
Harman research rig) and every linked one with score, band deviations, signature and a
coarse error curve for similarity. A fresh install without the library still recommends with
these numbers; a test recomputes them and requires equality.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from pathlib import Path

import yaml

from earwise.acoustics.library import analyse, scan
from earwise.catalog.linking import link
from earwise.catalog.loader import DERIVED_FILE, Catalog
from earwise.core.errors import ConflictError
from earwise.core.files import atomic_write_text, read_text_capped
from earwise.core.yamlio import load_yaml

MAX_DERIVED_BYTES = 64 * 1024 * 1024  # judgement: ~200x today's file (330 KB for 305 products)
SOURCE_PREFERENCE = ("oratory1990", "Rtings", "Innerfidelity", "Headphone.com Legacy")


def _rank(ref: str) -> tuple[int, str]:
    return SOURCE_PREFERENCE.index(ref.split("/")[0]), ref


def derive_all(catalog: Catalog, root: Path) -> dict[str, dict]:
    """Derived features for every product with a linked measurement."""
    files = {mf.ref: mf for mf in scan(root)}
    linked, _ = link(catalog.headphones, files)
    wanted = sorted({r for refs in linked.values() for r in refs if r in files})
    results, _ = analyse([files[r] for r in wanted], root)
    out: dict[str, dict] = {}
    for pid, refs in sorted(linked.items()):
        refs = sorted((r for r in refs if r in results), key=_rank)
        if not refs:
            continue
        entries = [dict(results[r]) for r in refs]
        for e in entries[1:]:
            e.pop("error_db")  # the similarity curve is kept for the primary only
        out[pid] = {"primary": refs[0], "all": entries}
    return with_rig_percentiles(out)


# A rig with fewer scored measurements of a form than this is pooled with its rig family for the
# percentile (judgement: a rank among fewer than 10 says little).
MIN_RIG_GROUP = 10


def _form(ref: str) -> str:
    parts = ref.split("/")
    return parts[1] if len(parts) > 2 else "unknown"


def rig_tables(derived: dict[str, dict]) -> dict[tuple[str, str], list[float]]:
    """Sorted preference scores per (rig, form) and per (rig family, form)."""
    tables: dict[tuple[str, str], list[float]] = {}
    for d in derived.values():
        for x in d["all"]:
            s = x.get("preference_score")
            if s is None:
                continue
            form = _form(x["measurement"])
            for key in (
                (x.get("rig") or "?", form),
                ("family:" + (x.get("rig_family") or "?"), form),
            ):
                tables.setdefault(key, []).append(float(s))
    return {k: sorted(v) for k, v in tables.items()}


def rig_percentile(tables: dict[tuple[str, str], list[float]], x: dict) -> float | None:
    """Mid-rank percentile (0..1) of one measurement's predicted preference among the measurements
    of the same rig (or rig family, when the rig has few) and the same form. Scores of different
    rigs are not on one scale, so a score is only ever ranked against its own rig's."""
    s = x.get("preference_score")
    if s is None:
        return None
    form = _form(x["measurement"])
    group = tables.get((x.get("rig") or "?", form), [])
    if len(group) < MIN_RIG_GROUP:
        group = tables.get(("family:" + (x.get("rig_family") or "?"), form), [])
    if len(group) < 2:
        return None
    lo, hi = bisect_left(group, s), bisect_right(group, s)
    return round((lo + 0.5 * (hi - lo)) / len(group), 4)


def with_rig_percentiles(derived: dict[str, dict]) -> dict[str, dict]:
    """The derived entries with each measurement's ``rig_percentile`` (new dicts)."""
    tables = rig_tables(derived)
    return {
        pid: {**d, "all": [{**x, "rig_percentile": rig_percentile(tables, x)} for x in d["all"]]}
        for pid, d in derived.items()
    }


def _entries_in(path: Path) -> int:
    """How many products the derived file at ``path`` has (0 when missing or not a mapping)."""
    if not path.exists():
        return 0
    try:
        data = load_yaml(read_text_capped(path, MAX_DERIVED_BYTES, "measurements"))
    except yaml.YAMLError:
        return 0  # unreadable: nothing worth keeping
    return len(data) if isinstance(data, dict) else 0


def write_derived(
    derived: dict[str, dict], path: Path = DERIVED_FILE, *, force: bool = False
) -> None:
    """Write ``derived`` to ``path`` atomically (temporary file, fsync, rename).

    Unless ``force``, a result with fewer than half the products of the file already there (an
    empty or wrong measurements folder gives ``{}``) raises :class:`ConflictError` (field
    ``measurements``) and leaves the file unchanged.
    """
    existing = _entries_in(path)
    if not force and len(derived) * 2 < existing:
        raise ConflictError(
            f"the new measurement data covers {len(derived)} headphones where {path.name} has "
            f"{existing}; nothing was changed. Check the measurements folder, or pass --force",
            "measurements",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    header = "# Generated by `earwise catalog enrich` from ../shared/measurements. Do not edit.\n"
    text = yaml.safe_dump(derived, sort_keys=True, default_flow_style=None, width=120)
    atomic_write_text(path, header + text)
