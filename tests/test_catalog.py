"""Catalog consistency checks: counts, provenance, units, platforms, names, store behaviour."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from pydantic import ValidationError

from conftest import make_headphone
from earwise.acoustics.io import measurement_path
from earwise.acoustics.power import spl_per_v_from_mw
from earwise.catalog import store
from earwise.catalog.loader import load_catalog
from earwise.catalog.platforms import platform_support
from earwise.catalog.view import UnknownProductError

CATALOG = load_catalog()
HEADPHONES = CATALOG.headphones
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "named-products.md"


def test_counts():
    assert len(HEADPHONES) >= 300
    assert len(CATALOG.sources) >= 40
    forms = {h.form_factor for h in HEADPHONES}
    assert forms == {"over-ear", "on-ear", "in-ear", "earbud"}
    assert {h.back for h in HEADPHONES} == {"open", "closed", "semi-open"}
    drivers = {h.driver.type for h in HEADPHONES}
    assert {"dynamic", "planar", "balanced-armature", "hybrid", "electrostatic"} <= drivers
    prices = [h.price_usd for h in HEADPHONES if h.price_usd]
    assert min(prices) <= 30 and max(prices) >= 3000
    assert any(s.category == "energizer" for s in CATALOG.sources)


def test_ids_unique_and_slugs():
    ids = [h.id for h in HEADPHONES] + [s.id for s in CATALOG.sources]
    assert len(ids) == len(set(ids))


def test_every_alias_resolves_to_one_product(view):
    for item in [*HEADPHONES, *CATALOG.sources]:
        for alias in item.aliases:
            assert view.resolve(alias)[0] == item.id, alias


def test_prices_positive():
    assert all(x.price_usd is None or x.price_usd > 0 for x in [*HEADPHONES, *CATALOG.sources])


@pytest.mark.parametrize("h", [h for h in HEADPHONES if h.sensitivity], ids=lambda h: h.id)
def test_sensitivity_plausible_for_unit_and_impedance(h):
    s = h.sensitivity
    if s.unit == "dB SPL/mW":
        assert 80 <= s.value <= 130
    elif s.unit == "dB SPL/V" and h.impedance_ohm:
        # converted to per mW it must stay within what real headphones do
        as_mw = s.value - float(spl_per_v_from_mw(0, h.impedance_ohm))
        assert 75 <= as_mw <= 130, as_mw
    if h.sensitivity_measured and s.unit == "dB SPL/mW" and h.impedance_ohm:
        published_v = float(spl_per_v_from_mw(s.value, h.impedance_ohm))
        assert abs(published_v - h.sensitivity_measured.db_spl_per_v) < 12


@pytest.mark.parametrize("h", [h for h in HEADPHONES if h.wireless], ids=lambda h: h.id)
def test_wireless_platforms_agree_with_radios(h):
    c = h.connections
    for console in ("ps5", "xbox"):
        via = h.platforms.get(console)
        if isinstance(via, str):
            assert "bluetooth" not in via.lower(), f"{h.id}: consoles have no Bluetooth audio"
            if "dongle" in via.lower():
                assert c.dongle or (console == "xbox" and c.xbox_wireless), f"{h.id}: no dongle"
    if c.bluetooth and not (c.dongle or c.xbox_wireless or c.playstation_link or c.wired):
        support = platform_support(h)
        assert not isinstance(support["ps5"], str) and not isinstance(support["xbox"], str)
    via_xbox = h.platforms.get("xbox")
    if isinstance(via_xbox, str) and "xbox wireless" in via_xbox.lower():
        assert c.xbox_wireless


def test_provenance_is_enforced():
    with pytest.raises(ValidationError, match="no source covers specs"):
        make_headphone(
            impedance_ohm=32, sources=[{"kind": "seed", "title": "x seed", "covers": ["price"]}]
        )


def _seed_headphone_names() -> list[str]:
    text = SEEDS.read_text(encoding="utf-8")
    block = text.split("## Headphones and headsets")[1].split("## Sources")[0]
    names = []
    for line in block.splitlines():
        if line.startswith("From") or not line.strip():
            continue
        for part in line.split(";"):
            part = re.sub(r"\(.*?\)", "", part).strip().rstrip(";").strip()
            if part:
                names.append(part)
    return names


def _seed_source_names() -> list[str]:
    text = SEEDS.read_text(encoding="utf-8").split("## Sources, DACs and amplifiers")[1]
    first = text.strip().split("\n")[0:3]
    names = [re.sub(r"\(.*?\)", "", p).strip() for p in " ".join(first).split(";")]
    return [n for n in names if n and not n.startswith("Apple iPhone")]


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not present")
def _known(view, name: str, kind: str) -> bool:
    """The name resolves, or it names a family whose variants are all in the catalog (the
    answer then asks which one instead of picking: e.g. Audeze Maxwell for Xbox / PlayStation)."""
    try:
        view.resolve(name, kind)
        return True
    except UnknownProductError as exc:
        return exc.ambiguous and len(exc.suggestions) >= 2


def test_every_seed_headphone_resolves(view):
    missing = [n for n in _seed_headphone_names() if not _known(view, n, "headphone")]
    assert not missing, missing
    assert len(_seed_headphone_names()) > 100


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not present")
def test_every_seed_source_resolves(view):
    missing = [n for n in _seed_source_names() if not _known(view, n, "source")]
    assert not missing, missing


def test_seed_named_legacy_products_are_flagged(view):
    for name in ("Sennheiser HD 558", "Grado SR80", "AIAIAI TMA-1", "Philips Fidelio L2"):
        assert view.headphone(name).discontinued


def test_measurement_references_exist(measurements):
    missing = [
        (h.id, ref)
        for h in HEADPHONES
        for ref in h.measurements
        if not measurement_path(ref, measurements).exists()
    ]
    assert not missing


def test_derived_features_are_in_sync(measurements):
    from earwise.catalog.derive import derive_all

    assert derive_all(CATALOG, measurements) == CATALOG.measured


ONE = (
    "brand: T\nheadphones:\n  - {id: t-one, brand: T, model: One, form_factor: in-ear, "
    "back: closed, sources: [{kind: seed, title: unit test, covers: [price]}]}\n"
)


@pytest.fixture()
def tiny_data(tmp_path) -> tuple[Path, Path]:
    """A one-product data folder and a store path."""
    data = tmp_path / "data"
    (data / "headphones").mkdir(parents=True)
    (data / "sources").mkdir()
    (data / "headphones" / "t.yaml").write_text(ONE)
    return data, tmp_path / "c.sqlite"


def count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM headphones").fetchone()[0]
    finally:
        conn.close()


def test_store_rebuilds_when_data_changes(tiny_data):
    data, db = tiny_data
    store.connect(db, data).close()
    assert count(db) == 1
    two = ONE.split("headphones:\n")[1].replace("t-one", "t-two").replace("One", "Two")
    (data / "headphones" / "t.yaml").write_text(ONE + two)
    store.connect(db, data).close()
    assert count(db) == 2


def test_failed_rebuild_keeps_existing_store(tiny_data):
    data, db = tiny_data
    store.connect(db, data).close()
    (data / "headphones" / "t.yaml").write_text(ONE.replace("in-ear", "sideways"))
    with pytest.raises(ValueError, match="form_factor"):
        store.connect(db, data)
    assert count(db) == 1


def test_search_is_parameterised(db_path):
    conn = store.connect(db_path)
    rows = store.search_headphones(conn, brand="x' OR '1'='1")
    assert rows == []
    rows = store.search_headphones(conn, form="over-ear", back="open", max_price=500, sort="price")
    prices = [r["price_usd"] for r in rows if r["price_usd"] is not None]
    assert prices == sorted(prices) and all(p <= 500 for p in prices)
    assert all(r["back"] == "open" for r in rows)


def test_unlisted_plug_rule_for_wired_audiophile_headphones():
    from conftest import make_headphone

    wired = make_headphone(categories=["audiophile"], back="open")
    support = platform_support(wired)
    assert "plug not listed" in support["pc"] and "controller" in support["ps5"]
    wireless = make_headphone(categories=["consumer"])
    assert all(v is None for v in platform_support(wireless).values())
    estat = make_headphone(categories=["audiophile"], driver={"type": "electrostatic"})
    assert all(v is None for v in platform_support(estat).values())


@pytest.mark.parametrize(
    "script", ["derive_tws_mic", "derive_headset_mic", "derive_passive_anc", "derive_tws_by_line"]
)
def test_derived_overlays_are_in_sync(script):
    """Each derivation script's overlay is what the script would write now (re-run it after
    editing curated files)."""
    import importlib.util

    import yaml

    path = Path(__file__).parents[1] / "scripts" / f"{script}.py"
    spec = importlib.util.spec_from_file_location(script, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    written = yaml.safe_load(mod.OUT.read_text(encoding="utf-8")) or []
    assert [e["id"] for e in written] == [e["id"] for e in mod.entries(CATALOG.headphones)]


def test_a_model_named_with_its_maker_is_shown_with_the_maker_once(view):
    """'Drop + Sennheiser HD 6XX' by Drop reads as itself, never 'Drop Drop + ...'."""
    assert view.label("drop-sennheiser-hd-6xx") == "Drop + Sennheiser HD 6XX"
    assert view.label("sennheiser-hd-600") == "Sennheiser HD 600"
    assert make_headphone(id="x", brand="Nura", model="NuraLoop").display_name == "Nura NuraLoop"
