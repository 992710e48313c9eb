"""Validation decisions on hand-made answers (the simulator tests cover real permission groups)."""

from __future__ import annotations

import pytest

from framework.host.context import ConnectorContext
from framework.host.errors import AuthError
from framework.host.models import Finding, ValidationReport
from plugins.hibob.client import HibobClient
from plugins.hibob.config import load_config
from plugins.hibob.simulator import Scripted, Simulator
from plugins.hibob.validation import CATEGORY_PROBES, validate_access
from tests.hibob.conftest import hibob_context
from tests.hibob.records import people

SEARCH = "POST /v1/people/search"
FIELDS = "GET /v1/company/people/fields"
ALL_PRESENT = {
    "id": "1",
    "email": None,
    "about": {"avatar": None},
    "payroll": {"employment": {"type": "Full-time"}},
    "work": {"department": "7"},
    "internal": {"lifecycleStatus": "employed"},
}


def validate(ctx: ConnectorContext) -> ValidationReport:
    return validate_access(HibobClient(ctx, load_config(ctx.config)))


def errors(report: ValidationReport) -> set[str]:
    return {f.check for f in report.findings if f.severity == "error"}


def warnings(report: ValidationReport) -> dict[str, Finding]:
    return {f.check: f for f in report.findings if f.severity == "warning"}


@pytest.fixture
def served(sim: Simulator) -> Simulator:
    sim.scripted.set(FIELDS, Scripted(json=[{"id": "root.id"}]))
    return sim


def test_permitted_nulls_count_as_readable(served: Simulator, ctx: ConnectorContext) -> None:
    served.scripted.set(
        SEARCH, people(ALL_PRESENT, {**ALL_PRESENT, "id": "2", "internal": {"lifecycleStatus": "terminated"}})
    )
    report = validate(ctx)
    assert report.valid
    assert {f.check for f in report.findings if f.ok} >= {f"category:{c}" for c in CATEGORY_PROBES}
    assert all(f.ok for f in report.findings), report.findings


def test_slash_keys_alone_count_as_readable(served: Simulator, ctx: ConnectorContext) -> None:
    served.scripted.set(
        SEARCH,
        people(
            {
                "/root/id": {"value": "1"},
                "/about/avatar": {"value": "https://x.io/a.png"},
                "/payroll/employment/type": {"value": "Full-time"},
                "/work/department": {"value": "7"},
                "/internal/lifecycleStatus": {"value": "terminated"},
            }
        ),
    )
    report = validate(ctx)
    assert report.valid and all(f.ok for f in report.findings), report.findings
    (leavers,) = [f for f in report.findings if f.check == "terminated_visible"]
    assert (leavers.count, leavers.total) == (1, 1), "a slash-key lifecycle counts as a leaver"


def test_each_absent_key_names_its_category(served: Simulator, ctx: ConnectorContext) -> None:
    served.scripted.set(SEARCH, people({"id": "1", "payroll": {}, "work": {"title": "x"}}))
    report = validate(ctx)
    assert errors(report) == {"category:work", "category:lifecycle"}
    assert set(warnings(report)) == {"category:about", "category:employment"}


def test_categories_hidden_for_some_people_are_counted(served: Simulator, ctx: ConnectorContext) -> None:
    hidden = {"id": "3", "about": {"avatar": None}, "payroll": {"employment": {"type": None}}}
    served.scripted.set(SEARCH, people(ALL_PRESENT, {**ALL_PRESENT, "id": "2"}, hidden))
    report = validate(ctx)
    assert report.valid, "work and lifecycle hidden for one of three people: the rest syncs"
    found = warnings(report)
    assert {check: (f.count, f.total) for check, f in found.items()} == {
        "category:work": (1, 3),
        "category:lifecycle": (1, 3),
        "terminated_visible": (0, 3),
    }
    assert "1 of 3" in found["category:lifecycle"].message


def test_inactive_pre_hires_are_not_taken_for_leavers(served: Simulator, ctx: ConnectorContext) -> None:
    hired = {**ALL_PRESENT, "id": "2", "internal": {"lifecycleStatus": "hired", "status": "Inactive"}}
    served.scripted.set(SEARCH, people(ALL_PRESENT, hired))
    found = warnings(validate(ctx))["terminated_visible"]
    assert found.count == 0
    assert "1 inactive employees are visible" in found.message and "not yet started" in found.message


def test_nobody_visible_is_an_error(served: Simulator, ctx: ConnectorContext) -> None:
    served.scripted.set(SEARCH, people())
    report = validate(ctx)
    assert errors(report) == {"employees_visible"}
    assert [f.check for f in report.findings] == ["credentials", "employees_visible"]


def test_an_html_answer_points_at_the_base_url(sim: Simulator) -> None:
    report = validate(hibob_context(sim, f"{sim.root_url}/api/v1"))  # outside /v1: a 200 HTML page, like HiBob
    assert errors(report) == {"base_url"}
    (finding,) = report.findings
    assert "text/html" in finding.message
    assert "hibob-base-url" in finding.message
    assert len(sim.requests) == 1


def test_a_404_points_at_the_base_url(sim: Simulator) -> None:
    assert errors(validate(hibob_context(sim, f"{sim.base_url}/v1"))) == {"base_url"}  # /v1/v1/...: no API there
    assert [r.status for r in sim.requests] == [404]


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_credential_raises_and_stops(sim: Simulator, ctx: ConnectorContext, status: int) -> None:
    sim.scripted.set(FIELDS, Scripted(status=status, body=b""))
    with pytest.raises(AuthError):
        validate(ctx)
    assert len(sim.requests) == 1
