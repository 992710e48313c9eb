"""Authentication, routing, the HTML answer for wrong paths, and request recording."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from plugins.hibob.simulator import DEMO_SERVICE_USER_ID, DEMO_TOKEN, Company, ServiceUser, Simulator

RATE_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
ENDPOINTS = [
    ("POST", "/people/search"),
    ("GET", "/company/people/fields"),
    ("GET", "/company/named-lists/department"),
    ("GET", "/company/named-lists"),
]


@pytest.fixture
def limited(demo: Company) -> Iterator[Simulator]:
    """A simulator with HiBob's default rate limit, so rate headers are present."""
    with Simulator(demo) as simulator:
        yield simulator


def test_default_credentials_are_the_demo_service_user(sim: Simulator) -> None:
    assert (sim.service_user_id, sim.token) == (DEMO_SERVICE_USER_ID, DEMO_TOKEN)
    assert sim.base_url == f"http://127.0.0.1:{sim.port}/v1"
    assert sim.port > 0


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
@pytest.mark.parametrize(
    "auth",
    [None, (DEMO_SERVICE_USER_ID, "wrong-token"), ("SERVICE-unknown", DEMO_TOKEN), ("", "")],
    ids=["missing", "wrong-token", "unknown-user", "empty"],
)
def test_bad_credentials_get_401_with_empty_body_and_rate_headers(
    limited: Simulator, method: str, path: str, auth: tuple[str, str] | None
) -> None:
    response = requests.request(method, limited.base_url + path, json={}, auth=auth, timeout=10)
    assert response.status_code == 401
    assert response.content == b""
    for header in RATE_HEADERS:
        assert header in response.headers
    assert limited.requests[-1].status == 401
    assert limited.requests[-1].service_user_id is None


@pytest.mark.parametrize("header", ["Bearer abc", "Basic !!!notbase64", "Basic " + "bm9jb2xvbg==", "Basic"])
def test_malformed_authorization_headers_get_401(sim: Simulator, header: str) -> None:
    response = requests.get(f"{sim.base_url}/company/people/fields", headers={"Authorization": header}, timeout=10)
    assert response.status_code == 401
    assert response.content == b""


def test_every_v1_answer_carries_rate_headers(limited: Simulator) -> None:
    auth = limited.auth
    answers = [
        requests.post(f"{limited.base_url}/people/search", json={"fields": ["root.id"]}, auth=auth, timeout=10),
        requests.post(f"{limited.base_url}/people/search", json={"filters": []}, auth=auth, timeout=10),
        requests.get(f"{limited.base_url}/company/named-lists/nope", auth=auth, timeout=10),
        requests.get(f"{limited.base_url}/company/people/fields", auth=auth, timeout=10),
    ]
    assert [a.status_code for a in answers] == [200, 400, 404, 200]
    for answer in answers:
        assert int(answer.headers["X-RateLimit-Limit"]) == 50
        assert 0 <= int(answer.headers["X-RateLimit-Remaining"]) < 50
        assert int(answer.headers["X-RateLimit-Reset"]) > 1_600_000_000


@pytest.mark.parametrize("path", ["/", "/people/search", "/api/v1/people/search", "/v2/people/search", "/v1x"])
def test_paths_outside_the_api_answer_200_html(sim: Simulator, path: str) -> None:
    for method in ("GET", "POST"):
        response = requests.request(method, sim.root_url + path, json={}, auth=sim.auth, timeout=10)
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/html")
        assert response.text.lstrip().lower().startswith("<!doctype html")
        with pytest.raises(ValueError):
            response.json()
        assert "X-RateLimit-Limit" not in response.headers


def test_unknown_v1_paths_and_wrong_methods(http: requests.Session, sim: Simulator) -> None:
    missing = http.get(f"{sim.base_url}/people/does-not-exist", timeout=10)
    assert missing.status_code == 404
    assert missing.json()["key"] and missing.json()["error"]
    doubled = http.post(f"{sim.base_url}/v1/people/search", json={}, timeout=10)
    assert doubled.status_code == 404
    wrong_method = http.get(f"{sim.base_url}/people/search", timeout=10)
    assert wrong_method.status_code == 405
    assert http.post(f"{sim.base_url}/company/people/fields", json={}, timeout=10).status_code == 405


def test_unknown_v1_paths_still_need_credentials(sim: Simulator) -> None:
    assert requests.get(f"{sim.base_url}/nothing/here", timeout=10).status_code == 401


def test_added_service_users_authenticate(sim: Simulator) -> None:
    sim.add_service_user(ServiceUser(id="SERVICE-2", token="t2", categories=frozenset({"root"})))
    ok = requests.get(f"{sim.base_url}/company/people/fields", auth=("SERVICE-2", "t2"), timeout=10)
    assert ok.status_code == 200
    assert (
        requests.get(f"{sim.base_url}/company/people/fields", auth=("SERVICE-2", "t1"), timeout=10).status_code == 401
    )
    assert sim.requests[-2].service_user_id == "SERVICE-2"


def test_requests_are_recorded_with_method_path_query_json_and_status(http: requests.Session, sim: Simulator) -> None:
    http.post(f"{sim.base_url}/people/search", json={"fields": ["root.id"], "showInactive": True}, timeout=10)
    http.get(f"{sim.base_url}/company/named-lists/department", params={"includeArchived": "true"}, timeout=10)
    http.post(f"{sim.base_url}/people/search", data=b"{broken", timeout=10)
    search, lists, broken = sim.requests
    assert (search.method, search.path, search.status) == ("POST", "/v1/people/search", 200)
    assert search.json == {"fields": ["root.id"], "showInactive": True}
    assert search.query == {}
    assert (lists.method, lists.path, lists.query, lists.json) == (
        "GET",
        "/v1/company/named-lists/department",
        {"includeArchived": "true"},
        None,
    )
    assert broken.status == 400 and broken.json is None
    assert search.service_user_id == sim.service_user_id
    assert sim.requests_to("POST", "/v1/people/search") == [search, broken]


def test_simulator_stops_and_frees_its_port(demo: Company) -> None:
    simulator = Simulator(demo)
    with simulator:
        url = simulator.base_url
        assert requests.get(f"{url}/company/people/fields", auth=simulator.auth, timeout=10).status_code == 200
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/company/people/fields", auth=simulator.auth, timeout=2)
    with pytest.raises(RuntimeError):
        _ = simulator.base_url
