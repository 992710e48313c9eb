"""Fault injection: each kind, its options, counting, matching and recording."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests

from plugins.hibob.simulator import FAULT_KINDS, Company, Simulator

SEARCH = "POST /v1/people/search"
FIELDS = "GET /v1/company/people/fields"
DEPARTMENTS = "GET /v1/company/named-lists/department"


def call(http: requests.Session, sim: Simulator, endpoint: str, timeout: float = 10) -> requests.Response:
    method, path = endpoint.split(" ", 1)
    url = sim.root_url + path
    if method == "POST":
        return http.post(url, json={"fields": ["root.id", "root.displayName"]}, timeout=timeout)
    return http.get(url, timeout=timeout)


@pytest.mark.parametrize("endpoint", [SEARCH, FIELDS, DEPARTMENTS])
@pytest.mark.parametrize(
    ("kind", "status", "content_type"),
    [
        ("http_500", 500, "application/json"),
        ("http_502", 502, "text/html"),
        ("http_503", 503, "text/html"),
        ("html", 200, "text/html"),
        ("forbidden", 403, "application/json"),
        ("rate_limit_no_headers", 429, "application/json"),
    ],
)
def test_simple_faults_then_normal_service(
    http: requests.Session, sim: Simulator, endpoint: str, kind: str, status: int, content_type: str
) -> None:
    sim.faults.add(endpoint, kind, times=2)
    for _ in range(2):
        faulted = call(http, sim, endpoint)
        assert faulted.status_code == status
        assert faulted.headers["Content-Type"].startswith(content_type)
        assert "X-RateLimit-Reset" not in faulted.headers
    assert call(http, sim, endpoint).status_code == 200
    assert [(r.status, r.fault) for r in sim.requests] == [(status, kind)] * 2 + [(200, None)]
    if content_type == "application/json" and status != 200:
        assert faulted.json()["key"] and faulted.json()["error"]
    assert sim.faults.pending == []


def test_rate_limit_fault_sends_rate_headers(http: requests.Session, demo: Company) -> None:
    with Simulator(demo) as sim:
        sim.faults.add(SEARCH, "rate_limit", seconds=3)
        response = http.post(f"{sim.base_url}/people/search", json={}, auth=sim.auth, timeout=10)
    assert response.status_code == 429
    assert response.headers["X-RateLimit-Remaining"] == "0"
    assert response.headers["X-RateLimit-Limit"] == "50"
    reset = int(response.headers["X-RateLimit-Reset"])
    assert time.time() + 2 <= reset <= time.time() + 6
    assert "Retry-After" not in response.headers
    assert response.json()["key"] == "rate.limit"


def test_retry_after_fault(http: requests.Session, sim: Simulator) -> None:
    sim.faults.add(FIELDS, "retry_after", seconds=7)
    response = call(http, sim, FIELDS)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    assert "X-RateLimit-Reset" not in response.headers


def test_unauthorized_fault_is_an_empty_401(http: requests.Session, sim: Simulator) -> None:
    sim.faults.add(SEARCH, "unauthorized")
    response = call(http, sim, SEARCH)
    assert response.status_code == 401 and response.content == b""
    assert call(http, sim, SEARCH).status_code == 200


def test_not_json_fault(http: requests.Session, sim: Simulator) -> None:
    sim.faults.add(SEARCH, "not_json")
    response = call(http, sim, SEARCH)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    with pytest.raises(ValueError):
        response.json()


@pytest.mark.parametrize("endpoint", [SEARCH, DEPARTMENTS])
def test_truncated_fault_cuts_the_real_body_in_half(http: requests.Session, sim: Simulator, endpoint: str) -> None:
    whole = call(http, sim, endpoint).content
    sim.faults.add(endpoint, "truncated")
    response = call(http, sim, endpoint)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.content == whole[: len(whole) // 2]
    with pytest.raises(ValueError):
        response.json()


def test_truncated_with_premature_close_breaks_the_connection(http: requests.Session, sim: Simulator) -> None:
    sim.faults.add(SEARCH, "truncated", premature_close=True)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        call(http, sim, SEARCH)
    assert call(http, sim, SEARCH).status_code == 200


def test_reset_fault_drops_the_connection(http: requests.Session, sim: Simulator) -> None:
    sim.faults.add(SEARCH, "reset")
    with pytest.raises(requests.ConnectionError):
        call(http, sim, SEARCH)
    assert sim.requests[-1].fault == "reset" and sim.requests[-1].status == 0
    assert call(http, sim, SEARCH).status_code == 200


def test_slow_fault_exceeds_a_read_timeout_then_answers(http: requests.Session, sim: Simulator) -> None:
    sim.faults.add(FIELDS, "slow", seconds=0.6)
    with pytest.raises(requests.Timeout):
        call(http, sim, FIELDS, timeout=0.2)
    sim.faults.add(FIELDS, "slow", seconds=0.3)
    started = time.perf_counter()
    assert call(http, sim, FIELDS).status_code == 200
    assert time.perf_counter() - started >= 0.3


def test_faults_only_hit_their_endpoint_and_queue_in_order(http: requests.Session, sim: Simulator) -> None:
    sim.faults.add(SEARCH, "http_500")
    sim.faults.add(SEARCH, "http_503")
    assert call(http, sim, FIELDS).status_code == 200
    assert call(http, sim, DEPARTMENTS).status_code == 200
    assert [call(http, sim, SEARCH).status_code for _ in range(3)] == [500, 503, 200]


def test_named_list_faults_match_the_list_path_only(http: requests.Session, sim: Simulator) -> None:
    sim.faults.add(DEPARTMENTS, "http_500")
    assert http.get(f"{sim.base_url}/company/named-lists/title", timeout=10).status_code == 200
    assert call(http, sim, DEPARTMENTS).status_code == 500


def test_wildcard_fault_hits_any_request(http: requests.Session, sim: Simulator) -> None:
    sim.faults.add("*", "http_502", times=2)
    assert [call(http, sim, e).status_code for e in (FIELDS, SEARCH, FIELDS)] == [502, 502, 200]


def test_faults_apply_before_authentication(sim: Simulator) -> None:
    sim.faults.add(FIELDS, "http_503")
    assert requests.get(f"{sim.base_url}/company/people/fields", timeout=10).status_code == 503


def test_clear_removes_pending_faults(http: requests.Session, sim: Simulator) -> None:
    sim.faults.add(SEARCH, "http_500", times=5)
    assert len(sim.faults.pending) == 1
    sim.faults.clear()
    assert call(http, sim, SEARCH).status_code == 200


@pytest.mark.parametrize(
    ("endpoint", "kind", "options"),
    [
        (SEARCH, "explode", {}),
        ("people/search", "http_500", {}),
        ("post /v1/people/search", "http_500", {}),
        (SEARCH, "http_500", {"seconds": 1}),
        (SEARCH, "slow", {"colour": "red"}),
    ],
)
def test_bad_fault_definitions_are_rejected(sim: Simulator, endpoint: str, kind: str, options: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        sim.faults.add(endpoint, kind, **options)


def test_times_must_be_positive(sim: Simulator) -> None:
    with pytest.raises(ValueError):
        sim.faults.add(SEARCH, "http_500", times=0)


def test_every_documented_kind_is_known() -> None:
    assert {
        "rate_limit", "rate_limit_no_headers", "retry_after", "http_500", "http_502", "http_503", "slow",
        "html", "not_json", "truncated", "unauthorized", "forbidden", "reset",
    } == FAULT_KINDS  # fmt: skip
