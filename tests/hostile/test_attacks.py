"""Attacks the other hostile suites leave out: a HiBob answer echoing the credentials as
data (not as an error), and sync files a careless user points the CLI at."""

from __future__ import annotations

import base64
import json
import shutil
import sqlite3
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
