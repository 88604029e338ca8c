"""The CLI's bad-input table: every case ends in exit code 2 with one ``error:`` line, no
traceback, within 10 s, and any file named as output or store is left exactly as it was."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from earwise.cli import app
from earwise.cli.common import reset_app

LIMIT_S = 10
LONG = "x" * 100_000
BIG_TEXT = "word " * 5_000  # 25 KB: over the 20 KB text limit
ABSURD = "frequency,raw\n" + "".join(f"{20 * 1.5**k:.2f},{(-1) ** k * 11000}\n" for k in range(18))


def _files(tmp: Path) -> dict[str, str]:
    """Inputs the table refers to as {name}: a folder, a FIFO, junk, absurd and empty files."""
    (tmp / "folder").mkdir()
    os.mkfifo(tmp / "fifo")
    (tmp / "binary.csv").write_bytes(b"\x00\xff\xfe" * 1000)
    (tmp / "absurd.csv").write_text(ABSURD)
    (tmp / "empty.csv").write_text("")
    (tmp / "words.csv").write_text("frequency,raw\nhello,world\n" * 5)
    (tmp / "existing.svg").write_text("<svg>keep me</svg>")
    return {
        "folder": str(tmp / "folder"), "fifo": str(tmp / "fifo"), "binary": str(tmp / "binary.csv"),
        "absurd": str(tmp / "absurd.csv"), "empty": str(tmp / "empty.csv"),
        "words": str(tmp / "words.csv"), "missing_dir": str(tmp / "nowhere" / "out.svg"),
        "existing": str(tmp / "existing.svg"), "tmp": str(tmp),
    }  # fmt: skip


# (args, a fragment the error line must contain)
CASES = [
    # recommend: numbers, shares, choices, sources
    (["recommend", "--budget", "inf"], "finite"),
    (["recommend", "--budget", "nan"], "budget"),
    (["recommend", "--budget", "1e309"], "budget"),
    (["recommend", "--budget", "1,2,3"], "not a number"),
    (["recommend", "--budget", "-5"], "positive"),
    (["recommend", "--budget", "0"], "positive"),
    (["recommend", "--budget", "999999999"], "between"),
    (["recommend", "--genre", "rock:inf"], "finite"),
    (["recommend", "--genre", "rock:nan"], "genre"),
    (["recommend", "--genre", "rock:-3"], "between"),
    (["recommend", "--genre", "rock:x"], "does not parse"),
    (["recommend", "--genre", "polka"], "valid genres"),
    (["recommend", "--form", "spaceship"], "valid"),
    (["recommend", "--back", "sideways"], "valid"),
    (["recommend", "--head", "huge"], "valid"),
    (["recommend", "--brand", "Sonny"], "did you mean 'Sony'"),
    (["recommend", "--driver", "plasma"], "valid"),
    (["recommend", "--source", "generic laptop", "--source-vrms", "2"], "not both"),
    (["recommend", "--source-vrms", "inf"], "finite"),
    (["recommend", "--source-vrms", "nan"], "source_vrms"),
    (["recommend", "--source-zout", "5"], "source_vrms"),
    (["recommend", "--level", "1e9"], "between"),
    (["recommend", "--level", "loudest"], "level"),
    (["recommend", "--top", "0"], "top"),
    (["recommend", "--top", "1000"], "top"),
    (["recommend", "--max-weight", "-1"], "max_weight"),
    (["recommend", "--min-price", "inf"], "finite"),
    (["recommend", "--owned", "Zzyzx Qwerty 9000"], "unknown"),
    (["recommend", "--source", "s" * 300], "at most 200"),
    (["recommend", "--wired", "--wireless"], "exclude"),
    # show, search, compare
    (["show", ""], "empty"),
    (["show", LONG], "at most 200"),
    (["show", "Zzyzx Qwerty 9000"], "unknown"),
    (["search", "--sort", "colour"], "valid"),
    (["search", "--max-price", "inf"], "finite"),
    (["search", "--limit", "0"], "limit"),
    (["search", "--form", "spaceship"], "valid"),
    (["compare", "HD 600"], "two to four"),
    (["compare", "a", "b", "c", "d", "e"], "two to four"),
    # kit, best
    (["kit", "--genre", "rock"], "--budget"),
    (["kit", "--budget", "inf"], "finite"),
    (["kit", "--budget", "500", "--max-items", "9"], "max_items"),
    (["best", "nonsense"], "valid"),
    (["best", "--under", "inf"], "finite"),
    (["best", "--top", "99"], "top"),
    # analyze, similar: files that are not regular, readable, sane measurements
    (["analyze", "{folder}"], "folder"),
    (["analyze", "{fifo}"], "pipe"),
    (["analyze", "/dev/zero"], "device"),
    (["analyze", "{binary}"], "binary.csv"),
    (["analyze", "{absurd}"], "absurd.csv"),
    (["analyze", "{empty}"], "empty.csv"),
    (["analyze", "{words}"], "words.csv"),
    (["analyze", "HD 600", "--target", "nope"], "preset"),
    (["analyze", "HD 600", "--target", "{folder}"], "folder"),
    (["analyze", "HD 600", "--target", "{fifo}"], "pipe"),
    (["analyze", "{absurd}", "--rig", "moon"], "valid"),
    (["similar", "Zzyzx Qwerty 9000"], "unknown"),
    (["similar", "HD 600", "--top", "0"], "top"),
    # plot, eq: outputs that must not be written
    (["plot", "HD 600", "-o", "{tmp}/x.pdf"], ".svg or .png"),
    (["plot", "HD 600", "-o", "{missing_dir}"], "does not exist"),
    (["plot", "HD 600", "-o", "{folder}"], "svg or .png"),
    (["plot", "HD 600", "-o", "/dev/null"], ".svg or .png"),
    (["plot", "Zzyzx Qwerty 9000", "-o", "{existing}"], "unknown"),
    (["eq", "HD 600", "--preset", "nope"], "valid"),
    (["eq", "HD 600", "--max-gain", "inf"], "finite"),
    (["eq", "HD 600", "--max-gain", "nan"], "max_gain"),
    (["eq", "HD 600", "--filters", "0"], "filters"),
    (["eq", "HD 600", "-o", "{missing_dir}"], "does not exist"),
    (["eq", "HD 600", "-o", "{folder}"], "folder"),
    (["eq", "HD 600", "--like", "Zzyzx Qwerty 9000"], "unknown"),
    # drive, amps-for, chain, explain
    (["drive", "HD 600", "--vrms", "inf"], "finite"),
    (["drive", "HD 600", "--vrms", "nan"], "vrms"),
    (["drive", "HD 600", "--vrms", "1", "--zout", "inf"], "finite"),
    (["drive", "HD 600", "--vrms", "1", "--zout", "-1"], "zout"),
    (["drive", "HD 600", "--source", "generic laptop", "--vrms", "1"], "not both"),
    (["drive", "HD 600", "--level", "500"], "between"),
    (["drive", "Stax SR-009"], "energizer"),
    (["amps-for", "HD 600", "--budget", "inf"], "finite"),
    (["amps-for", "Zzyzx Qwerty 9000"], "unknown"),
    (["chain", "--headphone", "Zzyzx Qwerty 9000"], "unknown"),
    (["chain", "--headphone", "HD 600", "--amp", "Zzyzx Qwerty 9000"], "unknown"),
    (["explain"], "give one of"),
    (["explain", "--file", "{folder}"], "folder"),
    (["explain", "--file", "{fifo}"], "pipe"),
    (["explain", "--file", "/dev/zero"], "device"),
    (["explain", "--text", BIG_TEXT], "limit"),
    (["explain", "--text", "   "], "empty"),
    # ask
    (["ask", "   "], "empty"),
    (["ask", "--file", "{fifo}"], "pipe"),
    (["ask", "--file", "/dev/zero"], "device"),
    (["ask", "--file", "{folder}"], "folder"),
    (["ask", BIG_TEXT], "limit"),
    # library and catalog maintenance
    (["measurements", "index", "{tmp}/nowhere"], "not found"),
    (["measurements", "index", "{folder}"], "--force"),
    (["catalog", "enrich", "--measurements", "{folder}"], "--force"),
    (["catalog", "export", "-o", "{missing_dir}"], "does not exist"),
    (["catalog", "export", "-o", "{folder}"], "folder"),
    (["catalog", "sample", "--seed", "1", "--n", "0"], "outside"),
    (["catalog", "sample", "--seed", "1", "--n", "99999999"], "outside"),
]


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang(f"over {LIMIT_S} s")


def _invoke(runner, args: list[str]):
    reset_app()
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(LIMIT_S)
    started = time.monotonic()
    try:
        result = runner.invoke(app, args)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return result, time.monotonic() - started


def _check(result, seconds: float, fragment: str) -> None:
    err = result.stderr.strip()
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert err.startswith("error: ") and "\n" not in err, err
    assert "Traceback" not in result.output and "internal error" not in err
    assert fragment.lower() in err.lower(), err
    assert seconds < LIMIT_S


def test_the_table_is_large_and_covers_every_command():
    from tests.test_docs import commands

    covered = {" ".join(a[:2]) if a[0] in ("catalog", "measurements") else a[0] for a, _ in CASES}
    missing = {c for c in commands() if c not in covered} - {
        "serve",
        "catalog stats",
        "catalog rebuild",
        "catalog audit",  # takes no value that could be wrong
    }
    assert len(CASES) >= 60 and not missing, missing


@pytest.mark.parametrize("args,fragment", CASES, ids=[" ".join(a)[:50] for a, _ in CASES])
def test_bad_input(runner, tmp_path, args, fragment, measurements):
    names = _files(tmp_path)
    existing = Path(names["existing"]).read_bytes()
    derived = Path("src/earwise/catalog/data/derived/measured.yaml")
    derived_before = derived.read_bytes() if derived.exists() else None
    argv = [a.format(**names) if "{" in a else a for a in args]
    result, seconds = _invoke(runner, argv)
    _check(result, seconds, fragment.format(**names))
    assert Path(names["existing"]).read_bytes() == existing
    assert not Path(names["missing_dir"]).parent.exists()
    assert Path(names["folder"]).is_dir() and Path("/dev/null").is_char_device()
    if derived_before is not None:
        assert derived.read_bytes() == derived_before


def _foreign_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE x (a)")
    conn.execute("INSERT INTO x VALUES (1)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("kind", ["text", "foreign-sqlite", "folder", "fifo", "dev-null"])
def test_a_store_that_is_not_ours_is_refused_and_left_alone(runner, tmp_path, monkeypatch, kind):
    path = {"dev-null": Path("/dev/null")}.get(kind, tmp_path / "store")
    if kind == "text":
        path.write_text("my notes, not a database\n")
    elif kind == "foreign-sqlite":
        _foreign_sqlite(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    before = path.read_bytes() if path.is_file() else None
    monkeypatch.setenv("EARWISE_DB", str(path))
    result, seconds = _invoke(runner, ["recommend", "--budget", "300"])
    _check(result, seconds, str(path))
    if before is not None:
        assert path.read_bytes() == before
    assert {"folder": path.is_dir, "fifo": path.is_fifo, "dev-null": path.is_char_device}.get(
        kind, path.is_file
    )()
