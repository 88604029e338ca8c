"""Typed results, one per use case, named as the field names things. ``to_json()`` gives the
``--json`` / API shape (a contract: extend, never rename or drop without a README note)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    def to_json(self) -> Any:
        return self.model_dump(mode="json")


class Listing(Result):
    """The columns every product list shows."""

    id: str
    brand: str
    model: str
    price_usd: float | None
    form_factor: str
    back: str
    wireless: bool | None
    anc: bool | None
    mic: str


class ProductSummary(Listing):
    platforms: list[str]


class AmpRef(Result):
    id: str
    brand: str
    model: str
    price_usd: float | None


class RecommendationItem(ProductSummary):
    rank: int
    score: float
    criteria: dict[str, Any]
    reasons: list[str]
    warnings: list[str]
    amp: AmpRef | None
    total_price_usd: float | None
    decisive: list[str] = []  # the 2-3 criteria that put it at this rank, in plain words
    trade_off: str | None = None  # what it trades against the next pick
    price_basis: str | None = None  # what the price is and when: "launch price, 2008"


class UsedItem(Result):
    id: str
    label: str
    last_price_usd: float
    score: float
    successor: str | None


class RecommendResult(Result):
    profile: dict[str, Any]
    considered: int
    notes: list[str]
    assumptions: list[str]
    recommendations: list[RecommendationItem]
    name_notes: list[str] = []  # near matches: what was shown for a name, said plainly
    used_market: list[UsedItem] = []  # discontinued models, apart, when asked for (--used)


class CompareRow(Result):
    field: str
    label: str
    values: list[str]
    differs: bool


class CompareResult(Result):
    products: list[ProductSummary]
    rows: list[CompareRow]
    name_notes: list[str] = []  # near matches: what was shown for a name, said plainly


class ShowResult(Result):
    """A headphone (``record`` with provenance, platform support, measured features) or a
    source/amp (``kind == 'source'``); ``rows`` are the display lines of the spec table."""

    kind: str
    record: dict[str, Any]
    rows: list[CompareRow] = []
    match: str = "exact"  # exact | alias | near: a near match is never silent
    match_note: str | None = None

    def to_json(self) -> Any:
        note = {"match_note": self.match_note} if self.match_note else {}
        return {**self.record, "match": self.match, **note}


class SearchRow(Listing):
    signature: str | None
    preference_score: float | None


class SearchResult(Result):
    rows: list[SearchRow]
    unknown_left_out: dict[str, int] = {}  # filter -> products left out as unknown (not in --json)

    def to_json(self) -> Any:
        return [r.to_json() for r in self.rows]


class KitItemOut(Result):
    id: str
    label: str
    price_usd: float | None
    genres: list[str]
    fit: dict[str, float] = {}  # genre -> this member's fit, 0..1
    places: list[str] = []  # with several places: those it serves best ("on the commute")


class KitAmp(Result):
    id: str
    label: str
    price_usd: float | None


class KitOut(Result):
    items: list[KitItemOut]
    amp: KitAmp | None
    total_price_usd: float
    score: float
    coverage: dict[str, float]
    decisive: list[str] = []  # where it beats the other answer (kit vs best single) most
    trade_off: str | None = None  # what it trades against the other answer


class KitResult(Result):
    profile: dict[str, Any]
    best: KitOut
    best_single: KitOut
    alternatives: list[KitOut]
    assumptions: list[str] = []
    name_notes: list[str] = []  # near matches: what was shown for a name, said plainly


class BestPick(Result):
    rank: int
    id: str
    brand: str
    model: str
    price_usd: float | None
    score: float
    pros: list[str]
    cons: list[str]
    reasons: list[str]
    decisive: list[str] = []  # the 2-3 criteria that put it here
    trade_off: str | None = None  # against the next pick of the list, in plain words


class BestList(Result):
    category: str
    title: str
    picks: list[BestPick]
    note: str | None = None

    def to_json(self) -> Any:
        return self.model_dump(mode="json", exclude_none=True)


class BestResult(Result):
    lists: list[BestList]

    def to_json(self) -> Any:
        return [x.to_json() for x in self.lists]


class DriveReport(Result):
    """The numbers and a plain verdict for one headphone on one output (absent keys: not
    applicable, e.g. a wireless headphone has its own amplifier)."""

    headphone: str
    source: str
    verdict: str
    sensitivity_db_spl_per_v: float | None = None
    impedance_ohm: float | None = None
    listening_level_db_spl: float | None = None
    crest_db: float | None = None
    needed_peak_db_spl: float | None = None
    why_needed: str | None = None
    needed_vrms: float | None = None
    needed_mw: float | None = None
    needed_ma: float | None = None
    # the source noise (µV rms) this headphone turns into sound at the threshold of hearing
    silent_noise_uv: float | None = None
    reachable_peak_db_spl: float | None = None
    headroom_db: float | None = None
    limited_by: str | None = None
    source_vrms_into_load: float | None = None
    source_zout_ohm: float | None = None
    zout_level_loss_db: float | None = None
    damping_factor: float | None = None
    zout_fr_deviation_db: float | None = None
    assumptions: list[str] = []

    name_notes: list[str] = []  # near matches: what was shown for a name, said plainly

    def to_json(self) -> Any:
        return self.model_dump(mode="json", exclude_unset=True)


class AmpsForResult(Result):
    headphone: str
    electrostatic: bool = False
    energizers: list[dict[str, Any]] = []
    needed_peak_db_spl: float | None = None
    why_needed: str | None = None
    amps: list[dict[str, Any]] = []
    without_output_figures: int = 0

    name_notes: list[str] = []  # near matches: what was shown for a name, said plainly

    def to_json(self) -> Any:
        return self.model_dump(mode="json", exclude_unset=True)


class ChainResult(Result):
    """Each link's role, the connection, the drive margin and what to upgrade first; for an
    electrostatic headphone the energizer findings (in ``extra``) replace connection and drive."""

    headphone: str
    links: list[dict[str, Any]]
    digital_bypass: bool = False
    connection: dict[str, Any] | None = None
    drive: dict[str, Any] | None = None
    upgrade_first: dict[str, Any] | None = None
    extra: dict[str, Any] = {}
    assumptions: list[str] = []

    name_notes: list[str] = []  # near matches: what was shown for a name, said plainly

    def to_json(self) -> Any:
        d = self.model_dump(mode="json", exclude={"extra"}, exclude_unset=True)
        return {**self.extra, **d}


class ExplainItem(Result):
    spec: str
    value: str
    means: str
    for_you: str
    flags: list[str]


class ExplainResult(Result):
    headphone: str
    items: list[ExplainItem]
    drive: list[dict[str, Any]]
    unread: list[str]
    verdict: str
    extra: dict[str, Any] = {}

    name_notes: list[str] = []  # near matches: what was shown for a name, said plainly

    def to_json(self) -> Any:
        d = self.model_dump(mode="json", exclude={"extra"})
        return {**self.extra, **d}


class AnalyzeResult(Result):
    name: str
    rig: str
    form: str
    target: str
    preference_score: float | None
    score_note: str | None
    signature: str
    bands_db: dict[str, float]
    meaning: list[str]
    id: str | None = None
    measurement: str | None = None
    other_measurements: list[dict[str, Any]] | None = None

    name_notes: list[str] = []  # near matches: what was shown for a name, said plainly

    def to_json(self) -> Any:
        return self.model_dump(mode="json", exclude_unset=True)


class SimilarItem(Result):
    measurement: str
    distance_db: float
    product_id: str | None
    label: str
    trade_off: str | None = None  # how it still differs: the band that differs most, back, price


class SimilarResult(Result):
    id: str
    name: str
    measurement: str
    scope: str
    similar: list[SimilarItem]
    name_notes: list[str] = []  # near matches: what was shown for a name, said plainly


class PlotResult(Result):
    """The figure's bytes (SVG text or PNG) and its title."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)
    title: str
    fmt: str
    content: bytes

    def to_json(self) -> Any:
        return {"title": self.title, "format": self.fmt, "bytes": len(self.content)}


class EqFilter(Result):
    type: str
    fc_hz: float
    q: float
    gain_db: float


class EqCurves(Result):
    freq_hz: list[float]
    raw_db: list[float]
    eq_db: list[float]
    target_db: list[float]


class EqResult(Result):
    headphone: str
    measurement_rig: str
    goal: str
    preset: str
    app: str
    note: str
    fs_hz: float
    preamp_db: float
    filters: list[EqFilter]
    remaining_error_db: float
    preference: dict[str, Any] | None
    above_10khz: str
    file_text: str
    extension: str
    curves: EqCurves

    name_notes: list[str] = []  # near matches: what was shown for a name, said plainly

    def to_json(self) -> Any:
        return self.model_dump(mode="json", exclude={"curves"})


class AskResult(Result):
    understood: dict[str, Any]
    missing: list[dict[str, Any]]
    assumptions: list[str]
    answer: dict[str, Any]


class StatsResult(Result):
    counts: dict[str, Any]

    def to_json(self) -> Any:
        return self.counts


class IndexResult(Result):
    files: int
    read: int
    unchanged: int
    removed: int
    problems: int
    linked_products: int
    unmatched_measurements: int


class EnrichResult(Result):
    enriched: int
    root: str


class RebuildResult(Result):
    path: str


class Choices(Result):
    """The values the web forms offer."""

    genres: list[str]
    uses: list[str]
    platforms: list[str]
    forms: list[str]
    backs: list[str]
    sortable: list[str]
    categories: list[str]
    presets: list[str]
    sources: list[list[str]]
