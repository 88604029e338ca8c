"""Hostile input over every route of the web app: never a 500, never a server file read, never
an echo of uploaded content; security headers on every response; HEAD everywhere; /healthz
stays fast while slow requests run."""

from __future__ import annotations

import builtins
import inspect
import threading
import time
import warnings
from pathlib import Path
from urllib.parse import quote

import pytest

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

from earwise.service.settings import Settings  # noqa: E402
from earwise.web.app import create_app  # noqa: E402

SECURITY = {
    "content-security-policy": "default-src 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
HOSTILE = [
    "inf", "-inf", "nan", "NaN", "1e309", "-1e309", "-1", "0", "-0", "1e-400",
    "99999999999999999999999999999999", "9" * 400, "", " ", "   ", "🎧", "\u202eשלום עולם\u202c",
    "/etc/passwd", "/dev/zero", "../../x", "..\\..\\x", "\x00", "%00", "<script>alert(1)</script>",
    "' OR '1'='1", "a" * 5000, "a" * 60_000,
]  # fmt: skip
NON_FINITE = ["inf", "-inf", "nan", "1e309", "-1e309", "9" * 400]
NUMERIC = {"top", "max_items", "budget", "min_price", "max_price", "under", "vrms", "zout", "max_ma",
           "max_gain", "filters", "source_vrms", "source_zout", "max_weight"}  # fmt: skip
FILE_LIKE = {"target", "like", "rig", "preset", "source", "form"}
VALID_PATH = {"product_id": "hd600", "ext": "txt"}
# Valid company for the hostile value, so that pages which compute only when given these do.
BASE = {"/drive": {"headphone": "HD 600"}, "/api/drive": {"headphone": "HD 600"},
        "/kit": {"budget": "300"}, "/api/kit": {"budget": "300"}}  # fmt: skip
SLOW_S = 2.0

# The route table comes from the app's own OpenAPI document (building the app touches no store).
SPEC = create_app(Settings(Path("/nonexistent/c.sqlite"), Path("/nonexistent"))).openapi()
OPERATIONS = [
    (method.upper(), path, [p for p in op.get("parameters", [])])
    for path, ops in SPEC["paths"].items()
    for method, op in ops.items()
]
CASES = [
    (method, path, p["in"], p["name"])
    for method, path, params in OPERATIONS
    for p in params
    if p["in"] in ("path", "query")
]
ROUTES_WITHOUT_PARAMS = [(m, p) for m, p, params in OPERATIONS if not params]


@pytest.fixture(scope="module")
def client(db_path):
    settings = Settings(store_path=db_path, measurements_root=Settings.from_env().measurements_root)
    with TestClient(
        create_app(settings), raise_server_exceptions=False, follow_redirects=False
    ) as c:
        yield c


def is_api(path: str) -> bool:
    return path.startswith("/api/") or path == "/openapi.json"


def url_for(path: str, path_values: dict[str, str]) -> str:
    for name, value in path_values.items():
        path = path.replace("{" + name + "}", quote(value, safe=""))
    return path


def send(client, method: str, url: str, params=None, body: bytes = b"frequency,raw\n"):
    headers = {"accept": "text/html"}
    started = time.perf_counter()
    if method == "POST":
        r = client.post(url, params=params, content=body, headers=headers)
    else:
        r = client.request(method, url, params=params, headers=headers)
    return r, time.perf_counter() - started


def check(r, elapsed: float, path: str, what: str) -> None:
    assert r.status_code < 500, f"{what}: {r.status_code} {r.text[:200]}"
    assert elapsed < SLOW_S, f"{what}: took {elapsed:.2f} s"
    for name, value in SECURITY.items():
        assert value in r.headers.get(name, ""), f"{what}: missing {name}"
    if r.status_code >= 400:
        ctype = r.headers.get("content-type", "")
        if is_api(path) or r.status_code in (413, 414):
            assert ctype.startswith("application/json"), f"{what}: {ctype}"
            assert "detail" in r.json()
        else:
            assert ctype.startswith("text/html"), f"{what}: {ctype}"
            assert "That did not work" in r.text
        assert "Traceback" not in r.text


def test_the_table_covers_every_route():
    paths = {path for _, path, _ in OPERATIONS}
    for p in ("/", "/product/{product_id}", "/api/recommend", "/api/analyze", "/api/eq",
              "/eq/{product_id}.{ext}", "/healthz", "/api/ask"):  # fmt: skip
        assert p in paths
    assert len(CASES) > 100


@pytest.mark.parametrize(
    "method,path,where,name", CASES, ids=[f"{m} {p} {n}" for m, p, _, n in CASES]
)
def test_hostile_values_never_500(client, method, path, where, name):
    for value in HOSTILE:
        if where == "path":
            url, params = url_for(path, VALID_PATH | {name: value}), None
        else:
            url, params = url_for(path, VALID_PATH), BASE.get(path, {}) | {name: value}
            if name == "ids":
                params["ids"] = ["HD 600", value]
        r, elapsed = send(client, method, url, params)
        check(r, elapsed, path, f"{method} {path} {name}={value[:30]!r}")
        if where == "query" and name in NUMERIC and value in NON_FINITE:
            assert 400 <= r.status_code < 500, f"{path} {name}={value[:30]!r} accepted"
        if where == "query" and name in FILE_LIKE and value in ("/etc/passwd", "/dev/zero"):
            assert 400 <= r.status_code < 500, f"{path} {name}={value!r} accepted"
            assert "root:" not in r.text


@pytest.mark.parametrize("method,path", ROUTES_WITHOUT_PARAMS)
def test_routes_without_parameters(client, method, path):
    r, elapsed = send(client, method, path, {"junk": "inf", "x": "🎧"})
    check(r, elapsed, path, f"{method} {path}")


@pytest.mark.parametrize(
    "url",
    ["/api/ask?q=%20%20%20", "/api/recommend?budget=inf", "/api/recommend?budget=1e309",
     "/api/kit?budget=inf", "/api/drive?headphone=HD 600&vrms=1&zout=inf", "/?top=abc",
     "/api/recommend?top=nan", "/api/best?under=-inf", "/api/eq/hd600?max_gain=nan",
     "/api/eq/hd600?filters=1e309", "/api/products?max_price=inf", "/browse?min_price=nan",
     "/?genres=rock:inf", "/api/recommend?level=nan", "/api/recommend?source_vrms=inf"],
)  # fmt: skip
def test_former_500s_are_4xx(client, url):
    r = client.get(url, headers={"accept": "text/html"})
    assert 400 <= r.status_code < 500, r.text[:200]
    check(r, 0.0, url.split("?")[0], url)


def test_unknown_path_405_and_limits_carry_headers(client):
    for r, status in [
        (client.get("/no/such/page"), 404),
        (client.get("/api/no-such"), 404),
        (client.post("/api/products/hd600"), 405),
        (client.get("/api/products/" + "a" * 3000), 414),
        (client.get("/api/recommend?genre=" + "a" * 10_000), 414),
        (client.post("/api/analyze", content=b"1" * (1024 * 1024 + 1)), 413),
        (client.get("/api/recommend?budget=nan"), 422),
    ]:
        assert r.status_code == status, (status, r.text[:200])
        for name, value in SECURITY.items():
            assert value in r.headers.get(name, "")
    assert client.get("/docs").status_code == 404  # disabled: Swagger UI needs a CDN
    assert client.get("/openapi.json").status_code == 200


def test_last_resort_500_is_bare_json_with_headers(client, monkeypatch):
    from earwise import service

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals /etc/shadow")

    monkeypatch.setattr(service, "search", broken)
    r = client.get("/api/products")
    assert r.status_code == 500 and r.json() == {"detail": "internal error"}
    assert "secret" not in r.text and "Traceback" not in r.text
    for name, value in SECURITY.items():
        assert value in r.headers.get(name, "")


# --- no server paths -------------------------------------------------------------------------


@pytest.fixture()
def no_reads_of(monkeypatch):
    """Fail the test if anything opens one of the given paths."""
    forbidden: set[str] = set()
    real_open = builtins.open
    real_path_open = Path.open

    def guarded_open(file, *args, **kwargs):
        if str(file) in forbidden:
            raise AssertionError(f"read {file}")
        return real_open(file, *args, **kwargs)

    def guarded_path_open(self, *args, **kwargs):
        if str(self) in forbidden:
            raise AssertionError(f"read {self}")
        return real_path_open(self, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(Path, "open", guarded_path_open)
    return forbidden


@pytest.mark.parametrize("path", ["/dev/zero", "/etc/passwd"])
@pytest.mark.parametrize(
    "url",
    ["/api/analyze/hd600?target={}", "/api/eq/hd600?target={}", "/api/eq/hd600?like={}",
     "/eq/hd600.txt?target={}", "/api/analyze/{}", "/api/eq/{}"],
)  # fmt: skip
def test_server_paths_are_refused_without_reading(client, no_reads_of, url, path):
    no_reads_of.add(path)
    started = time.perf_counter()
    r = client.get(url.format(quote(path, safe="") if "?" not in url else path))
    assert 400 <= r.status_code < 500 and time.perf_counter() - started < SLOW_S
    assert "root:" not in r.text
    if "target=" in url:
        assert r.status_code == 422
        assert "target" in str(r.json()["detail"] if url.startswith("/api") else r.text)


def test_planted_file_is_never_echoed(client, tmp_path):
    secret = "CANARY-7f3a9 frequency,raw"
    planted = tmp_path / "planted.csv"
    planted.write_text(
        f"frequency,raw\n20,{secret}\n" + "".join(f"{f},0\n" for f in range(30, 20000, 97))
    )
    for url in [f"/api/analyze/hd600?target={planted}", f"/api/eq/hd600?target={planted}",
                f"/api/eq/hd600?like={planted}", f"/api/analyze/{quote(str(planted), safe='')}",
                f"/eq/hd600.txt?target={planted}", f"/product/{quote(str(planted), safe='')}",
                f"/api/explain?text={planted}", f"/api/ask?q={planted}"]:  # fmt: skip
        r = client.get(url)
        assert r.status_code < 500 and "CANARY-7f3a9" not in r.text, url


# --- uploads ---------------------------------------------------------------------------------


def hd600_csv(measurements: Path) -> str:
    return (
        measurements / "oratory1990" / "data" / "over-ear" / "Sennheiser HD 600.csv"
    ).read_text()


def test_upload_of_a_real_measurement_is_analysed(client, measurements):
    r = client.post(
        "/api/analyze?label=My HD 600&rig=oratory1990&form=over-ear",
        content=hd600_csv(measurements).encode(),
        headers={"content-type": "text/csv"},
    )
    assert r.status_code == 200, r.text[:300]
    data = r.json()
    assert data["name"] == "My HD 600" and data["signature"]
    catalog = client.get("/api/analyze/hd600").json()
    assert data["preference_score"] == pytest.approx(catalog["preference_score"], abs=0.1)
    assert data["bands_db"]["bass_db"] == pytest.approx(catalog["bands_db"]["bass_db"], abs=0.05)


def test_upload_eq(client, measurements):
    r = client.post("/api/eq?preset=qudelix&rig=oratory1990", content=hd600_csv(measurements))
    assert r.status_code == 200, r.text[:300]
    data = r.json()
    assert data["file_text"].startswith("Preamp:") and len(data["filters"]) == 10
    assert "curves" not in data
    r = client.post("/api/eq?target=/etc/passwd", content=hd600_csv(measurements))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "target"]


@pytest.mark.parametrize(
    "body",
    [b"frequency,raw\nCANARY-LINE-1,abc\n20,secret-CANARY-2\n", b"CANARY-LINE-1\n" * 50,
     "20,CANARY-\u202e\n".encode() * 20, b"\xff\xfeCANARY-LINE-1 binary", b"", b"   \n",
     b"frequency,raw\n" + b"".join(b"%d,CANARY-%d\n" % (f, f) for f in range(20, 2000, 50))],
)  # fmt: skip
@pytest.mark.parametrize("route", ["/api/analyze", "/api/eq"])
def test_malformed_upload_is_422_without_echo(client, route, body):
    r = client.post(route, content=body, headers={"content-type": "text/plain"})
    assert r.status_code == 422, r.text[:200]
    assert "CANARY" not in r.text and "secret" not in r.text
    assert r.json()["detail"][0]["loc"][-1] == "file"


def test_streamed_upload_over_the_cap_is_413(client):
    def chunks():
        for _ in range(30):
            yield b"1" * 50_000

    r = client.post("/api/analyze", content=chunks())
    assert r.status_code == 413
    r = client.post("/api/analyze", content=b"x", headers={"content-type": "multipart/form-data"})
    assert r.status_code == 422


# --- HEAD, threadpool, /healthz under load ----------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/", "/browse", "/best", "/ask", "/product/sennheiser-hd-600", "/api/products/hd600",
     "/api/recommend?budget=300", "/healthz", "/openapi.json", "/static/style.css"],
)  # fmt: skip
def test_head_works_for_get_routes(client, url):
    get = client.get(url)
    r = client.head(url)
    assert r.status_code == 200 == get.status_code
    assert r.content == b""
    assert r.headers["content-type"] == get.headers["content-type"]
    assert SECURITY["x-frame-options"] in r.headers.get("x-frame-options", "")


def test_cpu_bound_handlers_run_off_the_event_loop():
    app = create_app(Settings(Path("/nonexistent/c.sqlite"), Path("/nonexistent")))
    from fastapi.routing import APIRoute

    def routes(rs):
        for r in rs:
            if isinstance(r, APIRoute):
                yield r
            else:
                yield from routes(getattr(getattr(r, "original_router", None), "routes", []))

    async_ok = {
        "/healthz",
        "/api/analyze",
        "/api/eq",
    }  # uploads await the body, then use the threadpool
    found = list(routes(app.routes))
    assert len(found) >= 20
    for r in found:
        if inspect.iscoroutinefunction(r.endpoint):
            assert r.path in async_ok, r.path


def test_healthz_stays_fast_while_slow_requests_run(client, monkeypatch):
    from earwise import service

    real = service.search

    def slow(*args, **kwargs):
        time.sleep(1.5)
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "search", slow)
    threads = [threading.Thread(target=client.get, args=("/api/products",)) for _ in range(6)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    worst = 0.0
    for _ in range(5):
        started = time.perf_counter()
        assert client.get("/healthz").text == "ok"
        worst = max(worst, time.perf_counter() - started)
    for t in threads:
        t.join()
    assert worst < 0.3, f"/healthz took {worst:.3f} s under load"
