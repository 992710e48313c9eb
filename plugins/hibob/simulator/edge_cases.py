"""Find a company's edge cases from its data, so tests never hard-code ids.

:func:`find_edge_cases` works on any :class:`Company` (the demo, a generated
tenant, or one a test built by hand): it reads the same machine values the
simulator serves and classifies them the way a connector has to.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from plugins.hibob.simulator.company import STANDARD_LIFECYCLES, Company, DepartmentId, Employee, FlatDepartment


@dataclass
class EdgeCases:
    """Employee ids (``str``) and department ids grouped by the quirk they exercise."""

    ceo_ids: list[str] = field(default_factory=list)
    """People with no manager."""
    by_lifecycle: dict[str, list[str]] = field(default_factory=dict)
    custom_lifecycles: list[str] = field(default_factory=list)
    """Lifecycle states beyond HiBob's standard six (e.g. ``sabbatical``)."""
    inactive: list[str] = field(default_factory=list)
    without_department: list[str] = field(default_factory=list)
    department_by_id: list[str] = field(default_factory=list)
    """People whose ``work.department`` is a department id."""
    department_by_name: list[str] = field(default_factory=list)
    """People whose ``work.department`` holds a department *name* (no id matches)."""
    dangling_department: list[str] = field(default_factory=list)
    """People whose ``work.department`` matches neither an id nor a name."""
    in_archived_department: list[str] = field(default_factory=list)
    """People pointing at a department hidden when ``includeArchived=false``."""
    reports_to_inactive_manager: list[str] = field(default_factory=list)
    manager_not_found: list[str] = field(default_factory=list)
    managers: list[str] = field(default_factory=list)
    unicode_names: list[str] = field(default_factory=list)
    duplicate_display_names: dict[str, list[str]] = field(default_factory=dict)
    mixed_case_emails: list[str] = field(default_factory=list)
    without_title: list[str] = field(default_factory=list)
    duplicate_department_names: dict[str, list[DepartmentId]] = field(default_factory=dict)
    archived_departments: list[DepartmentId] = field(default_factory=list)
    hidden_departments: list[DepartmentId] = field(default_factory=list)
    """Archived departments and everything under them."""
    int_department_ids: list[int] = field(default_factory=list)
    numeric_string_department_ids: list[str] = field(default_factory=list)
    textual_department_ids: list[str] = field(default_factory=list)
    max_department_depth: int = 0
    """Depth of the deepest department; roots are depth 0."""


def find_edge_cases(company: Company) -> EdgeCases:
    """Classify every person and department of ``company`` by the quirks above."""
    found = EdgeCases()
    departments = company.all_departments()
    _classify_departments(departments, found)
    ids = {str(d.id): d for d in departments}
    names = {d.name for d in departments}
    people = {e.id: e for e in company.employees}
    display: dict[str, list[str]] = defaultdict(list)
    lifecycles: dict[str, list[str]] = defaultdict(list)
    for e in company.employees:
        lifecycles[e.lifecycle_status].append(e.id)
        display[e.display_name].append(e.id)
        _classify_manager(e, people, found)
        _classify_department_value(e, ids, names, found)
        if not e.active:
            found.inactive.append(e.id)
        if not f"{e.first_name}{e.surname}{e.display_name}".isascii():
            found.unicode_names.append(e.id)
        if e.email and e.email != e.email.lower():
            found.mixed_case_emails.append(e.id)
        if e.title is None:
            found.without_title.append(e.id)
    found.by_lifecycle = dict(lifecycles)
    found.custom_lifecycles = sorted(s for s in lifecycles if s not in STANDARD_LIFECYCLES)
    found.managers = sorted({e.manager_id for e in company.employees if e.manager_id} & people.keys())
    found.duplicate_display_names = {name: pids for name, pids in display.items() if len(pids) > 1}
    return found


def _classify_departments(departments: list[FlatDepartment], found: EdgeCases) -> None:
    names: dict[str, list[DepartmentId]] = defaultdict(list)
    for dept in departments:
        names[dept.name].append(dept.id)
        if isinstance(dept.id, int):
            found.int_department_ids.append(dept.id)
        elif dept.id.isdigit():
            found.numeric_string_department_ids.append(dept.id)
        else:
            found.textual_department_ids.append(dept.id)
        if dept.archived:
            found.archived_departments.append(dept.id)
        if dept.hidden:
            found.hidden_departments.append(dept.id)
        found.max_department_depth = max(found.max_department_depth, dept.depth)
    found.duplicate_department_names = {name: dids for name, dids in names.items() if len(dids) > 1}


def _classify_manager(e: Employee, people: dict[str, Employee], found: EdgeCases) -> None:
    if e.manager_id is None:
        found.ceo_ids.append(e.id)
        return
    manager = people.get(e.manager_id)
    if manager is None:
        found.manager_not_found.append(e.id)
    elif not manager.active:
        found.reports_to_inactive_manager.append(e.id)


def _classify_department_value(e: Employee, ids: dict[str, FlatDepartment], names: set[str], found: EdgeCases) -> None:
    """Sort ``work.department`` the way a connector must resolve it: id, then name."""
    if e.department is None:
        found.without_department.append(e.id)
    elif e.department in ids:
        found.department_by_id.append(e.id)
        if ids[e.department].hidden:
            found.in_archived_department.append(e.id)
    elif e.department in names:
        found.department_by_name.append(e.id)
    else:
        found.dangling_department.append(e.id)
