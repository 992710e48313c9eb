"""Reading a sync back as the public JSON shapes the CLI prints.

These shapes are a contract (documented in the README): keys are stable and
only ever added to.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from framework.store.file import Store


@dataclass(frozen=True, slots=True)
class ResourceFilter:
    resource_type: str | None = None
    status: str | None = None
    parent: str | None = None
    """``TYPE:ID`` or a bare id."""
    search: str | None = None
    """Case-insensitive substring of the display name or an email."""


@dataclass(frozen=True, slots=True)
class EntitlementFilter:
    resource_type: str | None = None
    resource_id: str | None = None


@dataclass(frozen=True, slots=True)
class GrantFilter:
    entitlement: str | None = None
    resource_type: str | None = None
    resource_id: str | None = None
    principal_type: str | None = None
    principal_id: str | None = None


def _where(sync_column: str, sync_id: int, conditions: dict[str, Any]) -> tuple[str, list[Any]]:
    """An AND of the conditions whose value is set; a tuple value fills several ``?``."""
    clauses, params = [f"{sync_column} = ?"], [sync_id]
    for clause, value in conditions.items():
        if value is not None:
            clauses.append(clause)
            params.extend(value if isinstance(value, tuple) else (value,))
    return " AND ".join(clauses), params


def resource_json(row: sqlite3.Row) -> dict[str, Any]:
    parent = {"resource_type": row["parent_type"], "id": row["parent_id"]} if row["parent_id"] is not None else None
    return {
        "resource_type": row["resource_type"],
        "id": row["id"],
        "display_name": row["display_name"],
        "status": row["status"],
        "parent": parent,
        "profile": json.loads(row["profile"]),
        "emails": json.loads(row["emails"]),
        "employee_ids": json.loads(row["employee_ids"]),
    }


def entitlement_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "resource_type": row["resource_type"],
        "resource_id": row["resource_id"],
        "slug": row["slug"],
        "display_name": row["display_name"],
        "description": row["description"],
    }


def grant_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "entitlement": {
            "id": row["entitlement_id"],
            "resource_type": row["resource_type"],
            "resource_id": row["resource_id"],
            "slug": row["slug"],
        },
        "principal": {"resource_type": row["principal_type"], "id": row["principal_id"]},
    }


def resources(store: Store, sync_id: int, where: ResourceFilter) -> list[dict[str, Any]]:
    parent_type, parent_id = (
        where.parent.split(":", 1) if where.parent and ":" in where.parent else (None, where.parent)
    )
    pattern = f"%{where.search.casefold()}%" if where.search else None
    clause, params = _where(
        "sync_id",
        sync_id,
        {
            "resource_type = ?": where.resource_type,
            "status = ?": where.status,
            "parent_type = ?": parent_type,
            "parent_id = ?": parent_id,
            "(casefold(display_name) LIKE ? OR casefold(emails) LIKE ?)": (pattern, pattern) if pattern else None,
        },
    )
    rows = store.query(f"SELECT * FROM resources WHERE {clause} ORDER BY resource_type, id", params)  # noqa: S608
    return [resource_json(row) for row in rows]


def entitlements(store: Store, sync_id: int, where: EntitlementFilter) -> list[dict[str, Any]]:
    clause, params = _where(
        "sync_id", sync_id, {"resource_type = ?": where.resource_type, "resource_id = ?": where.resource_id}
    )
    rows = store.query(f"SELECT * FROM entitlements WHERE {clause} ORDER BY id", params)  # noqa: S608
    return [entitlement_json(row) for row in rows]


def grants(store: Store, sync_id: int, where: GrantFilter) -> list[dict[str, Any]]:
    clause, params = _where(
        "g.sync_id",
        sync_id,
        {
            "g.entitlement_id = ?": where.entitlement,
            "e.resource_type = ?": where.resource_type,
            "e.resource_id = ?": where.resource_id,
            "g.principal_type = ?": where.principal_type,
            "g.principal_id = ?": where.principal_id,
        },
    )
    # The clause holds only fixed column conditions; every value is a bound parameter.
    sql = (
        "SELECT g.id, g.entitlement_id, g.principal_type, g.principal_id, e.resource_type, e.resource_id, e.slug "  # noqa: S608
        "FROM grants g JOIN entitlements e ON e.sync_id = g.sync_id AND e.id = g.entitlement_id "
        f"WHERE {clause} ORDER BY g.id"
    )
    rows = store.query(sql, params)
    return [grant_json(row) for row in rows]
