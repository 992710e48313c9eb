"""The hooks a connector plugin implements.

A plugin is a module (or object) registered under the entry-point group
``framework.connectors``; its name is the entry-point name. The host calls each
hook on exactly one plugin at a time, so every hook is ``firstresult``: an
implementation answers for its own connector only.

Call order in a sync: ``connector_info`` → ``start_run`` → ``validate`` →
``list_resources`` once per declared resource type, in declaration order →
``list_grants``. All calls of one run share one
:class:`~framework.host.context.ConnectorContext` and one ``run``: the object
the plugin's ``start_run`` returned (None when it does not implement it). pluggy
passes an implementation only the arguments it names, so a plugin without run
state leaves ``run`` out of its signatures.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from framework.host.context import ConnectorContext
    from framework.host.models import ConnectorInfo, Grant, Resource, ResourceType, ValidationReport

hookspec = pluggy.HookspecMarker("framework")


@hookspec(firstresult=True)
def connector_info() -> ConnectorInfo:
    """Describe the connector: name, version, config fields, resource types.

    Called whenever the host lists plugins, builds the command-line flags for
    a connector, or starts a run. Must be cheap and make no network calls.
    The returned ``name`` must equal the plugin's entry-point name.
    """


@hookspec(firstresult=True)
def start_run(ctx: ConnectorContext) -> Any:
    """Optional: create the plugin's state for one run, e.g. a typed ``AcmeRun(client=...)``.

    Called once per run, before the first of ``validate``, ``list_resources`` and
    ``list_grants``, which then receive the returned object as ``run``. Keep here
    what one hook fetches and another reuses (an API client, an index, the ids
    seen while listing). Must return a non-None object; it is dropped when the
    run ends.
    """


@hookspec(firstresult=True)
def validate(ctx: ConnectorContext, run: Any) -> ValidationReport:
    """Check that the configured credentials can read everything a sync needs.

    Called by ``connector validate`` and at the start of every sync, before any
    data is fetched; a report with a failed error-severity finding stops the
    sync. ``ctx.config`` holds every declared field, already checked for
    presence. Raise :class:`~framework.host.errors.ConnectorError` subclasses for
    failures that make further checks pointless (a refused credential).

    In a sync ``ctx.sync_follows`` is true: checks that the listing can measure
    from data it fetches anyway may be left to it, adding their findings to the
    returned report while listing. The host reads the report again after the
    listing: an error added then fails the sync, and every finding lands in the
    sync summary.
    """


@hookspec(firstresult=True)
def list_resources(ctx: ConnectorContext, resource_type: ResourceType, run: Any) -> Iterable[Resource]:
    """Yield every resource of ``resource_type``.

    Called once per resource type declared in ``connector_info``, in that
    order. Return a generator for large collections: the host stores resources
    in batches as they arrive. Ids must be unique within the type and stable
    across runs; a ``parent`` must be a resource listed in the same run.
    """


@hookspec(firstresult=True)
def list_grants(ctx: ConnectorContext, run: Any) -> Iterable[Grant]:
    """Yield every grant: which principal holds which entitlement.

    Called once, after every resource type has been listed in the same run,
    so an implementation may reuse what it kept in ``run`` instead of
    calling the upstream again. The host rejects a grant whose resource,
    entitlement slug or principal was not listed in this run.
    """


@hookspec(firstresult=True)
def demo_upstream(step: int) -> AbstractContextManager[dict[str, str]]:
    """Optional: a context manager that runs a local stand-in for the upstream.

    Called by ``connector demo`` and ``connector simulator``. On entry it
    starts the stand-in and yields a config mapping (field name to value) that
    points the connector at it; on exit it stops the stand-in. Plugins without
    a stand-in do not implement it.

    ``step`` (0 or more) is how far the demo data has moved on: step 0 is the
    demo as it starts, and each step after it brings a few joiners, movers and
    leavers, the same ones every time, so ``connector diff`` between two steps
    has something to show. A stand-in whose data never changes may ignore it
    (pluggy lets an implementation leave the argument out).
    """
