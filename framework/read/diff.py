"""The generic diff: the facts that changed between two syncs, with no vocabulary of any field.

Resources are matched by ``(resource type, id)`` and grants by id, never by
display name or email, so a renamed person is a change rather than a removal
plus an addition. The facts about one resource in both syncs are its changed
fields, its status change, the groups it left and joined (grants on resources
of group-trait types), its new parent, and the changes of the profile
attributes its type declares as tracked, under their labels.
:mod:`framework.read.jml` derives joiners, movers and leavers from them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from framework.host.models import TrackedAttribute
from framework.read.queries import grant_json, resource_json
from framework.store.file import Store

ResourceKey = tuple[str, str]
"""``(resource type, id)``: how a resource is identified across syncs."""

Change = dict[str, Any]
"""``{"old": value, "new": value}``."""

FIELDS = ("display_name", "status", "parent", "emails", "employee_ids")
"""Resource fields compared as a whole; the ``user`` object and the profile are compared key by key."""


def key_of(resource: Mapping[str, Any]) -> ResourceKey:
    return (resource["resource_type"], resource["id"])


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Change]:
    """Every changed field: top-level fields by name, then ``user.<key>``, then ``profile.<key>``.

    A key that is missing on one side counts as null, so a plugin that starts
    sending ``"x": null`` does not report a change.
    """
    changes = {name: {"old": before[name], "new": after[name]} for name in FIELDS if before[name] != after[name]}
    for part in ("user", "profile"):
        old, new = before.get(part) or {}, after.get(part) or {}
        for key in sorted(old.keys() | new.keys()):
            if old.get(key) != new.get(key):
                changes[f"{part}.{key}"] = {"old": old.get(key), "new": new.get(key)}
    return changes


def attribute_change(attribute: TrackedAttribute, before: Mapping[str, Any], after: Mapping[str, Any]) -> Change | None:
    """The change of one tracked attribute between two profiles, or None.

    With a ``name_key``, each side is ``{"id", "display_name"}`` (or None), and only
    the id decides: renaming what an attribute points at changes no one's attribute.
    """
    old, new = before.get(attribute.key), after.get(attribute.key)
    if old == new:
        return None
    if attribute.name_key is None:
        return {"old": old, "new": new}
    names = {"old": before.get(attribute.name_key), "new": after.get(attribute.name_key)}
    return {
        side: None if value is None else {"id": value, "display_name": names[side]}
        for side, value in (("old", old), ("new", new))
    }


def grant_delta(store: Store, keep: int, other: int) -> list[dict[str, Any]]:
    """Grants of sync ``keep`` missing from sync ``other`` (public grant shape plus
    ``resource_display_name`` and ``principal_display_name`` as of ``keep``)."""
    return [
        {
            **grant_json(row),
            "resource_display_name": row["resource_display_name"],
            "principal_display_name": row["principal_display_name"],
        }
        for row in store.grants_missing(keep, other)
    ]


def group_ref(grant: Mapping[str, Any]) -> dict[str, Any]:
    """``{"resource_type", "id", "display_name"}`` of the resource a grant's entitlement is on."""
    entitlement = grant["entitlement"]
    return {
        "resource_type": entitlement["resource_type"],
        "id": entitlement["resource_id"],
        "display_name": grant["resource_display_name"],
    }


@dataclass
class GrantDelta:
    """Grants added and removed between two syncs, indexed by principal."""

    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    by_principal: dict[ResourceKey, dict[str, list[dict[str, Any]]]] = field(init=False)

    @classmethod
    def between(cls, store: Store, old: int, new: int) -> GrantDelta:
        return cls(grant_delta(store, new, old), grant_delta(store, old, new))

    def __post_init__(self) -> None:
        self.by_principal = defaultdict(lambda: {"added": [], "removed": []})
        for side in ("added", "removed"):
            for grant in getattr(self, side):
                principal = grant["principal"]
                self.by_principal[(principal["resource_type"], principal["id"])][side].append(grant)

    def of(self, key: ResourceKey) -> dict[str, list[dict[str, Any]]]:
        """``{"added": [...], "removed": [...]}`` grants of one principal."""
        return self.by_principal.get(key) or {"added": [], "removed": []}


@dataclass(frozen=True)
class Facts:
    """What changed about one resource present in both syncs."""

    changes: dict[str, Change]
    """Every changed field (see :func:`field_changes`)."""
    status: Change | None
    groups: dict[str, Change]
    """Per group type that changed: ``{"old": [groups left], "new": [groups joined]}``."""
    attributes: dict[str, Change]
    """Per label of a tracked attribute that changed: its :func:`attribute_change`."""
    memberships: dict[str, list[dict[str, Any]]]
    """``{"added", "removed"}``: every grant gained or lost, as ``{"entitlement_id", **group_ref}``."""

    @property
    def empty(self) -> bool:
        return not self.changes and not self.memberships["added"] and not self.memberships["removed"]


def facts(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    grants: Mapping[str, list[dict[str, Any]]],
    group_types: frozenset[str],
    tracked: tuple[TrackedAttribute, ...],
) -> Facts:
    """The facts of one resource from its two JSON shapes and the grants it gained and lost."""
    changes = field_changes(before, after)
    groups: dict[str, Change] = {}
    for group_type in sorted(group_types):
        left, joined = (
            [group_ref(g) for g in grants[side] if g["entitlement"]["resource_type"] == group_type]
            for side in ("removed", "added")
        )
        if left or joined:
            groups[group_type] = {"old": left, "new": joined}
    attributes = {}
    for attribute in tracked:
        change = attribute_change(attribute, before["profile"], after["profile"])
        if change is not None:
            attributes[attribute.label] = change
    return Facts(
        changes=changes,
        status=changes.get("status"),
        groups=groups,
        attributes=attributes,
        memberships={
            side: [{"entitlement_id": g["entitlement"]["id"], **group_ref(g)} for g in grants[side]]
            for side in ("added", "removed")
        },
    )


def resource_events(
    store: Store, old: int, new: int, grants: GrantDelta, principal_types: frozenset[str]
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any] | None]]:
    """``("added", resource, None)``, ``("removed", resource, None)`` and ``("changed", before, after)``
    in key order within each kind; a resource of ``principal_types`` whose only change is its
    grants comes last as ``changed`` too."""
    for row in store.only_in(new, old):
        yield "added", resource_json(row), None
    for row in store.only_in(old, new):
        yield "removed", resource_json(row), None
    seen: set[ResourceKey] = set()
    for before, after in store.changed_pairs(old, new):
        seen.add((after["resource_type"], after["id"]))
        yield "changed", resource_json(before), resource_json(after)
    for key in sorted(grants.by_principal.keys() - seen):
        pair = store.pair(old, new, *key) if key[0] in principal_types else None
        if pair is not None:
            yield "changed", resource_json(pair[0]), resource_json(pair[1])
