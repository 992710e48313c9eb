"""Reading one sync: resources, entitlements and grants by filter, and the declarations of its types.

Every method returns :class:`sqlite3.Row` objects with the table's columns (see
:mod:`framework.store.schema`); :mod:`framework.read.queries` turns them into
the public JSON shapes. The listings stream (fetched as they are consumed, in
bounded memory), so the store must stay open until they are. Filter values are
always bound parameters.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from framework.host.models import TrackedAttribute, Trait
from framework.store.base import StoreBase

GRANT_COLUMNS = "g.id, g.entitlement_id, g.principal_type, g.principal_id, e.resource_type, e.resource_id, e.slug"
GRANT_JOIN = "grants g JOIN entitlements e ON e.sync_id = g.sync_id AND e.id = g.entitlement_id"


def where(conditions: dict[str, Any]) -> tuple[str, list[Any]]:
    """`` AND ``-joined conditions whose value is set (leading `` AND``); a tuple value fills several ``?``."""
    clauses: list[str] = []
    params: list[Any] = []
    for clause, value in conditions.items():
        if value is not None:
            clauses.append(f" AND {clause}")
            params.extend(value if isinstance(value, tuple) else (value,))
    return "".join(clauses), params


def placeholders(values: Sequence[Any]) -> str:
    """``(?, ?, ...)`` for an ``IN`` clause; never empty, so an empty list matches nothing."""
    return "(" + ", ".join("?" * max(1, len(values))) + ")"


def padded(values: Sequence[str]) -> list[str | None]:
    """The parameters for :func:`placeholders`: ``[None]`` for an empty list."""
    return list(values) if values else [None]


class Reads(StoreBase):
    """Listing what one sync holds."""

    def resources(
        self,
        sync_id: int,
        *,
        resource_type: str | None = None,
        status: str | None = None,
        parent_type: str | None = None,
        parent_id: str | None = None,
        search: str | None = None,
        by_name: bool = False,
    ) -> Iterator[sqlite3.Row]:
        """Resources matching every given filter, by type and id (``by_name``: by type, then
        case-insensitive display name, then id); ``search`` is a case-insensitive
        substring of the display name or an email address, matched literally (``%`` and ``_``
        are characters, and the JSON the addresses are stored in is not searched)."""
        pattern = search.casefold() if search else None
        clause, params = where(
            {
                "resource_type = ?": resource_type,
                "status = ?": status,
                "parent_type = ?": parent_type,
                "parent_id = ?": parent_id,
                "(instr(casefold(display_name), ?) > 0 OR EXISTS (SELECT 1 FROM json_each(emails) "
                "WHERE instr(casefold(json_extract(value, '$.address')), ?) > 0))": (pattern, pattern)
                if pattern
                else None,
            }
        )
        order = "resource_type, casefold(display_name), id" if by_name else "resource_type, id"
        sql = f"SELECT * FROM resources WHERE sync_id = ?{clause} ORDER BY {order}"  # noqa: S608
        return self.stream(sql, [sync_id, *params])

    def resource(self, sync_id: int, resource_type: str, resource_id: str) -> sqlite3.Row | None:
        """One resource by type and id, or None."""
        rows = self.query(
            "SELECT * FROM resources WHERE sync_id = ? AND resource_type = ? AND id = ?",
            (sync_id, resource_type, resource_id),
        )
        return rows[0] if rows else None

    def entitlements(
        self, sync_id: int, *, resource_type: str | None = None, resource_id: str | None = None
    ) -> Iterator[sqlite3.Row]:
        """Entitlements on resources of a type and/or one resource, by id."""
        clause, params = where({"resource_type = ?": resource_type, "resource_id = ?": resource_id})
        return self.stream(f"SELECT * FROM entitlements WHERE sync_id = ?{clause} ORDER BY id", [sync_id, *params])  # noqa: S608

    def grants(
        self,
        sync_id: int,
        *,
        entitlement: str | None = None,
        resource_type: str | None = None,
        resource_id: str | None = None,
        principal_type: str | None = None,
        principal_id: str | None = None,
    ) -> Iterator[sqlite3.Row]:
        """Grants with their entitlement's ``resource_type``, ``resource_id`` and ``slug``, by id."""
        clause, params = where(
            {
                "g.entitlement_id = ?": entitlement,
                "e.resource_type = ?": resource_type,
                "e.resource_id = ?": resource_id,
                "g.principal_type = ?": principal_type,
                "g.principal_id = ?": principal_id,
            }
        )
        sql = f"SELECT {GRANT_COLUMNS} FROM {GRANT_JOIN} WHERE g.sync_id = ?{clause} ORDER BY g.id"  # noqa: S608
        return self.stream(sql, [sync_id, *params])

    def resource_types(self, sync_id: int) -> list[str]:
        """Every resource type a sync declares, sorted."""
        rows = self.query("SELECT id FROM resource_types WHERE sync_id = ? ORDER BY id", (sync_id,))
        return [row["id"] for row in rows]

    def types_with_trait(self, sync_id: int, trait: Trait) -> list[str]:
        """Resource types of a sync that declare ``trait``, sorted."""
        rows = self.query(
            "SELECT id FROM resource_types WHERE sync_id = ? "
            "AND EXISTS (SELECT 1 FROM json_each(traits) WHERE value = ?) ORDER BY id",
            (sync_id, str(trait)),
        )
        return [row["id"] for row in rows]

    def tracked(self, sync_id: int) -> dict[str, tuple[TrackedAttribute, ...]]:
        """Each resource type's tracked attributes, in declaration order (types without any omitted)."""
        rows = self.query("SELECT id, tracked FROM resource_types WHERE sync_id = ? ORDER BY id", (sync_id,))
        found = {row["id"]: tuple(TrackedAttribute(**a) for a in json.loads(row["tracked"])) for row in rows}
        return {type_id: attributes for type_id, attributes in found.items() if attributes}

    def export_stream(self, sync_id: int, kind: str, resource_type: str | None) -> Iterator[sqlite3.Row]:
        """Every row of ``kind`` (``resources``, ``entitlements`` or ``grants``), streamed in key order.

        ``resource_type`` narrows to resources of a type, entitlements on it, or grants of them.
        """
        clause, params = where({"e.resource_type = ?" if kind == "grants" else "resource_type = ?": resource_type})
        if kind == "grants":
            sql = f"SELECT {GRANT_COLUMNS} FROM {GRANT_JOIN} WHERE g.sync_id = ?{clause} ORDER BY g.id"  # noqa: S608
        elif kind == "entitlements":
            sql = f"SELECT * FROM entitlements WHERE sync_id = ?{clause} ORDER BY id"  # noqa: S608
        else:
            sql = f"SELECT * FROM resources WHERE sync_id = ?{clause} ORDER BY resource_type, id"  # noqa: S608
        return self.stream(sql, [sync_id, *params])

    def profile_keys(self, sync_id: int, resource_type: str | None) -> list[str]:
        """Every profile key found in the sync's resources (of one type, if given), sorted."""
        clause, params = where({"resource_type = ?": resource_type})
        rows = self.query(
            f"SELECT DISTINCT j.key FROM resources, json_each(profile) j WHERE sync_id = ?{clause} ORDER BY j.key",  # noqa: S608
            [sync_id, *params],
        )
        return [row[0] for row in rows]
