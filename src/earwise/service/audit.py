"""Use cases for trusting the catalog: the audit (completeness against the targets, weak
sources, old prices, disagreements) and the reproducible random fact sample.

See docs/catalog-audit.md and docs/source-policy.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from earwise.catalog import audit as A
from earwise.core.errors import EarwiseError
from earwise.service.app import Earwise
from earwise.service.results import Result

MAX_SAMPLE = 10_000
MAX_SEED = 2**63 - 1


# --- requests -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleRequest:
    """A random fact draw: ``seed`` (0 to 2^63-1) and ``n`` facts (1 to 10,000)."""

    seed: int
    n: int = 100

    def __post_init__(self) -> None:
        for name, value, low, high in (("seed", self.seed, 0, MAX_SEED),
                                       ("n", self.n, 1, MAX_SAMPLE)):  # fmt: skip
            if isinstance(value, bool) or not isinstance(value, int):
                raise EarwiseError(f"{name} must be a whole number", name)
            if not low <= value <= high:
                raise EarwiseError(f"{name} {value} is outside {low}..{high:,}", name)


# --- results ------------------------------------------------------------------------------


class CategoryFigure(Result):
    have: int
    of: int
    pct: float | None


class FigureOut(Result):
    """One completeness figure: ``have`` of ``of`` (products, or outputs for sources), the
    target in percent (None: no target set) and whether it is met."""

    scope: str
    field: str
    label: str
    have: int
    of: int
    pct: float | None
    target_pct: float | None
    met: bool | None
    by_category: dict[str, CategoryFigure]


class CountOut(Result):
    scope: str
    total: int
    current: int
    target: int
    met: bool


class WeakItem(Result):
    id: str
    groups: list[str]


class WeakSummary(Result):
    products: int
    groups: int
    by_group: dict[str, int]
    items: list[WeakItem]


class StalePrice(Result):
    id: str
    usd: float
    kind: str
    as_of: str


class StaleSummary(Result):
    cutoff: str  # prices dated before this month are old
    months: int
    items: list[StalePrice]
    undated: list[str]


class Disagreement(Result):
    id: str
    field: str
    detail: str


class AuditResult(Result):
    today: str
    counts: list[CountOut]
    figures: list[FigureOut]
    weak: WeakSummary
    stale_prices: StaleSummary
    disagreements: list[Disagreement]


class SampledSource(Result):
    kind: str
    title: str
    url: str | None


class SampledFact(Result):
    product_id: str
    kind: str
    field: str
    value: Any
    group: str
    sources: list[SampledSource]


class SampleResult(Result):
    seed: int
    n: int
    population: int  # facts in the catalog the draw was made from
    data_hash: str | None  # the store's data hash: the same hash and seed give the same draw
    facts: list[SampledFact]


# --- use cases ----------------------------------------------------------------------------


def catalog_audit(app: Earwise, today: date | None = None) -> AuditResult:
    """Completeness, weak sources, old prices and disagreements of the app's catalog."""
    view = app.view()
    data = A.audit(view.headphones.values(), view.devices.values(), today)
    figures = [
        FigureOut(
            scope=f.scope,
            field=f.field,
            label=f.label,
            have=f.have,
            of=f.of,
            pct=f.pct,
            target_pct=f.target_pct,
            met=f.met,
            by_category={
                c: CategoryFigure(have=h, of=o, pct=None if o == 0 else round(100 * h / o, 1))
                for c, (h, o) in f.by_category.items()
            },
        )  # fmt: skip
        for f in data["figures"]
    ]
    return AuditResult(
        today=data["today"],
        counts=[CountOut(**c) for c in data["counts"]],
        figures=figures,
        weak=WeakSummary(**data["weak"]),
        stale_prices=StaleSummary(**data["stale_prices"]),
        disagreements=[Disagreement(**d) for d in data["disagreements"]],
    )


def catalog_sample(app: Earwise, req: SampleRequest) -> SampleResult:
    """``req.n`` facts drawn with ``req.seed`` from the app's catalog (see docs/catalog-audit.md)."""
    view = app.view()
    population = A.facts(view.headphones.values(), view.devices.values())
    drawn = A.sample(population, req.seed, req.n)
    return SampleResult(
        seed=req.seed,
        n=len(drawn),
        population=len(population),
        data_hash=_data_hash(app),
        facts=[
            SampledFact(
                product_id=f.product_id,
                kind=f.kind,
                field=f.field,
                value=f.value,
                group=f.group,
                sources=[SampledSource(kind=s.kind, title=s.title, url=s.url) for s in f.sources],
            )  # fmt: skip
            for f in drawn
        ],
    )


def _data_hash(app: Earwise) -> str | None:
    conn = app.connect()
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'data_hash'").fetchone()
    finally:
        conn.close()
    return None if row is None else str(row[0])
