"""A hostile SCIM provider through the real CLI: what the HiBob front tries, for a second plugin.

The provider here is scripted on loopback (scim2-server only answers correctly): each test
syncs a clean listing first, then switches the provider to one attack and checks the exit
code, the one ``error:`` line, that the first sync is still the latest, and that the bearer
token reached neither an output nor the sync file's bytes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from tests.cli import Cli, Run, python_env
from tests.e2e.conftest import ROOT
from tests.hostile.conftest import send
from tests.loopback import serve

TOKEN = "scim-bearer-9d2f6c1e8a7b4c3d"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"

Users = list[dict[str, Any]]


def _user(number: int) -> dict[str, Any]:
    return {"schemas": [USER], "id": f"u{number}", "userName": f"user{number}@example.com", "active": True}


@dataclass
class Provider:
    """``/Users`` from :attr:`users`, changed by :attr:`attack` when set; no groups, no discovery."""

    users: Users = field(default_factory=lambda: [_user(n) for n in range(1, 6)])
    attack: Callable[[Users, BaseHTTPRequestHandler], Users] | None = None

    def answer(self, handler: BaseHTTPRequestHandler, _: bytes) -> None:
        path = handler.path.split("?")[0]
        status, payload = 404, {"status": "404"}
        if path == "/Users":
            users = [dict(user) for user in self.users]
            users = self.attack(users, handler) if self.attack else users
            status, payload = 200, {"schemas": [LIST], "totalResults": len(users), "Resources": users}
        elif path == "/Groups":
            status, payload = 200, {"schemas": [LIST], "totalResults": 0, "Resources": []}
        send(handler, status, json.dumps(payload).encode(), Content_Type="application/scim+json")


@pytest.fixture
def provider() -> Provider:
    return Provider()


@pytest.fixture
def cli(tmp_path: Path, provider: Provider) -> Iterator[Cli]:
    """The CLI configured for the provider, after one clean sync into ``sync.db``."""
    with serve(provider.answer) as base_url:
        env = {**python_env(ROOT), "BATON_SCIM_BASE_URL": base_url, "BATON_SCIM_BEARER_TOKEN": TOKEN}
        command = Cli(env, tmp_path)
        first = command("sync", "scim", "--quiet", "--file", "sync.db")
        assert first.code == 0, first.stderr
        yield command


def _latest_complete(path: Path) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return int(db.execute("SELECT max(id) FROM syncs WHERE status = 'complete'").fetchone()[0])


def _one_error_line(run: Run, code: int, *words: str) -> None:
    assert run.code == code, run.stderr
    lines = run.stderr.strip().splitlines()
    assert [line for line in lines if line.startswith("error: ")] == lines[-1:], run.stderr
    assert "Traceback" not in run.stderr
    for word in words:
        assert word in lines[-1]


def test_a_token_echoed_into_the_data_is_stored_masked_and_shown_nowhere(
    cli: Cli, provider: Provider, tmp_path: Path
) -> None:
    def echo(users: Users, handler: BaseHTTPRequestHandler) -> Users:
        users[0]["displayName"] = handler.headers["Authorization"]
        users[1]["title"] = f"token={TOKEN}"
        users[2]["emails"] = [{"value": f"{TOKEN}@example.com", "primary": True}]
        return users

    provider.attack = echo
    sync = cli("sync", "scim", "--file", "sync.db", "--output", "json")
    assert sync.code == 0, sync.stderr
    warnings = {w["code"]: w["count"] for w in sync.json()["warnings"]}
    assert warnings["secret_in_data"] == 3
    reads = [cli(*args, "--file", "sync.db") for args in (["resources", "--output", "json"], ["export", "resources"])]
    assert all(read.code == 0 for read in reads)
    assert "Bearer ********" in reads[0].stdout
    for text in [sync.stdout, sync.stderr, *(read.stdout for read in reads), (tmp_path / "sync.db").read_bytes()]:
        assert (TOKEN.encode() if isinstance(text, bytes) else TOKEN) not in text


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_resource_with_a_blank_id_fails_the_sync_and_keeps_the_previous_one(
    cli: Cli, provider: Provider, tmp_path: Path, blank: str
) -> None:
    def blank_id(users: Users, _: BaseHTTPRequestHandler) -> Users:
        users[0]["id"] = blank
        return users

    provider.attack = blank_id
    before = _latest_complete(tmp_path / "sync.db")
    run = cli("sync", "scim", "--quiet", "--file", "sync.db")
    _one_error_line(run, 8, "blank id")
    assert _latest_complete(tmp_path / "sync.db") == before
