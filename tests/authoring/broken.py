"""A connector with the bugs connector authors make most, one switched on at a time.

It talks to the template's stand-in upstream over real HTTP through
``ctx.http_client``, like a real plugin, so the conformance suite meets each
bug the way it would meet it in a new connector.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from framework import hookimpl
from framework.host.context import ConnectorContext
from framework.host.models import (
    ConfigField,
    ConnectorInfo,
    Email,
    Grant,
    Resource,
    ResourceRef,
    ResourceType,
    Status,
    UserTrait,
    ValidationReport,
)
from plugins._template.mapping import MEMBER, TEAM, USER

BUGS = (
    "none",
    "one_page",
    "stuck_cursor",
    "never_ends",
    "unstable_ids",
    "duplicate_ids",
    "dangling_grant",
    "bad_users",
    "crashing_validate",
    "leaky_validate",
)
BASE_URL = ConfigField("broken-base-url", "stand-in base URL")
TOKEN = ConfigField("broken-api-token", "stand-in token", secret=True)


@dataclass(eq=False)
class BrokenPlugin:
    bug: str = "none"
    name: str = "broken"
    runs: int = 0

    @hookimpl
    def connector_info(self) -> ConnectorInfo:
        return ConnectorInfo(self.name, "0.0.1", "a connector with one bug", (BASE_URL, TOKEN), (TEAM, USER))

    @hookimpl
    def validate(self, ctx: ConnectorContext) -> ValidationReport:
        self.runs += 1
        report = ValidationReport()
        if self.bug == "crashing_validate":
            raise KeyError(TOKEN.name)
        try:
            self._get(ctx, "/me", {})
        except Exception:
            if self.bug == "leaky_validate":
                report.add("token", False, f"token {ctx.config[TOKEN.name]} was refused")
                return report
            raise
        report.add("token", True, "token accepted")
        return report

    @hookimpl
    def list_resources(self, ctx: ConnectorContext, resource_type: ResourceType) -> Iterator[Resource]:
        if resource_type.id == TEAM.id:
            for team in self._pages(ctx, "/teams"):
                parent = ResourceRef(TEAM.id, team["parent_id"]) if team["parent_id"] else None
                yield Resource(TEAM.id, team["id"], team["name"], parent=parent)
            return
        for index, user in enumerate(self._pages(ctx, "/users")):
            user_id = f"{user['id']}-run{self.runs}" if self.bug == "unstable_ids" else str(user["id"])
            if self.bug == "duplicate_ids" and index == 1:
                user_id = "1001"
            bad = self.bug == "bad_users" and index == 0
            email = "not an email" if bad else user["email"]
            yield Resource(
                USER.id,
                user_id,
                "" if bad else user["name"],
                user=UserTrait(Status.ENABLED, emails=(Email(email, primary=True),) if email else ()),
            )

    @hookimpl
    def list_grants(self, ctx: ConnectorContext) -> Iterator[Grant]:
        for team in self._pages(ctx, "/teams"):
            for member in self._pages(ctx, f"/teams/{team['id']}/members"):
                user_id = (
                    f"{member['user_id']}-run{self.runs}" if self.bug == "unstable_ids" else str(member["user_id"])
                )
                yield Grant(ResourceRef(TEAM.id, team["id"]), MEMBER.slug, ResourceRef(USER.id, user_id))
        if self.bug == "dangling_grant":
            yield Grant(ResourceRef(TEAM.id, "eng"), MEMBER.slug, ResourceRef(USER.id, "ghost"))

    def _get(self, ctx: ConnectorContext, path: str, params: dict[str, str]) -> Any:
        client = ctx.http_client(ctx.config[BASE_URL.name])
        client.session.headers["Authorization"] = f"Bearer {ctx.config[TOKEN.name]}"
        return client.request("GET", path, params=params).json()

    def _pages(self, ctx: ConnectorContext, path: str) -> Iterator[dict[str, Any]]:
        cursor: str | None = None
        while True:
            body = self._get(ctx, path, {"cursor": cursor} if cursor else {})
            yield from body["data"]
            if self.bug == "one_page":
                return
            next_cursor = body["next_cursor"]
            if next_cursor is None and self.bug != "never_ends":
                return
            cursor = (cursor or next_cursor) if self.bug == "stuck_cursor" else next_cursor
