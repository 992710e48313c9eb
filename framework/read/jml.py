"""Joiners, movers and leavers: the vocabulary ``connector diff`` derives from the generic facts.

Derived from resource-type traits and the facts of :mod:`framework.read.diff`,
never from plugin names or profile keys:

- a **joiner** is a new enabled user, or a user whose status went from
  ``disabled`` to ``enabled`` (re-enabled); the date is the user's start date;
- a **leaver** is an enabled user that is gone, or whose status went from
  ``enabled`` to ``disabled``; the date is the user's end date;
- a **mover** is an enabled user who changed groups (a membership on a resource
  of a group type) or a tracked attribute, or whose parent changed; ``kinds``
  names the facts, group types first, then tracked labels in declared order;
- a change to or from ``unknown`` is **never** a joiner, leaver or re-enable:
  it lands in ``status_unknown``, as do new and removed users whose status is unknown.

Groups are created, removed, renamed or moved (a new parent).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from framework.host.models import Status, TrackedAttribute, Trait
from framework.read.diff import Facts, GrantDelta, facts, key_of, resource_events
from framework.read.queries import primary_email
from framework.read.syncs import sync_ref
from framework.store.file import Store

ENABLED, DISABLED, UNKNOWN = str(Status.ENABLED), str(Status.DISABLED), str(Status.UNKNOWN)


def person(resource: Mapping[str, Any]) -> dict[str, Any]:
    """``{"resource_type", "id", "display_name", "email"}``: who an entry is about."""
    return {
        "resource_type": resource["resource_type"],
        "id": resource["id"],
        "display_name": resource["display_name"],
        "email": primary_email(resource),
    }


def _presence(resource: Mapping[str, Any], reason: str, date_key: str) -> dict[str, Any]:
    """A joiner or leaver entry; the date is the user's ``start_date`` or ``end_date`` when known."""
    return {**person(resource), "reason": reason, "date": (resource["user"] or {}).get(date_key)}


def _unknown(resource: Mapping[str, Any], reason: str, status: Mapping[str, Any], changes: Any) -> dict[str, Any]:
    return {**person(resource), "reason": reason, "status": dict(status), "changes": changes}


def _group_entry(resource: Mapping[str, Any]) -> dict[str, Any]:
    """A created or removed group."""
    return {
        "resource_type": resource["resource_type"],
        "id": resource["id"],
        "display_name": resource["display_name"],
        "parent": resource["parent"],
    }


_PRESENCE = {
    "added": ("joiners", "new", "start_date", "created", {"old": None, "new": UNKNOWN}),
    "removed": ("leavers", "removed", "end_date", "removed", {"old": UNKNOWN, "new": None}),
}
"""Per event: the users section, reason, date key, groups section, and status change of an unknown user."""


@dataclass
class _Vocabulary:
    """Accumulates the sections while the store streams changed rows past it."""

    store: Store
    old: int
    new: int
    user_types: frozenset[str]
    group_types: frozenset[str]
    tracked: Mapping[str, tuple[TrackedAttribute, ...]]
    grants: GrantDelta
    users: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {"joiners": [], "leavers": [], "movers": [], "updated": [], "status_unknown": []}
    )
    groups: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {"created": [], "removed": [], "renamed": [], "moved": []}
    )
    resources: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {"added": [], "removed": [], "changed": []}
    )

    def present(self, event: str, resource: dict[str, Any]) -> None:
        """A resource only in the new sync (``event`` ``added``) or only in the old one (``removed``)."""
        section, reason, date_key, groups, status = _PRESENCE[event]
        self.resources[event].append(resource)
        if resource["resource_type"] in self.user_types:
            if resource["status"] == ENABLED:
                self.users[section].append(_presence(resource, reason, date_key))
            elif resource["status"] == UNKNOWN:
                self.users["status_unknown"].append(_unknown(resource, reason, status, {}))
        if resource["resource_type"] in self.group_types:
            self.groups[groups].append(_group_entry(resource))

    def changed(self, before: dict[str, Any], after: dict[str, Any]) -> None:
        found = facts(
            before,
            after,
            self.grants.of(key_of(after)),
            self.group_types,
            self.tracked.get(after["resource_type"], ()),
        )
        if found.changes:
            self.resources["changed"].append({**person(after), "changes": found.changes})
        if after["resource_type"] in self.user_types:
            self._user(before, after, found)
        if after["resource_type"] in self.group_types:
            self._group_change(after, found.changes)

    def _user(self, before: dict[str, Any], after: dict[str, Any], found: Facts) -> None:
        was, now = before["status"], after["status"]
        if found.status is not None and UNKNOWN in (was, now):
            self.users["status_unknown"].append(_unknown(after, "changed", found.status, found.changes))
        elif was == ENABLED and now == DISABLED:
            self.users["leavers"].append(_presence(after, "disabled", "end_date"))
        elif was == DISABLED and now == ENABLED:
            self.users["joiners"].append(_presence(after, "re-enabled", "start_date"))
        elif not found.empty:
            entry = self._mover(after, found)
            self.users["movers" if was == ENABLED and entry["kinds"] else "updated"].append(entry)

    def _mover(self, after: dict[str, Any], found: Facts) -> dict[str, Any]:
        """One entry per changed user: every fact slot is present, None when it did not change.

        A group type and a tracked label may share a name (a membership that the
        profile also names): the membership change, by ids, wins.
        """
        labels = [a.label for a in self.tracked.get(after["resource_type"], ())]
        slots = list(dict.fromkeys([*sorted(self.group_types), *labels, "parent"]))
        values: dict[str, Any] = {slot: None for slot in slots}
        values.update(found.attributes)
        values.update(found.groups)
        values["parent"] = found.changes.get("parent")
        return {
            **person(after),
            "kinds": [slot for slot in slots if values[slot] is not None],
            **values,
            "changes": found.changes,
            "memberships": found.memberships,
        }

    def _group_change(self, after: dict[str, Any], changes: Mapping[str, Any]) -> None:
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
        row = self.store.resource(sync_id, ref["resource_type"], ref["id"])
        return {**ref, "display_name": None if row is None else row["display_name"]}


def _count(sections: Mapping[str, Sequence[Any]]) -> dict[str, int]:
    return {name: len(items) for name, items in sections.items()}


def diff(store: Store, old: sqlite3.Row, new: sqlite3.Row) -> dict[str, Any]:
    """What changed from sync ``old`` to sync ``new``: the public ``connector diff`` shape (docs/cli-json.md)."""
    old_id, new_id = int(old["id"]), int(new["id"])
    user_types, group_types = (
        frozenset(store.types_with_trait(old_id, trait) + store.types_with_trait(new_id, trait))
        for trait in (Trait.USER, Trait.GROUP)
    )
    tracked = {**store.tracked(old_id), **store.tracked(new_id)}
    grants = GrantDelta.between(store, old_id, new_id)
    result = _Vocabulary(store, old_id, new_id, user_types, group_types, tracked, grants)
    for event, resource, after in resource_events(store, old_id, new_id, grants, user_types):
        if after is None:
            result.present(event, resource)
        else:
            result.changed(resource, after)
    for section in result.users.values():
        section.sort(key=key_of)
    return {
        "from": sync_ref(old),
        "to": sync_ref(new),
        "traits": {"user": sorted(user_types), "group": sorted(group_types)},
        "tracked": {
            type_id: [{"key": a.key, "label": a.label, "name_key": a.name_key} for a in attributes]
            for type_id, attributes in sorted(tracked.items())
        },
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
