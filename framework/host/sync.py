"""Driving one sync: the host asks, the plugin answers, the store keeps.

Plugins never touch the store. The host validates first, then streams each
resource type and the grants into one transaction in batches, derives
entitlements from the declared resource types, refuses references to things
the same sync did not list, and only then marks the sync complete.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeVar

from framework.host import config
from framework.host.context import ConnectorContext
from framework.host.errors import ConflictingData, IntegrityError, PluginError, StoreError, ValidationFailed
from framework.host.guard import DEFAULT_LIMIT, RemovalLimit, check_removals
from framework.host.models import Entitlement, Grant, Resource, ResourceType, Trait, ValidationReport
from framework.host.plugins import Connector
from framework.host.quality import warn_data_quality
from framework.store.file import Store

log = logging.getLogger(__name__)

BATCH_SIZE = 2000
T = TypeVar("T")

StoredCallback = Callable[[str, int], None]


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


@dataclass(frozen=True, slots=True)
class SyncResult:
    sync_id: int
    summary: dict[str, Any]


def run_sync(
    connector: Connector,
    ctx: ConnectorContext,
    store: Store,
    on_stored: StoredCallback | None = None,
    keep: int = config.DEFAULT_KEEP,
    max_removals: RemovalLimit = DEFAULT_LIMIT,
) -> SyncResult:
    """Run a full sync into ``store`` and return its id and summary.

    On any failure, including KeyboardInterrupt, the run is recorded as failed
    with its reason and nothing it fetched is kept. A sync that would remove more
    users than ``max_removals`` allows is refused the same way
    (:class:`~framework.host.errors.RemovalsRefused`). On success, complete syncs
    of the plugin beyond the newest ``keep`` are pruned in the same transaction.
    Either way the run ends: ``ctx`` closes its HTTP clients and drops the
    plugin's run object.
    """
    info = connector.info()
    started = time.monotonic()
    sync_id = store.begin_sync(info.name, info.version)
    try:
        ctx.sync_follows = True
        report = connector.validate(ctx)
        _refuse_invalid(report)
        with store.transaction():
            store.add_resource_types(sync_id, info.resource_types)
            for resource_type in info.resource_types:
                _store_resources(connector, ctx, store, sync_id, resource_type, on_stored)
            _store_grants(connector, ctx, store, sync_id, on_stored)
            # The plugin may have added findings measured while listing (see ConnectorContext.sync_follows).
            _refuse_invalid(report)
            _refuse_dangling(store, sync_id)
            removals = _guard_removals(store, sync_id, info.name, max_removals)
            warn_data_quality(store, sync_id, ctx)
            pruned = store.apply_retention(keep, sync_id)
            if pruned:
                log.info("pruned %d older sync(s) %s, keeping %d", len(pruned), pruned, keep)
            summary = {
                "plugin": info.name,
                "plugin_version": info.version,
                "counts": store.counts(sync_id),
                "warnings": [w.as_dict() for w in ctx.warnings.values()],
                "validation": [finding.as_dict() for finding in report.findings],
                "http": ctx.http_stats.as_dict(),
                "retention": {"keep": keep, "pruned": len(pruned), "pruned_sync_ids": pruned},
                "removals": removals,
                "duration_seconds": round(time.monotonic() - started, 3),
            }
            store.complete_sync(sync_id, summary)
    except ConflictingData as exc:
        reason = f"plugin {info.name!r} returned {exc}"
        store.fail_sync(sync_id, reason)
        raise IntegrityError(reason) from None
    except StoreError as exc:
        store.fail_sync(sync_id, f"sync file error: {exc}")
        raise
    except BaseException as exc:
        store.fail_sync(sync_id, str(exc) or type(exc).__name__)
        raise
    finally:
        ctx.close()
    return SyncResult(sync_id, summary)


def _store_resources(
    connector: Connector,
    ctx: ConnectorContext,
    store: Store,
    sync_id: int,
    resource_type: ResourceType,
    on_stored: StoredCallback | None,
) -> None:
    stored = 0
    user, group = Trait.USER in resource_type.traits, Trait.GROUP in resource_type.traits
    for batch in batched(connector.list_resources(ctx, resource_type), BATCH_SIZE):
        for resource in batch:
            if not isinstance(resource, Resource) or resource.resource_type != resource_type.id:
                raise PluginError(
                    f"plugin {connector.name!r} listed {resource!r} while asked for {resource_type.id!r} resources"
                )
            if (resource.user is None) == user or (resource.group is not None and not group):
                raise PluginError(_trait_mismatch(connector.name, resource_type, resource))
        store.add_resources(sync_id, batch)
        if resource_type.entitlements:
            store.add_entitlements(
                sync_id,
                [
                    Entitlement(r.ref, spec.slug, f"{r.display_name} {spec.display_name}", spec.description)
                    for r in batch
                    for spec in resource_type.entitlements
                ],
            )
        stored += len(batch)
        if on_stored:
            on_stored(resource_type.id, stored)
    log.debug("stored %d %s resources", stored, resource_type.id)


def _trait_mismatch(plugin: str, resource_type: ResourceType, resource: Resource) -> str:
    """Why a resource's trait data does not fit its type (ids only: no personal data)."""
    ref = f"{resource.resource_type}:{resource.id}"
    if resource.user is None and Trait.USER in resource_type.traits:
        problem = "carries no user trait, though its type has the user trait"
    elif resource.user is not None and Trait.USER not in resource_type.traits:
        problem = "carries a user trait, though its type is not a user type"
    else:
        problem = "carries a group trait, though its type is not a group type"
    return f"plugin {plugin!r}: resource {ref} {problem}"


def _store_grants(
    connector: Connector,
    ctx: ConnectorContext,
    store: Store,
    sync_id: int,
    on_stored: StoredCallback | None,
) -> None:
    stored = 0
    for batch in batched(connector.list_grants(ctx), BATCH_SIZE):
        if not all(isinstance(grant, Grant) for grant in batch):
            raise PluginError(f"plugin {connector.name!r}: list_grants yielded something other than a Grant")
        store.add_grants(sync_id, batch)
        stored += len(batch)
        if on_stored:
            on_stored("grants", stored)
    log.debug("stored %d grants", stored)


def _guard_removals(store: Store, sync_id: int, plugin: str, limit: RemovalLimit) -> dict[str, int | str] | None:
    """The removal guard's counts for the summary (None for a first sync); raises
    RemovalsRefused when too many users of the previous sync would disappear."""
    compared = store.removed_users(sync_id, plugin)
    return None if compared is None else check_removals(limit, *compared)


def _refuse_invalid(report: ValidationReport) -> None:
    if report.errors:
        raise ValidationFailed("validation failed: " + "; ".join(report.errors))


def _refuse_dangling(store: Store, sync_id: int) -> None:
    dangling = store.dangling(sync_id)
    if dangling:
        parts = [f"{count} {what} (e.g. {', '.join(examples)})" for what, (count, examples) in dangling.items()]
        raise IntegrityError("refused the sync: " + "; ".join(parts))
