"""Scripted answers: served after the credential check, per request if asked, until removed."""

from __future__ import annotations

import json

import pytest
import requests

from plugins.hibob.simulator import ApiRequest, Company, Scripted, Simulator

SEARCH = "POST /v1/people/search"


def test_a_scripted_endpoint_serves_exactly_the_stated_answer_with_rate_headers() -> None:
    with Simulator(Company([], []), rate_limit_per_minute=50) as sim:
        sim.scripted.set(SEARCH, Scripted(body=b'{"employees": "none"}'))
        answer = requests.post(f"{sim.base_url}/people/search", json={}, auth=sim.auth, timeout=10)
        refused = requests.post(f"{sim.base_url}/people/search", json={}, auth=(sim.service_user_id, "x"), timeout=10)
    assert (answer.status_code, answer.content) == (200, b'{"employees": "none"}')
    assert answer.headers["Content-Type"].startswith("application/json")
    assert answer.headers["X-RateLimit-Remaining"] == "49"
    assert (refused.status_code, refused.content) == (401, b""), "credentials are still checked first"


def test_an_answer_may_depend_on_the_request_and_a_script_can_be_removed(sim: Simulator) -> None:
    def echo(request: ApiRequest) -> Scripted:
        return Scripted(status=400, json={"asked": json.loads(request.body)})

    sim.scripted.set(SEARCH, echo)
    asked = requests.post(f"{sim.base_url}/people/search", json={"fields": ["root.id"]}, auth=sim.auth, timeout=10)
    assert (asked.status_code, asked.json()) == (400, {"asked": {"fields": ["root.id"]}})
    sim.scripted.set(SEARCH, None)
    own = requests.post(f"{sim.base_url}/people/search", json={"fields": ["root.id"]}, auth=sim.auth, timeout=10)
    assert own.status_code == 200
    assert len(own.json()["employees"]) == len([e for e in sim.company.employees if e.active])


def test_a_fault_still_wins_over_a_script(sim: Simulator) -> None:
    sim.scripted.set(SEARCH, Scripted(json={"employees": []}))
    sim.faults.add(SEARCH, "http_503")
    answer = requests.post(f"{sim.base_url}/people/search", json={}, auth=sim.auth, timeout=10)
    assert answer.status_code == 503


@pytest.mark.parametrize("endpoint", ["/v1/people/search", "post /v1/people/search", "POST v1/people"])
def test_an_endpoint_must_name_method_and_path(sim: Simulator, endpoint: str) -> None:
    with pytest.raises(ValueError, match="endpoint must look like"):
        sim.scripted.set(endpoint, Scripted())
