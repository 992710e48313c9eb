from __future__ import annotations

import json
import socket
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from framework.host import config
from framework.host.errors import ConfigError, UpstreamError
from framework.store.file import Store
from tests.history.conftest import SyncOnce
from tests.toy import Toy

DATA_TABLES = ("resources", "entitlements", "grants", "resource_types")


def _syncs(path: Path) -> list[tuple[int, str]]:
    with Store.open_existing(path) as store:
        return [(row["id"], row["status"]) for row in store.syncs()]


def _rows_by_sync(path: Path) -> dict[str, set[int]]:
    with closing(sqlite3.connect(path)) as db:
        return {table: {row[0] for row in db.execute(f"SELECT DISTINCT sync_id FROM {table}")} for table in DATA_TABLES}


def test_pruning_keeps_exactly_the_newest_n_complete_syncs_and_their_rows(sync_once: SyncOnce, sync_file: Path) -> None:
    ids = [sync_once(keep=2) for _ in range(5)]
    assert ids == [1, 2, 3, 4, 5]
    assert _syncs(sync_file) == [(4, "complete"), (5, "complete")]
    assert _rows_by_sync(sync_file) == {table: {4, 5} for table in DATA_TABLES}
    with Store.open_existing(sync_file) as store:
        assert json.loads(store.sync(5)["summary"])["retention"] == {"keep": 2, "pruned": 1, "pruned_sync_ids": [3]}
        assert json.loads(store.sync(4)["summary"])["retention"]["pruned_sync_ids"] == [2]


def test_the_default_keeps_three(sync_once: SyncOnce, sync_file: Path) -> None:
    assert config.DEFAULT_KEEP == 3 == int(str(config.KEEP_FIELD.default))
    for _ in range(4):
        sync_once()
    assert [sync_id for sync_id, _ in _syncs(sync_file)] == [2, 3, 4]


def test_failed_syncs_stay_as_records_and_do_not_count(hr: Toy, sync_once: SyncOnce, sync_file: Path) -> None:
    for fails in (False, True, False, True, False):
        hr.fail = UpstreamError("upstream down") if fails else None
        if fails:
            with pytest.raises(UpstreamError):
                sync_once(keep=2)
        else:
            sync_once(keep=2)
    assert _syncs(sync_file) == [(2, "failed"), (3, "complete"), (4, "failed"), (5, "complete")]
    assert _rows_by_sync(sync_file)["resources"] == {3, 5}


def test_a_failed_sync_prunes_nothing(hr: Toy, sync_once: SyncOnce, sync_file: Path) -> None:
    sync_once(keep=1)
    hr.fail = UpstreamError("upstream down")
    with pytest.raises(UpstreamError):
        sync_once(keep=1)
    assert _syncs(sync_file) == [(1, "complete"), (2, "failed")]
    with Store.open_existing(sync_file) as store:
        assert store.sync()["id"] == 1


def test_the_sync_being_written_is_never_pruned_even_if_a_newer_one_finished_first(tmp_path: Path) -> None:
    Store.open(tmp_path / "sync.db").close()
    rows = [("hr", status) for status in ("complete", "running", "complete", "complete")] + [("other", "complete")]
    with closing(sqlite3.connect(tmp_path / "sync.db")) as db, db:
        db.executemany(
            "INSERT INTO syncs (plugin, plugin_version, started_at, status, host, pid) VALUES (?, '1', 'x', ?, ?, 1)",
            [(plugin, status, socket.gethostname()) for plugin, status in rows],
        )
    with Store.open(tmp_path / "sync.db") as store:
        assert store.prunable(1, current=2) == [1, 3, 4]
        assert store.prunable(2, current=2) == [1, 3]
        assert store.prunable(3, current=2) == [1]
        assert store.prunable(4, current=2) == []


def test_pruned_ids_are_never_reused(sync_once: SyncOnce, sync_file: Path) -> None:
    sync_once(keep=1)
    sync_once(keep=1)
    assert sync_once(keep=1) == 3
    assert _syncs(sync_file) == [(3, "complete")]
    with Store.open_existing(sync_file) as store, pytest.raises(ConfigError, match="has no sync 2; it holds hr sync 3"):
        store.sync(2)


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5", "", "99999999999999999999"])
def test_keep_must_be_a_whole_number_of_at_least_one(value: str) -> None:
    with pytest.raises(ConfigError, match="--keep must be a whole number from 1 to 100000"):
        config.parse_keep(value)


def test_keep_accepts_one_and_more() -> None:
    assert [config.parse_keep(v) for v in ("1", "2", " 10 ")] == [1, 2, 10]
