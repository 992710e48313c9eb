from __future__ import annotations

import socket
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from framework.host.context import ConnectorContext
from framework.host.errors import IntegrityError, PluginError, StoreError, UpstreamError, ValidationFailed
from framework.host.plugins import ConnectorManager
from framework.host.sync import run_sync
from framework.read import queries
from framework.store.file import Store
from tests.toy import BadTraits, Toy


def _sync(pm: ConnectorManager, path: Path) -> int:
    with Store.open(path) as store:
        ctx = ConnectorContext(config={"toy-url": "x", "toy-token": "secret"})
        return run_sync(pm.connector("toy"), ctx, store).sync_id


def _statuses(path: Path) -> list[tuple[int, str]]:
    with Store.open_existing(path) as store:
        return [(row["id"], row["status"]) for row in store.syncs()]


def test_full_sync_stores_resources_derived_entitlements_and_grants(pm: ConnectorManager, tmp_path: Path) -> None:
    path = tmp_path / "sync.db"
    sync_id = _sync(pm, path)
    with Store.open_existing(path) as store:
        row = store.sync()
        assert row["id"] == sync_id and row["status"] == "complete"
        people = list(queries.resources(store, sync_id, queries.ResourceFilter(resource_type="person")))
        assert [(p["id"], p["status"]) for p in people] == [("ann", "enabled"), ("bob", "enabled"), ("cid", "disabled")]
        assert people[0]["emails"] == [{"address": "ann@example.com", "primary": True}]
        entitlements = list(queries.entitlements(store, sync_id, queries.EntitlementFilter()))
        assert [e["id"] for e in entitlements] == ["team:blue:member", "team:red:member"]
        grants = list(queries.grants(store, sync_id, queries.GrantFilter(resource_id="red")))
        assert [g["id"] for g in grants] == ["team:red:member:person:ann", "team:red:member:person:bob"]
        assert grants[0]["entitlement"] == {
            "id": "team:red:member",
            "resource_type": "team",
            "resource_id": "red",
            "slug": "member",
        }
        assert store.counts(sync_id) == {"resources": {"person": 3, "team": 2}, "entitlements": 2, "grants": 3}


def test_hooks_run_in_the_documented_order(pm: ConnectorManager, toy: Toy, tmp_path: Path) -> None:
    _sync(pm, tmp_path / "sync.db")
    assert toy.calls[-4:] == ["validate", "list_resources:team", "list_resources:person", "list_grants"]


def test_grant_to_an_unknown_principal_is_refused_and_the_last_sync_survives(
    pm: ConnectorManager, toy: Toy, tmp_path: Path
) -> None:
    path = tmp_path / "sync.db"
    good = _sync(pm, path)
    toy.extra_members = {"red": ["ghost"]}
    with pytest.raises(IntegrityError, match=r"1 grant to an unknown principal \(e.g. team:red:member:person:ghost\)"):
        _sync(pm, path)
    assert _statuses(path) == [(good, "complete"), (good + 1, "failed")]
    with Store.open_existing(path) as store:
        assert store.sync()["id"] == good
        assert store.counts(good + 1) == {"resources": {}, "entitlements": 0, "grants": 0}
        assert "unknown principal" in store.syncs()[-1]["error"]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ("drop_user_trait", "resource person:ann carries no user trait, though its type has the user trait"),
        ("user_trait_on_group", "resource team:red carries a user trait, though its type is not a user type"),
    ],
)
def test_trait_data_must_fit_the_resource_type(
    pm: ConnectorManager, toy: Toy, tmp_path: Path, change: BadTraits, problem: str
) -> None:
    toy.bad_traits = change
    with pytest.raises(PluginError, match=problem):
        _sync(pm, tmp_path / "sync.db")
    assert _statuses(tmp_path / "sync.db") == [(1, "failed")]


def test_a_manager_outside_the_sync_is_a_warning_not_a_refusal(pm: ConnectorManager, toy: Toy, tmp_path: Path) -> None:
    toy.people["ann"].manager, toy.people["bob"].manager = "bob", "zed"
    with Store.open(tmp_path / "sync.db") as store:
        ctx = ConnectorContext(config={"toy-url": "x", "toy-token": "secret"})
        result = run_sync(pm.connector("toy"), ctx, store)
        (ann,) = queries.resources(store, result.sync_id, queries.ResourceFilter(search="ann"))
    assert ann["user"]["manager"] == {"resource_type": "person", "id": "bob"}
    assert result.summary["warnings"] == [
        {
            "code": "manager_not_listed",
            "message": "a user's manager is not a resource of this sync",
            "count": 1,
            "examples": ["person:bob"],
        }
    ]


def test_a_schema_1_file_is_upgraded_in_place_and_keeps_its_syncs(pm: ConnectorManager, tmp_path: Path) -> None:
    path = tmp_path / "sync.db"
    first = _sync(pm, path)
    with closing(sqlite3.connect(path)) as db, db:
        db.executescript(
            "CREATE TABLE r AS SELECT sync_id, resource_type, id, display_name, parent_type, parent_id, status, "
            "profile, emails, employee_ids FROM resources; DROP TABLE resources; ALTER TABLE r RENAME TO resources; "
            "ALTER TABLE resource_types DROP COLUMN tracked; UPDATE meta SET value = '1';"
        )
    second = _sync(pm, path)
    with Store.open_existing(path) as store:
        old = list(queries.resources(store, first, queries.ResourceFilter(resource_type="person")))
        new = list(queries.resources(store, second, queries.ResourceFilter(resource_type="person")))
    assert [r["id"] for r in old] == [r["id"] for r in new] == ["ann", "bob", "cid"]
    assert old[0]["user"] is None and new[0]["user"]["manager"] is None


def test_each_run_gets_one_run_object_shared_by_every_hook(pm: ConnectorManager, toy: Toy, tmp_path: Path) -> None:
    _sync(pm, tmp_path / "sync.db")
    _sync(pm, tmp_path / "sync.db")
    first, second = toy.runs
    assert toy.seen == [first] * 4 + [second] * 4


def test_duplicate_ids_fail_the_sync(pm: ConnectorManager, toy: Toy, tmp_path: Path) -> None:
    toy.listed_twice.append("ann")
    with pytest.raises(IntegrityError, match="conflicting data"):
        _sync(pm, tmp_path / "sync.db")


def test_failure_midway_keeps_nothing_and_records_the_reason(pm: ConnectorManager, toy: Toy, tmp_path: Path) -> None:
    path = tmp_path / "sync.db"
    _sync(pm, path)
    toy.fail = UpstreamError("POST /grants answered 503")
    with pytest.raises(UpstreamError):
        _sync(pm, path)
    with Store.open_existing(path) as store:
        failed = store.syncs()[-1]
        assert (failed["status"], failed["error"]) == ("failed", "POST /grants answered 503")
        assert store.counts(failed["id"])["resources"] == {}
        assert store.sync()["id"] == 1


def test_validation_failure_stops_before_any_listing(pm: ConnectorManager, toy: Toy, tmp_path: Path) -> None:
    toy.valid = False
    with pytest.raises(ValidationFailed, match="toys: toys unreadable"):
        _sync(pm, tmp_path / "sync.db")
    assert not any(call.startswith("list_") for call in toy.calls)


def test_a_killed_sync_is_marked_interrupted_by_the_next_one(pm: ConnectorManager, tmp_path: Path) -> None:
    path = tmp_path / "sync.db"
    Store.open(path).close()
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(
            "INSERT INTO syncs (plugin, plugin_version, started_at, status, host, pid) "
            "VALUES ('toy', '1', 'x', 'running', ?, 2147483646)",
            (socket.gethostname(),),
        )
    _sync(pm, path)
    with Store.open_existing(path) as store:
        first = store.syncs()[0]
        assert first["status"] == "failed"
        assert first["error"].startswith("interrupted: process 2147483646 ended")


def test_reading_a_file_that_is_not_a_sync_file_is_one_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_text("this is not sqlite at all, just text " * 100)
    with pytest.raises(StoreError, match=r"cannot use .*junk\.db as a sync file"):
        Store.open_existing(junk)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(StoreError, match="not a sync file"):
        Store.open_existing(other)
    with pytest.raises(StoreError, match="no sync file at"):
        Store.open_existing(tmp_path / "missing.db")
    assert not (tmp_path / "missing.db").exists()
