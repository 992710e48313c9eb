"""The syncs a file keeps (``connector syncs``) and the pair ``connector diff`` compares."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from framework.host.errors import ConfigError
from framework.store.file import Store


def sync_ref(row: sqlite3.Row) -> dict[str, Any]:
    """``{"id", "plugin", "started_at", "finished_at"}`` of one ``syncs`` row."""
    return {
        "id": row["id"],
        "plugin": row["plugin"],
        "started_at": row["started_at"],
        "finished_at": row["finished_at"],
    }


def list_syncs(store: Store, plugin: str | None = None) -> list[dict[str, Any]]:
    """Every sync run recorded in the file (of ``plugin`` only, when given), complete or not, oldest
    first (``docs/cli-json.md``); ``latest`` marks each plugin's latest complete sync.

    :raises ConfigError: ``plugin`` has no run in the file (the message names what it holds).
    """
    rows = [row for row in store.syncs() if plugin is None or row["plugin"] == plugin]
    if plugin is not None and not rows:
        raise ConfigError(f"{store.path} has no {plugin} sync{store.holding()}")
    latest = {row["plugin"]: row["id"] for row in rows if row["status"] == "complete"}
    entries = []
    for row in rows:
        summary = json.loads(row["summary"])
        entries.append(
            {
                **sync_ref(row),
                "plugin_version": row["plugin_version"],
                "status": row["status"],
                "error": row["error"],
                "latest": row["id"] == latest.get(row["plugin"]),
                "counts": summary.get("counts"),
            }
        )
    return entries


def pick_pair(
    store: Store, from_id: int | None, to_id: int | None, plugin: str | None = None
) -> tuple[sqlite3.Row, sqlite3.Row]:
    """The two complete syncs to compare: by default the latest one (of ``plugin``) and the one before it.

    "The one before" is the previous complete sync of the same plugin, so failed
    runs in between never count, and a file shared by two plugins diffs each
    against itself; syncs of two plugins are never compared (ConfigError).
    Nothing to compare is a ConfigError too (exit 2, not the unreadable-file code).
    """
    new = store.sync(to_id, plugin)
    if from_id is not None:
        return store.sync(from_id, str(new["plugin"])), new
    old = store.previous_sync(new)
    if old is None:
        raise ConfigError(
            f"nothing to compare: {store.path} holds no complete {new['plugin']} sync before sync {new['id']}; "
            "sync again later, or pass --from"
        )
    return old, new
