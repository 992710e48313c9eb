"""``connector stats``: counts per resource type and status, per counted attribute value, and per group.

Relies on resource-type traits (``user``, ``group``) and the attributes each
type declares as counted, never on plugin names, so it works for any connector.
"""

from __future__ import annotations

import json
from typing import Any

from framework.host.models import Trait
from framework.store.file import Store


def ref(resource_type: str | None, resource_id: str | None) -> dict[str, str] | None:
    """``{"resource_type", "id"}``, or None when either is missing."""
    return None if resource_id is None or resource_type is None else {"resource_type": resource_type, "id": resource_id}


def stats(store: Store, sync_id: int) -> dict[str, Any]:
    """The public ``connector stats`` shape (docs/cli-json.md)."""
    users = store.types_with_trait(sync_id, Trait.USER)
    groups = store.types_with_trait(sync_id, Trait.GROUP)
    ungrouped = store.without_group(sync_id, users, groups)
    attributes: list[dict[str, Any]] = []
    listed_as: dict[str, list[dict[str, Any]]] = {}
    for type_id, tracked in sorted(store.tracked(sync_id).items()):
        for attribute in tracked:
            if not attribute.counted:
                continue
            for row in store.value_counts(sync_id, type_id, attribute.key):
                attributes.append(
                    {
                        "resource_type": type_id,
                        "key": attribute.key,
                        "label": attribute.label,
                        "value": row["value"],
                        "count": row["count"],
                    }
                )
                if attribute.stats_key:
                    listed_as.setdefault(attribute.stats_key, []).append(
                        {"resource_type": type_id, attribute.key: row["value"], "count": row["count"]}
                    )
    counts = store.counts(sync_id)
    shape = {
        "sync_id": sync_id,
        "resource_types": [
            {
                "resource_type": row["id"],
                "traits": json.loads(row["traits"]),
                "total": row["total"],
                "enabled": row["enabled"],
                "disabled": row["disabled"],
                "unknown": row["unknown"],
                "without_group": ungrouped.get(row["id"], 0) if row["id"] in users else None,
            }
            for row in store.type_totals(sync_id)
        ],
        "attributes": attributes,
        "groups": [
            {
                "resource_type": row["resource_type"],
                "id": row["id"],
                "display_name": row["display_name"],
                "parent": ref(row["parent_type"], row["parent_id"]),
                "members": row["members"],
                "enabled_members": row["enabled_members"],
            }
            for row in store.group_sizes(sync_id, groups)
        ],
        "entitlements": counts["entitlements"],
        "grants": counts["grants"],
    }
    return {**listed_as, **shape}
