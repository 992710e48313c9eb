"""The data model of a simulated HiBob tenant.

It holds what HiBob serves, in HiBob's own machine form, so that the HTTP layer
can render it without guessing and tests can compare a sync against it:

* :class:`Department` is one item of the ``department`` named list. Its ``id`` is
  an ``int`` (served as a JSON number) or a ``str`` (numeric such as
  ``"209192163"`` or textual such as ``"sales-emea"``), because HiBob list item
  ids come in all three shapes.
* :class:`Employee` keeps ``department`` as the raw value HiBob puts in
  ``work.department``: usually ``str(department.id)``, sometimes the department
  *name*, sometimes nothing that resolves, or ``None``.
* :class:`Company` ties them together with the other named lists (titles, sites,
  hobbies) and offers look-ups that tests and the renderer share.

Everything is plain data (strings, ints, tuples) so that a 100,000-employee
tenant stays small in memory and cheap to fingerprint.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Literal, NamedTuple

ReportsToShape = Literal["object", "id", "blank", "empty"]
DepartmentId = int | str
"""A named-list item id: HiBob serves ints, numeric strings and textual strings."""

ACTIVE = "Active"
INACTIVE = "Inactive"

STANDARD_LIFECYCLES = ("employed", "hired", "terminated", "garden leave", "leave", "parental leave")
"""Lifecycle states HiBob ships; tenants may add custom leave types beyond these."""

DEFAULT_HOBBIES: tuple[tuple[str, str], ...] = (
    ("chess", "Chess"),
    ("running", "Running"),
    ("photography", "Photography"),
    ("cooking", "Cooking"),
    ("climbing", "Climbing"),
    ("music", "Music"),
    ("gardening", "Gardening"),
    ("board-games", "Board games"),
)


@dataclass
class Department:
    """One item of the ``department`` named list, with its sub-departments."""

    id: DepartmentId
    name: str
    archived: bool = False
    children: list[Department] = field(default_factory=list)


class FlatDepartment(NamedTuple):
    """A department seen from a flattened walk of the tree.

    ``hidden`` is true when the department or any ancestor is archived: HiBob drops
    the whole subtree from ``includeArchived=false`` answers, not just the item.
    """

    id: DepartmentId
    name: str
    archived: bool
    parent_id: DepartmentId | None
    depth: int
    hidden: bool
    department: Department


@dataclass(slots=True)
class Employee:
    """One person as HiBob stores them (machine values only).

    ``display_name`` defaults to ``"first_name surname"`` when left empty.
    ``status`` is ``internal.status`` ("Active"/"Inactive"), which is what
    ``showInactive`` filters on; ``lifecycle_status`` is the lower-case
    ``internal.lifecycleStatus``.
    """

    id: str
    email: str | None
    first_name: str
    surname: str
    display_name: str = ""
    department: str | None = None
    title: str | None = None
    site: str | None = None
    site_id: int | None = None
    manager_id: str | None = None
    employee_number: int | None = None
    start_date: str | None = None
    lifecycle_status: str = "employed"
    status: str = ACTIVE
    termination_date: str | None = None
    avatar_url: str | None = None
    hobbies: tuple[str, ...] = ()
    employment_type: str | None = None
    weekly_hours: float | None = None
    cost_center: str | None = None
    """Served as the custom field ``work.custom.field_1690000000000``."""
    reports_to_shape: ReportsToShape = "object"
    """How ``work.reportsTo`` is served when there is a manager: the documented
    ``"object"``, or a shape real clients code around: ``"id"`` (the manager's
    id as a bare string), ``"blank"`` (``""``), ``"empty"`` (``{}``)."""

    def __post_init__(self) -> None:
        if not self.display_name:
            self.display_name = f"{self.first_name} {self.surname}".strip()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.surname}".strip()

    @property
    def active(self) -> bool:
        return self.status == ACTIVE


_EMPLOYEE_VALUES = attrgetter(*(f.name for f in fields(Employee)))


@dataclass
class Company:
    """A whole tenant: department roots, people and the other named lists."""

    departments: list[Department]
    employees: list[Employee]
    titles: list[tuple[str, str]] = field(default_factory=list)
    """``(id, name)`` items of the ``title`` named list."""
    sites: list[tuple[int, str]] = field(default_factory=list)
    """``(id, name)`` items of the ``site`` named list; ``Employee.site_id`` points here."""
    hobbies: list[tuple[str, str]] = field(default_factory=lambda: list(DEFAULT_HOBBIES))
    company_id: int = 601234
    name: str = "Example Co"

    def walk_departments(self) -> Iterator[FlatDepartment]:
        """Every department, parents before children, at any depth."""
        stack: list[tuple[Department, DepartmentId | None, int, bool]] = [
            (root, None, 0, False) for root in reversed(self.departments)
        ]
        while stack:
            dept, parent_id, depth, hidden_above = stack.pop()
            hidden = hidden_above or dept.archived
            yield FlatDepartment(dept.id, dept.name, dept.archived, parent_id, depth, hidden, dept)
            stack.extend((child, dept.id, depth + 1, hidden) for child in reversed(dept.children))

    def all_departments(self) -> list[FlatDepartment]:
        """The department tree flattened, each entry knowing its parent id and depth."""
        return list(self.walk_departments())

    def department_by_id(self, department_id: DepartmentId) -> Department | None:
        """The department whose id is ``department_id``; ``12`` and ``"12"`` both match
        an item with id ``12`` because employees carry ids as strings."""
        wanted = str(department_id)
        for entry in self.walk_departments():
            if str(entry.id) == wanted:
                return entry.department
        return None

    def departments_by_name(self, name: str) -> list[Department]:
        """Every department called ``name`` (names are not unique in HiBob)."""
        return [entry.department for entry in self.walk_departments() if entry.name == name]

    def resolve_department(self, value: str | None) -> Department | None:
        """What ``work.department`` points at: by item id first, then by name."""
        if value is None:
            return None
        by_id = self.department_by_id(value)
        if by_id is not None:
            return by_id
        named = self.departments_by_name(value)
        return named[0] if named else None

    def employee_by_id(self, employee_id: str) -> Employee | None:
        for employee in self.employees:
            if employee.id == employee_id:
                return employee
        return None

    def direct_reports(self, manager_id: str) -> list[Employee]:
        return [e for e in self.employees if e.manager_id == manager_id]

    def title_name(self, title_id: str | None) -> str | None:
        return next((name for tid, name in self.titles if tid == title_id), None)

    def fingerprint(self) -> int:
        """A hash of everything served, so a cached answer is reused only while the
        company is unchanged (tests mutate ``sim.company`` between syncs)."""
        people = hash(tuple(map(hash, map(_EMPLOYEE_VALUES, self.employees))))
        depts = hash(tuple((e.id, type(e.id), e.name, e.archived, e.parent_id) for e in self.walk_departments()))
        lists = hash((tuple(self.titles), tuple(self.sites), tuple(self.hobbies), self.company_id, self.name))
        return hash((people, depts, lists))
