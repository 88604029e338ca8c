"""FastAPI app factory: thin routes over the service functions the CLI uses.

Pages are rendered on the server (Jinja2, autoescaped) and work without JavaScript; every
form is a GET, so the URL holds the whole query (shareable, bookmarkable). The JSON API
returns the same shapes as the CLI's ``--json``. Invalid input -> 422 naming the field;
unknown product -> 404 with suggestions; every response carries a Content-Security-Policy;
request bodies and query strings have size limits.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from earwise.acoustics.eq import EqError
from earwise.acoustics.io import MeasurementError
from earwise.acoustics.plot import svg
from earwise.acoustics.response import FrequencyResponse
from earwise.advice.best import best_list, category_names
from earwise.advice.drive import DriveError, adhoc_source, device_output, headphone_drive, need_for
from earwise.advice.engine import NoMatchError
from earwise.advice.profile import ProfileError
from earwise.advice.spec_explain import explain_sheet, sheet_from_headphone
from earwise.advice.specs import SpecError, parse_spec_sheet
from earwise.advice.vocab import VocabularyError, genres, uses
from earwise.catalog import store
from earwise.catalog.schema import PLATFORMS
from earwise.catalog.view import CatalogView, UnknownProductError, get_view
from earwise.service.measured import MeasuredError, analyze_json, eq_json, similar_json
from earwise.service.views import (
    compare_json,
    headphone_summary,
    kit_json,
    profile_from_options,
    recommend_json,
    show_json,
)

HERE = Path(__file__).parent
MAX_QUERY_BYTES = 8 * 1024
MAX_BODY_BYTES = 64 * 1024
CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
INPUT_ERRORS = (
    ProfileError,
    VocabularyError,
    NoMatchError,
    DriveError,
    SpecError,
    MeasuredError,
    EqError,
    MeasurementError,
)
FORMS = ("over-ear", "on-ear", "in-ear", "earbud")


def _field_of(message: str) -> str:
    for field in (
        "genre",
        "use",
        "platform",
        "budget",
        "level",
        "source",
        "back",
        "form",
        "preset",
        "target",
    ):
        if field in message.lower():
            return field
    return "query"


class LimitsAndHeaders:
    """Pure ASGI middleware: size limits on query strings and bodies, security headers on every
    response (cheaper than an HTTP-middleware wrapper on the hot path)."""

    HEADERS = [
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
    ]

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        problem = None
        if len(scope.get("query_string", b"")) > MAX_QUERY_BYTES:
            problem = (414, f"query string over {MAX_QUERY_BYTES} bytes")
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > MAX_BODY_BYTES:
                problem = (413, f"request body over {MAX_BODY_BYTES} bytes")
        if problem:
            response = JSONResponse({"detail": problem[1]}, status_code=problem[0])
            return await response(scope, receive, self._with_headers(send))
        return await self.app(scope, receive, self._with_headers(send))

    def _with_headers(self, send):
        async def wrapped(message):
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + self.HEADERS
            await send(message)

        return wrapped


def representative_device(view: CatalogView, category: str):
    """The cheapest current device of a category that publishes output figures (else any of it)."""
    devices = sorted(
        (d for d in view.devices.values() if d.category == category),
        key=lambda d: (
            not any(o.ratings for o in d.outputs),
            d.discontinued,
            d.price_usd or float("inf"),
            d.id,
        ),
    )
    return devices[0] if devices else None


def thumbnail(view: CatalogView, product_id: str) -> str | None:
    """A small error-curve plot (measurement minus its rig's target) from the stored curve."""
    d = view.measured.get(product_id)
    if not d:
        return None
    primary = next(x for x in d["all"] if x["measurement"] == d["primary"])
    curve = primary.get("error_db")
    if not curve:
        return None
    from earwise.acoustics.library import similarity_edges

    edges = similarity_edges()
    centres = np.concatenate(([edges[0]], np.sqrt(edges[:-1] * edges[1:]), [edges[-1], 20000.0]))
    values = np.array(curve, dtype=float)
    values = np.concatenate(
        ([values[0]], values, [values[-1], values[-1]])
    )  # held flat outside 20 Hz-10 kHz
    fr = FrequencyResponse(centres, values, "error vs target (to 10 kHz)")
    zero = FrequencyResponse(centres, np.zeros(len(centres)), "target")
    return svg([fr], zero, "")


def product_plot(view: CatalogView, product_id: str) -> str | None:
    """Measured response against its target, from the library when present, else the stored curve."""
    d = view.measured.get(product_id)
    if not d:
        return None
    h = view.headphones[product_id]
    try:
        from earwise.service.measured import curves_for_plot, plot_target

        curves, source, form = curves_for_plot(view, [h.id if h.id in view.headphones else h.model])
        return svg(curves, plot_target(None, source, form), f"{h.brand} {h.model}")
    except (MeasuredError, MeasurementError, UnknownProductError):
        return thumbnail(view, product_id)


def create_app(db_path: Path | None = None) -> FastAPI:
    app = FastAPI(
        title="earwise",
        description="A headphone advisor that computes its answers and shows its reasons.",
    )
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.autoescape = True
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def view() -> CatalogView:
        return get_view(db_path)

    app.add_middleware(LimitsAndHeaders)

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    @app.exception_handler(UnknownProductError)
    async def unknown(request: Request, exc: UnknownProductError):
        body = {"detail": str(exc), "suggestions": exc.suggestions}
        if wants_json(request):
            return JSONResponse(body, status_code=404)
        return templates.TemplateResponse(
            request,
            "error.html",
            {"message": str(exc), "suggestions": exc.suggestions},
            status_code=404,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        errors = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
        if wants_json(request):
            return JSONResponse({"detail": errors}, status_code=422)
        msg = "; ".join(f"{e['loc'][-1]}: {e['msg']}" for e in errors)
        return templates.TemplateResponse(
            request, "error.html", {"message": msg, "suggestions": []}, status_code=422
        )

    for exc_type in INPUT_ERRORS:

        @app.exception_handler(exc_type)
        async def bad_input(request: Request, exc: Exception):
            body = {"detail": [{"loc": ["query", _field_of(str(exc))], "msg": str(exc)}]}
            if wants_json(request):
                return JSONResponse(body, status_code=422)
            return templates.TemplateResponse(
                request, "error.html", {"message": str(exc), "suggestions": []}, status_code=422
            )

    # --- shared query parsing --------------------------------------------------------------

    def profile_of(
        genre: list[str], use: list[str], platform: list[str], budget: str | None, source: str | None,
        form: str | None, back: str | None, wireless: str | None, anc: bool, mic: bool, no_leak: bool,
        long_sessions: bool, bass: str | None, tonality: str | None, budget_includes_amp: bool, level: str | None,
    ):  # fmt: skip
        return profile_from_options(
            genre=[g for g in genre if g], uses=[u for u in use if u], platforms=[p for p in platform if p],
            budget=budget or None, source=source or None, form=form or None, back=back or None,
            wireless=wireless == "wireless", wired=wireless == "wired", anc=anc, mic=mic, no_leak=no_leak,
            long_sessions=long_sessions, bass=bass or None, tonality=tonality or None,
            budget_includes_amp=budget_includes_amp, level=level or "normal",
        )  # fmt: skip

    def profile_params(request: Request) -> dict:
        q = request.query_params
        flag = lambda k: q.get(k) in ("1", "on", "true", "yes")  # noqa: E731
        typed = [x.strip() for x in (q.get("genres") or "").split(",") if x.strip()]
        rows = [
            f"{n}:{s}" if s else n
            for n, s in zip(
                q.getlist("genre-name"), q.getlist("genre-share") + [""] * 10, strict=False
            )
            if n
        ]
        return {
            "genre": q.getlist("genre") + typed + rows, "use": q.getlist("use"), "platform": q.getlist("platform"),
            "budget": q.get("budget"), "source": q.get("source"), "form": q.get("form"), "back": q.get("back"),
            "wireless": q.get("wireless"), "anc": flag("anc"), "mic": flag("mic"), "no_leak": flag("no_leak"),
            "long_sessions": flag("long_sessions"), "bass": q.get("bass"), "tonality": q.get("tonality"),
            "budget_includes_amp": flag("budget_includes_amp"), "level": q.get("level"),
        }  # fmt: skip

    def form_context(request: Request) -> dict:
        return {
            "genres": list(genres()), "uses": list(uses()), "platforms": list(PLATFORMS), "forms": FORMS,
            "sources": sorted(((d.id, f"{d.brand} {d.model}") for d in view().devices.values()), key=lambda x: x[1]),
            "q": request.query_params,
        }  # fmt: skip

    # --- pages -------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse)
    def advisor(request: Request):
        ctx = form_context(request)
        ctx["result"] = None
        if request.query_params:
            profile = profile_of(**profile_params(request))
            data, _ = recommend_json(view(), profile, int(request.query_params.get("top", 5) or 5))
            for r in data["recommendations"]:
                r["thumbnail"] = thumbnail(view(), r["id"])
            ctx["result"] = data
        return templates.TemplateResponse(request, "advisor.html", ctx)

    @app.get("/product/{product_id}", response_class=HTMLResponse)
    def product(request: Request, product_id: str):
        v = view()
        pid, kind = v.resolve(product_id)
        if kind != "headphone":
            return templates.TemplateResponse(
                request, "device.html", {"d": v.devices[pid].model_dump(mode="json")}
            )
        h = v.headphones[pid]
        need = need_for()
        drives = []
        for label, category in (("a phone dongle", "phone-dongle"), ("a laptop", "laptop"), ("a console controller", "console-controller"),
                                ("a portable DAC/amp", "portable-dac-amp"), ("a desktop amp", "desktop-amp")):  # fmt: skip
            d = representative_device(v, category)
            if d is None:
                continue
            lim, out_name = device_output(d)
            try:
                drives.append((label, headphone_drive(h, lim, f"the {d.brand} {d.model}", need)))
            except DriveError as exc:
                drives.append((label, {"verdict": str(exc)}))
        try:
            similar = similar_json(v, pid, 5)["similar"]
        except MeasuredError:
            similar = []
        ctx = {
            "h": show_json(v, h), "summary": headphone_summary(v, h), "rows": compare_json(v, [h])["rows"],
            "explain": explain_sheet(sheet_from_headphone(h), f"{h.brand} {h.model}"), "drives": drives,
            "plot": product_plot(v, pid), "similar": similar, "presets": ["apo", "graphiceq", "poweramp", "qudelix", "uapp", "rockbox", "graphic10", "spotify"],
            "measured": pid in v.measured,
        }  # fmt: skip
        try:
            ctx["analysis"] = analyze_json(v, pid) if pid in v.measured else None
        except MeasuredError:
            ctx["analysis"] = None
        return templates.TemplateResponse(request, "product.html", ctx)

    @app.get("/compare", response_class=HTMLResponse)
    def compare(request: Request, ids: list[str] = Query(default=[])):
        ids = [i for i in ids if i]
        data, plot = None, None
        if ids:
            if not 2 <= len(ids) <= 4:
                raise ProfileError("compare takes two to four products")
            v = view()
            items = [v.headphone(i) for i in ids]
            data = compare_json(v, items)
            plot = _overlay(v, [h.id for h in items])
        return templates.TemplateResponse(
            request,
            "compare.html",
            {"data": data, "plot": plot, "ids": ids, "q": request.query_params},
        )

    @app.get("/browse", response_class=HTMLResponse)
    def browse(request: Request):
        rows = _search(request)
        return templates.TemplateResponse(
            request,
            "browse.html",
            {
                "rows": rows,
                "q": request.query_params,
                "forms": FORMS,
                "platforms": PLATFORMS,
                "sortable": list(store.SORTABLE),
            },
        )

    @app.get("/best", response_class=HTMLResponse)
    def best(
        request: Request, category: str = "overall", under: float | None = Query(default=None, gt=0)
    ):
        if category not in category_names():
            raise ProfileError(
                f"unknown category {category!r}; valid: {', '.join(category_names())}"
            )
        data = best_list(view(), category, 5, under)
        return templates.TemplateResponse(
            request,
            "best.html",
            {"data": data, "categories": category_names(), "q": request.query_params},
        )

    @app.get("/kit", response_class=HTMLResponse)
    def kit(request: Request):
        ctx = form_context(request)
        ctx["result"] = None
        if request.query_params.get("budget"):
            ctx["result"] = kit_json(view(), profile_of(**profile_params(request)))
        return templates.TemplateResponse(request, "kit.html", ctx)

    @app.get("/drive", response_class=HTMLResponse)
    def drive(
        request: Request,
        headphone: str = "",
        source: str = "",
        vrms: float | None = None,
        zout: float = 0.0,
        level: str = "normal",
    ):
        ctx = form_context(request)
        ctx["result"] = (
            _drive(
                view(), headphone, source, vrms, zout, level, request.query_params.getlist("genre")
            )
            if headphone
            else None
        )
        return templates.TemplateResponse(request, "drive.html", ctx)

    @app.get("/explain", response_class=HTMLResponse)
    def explain(request: Request, text: str = ""):
        result = explain_sheet(parse_spec_sheet(text)) if text.strip() else None
        return templates.TemplateResponse(request, "explain.html", {"result": result, "text": text})

    @app.get("/ask", response_class=HTMLResponse)
    def ask_page(request: Request, q: str = Query(default="", max_length=MAX_QUERY_BYTES)):
        from earwise.service.answer import ask

        result = ask(q, view()) if q.strip() else None
        return templates.TemplateResponse(request, "ask.html", {"result": result, "q": q})

    @app.get("/api/ask")
    def api_ask(q: str = Query(..., min_length=1, max_length=MAX_QUERY_BYTES)):
        from earwise.service.answer import ask

        return ask(q, view())

    @app.get("/eq/{product_id}.{ext}")
    def eq_download(product_id: str, ext: str, preset: str = "apo", target: str | None = None):
        v = view()
        pid, _ = v.resolve(product_id, "headphone")
        data = eq_json(v, pid, target, preset)
        name = f"{pid}-{preset}.{data['extension']}"
        return PlainTextResponse(
            data["file_text"], headers={"Content-Disposition": f'attachment; filename="{name}"'}
        )

    # --- JSON API ---------------------------------------------------------------------------

    @app.get("/api/recommend")
    async def api_recommend(request: Request, top: int = Query(default=5, ge=1, le=50)):
        data, _ = recommend_json(view(), profile_of(**profile_params(request)), top)
        return JSONResponse(data)

    @app.get("/api/products")
    def api_products(request: Request):
        return [{c: r[c] for c in store.LIST_COLUMNS} for r in _search(request)]

    @app.get("/api/products/{product_id}")
    def api_product(product_id: str):
        v = view()
        pid, kind = v.resolve(product_id)
        return (
            show_json(v, v.headphones[pid])
            if kind == "headphone"
            else v.devices[pid].model_dump(mode="json")
        )

    @app.get("/api/compare")
    def api_compare(ids: list[str] = Query(...)):
        if not 2 <= len(ids) <= 4:
            raise ProfileError("compare takes two to four products (ids)")
        v = view()
        return compare_json(v, [v.headphone(i) for i in ids])

    @app.get("/api/kit")
    def api_kit(request: Request, max_items: int = Query(default=3, ge=1, le=3)):
        return kit_json(view(), profile_of(**profile_params(request)), max_items)

    @app.get("/api/best")
    def api_best(
        category: str | None = None,
        under: float | None = Query(default=None, gt=0),
        top: int = Query(default=3, ge=1, le=10),
    ):
        cats = [category] if category else [c for c in category_names() if c != "under"]
        for c in cats:
            if c not in category_names():
                raise ProfileError(f"unknown category {c!r}; valid: {', '.join(category_names())}")
        out = []
        for c in cats:
            try:
                out.append(best_list(view(), c, top, under))
            except NoMatchError as exc:
                out.append({"category": c, "title": c, "picks": [], "note": str(exc)})
        return out

    @app.get("/api/drive")
    def api_drive(request: Request, headphone: str, source: str = "", vrms: float | None = Query(default=None, gt=0),
                  zout: float = Query(default=0.0, ge=0), level: str = "normal"):  # fmt: skip
        return _drive(
            view(), headphone, source, vrms, zout, level, request.query_params.getlist("genre")
        )

    @app.get("/api/explain")
    def api_explain(text: str = Query(..., min_length=1, max_length=MAX_QUERY_BYTES)):
        return explain_sheet(parse_spec_sheet(text))

    @app.get("/api/analyze/{product_id}")
    def api_analyze(product_id: str, target: str | None = None):
        v = view()
        pid, _ = v.resolve(product_id, "headphone")
        return analyze_json(v, pid, target)

    @app.get("/api/eq/{product_id}")
    def api_eq(
        product_id: str,
        preset: str = "apo",
        target: str | None = None,
        max_gain: float = Query(default=6.0, ge=0, le=20),
    ):
        v = view()
        pid, _ = v.resolve(product_id, "headphone")
        data = eq_json(v, pid, target, preset, None, max_gain)
        return {k: val for k, val in data.items() if k != "curves"}

    @app.get("/healthz")
    def health() -> Response:
        return PlainTextResponse("ok")

    def _search(request: Request):
        q = request.query_params
        tri = lambda k: {"yes": True, "no": False}.get(q.get(k, ""))  # noqa: E731
        sort = q.get("sort") or "price"
        if sort not in store.SORTABLE:
            raise ProfileError(f"unknown sort field {sort!r}; valid: {', '.join(store.SORTABLE)}")
        num = lambda k: float(q[k]) if q.get(k) else None  # noqa: E731
        try:
            max_price, min_price = num("max_price"), num("min_price")
        except ValueError:
            raise ProfileError("price filters must be numbers") from None
        conn = store.connect(db_path)
        try:
            return store.search_headphones(
                conn, form=q.get("form") or None, back=q.get("back") or None, wireless=tri("wireless"), anc=tri("anc"),
                mic=tri("mic"), platform=q.get("platform") or None, signature=q.get("signature") or None,
                brand=q.get("brand") or None, max_price=max_price, min_price=min_price,
                include_discontinued=q.get("current") != "1", sort=sort, descending=q.get("desc") == "1", limit=1000,
            )  # fmt: skip
        finally:
            conn.close()

    return app


def _overlay(view: CatalogView, ids: list[str]) -> str | None:
    from earwise.service.measured import curves_for_plot, plot_target

    measured = [i for i in ids if i in view.measured]
    if not measured:
        return None
    try:
        curves, source, form = curves_for_plot(view, measured)
        return svg(curves, plot_target(None, source, form), "")
    except (MeasuredError, MeasurementError):
        return None


def _drive(
    view: CatalogView,
    headphone: str,
    source: str,
    vrms: float | None,
    zout: float,
    level: str,
    genre: list[str],
) -> dict:
    h = view.headphone(headphone)
    if vrms is not None:
        lim = adhoc_source(vrms, zout)
        label = lim.name
    else:
        d = view.device(source or "generic laptop")
        lim, out_name = device_output(d)
        label = f"the {d.brand} {d.model} ({out_name})"
    return headphone_drive(h, lim, label, need_for(level or "normal", [g for g in genre if g]))
