"""The CLI through Typer's runner: every command, JSON shapes, and one-line errors with exit 2."""

import json

import pytest

from earwise.cli import app

REC_KEYS = {
    "rank",
    "id",
    "brand",
    "model",
    "price_usd",
    "form_factor",
    "back",
    "wireless",
    "anc",
    "mic",
    "platforms",
    "score",
    "criteria",
    "reasons",
    "warnings",
}


def run(runner, *args):
    return runner.invoke(app, list(args))


def test_recommend_json_shape(runner):
    r = run(
        runner, "recommend", "--genre", "rock:80", "--genre", "jazz:20", "--budget", "300", "--json"
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert set(data) >= {"profile", "recommendations"}
    assert data["profile"]["genres"] == {"rock": 0.8, "jazz": 0.2}
    assert data["recommendations"]
    for rec in data["recommendations"]:
        assert set(rec) >= REC_KEYS
        assert rec["reasons"] and isinstance(rec["criteria"], dict)


def test_recommend_text(runner):
    r = run(runner, "recommend", "--genre", "classical", "--use", "home", "--top", "3")
    assert r.exit_code == 0, r.output
    assert "1. " in r.stdout and "+" in r.stdout


def test_show_json_has_provenance(runner):
    r = run(runner, "show", "HD600", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["id"] == "sennheiser-hd-600"
    assert data["sources"] and all(s["covers"] for s in data["sources"])


def test_show_source_device(runner):
    r = run(runner, "show", "Fiio E17 Alpen")
    assert r.exit_code == 0 and "E17" in r.stdout


def test_search_compare_best_kit_stats(runner):
    assert (
        run(
            runner, "search", "--form", "over-ear", "--back", "open", "--max-price", "400"
        ).exit_code
        == 0
    )
    r = run(runner, "compare", "HD 600", "HD 650", "--json")
    assert r.exit_code == 0 and any(row["differs"] for row in json.loads(r.stdout)["rows"])
    r = run(runner, "best", "xbox-ps5", "--json")
    assert r.exit_code == 0
    picks = json.loads(r.stdout)[0]["picks"]
    assert all("pros" in p and "cons" in p for p in picks)
    r = run(
        runner,
        "kit",
        "--genre",
        "classical:50",
        "--genre",
        "hip-hop:50",
        "--budget",
        "600",
        "--json",
    )
    assert r.exit_code == 0, r.output
    kit = json.loads(r.stdout)
    assert (
        kit["best"]["total_price_usd"] <= 600
        and kit["best"]["score"] >= kit["best_single"]["score"]
    )
    r = run(runner, "catalog", "stats", "--json")
    stats = json.loads(r.stdout)
    assert stats["headphones"] >= 300 and stats["sources_and_amps"] >= 40
    assert set(stats) >= {"by_form", "by_driver", "by_price_band"}


@pytest.mark.parametrize(
    "args,needle",
    [
        (["recommend", "--genre", "polka"], "valid genres"),
        (["recommend", "--platform", "amiga"], "valid platforms"),
        (["recommend", "--use", "moon"], "valid uses"),
        (["recommend", "--budget", "-5"], "positive"),
        (["recommend", "--budget", "lots"], "not a number"),
        (["recommend", "--genre", "rock:x"], "does not parse"),
        (["recommend", "--wired", "--wireless"], "exclude"),
        (["recommend", "--budget", "1"], "cheapest"),
        (["show", "Zzyzx Qwerty 9000"], "unknown"),
        (["show", "Sennheiser HD 6"], "did you mean"),
        (["compare", "HD 600"], "two to four"),
        (["best", "nonsense"], "valid"),
        (["kit", "--genre", "rock"], "--budget"),
        (["search", "--sort", "colour"], "valid"),
    ],
)
def test_bad_input_one_line_exit_2(runner, args, needle):
    r = runner.invoke(app, args)
    assert r.exit_code == 2, r.output
    err = r.stderr.strip()
    assert needle in err and "\n" not in err and "Traceback" not in r.output


def test_help_lists_every_command(runner):
    r = run(runner, "--help")
    for cmd in ("recommend", "show", "search", "compare", "kit", "best", "catalog"):
        assert cmd in r.stdout


@pytest.mark.parametrize(
    "args,needle",
    [(["recommend", "--top", "abc"], "Invalid value for '--top'"),
     (["recommend", "--nonsense"], "No such option"),
     (["frobnicate"], "No such command")],
)  # fmt: skip
def test_usage_errors_are_one_line_from_the_entry_point(db_path, args, needle):
    import os
    import subprocess
    import sys

    env = os.environ | {"EARWISE_DB": str(db_path)}
    r = subprocess.run(
        [sys.executable, "-m", "earwise.cli", *args], capture_output=True, text=True, env=env
    )
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0], r.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["recommend", "--top", "1", "--json"],
        ["catalog", "stats", "--json"],
        ["drive", "HD 600", "--json"],
    ],
)
def test_the_entry_point_runs_only_the_named_command_with_the_same_output(runner, args):
    """main() builds just the command being run (start-up); the output is the full app's."""
    import subprocess
    import sys

    from earwise.cli.common import reset_app

    r = subprocess.run(
        [sys.executable, "-m", "earwise.cli", *args], capture_output=True, text=True, timeout=60
    )
    reset_app()
    full = runner.invoke(app, args)
    assert r.returncode == 0 and json.loads(r.stdout) == json.loads(full.stdout)


def test_best_help_lists_exactly_the_categories_there_are():
    """The help of `earwise best` is written out (the CLI imports no advice at start-up), so a
    test keeps it equal to the categories the service accepts."""
    from earwise.advice.best import category_names
    from earwise.cli.commands import CATEGORIES_HELP

    assert CATEGORIES_HELP.split(", ") == category_names()
