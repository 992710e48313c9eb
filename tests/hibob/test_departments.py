from __future__ import annotations

import pytest

from framework.host.context import ConnectorContext
from plugins.hibob.departments import Department, DepartmentIndex, department_of
from plugins.hibob.schemas import DepartmentItem, Employee

ENGINEERING = DepartmentItem(
    "10",
    "Engineering",
    False,
    (
        DepartmentItem("11", "Support", False, (DepartmentItem("12", "Tier 2", False),)),
        DepartmentItem("13", "Legacy", True),
    ),
)
CUSTOMERS = DepartmentItem("20", "Customers", False, (DepartmentItem("21", "Support", False),))
SALES = DepartmentItem("sales-emea", "Sales", False)


def index(*roots: DepartmentItem) -> DepartmentIndex:
    return DepartmentIndex(roots or (ENGINEERING, CUSTOMERS, SALES))


def employee(department: str | None, employee_id: str = "e1") -> Employee:
    return Employee(id=employee_id, department=department)


@pytest.fixture
def ctx() -> ConnectorContext:
    return ConnectorContext(config={})


def test_the_tree_is_flattened_parents_first_with_parent_ids() -> None:
    assert index().departments == (
        Department("10", "Engineering", None, False),
        Department("11", "Support", "10", False),
        Department("12", "Tier 2", "11", False),
        Department("13", "Legacy", "10", True),
        Department("20", "Customers", None, False),
        Department("21", "Support", "20", False),
        Department("sales-emea", "Sales", None, False),
    )


def test_an_arbitrarily_deep_tree_is_flattened_without_recursion() -> None:
    node = DepartmentItem("leaf", "Leaf", False)
    for depth in range(5000):
        node = DepartmentItem(str(depth), f"Level {depth}", False, (node,))
    flat = DepartmentIndex([node]).departments
    assert len(flat) == 5001
    assert flat[-1] == Department("leaf", "Leaf", "0", False)


def test_repeated_listings_are_kept_once_and_only_differing_ones_reported() -> None:
    same_twice = DepartmentIndex([ENGINEERING, SALES, ENGINEERING])
    assert len(same_twice.departments) == 5
    assert same_twice.conflicts == ()
    renamed = DepartmentIndex([SALES, DepartmentItem("sales-emea", "Sales EMEA", False)])
    assert renamed.conflicts == ("sales-emea",)
    assert renamed.resolve("sales-emea") == Department("sales-emea", "Sales", None, False)


def test_resolution_is_by_id_first() -> None:
    numbered = DepartmentIndex([DepartmentItem("1", "2", False), DepartmentItem("2", "Two", False)])
    resolved = numbered.resolve("2")
    assert resolved is not None
    assert resolved.name == "Two"


def test_resolution_falls_back_to_a_unique_name() -> None:
    resolved = index().resolve("Tier 2")
    assert resolved is not None
    assert resolved.id == "12"


def test_duplicate_names_under_different_parents_resolve_by_id_only() -> None:
    idx = index()
    assert idx.resolve("Support") is None
    assert idx.is_ambiguous("Support")
    first, second = idx.resolve("11"), idx.resolve("21")
    assert first is not None and first.parent_id == "10"
    assert second is not None and second.parent_id == "20"


def test_archived_departments_still_resolve() -> None:
    legacy = index().resolve("13")
    assert legacy is not None
    assert legacy.archived


def test_textual_ids_resolve() -> None:
    assert index().resolve("sales-emea") == Department("sales-emea", "Sales", None, False)


def test_department_of_resolves_without_warning(ctx: ConnectorContext) -> None:
    department = department_of(index(), employee("Tier 2"), ctx.warn)
    assert department is not None and department.id == "12"
    assert ctx.warnings == {}


def test_an_unresolved_reference_is_warned_with_an_example(ctx: ConnectorContext) -> None:
    assert department_of(index(), employee("999", "e7"), ctx.warn) is None
    assert department_of(index(), employee("Marketing", "e8"), ctx.warn) is None
    warning = ctx.warnings["department_unresolved"]
    assert warning.count == 2
    assert warning.examples == ["employee e7: '999'", "employee e8: 'Marketing'"]


def test_an_ambiguous_name_is_warned_not_guessed(ctx: ConnectorContext) -> None:
    assert department_of(index(), employee("Support", "e9"), ctx.warn) is None
    warning = ctx.warnings["department_ambiguous"]
    assert (warning.count, warning.examples) == (1, ["employee e9: 'Support'"])


def test_no_department_is_counted_too(ctx: ConnectorContext) -> None:
    assert department_of(index(), employee(None, "e3"), ctx.warn) is None
    assert ctx.warnings["department_missing"].examples == ["e3"]
