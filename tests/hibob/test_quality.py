"""The users listing's data-quality checks on hand-made employees."""

from __future__ import annotations

from collections.abc import Iterable

from framework.host.context import ConnectorContext
from plugins.hibob.quality import MAX_COMPARED, Roster
from plugins.hibob.schemas import Employee


def roster() -> tuple[Roster, ConnectorContext]:
    ctx = ConnectorContext(config={})
    return Roster(ctx.warn), ctx


def test_repeats_are_refused_and_only_differing_ones_are_remembered() -> None:
    checks, ctx = roster()
    first = Employee("1", email="a@x.io", lifecycle_status="employed")
    assert checks.admit(first)
    assert not checks.admit(Employee("1", email="a@x.io", lifecycle_status="employed"))
    assert not checks.admit(Employee("1", email="a@x.io", lifecycle_status="terminated"))
    assert not checks.admit(Employee("1", email="b@x.io", lifecycle_status="terminated"))
    assert ctx.warnings["employee_duplicate"].count == 3
    assert list(checks.differing) == ["1"]


def test_differing_fields_are_named_by_hibob_field_id() -> None:
    checks, ctx = roster()
    checks.admit(Employee("1", email="a@x.io", title="7", title_label="Engineer"))
    checks.admit(Employee("1", email="a@x.io", title="8", title_label="Manager", reports_to_id="9"))
    asked: list[list[str]] = []

    def reread(ids: list[str]) -> Iterable[Employee]:
        asked.append(ids)
        return [Employee("1", email="a@x.io", title="7"), Employee("1", email="a@x.io", title="8", reports_to_id="9")]

    checks.report_differences(reread)
    assert asked == [["1"]]
    assert ctx.warnings["employee_duplicate_differs"].examples == ["employee 1: work.title, work.reportsTo"]


def test_no_second_read_without_differing_copies_and_at_most_max_compared_ids() -> None:
    checks, ctx = roster()
    checks.report_differences(lambda ids: [])  # nothing differs: never called
    for n in range(MAX_COMPARED + 2):
        checks.admit(Employee(str(n), email=f"{n}@x.io"))
        checks.admit(Employee(str(n), email=f"{n}@y.io"))
    asked: list[list[str]] = []
    checks.report_differences(lambda ids: asked.append(ids) or [])
    assert [len(ids) for ids in asked] == [MAX_COMPARED]
    warning = ctx.warnings["employee_duplicate_differs"]
    assert warning.count == MAX_COMPARED + 2
    assert warning.examples[0] == "employee 0: fields not identified on a second read"


def test_blank_missing_and_shared_addresses() -> None:
    checks, ctx = roster()
    for employee in (
        Employee("1", email=None),
        Employee("2", email="   "),
        Employee("3", email=" Ann@X.io "),
        Employee("4", email="ann@x.IO"),
        Employee("5", email="bob@x.io"),
    ):
        checks.admit(employee)
    assert ctx.warnings["email_missing"].examples == ["1", "2"]
    shared = ctx.warnings["email_shared"]
    assert (shared.count, shared.examples) == (1, ["employee 4 (same address as 3)"])
