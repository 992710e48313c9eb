"""Attacks the other hostile suites leave out: a HiBob answer echoing the credentials as
data (not as an error), and sync files a careless user points the CLI at."""

from __future__ import annotations

import base64
import json
import os
import shutil
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest

from plugins.hibob.simulator import Simulator
from tests.hostile.conftest import SEARCH, Cli, Front, secrets_of


def test_credentials_echoed_into_employee_data_are_stored_masked(
    cli: Cli, front: Front, sim: Simulator, synced: Path
) -> None:
    basic = base64.b64encode(f"{sim.service_user_id}:{sim.token}".encode()).decode()
    echoes = iter([f"Basic {basic}", f"{sim.service_user_id} {sim.token}", f"t%3D{sim.token}"])

    def echo(answer: Any) -> Any:
        for employee in answer["employees"]:
            value = next(echoes, None)
            if value is None:
                break
            for key in ("displayName", "fullName"):
                if key in employee:
                    employee[key] = value
                if f"/root/{key}" in employee:
                    employee[f"/root/{key}"] = {"value": value}
        return answer

    front.rewrite(SEARCH, echo)
    sync = cli("sync", "hibob", "--file", "sync.db", "--output", "json")
    assert sync.code == 0, sync.stderr
    assert {w["code"]: w["count"] for w in json.loads(sync.stdout)["warnings"]}["secret_in_data"] == 3
    table = cli("resources", "--file", "sync.db", "--resource-type", "user")
    assert "Basic ********" in table.stdout
    stored = synced.read_bytes().decode("latin-1")
    for secret in secrets_of(sim):
        for text in (sync.stdout, sync.stderr, table.stdout, stored):
            assert secret not in text


@pytest.mark.parametrize("version", ["abc", "", "-1", "2.0"])
def test_a_sync_file_with_an_unreadable_schema_version_is_exit_7(
    cli: Cli, synced: Path, tmp_path: Path, version: str
) -> None:
    odd = tmp_path / "odd.db"
    shutil.copy(synced, odd)
    with sqlite3.connect(odd) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (version,))
    before = odd.read_bytes()
    for args in (["resources"], ["syncs"], ["sync", "hibob", "--quiet"]):
        run = cli(*args, "--file", "odd.db")
        assert run.code == 7, run.stderr
        assert run.error_line == "error: odd.db records no readable sync file schema version; it is not a sync file"
    assert odd.read_bytes() == before


@pytest.mark.parametrize(
    ("out", "says"),
    [
        ("", "--out is empty"),
        ("folder", "is a folder"),
        ("sync.db-journal", "where SQLite keeps the journal of sync.db"),
        ("sync.db-wal", "where SQLite keeps the wal of sync.db"),
        ("sync.db-shm", "where SQLite keeps the shm of sync.db"),
    ],
)
def test_export_never_writes_a_folder_or_sqlites_files_beside_a_database(
    cli: Cli, synced: Path, tmp_path: Path, out: str, says: str
) -> None:
    (tmp_path / "folder").mkdir()
    before = synced.read_bytes()
    run = cli("export", "resources", "--file", "sync.db", "--out", out)
    assert run.code == 2, run.stderr
    assert run.error_line.startswith("error: ") and says in run.error_line
    assert not list(tmp_path.glob("sync.db-*")) and not list(tmp_path.glob(".*partial"))
    assert synced.read_bytes() == before
    assert cli("syncs", "--file", "sync.db").code == 0


def test_export_into_a_named_pipe_writes_through_it_and_never_replaces_it(
    cli: Cli, synced: Path, tmp_path: Path
) -> None:
    """As ``--out /dev/stdout`` or ``/dev/null``: what is not a regular file is written into, not renamed over
    (run as root, a rename replaced /dev/null with a file of personal data)."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
    try:
        run = cli("export", "entitlements", "--file", "sync.db", "--out", "pipe")
        assert run.code == 0, run.stderr
        assert stat.S_ISFIFO(pipe.stat().st_mode)
        assert os.read(reader, 65536).startswith("\ufeffid,".encode())
    finally:
        os.close(reader)
