"""The people-field catalog: ids, categories, metadata and how to read each value.

One :class:`FieldSpec` per field drives three things at once, so they cannot
drift apart: the ``GET /v1/company/people/fields`` metadata, the permission
check (by *category*, which does not always match the id prefix: ``internal.*``
belongs to ``lifecycle`` and ``payroll.employment.*`` to ``employment``), and
the machine and human-readable values served by people search.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from plugins.hibob.simulator.company import Employee
from plugins.hibob.simulator.index import CompanyIndex

CUSTOM_FIELD_ID = "work.custom.field_1690000000000"
"""A tenant-defined field ("Cost center"), shaped like HiBob's custom field ids."""

CATEGORY_NAMES: dict[str, str] = {
    "root": "Basic info",
    "about": "About",
    "employment": "Employment",
    "work": "Work",
    "lifecycle": "Lifecycle",
}
DEFAULT_CATEGORIES: frozenset[str] = frozenset({"root", "about", "employment", "work"})
"""Categories people search serves when the request names no ``fields``."""

Machine = Callable[[Employee, CompanyIndex], Any]
Human = Callable[[Any, CompanyIndex], Any]


def display(value: Any) -> Any:
    """HiBob's generic human-readable form: booleans as Yes/No, numbers as text,
    multi-values joined; text unchanged."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return ", ".join(str(display(v)) for v in value)
    return value


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One people field: its metadata and how its values are produced."""

    id: str
    name: str
    category: str
    type: str
    machine: Machine
    human: Human
    list_id: str | None = None
    historical: bool = False
    description: str = ""

    @property
    def path(self) -> tuple[str, ...]:
        """Where the value sits in the nested record: root fields at the top level."""
        parts = tuple(self.id.split("."))
        return parts[1:] if parts[0] == "root" else parts

    @property
    def slash_key(self) -> str:
        return "/" + self.id.replace(".", "/")

    def metadata(self) -> dict[str, Any]:
        """The field's entry in ``GET /v1/company/people/fields``."""
        return {
            "id": self.id,
            "name": self.name,
            "categoryId": self.category,
            "categoryDisplayName": CATEGORY_NAMES[self.category],
            "jsonPath": self.id,
            "type": self.type,
            "typeData": {"listId": self.list_id} if self.list_id else {},
            "historical": self.historical,
            "description": self.description,
        }


def _as_is(value: Any, _index: CompanyIndex) -> Any:
    return display(value)


def _reports_to(employee: Employee, index: CompanyIndex) -> dict[str, Any] | str | None:
    boss = index.manager(employee)
    if boss is None:
        return None
    if employee.reports_to_shape == "id":
        return boss.id
    if employee.reports_to_shape != "object":
        return "" if employee.reports_to_shape == "blank" else {}
    return {
        "id": boss.id,
        "firstName": boss.first_name,
        "surname": boss.surname,
        "email": boss.email,
        "displayName": boss.display_name,
    }


def _manager_name(value: Any, index: CompanyIndex) -> Any:
    boss = index.people.get(value)
    return boss.display_name if boss else value


def _spec(
    field_id: str,
    name: str,
    category: str,
    kind: str,
    machine: Machine,
    *,
    human: Human = _as_is,
    list_id: str | None = None,
    historical: bool = False,
    description: str = "",
) -> FieldSpec:
    return FieldSpec(field_id, name, category, kind, machine, human, list_id, historical, description)


FIELDS: tuple[FieldSpec, ...] = (
    _spec("root.id", "Employee ID", "root", "text", lambda e, _: e.id, description="Unique id of the person."),
    _spec("root.email", "Email", "root", "text", lambda e, _: e.email, description="Work e-mail address."),
    _spec("root.firstName", "First name", "root", "text", lambda e, _: e.first_name),
    _spec("root.surname", "Last name", "root", "text", lambda e, _: e.surname),
    _spec("root.displayName", "Display name", "root", "text", lambda e, _: e.display_name),
    _spec("root.fullName", "Full name", "root", "text", lambda e, _: e.full_name),
    _spec("root.companyId", "Company ID", "root", "number", lambda _e, i: i.company.company_id),
    _spec("about.avatar", "Avatar", "about", "text", lambda e, _: e.avatar_url, description="Picture URL."),
    _spec(
        "about.hobbies",
        "Hobbies",
        "about",
        "multi-list",
        lambda e, _: list(e.hobbies),
        human=lambda v, i: ", ".join(i.hobbies.get(h, h) for h in v),
        list_id="hobbies",
    ),
    _spec(
        "payroll.employment.type",
        "Employment type",
        "employment",
        "text",
        lambda e, _: e.employment_type,
        historical=True,
    ),
    _spec(
        "payroll.employment.weeklyHours",
        "Weekly hours",
        "employment",
        "number",
        lambda e, _: e.weekly_hours,
        historical=True,
    ),
    _spec(
        "work.department",
        "Department",
        "work",
        "list",
        lambda e, _: e.department,
        human=lambda v, i: i.department_display(v),
        list_id="department",
        historical=True,
        description="Item id of the department named list.",
    ),
    _spec(
        "work.title",
        "Job title",
        "work",
        "list",
        lambda e, _: e.title,
        human=lambda v, i: i.title_display(v),
        list_id="title",
        historical=True,
    ),
    _spec("work.site", "Site", "work", "text", lambda e, _: e.site, historical=True),
    _spec("work.siteId", "Site ID", "work", "list", lambda e, _: e.site_id, list_id="site", historical=True),
    _spec(
        "work.manager",
        "Manager",
        "work",
        "employee-reference",
        lambda e, _: e.manager_id,
        human=_manager_name,
        historical=True,
        description="Employee id of the direct manager.",
    ),
    _spec(
        "work.reportsTo",
        "Reports to",
        "work",
        "employee-reference",
        _reports_to,
        human=lambda v, _: v.get("displayName") if isinstance(v, dict) else v,
        historical=True,
    ),
    _spec("work.isManager", "Is manager", "work", "boolean", lambda e, i: e.id in i.managers),
    _spec("work.startDate", "Start date", "work", "date", lambda e, _: e.start_date),
    _spec("work.employeeIdInCompany", "Employee number", "work", "number", lambda e, _: e.employee_number),
    _spec(CUSTOM_FIELD_ID, "Cost center", "work", "text", lambda e, _: e.cost_center, description="Custom field."),
    _spec("internal.lifecycleStatus", "Lifecycle status", "lifecycle", "text", lambda e, _: e.lifecycle_status),
    _spec("internal.status", "Status", "lifecycle", "text", lambda e, _: e.status),
    _spec("internal.terminationDate", "Termination date", "lifecycle", "date", lambda e, _: e.termination_date),
)

FIELDS_BY_ID: dict[str, FieldSpec] = {spec.id: spec for spec in FIELDS}
DEFAULT_FIELD_IDS: tuple[str, ...] = tuple(spec.id for spec in FIELDS if spec.category in DEFAULT_CATEGORIES)


def category_of(field_id: str) -> str | None:
    """The permission category of a known field id, or None for an unknown one."""
    spec = FIELDS_BY_ID.get(field_id)
    return spec.category if spec else None
