"""Fields only copied to the profile never fail a sync: odd ``work.reportsTo`` shapes
real clients code around, and padded emails, end to end through the CLI."""

from __future__ import annotations

from typing import get_args

from plugins.hibob.simulator import Simulator
from plugins.hibob.simulator.company import ReportsToShape
from tests.cli import Cli


def test_odd_reports_to_shapes_are_warned_about_and_the_manager_comes_from_work_manager(
    cli: Cli, sim: Simulator, tenant_env: dict[str, str]
) -> None:
    managed = [e for e in sim.company.employees if e.manager_id]
    shapes = [shape for shape in get_args(ReportsToShape) if shape != "object"]
    odd = {}
    for employee, shape in zip(managed, shapes * 3, strict=False):
        employee.reports_to_shape = shape
        odd[employee.id] = employee
    padded, blank = [e for e in sim.company.employees if e.email and e.id not in odd][:2]
    padded.email, expected_email = f"  {padded.email}\t", padded.email
    blank.email = "   "

    run = cli("sync", "hibob", "--file", "hibob.db", "--output", "json", **tenant_env)

    assert run.code == 0, run.stderr
    warnings = {w["code"]: w for w in run.json()["warnings"]}
    unreadable = warnings["unreadable:work.reportsTo"]
    assert unreadable["count"] == 6, "three each of blank and empty, of the nine odd ones"
    assert set(unreadable["examples"]) <= {i for i, e in odd.items() if e.reports_to_shape != "id"}
    assert "work.manager" in unreadable["message"]
    users = {u["id"]: u for u in cli("resources", "--file", "hibob.db", "--output", "json").json()}
    for employee_id, employee in odd.items():
        profile = users[employee_id]["profile"]
        assert profile["manager_id"] == employee.manager_id
        assert profile["manager_email"] is None
    assert users[padded.id]["emails"] == [{"address": expected_email, "primary": True}]
    assert users[padded.id]["profile"]["email"] == expected_email
    assert users[blank.id]["emails"] == []
    assert users[blank.id]["profile"]["email"] is None
