"""Use case: a question in plain words, understood and answered through the other use cases."""

from __future__ import annotations

from collections.abc import Callable

from earwise.service import answer
from earwise.service import results as R
from earwise.service.app import Earwise
from earwise.service.requests import AskRequest


def ask(app: Earwise, req: AskRequest, prompt: Callable[[str], str] | None = None) -> R.AskResult:
    """Understand, ask back through ``prompt`` (or state assumptions), answer."""
    return R.AskResult(**answer.ask(req.text, app.view(), prompt))
