from __future__ import annotations

import contextlib
from typing import Any

import pytest
from marshmallow import ValidationError, fields, validate

from framework.host.errors import PayloadError
from plugins.hibob.schemas import (
    EMPLOYEE_FIELDS,
    KEEPS_ANY_STR,
    KEEPS_NO_STR,
    KEEPS_NONBLANK_STR,
    DepartmentItem,
    Employee,
    Identifier,
    Label,
    RecordSchema,
    Text,
    field_present,
    keeps_str,
    load_departments,
    load_employee,
    nested_path,
    slash_key,
)
from tests.hibob.records import item, record

SEARCH = "POST /people/search"


def test_a_full_record_reads_every_field_the_mapping_needs() -> None:
    employee = load_employee(record(), SEARCH)
    assert employee == Employee(
        id="3332883911884669725",
        email="amy.miles@example.com",
        first_name="Amy",
        surname="Miles",
        display_name="Amy Miles",
        department="209192163",
        title="255490048",
        reports_to_id="3332883909410030364",
        reports_to_email="zoe.clark@example.com",
        reports_to_first_name="Zoe",
        reports_to_surname="Clark",
        reports_to_display_name="Zoe Clark",
        manager_id="3332883909410030364",
        employee_number="39",
        start_date="2015-03-20",
        site="New York",
        lifecycle_status="employed",
        status="Active",
        termination_date=None,
        department_label="Product",
        title_label="Designer",
    )


def test_records_are_frozen() -> None:
    employee = load_employee(record(), SEARCH)
    with pytest.raises(AttributeError):
        employee.id = "other"  # type: ignore[misc]


def test_numeric_ids_become_strings_without_losing_digits() -> None:
    employee = load_employee(record(3332883911884669725, department=209192163), SEARCH)
    assert employee.id == "3332883911884669725"
    assert employee.department == "209192163"
    assert employee.employee_number == "39"


def test_a_slash_only_record_reads_like_a_nested_one() -> None:
    slash_only = {
        "/root/id": {"value": "7"},
        "/root/email": {"value": "x@example.com"},
        "/root/displayName": {"value": "X Y"},
        "/work/department": {"value": 12},
        "/work/reportsTo": {"value": {"id": "9", "displayName": "Boss"}},
        "/internal/lifecycleStatus": {"value": "terminated"},
        "/internal/terminationDate": {"value": "2024-01-31"},
    }
    employee = load_employee(slash_only, SEARCH)
    assert employee.id == "7"
    assert employee.email == "x@example.com"
    assert employee.display_name == "X Y"
    assert employee.department == "12"
    assert (employee.reports_to_id, employee.reports_to_display_name, employee.reports_to_email) == ("9", "Boss", None)
    assert (employee.lifecycle_status, employee.status, employee.termination_date) == ("terminated", None, "2024-01-31")


def test_nested_values_win_over_slash_keys_and_the_input_is_not_changed() -> None:
    raw = record(department="nested-dept")
    raw["/work/department"] = {"value": "slash-dept"}
    raw["/work/title"] = {"value": "slash-title"}
    del raw["work"]["title"]
    snapshot = repr(raw)
    employee = load_employee(raw, SEARCH)
    assert employee.department == "nested-dept"
    assert employee.title == "slash-title"
    assert repr(raw) == snapshot


def test_a_permitted_null_stays_null_even_without_a_slash_key() -> None:
    employee = load_employee(record(department=None), SEARCH)
    assert employee.department is None


def test_a_null_category_is_filled_from_slash_keys() -> None:
    raw = {"id": "5", "work": None, "/work/department": {"value": "Sales"}}
    assert load_employee(raw, SEARCH).department == "Sales"


def test_unknown_keys_at_every_level_are_ignored() -> None:
    raw = record(surprise={"deep": [1, 2]})
    raw["work"]["custom"] = {"field_1690000000000": "CC-1"}
    raw["work"]["reportsTo"]["avatarUrl"] = "https://example.com/a.png"
    raw["internal"]["periodSinceHire"] = "5y"
    raw["humanReadable"]["work"]["isManager"] = "No"
    raw["humanReadable"]["about"] = {"hobbies": ["Chess"]}
    assert load_employee(raw, SEARCH) == load_employee(record(), SEARCH)


def test_a_record_with_only_an_id_reads_with_empty_categories() -> None:
    employee = load_employee({"id": "1"}, SEARCH)
    assert employee == Employee(id="1")


def test_odd_human_readable_labels_do_not_fail_the_record() -> None:
    raw = record()
    raw["humanReadable"]["work"] = {"department": {"odd": True}, "title": 7, "manager": "Zoe Clark"}
    employee = load_employee(raw, SEARCH)
    assert (employee.department_label, employee.title_label, employee.manager_label) == (None, "7", "Zoe Clark")


@pytest.mark.parametrize(
    "raw",
    [
        {"email": "no-id@example.com"},
        {"id": None},
        {"id": True},
        {"id": "  "},
        {"id": 1.5},
        {"id": "1", "work": {"department": ["a"]}},
        {"id": "1", "internal": "employed"},
        {"id": "1", "email": 5},
        "not a record",
    ],
)
def test_a_malformed_record_is_a_payload_error_naming_the_endpoint(raw: Any) -> None:
    with pytest.raises(PayloadError, match="POST /people/search"):
        load_employee(raw, SEARCH)


def test_the_payload_error_names_the_employee_it_could_not_read() -> None:
    with pytest.raises(PayloadError, match="employee '42'"):
        load_employee({"id": "42", "work": {"department": {"id": 1}}}, SEARCH)


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        ({"id": "1", "work": {"department": 1.5, "title": []}}, ["work.department", "work.title"]),
        ({"id": "1", "work": ["Sales"]}, ["work"]),
        ({"id": "1", "work": {"reportsTo": "Zoe Clark"}}, ["work.reportsTo"]),
        ({"id": "1", "work": {"reportsTo": {"id": {"nested": 1}}}}, ["work.reportsTo.id"]),
        ({"id": "1", "/work/reportsTo": {"value": 9}}, ["work.reportsTo"]),
        ({"work": {}}, ["root.id"]),
    ],
)
def test_every_bad_value_is_named_by_its_hibob_field_id(raw: dict[str, Any], where: list[str]) -> None:
    with pytest.raises(PayloadError) as caught:
        load_employee(raw, SEARCH)
    for field_id in where:
        assert repr(field_id) in str(caught.value)


def test_a_surprising_human_readable_node_does_not_fail_the_record() -> None:
    for node in ("Amy Miles", None, {"work": "Product"}, {"work": None}):
        raw = {**record(), "humanReadable": node}
        employee = load_employee(raw, SEARCH)
        assert (employee.department_label, employee.title_label, employee.manager_label) == (None, None, None)


STRINGS = ["Amy", "", " ", "\t", " 209192163 ", "209192163", "Zoë"]


@pytest.mark.parametrize(
    "field",
    [Text(), Text(load_default=None), Identifier(), Identifier(load_default=None), Label(load_default=None)],
)
def test_a_string_the_reader_keeps_is_one_the_field_would_return_unchanged(field: fields.Field[Any]) -> None:
    kept = keeps_str(field)
    assert kept != KEEPS_NO_STR
    for value in STRINGS:
        if kept == KEEPS_ANY_STR or (value and not value.isspace()):
            assert field.deserialize(value) == value
        else:
            assert kept == KEEPS_NONBLANK_STR
            with contextlib.suppress(ValidationError):
                assert field.deserialize(value) != value


def test_fields_with_validators_or_other_types_always_load_through_marshmallow() -> None:
    assert keeps_str(Text(validate=validate.Length(max=3))) == KEEPS_NO_STR
    assert keeps_str(Identifier(pre_load=str.strip)) == KEEPS_NO_STR
    assert keeps_str(fields.String()) == KEEPS_NO_STR


class Checked(RecordSchema):
    name = Text(data_key="root.displayName", validate=validate.Length(max=3))


def test_a_field_validator_runs_on_every_record() -> None:
    assert Checked().read({"displayName": "Amy"}) == {"name": "Amy"}
    with pytest.raises(ValidationError, match=r"root\.displayName"):
        Checked().read({"displayName": "Amelia"})


def test_the_requested_fields_map_to_nested_paths_and_slash_keys() -> None:
    assert "root.id" in EMPLOYEE_FIELDS
    assert "showInactive" not in EMPLOYEE_FIELDS
    assert nested_path("root.id") == ("id",)
    assert nested_path("work.department") == ("work", "department")
    assert nested_path("payroll.employment.type") == ("payroll", "employment", "type")
    assert slash_key("payroll.employment.type") == "/payroll/employment/type"


def test_field_presence_counts_permitted_nulls_and_slash_keys() -> None:
    raw = {"id": "1", "about": {"avatar": None}, "payroll": {"employment": {}}, "/work/department": {"value": "3"}}
    assert field_present(raw, "about.avatar")
    assert field_present(raw, "work.department")
    assert not field_present(raw, "payroll.employment.type")
    assert not field_present(raw, "root.email")
    assert not field_present(raw, "internal.lifecycleStatus")


DEPARTMENTS = "GET /company/named-lists/department"
TREE = [item(1, "Engineering", item("2", "Platform", item("p-3", "SRE", archived=True))), item("4", "Sales")]


@pytest.mark.parametrize("envelope", ["items", "values"])
def test_departments_read_from_either_envelope(envelope: str) -> None:
    roots = load_departments({envelope: TREE}, DEPARTMENTS)
    assert roots == (
        DepartmentItem(
            "1",
            "Engineering",
            False,
            (DepartmentItem("2", "Platform", False, (DepartmentItem("p-3", "SRE", True),)),),
        ),
        DepartmentItem("4", "Sales", False),
    )


def test_both_envelopes_return_the_items_of_both() -> None:
    roots = load_departments({"items": TREE, "values": TREE[:1]}, DEPARTMENTS)
    assert [root.id for root in roots] == ["1", "4", "1"]


def test_department_items_tolerate_missing_optional_keys_and_extras() -> None:
    roots = load_departments({"items": [{"id": 9, "value": "Ops", "parentId": None, "extra": 1}]}, DEPARTMENTS)
    assert roots == (DepartmentItem("9", "Ops", False),)
    roots = load_departments(
        {"values": [{"id": "x", "name": "Only name", "children": None, "archived": None}]}, DEPARTMENTS
    )
    assert roots == (DepartmentItem("x", "Only name", False),)
    assert load_departments({"items": [{"id": "bare"}]}, DEPARTMENTS)[0].name == "bare"


def test_deep_department_trees_read_completely() -> None:
    node = item("leaf", "Leaf")
    for depth in range(60):
        node = item(f"d{depth}", f"Level {depth}", node)
    roots = load_departments({"items": [node]}, DEPARTMENTS)
    depth = 0
    current = roots[0]
    while current.children:
        current = current.children[0]
        depth += 1
    assert (current.id, depth) == ("leaf", 60)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"items": None},
        {"data": TREE},
        {"items": {"1": "Engineering"}},
        {"items": [{"name": "no id"}]},
        {"items": [{"id": "1", "children": "none"}]},
        [{"id": "1"}],
        "department",
    ],
)
def test_malformed_department_lists_are_payload_errors(body: Any) -> None:
    with pytest.raises(PayloadError, match=DEPARTMENTS):
        load_departments(body, DEPARTMENTS)
