"""The SQL behind ``connector stats``, ``members`` and ``access``: counts, look-ups and memberships of one sync."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from framework.store.reads import Reads, padded, placeholders

_MEMBERS = (
    "WITH RECURSIVE tree(resource_type, id) AS (SELECT :type, :id UNION SELECT c.resource_type, c.id "
    "FROM resources c JOIN tree t ON c.sync_id = :sync AND c.parent_type = t.resource_type AND c.parent_id = t.id "
    "WHERE :recursive) "
    "SELECT p.*, e.id AS entitlement_id, e.resource_type AS via_type, e.resource_id AS via_id, "
    "v.display_name AS via_display_name FROM tree t "
    "JOIN entitlements e ON e.sync_id = :sync AND e.resource_type = t.resource_type AND e.resource_id = t.id "
    "JOIN grants g ON g.sync_id = e.sync_id AND g.entitlement_id = e.id "
    "JOIN resources p ON p.sync_id = g.sync_id AND p.resource_type = g.principal_type AND p.id = g.principal_id "
    "JOIN resources v ON v.sync_id = e.sync_id AND v.resource_type = e.resource_type AND v.id = e.resource_id "
    "ORDER BY p.display_name, p.resource_type, p.id, e.id"
)

_HELD_THROUGH = (
    "WITH RECURSIVE holder(principal_type, principal_id) AS (SELECT :type, :id UNION "
    "SELECT e.resource_type, e.resource_id FROM holder h "
    "JOIN grants g ON g.sync_id = :sync AND g.principal_type = h.principal_type AND g.principal_id = h.principal_id "
    "JOIN entitlements e ON e.sync_id = g.sync_id AND e.id = g.entitlement_id) "
    "SELECT DISTINCT e.id AS entitlement_id, e.slug, e.resource_type, e.resource_id, "
    "r.display_name AS resource_display_name, g.principal_type AS via_type, g.principal_id AS via_id FROM holder h "
    "JOIN grants g ON g.sync_id = :sync AND g.principal_type = h.principal_type AND g.principal_id = h.principal_id "
    "JOIN entitlements e ON e.sync_id = g.sync_id AND e.id = g.entitlement_id "
    "LEFT JOIN resources r ON r.sync_id = e.sync_id AND r.resource_type = e.resource_type AND r.id = e.resource_id "
    "ORDER BY e.id, g.principal_type, g.principal_id"
)

_EMAIL_OR_NAME_IS = (
    "EXISTS (SELECT 1 FROM (SELECT display_name AS v UNION ALL SELECT json_extract(value, '$.address') "
    "FROM json_each(emails)) WHERE casefold(v) = casefold(?))"
)
"""A user named by an email address or by display name (one ``?``), case-insensitively."""


def json_path(key: str) -> str:
    """The SQLite JSON path of one top-level object key, e.g. ``$."title"``."""
    return '$."' + key.replace('"', "") + '"'


class Exploration(Reads):
    """Aggregates and look-ups over one sync."""

    def type_totals(self, sync_id: int) -> list[sqlite3.Row]:
        """Per resource type: ``id``, ``traits`` (JSON), ``total``, and counts per status
        (``enabled``, ``disabled``, ``unknown``), by type id."""
        return self.query(
            "SELECT t.id, t.traits, count(r.id) AS total, coalesce(sum(r.status = 'enabled'), 0) AS enabled, "
            "coalesce(sum(r.status = 'disabled'), 0) AS disabled, coalesce(sum(r.status = 'unknown'), 0) AS unknown "
            "FROM resource_types t LEFT JOIN resources r ON r.sync_id = t.sync_id AND r.resource_type = t.id "
            "WHERE t.sync_id = ? GROUP BY t.id ORDER BY t.id",
            (sync_id,),
        )

    def without_group(self, sync_id: int, users: Sequence[str], groups: Sequence[str]) -> dict[str, int]:
        """Per user type: how many users hold no entitlement on any resource of the group types."""
        rows = self.query(
            "SELECT u.resource_type, count(*) FROM resources u WHERE u.sync_id = ? "  # noqa: S608
            f"AND u.resource_type IN {placeholders(users)} AND NOT EXISTS (SELECT 1 FROM grants g JOIN entitlements e "
            "ON e.sync_id = g.sync_id AND e.id = g.entitlement_id WHERE g.sync_id = u.sync_id "
            f"AND g.principal_type = u.resource_type AND g.principal_id = u.id "
            f"AND e.resource_type IN {placeholders(groups)}) GROUP BY u.resource_type",
            [sync_id, *padded(users), *padded(groups)],
        )
        return {row[0]: int(row[1]) for row in rows}

    def value_counts(self, sync_id: int, resource_type: str, key: str) -> list[sqlite3.Row]:
        """``value``, ``count`` of one profile key over a type's resources, most frequent first."""
        return self.query(
            "SELECT json_extract(profile, ?) AS value, count(*) AS count FROM resources "
            "WHERE sync_id = ? AND resource_type = ? GROUP BY 1 ORDER BY 2 DESC, 1",
            (json_path(key), sync_id, resource_type),
        )

    def group_sizes(self, sync_id: int, groups: Sequence[str]) -> list[sqlite3.Row]:
        """Every resource of the group types with ``members`` and ``enabled_members``, largest first."""
        return self.query(
            "SELECT r.resource_type, r.id, r.display_name, r.parent_type, r.parent_id, "  # noqa: S608
            "coalesce(m.members, 0) AS members, coalesce(m.enabled_members, 0) AS enabled_members FROM resources r "
            "LEFT JOIN (SELECT e.resource_type, e.resource_id, "
            "count(DISTINCT p.resource_type || ':' || p.id) AS members, "
            "count(DISTINCT CASE WHEN p.status = 'enabled' THEN p.resource_type || ':' || p.id END) AS enabled_members "
            "FROM entitlements e JOIN grants g ON g.sync_id = e.sync_id AND g.entitlement_id = e.id "
            "JOIN resources p ON p.sync_id = g.sync_id AND p.resource_type = g.principal_type "
            "AND p.id = g.principal_id WHERE e.sync_id = ? GROUP BY e.resource_type, e.resource_id) m "
            "ON m.resource_type = r.resource_type AND m.resource_id = r.id "
            f"WHERE r.sync_id = ? AND r.resource_type IN {placeholders(groups)} "
            "ORDER BY members DESC, r.display_name, r.id",
            [sync_id, sync_id, *padded(groups)],
        )

    def candidates(self, sync_id: int, types: Sequence[str], text: str, *, by_email: bool) -> list[sqlite3.Row]:
        """Resources of ``types`` that ``text`` names: ``TYPE:ID``, else an id, else (case-insensitively)
        a display name or, with ``by_email``, an email address; by type and id."""
        scope = f"SELECT * FROM resources WHERE sync_id = ? AND resource_type IN {placeholders(types)}"  # noqa: S608
        params: list[Any] = [sync_id, *padded(types)]
        prefix, _, rest = text.partition(":")
        if rest and prefix in types and (found := self.resource(sync_id, prefix, rest)) is not None:
            return [found]
        rows = self.query(f"{scope} AND id = ? ORDER BY resource_type, id", [*params, text])
        name_clause = _EMAIL_OR_NAME_IS if by_email else "casefold(display_name) = casefold(?)"
        return rows or self.query(f"{scope} AND {name_clause} ORDER BY resource_type, id", [*params, text])

    def members(self, sync_id: int, resource_type: str, resource_id: str, recursive: bool) -> list[sqlite3.Row]:
        """Principals holding an entitlement on a resource (and, ``recursive``, on its descendants):
        the principal's resource columns plus ``entitlement_id``, ``via_type``, ``via_id``, ``via_display_name``."""
        return self.query(
            _MEMBERS, {"type": resource_type, "id": resource_id, "sync": sync_id, "recursive": int(recursive)}
        )

    def held_through(self, sync_id: int, principal_type: str, principal_id: str) -> list[sqlite3.Row]:
        """Entitlements a principal holds directly and through the resources it holds (a group
        nested in a group): ``entitlement_id``, ``slug``, ``resource_type``, ``resource_id``,
        ``resource_display_name``, and ``via_type``/``via_id``, the principal of the grant (the
        given one for a direct grant). Cycles end; by entitlement id."""
        return self.query(_HELD_THROUGH, {"type": principal_type, "id": principal_id, "sync": sync_id})

    def held(self, sync_id: int, principal_type: str, principal_id: str) -> list[sqlite3.Row]:
        """Grants one principal holds: ``id``, ``entitlement_id``, ``slug``, ``display_name``,
        ``resource_type``, ``resource_id``, ``resource_display_name``, by entitlement."""
        return self.query(
            "SELECT g.id, e.id AS entitlement_id, e.slug, e.display_name, e.resource_type, e.resource_id, "
            "r.display_name AS resource_display_name FROM grants g "
            "JOIN entitlements e ON e.sync_id = g.sync_id AND e.id = g.entitlement_id "
            "LEFT JOIN resources r ON r.sync_id = e.sync_id AND r.resource_type = e.resource_type "
            "AND r.id = e.resource_id WHERE g.sync_id = ? AND g.principal_type = ? AND g.principal_id = ? "
            "ORDER BY e.id",
            (sync_id, principal_type, principal_id),
        )
