"""The JSON API under ``/api``: one thin handler per service use case.

Handlers are plain ``def`` (FastAPI runs them in its threadpool, off the event loop) except the
uploads, which read the body asynchronously and then compute in the threadpool. Every response
is the service result's ``to_json()`` (the same shapes as the CLI's ``--json``).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from earwise import service
from earwise.service.app import Earwise
from earwise.service.requests import (
    AnalyzeRequest,
    AskRequest,
    BestRequest,
    CompareRequest,
    EqRequest,
    ExplainRequest,
    KitRequest,
    NameRequest,
    NeedRequest,
    ProfileRequest,
    RecommendRequest,
    SearchRequest,
)
from earwise.web.params import (
    app_of,
    drive_request,
    flag,
    names,
    need_query,
    opt,
    profile_query,
    search_query,
)
from earwise.web.uploads import measurement_uploads

router = APIRouter(prefix="/api", tags=["api"])


def reply(result) -> JSONResponse:
    return JSONResponse(result.to_json())


@router.get("/recommend")
def api_recommend(
    top: str | None = None,
    profile: ProfileRequest = Depends(profile_query),
    app: Earwise = Depends(app_of),
):
    """Ranked headphones (and amps when needed) for a listener profile."""
    return reply(service.recommend(app, RecommendRequest(profile=profile, top=opt(top) or 5)))


@router.get("/products")
def api_products(req: SearchRequest = Depends(search_query), app: Earwise = Depends(app_of)):
    """Catalog headphones matching the filters."""
    return reply(service.search(app, req))


@router.get("/products/{product_id}")
def api_product(product_id: str, app: Earwise = Depends(app_of)):
    """One headphone or source with its provenance."""
    return reply(service.show(app, NameRequest(product_id)))


@router.get("/compare")
def api_compare(ids: list[str] = Query(default=[]), app: Earwise = Depends(app_of)):
    """Two to four headphones side by side."""
    return reply(service.compare(app, CompareRequest(names=names(ids))))


@router.get("/kit")
def api_kit(
    max_items: str | None = None,
    profile: ProfileRequest = Depends(profile_query),
    app: Earwise = Depends(app_of),
):
    """The best set of up to three headphones (and an amp) for a total budget."""
    return reply(service.kit(app, KitRequest(profile=profile, max_items=opt(max_items) or 3)))


@router.get("/best")
def api_best(
    category: str | None = None,
    under: str | None = None,
    top: str | None = None,
    gaming: str | None = None,
    app: Earwise = Depends(app_of),
):
    """Best-of lists (one category, or all)."""
    req = BestRequest(
        category=opt(category), under=opt(under), gaming=flag(gaming, "gaming"), top=opt(top) or 3
    )
    return reply(service.best(app, req))


@router.get("/drive")
def api_drive(
    headphone: str | None = None,
    source: str | None = None,
    vrms: str | None = None,
    zout: str | None = None,
    max_ma: str | None = None,
    balanced: str | None = None,
    need: NeedRequest = Depends(need_query),
    app: Earwise = Depends(app_of),
):
    """Will this source drive this headphone loud enough, cleanly?"""
    req = drive_request(headphone, source, vrms, zout, max_ma, balanced, need)
    return reply(service.drive(app, req))


@router.get("/explain")
def api_explain(
    text: str | None = None,
    source: str | None = None,
    need: NeedRequest = Depends(need_query),
    app: Earwise = Depends(app_of),
):
    """A pasted spec sheet in plain words."""
    return reply(service.explain(app, ExplainRequest(text=text, source=opt(source), need=need)))


@router.get("/ask")
def api_ask(q: str | None = None, app: Earwise = Depends(app_of)):
    """A question in plain words, understood and answered."""
    return reply(service.ask(app, AskRequest(text=q)))


@router.get("/analyze/{product_id}")
def api_analyze(product_id: str, target: str | None = None, app: Earwise = Depends(app_of)):
    """A catalog headphone's measured sound against a target preset."""
    return reply(service.analyze(app, AnalyzeRequest(name=product_id, target=opt(target))))


@router.post("/analyze")
async def api_analyze_upload(
    request: Request,
    label: str | None = None,
    target: str | None = None,
    rig: str | None = None,
    form: str | None = None,
):
    """Your own measurement (the request body: AutoEq CSV, REW or squig text) analysed."""
    app = app_of(request)
    upload, own_target = await measurement_uploads(request, label)
    req = AnalyzeRequest(upload=upload, target=None if own_target else opt(target),
                         target_upload=own_target, rig=opt(rig), form=opt(form))  # fmt: skip
    return reply(await run_in_threadpool(service.analyze, app, req))


def _eq_fields(preset, target, max_gain, filters, like) -> dict:
    fields = {"preset": opt(preset) or "apo", "target": opt(target), "like": opt(like)}
    if opt(max_gain) is not None:
        fields["max_gain"] = max_gain
    if opt(filters) is not None:
        fields["filters"] = filters
    return fields


@router.get("/eq/{product_id}")
def api_eq(
    product_id: str,
    preset: str | None = None,
    target: str | None = None,
    max_gain: str | None = None,
    filters: str | None = None,
    like: str | None = None,
    app: Earwise = Depends(app_of),
):
    """A parametric or graphic EQ for a catalog headphone, in an app's format."""
    name = NameRequest(product_id).name  # EqRequest lets a blank name through as None
    req = EqRequest(name=name, **_eq_fields(preset, target, max_gain, filters, like))
    return reply(service.eq(app, req))


@router.post("/eq")
async def api_eq_upload(
    request: Request,
    label: str | None = None,
    preset: str | None = None,
    target: str | None = None,
    max_gain: str | None = None,
    filters: str | None = None,
    like: str | None = None,
    rig: str | None = None,
    form: str | None = None,
):
    """An EQ for your own measurement (the request body)."""
    app = app_of(request)
    fields = _eq_fields(preset, target, max_gain, filters, like)
    upload, own_target = await measurement_uploads(request, label)
    if own_target is not None:
        fields = {**fields, "target": None, "target_upload": own_target}
    req = EqRequest(upload=upload, rig=opt(rig), form=opt(form), **fields)
    return reply(await run_in_threadpool(service.eq, app, req))
