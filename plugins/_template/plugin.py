"""The Skeleton connector's hook implementations: the wiring between the host and this package.

The host calls ``connector_info``, ``start_run``, ``validate``,
``list_resources`` once per resource type in declaration order (teams, then
users), then ``list_grants``, all with one run context and the one
:class:`SkeletonRun` that ``start_run`` made. The ids seen while listing are
kept in it, so ``list_grants`` can skip a membership of someone the sync did not
list (the host refuses a grant to nobody) and say so in the run's warnings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from framework import hookimpl
from framework.host.context import ConnectorContext
from framework.host.errors import PluginError
from framework.host.models import ConnectorInfo, Grant, Resource, ResourceType, ValidationReport

from plugins._template import __version__
from plugins._template.client import SkeletonClient
from plugins._template.config import CONFIG_FIELDS, NAME, load_config
from plugins._template.mapping import TEAM, USER, membership_grant, team_resource, user_resource

REQUIRED_SCOPES = {"users:read": "list users", "teams:read": "list teams and their members"}


@dataclass
class SkeletonRun:
    """What one run keeps between hooks: one client, and the ids listed per resource type."""

    client: SkeletonClient
    listed: dict[str, list[str]] = field(default_factory=dict)
    """Resource type id -> the ids listed in this run, once the listing is complete."""


@hookimpl
def start_run(ctx: ConnectorContext) -> SkeletonRun:
    return SkeletonRun(SkeletonClient(ctx, load_config(ctx.config)))


@hookimpl
def connector_info() -> ConnectorInfo:
    return ConnectorInfo(
        name=NAME,
        version=__version__,
        description="Skeleton users as users (suspended ones disabled) and teams as groups. Read-only.",
        config_fields=CONFIG_FIELDS,
        resource_types=(TEAM, USER),
    )


@hookimpl
def validate(run: SkeletonRun) -> ValidationReport:
    """One cheap call: a refused token raises AuthError; a missing scope is a failed finding."""
    me = run.client.me()
    report = ValidationReport()
    for scope, needed_for in REQUIRED_SCOPES.items():
        granted = scope in me.scopes
        message = f"token {me.id} may {needed_for}" if granted else f"the token lacks the {scope} scope to {needed_for}"
        report.add(scope, granted, message)
    return report


@hookimpl
def list_resources(resource_type: ResourceType, run: SkeletonRun) -> Iterable[Resource]:
    if resource_type.id == TEAM.id:
        return _kept(run, TEAM, (team_resource(team) for team in run.client.teams()))
    if resource_type.id == USER.id:
        return _kept(run, USER, (user_resource(user) for user in run.client.users()))
    raise PluginError(f"{NAME} does not list resources of type {resource_type.id!r}")


@hookimpl
def list_grants(ctx: ConnectorContext, run: SkeletonRun) -> Iterable[Grant]:
    users = set(_listed_ids(run, USER))
    for team_id in _listed_ids(run, TEAM):
        for member in run.client.members(team_id):
            if member.user_id in users:
                yield membership_grant(team_id, member.user_id)
            else:
                ctx.warn(
                    "member_unknown", "team member who is not a listed user; no grant", f"{team_id}/{member.user_id}"
                )


@hookimpl
@contextmanager
def demo_upstream(step: int) -> Iterator[dict[str, str]]:
    """The bundled stand-in upstream on loopback, its data ``step`` steps on; imported here so a sync never loads it."""
    from plugins._template.upstream import SkeletonData, SkeletonUpstream

    with SkeletonUpstream(SkeletonData().moved_on(step)) as upstream:
        yield upstream.config


def _kept(run: SkeletonRun, resource_type: ResourceType, resources: Iterator[Resource]) -> Iterator[Resource]:
    """Pass resources through, keeping their ids for ``list_grants`` once the listing is complete."""
    seen: list[str] = []
    for resource in resources:
        seen.append(resource.id)
        yield resource
    run.listed[resource_type.id] = seen


def _listed_ids(run: SkeletonRun, resource_type: ResourceType) -> list[str]:
    """The ids listed earlier in this run; listed now if the host has not asked for them yet."""
    if resource_type.id not in run.listed:
        for _ in list_resources(resource_type, run):
            pass
    return run.listed[resource_type.id]
