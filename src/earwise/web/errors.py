"""Exception handlers: every failure becomes a 4xx naming the field (JSON under ``/api``, the
error page elsewhere); nothing echoes uploaded content; the last resort is a bare JSON 500."""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from earwise.core.errors import EarwiseError
from earwise.web.templating import templates

log = logging.getLogger("earwise.web")


class PayloadTooLarge(EarwiseError):
    """An upload over the web's size cap."""

    status_code = 413


_UNKNOWN = re.compile(r"\bunknown (genre|use|platform) ")


def field_of(exc: EarwiseError) -> str:
    """The offending field; for the few errors raised without one (an unknown vocabulary word
    from ``advice.vocab``), the kind the message names."""
    if exc.field:
        return exc.field
    m = _UNKNOWN.search(str(exc))
    return m.group(1) if m else "query"


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path == "/api" or path.startswith("/api/") or path == "/openapi.json"


def error_page(
    request: Request, status: int, message: str, suggestions=(), headers=None
) -> Response:
    return templates.TemplateResponse(
        request,
        "error.html",
        {"message": message, "suggestions": list(suggestions)},
        status_code=status,
        headers=headers,
    )


async def earwise_error(request: Request, exc: EarwiseError) -> Response:
    status = getattr(exc, "status_code", 422)
    if not isinstance(status, int) or not 400 <= status < 500:
        status = 422
    message = str(exc)
    suggestions = list(getattr(exc, "suggestions", None) or [])
    if wants_json(request):
        body: dict = {"detail": [{"loc": ["query", field_of(exc)], "msg": message}]}
        if status == 404 and suggestions:
            body["suggestions"] = suggestions
        return JSONResponse(body, status_code=status)
    return error_page(request, status, message, suggestions)


async def validation_error(request: Request, exc: RequestValidationError) -> Response:
    errors = [{"loc": [str(x) for x in e["loc"]], "msg": e["msg"]} for e in exc.errors()]
    if wants_json(request):
        return JSONResponse({"detail": errors}, status_code=422)
    msg = "; ".join(f"{e['loc'][-1]}: {e['msg']}" for e in errors)
    return error_page(request, 422, msg)


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    headers = getattr(exc, "headers", None)
    accepts_html = "text/html" in request.headers.get("accept", "")
    if wants_json(request) or not accepts_html:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)
    return error_page(request, exc.status_code, str(exc.detail), headers=headers)


async def server_error(request: Request, exc: Exception) -> Response:
    """The last resort (a bug): no traceback, no exception text in the answer."""
    log.error("unhandled %s on %s", type(exc).__name__, request.url.path, exc_info=exc)
    return JSONResponse({"detail": "internal error"}, status_code=500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(EarwiseError, earwise_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, server_error)
