"""The Skeleton connector's hook implementations: the wiring between the host and this package.

The host calls ``connector_info``, ``validate``, ``list_resources`` once per
resource type in declaration order (teams, then users), then ``list_grants``,
all with one run context. The ids seen while listing are kept in ``ctx.state``,
so ``list_grants`` can skip a membership of someone the sync did not list (the
host refuses a grant to nobody) and say so in the run's warnings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from framework import hookimpl
from framework.host.context import ConnectorContext
from framework.host.errors import PluginError
from framework.host.models import ConnectorInfo, Grant, Resource, ResourceType, ValidationReport
from plugins._template import __version__
from plugins._template.client import SkeletonClient
from plugins._template.config import CONFIG_FIELDS, NAME, load_config
from plugins._template.mapping import TEAM, USER, membership_grant, team_resource, user_resource

REQUIRED_SCOPES = {"users:read": "list users", "teams:read": "list teams and their members"}
CLIENT_STATE = f"{NAME}.client"


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
def validate(ctx: ConnectorContext) -> ValidationReport:
    """One cheap call: a refused token raises AuthError; a missing scope is a failed finding."""
    me = _client(ctx).me()
    report = ValidationReport()
    for scope, needed_for in REQUIRED_SCOPES.items():
        granted = scope in me.scopes
        message = f"token {me.id} may {needed_for}" if granted else f"the token lacks the {scope} scope to {needed_for}"
        report.add(scope, granted, message)
    return report


@hookimpl
def list_resources(ctx: ConnectorContext, resource_type: ResourceType) -> Iterable[Resource]:
    if resource_type.id == TEAM.id:
        return _kept(ctx, TEAM, (team_resource(team) for team in _client(ctx).teams()))
    if resource_type.id == USER.id:
        return _kept(ctx, USER, (user_resource(user) for user in _client(ctx).users()))
    raise PluginError(f"{NAME} does not list resources of type {resource_type.id!r}")


@hookimpl
def list_grants(ctx: ConnectorContext) -> Iterable[Grant]:
    client = _client(ctx)
    users = set(_listed_ids(ctx, USER))
    for team_id in _listed_ids(ctx, TEAM):
        for member in client.members(team_id):
            if member.user_id in users:
                yield membership_grant(team_id, member.user_id)
            else:
                ctx.warn(
                    "member_unknown", "team member who is not a listed user; no grant", f"{team_id}/{member.user_id}"
                )


@hookimpl
@contextmanager
def demo_upstream() -> Iterator[dict[str, str]]:
    """The bundled stand-in upstream on loopback; imported here so a sync never loads it."""
    from plugins._template.upstream import SkeletonUpstream

    with SkeletonUpstream() as upstream:
        yield upstream.config


def _kept(ctx: ConnectorContext, resource_type: ResourceType, resources: Iterator[Resource]) -> Iterator[Resource]:
    """Pass resources through, keeping their ids for ``list_grants`` once the listing is complete."""
    seen: list[str] = []
    for resource in resources:
        seen.append(resource.id)
        yield resource
    ctx.state[f"{NAME}.{resource_type.id}_ids"] = seen


def _listed_ids(ctx: ConnectorContext, resource_type: ResourceType) -> list[str]:
    """The ids listed earlier in this run; listed now if the host has not asked for them yet."""
    key = f"{NAME}.{resource_type.id}_ids"
    if key not in ctx.state:
        for _ in list_resources(ctx, resource_type):
            pass
    ids: list[str] = ctx.state[key]
    return ids


def _client(ctx: ConnectorContext) -> SkeletonClient:
    """One client per run, shared by every hook."""
    client = ctx.state.get(CLIENT_STATE)
    if not isinstance(client, SkeletonClient):
        client = ctx.state[CLIENT_STATE] = SkeletonClient(ctx, load_config(ctx.config))
    return client
