"""ASGI entry point for uvicorn workers: ``earwise.web.main:app``."""

from earwise.web.app import create_app

app = create_app()
