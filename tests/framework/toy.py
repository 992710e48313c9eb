"""A tiny in-memory connector used to test the host without any upstream."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from framework import hookimpl
from framework.host.context import ConnectorContext
from framework.host.models import (
    ConfigField,
    ConnectorInfo,
    Email,
    EntitlementSpec,
    Grant,
    Resource,
    ResourceRef,
    ResourceType,
    Status,
    Trait,
    UserTrait,
    ValidationReport,
)

PERSON = ResourceType("person", "Person", (Trait.USER,))
TEAM = ResourceType("team", "Team", (Trait.GROUP,), (EntitlementSpec("member", "Member"),))


@dataclass(eq=False)
class ToyRun:
    """The toy's typed run state: which run it is."""

    number: int


@dataclass(eq=False)
class ToyPlugin:
    """Plugin object; tests change its data to provoke host behaviour."""

    name: str = "toy"
    people: list[str] = field(default_factory=lambda: ["ann", "bob", "cid"])
    teams: dict[str, list[str]] = field(default_factory=lambda: {"red": ["ann", "bob"], "blue": ["cid"]})
    fail_in_grants: Exception | None = None
    valid: bool = True
    managers: dict[str, str] = field(default_factory=dict)
    """Person -> their manager's person id (need not be listed)."""
    bad_traits: str | None = None
    """``drop_user_trait`` or ``user_trait_on_team``: trait data that does not fit the type."""
    calls: list[str] = field(default_factory=list)
    runs: list[ToyRun] = field(default_factory=list)
    """Every run object made, and (in ``seen``) the one each hook got."""
    seen: list[ToyRun] = field(default_factory=list)

    @hookimpl
    def connector_info(self) -> ConnectorInfo:
        self.calls.append("connector_info")
        return ConnectorInfo(
            name=self.name,
            version="1.0",
            description="toy connector",
            config_fields=(
                ConfigField("toy-url", "where the toys are"),
                ConfigField("toy-token", "toy secret", secret=True),
            ),
            resource_types=(TEAM, PERSON),
        )

    @hookimpl
    def start_run(self) -> ToyRun:
        self.runs.append(ToyRun(len(self.runs) + 1))
        return self.runs[-1]

    @hookimpl
    def validate(self, run: ToyRun) -> ValidationReport:
        self.calls.append("validate")
        self.seen.append(run)
        report = ValidationReport()
        report.add("toys", self.valid, "toys readable" if self.valid else "toys unreadable")
        return report

    @hookimpl
    def list_resources(self, ctx: ConnectorContext, resource_type: ResourceType, run: ToyRun) -> Iterator[Resource]:
        self.calls.append(f"list_resources:{resource_type.id}")
        self.seen.append(run)
        if resource_type.id == "team":
            for team in self.teams:
                trait = UserTrait(Status.ENABLED) if self.bad_traits == "user_trait_on_team" else None
                yield Resource("team", team, team.title(), user=trait)
        else:
            for person in self.people:
                yield Resource(
                    "person",
                    person,
                    person.title(),
                    profile={"token_seen": len(ctx.config["toy-token"])},
                    user=None
                    if self.bad_traits == "drop_user_trait"
                    else UserTrait(
                        Status.DISABLED if person == "cid" else Status.ENABLED,
                        emails=(Email(f"{person}@example.com", primary=True),),
                        manager=ResourceRef("person", self.managers[person]) if person in self.managers else None,
                    ),
                )

    @hookimpl
    def list_grants(self, run: ToyRun) -> Iterator[Grant]:
        self.calls.append("list_grants")
        self.seen.append(run)
        for team, members in self.teams.items():
            for person in members:
                if self.fail_in_grants is not None:
                    raise self.fail_in_grants
                yield Grant(ResourceRef("team", team), "member", ResourceRef("person", person))
