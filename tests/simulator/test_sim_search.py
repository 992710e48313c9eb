"""People search: fields, categories, showInactive, filters, humanReadable and record shape."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from plugins.hibob.simulator import CUSTOM_FIELD_ID, FIELDS, Company, EdgeCases, ServiceUser, Simulator
from plugins.hibob.simulator.auth import ALL_CATEGORIES
from plugins.hibob.simulator.index import CompanyIndex
from plugins.hibob.simulator.render import RecordShape, plan_fields
from tests.simulator.conftest import by_id, search

WORK_FIELDS = ["root.id", "work.department", "work.title", "work.manager", "work.reportsTo", "work.isManager"]


def post(http: requests.Session, sim: Simulator, body: Any) -> requests.Response:
    return http.post(f"{sim.base_url}/people/search", json=body, timeout=30)


def test_default_fields_are_root_about_employment_and_work(http: requests.Session, sim: Simulator) -> None:
    record = search(http, sim)[0]
    assert {"id", "email", "firstName", "surname", "displayName", "fullName", "companyId"} <= record.keys()
    assert "avatar" in record["about"] and "hobbies" in record["about"]
    assert "type" in record["payroll"]["employment"]
    assert {"department", "title", "site", "siteId", "manager", "reportsTo", "startDate"} <= record["work"].keys()
    assert record["work"]["custom"]["field_1690000000000"] is not None
    assert "internal" not in record
    assert not any(key.startswith("/internal/") for key in record)


def test_show_inactive_false_returns_only_active_people(
    http: requests.Session, sim: Simulator, demo: Company, edges: EdgeCases
) -> None:
    fields = ["root.id", "internal.status"]
    default = by_id(search(http, sim, fields=fields))
    explicit = by_id(search(http, sim, fields=fields, showInactive=False))
    everyone = by_id(search(http, sim, fields=fields, showInactive=True))
    active = {e.id for e in demo.employees if e.active}
    assert set(default) == set(explicit) == active
    assert set(everyone) == {e.id for e in demo.employees}
    for hidden in edges.by_lifecycle["terminated"] + edges.by_lifecycle["hired"]:
        assert hidden not in default and hidden in everyone
    for kept in edges.by_lifecycle["leave"] + edges.by_lifecycle["sabbatical"]:
        assert kept in default
    assert {r["internal"]["status"] for r in default.values()} == {"Active"}


def test_answer_order_follows_the_company(http: requests.Session, sim: Simulator, demo: Company) -> None:
    ids = [r["id"] for r in search(http, sim, fields=["root.id"], showInactive=True)]
    assert ids == [e.id for e in demo.employees]


def test_a_user_without_inactive_audience_never_sees_inactive_people(sim: Simulator, demo: Company) -> None:
    sim.add_service_user(ServiceUser(id="SERVICE-ACTIVE", token="t", sees_inactive=False))
    with requests.Session() as session:
        session.auth = ("SERVICE-ACTIVE", "t")
        records = search(session, sim, fields=["root.id"], showInactive=True)
    assert {r["id"] for r in records} == {e.id for e in demo.employees if e.active}


def test_filter_by_root_id(http: requests.Session, sim: Simulator, edges: EdgeCases) -> None:
    wanted = [edges.ceo_ids[0], edges.by_lifecycle["terminated"][0]]
    records = search(
        http,
        sim,
        fields=["root.id"],
        showInactive=True,
        filters=[{"fieldPath": "root.id", "operator": "equals", "values": wanted}],
    )
    assert sorted(r["id"] for r in records) == sorted(wanted)
    # The filter narrows, it does not widen: inactive people still need showInactive.
    narrowed = search(
        http, sim, fields=["root.id"], filters=[{"fieldPath": "root.id", "operator": "equals", "values": wanted}]
    )
    assert [r["id"] for r in narrowed] == [edges.ceo_ids[0]]


def test_filter_by_email_ignores_case(http: requests.Session, sim: Simulator, demo: Company, edges: EdgeCases) -> None:
    person = demo.employee_by_id(edges.mixed_case_emails[0])
    assert person is not None and person.email is not None
    records = search(
        http,
        sim,
        fields=["root.id", "root.email"],
        filters=[{"fieldPath": "root.email", "operator": "equals", "values": [person.email.lower()]}],
    )
    assert [r["email"] for r in records] == [person.email]


def test_filter_matching_nobody_returns_an_empty_list(http: requests.Session, sim: Simulator) -> None:
    filters = [{"fieldPath": "root.id", "operator": "equals", "values": ["0"]}]
    assert search(http, sim, fields=["root.id"], filters=filters) == []


@pytest.mark.parametrize(
    "filters",
    [
        [],
        [{"fieldPath": "root.id", "operator": "equals", "values": ["1"]}] * 2,
        [{"fieldPath": "work.department", "operator": "equals", "values": ["1"]}],
        [{"fieldPath": "/root/id", "operator": "equals", "values": ["1"]}],
        [{"fieldPath": "root.id", "operator": "contains", "values": ["1"]}],
        [{"fieldPath": "root.id", "operator": "equals", "values": []}],
        [{"fieldPath": "root.id", "operator": "equals"}],
        [{"fieldPath": "root.id", "operator": "equals", "values": "1"}],
        {"fieldPath": "root.id", "operator": "equals", "values": ["1"]},
        ["root.id"],
    ],
    ids=[
        "empty-list",
        "two-filters",
        "other-path",
        "slash-path",
        "other-operator",
        "empty-values",
        "no-values",
        "values-not-list",
        "not-a-list",
        "not-an-object",
    ],
)
def test_bad_filters_answer_400_with_key_and_error(http: requests.Session, sim: Simulator, filters: Any) -> None:
    response = post(http, sim, {"fields": ["root.id"], "filters": filters})
    assert response.status_code == 400
    body = response.json()
    assert isinstance(body["key"], str) and body["key"]
    assert isinstance(body["error"], str) and body["error"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"fields": ["root.id"] * 400}, 200),
        ({"fields": [f"root.x{i}" for i in range(401)]}, 400),
        ({"fields": "root.id"}, 400),
        ({"fields": [1, 2]}, 400),
        ({"showInactive": "yes"}, 400),
        ([], 400),
    ],
)
def test_request_body_validation(http: requests.Session, sim: Simulator, body: Any, status: int) -> None:
    assert post(http, sim, body).status_code == status


def test_body_that_is_not_json_answers_400(http: requests.Session, sim: Simulator) -> None:
    response = http.post(f"{sim.base_url}/people/search", data=b"{not json", timeout=10)
    assert response.status_code == 400
    assert response.json()["key"]


def test_records_carry_nested_and_slash_forms(http: requests.Session, sim: Simulator, demo: Company) -> None:
    fields = ["root.id", "root.email", "work.department", "payroll.employment.type", CUSTOM_FIELD_ID, "about.avatar"]
    records = by_id(search(http, sim, fields=fields, showInactive=True))
    for person in demo.employees:
        record = records[person.id]
        assert record["id"] == record["/root/id"]["value"] == person.id
        assert record["email"] == person.email
        assert record["work"]["department"] == person.department
        assert record["payroll"]["employment"]["type"] == person.employment_type
        assert record["work"]["custom"]["field_1690000000000"] == person.cost_center
        assert record["about"]["avatar"] == person.avatar_url
        if person.department is not None:
            assert record["/work/department"] == {"value": person.department}
        if person.cost_center is not None:
            assert record["/work/custom/field_1690000000000"] == {"value": person.cost_center}
        assert record["/payroll/employment/type"] == {"value": person.employment_type}


def test_null_fields_are_present_nested_and_absent_as_slash_keys(
    http: requests.Session, sim: Simulator, edges: EdgeCases
) -> None:
    fields = ["root.id", "work.department", "work.manager", "work.reportsTo", "internal.terminationDate"]
    records = by_id(search(http, sim, fields=fields, showInactive=True, humanReadable="APPEND"))
    no_department = records[edges.without_department[0]]
    assert "department" in no_department["work"] and no_department["work"]["department"] is None
    assert "/work/department" not in no_department
    assert "department" not in no_department["humanReadable"].get("work", {})
    ceo = records[edges.ceo_ids[0]]
    assert ceo["work"]["manager"] is None and ceo["work"]["reportsTo"] is None
    assert "/work/manager" not in ceo and "/work/reportsTo" not in ceo
    assert ceo["internal"] == {"terminationDate": None}
    assert "/internal/terminationDate" not in ceo
    assert "internal" not in ceo["humanReadable"]
    terminated = records[edges.by_lifecycle["terminated"][0]]
    assert terminated["internal"]["terminationDate"] == terminated["/internal/terminationDate"]["value"]


def test_work_references(http: requests.Session, sim: Simulator, demo: Company, edges: EdgeCases) -> None:
    records = by_id(search(http, sim, fields=WORK_FIELDS, showInactive=True))
    people = {e.id: e for e in demo.employees}
    for pid, record in records.items():
        person = people[pid]
        assert record["work"]["manager"] == person.manager_id
        assert record["work"]["isManager"] is (pid in edges.managers)
        assert record["work"]["title"] == person.title
        if person.manager_id:
            boss = people[person.manager_id]
            assert record["work"]["reportsTo"] == {
                "id": boss.id,
                "firstName": boss.first_name,
                "surname": boss.surname,
                "email": boss.email,
                "displayName": boss.display_name,
            }
            assert record["/work/reportsTo"]["value"]["id"] == boss.id


def test_department_values_are_served_raw(
    http: requests.Session, sim: Simulator, demo: Company, edges: EdgeCases
) -> None:
    records = by_id(search(http, sim, fields=["root.id", "work.department"], showInactive=True, humanReadable="APPEND"))
    named = records[edges.department_by_name[0]]
    assert named["work"]["department"] == named["humanReadable"]["work"]["department"] == "People Operations"
    dangling = records[edges.dangling_department[0]]
    assert dangling["work"]["department"] == "999000111"
    archived = records[edges.in_archived_department[0]]
    dept = demo.resolve_department(archived["work"]["department"])
    assert dept is not None and archived["humanReadable"]["work"]["department"] == dept.name


def test_append_adds_human_readable_values(
    http: requests.Session, sim: Simulator, demo: Company, edges: EdgeCases
) -> None:
    fields = [*WORK_FIELDS, "work.employeeIdInCompany", "work.siteId", "root.companyId", "about.hobbies"]
    records = by_id(search(http, sim, fields=fields, showInactive=True, humanReadable="APPEND"))
    people = {e.id: e for e in demo.employees}
    titles = dict(demo.titles)
    for pid, record in records.items():
        person, human = people[pid], record["humanReadable"]
        assert record["work"]["department"] == person.department  # machine values stay
        assert human["id"] == pid
        if person.department and demo.department_by_id(person.department):
            assert human["work"]["department"] == demo.department_by_id(person.department).name  # type: ignore[union-attr]
        if person.title:
            assert human["work"]["title"] == titles[person.title]
        else:
            assert "title" not in human["work"]
        assert human["work"]["isManager"] == ("Yes" if pid in edges.managers else "No")
        assert human["work"]["employeeIdInCompany"] == str(person.employee_number)
        assert human["companyId"] == str(demo.company_id)
        if person.manager_id:
            boss = people[person.manager_id]
            assert human["work"]["reportsTo"] == human["work"]["manager"] == boss.display_name
        if person.site_id is not None:
            assert human["work"]["siteId"] == str(person.site_id)
    assert any(isinstance(r["humanReadable"]["about"]["hobbies"], str) for r in records.values())


def test_replace_serves_display_values_only(
    http: requests.Session, sim: Simulator, demo: Company, edges: EdgeCases
) -> None:
    records = by_id(search(http, sim, fields=WORK_FIELDS, showInactive=True, humanReadable="REPLACE"))
    ceo_id = edges.ceo_ids[0]
    ceo = demo.employee_by_id(ceo_id)
    assert ceo is not None
    report = next(e for e in demo.employees if e.manager_id == ceo_id and e.department)
    record = records[report.id]
    assert "humanReadable" not in record
    assert record["work"]["manager"] == record["work"]["reportsTo"] == ceo.display_name
    assert record["work"]["department"] == demo.department_by_id(report.department).name  # type: ignore[arg-type, union-attr]
    assert record["/work/department"]["value"] == record["work"]["department"]
    assert records[ceo_id]["work"]["isManager"] == "Yes"
    assert records[ceo_id]["work"]["manager"] is None


@pytest.mark.parametrize("mode", ["", "append", "Replace", "HUMAN", None, 1])
def test_invalid_human_readable_reads_as_machine(
    http: requests.Session, sim: Simulator, demo: Company, mode: Any
) -> None:
    records = by_id(search(http, sim, fields=WORK_FIELDS, humanReadable=mode))
    for person in demo.employees:
        if person.id in records:
            record = records[person.id]
            assert "humanReadable" not in record
            assert record["work"]["department"] == person.department
            assert record["work"]["manager"] == person.manager_id


def test_unknown_fields_are_silently_omitted(http: requests.Session, sim: Simulator) -> None:
    records = search(http, sim, fields=["root.id", "root.nope", "work.unknown", "employment.type", "nope"])
    assert all(set(r) == {"id", "/root/id"} for r in records)


@pytest.mark.parametrize(
    ("missing", "field", "nested_key"),
    [
        ("root", "root.email", "email"),
        ("about", "about.avatar", "about"),
        ("employment", "payroll.employment.type", "payroll"),
        ("work", "work.department", "work"),
        ("lifecycle", "internal.lifecycleStatus", "internal"),
    ],
)
def test_fields_of_a_missing_category_are_silently_omitted(
    sim: Simulator, missing: str, field: str, nested_key: str
) -> None:
    user = ServiceUser(id=f"SERVICE-NO-{missing}", token="t", categories=ALL_CATEGORIES - {missing})
    sim.add_service_user(user)
    with requests.Session() as session:
        session.auth = (user.id, user.token)
        response = session.post(
            f"{sim.base_url}/people/search", json={"fields": ["root.id", "root.email", field]}, timeout=10
        )
    assert response.status_code == 200
    records = response.json()["employees"]
    assert records
    for record in records:
        assert nested_key not in record
        assert "/" + field.replace(".", "/") not in record
        if missing != "root":
            assert "email" in record


def test_a_user_with_no_categories_gets_empty_records(sim: Simulator) -> None:
    sim.add_service_user(ServiceUser(id="SERVICE-NONE", token="t", categories=frozenset()))
    response = requests.post(
        f"{sim.base_url}/people/search", json={"fields": ["root.id"]}, auth=("SERVICE-NONE", "t"), timeout=10
    )
    assert response.status_code == 200
    assert all(record == {} for record in response.json()["employees"])


def test_unicode_names_round_trip(http: requests.Session, sim: Simulator, edges: EdgeCases) -> None:
    response = post(http, sim, {"fields": ["root.id", "root.displayName"], "showInactive": True})
    assert "李雷".encode() in response.content  # served as UTF-8, not \\u escapes
    names = {r["displayName"] for r in response.json()["employees"]}
    assert {"José Müller", "李雷", "Zoë O'Brien"} <= names


def test_duplicate_and_unordered_fields_keep_request_order(http: requests.Session, sim: Simulator) -> None:
    record = search(http, sim, fields=["work.title", "root.id", "work.department", "root.id", "root.email"])[0]
    assert list(record)[:3] == ["work", "id", "email"]
    assert list(record["work"]) == ["title", "department"]


def test_fast_encoder_matches_reference_renderer(demo: Company) -> None:
    """The template encoder that serves answers must equal the dict renderer, byte for byte."""
    index = CompanyIndex(demo)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    plans = [
        plan_fields(None, ALL_CATEGORIES),
        list(FIELDS),
        plan_fields(
            ["work.title", "root.id", "payroll.employment.weeklyHours", "root.email", CUSTOM_FIELD_ID], ALL_CATEGORIES
        ),
        [],
    ]
    for plan in plans:
        shape = RecordShape(plan)
        for mode in ("", "APPEND", "REPLACE"):
            for person in demo.employees:
                assert shape.encode(person, index, mode) == dumps(shape.render(person, index, mode))
