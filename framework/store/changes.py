"""The SQL behind ``connector diff``: what differs between two syncs of one file.

Joins between the two sync ids run on indexed columns, so only changed rows
ever reach Python: a diff of two 100,000-user syncs costs index look-ups, not
two dictionaries of everything. Rows come back as :class:`sqlite3.Row` with the
``resources`` and ``grants`` columns described in :mod:`framework.store.schema`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from framework.store.base import StoreBase

COMPARED = ("display_name", "status", "parent_type", "parent_id", "profile", "emails", "employee_ids", "user")
"""The resource columns whose difference makes a resource changed."""

_DIFFERS = " OR ".join(f"o.{column} IS NOT n.{column}" for column in COMPARED)
_CHANGED_PAIRS = (
    "WITH changed AS (SELECT o.resource_type AS t, o.id AS i FROM resources o JOIN resources n "  # noqa: S608
    "ON n.sync_id = :new AND n.resource_type = o.resource_type AND n.id = o.id "
    f"WHERE o.sync_id = :old AND ({_DIFFERS})) "
    "SELECT r.* FROM changed c JOIN resources r ON r.sync_id IN (:old, :new) AND r.resource_type = c.t AND r.id = c.i "
    "ORDER BY c.t, c.i, r.sync_id = :new"
)
_GRANT_DELTA = (
    "SELECT g.id, g.entitlement_id, g.principal_type, g.principal_id, e.resource_type, e.resource_id, e.slug, "
    "r.display_name AS resource_display_name, p.display_name AS principal_display_name "
    "FROM grants g JOIN entitlements e ON e.sync_id = g.sync_id AND e.id = g.entitlement_id "
    "LEFT JOIN resources r ON r.sync_id = g.sync_id AND r.resource_type = e.resource_type AND r.id = e.resource_id "
    "LEFT JOIN resources p ON p.sync_id = g.sync_id AND p.resource_type = g.principal_type AND p.id = g.principal_id "
    "WHERE g.sync_id = ? AND NOT EXISTS (SELECT 1 FROM grants o WHERE o.sync_id = ? AND o.id = g.id) ORDER BY g.id"
)


class Changes(StoreBase):
    """Reads comparing two syncs; every one raises :class:`~framework.host.errors.StoreError` on a bad file."""

    def only_in(self, keep: int, other: int) -> Iterator[sqlite3.Row]:
        """Resources of sync ``keep`` with no resource of the same type and id in sync ``other``, in key order."""
        return self.stream(
            "SELECT * FROM resources r WHERE r.sync_id = ? AND NOT EXISTS (SELECT 1 FROM resources o "
            "WHERE o.sync_id = ? AND o.resource_type = r.resource_type AND o.id = r.id) "
            "ORDER BY r.resource_type, r.id",
            (keep, other),
        )

    def changed_pairs(self, old: int, new: int) -> Iterator[tuple[sqlite3.Row, sqlite3.Row]]:
        """(before, after) for every resource in both syncs whose stored row differs, in key order."""
        rows = self.stream(_CHANGED_PAIRS, {"old": old, "new": new})
        for before in rows:
            yield before, next(rows)

    def pair(self, old: int, new: int, resource_type: str, resource_id: str) -> tuple[sqlite3.Row, sqlite3.Row] | None:
        """(before, after) for one resource, or None unless it is in both syncs."""
        rows = self.query(
            "SELECT * FROM resources WHERE sync_id IN (?, ?) AND resource_type = ? AND id = ? ORDER BY sync_id = ?",
            (old, new, resource_type, resource_id, new),
        )
        return (rows[0], rows[1]) if len(rows) == 2 else None

    def grants_missing(self, keep: int, other: int) -> list[sqlite3.Row]:
        """Grants of sync ``keep`` missing from sync ``other``, with ``resource_display_name`` and
        ``principal_display_name`` as of ``keep``."""
        return self.query(_GRANT_DELTA, (keep, other))
