"""The one in-memory toy connector the host's tests register, one instance per test.

A toy lists people (users) in groups, and optionally sites (a type with no
trait), from plain Python data that a test edits between syncs to provoke host
behaviour: joiners, leavers and movers, dangling grants, duplicate ids, trait
data that does not fit its type, failures in a hook, a failed validation.
Like datasette's and llm's test plugins, a test builds its own instance and
registers it for itself only (:func:`registered`).

Two presets give its shape:

- :meth:`Toy.teams`: ``person`` users ``ann``, ``bob``, ``cid`` (``cid`` has
  left) in ``team`` groups ``red`` and ``blue``; the settings ``toy-url`` and
  ``toy-token`` (secret). The sync, guard and plugin-manager tests use it.
- :meth:`Toy.company`: an HR-shaped company of eight ``user`` people in four
  nested ``department`` groups, with managers, and a ``site``; the user type
  declares tracked attributes the way HiBob does (department, manager, title,
  lifecycle), so the history tests can provoke every joiner/mover/leaver case.

Memberships: each person belongs to their ``department`` (a group id), plus
``extra_members``. A person's ``lifecycle`` maps to the status: ``terminated``
is disabled, None (not readable) unknown, anything else enabled.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal

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
    TrackedAttribute,
    Trait,
    UserTrait,
    ValidationReport,
)
from framework.host.plugins import ConnectorManager, get_plugin_manager, register

MEMBER = (EntitlementSpec("member", "Member"),)
PERSON = ResourceType("person", "Person", (Trait.USER,))
TEAM = ResourceType("team", "Team", (Trait.GROUP,), MEMBER)
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
DEPARTMENT = ResourceType("department", "Department", (Trait.GROUP,), MEMBER)
SITE = ResourceType("site", "Site")

BadTraits = Literal["drop_user_trait", "user_trait_on_group"]


@dataclass
class Person:
    name: str
    email: str
    department: str | None = None
    """The id of the group this person belongs to."""
    manager: str | None = None
    """The manager's person id; need not be listed (the host then warns)."""
    title: str = "Engineer"
    lifecycle: str | None = "employed"
    """``terminated`` is disabled, None (not readable) unknown, anything else enabled."""
    start_date: str = "2020-01-06"
    termination_date: str | None = None


@dataclass
class Department:
    name: str
    parent: str | None = None


@dataclass(eq=False)
class ToyRun:
    """The toy's typed run state: which run it is."""

    number: int


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
class Toy:
    """Plugin object; tests edit its data between syncs (see the module docstring)."""

    name: str
    user_type: ResourceType
    group_type: ResourceType
    departments: dict[str, Department]
    """Groups by id."""
    people: dict[str, Person]
    sites: dict[str, str] | None = None
    """Site id -> name; None: the toy declares no site type."""
    config_fields: tuple[ConfigField, ...] = ()
    extra_members: dict[str, list[str]] = field(default_factory=dict)
    """Memberships beyond each person's own group (group id -> person ids, listed or not)."""
    listed_twice: list[str] = field(default_factory=list)
    """Person ids listed a second time (the host must refuse duplicate ids)."""
    bad_traits: BadTraits | None = None
    """Trait data that does not fit the type: the first user without a user trait,
    or the first group with one."""
    fail: Exception | None = None
    """Raised by ``list_grants`` before its first grant."""
    valid: bool = True
    calls: list[str] = field(default_factory=list)
    """The hooks called, in order (``list_resources:<type>``)."""
    runs: list[ToyRun] = field(default_factory=list)
    """Every run object made, and (in ``seen``) the one each hook got."""
    seen: list[ToyRun] = field(default_factory=list)

    @classmethod
    def teams(cls, name: str = "toy") -> Toy:
        """``ann`` and ``bob`` in team ``red``, ``cid`` (left) in ``blue``; settings ``toy-url``, ``toy-token``."""
        return cls(
            name,
            PERSON,
            TEAM,
            departments={"red": Department("Red"), "blue": Department("Blue")},
            people={
                "ann": Person("Ann", "ann@example.com", "red"),
                "bob": Person("Bob", "bob@example.com", "red"),
                "cid": Person("Cid", "cid@example.com", "blue", lifecycle="terminated"),
            },
            config_fields=(
                ConfigField("toy-url", "where the toys are"),
                ConfigField("toy-token", "toy secret", secret=True),
            ),
        )

    @classmethod
    def company(cls, name: str = "hr") -> Toy:
        """The HR-shaped :func:`company` with HiBob-like tracked attributes and site ``s1`` (London)."""
        departments, people = company()
        return cls(name, USER, DEPARTMENT, departments, people, sites={"s1": "London"})

    def keep(self, people: Iterable[str], members: dict[str, list[str]]) -> None:
        """Keep only these people and the groups in ``members``, each with exactly the members given."""
        self.people = {key: self.people[key] for key in people}
        self.departments = {key: self.departments[key] for key in members}
        for person in self.people.values():
            person.department = None
        self.extra_members = {key: list(keys) for key, keys in members.items()}

    @hookimpl
    def connector_info(self) -> ConnectorInfo:
        self.calls.append("connector_info")
        types = (self.group_type, self.user_type) + ((SITE,) if self.sites is not None else ())
        return ConnectorInfo(
            name=self.name,
            version="1.0",
            description="toy connector",
            config_fields=self.config_fields,
            resource_types=types,
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
        if resource_type == self.group_type:
            yield from self._groups()
        elif resource_type == self.user_type:
            for key, person in self.people.items():
                yield self._user(key, person, key == next(iter(self.people)))
            for key in self.listed_twice:
                yield self._user(key, self.people[key], False)
        else:
            for key, name in (self.sites or {}).items():
                yield Resource(SITE.id, key, name)

    def _groups(self) -> Iterator[Resource]:
        for index, (key, dept) in enumerate(self.departments.items()):
            parent = ResourceRef(self.group_type.id, dept.parent) if dept.parent else None
            wrong = self.bad_traits == "user_trait_on_group" and index == 0
            yield Resource(
                self.group_type.id, key, dept.name, parent=parent, user=UserTrait(Status.ENABLED) if wrong else None
            )

    def _user(self, key: str, person: Person, first: bool) -> Resource:
        manager = self.people.get(person.manager) if person.manager else None
        dept = self.departments.get(person.department) if person.department else None
        trait = UserTrait(
            _status(person.lifecycle),
            emails=(Email(person.email, primary=True),),
            employee_ids=(key,),
            manager=ResourceRef(self.user_type.id, person.manager) if person.manager else None,
            start_date=person.start_date,
            end_date=person.termination_date,
        )
        return Resource(
            self.user_type.id,
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
            user=None if self.bad_traits == "drop_user_trait" and first else trait,
        )

    @hookimpl
    def list_grants(self, run: ToyRun) -> Iterator[Grant]:
        self.calls.append("list_grants")
        self.seen.append(run)
        if self.fail is not None:
            raise self.fail
        for key, person in self.people.items():
            if person.department:
                yield self._grant(person.department, key)
        for group, keys in self.extra_members.items():
            for key in keys:
                yield self._grant(group, key)

    def _grant(self, group: str, person: str) -> Grant:
        return Grant(ResourceRef(self.group_type.id, group), "member", ResourceRef(self.user_type.id, person))


@contextmanager
def registered(toy: Toy) -> Iterator[ConnectorManager]:
    """The installed plugins plus ``toy`` under its name, unregistered on exit."""
    manager = get_plugin_manager(env={})
    register(manager, toy, toy.name)
    try:
        yield manager
    finally:
        manager.unregister(name=toy.name)
