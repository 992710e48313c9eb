"""Reading a sync back as the public JSON shapes the CLI prints.

These shapes are a contract (documented in the README): keys are stable and
only ever added to. The listings are iterators over the store's streams: a
reader writes each row as it comes, in bounded memory, and keeps the store open
until it has consumed them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

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


def column_value(text: str) -> Any:
    """A stored JSON column read back: orjson, or the standard library for what orjson
    cannot parse (``1e400``)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def resource_json(row: sqlite3.Row) -> dict[str, Any]:
    """A ``resources`` row as the public resource shape (README, "JSON shapes")."""
    parent = {"resource_type": row["parent_type"], "id": row["parent_id"]} if row["parent_id"] is not None else None
    return {
        "resource_type": row["resource_type"],
        "id": row["id"],
        "display_name": row["display_name"],
        "status": row["status"],
        "parent": parent,
        "profile": column_value(row["profile"]),
        "emails": column_value(row["emails"]),
        "employee_ids": column_value(row["employee_ids"]),
        "user": None if row["user"] is None else column_value(row["user"]),
    }


def entitlement_json(row: sqlite3.Row) -> dict[str, Any]:
    """An ``entitlements`` row as the public entitlement shape."""
    return {
        "id": row["id"],
        "resource_type": row["resource_type"],
        "resource_id": row["resource_id"],
        "slug": row["slug"],
        "display_name": row["display_name"],
        "description": row["description"],
    }


def grant_json(row: sqlite3.Row) -> dict[str, Any]:
    """A grant row joined with its entitlement's type, id and slug, as the public grant shape."""
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


def primary_email(resource: Mapping[str, Any]) -> str | None:
    """The primary address of a resource in JSON shape, else its first one, else None."""
    emails = resource["emails"]
    primary = next((e["address"] for e in emails if e["primary"]), None)
    return primary or (emails[0]["address"] if emails else None)


def resources(store: Store, sync_id: int, where: ResourceFilter, *, by_name: bool = False) -> Iterator[dict[str, Any]]:
    """Resources of one sync matching every filter, by type and id (``by_name``: by type, then display name)."""
    parent_type, parent_id = (
        where.parent.split(":", 1) if where.parent and ":" in where.parent else (None, where.parent)
    )
    rows = store.resources(
        sync_id,
        resource_type=where.resource_type,
        status=where.status,
        parent_type=parent_type,
        parent_id=parent_id,
        search=where.search,
        by_name=by_name,
    )
    return map(resource_json, rows)


def entitlements(store: Store, sync_id: int, where: EntitlementFilter) -> Iterator[dict[str, Any]]:
    """Entitlements of one sync matching every filter, by id."""
    rows = store.entitlements(sync_id, resource_type=where.resource_type, resource_id=where.resource_id)
    return map(entitlement_json, rows)


def grants(store: Store, sync_id: int, where: GrantFilter) -> Iterator[dict[str, Any]]:
    """Grants of one sync matching every filter, by id."""
    rows = store.grants(
        sync_id,
        entitlement=where.entitlement,
        resource_type=where.resource_type,
        resource_id=where.resource_id,
        principal_type=where.principal_type,
        principal_id=where.principal_id,
    )
    return map(grant_json, rows)
