"""The service layer's application object: settings honoured, the view follows the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from earwise import service
from earwise.core.errors import EarwiseError
from earwise.service.requests import (
    CompareRequest,
    DriveRequest,
    ExplainRequest,
    NameRequest,
    RecommendRequest,
)
from earwise.service.settings import Settings

ONE = (
    "brand: T\nheadphones:\n  - {id: t-one, brand: T, model: One, form_factor: in-ear, "
    "back: closed, sources: [{kind: seed, title: unit test, covers: [price]}]}\n"
)
TWO = ONE.replace("t-one", "t-two").replace("model: One", "model: Two")


@pytest.fixture()
def tiny(tmp_path) -> service.Earwise:
    data = tmp_path / "data"
    (data / "headphones").mkdir(parents=True)
    (data / "sources").mkdir()
    (data / "headphones" / "t.yaml").write_text(ONE)
    settings = Settings(tmp_path / "c.sqlite", tmp_path / "no-measurements", data)
    return service.Earwise(settings)


def test_settings_options_beat_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("EARWISE_DB", str(tmp_path / "env.sqlite"))
    monkeypatch.setenv("EARWISE_MEASUREMENTS", str(tmp_path / "m"))
    s = Settings.from_env()
    assert s.store_path == tmp_path / "env.sqlite" and s.measurements_root == tmp_path / "m"
    s = Settings.from_env(store_path=tmp_path / "opt.sqlite")
    assert s.store_path == tmp_path / "opt.sqlite"
    assert Settings.from_env({}).store_path.name == "catalog.sqlite"


def test_the_app_uses_its_own_store_and_catalog(tiny):
    view = tiny.view()
    assert list(view.headphones) == ["t-one"]
    assert Path(tiny.settings.store_path).is_file()


def test_the_view_follows_the_store_when_the_data_change(tiny):
    first = tiny.view()
    assert tiny.view() is first  # unchanged data: the same view, no reload
    (tiny.settings.catalog_dir / "headphones" / "u.yaml").write_text(TWO)
    second = tiny.view()
    assert second is not first and set(second.headphones) == {"t-one", "t-two"}


def test_two_apps_never_share_a_view(tiny, earwise):
    assert tiny.view() is not earwise.view()
    assert len(earwise.view().headphones) > 100


def test_unknown_names_are_not_found_errors_with_the_field(earwise):
    with pytest.raises(service.NotFoundError) as info:
        service.show(earwise, NameRequest("Zzyzx Qwerty 9000"))
    assert info.value.status_code == 404


def test_every_answer_states_its_assumed_source(earwise):
    result = service.recommend(earwise, RecommendRequest())
    assert any("no source given" in a for a in result.assumptions)


def test_request_errors_name_their_field():
    with pytest.raises(EarwiseError) as info:
        RecommendRequest(top=0)
    assert info.value.field == "top"


@pytest.mark.parametrize(
    "call",
    [
        lambda e: service.compare(e, CompareRequest(["Senn 558s", "HD 600"])),
        lambda e: service.drive(e, DriveRequest("Senn 558s")),
        lambda e: service.explain(e, ExplainRequest(name="Senn 558s")),
    ],
    ids=["compare", "drive", "explain"],
)
def test_near_matches_are_said_in_every_answer(earwise, call):
    result = call(earwise)
    assert any("near match" in n and "HD 558" in n for n in result.name_notes)
    assert "name_notes" in result.to_json()


def test_exact_names_carry_no_note(earwise):
    assert service.compare(earwise, CompareRequest(["HD 600", "HD 650"])).name_notes == []


def test_the_cli_says_a_near_match_on_stderr(runner):
    from earwise.cli import app

    r = runner.invoke(app, ["drive", "Senn 558s", "--json"])
    assert r.exit_code == 0 and "note: showing the Sennheiser HD 558" in r.stderr
    assert json.loads(r.stdout)["name_notes"]
