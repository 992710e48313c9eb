from __future__ import annotations

from typing import Any

import pytest
from marshmallow import ValidationError, post_load, pre_load, validate, validates, validates_schema

from framework.host.errors import PayloadError
from plugins.hibob.fields import Text
from plugins.hibob.schemas import (
    EMPLOYEE_FIELDS,
    EMPLOYEE_SCHEMA,
    DepartmentItem,
    Employee,
    EmployeeSchema,
    RecordSchema,
    load_departments,
    load_record,
    load_records,
)
from plugins.hibob.shapes import field_present, nested_path, slash_key
from tests.hibob.records import item, record

SEARCH = "POST /people/search"


def load_employee(raw: Any, endpoint: str) -> Employee:
    employee: Employee = load_record(EMPLOYEE_SCHEMA, raw, endpoint)
    return employee


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


def test_the_payload_error_names_the_record_position_never_the_person() -> None:
    bad = {"id": "4242424242", "email": "zoe.private@example.com", "internal": {"lifecycleStatus": ["x"]}}
    with pytest.raises(PayloadError) as caught:
        load_records(EMPLOYEE_SCHEMA, [record("1"), bad], SEARCH, first=10)
    message = str(caught.value)
    assert "employee record 12" in message
    assert "internal.lifecycleStatus" in message
    assert "4242424242" not in message
    assert "zoe.private" not in message


def test_a_record_without_an_id_asks_about_the_root_category() -> None:
    with pytest.raises(PayloadError, match=r"employee record 1, without root\.id: is the 'root' category granted"):
        load_record(EMPLOYEE_SCHEMA, {"email": "x@example.com"}, SEARCH)


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        (
            {"id": "1", "work": {"department": 1.5, "employeeIdInCompany": []}},
            ["work.department", "work.employeeIdInCompany"],
        ),
        ({"id": "1", "work": ["Sales"]}, ["work"]),
        (
            {"id": "1", "internal": {"lifecycleStatus": 5, "status": {}}},
            ["internal.lifecycleStatus", "internal.status"],
        ),
        ({"id": "1", "/internal/lifecycleStatus": {"value": True}}, ["internal.lifecycleStatus"]),
        ({"id": "1", "email": ["a@x"]}, ["root.email"]),
        ({"work": {}}, ["root.id"]),
    ],
)
def test_every_bad_identity_value_is_named_by_its_hibob_field_id(raw: dict[str, Any], where: list[str]) -> None:
    with pytest.raises(PayloadError) as caught:
        load_employee(raw, SEARCH)
    for field_id in where:
        assert repr(field_id) in str(caught.value)


MANAGER = {
    "id": "3332883909410030364",
    "firstName": "Zoe",
    "surname": "Clark",
    "email": " zoe@x.io ",
    "displayName": "",
}


@pytest.mark.parametrize(
    ("reports_to", "manager_id", "unreadable"),
    [
        (MANAGER, "3332883909410030364", ()),
        ({**MANAGER, "id": 3332883909410030364}, "3332883909410030364", ()),
        ("3332883909410030364", "3332883909410030364", ()),
        (" 3332883909410030364 ", "3332883909410030364", ()),
        (None, None, ()),
        ("", None, (("work.reportsTo", "a blank string"),)),
        ({}, None, (("work.reportsTo", "an empty object"),)),
        ({"id": None, "displayName": "Zoe Clark"}, None, (("work.reportsTo", "an object"),)),
        ("Zoe Clark", None, (("work.reportsTo", "a string"),)),
        (["3332883909410030364"], None, (("work.reportsTo", "a list"),)),
        (77, "77", ()),
        (True, None, (("work.reportsTo", "a boolean"),)),
    ],
)
def test_reports_to_accepts_every_seen_shape_and_lists_what_it_could_not_read(
    reports_to: Any, manager_id: str | None, unreadable: tuple[tuple[str, str], ...]
) -> None:
    raw = record()
    raw["work"]["reportsTo"] = reports_to
    raw["work"]["manager"] = None
    employee = EmployeeSchema().load(raw)
    assert employee.reports_to_id == manager_id
    assert employee.unreadable == unreadable
    assert employee.id == "3332883911884669725"


def test_a_full_reports_to_object_keeps_its_parts_trimmed_and_blank_ones_empty() -> None:
    raw = record()
    raw["work"]["reportsTo"] = {**MANAGER, "surname": 5}
    employee = EmployeeSchema().load(raw)
    assert (employee.reports_to_email, employee.reports_to_first_name) == ("zoe@x.io", "Zoe")
    assert (employee.reports_to_surname, employee.reports_to_display_name) == (None, None)


@pytest.mark.parametrize(
    ("value", "loaded", "unreadable"),
    [
        ("2015-03-20", "2015-03-20", ()),
        (" 2015-03-20 ", "2015-03-20", ()),
        ("2015-03-20T00:00:00Z", "2015-03-20", ()),
        ("", None, ()),
        (None, None, ()),
        ("20/03/2015", None, (("work.startDate", "a string"),)),
        (20150320, None, (("work.startDate", "a number"),)),
        ({}, None, (("work.startDate", "an empty object"),)),
    ],
)
def test_dates_load_as_iso_or_are_listed_as_unreadable(value: Any, loaded: str | None, unreadable: Any) -> None:
    raw = record()
    raw["work"]["startDate"] = value
    employee = EmployeeSchema().load(raw)
    assert (employee.start_date, employee.unreadable) == (loaded, unreadable)


def test_described_text_takes_strings_and_numbers_and_lists_other_shapes() -> None:
    raw = record(firstName=7, surname={"value": "Miles"}, displayName="")
    raw["work"].update(site={"id": 2510068, "name": "New York"}, title=255490048, manager="Zoe Clark")
    raw["humanReadable"]["work"] = {"department": {"odd": True}, "title": 7}
    employee = EmployeeSchema().load(raw)
    assert (employee.first_name, employee.surname, employee.display_name) == ("7", None, None)
    assert (employee.site, employee.title, employee.manager_id) == (None, "255490048", None)
    assert (employee.department_label, employee.title_label) == (None, "7")
    assert employee.unreadable == (
        ("root.surname", "an object"),
        ("work.manager", "a string"),
        ("work.site", "an object"),
        ("humanReadable.work.department", "an object"),
    )


@pytest.mark.parametrize(("email", "loaded"), [(" a@x.io ", "a@x.io"), ("   ", None), ("", None), (None, None)])
def test_emails_are_trimmed_and_a_blank_one_is_no_address(email: str | None, loaded: str | None) -> None:
    assert EmployeeSchema().load(record(email=email)).email == loaded


def test_the_reference_record_loads_with_schema_load() -> None:
    assert EmployeeSchema().load(record()) == load_employee(record(), SEARCH)
    assert EmployeeSchema().load([record("1"), record("2")], many=True)[1].id == "2"


def test_a_replace_mode_record_loads_with_names_where_ids_were() -> None:
    replaced = {
        "id": "3332883911884669725",
        "displayName": "Amy Miles",
        "work": {
            "department": "Product",
            "title": "Designer",
            "reportsTo": "Zoe Clark",
            "manager": "Zoe Clark",
            "isManager": "No",
            "employeeIdInCompany": "39",
            "startDate": "20/03/2015",
        },
        "internal": {"lifecycleStatus": "Employed", "status": "Active"},
    }
    employee = EmployeeSchema().load(replaced)
    assert (employee.department, employee.reports_to_id, employee.manager_id) == ("Product", None, None)
    assert [field_id for field_id, _ in employee.unreadable] == ["work.reportsTo", "work.manager", "work.startDate"]


class Audited(EmployeeSchema):
    """A schema extended the way marshmallow intends: every hook kind runs (hooks of
    one kind run in no guaranteed order, so ``make`` is overridden, not added to)."""

    calls: list[str]

    @pre_load
    def count(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        self.calls.append("pre_load")
        return data

    @validates("lifecycle_status")
    def known_state(self, value: str | None, **kwargs: Any) -> None:
        self.calls.append("validates")
        if value == "retired":
            raise ValidationError("not a state this tenant uses")

    @validates_schema
    def named(self, data: dict[str, Any], **kwargs: Any) -> None:
        self.calls.append("validates_schema")
        if data["display_name"] is None:
            raise ValidationError("every employee needs a display name")

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> Employee:
        self.calls.append("post_load")
        employee = super().make(data)
        return employee._replace(email=employee.email and employee.email.lower())


def test_schema_hooks_of_a_subclass_run_in_marshmallows_order() -> None:
    schema = Audited()
    schema.calls = []
    employee = schema.load(record(email="Amy.Miles@Example.com"))
    assert (employee.email, employee.reports_to_id) == ("amy.miles@example.com", "3332883909410030364")
    assert schema.calls == ["pre_load", "validates", "validates_schema", "post_load"]
    with pytest.raises(ValidationError, match="not a state"):
        schema.load(record(lifecycle="retired"))
    with pytest.raises(ValidationError, match="display name"):
        schema.load(record(displayName=None))


class Checked(RecordSchema):
    name = Text(data_key="root.displayName", validate=validate.Length(max=3))


def test_a_field_validator_runs_on_every_record() -> None:
    assert Checked().load({"displayName": "Amy"}) == {"name": "Amy"}
    with pytest.raises(ValidationError, match=r"root\.displayName"):
        Checked().load({"displayName": "Amelia"})


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
