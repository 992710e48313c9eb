"""Regression tests over recorded HiBob answers (see cassettes/README.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from framework.host.context import ConnectorContext
from framework.host.errors import AuthError
from framework.host.plugins import get_plugin_manager
from framework.host.sync import run_sync
from framework.read import queries
from framework.store.file import Store
from tests.cassettes.conftest import CASSETTES, live_secrets

SNAPSHOT = CASSETTES / "expected" / "sync_demo_company.json"
SYNC_REQUESTS = 3
"""Validation's credential check (fields metadata) and the sync (department list, one
people search, which also carries validation's measurements): constant, whatever
the company size."""


def _sync_snapshot(config: dict[str, str], path: Path) -> dict[str, Any]:
    with Store.open(path) as store:
        result = run_sync(get_plugin_manager(env={}).connector("hibob"), ConnectorContext(config=config), store)
        sync_id = result.sync_id
        return {
            "counts": result.summary["counts"],
            "warnings": result.summary["warnings"],
            "resources": list(queries.resources(store, sync_id, queries.ResourceFilter())),
            "entitlements": list(queries.entitlements(store, sync_id, queries.EntitlementFilter())),
            "grants": list(queries.grants(store, sync_id, queries.GrantFilter())),
        }


@pytest.mark.vcr
@pytest.mark.default_cassette("sync_demo_company.yaml")
@pytest.mark.block_network
def test_sync_of_recorded_answers_matches_the_reviewed_snapshot(
    hibob_config: dict[str, str], record_mode: str, tmp_path: Path, vcr: Any
) -> None:
    snapshot = _sync_snapshot(hibob_config, tmp_path / "sync.db")
    if record_mode != "none":
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(json.dumps(snapshot, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    assert snapshot == json.loads(SNAPSHOT.read_text())
    assert len(vcr.requests) == SYNC_REQUESTS
    assert vcr.all_played or record_mode != "none"


@pytest.mark.vcr
@pytest.mark.default_cassette("sync_demo_company.yaml")
@pytest.mark.block_network
def test_recorded_sync_follows_the_mapping_rules(hibob_config: dict[str, str], tmp_path: Path) -> None:
    snapshot = _sync_snapshot(hibob_config, tmp_path / "sync.db")
    users = [r for r in snapshot["resources"] if r["resource_type"] == "user"]
    departments = {r["id"] for r in snapshot["resources"] if r["resource_type"] == "department"}
    assert users and departments
    for user in users:
        terminated = (user["profile"]["lifecycle_status"] or "").lower() == "terminated"
        assert user["status"] == ("disabled" if terminated else "enabled"), user["id"]
    members = {g["principal"]["id"]: g["entitlement"]["resource_id"] for g in snapshot["grants"]}
    for user in users:
        assert members.get(user["id"]) == user["profile"]["department_id"], user["id"]
    assert set(members.values()) <= departments


@pytest.mark.vcr
@pytest.mark.default_cassette("refused_credentials.yaml")
@pytest.mark.block_network
def test_refused_credentials_stop_after_exactly_one_request(hibob_config: dict[str, str], vcr: Any) -> None:
    config = {**hibob_config, "hibob-service-user-token": "not-the-token"}
    connector = get_plugin_manager(env={}).connector("hibob")
    with pytest.raises(AuthError, match="answered 401"):
        connector.validate(ConnectorContext(config=config))
    assert len(vcr.requests) == 1


AUTH_HEADER = re.compile(r"^\s*-?\s*['\"]?authorization['\"]?\s*:", re.IGNORECASE | re.MULTILINE)
BASIC_CREDENTIAL = re.compile(r"Basic\s+[A-Za-z0-9+/=]{8,}")


def test_no_cassette_holds_a_credential() -> None:
    files = [p for p in CASSETTES.parent.rglob("*") if p.is_file()]
    assert any(p.suffix == ".yaml" for p in files)
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not AUTH_HEADER.search(text), f"{path} has an Authorization header"
        assert not BASIC_CREDENTIAL.search(text), f"{path} has Basic credentials"
        for secret in live_secrets():
            assert secret not in text, f"{path} holds a service user credential"
