"""An HR-shaped in-memory connector: people in nested departments, with managers.

Its user type declares tracked attributes the way HiBob does (department,
manager, title, lifecycle), so history tests can provoke every
joiner/leaver/mover case without an upstream.
A third type, ``site``, has no trait, to exercise the generic part of the diff.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from framework import hookimpl
from framework.host.context import ConnectorContext
from framework.host.models import (
    ConnectorInfo,
    Email,
    EntitlementSpec,
    Grant,
    Resource,
    ResourceRef,
    ResourceType,
    Status,
    TrackedAttribute,
    Trait,
    UserTrait,
    ValidationReport,
)

USER = ResourceType(
    "user",
    "User",
    (Trait.USER,),
    tracked=(
        TrackedAttribute("department_id", "department", name_key="department"),
        TrackedAttribute("manager_id", "manager", name_key="manager_display_name"),
        TrackedAttribute("title", "title"),
        TrackedAttribute("lifecycle_status", "lifecycle_status", counted=True),
    ),
)
DEPARTMENT = ResourceType("department", "Department", (Trait.GROUP,), (EntitlementSpec("member", "Member"),))
SITE = ResourceType("site", "Site")


@dataclass
class Person:
    name: str
    email: str
    department: str | None = None
    manager: str | None = None
    title: str = "Engineer"
    lifecycle: str | None = "employed"
    """``terminated`` is disabled, None (not readable) unknown, anything else enabled."""
    start_date: str = "2020-01-06"
    termination_date: str | None = None


@dataclass
class Department:
    name: str
    parent: str | None = None


def _status(lifecycle: str | None) -> Status:
    if lifecycle is None:
        return Status.UNKNOWN
    return Status.DISABLED if lifecycle == "terminated" else Status.ENABLED


def company() -> tuple[dict[str, Department], dict[str, Person]]:
    """A small company: engineering with a platform team, sales, support; eight people, one terminated."""
    departments = {
        "d1": Department("Engineering"),
        "d2": Department("Platform", parent="d1"),
        "d3": Department("Sales"),
        "d4": Department("Support"),
    }
    people = {
        "100": Person("Ada Lovelace", "ada@example.com", "d1", None, "CTO"),
        "101": Person("Brian Kernighan", "brian@example.com", "d2", "100"),
        "102": Person("Cleo Ramos", "cleo@example.com", "d2", "100"),
        "103": Person("Dana Scully", "dana@example.com", "d3", "100", "Account Executive"),
        "104": Person("Émile Zola", "emile@example.com", "d3", "103", "Account Executive"),
        "105": Person(
            "Finn Old", "finn@example.com", "d1", "100", lifecycle="terminated", termination_date="2023-01-31"
        ),
        "106": Person("Gus Lee", "gus@example.com", "d4", "103", "Support Engineer"),
        "108": Person("Hana Sato", "hana@example.com", "d3", "103", "Account Executive"),
    }
    return departments, people


@dataclass(eq=False)
class HrToy:
    """Plugin object; tests mutate ``departments``, ``people`` and ``sites`` between syncs."""

    name: str = "hr"
    departments: dict[str, Department] = field(default_factory=lambda: company()[0])
    people: dict[str, Person] = field(default_factory=lambda: company()[1])
    sites: dict[str, str] = field(default_factory=lambda: {"s1": "London"})
    extra_members: dict[str, list[str]] = field(default_factory=dict)
    """Memberships beyond each person's own department (department id -> person ids)."""
    fail: Exception | None = None

    @hookimpl
    def connector_info(self) -> ConnectorInfo:
        return ConnectorInfo(
            name=self.name,
            version="1.0",
            description="HR-shaped toy connector",
            config_fields=(),
            resource_types=(DEPARTMENT, USER, SITE),
        )

    @hookimpl
    def validate(self, ctx: ConnectorContext) -> ValidationReport:
        return ValidationReport()

    @hookimpl
    def list_resources(self, ctx: ConnectorContext, resource_type: ResourceType) -> Iterator[Resource]:
        if resource_type.id == "department":
            for key, dept in self.departments.items():
                parent = ResourceRef("department", dept.parent) if dept.parent else None
                yield Resource("department", key, dept.name, parent=parent)
        elif resource_type.id == "site":
            for key, name in self.sites.items():
                yield Resource("site", key, name)
        else:
            for key, person in self.people.items():
                yield self._user(key, person)

    def _user(self, key: str, person: Person) -> Resource:
        manager = self.people.get(person.manager) if person.manager else None
        dept = self.departments.get(person.department) if person.department else None
        return Resource(
            "user",
            key,
            person.name,
            profile={
                "email": person.email,
                "lifecycle_status": person.lifecycle,
                "start_date": person.start_date,
                "termination_date": person.termination_date,
                "department_id": person.department,
                "department": dept.name if dept else None,
                "title": person.title,
                "manager_id": person.manager,
                "manager_display_name": manager.name if manager else None,
                "manager_email": manager.email if manager else None,
            },
            user=UserTrait(
                _status(person.lifecycle),
                emails=(Email(person.email, primary=True),),
                employee_ids=(key,),
                manager=ResourceRef("user", person.manager) if manager else None,
                start_date=person.start_date,
                end_date=person.termination_date,
            ),
        )

    @hookimpl
    def list_grants(self, ctx: ConnectorContext) -> Iterator[Grant]:
        if self.fail is not None:
            raise self.fail
        for key, person in self.people.items():
            if person.department:
                yield Grant(ResourceRef("department", person.department), "member", ResourceRef("user", key))
        for department, keys in self.extra_members.items():
            for key in keys:
                yield Grant(ResourceRef("department", department), "member", ResourceRef("user", key))
