"""The HTML pages: server-rendered (Jinja2, autoescaped), working without JavaScript. Every form
is a GET, so the URL holds the whole query. Handlers are plain ``def`` (run in the threadpool)
and call only :mod:`earwise.service`; the view is read for form choices and thumbnails."""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse

from earwise import service
from earwise.core.errors import EarwiseError
from earwise.service.app import Earwise
from earwise.service.requests import (
    AnalyzeRequest,
    AskRequest,
    BestRequest,
    CompareRequest,
    DriveRequest,
    EqRequest,
    ExplainRequest,
    KitRequest,
    NameRequest,
    NeedRequest,
    PlotRequest,
    ProfileRequest,
    RecommendRequest,
    SearchRequest,
    SimilarRequest,
)
from earwise.web.params import (
    app_of,
    drive_request,
    names,
    need_query,
    opt,
    profile_query,
    search_query,
)
from earwise.web.templating import templates

router = APIRouter(include_in_schema=True, tags=["pages"], default_response_class=HTMLResponse)
EQ_PRESETS = ["apo", "graphiceq", "poweramp", "qudelix", "uapp", "rockbox", "graphic10", "spotify"]
BACKS = ["open", "closed", "semi-open"]


def page(request: Request, name: str, ctx: dict):
    return templates.TemplateResponse(request, name, ctx)


def form_context(request: Request, app: Earwise) -> dict:
    c = service.choices(app)
    return {"genres": c.genres, "uses": c.uses, "platforms": c.platforms, "forms": c.forms,
            "sources": [tuple(x) for x in c.sources], "q": request.query_params}  # fmt: skip


@router.get("/")
def advisor(
    request: Request,
    top: str | None = None,
    profile: ProfileRequest = Depends(profile_query),
    app: Earwise = Depends(app_of),
):
    """The advisor form and, when the URL holds a query, its ranked answer."""
    ctx = form_context(request, app)
    ctx["result"] = None
    if request.query_params:
        req = RecommendRequest(profile=profile, top=opt(top) or 5)
        data = service.recommend(app, req).to_json()
        for r in data["recommendations"]:
            r["thumbnail"] = service.thumbnail_svg(app, r["id"])
        ctx["result"] = data
    return page(request, "advisor.html", ctx)


def _section(default, call, *args):
    """One section of a product page: its data, or ``default`` when the service says no."""
    try:
        return call(*args)
    except EarwiseError:
        return default


def _plot(app: Earwise, ids: list[str]) -> str | None:
    result = service.plot(app, PlotRequest(names=ids))
    return result.content.decode("utf-8")


def _drives(app: Earwise, pid: str) -> list[tuple[str, dict]]:
    out = []
    for label, device_id in service.representative_sources(app):
        try:
            out.append(
                (label, service.drive(app, DriveRequest(headphone=pid, source=device_id)).to_json())
            )
        except EarwiseError as exc:
            out.append((label, {"verdict": str(exc)}))
    return out


@router.get("/product/{product_id}")
def product(request: Request, product_id: str, app: Earwise = Depends(app_of)):
    """A headphone (measured sound, specs in plain words, drive, EQ downloads) or a source."""
    shown = service.show(app, NameRequest(product_id))
    if shown.kind != "headphone":
        return page(request, "device.html", {"d": shown.record})
    h = shown.record
    pid, measured = h["id"], bool(h.get("measured"))
    similar = _section(
        [], lambda: service.similar(app, SimilarRequest(pid, 5)).to_json()["similar"]
    )
    analysis = None
    if measured:
        analysis = _section(None, lambda: service.analyze(app, AnalyzeRequest(name=pid)).to_json())
    plot = _section(None, _plot, app, [pid]) if measured else None
    if measured and plot is None:
        plot = service.thumbnail_svg(app, pid)
    explain = _section(
        {"items": []}, lambda: service.explain(app, ExplainRequest(name=pid)).to_json()
    )
    ctx = {"h": h, "summary": h, "match_note": shown.match_note, "rows": [r.to_json() for r in shown.rows], "explain": explain,
           "drives": _drives(app, pid), "plot": plot, "similar": similar, "presets": EQ_PRESETS,
           "measured": measured, "analysis": analysis}  # fmt: skip
    return page(request, "product.html", ctx)


@router.get("/compare")
def compare(request: Request, ids: list[str] = Query(default=[]), app: Earwise = Depends(app_of)):
    """Two to four headphones side by side, with their measured responses overlaid."""
    ids = names(ids)
    data, plot = None, None
    if ids:
        data = service.compare(app, CompareRequest(names=ids)).to_json()
        measured_ids = app.view().measured
        overlay = [p["id"] for p in data["products"] if p["id"] in measured_ids]
        plot = _section(None, _plot, app, overlay) if overlay else None
    return page(
        request, "compare.html", {"data": data, "plot": plot, "ids": ids, "q": request.query_params}
    )


@router.get("/browse")
def browse(
    request: Request, req: SearchRequest = Depends(search_query), app: Earwise = Depends(app_of)
):
    """The catalog, filtered and sorted."""
    result = service.search(app, req)
    c = service.choices(app)
    ctx = {"rows": result.to_json(), "unknown": result.unknown_left_out, "q": request.query_params,
           "forms": c.forms, "platforms": c.platforms, "sortable": c.sortable}  # fmt: skip
    return page(request, "browse.html", ctx)


@router.get("/best")
def best(
    request: Request,
    category: str | None = None,
    under: str | None = None,
    app: Earwise = Depends(app_of),
):
    """A best-of list."""

    req = BestRequest(category=opt(category) or "overall", under=opt(under), top=5)
    data = service.best(app, req).lists[0].to_json()
    data.setdefault("picks", [])
    ctx = {"data": data, "categories": service.choices(app).categories, "q": request.query_params}
    return page(request, "best.html", ctx)


@router.get("/kit")
def kit(
    request: Request,
    profile: ProfileRequest = Depends(profile_query),
    app: Earwise = Depends(app_of),
):
    """The best set of headphones for several genres and one total budget."""
    ctx = form_context(request, app)
    ctx["result"] = None
    if profile.budget is not None:
        ctx["result"] = service.kit(app, KitRequest(profile=profile)).to_json()
    return page(request, "kit.html", ctx)


@router.get("/drive")
def drive(
    request: Request,
    headphone: str | None = None,
    source: str | None = None,
    vrms: str | None = None,
    zout: str | None = None,
    need: NeedRequest = Depends(need_query),
    app: Earwise = Depends(app_of),
):
    """Will a source drive a headphone?"""
    ctx = form_context(request, app)
    ctx["result"] = None
    if opt(headphone):
        req = drive_request(headphone, source, vrms, zout, None, None, need)
        ctx["result"] = service.drive(app, req).to_json()
    return page(request, "drive.html", ctx)


@router.get("/explain")
def explain(request: Request, text: str | None = None, app: Earwise = Depends(app_of)):
    """A pasted spec sheet in plain words."""
    result = None
    if opt(text):
        result = service.explain(app, ExplainRequest(text=text)).to_json()
    return page(request, "explain.html", {"result": result, "text": text or ""})


@router.get("/ask")
def ask(request: Request, q: str | None = None, app: Earwise = Depends(app_of)):
    """A question in plain words."""
    result = service.ask(app, AskRequest(text=q)).to_json() if opt(q) else None
    return page(request, "ask.html", {"result": result, "q": q or ""})


_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@router.get("/eq/{product_id}.{ext}", response_class=PlainTextResponse)
def eq_download(
    product_id: str,
    ext: str,
    preset: str | None = None,
    target: str | None = None,
    app: Earwise = Depends(app_of),
):
    """An EQ file to download (the extension is the app's; ``ext`` is cosmetic)."""
    preset = opt(preset) or "apo"
    pid = service.show(app, NameRequest(product_id)).record["id"]
    result = service.eq(app, EqRequest(name=pid, preset=preset, target=opt(target)))
    name = _SAFE.sub("-", f"{pid}-{preset}.{result.extension}")[:120]
    return PlainTextResponse(
        result.file_text, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
