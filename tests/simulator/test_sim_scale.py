"""Large tenants: streamed answers, the answer cache, and its invalidation."""

from __future__ import annotations

import requests

from plugins.hibob.simulator import Simulator, demo_company, generated_company

FIELDS = ["root.id", "root.email", "work.department", "work.manager", "internal.lifecycleStatus", "internal.status"]


def test_large_search_is_streamed_then_served_from_cache() -> None:
    company = generated_company(employees=20_000, departments=400, seed=2)
    with Simulator(company, rate_limit_per_minute=None) as sim, requests.Session() as session:
        session.auth = sim.auth
        body = {"fields": FIELDS, "showInactive": True}
        first = session.post(f"{sim.base_url}/people/search", json=body, timeout=60)
        second = session.post(f"{sim.base_url}/people/search", json=body, timeout=60)
        filtered = session.post(
            f"{sim.base_url}/people/search",
            json={
                **body,
                "filters": [{"fieldPath": "root.id", "operator": "equals", "values": [company.employees[5].id]}],
            },
            timeout=60,
        )
    assert first.headers.get("Transfer-Encoding") == "chunked"
    assert second.headers["Content-Length"] == str(len(second.content))
    assert first.content == second.content
    assert len(first.json()["employees"]) == 20_000
    assert [r["id"] for r in filtered.json()["employees"]] == [company.employees[5].id]


def test_cache_never_serves_a_stale_company() -> None:
    company = demo_company()
    with Simulator(company, rate_limit_per_minute=None, cache_min_employees=0) as sim:
        body = {"fields": ["root.id", "internal.lifecycleStatus"], "showInactive": True}
        url = f"{sim.base_url}/people/search"
        before = requests.post(url, json=body, auth=sim.auth, timeout=10).json()["employees"]
        assert before[1]["internal"]["lifecycleStatus"] != "terminated"
        company.employees[1].lifecycle_status = "terminated"
        after = requests.post(url, json=body, auth=sim.auth, timeout=10).json()["employees"]
        assert after[1]["internal"]["lifecycleStatus"] == "terminated"
        sim.company = generated_company(employees=10, departments=3, seed=1)
        replaced = requests.post(url, json=body, auth=sim.auth, timeout=10).json()["employees"]
        assert len(replaced) == 10


def test_cache_is_per_service_user_view() -> None:
    from plugins.hibob.simulator import ServiceUser

    company = demo_company()
    with Simulator(company, rate_limit_per_minute=None, cache_min_employees=0) as sim:
        sim.add_service_user(
            ServiceUser(id="SERVICE-LIMITED", token="t", categories=frozenset({"root"}), sees_inactive=False)
        )
        body = {"fields": ["root.id", "work.department"], "showInactive": True}
        url = f"{sim.base_url}/people/search"
        full = requests.post(url, json=body, auth=sim.auth, timeout=10).json()["employees"]
        limited = requests.post(url, json=body, auth=("SERVICE-LIMITED", "t"), timeout=10).json()["employees"]
    assert len(full) == len(company.employees) and "work" in full[0]
    assert len(limited) == sum(e.active for e in company.employees) and "work" not in limited[0]


def test_100k_people_are_generated_and_served_whole() -> None:
    """Speed is the benchmark's business (benchmarks/scale.py); this checks the answer."""
    company = generated_company(employees=100_000, departments=2_000, seed=1)
    with Simulator(company, rate_limit_per_minute=None) as sim:
        response = requests.post(
            f"{sim.base_url}/people/search",
            json={"fields": ["root.id", "work.department", "internal.status"], "showInactive": True},
            auth=sim.auth,
            timeout=120,
        )
    assert response.status_code == 200
    assert response.content.count(b'"/root/id"') == 100_000
