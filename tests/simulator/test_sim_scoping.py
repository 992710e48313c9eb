"""Permission scoping: an audience narrowed by a rule, and categories granted for part of it."""

from __future__ import annotations

import requests

from plugins.hibob.simulator import Company, ServiceUser, Simulator, generated_company
from tests.simulator.conftest import by_id, search

FIELDS = ["root.id", "work.department", "internal.lifecycleStatus", "internal.status"]


def scoped(http: requests.Session, sim: Simulator, user: ServiceUser) -> requests.Session:
    sim.add_service_user(user)
    http.auth = (user.id, user.token)
    return http


def test_an_audience_rule_leaves_people_out_without_an_error(
    http: requests.Session, sim: Simulator, demo: Company
) -> None:
    rule = ServiceUser("SVC-a", "t-a", audience=lambda e: e.lifecycle_status != "terminated")
    seen = by_id(search(scoped(http, sim, rule), sim, fields=FIELDS, showInactive=True))
    assert set(seen) == {e.id for e in demo.employees if e.lifecycle_status != "terminated"}
    assert any(record["internal"]["lifecycleStatus"] == "hired" for record in seen.values())


def test_a_category_for_part_of_the_audience_is_omitted_in_both_forms_for_the_rest(
    http: requests.Session, sim: Simulator, demo: Company
) -> None:
    readable = {e.id for e in demo.employees[::3]}
    user = ServiceUser("SVC-c", "t-c", category_audience={"lifecycle": lambda e: e.id in readable})
    seen = by_id(search(scoped(http, sim, user), sim, fields=FIELDS, showInactive=True))
    assert set(seen) == {e.id for e in demo.employees}
    for employee_id, record in seen.items():
        has_lifecycle = "internal" in record or any(key.startswith("/internal/") for key in record)
        assert has_lifecycle is (employee_id in readable), employee_id
        assert "work" in record


def test_scoped_answers_are_never_served_from_the_shared_cache() -> None:
    company = generated_company(employees=1200, departments=20, seed=5)
    with Simulator(company, rate_limit_per_minute=None, cache_min_employees=1000) as sim, requests.Session() as http:
        http.auth = sim.auth
        everyone = search(http, sim, fields=FIELDS, showInactive=True)
        user = ServiceUser("SVC-s", "t-s", audience=lambda e: e.id == company.employees[0].id)
        (only,) = search(scoped(http, sim, user), sim, fields=FIELDS, showInactive=True)
    assert len(everyone) == 1200 and only["id"] == company.employees[0].id
