"""Sync runs: recording them, finding them, and retention (keeping the newest N complete syncs).

A run is ``running`` from its first statement, committed at once so a killed
run stays visible; it becomes ``complete`` in the transaction that wrote its
data, or ``failed`` with its reason. Failed and running syncs hold no data and
are never pruned.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from framework.host.errors import ConfigError
from framework.host.redact import redactor
from framework.store.base import StoreBase

DATA_TABLES = ("grants", "entitlements", "resources", "resource_types")
"""Every table whose rows belong to one sync, children first."""


ERROR_CHARS = 1000
"""Longest failure reason kept in ``syncs.error``."""


def utc_now() -> str:
    """The current time as ISO 8601 UTC with seconds, e.g. ``2026-01-31T09:00:00+00:00``."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Runs(StoreBase):
    """The ``syncs`` table."""

    def begin_sync(self, plugin: str, plugin_version: str) -> int:
        """Record a running sync (committed at once, so a killed run stays visible); its id."""
        self.mark_interrupted()
        cursor = self.write(
            "INSERT INTO syncs (plugin, plugin_version, started_at, status, host, pid) "
            "VALUES (?, ?, ?, 'running', ?, ?)",
            (plugin, plugin_version, utc_now(), socket.gethostname(), os.getpid()),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def mark_interrupted(self) -> None:
        """Mark as failed every running sync whose process on this host is gone."""
        rows = self.query("SELECT id, pid FROM syncs WHERE status = 'running' AND host = ?", (socket.gethostname(),))
        for sync_id, pid in rows:
            if not _process_alive(pid):
                self.fail_sync(sync_id, f"interrupted: process {pid} ended before the sync finished")

    def fail_sync(self, sync_id: int, reason: str) -> None:
        """Record a running sync as failed with its one-line ``reason``, stored with secrets
        masked and at most :data:`ERROR_CHARS` characters long."""
        self.write(
            "UPDATE syncs SET status = 'failed', finished_at = ?, error = ? WHERE id = ? AND status = 'running'",
            (utc_now(), redactor.scrub(reason)[:ERROR_CHARS], sync_id),
        )

    def complete_sync(self, sync_id: int, summary: Mapping[str, Any]) -> None:
        """Flip a sync to complete with its JSON ``summary`` (stored with secrets masked); call
        inside the transaction that wrote its data."""
        self.write(
            "UPDATE syncs SET status = 'complete', finished_at = ?, summary = ? WHERE id = ?",
            (utc_now(), redactor.scrub(json.dumps(summary, sort_keys=True)), sync_id),
        )

    def syncs(self) -> list[sqlite3.Row]:
        """Every recorded run, any status, oldest first (all ``syncs`` columns)."""
        return self.query("SELECT * FROM syncs ORDER BY id")

    def sync(self, sync_id: int | None = None, plugin: str | None = None) -> sqlite3.Row:
        """A complete sync: ``sync_id``, else the latest complete sync of ``plugin``.

        Without either, the latest complete sync of the one plugin the file
        holds: a file shared by several plugins raises :class:`ConfigError`
        naming them instead of picking one. Raises :class:`ConfigError` (nothing
        matches what was asked for) when the sync does not exist or is not
        complete, when the file holds no complete sync (of ``plugin``), and when
        ``sync_id`` is a sync of another plugin than ``plugin``; the message
        names the complete syncs the file does hold.
        """
        if sync_id is None:
            if plugin is None and len(plugins := self.synced_plugins()) > 1:
                raise ConfigError(
                    f"{self.path} holds syncs of several plugins ({', '.join(plugins)}): pass --plugin NAME"
                )
            rows = self.query(
                "SELECT * FROM syncs WHERE status = 'complete' AND (? IS NULL OR plugin = ?) ORDER BY id DESC LIMIT 1",
                (plugin, plugin),
            )
            if not rows:
                raise ConfigError(
                    f"{self.path} holds no complete {'' if plugin is None else plugin + ' '}sync yet{self.holding()}"
                )
            return rows[0]
        rows = self.query("SELECT * FROM syncs WHERE id = ?", (sync_id,))
        if not rows:
            raise ConfigError(f"{self.path} has no sync {sync_id}{self.holding()}")
        if rows[0]["status"] != "complete":
            raise ConfigError(f"sync {sync_id} is {rows[0]['status']}, not complete: its data is not kept")
        if plugin is not None and rows[0]["plugin"] != plugin:
            raise ConfigError(f"sync {sync_id} is a {rows[0]['plugin']} sync, not {plugin}")
        return rows[0]

    def holding(self) -> str:
        """``"; it holds hibob syncs 1, 3 and scim sync 2"`` (the complete ones), or ``""`` for none."""
        rows = self.query("SELECT plugin, id FROM syncs WHERE status = 'complete' ORDER BY plugin, id")
        ids: dict[str, list[str]] = {}
        for row in rows:
            ids.setdefault(str(row["plugin"]), []).append(str(row["id"]))
        held = [f"{name} sync{'s' if len(each) > 1 else ''} {', '.join(each)}" for name, each in ids.items()]
        return f"; it holds {' and '.join(held)} (connector syncs lists them)" if held else ""

    def synced_plugins(self) -> list[str]:
        """Names of the plugins with at least one complete sync in the file, sorted."""
        rows = self.query("SELECT DISTINCT plugin FROM syncs WHERE status = 'complete' ORDER BY plugin")
        return [str(row["plugin"]) for row in rows]

    def previous_sync(self, sync: sqlite3.Row) -> sqlite3.Row | None:
        """The complete sync of the same plugin just before ``sync``, or None."""
        rows = self.query(
            "SELECT * FROM syncs WHERE status = 'complete' AND plugin = ? AND id < ? ORDER BY id DESC LIMIT 1",
            (sync["plugin"], sync["id"]),
        )
        return rows[0] if rows else None

    # -- retention ---------------------------------------------------------------

    def prunable(self, keep: int, current: int) -> list[int]:
        """Complete syncs of ``current``'s plugin beyond the newest ``keep``, oldest first.

        ``current`` is the sync being written: it counts as one of the ``keep`` and is
        never returned, even when a newer sync of the same plugin finished first.
        """
        rows = self.query(
            "SELECT id FROM syncs WHERE status = 'complete' AND id != ? "
            "AND plugin = (SELECT plugin FROM syncs WHERE id = ?) ORDER BY id DESC LIMIT -1 OFFSET ?",
            (current, current, keep - 1),
        )
        return sorted(int(row["id"]) for row in rows)

    def prune(self, sync_ids: Sequence[int]) -> None:
        """Delete these complete syncs and every row they wrote (call inside a transaction)."""
        params = [(sync_id,) for sync_id in sync_ids]
        for table in DATA_TABLES:
            self.write_many(f"DELETE FROM {table} WHERE sync_id = ?", params)  # noqa: S608
        self.write_many("DELETE FROM syncs WHERE id = ? AND status = 'complete'", params)

    def apply_retention(self, keep: int, current: int) -> list[int]:
        """Prune what :meth:`prunable` names; call in the transaction that completes ``current``.

        Returns the pruned sync ids, oldest first.
        """
        pruned = self.prunable(keep, current)
        if pruned:
            self.prune(pruned)
        return pruned
