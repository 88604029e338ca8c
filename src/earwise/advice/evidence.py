"""Sound evidence per product, without rig bias (issue 12).

A Harman predicted-preference score depends on the rig that measured the headphone: each
measurement in ``derived/measured.yaml`` is scored against its own rig's target, but the scores of
different rigs are not on one scale (RTINGS' HMS rig scores the HD 600 82, oratory1990's GRAS rig
91). ``earwise catalog enrich`` therefore stores each measurement's **rig percentile**: its rank
among the measurements of the same rig and form (catalog.derive.rig_percentile). Here a product
measured on several rigs gets the mean of its percentiles, their spread, and the mean of its band
deviations (each already relative to its own rig's target).

Products with no measurement get no evidence; the criteria give them the expected score minus an
uncertainty penalty (``sound.uncertainty_penalty``), so they are neither favoured nor buried.
"""

from __future__ import annotations

from dataclasses import dataclass

from earwise.advice.weights import BANDS


@dataclass(frozen=True)
class Evidence:
    pct: float | None  # mean rig percentile of the predicted preference, 0..1
    spread: float | None  # max - min of the percentiles (0 with one measurement)
    n: int  # measurements with a percentile
    bass_db: float | None  # mean broad-band deviation from each rig's Harman target
    treble_db: float | None
    rigs: tuple[str, ...]  # the rigs, as named in the derived data
    # the seven bands (sub-bass .. air, acoustics.features.BANDS_HZ), each the mean deviation
    # from each rig's own target; None where no measurement has the band
    bands_db: tuple[float | None, ...] = ()


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def evidence(d: dict | None) -> Evidence:
    """Combine every measurement of one product (its derived entry ``d``)."""
    if not d:
        return Evidence(None, None, 0, None, None, (), ())
    pcts = [x["rig_percentile"] for x in d["all"] if x.get("rig_percentile") is not None]
    bands = [x.get("bands_db") or {} for x in d["all"]]
    bass = [b["bass_db"] for b in bands if b.get("bass_db") is not None]
    treble = [b["treble_db"] for b in bands if b.get("treble_db") is not None]
    rigs = tuple(dict.fromkeys(x.get("rig") or x["measurement"].split("/")[0] for x in d["all"]))
    return Evidence(
        pct=_mean(pcts),
        spread=(max(pcts) - min(pcts)) if pcts else None,
        n=len(pcts),
        bass_db=_mean(bass),
        treble_db=_mean(treble),
        rigs=rigs,
        bands_db=tuple(_mean([b[k] for b in bands if b.get(k) is not None]) for k in BANDS),
    )


@dataclass(frozen=True)
class RigScore:
    source: str  # who measured it ("oratory1990", "Rtings"...)
    score: float  # Harman predicted preference, 0-100, against that rig's target
    pct: float | None  # its rank among the same rig's measurements of the same form, 0..1
    count: int = 1  # measurements of it on that rig (several units or pads): their mean


def rig_scores(d: dict | None) -> list[RigScore]:
    """Each rig's predicted preference with its rig rank, in the derived entry's order; two
    measurements on one rig (units, pads) are one mean, said as such."""
    by_rig: dict[str, list[dict]] = {}
    for x in (d or {}).get("all", []):
        if x.get("preference_score") is not None:
            by_rig.setdefault(x["measurement"].split("/")[0], []).append(x)
    out = []
    for source, xs in by_rig.items():
        pcts = [x["rig_percentile"] for x in xs if x.get("rig_percentile") is not None]
        out.append(RigScore(source, _mean([float(x["preference_score"]) for x in xs]),
                            _mean(pcts) if pcts else None, len(xs)))  # fmt: skip
    return out


def rig_phrase(r: RigScore) -> str:
    """'82.0 on Rtings's rig (better than 84% measured there)'."""
    rank = f" (better than {int(100 * r.pct)}% measured there)" if r.pct is not None else ""
    below = " (under 0: Olive's formula runs below its scale for a curve this far from the target)"
    mean = f", the mean of its {r.count} measurements there" if r.count > 1 else ""
    return f"{r.score:.1f}{below if r.score < 0 else ''} on {r.source}'s rig{rank}{mean}"
