"""Sync history: which syncs a file keeps, and what changed between two of them.

A sync file keeps the newest N complete syncs of each plugin (retention), so
that two can be compared. The comparison is generic: resources are matched by
``(resource type, id)`` and grants by id, never by display name or email, so a
renamed person is a change rather than a leaver plus a joiner.

On top of that generic diff, the HR vocabulary (joiners, leavers, movers;
groups created, removed, renamed, moved) is derived from resource-type traits,
never from plugin names. The few profile keys it reads (``start_date``,
``termination_date``, ``department_id``, ``manager_id``, ...) are a documented
convention a plugin opts into (see ``docs/history.md``).

The heavy lifting runs as SQL joins between the two sync ids on indexed
columns, so only changed rows ever reach Python: a diff of two
100,000-user syncs costs index look-ups, not two dictionaries of everything.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from framework.host import config
from framework.host.errors import ConfigError, StoreError
from framework.host.models import Status, Trait
from framework.read.explore import ResourceKey, primary_email, types_with_trait
from framework.read.queries import grant_json, resource_json
from framework.store.file import Store

log = logging.getLogger(__name__)

DEFAULT_KEEP = int(str(config.KEEP_FIELD.default))

START_DATE = "start_date"
TERMINATION_DATE = "termination_date"
DEPARTMENT_ID = "department_id"
DEPARTMENT = "department"
MANAGER_ID = "manager_id"
MANAGER_NAME = "manager_display_name"
TITLE = "title"
LIFECYCLE = "lifecycle_status"
"""Profile keys the vocabulary reads when a plugin provides them (all optional)."""

FIELDS = ("display_name", "status", "parent", "emails", "employee_ids")
"""Resource fields compared besides the profile, whose keys are compared one by one."""

KINDS = ("department", "manager", "title", "lifecycle_status", "parent")
"""The changes that make a user a mover, in the order they are reported."""

ENABLED = str(Status.ENABLED)


# -- retention ---------------------------------------------------------------


def parse_keep(value: str) -> int:
    """The ``--keep`` value: how many complete syncs of a plugin to keep (at least 1)."""
    try:
        keep = int(value)
    except ValueError:
        keep = 0
    if keep < 1:
        raise ConfigError(f"--keep must be a whole number of at least 1, not {value!r}")
    return keep


def prunable(store: Store, keep: int, current: int) -> list[int]:
    """Complete syncs of ``current``'s plugin beyond the newest ``keep``, oldest first.

    ``current`` is the sync being written: it counts as one of the ``keep`` and is
    never returned, even when a newer sync of the same plugin finished first.
    """
    rows = store.query(
        "SELECT id FROM syncs WHERE status = 'complete' AND id != ? "
        "AND plugin = (SELECT plugin FROM syncs WHERE id = ?) ORDER BY id DESC LIMIT -1 OFFSET ?",
        (current, current, keep - 1),
    )
    return sorted(int(row["id"]) for row in rows)


def apply_retention(store: Store, keep: int, current: int) -> list[int]:
    """Prune what :func:`prunable` names; call in the transaction that completes ``current``."""
    pruned = prunable(store, keep, current)
    if pruned:
        store.prune(pruned)
        log.info("pruned %d older sync(s) %s, keeping %d", len(pruned), pruned, keep)
    return pruned


# -- the syncs in a file -------------------------------------------------------


def sync_ref(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "plugin": row["plugin"],
        "started_at": row["started_at"],
        "finished_at": row["finished_at"],
    }


def list_syncs(store: Store) -> list[dict[str, Any]]:
    """Every sync run recorded in the file, complete or not, oldest first."""
    rows = store.syncs()
    latest = max((row["id"] for row in rows if row["status"] == "complete"), default=None)
    entries = []
    for row in rows:
        summary = json.loads(row["summary"])
        entries.append(
            {
                **sync_ref(row),
                "plugin_version": row["plugin_version"],
                "status": row["status"],
                "error": row["error"],
                "latest": row["id"] == latest,
                "counts": summary.get("counts"),
            }
        )
    return entries


def pick_pair(store: Store, from_id: int | None, to_id: int | None) -> tuple[sqlite3.Row, sqlite3.Row]:
    """The two complete syncs to compare: by default the latest one and the one before it.

    "The one before" is the previous complete sync of the same plugin, so failed
    runs in between never count, and a file shared by two plugins diffs each
    against itself.
    """
    new = store.sync(to_id)
    if from_id is not None:
        return store.sync(from_id), new
    rows = store.query(
        "SELECT * FROM syncs WHERE status = 'complete' AND plugin = ? AND id < ? ORDER BY id DESC LIMIT 1",
        (new["plugin"], new["id"]),
    )
    if not rows:
        raise ConfigError(
            f"nothing to compare: {store.path} holds no complete {new['plugin']} sync before sync {new['id']}; "
            "sync again later, or pass --from"
        )
    return rows[0], new


# -- the generic diff ------------------------------------------------------------


def _only_in(store: Store, keep: int, other: int) -> Iterator[sqlite3.Row]:
    """Resources of sync ``keep`` with no resource of the same type and id in sync ``other``."""
    yield from store.db.execute(
        "SELECT * FROM resources r WHERE r.sync_id = ? AND NOT EXISTS (SELECT 1 FROM resources o "
        "WHERE o.sync_id = ? AND o.resource_type = r.resource_type AND o.id = r.id) ORDER BY r.resource_type, r.id",
        (keep, other),
    )


_DIFFERS = " OR ".join(
    f"o.{column} IS NOT n.{column}"
    for column in ("display_name", "status", "parent_type", "parent_id", "profile", "emails", "employee_ids")
)
_CHANGED_PAIRS = (
    "WITH changed AS (SELECT o.resource_type AS t, o.id AS i FROM resources o JOIN resources n "  # noqa: S608
    "ON n.sync_id = :new AND n.resource_type = o.resource_type AND n.id = o.id "
    f"WHERE o.sync_id = :old AND ({_DIFFERS})) "
    "SELECT r.* FROM changed c JOIN resources r ON r.sync_id IN (:old, :new) AND r.resource_type = c.t AND r.id = c.i "
    "ORDER BY c.t, c.i, r.sync_id = :new"
)


def _changed_pairs(store: Store, old: int, new: int) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(before, after) for every resource in both syncs whose stored row differs, in key order."""
    rows = store.db.execute(_CHANGED_PAIRS, {"old": old, "new": new})
    for before in rows:
        after = next(rows)
        yield resource_json(before), resource_json(after)


def _pair(store: Store, old: int, new: int, key: ResourceKey) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(before, after) for one resource, or None unless it is in both syncs."""
    rows = store.query(
        "SELECT * FROM resources WHERE sync_id IN (?, ?) AND resource_type = ? AND id = ? ORDER BY sync_id = ?",
        (old, new, key[0], key[1], new),
    )
    return (resource_json(rows[0]), resource_json(rows[1])) if len(rows) == 2 else None


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every changed field as ``{"old": .., "new": ..}``; profile keys as ``profile.<key>``.

    A profile key that is missing on one side counts as null, so a plugin that
    starts sending ``"x": null`` does not report a change.
    """
    changes = {name: {"old": before[name], "new": after[name]} for name in FIELDS if before[name] != after[name]}
    old_profile, new_profile = before["profile"], after["profile"]
    for key in sorted(old_profile.keys() | new_profile.keys()):
        if old_profile.get(key) != new_profile.get(key):
            changes[f"profile.{key}"] = {"old": old_profile.get(key), "new": new_profile.get(key)}
    return changes


_GRANT_DELTA = (
    "SELECT g.id, g.entitlement_id, g.principal_type, g.principal_id, e.resource_type, e.resource_id, e.slug, "
    "r.display_name AS resource_display_name, p.display_name AS principal_display_name "
    "FROM grants g JOIN entitlements e ON e.sync_id = g.sync_id AND e.id = g.entitlement_id "
    "LEFT JOIN resources r ON r.sync_id = g.sync_id AND r.resource_type = e.resource_type AND r.id = e.resource_id "
    "LEFT JOIN resources p ON p.sync_id = g.sync_id AND p.resource_type = g.principal_type AND p.id = g.principal_id "
    "WHERE g.sync_id = ? AND NOT EXISTS (SELECT 1 FROM grants o WHERE o.sync_id = ? AND o.id = g.id) ORDER BY g.id"
)


def _grant_delta(store: Store, keep: int, other: int) -> list[dict[str, Any]]:
    """Grants of sync ``keep`` missing from sync ``other``, with display names from ``keep``."""
    return [
        {
            **grant_json(row),
            "resource_display_name": row["resource_display_name"],
            "principal_display_name": row["principal_display_name"],
        }
        for row in store.db.execute(_GRANT_DELTA, (keep, other))
    ]


# -- the vocabulary ----------------------------------------------------------------


def _key(resource: Mapping[str, Any]) -> ResourceKey:
    return (resource["resource_type"], resource["id"])


def _person(resource: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "resource_type": resource["resource_type"],
        "id": resource["id"],
        "display_name": resource["display_name"],
        "email": primary_email(resource),
    }


def _presence(resource: Mapping[str, Any], reason: str, date_key: str) -> dict[str, Any]:
    """A joiner or leaver entry; the date is the plugin's profile date when it gives one."""
    return {**_person(resource), "reason": reason, "date": resource["profile"].get(date_key)}


def _group_entry(resource: Mapping[str, Any]) -> dict[str, Any]:
    """A created or removed group."""
    return {
        "resource_type": resource["resource_type"],
        "id": resource["id"],
        "display_name": resource["display_name"],
        "parent": resource["parent"],
    }


def _group_ref(grant: Mapping[str, Any]) -> dict[str, Any]:
    entitlement = grant["entitlement"]
    return {
        "resource_type": entitlement["resource_type"],
        "id": entitlement["resource_id"],
        "display_name": grant["resource_display_name"],
    }


def _membership(grant: Mapping[str, Any]) -> dict[str, Any]:
    return {"entitlement_id": grant["entitlement"]["id"], **_group_ref(grant)}


def _old_new(changes: Mapping[str, Any], key: str) -> dict[str, Any] | None:
    change = changes.get(f"profile.{key}")
    return dict(change) if change is not None else None


def _referenced(
    profiles: Mapping[str, Mapping[str, Any]], changes: Mapping[str, Any], id_key: str, name_key: str
) -> dict[str, dict[str, Any] | None] | None:
    """Old and new ``{"id", "display_name"}`` when the profile's ``id_key`` changed, else None.

    Only the id decides: a renamed manager or department is not a change of either.
    """
    ids = changes.get(f"profile.{id_key}")
    if ids is None:
        return None
    return {
        side: None if ids[side] is None else {"id": ids[side], "display_name": profiles[side].get(name_key)}
        for side in ("old", "new")
    }


@dataclass
class _Grants:
    """The grant delta, indexed by principal so each changed user finds its own."""

    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    by_principal: dict[ResourceKey, dict[str, list[dict[str, Any]]]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_principal = defaultdict(lambda: {"added": [], "removed": []})
        for side in ("added", "removed"):
            for grant in getattr(self, side):
                principal = grant["principal"]
                self.by_principal[(principal["resource_type"], principal["id"])][side].append(grant)

    def of(self, key: ResourceKey) -> dict[str, list[dict[str, Any]]]:
        return self.by_principal.get(key) or {"added": [], "removed": []}


@dataclass
class _Diff:
    """Accumulates the sections while the SQL cursors stream changed rows past it."""

    store: Store
    old: int
    new: int
    user_types: frozenset[str]
    group_types: frozenset[str]
    grants: _Grants
    users: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {"joiners": [], "leavers": [], "movers": [], "updated": []}
    )
    groups: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {"created": [], "removed": [], "renamed": [], "moved": []}
    )
    resources: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {"added": [], "removed": [], "changed": []}
    )

    def added(self, resource: dict[str, Any]) -> None:
        self.resources["added"].append(resource)
        if resource["resource_type"] in self.user_types and resource["status"] == ENABLED:
            self.users["joiners"].append(_presence(resource, "new", START_DATE))
        if resource["resource_type"] in self.group_types:
            self.groups["created"].append(_group_entry(resource))

    def removed(self, resource: dict[str, Any]) -> None:
        self.resources["removed"].append(resource)
        if resource["resource_type"] in self.user_types and resource["status"] == ENABLED:
            self.users["leavers"].append(_presence(resource, "removed", TERMINATION_DATE))
        if resource["resource_type"] in self.group_types:
            self.groups["removed"].append(_group_entry(resource))

    def changed(self, before: dict[str, Any], after: dict[str, Any]) -> None:
        changes = field_changes(before, after)
        if changes:
            self.resources["changed"].append({**_person(after), "changes": changes})
        if after["resource_type"] in self.user_types:
            self._user(before, after, changes)
        if after["resource_type"] in self.group_types:
            self._group_change(after, changes)

    def _user(self, before: dict[str, Any], after: dict[str, Any], changes: dict[str, dict[str, Any]]) -> None:
        was, now = before["status"] == ENABLED, after["status"] == ENABLED
        if was and not now:
            self.users["leavers"].append(_presence(after, "disabled", TERMINATION_DATE))
        elif now and not was:
            self.users["joiners"].append(_presence(after, "re-enabled", START_DATE))
        else:
            grants = self.grants.of(_key(after))
            if not changes and not grants["added"] and not grants["removed"]:
                return
            entry = self._mover(before, after, changes, grants)
            self.users["movers" if was and entry["kinds"] else "updated"].append(entry)

    def _mover(
        self,
        before: dict[str, Any],
        after: dict[str, Any],
        changes: dict[str, dict[str, Any]],
        grants: dict[str, list[dict[str, Any]]],
    ) -> dict[str, Any]:
        profiles = {"old": before["profile"], "new": after["profile"]}
        entry = {
            **_person(after),
            "kinds": [],
            "department": self._department(profiles, changes, grants),
            "manager": _referenced(profiles, changes, MANAGER_ID, MANAGER_NAME),
            "title": _old_new(changes, TITLE),
            "lifecycle_status": _old_new(changes, LIFECYCLE),
            "parent": changes.get("parent"),
            "changes": changes,
            "memberships": {side: [_membership(g) for g in grants[side]] for side in ("added", "removed")},
        }
        entry["kinds"] = [kind for kind in KINDS if entry[kind] is not None]
        return entry

    def _department(
        self,
        profiles: Mapping[str, Mapping[str, Any]],
        changes: Mapping[str, Any],
        grants: Mapping[str, list[dict[str, Any]]],
    ) -> dict[str, Any] | None:
        """Groups left and joined, by id: from group grants, else from the profile's ``department_id``.

        A department that is only renamed changes the ``department`` profile key of
        its members but neither their grants nor ``department_id``: not a move.
        """
        left, joined = (
            [_group_ref(g) for g in grants[side] if g["entitlement"]["resource_type"] in self.group_types]
            for side in ("removed", "added")
        )
        if left or joined:
            return {"old": left, "new": joined}
        named = _referenced(profiles, changes, DEPARTMENT_ID, DEPARTMENT)
        if named is None:
            return None
        return {side: [] if ref is None else [{"resource_type": None, **ref}] for side, ref in named.items()}

    def _group_change(self, after: dict[str, Any], changes: dict[str, dict[str, Any]]) -> None:
        base = {"resource_type": after["resource_type"], "id": after["id"]}
        if "display_name" in changes:
            self.groups["renamed"].append({**base, **changes["display_name"]})
        if "parent" in changes:
            old, new = changes["parent"]["old"], changes["parent"]["new"]
            self.groups["moved"].append(
                {
                    **base,
                    "display_name": after["display_name"],
                    "old": self._named(self.old, old),
                    "new": self._named(self.new, new),
                }
            )

    def _named(self, sync_id: int, ref: Mapping[str, Any] | None) -> dict[str, Any] | None:
        if ref is None:
            return None
        rows = self.store.query(
            "SELECT display_name FROM resources WHERE sync_id = ? AND resource_type = ? AND id = ?",
            (sync_id, ref["resource_type"], ref["id"]),
        )
        return {**ref, "display_name": rows[0]["display_name"] if rows else None}


def _count(sections: Mapping[str, Sequence[Any]]) -> dict[str, int]:
    return {name: len(items) for name, items in sections.items()}


def diff(store: Store, old: sqlite3.Row, new: sqlite3.Row) -> dict[str, Any]:
    """What changed from sync ``old`` to sync ``new``: the public ``connector diff`` shape."""
    old_id, new_id = int(old["id"]), int(new["id"])
    user_types = frozenset(types_with_trait(store, old_id, Trait.USER) + types_with_trait(store, new_id, Trait.USER))
    group_types = frozenset(types_with_trait(store, old_id, Trait.GROUP) + types_with_trait(store, new_id, Trait.GROUP))
    grants = _Grants(_grant_delta(store, new_id, old_id), _grant_delta(store, old_id, new_id))
    result = _Diff(store, old_id, new_id, user_types, group_types, grants)
    try:
        for row in _only_in(store, new_id, old_id):
            result.added(resource_json(row))
        for row in _only_in(store, old_id, new_id):
            result.removed(resource_json(row))
        seen: set[ResourceKey] = set()
        for before, after in _changed_pairs(store, old_id, new_id):
            seen.add(_key(after))
            result.changed(before, after)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot read {store.path}: {exc}") from None
    for key in sorted(grants.by_principal.keys() - seen):
        pair = _pair(store, old_id, new_id, key) if key[0] in user_types else None
        if pair is not None:
            result.changed(*pair)
    for section in result.users.values():
        section.sort(key=_key)
    return {
        "from": sync_ref(old),
        "to": sync_ref(new),
        "traits": {"user": sorted(user_types), "group": sorted(group_types)},
        "counts": {
            "users": _count(result.users),
            "groups": _count(result.groups),
            "resources": _count(result.resources),
            "grants": {"added": len(grants.added), "removed": len(grants.removed)},
        },
        "users": result.users,
        "groups": result.groups,
        "resources": result.resources,
        "grants": {"added": grants.added, "removed": grants.removed},
    }
