from __future__ import annotations

import json

import pytest

from framework.host.context import ConnectorContext
from framework.host.models import Email, Grant, Resource, ResourceRef, Status, Trait
from plugins.hibob.departments import Department
from plugins.hibob.mapping import DEPARTMENT, USER, department_resource, membership_grant, user_resource
from plugins.hibob.schemas import Employee, EmployeeSchema
from tests.hibob.records import record

PRODUCT = Department("209192163", "Product", "1", False)


@pytest.fixture
def ctx() -> ConnectorContext:
    return ConnectorContext(config={})


def user(ctx: ConnectorContext, employee: Employee, department: Department | None = None) -> Resource:
    return user_resource(employee, department, ctx.warn)


def with_lifecycle(state: str | None) -> Employee:
    return Employee(id="1", lifecycle_status=state)


def test_resource_types_declare_traits_and_the_member_entitlement() -> None:
    assert USER.traits == (Trait.USER,)
    assert DEPARTMENT.traits == (Trait.GROUP,)
    assert [spec.slug for spec in DEPARTMENT.entitlements] == ["member"]


@pytest.mark.parametrize("state", ["terminated", "Terminated", "TERMINATED", " terminated "])
def test_terminated_is_disabled_whatever_its_case(ctx: ConnectorContext, state: str) -> None:
    assert user(ctx, with_lifecycle(state)).status is Status.DISABLED


@pytest.mark.parametrize(
    "state", ["employed", "hired", "garden leave", "leave", "parental leave", "Sabbatical", "terminated-pending"]
)
def test_every_other_state_is_enabled_including_custom_ones(ctx: ConnectorContext, state: str) -> None:
    resource = user(ctx, with_lifecycle(state))
    assert resource.status is Status.ENABLED
    assert resource.profile["lifecycle_status"] == state
    assert ctx.warnings == {}


def test_the_lifecycle_state_is_kept_exactly(ctx: ConnectorContext) -> None:
    assert user(ctx, with_lifecycle("Parental Leave ")).profile["lifecycle_status"] == "Parental Leave "


@pytest.mark.parametrize("hidden", [None, "", "  "])
def test_a_missing_lifecycle_is_unknown_and_warned_never_enabled(ctx: ConnectorContext, hidden: str | None) -> None:
    resource = user(ctx, with_lifecycle(hidden))
    assert resource.status is Status.UNKNOWN
    assert resource.profile["lifecycle_status"] == hidden
    warning = ctx.warnings["lifecycle_missing"]
    assert (warning.count, warning.examples) == (1, ["1"])
    assert "unknown" in warning.message


def test_a_full_record_maps_to_a_user_with_every_profile_key(ctx: ConnectorContext) -> None:
    resource = user(ctx, EmployeeSchema().load(record()), PRODUCT)
    assert resource.resource_type == "user"
    assert resource.id == "3332883911884669725"
    assert resource.display_name == "Amy Miles"
    assert resource.user.emails == (Email("amy.miles@example.com", primary=True),)
    assert resource.user.employee_ids == ("3332883911884669725", "39")
    assert resource.status is Status.ENABLED
    assert dict(resource.profile) == {
        "lifecycle_status": "employed",
        "employment_status": "Active",
        "termination_date": None,
        "start_date": "2015-03-20",
        "first_name": "Amy",
        "last_name": "Miles",
        "email": "amy.miles@example.com",
        "department_id": "209192163",
        "department": "Product",
        "title": "Designer",
        "employee_number": "39",
        "site": "New York",
        "manager_id": "3332883909410030364",
        "manager_display_name": "Zoe Clark",
        "manager_email": "zoe.clark@example.com",
    }
    json.dumps(dict(resource.profile))
    assert resource.user is not None
    assert (resource.user.manager, resource.user.start_date, resource.user.end_date) == (
        ResourceRef("user", "3332883909410030364"),
        "2015-03-20",
        None,
    )


def test_a_terminated_record_keeps_its_dates(ctx: ConnectorContext) -> None:
    employee = Employee(id="2", lifecycle_status="terminated", status="Inactive", termination_date="2024-05-31")
    resource = user(ctx, employee)
    assert resource.status is Status.DISABLED
    assert resource.profile["employment_status"] == "Inactive"
    assert resource.profile["termination_date"] == "2024-05-31"
    assert resource.user is not None and resource.user.end_date == "2024-05-31"


@pytest.mark.parametrize(
    ("employee", "expected"),
    [
        (Employee(id="1", display_name="Dee", first_name="D", surname="E", email="d@x.io"), "Dee"),
        (Employee(id="1", display_name=" ", first_name="Ann", surname="Lee", email="a@x.io"), "Ann Lee"),
        (Employee(id="1", first_name="Ann", email="a@x.io"), "Ann"),
        (Employee(id="1", surname="Lee"), "Lee"),
        (Employee(id="1", email="a@x.io"), "a@x.io"),
        (Employee(id="1"), "1"),
    ],
)
def test_display_name_falls_back_in_order(ctx: ConnectorContext, employee: Employee, expected: str) -> None:
    assert user(ctx, employee).display_name == expected


def test_no_email_means_no_emails_and_no_number_means_one_employee_id(ctx: ConnectorContext) -> None:
    resource = user(ctx, Employee(id="5", email=""))
    assert resource.user.emails == ()
    assert resource.user.employee_ids == ("5",)


def test_manager_from_work_manager_when_reports_to_is_unreadable(ctx: ConnectorContext) -> None:
    employee = Employee(id="1", manager_id="77", manager_label="Zoe Clark")
    profile = user(ctx, employee).profile
    assert profile["manager_id"] == "77"
    assert profile["manager_display_name"] == "Zoe Clark"
    assert profile["manager_email"] is None


def test_manager_name_is_built_from_reports_to_parts(ctx: ConnectorContext) -> None:
    employee = Employee(id="1", reports_to_id="9", reports_to_first_name="Zoe", reports_to_surname="Clark")
    profile = user(ctx, employee).profile
    assert (profile["manager_id"], profile["manager_display_name"]) == ("9", "Zoe Clark")


def test_no_manager_leaves_manager_keys_empty(ctx: ConnectorContext) -> None:
    profile = user(ctx, Employee(id="1")).profile
    assert (profile["manager_id"], profile["manager_display_name"], profile["manager_email"]) == (None, None, None)


def test_title_prefers_the_display_value(ctx: ConnectorContext) -> None:
    assert user(ctx, Employee(id="1", title="255")).profile["title"] == "255"
    assert user(ctx, Employee(id="1", title="255", title_label="Designer")).profile["title"] == "Designer"


def test_an_unresolved_department_keeps_its_best_name_but_no_id(ctx: ConnectorContext) -> None:
    employee = Employee(id="1", department="999", department_label="Old Team")
    profile = user(ctx, employee).profile
    assert (profile["department_id"], profile["department"]) == (None, "Old Team")
    raw_only = user(ctx, Employee(id="1", department="Marketing")).profile
    assert (raw_only["department_id"], raw_only["department"]) == (None, "Marketing")


def test_a_resolved_department_uses_the_list_name(ctx: ConnectorContext) -> None:
    employee = Employee(id="1", department="209192163", department_label="Stale label")
    profile = user(ctx, employee, PRODUCT).profile
    assert (profile["department_id"], profile["department"]) == ("209192163", "Product")


def test_departments_become_groups_with_parents_and_archived_disabled() -> None:
    root = department_resource(Department("1", "Engineering", None, False))
    assert (root.resource_type, root.id, root.display_name, root.parent) == ("department", "1", "Engineering", None)
    assert root.status is Status.ENABLED
    assert root.profile == {"name": "Engineering", "archived": False}
    archived = department_resource(Department("7", "Legacy", "1", True))
    assert archived.parent == ResourceRef("department", "1")
    assert archived.status is Status.DISABLED
    assert archived.profile["archived"] is True


def test_a_membership_is_a_member_grant_from_department_to_user() -> None:
    grant = membership_grant("11", "e1")
    assert grant == Grant(ResourceRef("department", "11"), "member", ResourceRef("user", "e1"))
    assert grant.id == "department:11:member:user:e1"
