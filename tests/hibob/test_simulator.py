"""The plugin's hooks over real HTTP against the HiBob simulator, compared with the
simulator's own company data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import marshmallow
import pytest

from framework.host.context import ConnectorContext
from framework.host.errors import AuthError, PayloadError, UpstreamError
from framework.host.http import HttpPolicy
from framework.host.models import Email, Finding, Grant, Resource, ResourceRef, Status
from framework.host.plugins import Connector, get_plugin_manager
from framework.host.sync import run_sync
from framework.store.file import Store
from plugins.hibob.mapping import DEPARTMENT, USER
from plugins.hibob.simulator import ALL_CATEGORIES, Company, ServiceUser, Simulator, demo_company, find_edge_cases

SEARCH = ("POST", "/v1/people/search")
FIELDS = ("GET", "/v1/company/people/fields")
DEPARTMENTS = ("GET", "/v1/company/named-lists/department")
FAST = HttpPolicy(max_retries=2, backoff_base=0.01, read_timeout=10.0)


@pytest.fixture(scope="module")
def company() -> Company:
    return demo_company()


@pytest.fixture
def sim(company: Company) -> Iterator[Simulator]:
    with Simulator(company) as simulator:
        yield simulator


@pytest.fixture(scope="module")
def hibob() -> Connector:
    """The plugin as the host loads it: through its entry point and pluggy."""
    return get_plugin_manager(env={"BATON_LOAD_PLUGINS": "hibob"}).connector("hibob")


def context(
    sim: Simulator, user: ServiceUser | None = None, base_url: str | None = None, batch_size: int = 0
) -> ConnectorContext:
    user_id, token = (user.id, user.token) if user else sim.auth
    return ConnectorContext(
        config={
            "hibob-base-url": base_url or sim.base_url,
            "hibob-service-user-id": user_id,
            "hibob-service-user-token": token,
            "hibob-batch-size": str(batch_size),
        },
        http_policy=FAST,
    )


def limited_user(
    sim: Simulator, name: str, *, missing: frozenset[str] = frozenset(), inactive: bool = True
) -> ServiceUser:
    return sim.add_service_user(
        ServiceUser(
            id=f"SERVICE-{name}", token=f"token-{name}", categories=ALL_CATEGORIES - missing, sees_inactive=inactive
        )
    )


def list_everything(hibob: Connector, ctx: ConnectorContext) -> tuple[list[Resource], list[Resource], list[Grant]]:
    departments = list(hibob.list_resources(ctx, DEPARTMENT))
    users = list(hibob.list_resources(ctx, USER))
    return departments, users, list(hibob.list_grants(ctx))


def expected_department(company: Company, reference: str | None) -> str | None:
    """The oracle for membership: the department whose id is the reference, else the
    only department with that name, else none."""
    if reference is None:
        return None
    flat = company.all_departments()
    by_id = [d for d in flat if str(d.id) == reference]
    by_name = [d for d in flat if d.name == reference]
    if by_id:
        return str(by_id[0].id)
    return str(by_name[0].id) if len(by_name) == 1 else None


def requests_by_endpoint(sim: Simulator) -> Counter[tuple[str, str]]:
    return Counter((r.method, r.path) for r in sim.requests)


def test_departments_match_the_company_tree(hibob: Connector, sim: Simulator, company: Company) -> None:
    departments = list(hibob.list_resources(context(sim), DEPARTMENT))
    expected = {
        str(d.id): (d.name, None if d.parent_id is None else ResourceRef("department", str(d.parent_id)), d.archived)
        for d in company.walk_departments()
    }
    assert {r.id: (r.display_name, r.parent, r.profile["archived"]) for r in departments} == expected
    assert {r.id for r in departments if r.status is Status.DISABLED} == {
        str(d.id) for d in company.walk_departments() if d.archived
    }
    listed = [r.id for r in departments]
    for resource in departments:
        if resource.parent is not None:
            assert listed.index(resource.parent.id) < listed.index(resource.id), "parents come first"


def test_users_match_the_company_people(hibob: Connector, sim: Simulator, company: Company) -> None:
    users = {r.id: r for r in hibob.list_resources(context(sim), USER)}
    assert set(users) == {e.id for e in company.employees}
    for employee in company.employees:
        user = users[employee.id]
        assert user.display_name == employee.display_name
        assert user.status is (Status.DISABLED if employee.lifecycle_status == "terminated" else Status.ENABLED)
        assert user.profile["lifecycle_status"] == employee.lifecycle_status
        assert user.profile["employment_status"] == employee.status
        assert user.profile["termination_date"] == employee.termination_date
        assert user.profile["start_date"] == employee.start_date
        assert user.profile["manager_id"] == employee.manager_id
        assert user.profile["title"] == company.title_name(employee.title)
        assert user.profile["department_id"] == expected_department(company, employee.department)
        assert user.user.emails == ((Email(employee.email, primary=True),) if employee.email else ())
        if employee.employee_number is not None:
            assert user.user.employee_ids == (employee.id, str(employee.employee_number))


def test_every_lifecycle_state_maps_as_documented(hibob: Connector, sim: Simulator, company: Company) -> None:
    edges = find_edge_cases(company)
    users = {r.id: r for r in hibob.list_resources(context(sim), USER)}
    assert {"terminated", "hired", "garden leave", "leave", "parental leave"} <= set(edges.by_lifecycle)
    assert edges.custom_lifecycles, "the demo company has a custom lifecycle state"
    for state, ids in edges.by_lifecycle.items():
        statuses = {users[i].status for i in ids}
        assert statuses == {Status.DISABLED if state == "terminated" else Status.ENABLED}, state


def test_managers_are_on_the_profile(hibob: Connector, sim: Simulator, company: Company) -> None:
    users = {r.id: r for r in hibob.list_resources(context(sim), USER)}
    for employee in company.employees:
        manager = company.employee_by_id(employee.manager_id) if employee.manager_id else None
        profile = users[employee.id].profile
        if manager is None:
            continue
        assert profile["manager_display_name"] == manager.display_name
        assert profile["manager_email"] == manager.email
    ceo = find_edge_cases(company).ceo_ids[0]
    assert users[ceo].profile["manager_id"] is None


def test_grants_are_the_resolvable_memberships_and_gaps_are_warned(
    hibob: Connector, sim: Simulator, company: Company
) -> None:
    ctx = context(sim)
    departments, users, grants = list_everything(hibob, ctx)
    expected = {
        Grant(ResourceRef("department", dept), "member", ResourceRef("user", e.id))
        for e in company.employees
        if (dept := expected_department(company, e.department)) is not None
    }
    assert set(grants) == expected
    assert len(grants) == len(expected)
    edges = find_edge_cases(company)
    by_name = {g.principal.id for g in grants} & set(edges.department_by_name)
    assert by_name == set(edges.department_by_name), "a department named in work data resolves by its name"
    assert ctx.warnings["department_missing"].count == len(edges.without_department)
    assert ctx.warnings["department_unresolved"].count == len(edges.dangling_department)
    assert all(
        f"employee {i}:" in " ".join(ctx.warnings["department_unresolved"].examples) for i in edges.dangling_department
    )
    in_archived = {g.principal.id for g in grants if g.resource.id in {str(d) for d in edges.archived_departments}}
    assert in_archived, "people in archived departments keep their membership"
    assert {r.id for r in departments} >= {g.resource.id for g in grants}
    assert {r.id for r in users} >= {g.principal.id for g in grants}


def test_a_sync_costs_two_requests_after_validation(hibob: Connector, sim: Simulator) -> None:
    ctx = context(sim)
    ctx.sync_follows = True
    assert hibob.validate(ctx).valid
    assert requests_by_endpoint(sim) == {FIELDS: 1}, "in a sync, validation leaves its measurements to the listing"
    list_everything(hibob, ctx)
    assert requests_by_endpoint(sim) == {FIELDS: 1, SEARCH: 1, DEPARTMENTS: 1}
    assert ctx.http_stats.requests == 3
    sync_search = sim.requests_to(*SEARCH)[-1]
    assert sync_search.json["showInactive"] is True
    assert sync_search.json["humanReadable"] == "APPEND"
    assert "filters" not in sync_search.json
    assert sim.requests_to(*DEPARTMENTS)[0].query == {"includeArchived": "true"}


@pytest.mark.parametrize("batch_size", [40, 300, 1000])
def test_batching_gives_the_same_sync_in_one_id_listing_plus_one_search_per_batch(
    hibob: Connector, company: Company, tmp_path: Path, batch_size: int
) -> None:
    batches = -(-len(company.employees) // batch_size)
    with Simulator(company, rate_limit_per_minute=1000) as sim:
        plain, batched = context(sim), context(sim, batch_size=batch_size)
        with Store.open(tmp_path / "plain.db") as store:
            expected = run_sync(hibob, plain, store).summary
        before = len(sim.requests)
        with Store.open(tmp_path / "batched.db") as store:
            summary = run_sync(hibob, batched, store).summary
        searches = sim.requests_to(*SEARCH)[-batches:]
    assert expected["http"]["requests"] == 3
    assert summary["http"]["requests"] == len(sim.requests) - before == 1 + 1 + 1 + batches, (
        "validation, departments, the id listing, then one search per batch"
    )
    assert summary["validation"] == expected["validation"], "batches measure the same audience"
    assert summary["counts"] == expected["counts"]
    assert summary["warnings"] == expected["warnings"]
    filters = [search.json["filters"][0] for search in searches]
    assert all(f["fieldPath"] == "root.id" and f["operator"] == "equals" for f in filters)
    assert [len(f["values"]) for f in filters[:-1]] == [batch_size] * (batches - 1)
    assert sorted(v for f in filters for v in f["values"]) == sorted(e.id for e in company.employees)
    with Store.open_existing(tmp_path / "plain.db") as one, Store.open_existing(tmp_path / "batched.db") as other:
        for table in ("resources", "entitlements", "grants"):
            query = f"SELECT * FROM {table} ORDER BY 2, 3"
            rows = [[tuple(row)[1:] for row in db.query(query, [])] for db in (one, other)]
            assert rows[0] == rows[1], table


def test_hooks_in_any_order_fetch_each_thing_once(hibob: Connector, sim: Simulator, company: Company) -> None:
    ctx = context(sim)
    grants = list(hibob.list_grants(ctx))
    users = list(hibob.list_resources(ctx, USER))
    departments = list(hibob.list_resources(ctx, DEPARTMENT))
    assert requests_by_endpoint(sim) == {SEARCH: 2, DEPARTMENTS: 1}, "grants first lists users itself, once"
    assert len(users) == len(company.employees)
    assert grants and len(departments) == len(company.all_departments())
    again = list(hibob.list_grants(ctx))
    assert again == grants
    assert requests_by_endpoint(sim)[SEARCH] == 2


@pytest.mark.parametrize("envelope", ["items", "values", "both"])
def test_every_department_envelope_gives_the_same_departments(
    hibob: Connector, company: Company, envelope: str
) -> None:
    with Simulator(company, envelope=envelope) as sim:  # type: ignore[arg-type]
        ctx = context(sim)
        departments = list(hibob.list_resources(ctx, DEPARTMENT))
    assert sorted(r.id for r in departments) == sorted(str(d.id) for d in company.walk_departments())
    assert "department_duplicate" not in ctx.warnings


def test_a_full_host_sync_stores_everything_without_dangling_references(
    hibob: Connector, sim: Simulator, company: Company, tmp_path: Path
) -> None:
    ctx = context(sim)
    with Store.open(tmp_path / "sync.db") as store:
        result = run_sync(hibob, ctx, store)
    counts = result.summary["counts"]
    assert counts["resources"] == {"department": len(company.all_departments()), "user": len(company.employees)}
    assert counts["grants"] == sum(1 for e in company.employees if expected_department(company, e.department))
    assert result.summary["http"]["requests"] == 3
    codes = {w["code"] for w in result.summary["warnings"]}
    assert {"department_missing", "department_unresolved"} <= codes
    assert "lifecycle_missing" not in codes


def test_demo_upstream_yields_a_working_config(hibob: Connector) -> None:
    with hibob.demo_upstream() as config:
        assert set(config) == {"hibob-base-url", "hibob-service-user-id", "hibob-service-user-token"}
        report = hibob.validate(ConnectorContext(config=config))
    assert report.valid


# -- validation -------------------------------------------------------------------


def failed(findings: list[Finding], severity: str = "error") -> dict[str, str]:
    return {f.check: f.message for f in findings if not f.ok and f.severity == severity}


def test_a_fully_permitted_user_validates_cleanly(hibob: Connector, sim: Simulator) -> None:
    report = hibob.validate(context(sim))
    assert report.valid
    assert failed(report.findings) == failed(report.findings, "warning") == {}
    checks = {f.check for f in report.findings}
    assert {f"category:{c}" for c in ("root", "about", "employment", "work", "lifecycle")} <= checks


@pytest.mark.parametrize("category", sorted(ALL_CATEGORIES))
def test_each_missing_category_is_reported_by_name(
    hibob: Connector, sim: Simulator, company: Company, category: str
) -> None:
    user = limited_user(sim, f"no-{category}", missing=frozenset({category}))
    report = hibob.validate(context(sim, user))
    blocking = category in {"root", "work", "lifecycle"}
    assert report.valid is not blocking, "only a category the sync reads blocks it"
    problems = failed(report.findings, "error" if blocking else "warning")
    (finding,) = [f for f in report.findings if f.check == f"category:{category}"]
    assert f"'{category}'" in problems[f"category:{category}"]
    assert (finding.count, finding.total) == (len(company.employees), len(company.employees))
    assert requests_by_endpoint(sim) == {FIELDS: 1, SEARCH: 1}, "one lean search measures everyone"
    if category == "lifecycle":
        assert "terminated_visible" not in {f.check for f in report.findings}, "unknowable without lifecycle"


def test_several_missing_categories_are_each_reported(hibob: Connector, sim: Simulator) -> None:
    user = limited_user(sim, "basic", missing=frozenset({"about", "employment", "lifecycle"}))
    report = hibob.validate(context(sim, user))
    assert set(failed(report.findings)) == {"category:lifecycle"}
    assert set(failed(report.findings, "warning")) == {"category:about", "category:employment"}
    assert "unknown" in failed(report.findings)["category:lifecycle"]


def test_one_lean_search_asks_everyone_for_one_field_per_category(hibob: Connector, sim: Simulator) -> None:
    hibob.validate(context(sim))
    (search,) = sim.requests_to(*SEARCH)
    assert search.json == {
        "fields": [
            "root.id",
            "about.avatar",
            "payroll.employment.type",
            "work.department",
            "internal.lifecycleStatus",
            "internal.status",
        ],
        "showInactive": True,
    }


def test_a_user_who_cannot_see_former_employees_gets_a_warning(
    hibob: Connector, sim: Simulator, company: Company
) -> None:
    user = limited_user(sim, "active-only", inactive=False)
    report = hibob.validate(context(sim, user))
    assert report.valid, "a warning does not fail validation"
    (finding,) = [f for f in report.findings if f.check == "terminated_visible"]
    assert (finding.ok, finding.severity, finding.count) == (False, "warning", 0)
    assert finding.total == sum(1 for e in company.employees if e.active)
    assert "inactive (former) employees" in finding.message


def test_no_visible_employee_is_an_error(hibob: Connector) -> None:
    with Simulator(Company(departments=[], employees=[])) as sim:
        report = hibob.validate(context(sim))
        assert requests_by_endpoint(sim) == {FIELDS: 1, SEARCH: 1}
    assert not report.valid
    assert "no employee" in failed(report.findings)["employees_visible"]


def test_a_wrong_token_is_an_auth_error_after_one_request(hibob: Connector, sim: Simulator) -> None:
    ctx = context(sim, ServiceUser(id=sim.service_user_id, token="wrong"))
    with pytest.raises(AuthError, match="401"):
        hibob.validate(ctx)
    assert len(sim.requests) == 1


@pytest.mark.parametrize("suffix", ["/api/v1", "/v1/v1"])
def test_a_base_url_that_is_not_the_api_is_reported_as_such(hibob: Connector, sim: Simulator, suffix: str) -> None:
    report = hibob.validate(context(sim, base_url=sim.root_url + suffix))
    assert not report.valid
    assert "hibob-base-url" in failed(report.findings)["base_url"]
    assert len(sim.requests) == 1


def test_missing_lifecycle_data_is_warned_during_a_sync(hibob: Connector, sim: Simulator, company: Company) -> None:
    user = limited_user(sim, "no-lifecycle", missing=frozenset({"lifecycle"}))
    ctx = context(sim, user)
    users = list(hibob.list_resources(ctx, USER))
    assert ctx.warnings["lifecycle_missing"].count == len(company.employees) == len(users)


def test_missing_work_data_leaves_users_without_memberships(hibob: Connector, sim: Simulator, company: Company) -> None:
    user = limited_user(sim, "no-work", missing=frozenset({"work"}))
    ctx = context(sim, user)
    _, users, grants = list_everything(hibob, ctx)
    assert len(users) == len(company.employees)
    assert grants == []
    assert ctx.warnings["department_missing"].count == len(company.employees)


# -- faults -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "options", "error"),
    [
        ("truncated", {"premature_close": True}, UpstreamError),
        ("truncated", {}, PayloadError),
        ("html", {}, PayloadError),
        ("not_json", {}, PayloadError),
    ],
)
def test_a_broken_people_search_fails_the_listing(
    hibob: Connector, sim: Simulator, kind: str, options: dict[str, bool], error: type[Exception]
) -> None:
    sim.faults.add("POST /v1/people/search", kind, **options)
    with pytest.raises(error):
        list(hibob.list_resources(context(sim), USER))


def test_transient_failures_are_retried_by_the_host(hibob: Connector, sim: Simulator, company: Company) -> None:
    sim.faults.add("POST /v1/people/search", "http_503")
    sim.faults.add("GET /v1/company/named-lists/department", "rate_limit_no_headers")
    ctx = context(sim)
    _, users, _ = list_everything(hibob, ctx)
    assert len(users) == len(company.employees)
    assert ctx.http_stats.retries == 2


@pytest.mark.parametrize("batch_size", [0, 300])
def test_every_employee_record_of_a_sync_goes_through_schema_load(
    hibob: Connector, company: Company, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_size: int
) -> None:
    loaded: Counter[str] = Counter()
    real_load = marshmallow.Schema.load

    def counting_load(schema: marshmallow.Schema, data: Any, *, many: bool | None = None, **kwargs: Any) -> Any:
        loaded[type(schema).__name__] += len(data) if many else 1
        return real_load(schema, data, many=many, **kwargs)

    monkeypatch.setattr(marshmallow.Schema, "load", counting_load)
    with Simulator(company, rate_limit_per_minute=1000) as sim, Store.open(tmp_path / "sync.db") as store:
        summary = run_sync(hibob, context(sim, batch_size=batch_size), store).summary
    employees = len(company.employees)
    assert summary["counts"]["resources"]["user"] == employees
    assert loaded["EmployeeSchema"] == employees
    assert loaded["IdSchema"] == (employees if batch_size else 0), "a batched sync's id listing"
    assert loaded["DepartmentListSchema"] == 1
