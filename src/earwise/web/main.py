"""ASGI entry point for uvicorn: ``uvicorn.run("earwise.web.main:create_default_app",
factory=True)``. Importing this module builds nothing; the factory reads the environment."""

from __future__ import annotations

from fastapi import FastAPI

from earwise.web.app import create_app


def create_default_app() -> FastAPI:
    """The app with settings from ``EARWISE_DB`` / ``EARWISE_MEASUREMENTS`` (or the defaults)."""
    return create_app()
