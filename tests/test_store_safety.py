"""Store safety: only earwise stores are opened or replaced, builds are locked and atomic,
damage is rebuilt, and index/derived writes refuse to drop most of what is there."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from earwise.catalog import derive, measurement_index, store
from earwise.catalog.loader import CatalogError
from earwise.core.errors import ConflictError, EarwiseError
from earwise.core.files import file_lock

ONE = (
    "brand: T\nheadphones:\n  - {id: t-one, brand: T, model: One, form_factor: in-ear, "
    "back: closed, sources: [{kind: seed, title: unit test, covers: [price]}]}\n"
)
TWO = ONE + ONE.split("headphones:\n")[1].replace("t-one", "t-two").replace("One", "Two")
NS_MTIME = 1_764_000_000_000_000_000  # a real st_mtime_ns (late 2025)


@pytest.fixture(autouse=True)
def _fresh_checks():
    """Each test starts as a new process would: nothing checked yet."""
    store._CHECKED.clear()
    yield
    store._CHECKED.clear()


@pytest.fixture()
def tiny_data(tmp_path) -> tuple[Path, Path]:
    """A one-product data folder and a store path."""
    data = tmp_path / "data"
    (data / "headphones").mkdir(parents=True)
    (data / "sources").mkdir()
    (data / "headphones" / "t.yaml").write_text(ONE)
    return data, tmp_path / "c.sqlite"


@contextlib.contextmanager
def deadline(seconds: int):
    """Fail (instead of hanging) when the block takes longer than ``seconds``."""

    def boom(signum, frame):
        raise TimeoutError(f"took over {seconds} s")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def headphone_ids(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM headphones ORDER BY id")]
    finally:
        conn.close()


def app_id(db: Path) -> int:
    return int.from_bytes(db.read_bytes()[68:72], "big")


def measurement_row(ref: str, mtime_ns: int = NS_MTIME) -> tuple:
    source, form, name = ref.split("/")
    return (ref, source, form, name, f"/m/{ref}.csv", mtime_ns, 1234, '{"x": 1}', None)


# --- identity: only earwise stores are opened ----------------------------------------------------


def _text(path: Path) -> None:
    path.write_text("my notes\nnot a database\n")


def _foreign_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE x (a INTEGER)")
    conn.execute("INSERT INTO x VALUES (42)")
    conn.commit()
    conn.close()


def _foreign_with_meta(path: Path) -> None:
    """Another program's SQLite that happens to have a ``meta`` table (no headphones)."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta (key TEXT, value TEXT)")
    conn.execute("INSERT INTO meta VALUES ('schema_version', '2')")
    conn.commit()
    conn.close()


def _sqlite_header_only(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 40)


@pytest.mark.parametrize(
    "make",
    [_text, _foreign_sqlite, _foreign_with_meta, _sqlite_header_only],
    ids=lambda f: f.__name__,
)
@pytest.mark.parametrize("how", ["connect", "build_store"])
def test_foreign_file_is_refused_and_untouched(tiny_data, make, how):
    data, db = tiny_data
    make(db)
    before, listing = db.read_bytes(), sorted(os.listdir(db.parent))
    with pytest.raises(CatalogError, match="not an earwise store") as err:
        if how == "connect":
            store.connect(db, data)
        else:
            store.build_store(db, data)
    assert err.value.field == "EARWISE_DB"
    assert db.read_bytes() == before
    assert sorted(os.listdir(db.parent)) == listing  # no lock, journal or temp file beside it


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_folder_and_fifo_are_refused_without_hanging(tiny_data, kind):
    data, db = tiny_data
    if kind == "folder":
        db.mkdir()
    else:
        os.mkfifo(db)
    with deadline(10), pytest.raises(CatalogError, match="not an earwise store"):
        store.connect(db, data)
    mode = os.stat(db).st_mode
    assert stat.S_ISDIR(mode) if kind == "folder" else stat.S_ISFIFO(mode)
    assert not Path(f"{db}.lock").exists()


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null here")
def test_dev_null_is_refused_and_stays_a_device(tiny_data):
    data, _ = tiny_data
    with deadline(10), pytest.raises(CatalogError, match="device") as err:
        store.connect(Path("/dev/null"), data)
    assert err.value.field == "EARWISE_DB"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_empty_file_is_built_into(tiny_data):
    data, db = tiny_data
    db.write_bytes(b"")
    store.connect(data_dir=data, path=db).close()
    assert headphone_ids(db) == ["t-one"] and app_id(db) == store.APPLICATION_ID


def test_new_store_carries_application_id_and_meta(tiny_data):
    data, db = tiny_data
    conn = store.connect(db, data)
    meta = {r[0]: r[1] for r in conn.execute("SELECT key, value FROM meta")}
    assert conn.execute("PRAGMA application_id").fetchone()[0] == store.APPLICATION_ID
    assert meta["schema_version"] == str(store.SCHEMA_VERSION) and meta["data_hash"]
    conn.close()


def test_store_of_previous_version_is_rebuilt_keeping_its_index(tiny_data):
    data, db = tiny_data
    store.connect(db, data).close()
    conn = sqlite3.connect(db)  # make it look like the previous version built it
    conn.execute("PRAGMA application_id = 0")
    conn.execute("DELETE FROM meta WHERE key IN ('build_id', 'index_generation')")
    conn.execute("INSERT INTO measurements VALUES (?,?,?,?,?,?,?,?,?)", measurement_row("a/b/c"))
    conn.commit()
    conn.close()
    store._CHECKED.clear()
    conn = store.connect(db, data)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == store.APPLICATION_ID
    assert list(store.indexed_measurements(conn)) == ["a/b/c"]
    conn.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_folder_gives_a_clear_error(tiny_data):
    data, db = tiny_data
    folder = db.parent / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(CatalogError, match="cannot") as err:
            store.connect(folder / "c.sqlite", data)
        assert err.value.field == "EARWISE_DB"
    finally:
        folder.chmod(0o755)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_outdated_store_gives_a_clear_error(tiny_data):
    data, db = tiny_data
    store.connect(db, data).close()
    db.chmod(0o444)
    (data / "headphones" / "t.yaml").write_text(TWO)
    with pytest.raises(CatalogError, match="read-only"):
        store.connect(db, data)
    assert headphone_ids(db) == ["t-one"]


def test_unwritable_folder_gives_a_clear_error_even_as_root(tiny_data, monkeypatch):
    data, db = tiny_data

    def denied(path, flags, mode=0o777):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("earwise.core.files.os.open", denied)
    with pytest.raises(CatalogError, match="cannot lock the store") as err:
        store.connect(db, data)
    assert err.value.field == "EARWISE_DB" and not db.exists()


def test_read_only_store_gives_a_clear_error_even_as_root(tiny_data, monkeypatch):
    data, db = tiny_data
    store.connect(db, data).close()
    (data / "headphones" / "t.yaml").write_text(TWO)
    monkeypatch.setattr(store.os, "access", lambda path, mode: False)
    with pytest.raises(CatalogError, match="read-only"):
        store.connect(db, data)
    assert headphone_ids(db) == ["t-one"]


def test_symlinked_store_keeps_its_link(tiny_data):
    data, db = tiny_data
    link = db.parent / "link.sqlite"
    link.symlink_to(db)
    store.connect(link, data).close()
    (data / "headphones" / "t.yaml").write_text(TWO)
    store.connect(link, data).close()
    assert link.is_symlink() and headphone_ids(db) == ["t-one", "t-two"]


def test_awkward_path_names_work(tmp_path, tiny_data):
    data, _ = tiny_data
    db = tmp_path / "we ird?#%" / "c a?b#%.sqlite"
    store.connect(db, data).close()
    store.build_store(db, data)
    assert headphone_ids(db) == ["t-one"]


def test_lock_file_that_is_a_fifo_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / "x.lock")
    with deadline(10), pytest.raises(OSError), file_lock(tmp_path / "x"):
        pass


# --- damage is rebuilt -------------------------------------------------------------------------


def _truncate(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])


def _scribble(db: Path) -> None:
    data = bytearray(db.read_bytes())
    mid = len(data) // 2
    data[mid : mid + 4096] = b"\xa5" * 4096
    db.write_bytes(bytes(data))


def _bad_record(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE headphones SET record = '{\"id\": 1}'")
    conn.commit()
    conn.close()


def _dropped_table(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE names")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "damage", [_truncate, _scribble, _bad_record, _dropped_table], ids=lambda f: f.__name__
)
def test_damaged_store_is_rebuilt_with_one_notice(tiny_data, damage):
    data, db = tiny_data
    store.connect(db, data).close()
    # pad the store so the damage lands in real pages, not in a 4-page toy file
    conn = store.connect(db, data)
    with conn:
        store.upsert_measurements(conn, [measurement_row(f"s/f/m{i}") for i in range(2000)])
    conn.close()
    damage(db)
    store._CHECKED.clear()  # as a new process would
    notices: list[str] = []
    conn = store.connect(db, data, notice=notices.append)
    assert [h.id for h in store.all_headphones(conn)] == ["t-one"]
    conn.close()
    assert len(notices) == 1 and "damaged" in notices[0] and str(db) in notices[0]
    assert "rebuilt from the data files" in notices[0]
    assert app_id(db) == store.APPLICATION_ID
    store._CHECKED.clear()
    store.connect(db, data, notice=notices.append).close()
    assert len(notices) == 1  # healthy now: no second rebuild


def test_damage_notice_defaults_to_one_stderr_line(tiny_data, capsys):
    data, db = tiny_data
    store.connect(db, data).close()
    _bad_record(db)
    store._CHECKED.clear()
    store.connect(db, data).close()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"earwise: the store at {db} was damaged")


def test_hot_path_does_not_recheck(tiny_data, monkeypatch):
    data, db = tiny_data
    store.connect(db, data).close()
    calls = []
    real = store._verdict
    monkeypatch.setattr(store, "_verdict", lambda *a: calls.append(a) or real(*a))
    for _ in range(5):
        store.connect(db, data).close()
    assert calls == []


def test_failed_rebuild_keeps_the_store(tiny_data):
    data, db = tiny_data
    store.connect(db, data).close()
    before = db.read_bytes()
    (data / "headphones" / "t.yaml").write_text(ONE.replace("in-ear", "sideways"))
    with pytest.raises(CatalogError, match="form_factor"):
        store.connect(db, data)
    assert db.read_bytes() == before
    assert [p.name for p in db.parent.iterdir() if "build.tmp" in p.name] == []


# --- concurrent and killed builds ----------------------------------------------------------------

CONNECT = """
import sys
from pathlib import Path
from earwise.catalog import store
real = store._build_locked
def counted(*args, **kwargs):
    print("BUILT", flush=True)
    return real(*args, **kwargs)
store._build_locked = counted
store._BUILD_DELAY_S = float(sys.argv[3])  # the test hook: sleep mid-build so it can be killed
store.connect(Path(sys.argv[1]), Path(sys.argv[2])).close()
print("OK", flush=True)
"""


def _run_connect(db: Path, data: Path, delay: float = 0.0) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CONNECT, str(db), str(data), str(delay)],
        cwd=db.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_concurrent_first_connects_build_once(tiny_data):
    data, db = tiny_data
    procs = [_run_connect(db, data, delay=0.5) for _ in range(3)]
    outs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [e for _, e in outs]
    assert all("OK" in o for o, _ in outs)
    assert sum(o.count("BUILT") for o, _ in outs) == 1
    assert headphone_ids(db) == ["t-one"] and app_id(db) == store.APPLICATION_ID
    assert [p.name for p in db.parent.iterdir() if "build.tmp" in p.name] == []


def _temps(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir() if ".build.tmp" in p.name)


def test_build_killed_midway_leaves_nothing_to_trip_on(tiny_data):
    data, db = tiny_data
    store.connect(db, data).close()
    (data / "headphones" / "t.yaml").write_text(TWO)  # the next connect rebuilds
    proc = _run_connect(db, data, delay=60)
    try:
        with deadline(30):
            while not _temps(db):
                assert proc.poll() is None, proc.communicate()
                time.sleep(0.05)
            time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate()  # reaped: its pid is no longer alive
    leftovers = _temps(db)
    assert f".c.sqlite.{proc.pid}.build.tmp" in leftovers
    assert headphone_ids(db) == ["t-one"]  # the old store is whole
    store._CHECKED.clear()
    conn = store.connect(db, data)
    assert [h.id for h in store.all_headphones(conn)] == ["t-one", "t-two"]
    conn.close()
    assert _temps(db) == []


def test_stale_temp_rules(tiny_data):
    data, db = tiny_data
    live = os.getppid()
    fresh = db.parent / f".c.sqlite.{live}.build.tmp"
    old = db.parent / f".c.sqlite.{live}.build.tmp-journal"
    other = db.parent / ".other.sqlite.999999999.build.tmp"
    for p in (fresh, old, other):
        p.write_bytes(b"partial")
    hours_ago = time.time() - 2 * store.STALE_TEMP_S
    os.utime(old, (hours_ago, hours_ago))
    store.connect(db, data).close()
    assert fresh.exists() and not old.exists() and other.exists()


# --- the measurement index fingerprint -----------------------------------------------------------


def test_index_state_survives_nanosecond_mtimes_where_sum_overflows(tiny_data):
    data, db = tiny_data
    conn = store.connect(db, data)
    empty = store.index_state(conn)
    with conn:
        store.upsert_measurements(conn, [measurement_row(f"s/f/m{i}") for i in range(500)])
    with pytest.raises(sqlite3.OperationalError, match="integer overflow"):
        conn.execute("SELECT count(*), coalesce(sum(mtime_ns), 0) FROM measurements").fetchone()
    first = store.index_state(conn)
    assert first[0] == 500 and first != empty
    with conn:  # same count, one file changed: the fingerprint still changes
        store.upsert_measurements(conn, [measurement_row("s/f/m0", NS_MTIME + 1)])
    second = store.index_state(conn)
    assert second[0] == 500 and second != first
    with conn:
        store.delete_measurements(conn, ["s/f/m1"])
    third = store.index_state(conn)
    assert third[0] == 499 and third not in (first, second)
    with conn:  # nothing to do: nothing changes
        store.upsert_measurements(conn, [])
        store.delete_measurements(conn, [])
    assert store.index_state(conn) == third
    conn.close()
    store.build_store(db, data)  # a rebuild carries the index but is a new state
    conn = store.connect(db, data)
    assert store.index_state(conn)[0] == 499 and store.index_state(conn) != third
    assert len(store.indexed_measurements(conn)) == 499
    conn.close()


# --- indexing a library --------------------------------------------------------------------------


@pytest.fixture()
def library(tmp_path, monkeypatch) -> Path:
    """Four measurement files; analysis is faked (the real one needs targets and data)."""
    root = tmp_path / "lib"
    folder = root / "oratory1990" / "data" / "over-ear"
    folder.mkdir(parents=True)
    for name in ("A", "B", "C", "D"):
        (folder / f"{name}.csv").write_text("frequency,raw\n20,0\n")

    def fake_analyse(files, root, progress=None):
        return {mf.ref: {"measurement": mf.ref} for mf in files}, {}

    monkeypatch.setattr(measurement_index, "analyse", fake_analyse)
    return root


def _indexed(db: Path, data: Path) -> list[str]:
    conn = store.connect(db, data)
    try:
        return sorted(store.indexed_measurements(conn))
    finally:
        conn.close()


def test_index_library_refuses_an_empty_folder(tiny_data, library):
    data, db = tiny_data
    conn = store.connect(db, data)
    assert measurement_index.index_library(conn, library)["files"] == 4
    state = store.index_state(conn)
    empty = library.parent / "empty"
    empty.mkdir()
    with pytest.raises(ConflictError, match="no measurement files") as err:
        measurement_index.index_library(conn, empty)
    assert err.value.field == "path" and err.value.status_code == 409
    assert store.index_state(conn) == state and len(_indexed(db, data)) == 4
    conn.close()


def test_index_library_refuses_to_drop_most_of_the_index(tiny_data, library):
    data, db = tiny_data
    conn = store.connect(db, data)
    measurement_index.index_library(conn, library)
    folder = library / "oratory1990" / "data" / "over-ear"
    (folder / "A.csv").unlink()
    (folder / "B.csv").unlink()
    counts = measurement_index.index_library(conn, library)  # half is fine
    assert counts["removed"] == 2
    (folder / "C.csv").unlink()
    (folder / "D.csv").unlink()
    (folder / "E.csv").write_text("x")  # a different library: drops both, adds one
    state = store.index_state(conn)
    with pytest.raises(ConflictError, match="drop 2 of the 2") as err:
        measurement_index.index_library(conn, library)
    assert err.value.field == "path"
    assert store.index_state(conn) == state
    assert _indexed(db, data) == ["oratory1990/over-ear/C", "oratory1990/over-ear/D"]
    counts = measurement_index.index_library(conn, library, force=True)
    assert counts["removed"] == 2 and counts["read"] == 1
    assert _indexed(db, data) == ["oratory1990/over-ear/E"]
    conn.close()


def test_index_library_force_accepts_an_empty_folder(tiny_data, library):
    data, db = tiny_data
    conn = store.connect(db, data)
    measurement_index.index_library(conn, library)
    (library.parent / "empty").mkdir()
    counts = measurement_index.index_library(conn, library.parent / "empty", force=True)
    assert counts["removed"] == 4 and _indexed(db, data) == []
    conn.close()


def test_index_written_after_a_concurrent_rebuild_is_kept(tiny_data, library):
    data, db = tiny_data
    conn = store.connect(db, data)  # opened before the rebuild: points at the old file
    (data / "headphones" / "t.yaml").write_text(TWO)
    store._CHECKED.clear()
    store.connect(db, data).close()  # another request rebuilds the store
    measurement_index.index_library(conn, library)
    conn.close()
    assert len(_indexed(db, data)) == 4 and headphone_ids(db) == ["t-one", "t-two"]


def test_index_writes_wait_for_the_store_lock(tiny_data, library):
    data, db = tiny_data
    store.connect(db, data).close()
    done = threading.Event()

    def index() -> None:
        conn = store.connect(db, data)  # a connection belongs to its thread
        measurement_index.index_library(conn, library)
        conn.close()
        done.set()

    worker = threading.Thread(target=index)
    with file_lock(db):  # as a rebuild in another process would hold it
        worker.start()
        assert not done.wait(0.5)
        assert _indexed(db, data) == []
    worker.join(10)
    assert done.is_set() and len(_indexed(db, data)) == 4


# --- the derived measurement file ----------------------------------------------------------------


def _derived(n: int) -> dict[str, dict]:
    return {
        f"p{i}": {"primary": f"s/f/p{i}", "all": [{"measurement": f"s/f/p{i}"}]} for i in range(n)
    }


@pytest.mark.parametrize("new", [0, 1])
def test_write_derived_refuses_to_shrink_a_populated_file(tmp_path, new):
    path = tmp_path / "derived" / "measured.yaml"
    derive.write_derived(_derived(4), path)
    before = path.read_bytes()
    with pytest.raises(ConflictError, match=f"covers {new} headphones") as err:
        derive.write_derived(_derived(new), path)
    assert err.value.field == "measurements"
    assert path.read_bytes() == before
    derive.write_derived(_derived(new), path, force=True)
    assert (yaml.safe_load(path.read_text()) or {}) == _derived(new)


def test_write_derived_writes_atomically(tmp_path, monkeypatch):
    path = tmp_path / "measured.yaml"
    derive.write_derived(_derived(2), path)  # half of 4 and more are fine; a new file too
    derive.write_derived(_derived(3), path)
    assert yaml.safe_load(path.read_text()) == _derived(3)
    assert path.read_text().startswith("# Generated by `earwise catalog enrich`")
    before = path.read_bytes()

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(EarwiseError, match="disk full"):
        derive.write_derived(_derived(5), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["measured.yaml"]
