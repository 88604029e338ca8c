"""Shared fixtures: a temporary store built from the built-in catalog, the CLI runner, measurements."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from earwise.acoustics.io import measurements_dir
from earwise.catalog.schema import Headphone
from earwise.catalog.view import CatalogView


@pytest.fixture(scope="session")
def db_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("store") / "catalog.sqlite"
    os.environ["EARWISE_DB"] = str(path)
    return path


@pytest.fixture(scope="session")
def view(db_path) -> CatalogView:
    return CatalogView.from_store(db_path)


@pytest.fixture()
def runner(db_path) -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def measurements() -> Path:
    """The shared measurements folder; skip when absent, but fail under CI=true."""
    root = measurements_dir()
    if not root.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the shared measurements are missing at {root}")
        pytest.skip(f"shared measurements not found at {root} (set EARWISE_MEASUREMENTS)")
    return root


def make_headphone(**fields) -> Headphone:
    """A minimal valid headphone for unit tests; ``fields`` override the defaults."""
    base = {
        "id": "test-phone",
        "brand": "Test",
        "model": "Phone",
        "form_factor": "over-ear",
        "back": "closed",
        "sources": [
            {
                "kind": "seed",
                "title": "unit test",
                "covers": ["price", "specs", "connectivity", "mic", "comfort", "sound"],
            }
        ],
    }
    return Headphone(**(base | fields))
