"""The app factory: one :class:`~earwise.service.Earwise` application object, the JSON API and
pages routers over it, the exception handlers, and the limits-and-headers layer outermost.

The environment is read only here (``Settings.from_env()`` when no settings are given). Invalid
input is a 422 naming the field, an unknown product a 404 with suggestions; every response
carries the security headers; paths, query strings and bodies have size limits.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles

from earwise.service.app import Earwise
from earwise.service.settings import Settings
from earwise.web import api, errors, pages
from earwise.web.middleware import LimitsAndHeaders
from earwise.web.templating import HERE


class EarwiseAPI(FastAPI):
    """FastAPI whose whole middleware stack (Starlette's server-error layer included) sits
    inside :class:`LimitsAndHeaders`, so every response, even a last-resort 500, has the
    security headers and every request meets the size limits first."""

    def build_middleware_stack(self):
        return LimitsAndHeaders(super().build_middleware_stack())


def create_app(settings: Settings | None = None) -> FastAPI:
    """The web app over one application object (built lazily: the store opens on first use)."""
    app = EarwiseAPI(
        title="earwise",
        description="A headphone advisor that computes its answers and shows its reasons.",
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN: blocked by our CSP
        redoc_url=None,
    )
    app.state.earwise = Earwise(settings or Settings.from_env())
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    errors.install(app)
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.get("/healthz", response_class=PlainTextResponse, tags=["health"])
    async def healthz() -> Response:
        """Liveness: answered on the event loop without touching the store."""
        return PlainTextResponse("ok")

    return app
