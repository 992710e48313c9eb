"""Careless commands against the sync file: every one ends with a documented exit code and
one line, and the kept syncs survive it."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from framework.host.errors import StoreError
from framework.store.file import Store
from tests.hostile.conftest import Cli


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def _umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def _one_line(run_stderr: str, code: int, actual: int, *words: str) -> None:
    """Exit ``code``, and stderr ends with its only ``error:`` line, which holds ``words``."""
    assert actual == code, run_stderr
    lines = run_stderr.strip().splitlines()
    assert [line for line in lines if line.startswith("error: ")] == lines[-1:], run_stderr
    for word in words:
        assert word in lines[-1]


def test_export_never_overwrites_the_sync_file_or_any_sqlite_file(cli: Cli, synced: Path, tmp_path: Path) -> None:
    before = _digest(synced)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    for out in (str(synced), "./sync.db", str(other)):
        run = cli("export", "resources", "--file", "sync.db", "--out", out)
        _one_line(run.stderr, 2, run.code, "is an SQLite database")
    assert _digest(synced) == before
    assert cli("syncs", "--file", "sync.db").code == 0


def test_sync_files_and_exports_are_created_0600_whatever_the_umask(cli: Cli, tmp_path: Path) -> None:
    with _umask(0):
        assert cli("sync", "hibob", "--quiet", "--file", "open.db").code == 0
        assert cli("export", "grants", "--file", "open.db", "--out", "grants.csv").code == 0
    for name in ("open.db", "grants.csv"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name
    assert not list(tmp_path.glob(".grants.csv.*"))  # the temporary file was renamed


@pytest.mark.parametrize("name", [":memory:", "a#b.db", "q?mode=ro.db", "p%41.db"])
def test_file_is_a_literal_path_never_an_sqlite_uri(cli: Cli, tmp_path: Path, name: str) -> None:
    assert cli("sync", "hibob", "--quiet", "--file", name).code == 0
    assert (tmp_path / name).is_file()
    assert sorted(p.name for p in tmp_path.glob("*") if p.suffix not in (".txt",)) == [name]
    run = cli("syncs", "--file", name, "--output", "json")
    assert run.code == 0 and '"status": "complete"' in run.stdout


def test_readers_never_create_or_change_a_file(cli: Cli, synced: Path, tmp_path: Path) -> None:
    before, mtime = _digest(synced), synced.stat().st_mtime_ns
    for command in ("resources", "stats", "syncs", "grants"):
        assert cli(command, "--file", "sync.db").code == 0
    missing = cli("resources", "--file", "missing.db")
    _one_line(missing.stderr, 7, missing.code, "no sync file at missing.db")
    assert not (tmp_path / "missing.db").exists()
    assert (_digest(synced), synced.stat().st_mtime_ns) == (before, mtime)
    assert not list(tmp_path.glob("sync.db-*"))


def test_a_read_only_sync_file_is_exit_7_and_stays_intact(cli: Cli, synced: Path) -> None:
    before = _digest(synced)
    synced.chmod(0o400)
    run = cli("sync", "hibob", "--quiet", "--file", "sync.db")
    _one_line(run.stderr, 7, run.code, "read-only")
    assert _digest(synced) == before
    assert cli("resources", "--file", "sync.db").code == 0  # readers still read it


def test_a_damaged_sync_file_is_exit_7_before_anything_is_written(cli: Cli, synced: Path) -> None:
    data = bytearray(synced.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data) - page, 3 * page):  # garble pages, keep the header
        data[offset + 100 : offset + 400] = os.urandom(300)
    synced.write_bytes(bytes(data))
    before = _digest(synced)
    run = cli("sync", "hibob", "--quiet", "--file", "sync.db")
    _one_line(run.stderr, 7, run.code)
    assert _digest(synced) == before
    for command in ("resources", "stats", "syncs"):
        reader = cli(command, "--file", "sync.db")
        assert reader.code in (0, 7), reader.stderr
        assert "Traceback" not in reader.stderr


@contextmanager
def _writer_lock(path: Path) -> Iterator[None]:
    """Hold the sync file's write lock as a sync in another process would."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        db.rollback()
        db.close()


def test_a_locked_sync_file_is_exit_7_naming_the_other_writer(synced: Path) -> None:
    with _writer_lock(synced), pytest.raises(StoreError, match=r"another process is writing .*sync\.db"):
        started = time.monotonic()
        with Store.open(synced, lock_wait=0.3) as store:
            store.begin_sync("hibob", "1")
    assert time.monotonic() - started < 5


def test_ctrl_c_ends_the_wait_for_a_lock_at_once(cli: Cli, synced: Path) -> None:
    with _writer_lock(synced):
        child = subprocess.Popen(
            [sys.executable, "-m", "framework", "sync", "hibob", "--quiet", "--file", "sync.db"],
            env=cli.env,
            cwd=cli.cwd,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(2.5)  # past start-up and the validation requests: waiting on the lock now
        assert child.poll() is None
        child.send_signal(signal.SIGINT)
        sent = time.monotonic()
        _, err = child.communicate(timeout=30)
        waited = time.monotonic() - sent
    assert child.returncode == 130, err
    assert waited < 2, waited
    assert err.strip().splitlines()[-1] == "error: interrupted"


@pytest.mark.parametrize(
    "flags",
    [
        ["--http-timeout", "0"],
        ["--http-timeout", "nan"],
        ["--http-timeout", "inf"],
        ["--http-max-retries", "1e9"],
        ["--keep", "99999999999999999999"],
        ["--http-max-body-mb", "-1"],
    ],
)
def test_numeric_options_out_of_range_are_usage_errors(cli: Cli, flags: list[str]) -> None:
    run = cli("sync", "hibob", "--quiet", "--file", "s.db", *flags)
    _one_line(run.stderr, 2, run.code, flags[0])


def test_an_overflowing_sync_id_is_a_usage_error(cli: Cli, synced: Path) -> None:
    run = cli("resources", "--file", "sync.db", "--sync-id", "99999999999999999999")
    assert run.code == 2 and "sync id" in run.stderr


def test_a_full_disk_is_exit_7_with_the_real_cause(tmp_path: Path) -> None:
    """SQLite's page limit stands in for a full disk: both end a write with SQLITE_FULL."""
    with Store.open(tmp_path / "full.db") as store:
        store.write("PRAGMA max_page_count = 20")
        sync_id = store.begin_sync("hibob", "1")
        with pytest.raises(StoreError, match="database or disk is full") as raised, store.transaction():
            for number in range(2000):
                store.write("INSERT INTO meta VALUES (?, ?)", (f"filler {number}", "x" * 500))
        assert raised.value.exit_code == 7
        store.fail_sync(sync_id, str(raised.value))  # the failure is still recorded
    assert not list(tmp_path.glob("full.db-*"))
