"""The Jinja2 templates (autoescaped) shared by the pages and the error handlers."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from earwise.core.naming import display_name
from earwise.core.notes import is_bookkeeping

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.autoescape = True


def _name(x) -> str:
    """A product (a mapping or an object with brand and model) as a reader sees it."""
    get = x.get if isinstance(x, dict) else lambda k: getattr(x, k)
    return display_name(get("brand"), get("model"))


templates.env.filters["name"] = _name
templates.env.tests["bookkeeping"] = is_bookkeeping  # notes shown after the picks
