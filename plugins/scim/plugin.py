"""The SCIM connector's hook implementations: wiring between the host and this package.

A sync costs two discovery requests, then one request per page of users and
of groups. Group members come inline with each group, so grants need no
request of their own: they are kept in the run's :class:`ScimRun` while groups
are listed and checked against the listed users and groups afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from scim2_models import Group

from framework import hookimpl
from framework.host.context import ConnectorContext
from framework.host.errors import PluginError
from framework.host.models import ConnectorInfo, Grant, Resource, ResourceType, ValidationReport
from plugins.scim import __version__
from plugins.scim.client import GROUPS, RESOURCE_TYPES, SERVICE_PROVIDER_CONFIG, USERS, ScimClient
from plugins.scim.config import BASE_URL, BEARER_TOKEN, CONFIG_FIELDS, NAME, load_config
from plugins.scim.mapping import GROUP, USER, group_resource, membership_grants, user_resource


@dataclass
class ScimRun:
    """What one run keeps between hooks: one client (discovery happens once) and what was listed."""

    client: ScimClient
    users: set[str] | None = None
    """Ids of the users listed in this run, once they all are."""
    groups: list[Group] | None = None
    """The groups listed in this run, members included, once they all are."""


@hookimpl
def start_run(ctx: ConnectorContext) -> ScimRun:
    return ScimRun(ScimClient(ctx, load_config(ctx.config)))


@hookimpl
def connector_info() -> ConnectorInfo:
    return ConnectorInfo(
        name=NAME,
        version=__version__,
        description="Any SCIM 2.0 service provider's users (active: false disabled, no active unknown) and groups, "
        "nested groups included. Read-only.",
        config_fields=CONFIG_FIELDS,
        resource_types=(USER, GROUP),
    )


@hookimpl
def validate(run: ScimRun) -> ValidationReport:
    """Discovery, then one-resource pages of Users and Groups: the token is accepted and may list both.

    A refused token raises :class:`~framework.host.errors.AuthError` at the first request.
    """
    client = run.client
    report = ValidationReport()
    discovery = client.discover()
    missing = [path for path in (SERVICE_PROVIDER_CONFIG, RESOURCE_TYPES) if path not in discovery.found]
    report.add(
        "discovery",
        not missing,
        f"read {', '.join(discovery.found)}"
        if not missing
        else f"no {' or '.join(missing)}; the RFC's defaults are used ({USERS}, {GROUPS})",
        severity="warning",
    )
    report.add("users", True, f"{discovery.users} lists {client.user_count()} users")
    if discovery.groups is None:
        report.add("groups", False, "the provider declares no Group resource type; no groups are synced", "warning")
    else:
        report.add("groups", True, f"{discovery.groups} lists {client.group_count()} groups")
    return report


@hookimpl
def list_resources(ctx: ConnectorContext, resource_type: ResourceType, run: ScimRun) -> Iterable[Resource]:
    if resource_type.id == USER.id:
        return _list_users(ctx, run)
    if resource_type.id == GROUP.id:
        return _list_groups(run)
    raise PluginError(f"{NAME} does not list resources of type {resource_type.id!r}")


@hookimpl
def list_grants(ctx: ConnectorContext, run: ScimRun) -> Iterable[Grant]:
    """Members of the groups listed in this run; lists users and groups first if the host has not."""
    if run.users is None:
        for _ in _list_users(ctx, run):
            pass
    if run.groups is None:
        for _ in _list_groups(run):
            pass
    users, groups = run.users or set(), run.groups or []
    group_ids = {str(group.id) for group in groups}
    return (grant for group in groups for grant in membership_grants(group, users, group_ids, ctx.warn))


@hookimpl
@contextmanager
def demo_upstream(step: int) -> Iterator[dict[str, str]]:
    """scim2-server on loopback, seeded with the accounts of the demo company ``step`` steps on.

    Ids are derived from user and group names, so every run serves the same
    account under the same id and a later step syncs as changes, not as a new tenant.
    """
    from plugins.scim.demo import demo_tenant
    from plugins.scim.upstream import ScimServer

    with ScimServer(predictable_ids=True) as server:
        server.seed(demo_tenant(step))
        yield {BASE_URL.name: server.base_url, BEARER_TOKEN.name: server.token}


def _list_users(ctx: ConnectorContext, run: ScimRun) -> Iterator[Resource]:
    ids: set[str] = set()
    for user in run.client.users():
        ids.add(str(user.id))
        yield user_resource(user, ctx.warn)
    run.users = ids


def _list_groups(run: ScimRun) -> Iterator[Resource]:
    groups: list[Group] = []
    for group in run.client.groups():
        groups.append(group)
        yield group_resource(group)
    run.groups = groups
