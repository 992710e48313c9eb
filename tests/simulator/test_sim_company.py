"""The demo and generated companies: deterministic, and holding every edge case."""

from __future__ import annotations

import time

from plugins.hibob.simulator import Company, Department, EdgeCases, Employee, demo_company, generated_company
from plugins.hibob.simulator.company import STANDARD_LIFECYCLES
from plugins.hibob.simulator.demo import (
    DANGLING_DEPARTMENT_VALUE,
    MIXED_CASE_EMAIL,
    NAME_REFERENCED_DEPARTMENT,
    UNICODE_NAMES,
)


def test_demo_company_is_deterministic(demo: Company) -> None:
    again = demo_company()
    assert again.employees == demo.employees
    assert again.departments == demo.departments
    assert again.fingerprint() == demo.fingerprint()


def test_demo_company_has_about_300_people_with_unique_ids_and_emails(demo: Company) -> None:
    assert 280 <= len(demo.employees) <= 320
    assert len({e.id for e in demo.employees}) == len(demo.employees)
    assert len({(e.email or "").lower() for e in demo.employees}) == len(demo.employees)
    assert all(e.id.isdigit() and len(e.id) >= 18 for e in demo.employees)


def test_demo_manager_tree_has_one_ceo_and_no_unknown_managers(demo: Company, edges: EdgeCases) -> None:
    assert len(edges.ceo_ids) == 1
    assert edges.manager_not_found == []
    ceo = demo.employee_by_id(edges.ceo_ids[0])
    assert ceo is not None and ceo.manager_id is None
    # Every chain of managers ends at the CEO without cycles.
    people = {e.id: e for e in demo.employees}
    for person in demo.employees:
        seen: set[str] = set()
        current = person
        while current.manager_id is not None:
            assert current.id not in seen
            seen.add(current.id)
            current = people[current.manager_id]
        assert current.id == ceo.id


def test_demo_has_every_lifecycle_state(demo: Company, edges: EdgeCases) -> None:
    for state in STANDARD_LIFECYCLES:
        assert edges.by_lifecycle.get(state), state
    assert edges.custom_lifecycles == ["sabbatical"]
    people = {e.id: e for e in demo.employees}
    for pid in edges.by_lifecycle["hired"]:
        assert people[pid].status == "Inactive"
        assert (people[pid].start_date or "") > time.strftime("%Y-%m-%d")
    for pid in edges.by_lifecycle["terminated"]:
        assert people[pid].status == "Inactive"
        assert (people[pid].termination_date or "") > (people[pid].start_date or "9999")
    for state in ("employed", "garden leave", "leave", "parental leave", "sabbatical"):
        assert all(people[pid].status == "Active" for pid in edges.by_lifecycle[state])
    assert set(edges.inactive) == set(edges.by_lifecycle["hired"]) | set(edges.by_lifecycle["terminated"])


def test_demo_department_tree_edge_cases(demo: Company, edges: EdgeCases) -> None:
    assert edges.max_department_depth >= 3
    assert "Platform" in edges.duplicate_department_names
    platform_parents = {
        d.parent_id for d in demo.all_departments() if d.id in edges.duplicate_department_names["Platform"]
    }
    assert len(platform_parents) == 2
    assert edges.int_department_ids and edges.numeric_string_department_ids and edges.textual_department_ids
    assert edges.archived_departments
    # A non-archived department hidden because its parent is archived.
    assert set(edges.hidden_departments) > set(edges.archived_departments)


def test_demo_people_department_edge_cases(demo: Company, edges: EdgeCases) -> None:
    assert 0.03 <= len(edges.without_department) / len(demo.employees) <= 0.07
    assert len(edges.department_by_name) >= 2
    assert all(demo.employee_by_id(p).department == NAME_REFERENCED_DEPARTMENT for p in edges.department_by_name)  # type: ignore[union-attr]
    assert len(demo.departments_by_name(NAME_REFERENCED_DEPARTMENT)) == 1
    assert [demo.employee_by_id(p).department for p in edges.dangling_department] == [DANGLING_DEPARTMENT_VALUE]  # type: ignore[union-attr]
    assert edges.in_archived_department
    archived_pointed = {demo.employee_by_id(p).department for p in edges.in_archived_department}  # type: ignore[union-attr]
    assert any(demo.department_by_id(v).archived for v in archived_pointed if v)  # type: ignore[union-attr]
    assert edges.reports_to_inactive_manager


def test_demo_people_name_edge_cases(demo: Company, edges: EdgeCases) -> None:
    displays = {e.display_name for e in demo.employees}
    for _first, _surname, display, _mailbox in UNICODE_NAMES:
        assert display in displays
    assert {"José Müller", "李雷", "Zoë O'Brien"} <= displays
    assert "Alex Kim" in edges.duplicate_display_names
    assert [demo.employee_by_id(p).email for p in edges.mixed_case_emails] == [MIXED_CASE_EMAIL]  # type: ignore[union-attr]
    assert edges.without_title


def test_company_lookups_accept_ids_of_every_shape(demo: Company) -> None:
    assert demo.department_by_id(100) is demo.department_by_id("100")
    engineering = demo.department_by_id("209192163")
    assert engineering is not None and engineering.name == "Engineering"
    assert demo.department_by_id("sales-emea") is not None
    assert demo.department_by_id("does-not-exist") is None
    assert demo.resolve_department(NAME_REFERENCED_DEPARTMENT) is demo.department_by_id(500)
    assert demo.resolve_department(DANGLING_DEPARTMENT_VALUE) is None
    assert demo.resolve_department(None) is None
    flat = demo.all_departments()
    assert len(flat) == len({str(d.id) for d in flat})
    by_id = {str(d.id): d for d in flat}
    for entry in flat:
        if entry.parent_id is not None:
            assert entry.department in by_id[str(entry.parent_id)].department.children
            assert entry.depth == by_id[str(entry.parent_id)].depth + 1


def test_employee_defaults_make_hand_built_companies_easy() -> None:
    person = Employee(id="1", email="a@example.com", first_name="Ada", surname="Byron")
    assert person.display_name == "Ada Byron"
    assert person.status == "Active" and person.lifecycle_status == "employed"
    company = Company(departments=[Department(1, "Only")], employees=[person])
    assert company.employee_by_id("1") is person
    assert company.employee_by_id("2") is None


def test_fingerprint_changes_when_served_data_changes() -> None:
    company = demo_company()
    before = company.fingerprint()
    company.employees[3].lifecycle_status = "terminated"
    assert company.fingerprint() != before
    company = demo_company()
    company.departments[0].children.append(Department(9999, "New"))
    assert company.fingerprint() != before


def test_generated_company_is_deterministic_and_shaped_as_asked() -> None:
    first = generated_company(employees=3000, departments=120, seed=7)
    second = generated_company(employees=3000, departments=120, seed=7)
    other = generated_company(employees=3000, departments=120, seed=8)
    assert first.employees == second.employees and first.departments == second.departments
    assert first.employees != other.employees
    assert len(first.employees) == 3000
    assert len(first.all_departments()) == 120
    assert len({e.id for e in first.employees}) == 3000


def test_generated_company_has_the_quirks_at_scale() -> None:
    from plugins.hibob.simulator import find_edge_cases

    company = generated_company(employees=20_000, departments=400, seed=3)
    found = find_edge_cases(company)
    assert found.max_department_depth >= 3
    assert len(found.ceo_ids) == 1 and not found.manager_not_found
    for state in STANDARD_LIFECYCLES:
        assert found.by_lifecycle.get(state), state
    assert found.custom_lifecycles
    assert found.without_department and found.department_by_name and found.dangling_department
    assert found.archived_departments and found.in_archived_department
    assert found.int_department_ids and found.numeric_string_department_ids and found.textual_department_ids
    share = len(found.by_lifecycle["employed"]) / len(company.employees)
    assert 0.75 < share < 0.92
