"""Exploring one sync: counts, who is in a group, what a person holds, exports.

Like :mod:`framework.read.queries`, these read one sync and return the public JSON
shapes the CLI prints (documented in ``docs/cli-json.md``). They rely on
resource-type traits (``user``, ``group``), never on plugin names, so they work
for any connector. Exports stream row by row, so a 100,000-user sync is never
held in memory.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TextIO

from framework.host.errors import ConfigError, StoreError
from framework.host.models import Trait
from framework.read.queries import entitlement_json, grant_json, resource_json
from framework.store.file import Store

ResourceKey = tuple[str, str]
"""``(resource type, id)``: how a resource is identified across syncs."""

EXPORT_KINDS = ("resources", "entitlements", "grants")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A CSV cell starting with one of these is a formula to a spreadsheet; see :func:`csv_safe`."""


def types_with_trait(store: Store, sync_id: int, trait: Trait) -> list[str]:
    """Resource types of a sync that declare ``trait``, sorted."""
    rows = store.query(
        "SELECT id FROM resource_types WHERE sync_id = ? "
        "AND EXISTS (SELECT 1 FROM json_each(traits) WHERE value = ?) ORDER BY id",
        (sync_id, str(trait)),
    )
    return [row["id"] for row in rows]


def resource_types(store: Store, sync_id: int) -> list[str]:
    """Every resource type a sync declares, sorted."""
    return [row["id"] for row in store.query("SELECT id FROM resource_types WHERE sync_id = ? ORDER BY id", (sync_id,))]


def check_resource_type(store: Store, sync_id: int, resource_type: str | None) -> None:
    """Raise :class:`ConfigError` listing the known types when ``resource_type`` is given but not in the sync.

    A filter on a type the sync does not hold would otherwise print an empty
    table and exit 0, which reads as "there are none".
    """
    if resource_type is None:
        return
    known = resource_types(store, sync_id)
    if resource_type not in known:
        raise ConfigError(
            f"no resource type {resource_type!r} in sync {sync_id}; its types are: {', '.join(known) or 'none'}"
        )


def primary_email(resource: Mapping[str, Any]) -> str | None:
    """The primary address, else the first one, else None."""
    emails = resource["emails"]
    primary = next((e["address"] for e in emails if e["primary"]), None)
    return primary or (emails[0]["address"] if emails else None)


def _in(values: Sequence[str]) -> str:
    """``(?, ?, ...)`` for an ``IN`` clause; never empty, so an empty list matches nothing."""
    return "(" + ", ".join("?" * max(1, len(values))) + ")"


def _padded(values: Sequence[str]) -> list[str | None]:
    return list(values) if values else [None]


def _named(store: Store, sql: str, params: Mapping[str, Any]) -> list[sqlite3.Row]:
    """:meth:`Store.query` for SQL with named parameters (used where one value appears twice)."""
    try:
        return store.db.execute(sql, params).fetchall()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot read {store.path}: {exc}") from None


# -- stats -------------------------------------------------------------------------


def stats(store: Store, sync_id: int) -> dict[str, Any]:
    """Counts per resource type (and status), per user lifecycle state, and per group."""
    users, groups = types_with_trait(store, sync_id, Trait.USER), types_with_trait(store, sync_id, Trait.GROUP)
    type_rows = store.query(
        "SELECT t.id, t.traits, count(r.id) AS total, coalesce(sum(r.status = 'enabled'), 0) AS enabled, "
        "coalesce(sum(r.status = 'disabled'), 0) AS disabled FROM resource_types t LEFT JOIN resources r "
        "ON r.sync_id = t.sync_id AND r.resource_type = t.id WHERE t.sync_id = ? GROUP BY t.id ORDER BY t.id",
        (sync_id,),
    )
    ungrouped_rows = store.query(
        "SELECT u.resource_type, count(*) FROM resources u WHERE u.sync_id = ? "  # noqa: S608
        f"AND u.resource_type IN {_in(users)} AND NOT EXISTS (SELECT 1 FROM grants g JOIN entitlements e "
        "ON e.sync_id = g.sync_id AND e.id = g.entitlement_id WHERE g.sync_id = u.sync_id "
        f"AND g.principal_type = u.resource_type AND g.principal_id = u.id AND e.resource_type IN {_in(groups)}) "
        "GROUP BY u.resource_type",
        [sync_id, *_padded(users), *_padded(groups)],
    )
    ungrouped = {row[0]: int(row[1]) for row in ungrouped_rows}
    lifecycle = store.query(
        "SELECT resource_type, json_extract(profile, '$.lifecycle_status') AS state, count(*) AS count "  # noqa: S608
        f"FROM resources WHERE sync_id = ? AND resource_type IN {_in(users)} GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2",
        [sync_id, *_padded(users)],
    )
    group_rows = store.query(
        "SELECT r.resource_type, r.id, r.display_name, r.parent_type, r.parent_id, "  # noqa: S608
        "coalesce(m.members, 0) AS members, coalesce(m.enabled_members, 0) AS enabled_members FROM resources r "
        "LEFT JOIN (SELECT e.resource_type, e.resource_id, count(DISTINCT p.resource_type || ':' || p.id) AS members, "
        "count(DISTINCT CASE WHEN p.status = 'enabled' THEN p.resource_type || ':' || p.id END) AS enabled_members "
        "FROM entitlements e JOIN grants g ON g.sync_id = e.sync_id AND g.entitlement_id = e.id "
        "JOIN resources p ON p.sync_id = g.sync_id AND p.resource_type = g.principal_type AND p.id = g.principal_id "
        "WHERE e.sync_id = ? GROUP BY e.resource_type, e.resource_id) m "
        "ON m.resource_type = r.resource_type AND m.resource_id = r.id "
        f"WHERE r.sync_id = ? AND r.resource_type IN {_in(groups)} ORDER BY members DESC, r.display_name, r.id",
        [sync_id, sync_id, *_padded(groups)],
    )
    counts = store.counts(sync_id)
    return {
        "sync_id": sync_id,
        "resource_types": [
            {
                "resource_type": row["id"],
                "traits": json.loads(row["traits"]),
                "total": row["total"],
                "enabled": row["enabled"],
                "disabled": row["disabled"],
                "without_group": ungrouped.get(row["id"], 0) if row["id"] in users else None,
            }
            for row in type_rows
        ],
        "lifecycle": [
            {"resource_type": row["resource_type"], "lifecycle_status": row["state"], "count": row["count"]}
            for row in lifecycle
        ],
        "groups": [
            {
                "resource_type": row["resource_type"],
                "id": row["id"],
                "display_name": row["display_name"],
                "parent": _ref(row["parent_type"], row["parent_id"]),
                "members": row["members"],
                "enabled_members": row["enabled_members"],
            }
            for row in group_rows
        ],
        "entitlements": counts["entitlements"],
        "grants": counts["grants"],
    }


def _ref(resource_type: str | None, resource_id: str | None) -> dict[str, str] | None:
    return None if resource_id is None or resource_type is None else {"resource_type": resource_type, "id": resource_id}


# -- finding one resource by what a person types ---------------------------------------


def _describe(store: Store, sync_id: int, row: sqlite3.Row) -> str:
    """``department:12 "Sales" under "Europe"``: enough to tell two same-named resources apart."""
    text = f'{row["resource_type"]}:{row["id"]} "{row["display_name"]}"'
    if row["parent_id"] is not None:
        parent = store.query(
            "SELECT display_name FROM resources WHERE sync_id = ? AND resource_type = ? AND id = ?",
            (sync_id, row["parent_type"], row["parent_id"]),
        )
        text += f' under "{parent[0]["display_name"]}"' if parent else f" under {row['parent_id']}"
    return text


def _resolve(
    store: Store, sync_id: int, text: str, *, types: Sequence[str], name_clause: str, what: str
) -> sqlite3.Row:
    """One resource of one of ``types`` by ``TYPE:ID``, by id, or else by ``name_clause`` (one ``?``: ``text``).

    An id wins over a name. No match, or more than one, is a :class:`ConfigError`;
    the ambiguous one lists every candidate with its id, so the person can rerun with the id.
    """
    scope = f"SELECT * FROM resources WHERE sync_id = ? AND resource_type IN {_in(types)}"  # noqa: S608
    params: list[Any] = [sync_id, *_padded(types)]
    prefix, _, rest = text.partition(":")
    rows: list[sqlite3.Row] = []
    if rest and prefix in types:
        rows = store.query(
            "SELECT * FROM resources WHERE sync_id = ? AND resource_type = ? AND id = ?", (sync_id, prefix, rest)
        )
    rows = rows or store.query(f"{scope} AND id = ? ORDER BY resource_type, id", [*params, text])
    rows = rows or store.query(f"{scope} AND {name_clause} ORDER BY resource_type, id", [*params, text])
    if not rows:
        example = types[0] if types else "TYPE"
        raise ConfigError(f"no {what} {text!r} in sync {sync_id} (give an id, {example}:ID, or a {what} name)")
    if len(rows) > 1:
        candidates = "; ".join(_describe(store, sync_id, row) for row in rows[:10])
        more = f" and {len(rows) - 10} more" if len(rows) > 10 else ""
        raise ConfigError(f"{what} {text!r} is ambiguous in sync {sync_id}: {candidates}{more}; use the id instead")
    return rows[0]


def _types_with(store: Store, sync_id: int, trait: Trait) -> list[str]:
    """:func:`types_with_trait`, or a :class:`ConfigError` when the sync has none."""
    types = types_with_trait(store, sync_id, trait)
    if not types:
        raise ConfigError(f"sync {sync_id} has no resource type with the {trait} trait")
    return types


DISPLAY_NAME_CLAUSE = "casefold(display_name) = casefold(?)"


def find_group(store: Store, sync_id: int, text: str) -> sqlite3.Row:
    """A group-trait resource by id or (case-insensitive) display name."""
    return _resolve(
        store,
        sync_id,
        text,
        types=_types_with(store, sync_id, Trait.GROUP),
        name_clause=DISPLAY_NAME_CLAUSE,
        what="group",
    )


def find_user(store: Store, sync_id: int, text: str) -> sqlite3.Row:
    """A user-trait resource by id, or by (case-insensitive) email address or display name."""
    email_or_name = (
        "EXISTS (SELECT 1 FROM (SELECT display_name AS v UNION ALL SELECT json_extract(value, '$.address') "
        "FROM json_each(emails)) WHERE casefold(v) = casefold(?))"
    )
    types = _types_with(store, sync_id, Trait.USER)
    return _resolve(store, sync_id, text, types=types, name_clause=email_or_name, what="user")


def find_resource(store: Store, sync_id: int, text: str) -> sqlite3.Row:
    """A resource of any type by ``TYPE:ID``, id or (case-insensitive) display name."""
    return _resolve(
        store,
        sync_id,
        text,
        types=resource_types(store, sync_id),
        name_clause=DISPLAY_NAME_CLAUSE,
        what="resource",
    )


# -- members and access -------------------------------------------------------------------

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
    """Who holds an entitlement on a group; with ``recursive``, on its sub-groups too."""
    found = find_group(store, sync_id, group)
    rows = _named(
        store,
        _MEMBERS,
        {"type": found["resource_type"], "id": found["id"], "sync": sync_id, "recursive": int(recursive)},
    )
    return {
        "sync_id": sync_id,
        "group": _summary(found) | {"parent": _ref(found["parent_type"], found["parent_id"])},
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
    """A user and every grant they hold, with the resource each entitlement is on."""
    found = find_user(store, sync_id, user)
    rows = store.query(
        "SELECT g.id, e.id AS entitlement_id, e.slug, e.display_name, e.resource_type, e.resource_id, "
        "r.display_name AS resource_display_name FROM grants g "
        "JOIN entitlements e ON e.sync_id = g.sync_id AND e.id = g.entitlement_id "
        "LEFT JOIN resources r ON r.sync_id = e.sync_id AND r.resource_type = e.resource_type AND r.id = e.resource_id "
        "WHERE g.sync_id = ? AND g.principal_type = ? AND g.principal_id = ? ORDER BY e.id",
        (sync_id, found["resource_type"], found["id"]),
    )
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
            for row in rows
        ],
    }


# -- export ---------------------------------------------------------------------------------

Flatten = Callable[[Mapping[str, Any]], dict[str, Any]]


def _flat_resource(resource: Mapping[str, Any]) -> dict[str, Any]:
    parent = resource["parent"] or {}
    flat = {
        "resource_type": resource["resource_type"],
        "id": resource["id"],
        "display_name": resource["display_name"],
        "status": resource["status"],
        "parent_type": parent.get("resource_type"),
        "parent_id": parent.get("id"),
        "email": primary_email(resource),
        "emails": "; ".join(e["address"] for e in resource["emails"]),
        "employee_ids": "; ".join(resource["employee_ids"]),
    }
    return flat | {f"profile.{key}": value for key, value in resource["profile"].items()}


def _flat_grant(grant: Mapping[str, Any]) -> dict[str, Any]:
    entitlement, principal = grant["entitlement"], grant["principal"]
    return {
        "id": grant["id"],
        "entitlement_id": entitlement["id"],
        "resource_type": entitlement["resource_type"],
        "resource_id": entitlement["resource_id"],
        "slug": entitlement["slug"],
        "principal_type": principal["resource_type"],
        "principal_id": principal["id"],
    }


RESOURCE_COLUMNS = (
    "resource_type",
    "id",
    "display_name",
    "status",
    "parent_type",
    "parent_id",
    "email",
    "emails",
    "employee_ids",
)
ENTITLEMENT_COLUMNS = ("id", "resource_type", "resource_id", "slug", "display_name", "description")
GRANT_COLUMNS = ("id", "entitlement_id", "resource_type", "resource_id", "slug", "principal_type", "principal_id")


def export_rows(
    store: Store, sync_id: int, kind: str, resource_type: str | None = None
) -> tuple[list[str], Iterator[dict[str, Any]], Flatten]:
    """CSV header, a stream of JSON-shaped rows, and how to flatten one row for CSV.

    The rows have the same shape as ``connector resources|entitlements|grants
    --output json``; resource CSVs get one ``profile.<key>`` column per profile
    key found in the sync. ``resource_type`` narrows any kind to one type.
    """
    if kind not in EXPORT_KINDS:
        raise ConfigError(f"cannot export {kind!r}: choose one of {', '.join(EXPORT_KINDS)}")
    narrow = " AND resource_type = :type" if resource_type and kind != "grants" else ""
    params = {"sync": sync_id, "type": resource_type}
    if kind == "resources":
        keys = _named(
            store,
            f"SELECT DISTINCT j.key FROM resources, json_each(profile) j WHERE sync_id = :sync{narrow} ORDER BY j.key",  # noqa: S608
            params,
        )
        header = [*RESOURCE_COLUMNS, *(f"profile.{row[0]}" for row in keys)]
        sql = f"SELECT * FROM resources WHERE sync_id = :sync{narrow} ORDER BY resource_type, id"  # noqa: S608
        return header, (resource_json(row) for row in store.db.execute(sql, params)), _flat_resource
    if kind == "entitlements":
        sql = f"SELECT * FROM entitlements WHERE sync_id = :sync{narrow} ORDER BY id"  # noqa: S608
        return list(ENTITLEMENT_COLUMNS), (entitlement_json(row) for row in store.db.execute(sql, params)), dict
    grant_narrow = " AND e.resource_type = :type" if resource_type else ""
    sql = (
        "SELECT g.id, g.entitlement_id, g.principal_type, g.principal_id, e.resource_type, e.resource_id, e.slug "  # noqa: S608
        "FROM grants g JOIN entitlements e ON e.sync_id = g.sync_id AND e.id = g.entitlement_id "
        f"WHERE g.sync_id = :sync{grant_narrow} ORDER BY g.id"
    )
    return list(GRANT_COLUMNS), (grant_json(row) for row in store.db.execute(sql, params)), _flat_grant


def csv_safe(value: Any) -> str:
    """One CSV cell: JSON for lists, objects and booleans; text that would run as a formula is quoted.

    Spreadsheets execute a cell starting with ``=``, ``+``, ``-`` or ``@``; HR data
    (names, titles) comes from people, so such text gets a leading ``'``, as OWASP
    advises. Numbers are left alone; ``--format jsonl`` keeps every value exact.
    """
    if value is None:
        return ""
    if isinstance(value, bool | dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return str(value)


def write_csv(out: TextIO, header: Sequence[str], rows: Iterable[Mapping[str, Any]], flatten: Flatten) -> int:
    """Header row, then one row per item, every field quoted as needed; returns the row count."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        flat = flatten(row)
        writer.writerow([csv_safe(flat.get(column)) for column in header])
        count += 1
    return count


def write_jsonl(out: TextIO, rows: Iterable[Mapping[str, Any]]) -> int:
    """One JSON object per line, keys in the documented order; returns the row count."""
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count
