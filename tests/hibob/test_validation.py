"""Validation decisions on hand-made answers (the simulator tests cover real permission groups)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from framework.host.context import ConnectorContext
from framework.host.errors import AuthError
from framework.host.models import ValidationReport
from plugins.hibob.client import HibobClient
from plugins.hibob.config import load_config
from plugins.hibob.validation import CATEGORY_PROBES, validate_access
from tests.hibob.fake_hibob import FakeHibob, Reply, Seen, people

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
    return {f.check for f in report.findings if not f.ok and f.severity == "error"}


def search(listing: Reply, probe: Reply) -> Callable[[Seen], Reply]:
    """Answer the id-and-status listing and the one-person probe differently."""

    def answer(seen: Seen) -> Reply:
        return probe if "filters" in seen.json else listing

    return answer


@pytest.fixture
def served(fake: FakeHibob) -> FakeHibob:
    fake.on(FIELDS, Reply(json=[{"id": "root.id"}]))
    return fake


def test_permitted_nulls_count_as_readable(served: FakeHibob, ctx: ConnectorContext) -> None:
    listing = people({"id": "1", "internal": {"status": "Active"}}, {"id": "2", "internal": {"status": "Inactive"}})
    served.on(SEARCH, search(listing, people(ALL_PRESENT)))
    report = validate(ctx)
    assert report.valid
    assert {f.check for f in report.findings if f.ok} >= {f"category:{c}" for c in CATEGORY_PROBES}


def test_slash_keys_alone_count_as_readable(served: FakeHibob, ctx: ConnectorContext) -> None:
    listing = people({"/root/id": {"value": 1}, "/internal/status": {"value": "Inactive"}})
    probe = people(
        {
            "/root/id": {"value": "1"},
            "/root/email": {"value": "a@x.io"},
            "/about/avatar": {"value": "https://x.io/a.png"},
            "/payroll/employment/type": {"value": "Full-time"},
            "/work/department": {"value": "7"},
            "/internal/lifecycleStatus": {"value": "hired"},
        }
    )
    served.on(SEARCH, search(listing, probe))
    assert validate(ctx).valid
    assert served.requests[-1].json["filters"][0]["values"] == ["1"]


def test_each_absent_key_names_its_category(served: FakeHibob, ctx: ConnectorContext) -> None:
    partial = {"id": "1", "email": "a@x.io", "payroll": {}, "work": {"title": "x"}}
    served.on(SEARCH, search(people({"id": "1", "internal": {"status": "Inactive"}}), people(partial)))
    report = validate(ctx)
    assert errors(report) == {"category:about", "category:employment", "category:work", "category:lifecycle"}


def test_the_probe_prefers_an_active_employee(served: FakeHibob, ctx: ConnectorContext) -> None:
    listing = people(
        {"id": "9", "internal": {"status": "Inactive"}},
        {"id": "5", "internal": {"status": "Active"}},
        {"id": "6", "internal": {"status": "Active"}},
    )
    served.on(SEARCH, search(listing, people(ALL_PRESENT)))
    validate(ctx)
    assert served.requests[-1].json["filters"][0]["values"] == ["5"]


def test_a_probe_that_answers_nobody_is_an_error(served: FakeHibob, ctx: ConnectorContext) -> None:
    served.on(SEARCH, search(people({"id": "1", "internal": {"status": "Inactive"}}), people()))
    assert errors(validate(ctx)) == {"categories"}


def test_an_html_answer_points_at_the_base_url(fake: FakeHibob, ctx: ConnectorContext) -> None:
    report = validate(ctx)  # the fake answers unknown paths with a 200 HTML page, like HiBob
    assert errors(report) == {"base_url"}
    (finding,) = report.findings
    assert "text/html" in finding.message
    assert "hibob-base-url" in finding.message
    assert len(fake.requests) == 1


def test_a_404_points_at_the_base_url(fake: FakeHibob, ctx: ConnectorContext) -> None:
    fake.on(FIELDS, Reply(status=404, json={"key": "not.found", "error": "No API here"}))
    assert errors(validate(ctx)) == {"base_url"}


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_credential_raises_and_stops(fake: FakeHibob, ctx: ConnectorContext, status: int) -> None:
    fake.on(FIELDS, Reply(status=status, body=b""))
    with pytest.raises(AuthError):
        validate(ctx)
    assert len(fake.requests) == 1
