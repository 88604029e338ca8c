"""Web pages and JSON API through FastAPI's TestClient: shapes, errors, security."""

from __future__ import annotations

import warnings

import pytest

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

from earwise.service.settings import Settings  # noqa: E402
from earwise.web.app import create_app  # noqa: E402

REC_KEYS = {"rank", "id", "brand", "model", "price_usd", "form_factor", "back", "wireless", "anc", "mic",
            "platforms", "score", "criteria", "reasons", "warnings"}  # fmt: skip


@pytest.fixture(scope="module")
def client(db_path):

    settings = Settings(store_path=db_path, measurements_root=Settings.from_env().measurements_root)
    return TestClient(create_app(settings))


@pytest.mark.parametrize(
    "url",
    ["/", "/?genres=electronic:70,rock:30&budget=350&use=shared-office&platform=pc",
     "/?genre-name=jazz&genre-share=60&genre-name=rock&genre-share=40&budget=300",
     "/product/sennheiser-hd-600", "/product/fiio-e17k", "/compare?ids=HD 600&ids=HD 650", "/compare",
     "/browse?form=over-ear&back=open&sort=score&desc=1", "/best?category=xbox-ps5", "/kit",
     "/kit?genres=classical:50,hip-hop:50&budget=600", "/drive?headphone=HD 600&vrms=1", "/drive",
     "/explain?text=Impedance: 62 ohm%0ASensitivity: 105 dB SPL/V", "/explain", "/ask",
     "/ask?q=How is the HD700 for rock and metal?", "/ask?q=suggest headphones for jazz under $150"],
)  # fmt: skip
def test_pages_render(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.text[:300]
    assert "text/html" in r.headers["content-type"] and "<main" in r.text
    assert "default-src 'self'" in r.headers["content-security-policy"]


def test_advisor_shows_ranked_results_and_keeps_the_query(client):
    r = client.get("/?genres=hip-hop:60,pop:40&budget=200&use=commute")
    assert r.text.count('class="rec"') >= 3 and "hip-hop" in r.text
    assert 'value="hip-hop:60,pop:40"' in r.text  # the URL holds the whole query


def test_product_page_has_plot_and_eq_downloads(client, measurements):
    r = client.get("/product/sennheiser-hd-600")
    assert "<svg" in r.text and "Frequency (Hz)" in r.text and "eq-download" in r.text
    assert "Sounds similar" in r.text


def test_api_shapes_match_the_cli(client):
    data = client.get("/api/recommend?genre=rock:80&genre=jazz:20&budget=300").json()
    assert (
        set(data) >= {"profile", "recommendations"} and set(data["recommendations"][0]) >= REC_KEYS
    )
    products = client.get("/api/products?form=in-ear").json()
    assert products and set(products[0]) == {"id", "brand", "model", "price_usd", "form_factor", "back", "wireless",
                                              "anc", "mic", "signature", "preference_score"}  # fmt: skip
    assert client.get("/api/products/hd600").json()["id"] == "sennheiser-hd-600"
    assert client.get("/api/compare?ids=HD 600&ids=HD 650").json()["rows"]
    assert client.get("/api/kit?genres=rock:50,jazz:50&budget=400").json()["best"]["items"]
    picks = client.get("/api/best?category=anc").json()[0]["picks"]
    assert all("pros" in p and "decisive" in p for p in picks)
    assert all(
        p["trade_off"].startswith(f"Compared with #{p['rank'] + 1}")
        for p in picks[:-1]
        if p["trade_off"]
    )
    assert (
        client.get("/api/drive?headphone=HD 600&vrms=1&zout=10").json()["headroom_db"] is not None
    )
    assert (
        client.get("/api/explain?text=Impedance 32 ohm").json()["items"][0]["spec"] == "impedance"
    )


def test_api_measured_endpoints(client, measurements):
    assert client.get("/api/analyze/hd600").json()["preference_score"] == pytest.approx(
        90.9, abs=0.05
    )
    eq = client.get("/api/eq/hd600?preset=qudelix").json()
    assert eq["file_text"].startswith("Preamp:") and len(eq["filters"]) == 10
    r = client.get("/eq/hd600.txt?preset=apo")
    assert "attachment" in r.headers["content-disposition"] and r.text.startswith("Preamp:")


@pytest.mark.parametrize(
    "url,field",
    [("/api/recommend?budget=-5", "budget"), ("/api/recommend?genre=polka", "genre"),
     ("/api/recommend?brand=Sonny", "brand"), ("/api/recommend?driver=plasma", "driver"),
     ("/api/recommend?platform=amiga", "platform"), ("/api/recommend?top=0", "top"),
     ("/api/drive?headphone=HD 600&vrms=-1", "vrms"), ("/api/compare?ids=HD 600", "query"),
     ("/api/eq/hd600?preset=nope", "preset")],
)  # fmt: skip
def test_invalid_input_is_422_naming_the_field(client, url, field):
    r = client.get(url)
    assert r.status_code == 422
    locs = [loc for e in r.json()["detail"] for loc in e["loc"]]
    assert field in locs


def test_unknown_product_is_404_with_suggestions(client):
    r = client.get("/api/products/Sennheiser HD 6")
    assert r.status_code == 404 and r.json()["suggestions"]
    assert client.get("/product/zzzz-9000").status_code == 404


def test_openapi(client):
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/recommend", "/api/products", "/api/products/{product_id}", "/api/compare", "/api/kit", "/api/best",
              "/api/drive", "/api/explain", "/api/analyze/{product_id}", "/api/eq/{product_id}"):  # fmt: skip
        assert p in paths


def test_security(client):
    r = client.get("/?genres=<script>alert(1)</script>")
    assert "<script>alert(1)" not in r.text and "&lt;script&gt;" in r.text
    r = client.get("/compare?ids=<script>x</script>&ids=HD 600")
    assert "<script>x" not in r.text
    r = client.get("/browse?brand=x' OR '1'='1")
    assert r.status_code == 200 and "0 headphones" in r.text
    assert client.get("/?genres=" + "a" * 10000).status_code == 414
    assert (
        client.post(
            "/api/recommend", content=b"x" * 70000, headers={"content-length": "70000"}
        ).status_code
        == 413
    )


def test_api_ask(client):
    data = client.get("/api/ask?q=How is the HD700 for rock and metal?").json()
    assert data["understood"]["intent"] == "genre_fit" and data["answer"]["opening"]
    r = client.get("/api/ask?q=")
    assert r.status_code == 422


def test_default_app_factory_reads_env_and_builds_nothing_at_import(monkeypatch, tmp_path):
    import importlib

    import earwise.web.main as main

    importlib.reload(main)
    assert not hasattr(main, "app")  # uvicorn calls the factory (factory=True)
    store = tmp_path / "c.sqlite"
    monkeypatch.setenv("EARWISE_DB", str(store))
    app = main.create_default_app()
    assert app.state.earwise.settings.store_path == store
    assert not store.exists()  # the store opens on first use, not when the app is built
    assert TestClient(app).get("/healthz").text == "ok" and not store.exists()


def test_uploads_are_in_openapi_and_docs_are_off(client):
    spec = client.get("/openapi.json").json()
    assert "post" in spec["paths"]["/api/analyze"] and "post" in spec["paths"]["/api/eq"]
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404


def test_a_near_match_is_never_silent(client):
    """'Senn 558s' shows the HD 558 and says so, on the page and in the API."""
    page = client.get("/product/Senn 558s")
    assert page.status_code == 200 and "near match" in page.text
    data = client.get("/api/products/Senn 558s").json()
    assert data["id"] == "sennheiser-hd-558" and data["match"] == "near" and data["match_note"]
    assert client.get("/api/products/sennheiser-hd-600").json()["match"] == "exact"


def test_own_target_arrives_in_the_body_never_as_a_path(client, measurements):
    """POST a JSON body {measurement, target}: both parsed by the same readers as files."""
    hd600 = (measurements / "oratory1990/data/over-ear/Sennheiser HD 600.csv").read_text()
    target = next((measurements / "targets").glob("*.csv")).read_text()
    r = client.post("/api/analyze", json={"measurement": hd600, "target": target})
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["target"] == "your target" and data["preference_score"] is None
    r = client.post("/api/eq?preset=apo", json={"measurement": hd600, "target": target})
    assert r.status_code == 200 and r.json()["goal"] == "your target"
    bad = client.post("/api/analyze", json={"measurement": hd600, "target": "secret,line\n1,2"})
    assert bad.status_code == 422 and "secret" not in bad.text
    assert client.post("/api/analyze", json={"target": target}).status_code == 422


def test_a_product_question_shows_what_it_asked_first(client):
    page = client.get("/ask?q=How good is the mic on the Arctis Nova 7?").text
    assert 'class="asked"' in page and "microphone" in page
    data = client.get("/api/ask?q=How long does the battery last on the Sony WH-1000XM5?").json()
    assert data["answer"]["asked"][0]["topic"] == "battery"


def test_api_recommend_keeps_to_the_makers_asked_for(client):
    data = client.get("/api/recommend?use=plane&brand=sony&brand=Bose&top=5").json()
    ids = [r["id"] for r in data["recommendations"]]
    assert ids and all(i.startswith(("sony-", "bose-")) for i in ids), ids


def test_pages_show_a_model_written_with_its_maker_once(client):
    page = client.get("/product/drop-sennheiser-hd-6xx").text
    assert "Drop + Sennheiser HD 6XX" in page and "Drop Drop" not in page


def test_a_family_question_renders_on_the_web(client):
    page = client.get("/ask?q=Can I use my AirPods with an Xbox?")
    assert page.status_code == 200 and "0 of the" in page.text and "AirPods" in page.text


def test_sources_compared_are_shown_with_unknown_figures_said(client):
    html = client.get("/ask?q=Fiio M11S or Fiio K5 Pro?").text
    assert 'class="sources"' in html and "FiiO M11S" in html and "unknown" in html
    assert "Fiio K5 Pro" in html  # named back as not in the catalog


def test_a_maker_question_is_answered_on_the_web(client):
    html = client.get("/ask?q=Is Skullcandy a good brand?").text
    assert 'class="maker"' in html and "The catalog holds" in html


def test_a_comparison_with_a_product_of_unknown_price_under_a_budget_renders(client):
    # the value of a product nobody can price is unknown: it counts for neither side
    r = client.get("/ask?q=Bose QC45 or Sony XM4 for a student, £250 max?")
    assert r.status_code == 200 and "fit nan" not in r.text
    data = client.get("/api/ask?q=Bose QC45 or Sony XM4 for a student, £250 max?").json()
    assert all(row["score"] is not None for row in data["answer"]["ranking"])


def test_a_connection_question_without_a_model_shows_how_each_kind_connects(client):
    html = client.get("/ask?q=How do I connect my headphones to my PS5 controller?").text
    assert 'class="connection"' in html and "To a PS5" in html and "Source:" in html


def test_a_kind_question_shows_the_numbers_for_the_use(client):
    html = client.get("/ask?q=Should I get open or closed back for the office?").text
    assert 'class="for-use"' in html and "leak limit is 0.3" in html
