"""HiBob records turned into the host's model: users, department groups, memberships."""

from __future__ import annotations

from framework.host.models import (
    Email,
    EntitlementSpec,
    Grant,
    GroupTrait,
    Resource,
    ResourceRef,
    ResourceType,
    Status,
    TrackedAttribute,
    Trait,
    UserTrait,
)
from plugins.hibob.departments import Department, Warn
from plugins.hibob.schemas import Employee

MEMBER = "member"

USER = ResourceType(
    id="user",
    display_name="User",
    traits=(Trait.USER,),
    description="A HiBob employee, current or former (terminated employees are disabled; "
    "status unknown when the lifecycle is hidden).",
    tracked=(
        TrackedAttribute("department_id", "department", name_key="department"),
        TrackedAttribute("manager_id", "manager", name_key="manager_display_name"),
        TrackedAttribute("title", "title"),
        TrackedAttribute("lifecycle_status", "lifecycle_status", counted=True, stats_key="lifecycle"),
    ),
)
"""What a HiBob employee's diff reports by name: a department move, a new manager (by id),
a new title, a lifecycle change; ``connector stats`` counts lifecycle states."""
DEPARTMENT = ResourceType(
    id="department",
    display_name="Department",
    traits=(Trait.GROUP,),
    entitlements=(EntitlementSpec(MEMBER, "Member", "Works in this department according to HiBob."),),
    description="An item of HiBob's department list, sub-departments and archived ones included.",
)

TERMINATED = "terminated"


def department_resource(department: Department) -> Resource:
    """A department as a group; archived ones stay listed (employees may still point
    at them) but disabled."""
    return Resource(
        resource_type=DEPARTMENT.id,
        id=department.id,
        display_name=department.name,
        parent=None if department.parent_id is None else ResourceRef(DEPARTMENT.id, department.parent_id),
        profile={"name": department.name, "archived": department.archived},
        group=GroupTrait(Status.DISABLED if department.archived else Status.ENABLED),
    )


def membership_grant(department_id: str, employee_id: str) -> Grant:
    return Grant(ResourceRef(DEPARTMENT.id, department_id), MEMBER, ResourceRef(USER.id, employee_id))


def user_status(employee: Employee, warn: Warn) -> Status:
    """Disabled only for the ``terminated`` lifecycle state; unknown without one.

    Every other state (leave, garden leave, custom leave types HiBob tenants add)
    is still an employee, so it is enabled. A record without a lifecycle state
    (usually the permission group hides the lifecycle category for this person)
    cannot be told apart from a leaver: it is ``unknown``, never enabled by guess,
    and warned about with the employee's id.
    """
    lifecycle = employee.lifecycle_status
    if lifecycle is None or not lifecycle.strip():
        warn(
            "lifecycle_missing",
            "employee has no readable internal.lifecycleStatus (is the lifecycle category granted for them?); "
            "synced with status unknown",
            employee.id,
        )
        return Status.UNKNOWN
    return Status.DISABLED if lifecycle.strip().lower() == TERMINATED else Status.ENABLED


def user_resource(employee: Employee, department: Department | None, warn: Warn) -> Resource:
    """An employee as a user; ``department`` is what :func:`department_of` resolved."""
    employee_ids: tuple[str, ...] = (employee.id,)
    if employee.employee_number is not None and employee.employee_number != employee.id:
        employee_ids += (employee.employee_number,)
    manager_id = employee.reports_to_id or employee.manager_id
    return Resource(
        resource_type=USER.id,
        id=employee.id,
        display_name=_display_name(employee.display_name, employee.first_name, employee.surname)
        or employee.email
        or employee.id,
        user=UserTrait(
            status=user_status(employee, warn),
            emails=(Email(employee.email, primary=True),) if employee.email else (),
            employee_ids=employee_ids,
            manager=None if manager_id is None else ResourceRef(USER.id, manager_id),
            start_date=employee.start_date,
            end_date=employee.termination_date,
        ),
        profile={
            "lifecycle_status": employee.lifecycle_status,
            "employment_status": employee.status,
            "termination_date": employee.termination_date,
            "start_date": employee.start_date,
            "first_name": employee.first_name,
            "last_name": employee.surname,
            "email": employee.email,
            "department_id": None if department is None else department.id,
            # The best name known: the resolved department's, else HiBob's label, else the raw reference.
            "department": (employee.department_label or employee.department) if department is None else department.name,
            "title": employee.title_label or employee.title,
            "employee_number": employee.employee_number,
            "site": employee.site,
            "manager_id": manager_id,
            "manager_display_name": _display_name(
                employee.reports_to_display_name, employee.reports_to_first_name, employee.reports_to_surname
            )
            or employee.manager_label,
            "manager_email": employee.reports_to_email,
        },
    )


def _display_name(display_name: str | None, first_name: str | None, surname: str | None) -> str | None:
    """``displayName``, else "first surname" from whichever parts exist, else None."""
    if display_name and display_name.strip():
        return display_name
    joined = " ".join(part.strip() for part in (first_name, surname) if part and part.strip())
    return joined or None
