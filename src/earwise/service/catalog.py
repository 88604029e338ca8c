"""Use cases over the catalog: recommend, show, search, compare, kit, best, stats, export, rebuild."""

from __future__ import annotations

from earwise.advice.best import best_list, category_names
from earwise.advice.engine import NoMatchError
from earwise.advice.profile import Profile, build_profile, parse_genre_shares
from earwise.catalog import store
from earwise.catalog.loader import DATA_DIR
from earwise.catalog.view import CatalogView
from earwise.core.errors import EarwiseError, NotFoundError
from earwise.service import results as R
from earwise.service import views
from earwise.service.app import Earwise
from earwise.service.defaults import assumed_source_note
from earwise.service.names import NotingView
from earwise.service.requests import (
    BestRequest,
    CompareRequest,
    KitRequest,
    NameRequest,
    ProfileRequest,
    RecommendRequest,
    SearchRequest,
)


def profile_of(view: CatalogView, p: ProfileRequest) -> Profile:
    """The engine's profile from a validated request (catalog names resolved)."""
    owned = [view.resolve(n, "headphone")[0] for n in p.owned]
    brands = [catalog_brand(view, b) for b in p.brand]
    return build_profile(
        genres=parse_genre_shares(p.genre), uses=p.use, platforms=p.platform,
        budget_usd=p.budget, budget_includes_amp=p.budget_includes_amp,
        budget_min_usd=p.min_price, source=p.source, source_vrms=p.source_vrms,
        source_zout_ohm=p.source_zout, forms=[p.form] if p.form else [], back=p.back, driver=p.driver,
        wireless=p.wireless, anc=p.anc, mic=p.mic, no_amp=p.no_amp, no_leak=p.no_leak,
        max_weight_g=p.max_weight, glasses=p.glasses, head_size=p.head,
        long_sessions=p.long_sessions, long_battery=p.long_battery, bass=p.bass, treble_sensitive=p.treble_sensitive,
        tonality=p.tonality, soundstage=p.soundstage, level=p.level, owned=owned, used=p.used,
        brands=list(dict.fromkeys(brands)),
    )  # fmt: skip


def catalog_brand(view: CatalogView, name: str) -> str:
    """The catalog's spelling of a maker as typed ("sony", "Senn", "Phillips"), or a clear error
    naming the closest makers the catalog knows."""
    from earwise.advice.ask_match import catalog_maker

    if brand := catalog_maker(view, name):
        return brand
    from rapidfuzz import process  # only for a miss: kept off the start-up path

    brands = view.brand_names()
    near = [b for b, score, _ in process.extract(name, brands, processor=store.normalise_name, limit=3)
            if score >= 70]  # fmt: skip
    hint = f"; did you mean {', '.join(repr(b) for b in near)}?" if near else ""
    raise EarwiseError(f"no headphones by {name!r} in the catalog{hint}", "brand")


def source_assumptions(view: CatalogView, profile: Profile) -> list[str]:
    """What the answer assumed because the user did not say (stated in every answer)."""
    if profile.source is None and profile.source_vrms is None:
        return [assumed_source_note(view)]
    return []


def recommend(app: Earwise, req: RecommendRequest) -> R.RecommendResult:
    view = NotingView(app.view())
    profile = profile_of(view, req.profile)
    data, _ = views.recommend_json(view, profile, req.top)
    return R.RecommendResult(
        **data, assumptions=source_assumptions(view, profile), name_notes=view.notes
    )


def show(app: Earwise, req: NameRequest) -> R.ShowResult:
    view = app.view()
    m = view.match(req.name)
    pid, kind, how = m.id, m.kind, {"match": m.match, "match_note": m.note}
    if kind == "source":
        return R.ShowResult(kind="source", record=views.device_json(view.devices[pid]), **how)
    h = view.headphones[pid]
    rows = views.compare_json(view, [h])["rows"]
    return R.ShowResult(kind="headphone", record=views.show_json(view, h), rows=rows, **how)


def search(app: Earwise, req: SearchRequest) -> R.SearchResult:
    from earwise.advice.vocab import resolve_platform

    platform = resolve_platform(req.platform) if req.platform else None
    filters = dict(
        form=req.form, back=req.back, wireless=req.wireless, anc=req.anc, mic=req.mic,
        platform=platform, signature=req.signature, brand=req.brand, max_price=req.max_price,
        min_price=req.min_price, include_discontinued=not req.current,
    )  # fmt: skip
    conn = app.connect()
    try:
        rows = store.search_headphones(
            conn, **filters, sort=req.sort, descending=req.desc, limit=req.limit
        )
        unknown = _unknown_left_out(conn, filters)
    finally:
        conn.close()
    out = []
    for r in rows:
        row = {c: r[c] for c in store.LIST_COLUMNS}
        row["wireless"] = None if row["wireless"] is None else bool(row["wireless"])
        row["anc"] = None if row["anc"] is None else bool(row["anc"])
        out.append(R.SearchRow(**row))
    return R.SearchResult(rows=out, unknown_left_out=unknown)


def _unknown_left_out(conn, filters: dict) -> dict[str, int]:
    """For each yes/no filter given: how many products matched everything else but have that
    fact unknown (left out, never counted as a "no")."""
    out = {}
    for name, is_unknown in (
        ("wireless", lambda r: r["wireless"] is None),
        ("anc", lambda r: r["anc"] is None),
        ("mic", lambda r: r["mic"] == "unknown"),
    ):
        if filters[name] is None:
            continue
        rows = store.search_headphones(conn, **(filters | {name: None}))
        n = sum(1 for r in rows if is_unknown(r))
        if n:
            out[name] = n
    return out


def compare(app: Earwise, req: CompareRequest) -> R.CompareResult:
    view = NotingView(app.view())
    items = [view.headphone(n) for n in req.names]
    return R.CompareResult(**views.compare_json(view, items), name_notes=view.notes)


def kit(app: Earwise, req: KitRequest) -> R.KitResult:
    view = NotingView(app.view())
    profile = profile_of(view, req.profile)
    data = views.kit_json(view, profile, req.max_items)
    return R.KitResult(**data, assumptions=source_assumptions(view, profile), name_notes=view.notes)


def best(app: Earwise, req: BestRequest) -> R.BestResult:
    view = app.view()
    base = {"mic": True, "uses": ["gaming"]} if req.gaming else {}
    cats = [req.category] if req.category else [c for c in category_names() if c != "under"]
    lists = []
    for c in cats:
        try:
            lists.append(R.BestList(**best_list(view, c, req.top, req.under, base)))
        except NoMatchError as exc:
            lists.append(R.BestList(category=c, title=c, picks=[], note=str(exc)))
    return R.BestResult(lists=lists)


def catalog_stats(app: Earwise) -> R.StatsResult:
    conn = app.connect()
    try:
        return R.StatsResult(counts=store.stats(conn))
    finally:
        conn.close()


def catalog_export(app: Earwise) -> list[dict]:
    """Every product record exactly as :func:`show` gives it (``show(...).to_json()``) plus
    ``"kind": "headphone"`` or ``"source"``: headphones first, then sources, each by id."""
    view = app.view()
    exact = {"match": "exact"}  # an id is an exact name
    return [
        {**views.show_json(view, view.headphones[i]), **exact, "kind": "headphone"}
        for i in sorted(view.headphones)
    ] + [
        {**views.device_json(view.devices[i]), **exact, "kind": "source"}
        for i in sorted(view.devices)
    ]


def catalog_rebuild(app: Earwise) -> R.RebuildResult:
    path = app.settings.store_path
    store.build_store(path, app.settings.catalog_dir or DATA_DIR, notice=app.notice)
    return R.RebuildResult(path=str(path))


def category_or_error(category: str) -> str:
    if category not in category_names():
        raise NotFoundError(
            f"unknown category {category!r}; valid: {', '.join(category_names())}", "category"
        )
    return category


__all__ = ["EarwiseError"]
