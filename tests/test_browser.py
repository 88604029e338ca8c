"""Real-browser tests: Debian's chromium driven by the playwright package (never 'playwright install').

A fixture starts ``earwise`` under uvicorn on a free loopback port. Screenshots are saved to
``test-artifacts/`` (desktop and 360 px wide).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]  # fmt: skip


def _need_browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but chromium is missing (make test installs Debian's chromium)")
        pytest.skip("chromium not installed (run 'make test', which installs Debian's chromium)")
    return pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(db_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = os.environ | {"EARWISE_DB": str(db_path)}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "earwise.web.main:create_default_app", "--factory",
                             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"], env=env)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("earwise server did not start")
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def browser():
    sync_api = _need_browser()
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    yield pg
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_advisor_form_gives_ranked_results(page, server):
    page.goto(server + "/")
    page.select_option(".genre-name >> nth=0", "electronic")
    page.fill(".genre-share >> nth=0", "70")
    page.select_option(".genre-name >> nth=1", "rock")
    page.fill(".genre-share >> nth=1", "30")
    page.fill("#budget", "350")
    page.check("input[name=use][value=shared-office]")
    page.check("input[name=platform][value=pc]")
    page.click("#recommend-button")
    page.wait_for_selector("#results")
    assert page.locator(".rec").count() >= 3
    assert "electronic" in page.inner_text("#results")
    assert "budget=350" in page.url  # the URL holds the query
    shot(page, "advisor-desktop")
    page.evaluate("document.getElementById('results').scrollIntoView()")
    page.screenshot(path=str(ARTIFACTS / "advisor-results.png"))
    page.set_viewport_size({"width": 360, "height": 800})
    shot(page, "advisor-360px")
    assert (
        page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    )  # no horizontal scroll at phone width


def test_product_page_plot(page, server, measurements):
    page.goto(server + "/product/sennheiser-hd-600")
    plot = page.locator("#fr-plot svg")
    assert plot.count() == 1 and "Frequency (Hz)" in plot.inner_html()
    shot(page, "product")


def test_compare_two_products(page, server):
    page.goto(server + "/compare")
    page.fill("input[name=ids] >> nth=0", "HD 600")
    page.fill("input[name=ids] >> nth=1", "HD 650")
    page.press("input[name=ids] >> nth=1", "Enter")  # keyboard submits the form
    page.wait_for_selector("#compare-table")
    assert page.locator("#compare-table tr.differs").count() >= 1
    shot(page, "compare")


def test_download_an_eq_file(page, server, measurements, tmp_path):
    page.goto(server + "/product/sennheiser-hd-650")
    with page.expect_download() as info:
        page.click("a.eq-download >> text=apo")
    path = tmp_path / "eq.txt"
    info.value.save_as(str(path))
    text = path.read_text()
    assert text.startswith("Preamp:") and "Filter 10: ON" in text
