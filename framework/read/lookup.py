"""Finding one resource by what a person types, and ``connector members`` and ``connector access``.

Users and groups are the resources of user-trait and group-trait types. An id
wins over a name; more than one match is an error listing every candidate with
its id, so the person can rerun with the id.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from framework.host.errors import ConfigError
from framework.host.models import Trait
from framework.read.queries import primary_email, resource_json
from framework.read.stats import ref
from framework.store.file import Store

CANDIDATES_SHOWN = 10


def _describe(store: Store, sync_id: int, row: sqlite3.Row) -> str:
    """``group:12 "Sales" under "Europe"``: enough to tell two same-named resources apart."""
    text = f'{row["resource_type"]}:{row["id"]} "{row["display_name"]}"'
    if row["parent_id"] is not None:
        parent = store.resource(sync_id, row["parent_type"], row["parent_id"])
        text += f' under "{parent["display_name"]}"' if parent is not None else f" under {row['parent_id']}"
    return text


def check_resource_type(store: Store, sync_id: int, resource_type: str | None) -> None:
    """Raise :class:`ConfigError` listing the sync's types when ``resource_type`` is given but not one of them.

    A filter on a type the sync does not hold would otherwise print an empty
    table and exit 0, which reads as "there are none".
    """
    if resource_type is None:
        return
    known = store.resource_types(sync_id)
    if resource_type not in known:
        raise ConfigError(
            f"no resource type {resource_type!r} in sync {sync_id}; its types are: {', '.join(known) or 'none'}"
        )


def _resolve(store: Store, sync_id: int, text: str, trait: Trait | None, what: str) -> sqlite3.Row:
    """One resource of a ``trait`` type (any type for None) by ``TYPE:ID``, id, or display name (or email,
    for users); ConfigError otherwise."""
    types = store.resource_types(sync_id) if trait is None else store.types_with_trait(sync_id, trait)
    if not types:
        raise ConfigError(f"sync {sync_id} has no resource type with the {trait} trait")
    rows = store.candidates(sync_id, types, text, by_email=trait is Trait.USER)
    if not rows:
        raise ConfigError(f"no {what} {text!r} in sync {sync_id} (give an id, {types[0]}:ID, or a {what} name)")
    if len(rows) > 1:
        candidates = "; ".join(_describe(store, sync_id, row) for row in rows[:CANDIDATES_SHOWN])
        more = f" and {len(rows) - CANDIDATES_SHOWN} more" if len(rows) > CANDIDATES_SHOWN else ""
        raise ConfigError(f"{what} {text!r} is ambiguous in sync {sync_id}: {candidates}{more}; use the id instead")
    return rows[0]


def find_group(store: Store, sync_id: int, text: str) -> sqlite3.Row:
    """A group-trait resource by id or (case-insensitive) display name."""
    return _resolve(store, sync_id, text, Trait.GROUP, "group")


def find_user(store: Store, sync_id: int, text: str) -> sqlite3.Row:
    """A user-trait resource by id, or by (case-insensitive) email address or display name."""
    return _resolve(store, sync_id, text, Trait.USER, "user")


def find_resource(store: Store, sync_id: int, text: str) -> sqlite3.Row:
    """A resource of any type by ``TYPE:ID``, id or (case-insensitive) display name."""
    return _resolve(store, sync_id, text, None, "resource")


def _summary(row: sqlite3.Row) -> dict[str, Any]:
    resource = resource_json(row)
    return {
        "resource_type": resource["resource_type"],
        "id": resource["id"],
        "display_name": resource["display_name"],
        "status": resource["status"],
        "email": primary_email(resource),
    }


def members(store: Store, sync_id: int, group: str, recursive: bool = False) -> dict[str, Any]:
    """Who holds an entitlement on a group; with ``recursive``, on its sub-groups too (docs/cli-json.md)."""
    found = find_group(store, sync_id, group)
    rows = store.members(sync_id, found["resource_type"], found["id"], recursive)
    return {
        "sync_id": sync_id,
        "group": _summary(found) | {"parent": ref(found["parent_type"], found["parent_id"])},
        "recursive": recursive,
        "members": [
            {
                **_summary(row),
                "entitlement_id": row["entitlement_id"],
                "via": {"resource_type": row["via_type"], "id": row["via_id"], "display_name": row["via_display_name"]},
            }
            for row in rows
        ],
    }


def access(store: Store, sync_id: int, user: str) -> dict[str, Any]:
    """A user and every grant they hold, with the resource each entitlement is on (docs/cli-json.md)."""
    found = find_user(store, sync_id, user)
    return {
        "sync_id": sync_id,
        "user": resource_json(found),
        "grants": [
            {
                "grant_id": row["id"],
                "entitlement_id": row["entitlement_id"],
                "slug": row["slug"],
                "display_name": row["display_name"],
                "resource": {
                    "resource_type": row["resource_type"],
                    "id": row["resource_id"],
                    "display_name": row["resource_display_name"],
                },
            }
            for row in store.held(sync_id, found["resource_type"], found["id"])
        ],
    }
