"""Shared fixtures: a temporary store built from the built-in catalog, the CLI runner, measurements."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from earwise.catalog.schema import Headphone
from earwise.catalog.view import CatalogView
from earwise.service.app import Earwise
from earwise.service.settings import Settings


@pytest.fixture(scope="session", autouse=True)
def db_path(tmp_path_factory) -> Iterator[Path]:
    """Every test's store lives in a temporary folder: EARWISE_DB points there for the session
    (restored afterwards), so no test touches the user's real store."""
    path = tmp_path_factory.mktemp("store") / "catalog.sqlite"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EARWISE_DB", str(path))
        yield path


@pytest.fixture(scope="session")
def settings(db_path) -> Settings:
    return Settings.from_env(store_path=db_path)


@pytest.fixture(scope="session")
def earwise(settings) -> Earwise:
    """The application object the CLI and web build, over the session's temporary store."""
    return Earwise(settings)


@pytest.fixture(scope="session")
def view(db_path) -> CatalogView:
    return CatalogView.from_store(db_path)


@pytest.fixture()
def runner(db_path) -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def measurements() -> Path:
    """The shared measurements folder; skip when absent, but fail under CI=true."""
    root = Settings.from_env().measurements_root
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
