"""Per-endpoint, per-service-user rate limits with an injectable clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from plugins.hibob.simulator import Company, ServiceUser, Simulator


class FakeClock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def limited(demo: Company, clock: FakeClock) -> Iterator[Simulator]:
    with Simulator(demo, rate_limit_per_minute=5, clock=clock) as simulator:
        yield simulator


def fields(sim: Simulator, auth: tuple[str, str] | None = None) -> requests.Response:
    return requests.get(f"{sim.base_url}/company/people/fields", auth=auth or sim.auth, timeout=10)


def test_limit_then_429_with_headers(limited: Simulator, clock: FakeClock) -> None:
    answers = [fields(limited) for _ in range(7)]
    assert [a.status_code for a in answers] == [200] * 5 + [429, 429]
    assert [int(a.headers["X-RateLimit-Remaining"]) for a in answers] == [4, 3, 2, 1, 0, 0, 0]
    assert {a.headers["X-RateLimit-Limit"] for a in answers} == {"5"}
    assert {int(a.headers["X-RateLimit-Reset"]) for a in answers} == {int(clock.now) + 60}
    assert answers[-1].json()["key"] == "rate.limit"
    assert answers[-1].json()["error"]
    assert [r.status for r in limited.requests] == [200] * 5 + [429, 429]


def test_window_resets_after_a_minute(limited: Simulator, clock: FakeClock) -> None:
    for _ in range(5):
        fields(limited)
    assert fields(limited).status_code == 429
    clock.now += 59
    assert fields(limited).status_code == 429
    clock.now += 1
    renewed = fields(limited)
    assert renewed.status_code == 200
    assert renewed.headers["X-RateLimit-Remaining"] == "4"


def test_limits_are_per_endpoint(limited: Simulator) -> None:
    for _ in range(5):
        fields(limited)
    assert fields(limited).status_code == 429
    search = requests.post(
        f"{limited.base_url}/people/search", json={"fields": ["root.id"]}, auth=limited.auth, timeout=10
    )
    assert search.status_code == 200
    assert search.headers["X-RateLimit-Remaining"] == "4"


def test_named_lists_share_one_endpoint_budget(limited: Simulator) -> None:
    for name in ["department", "title", "site", "department", "title"]:
        url = f"{limited.base_url}/company/named-lists/{name}"
        assert requests.get(url, auth=limited.auth, timeout=10).status_code == 200
    assert (
        requests.get(f"{limited.base_url}/company/named-lists/site", auth=limited.auth, timeout=10).status_code == 429
    )


def test_limits_are_per_service_user(limited: Simulator) -> None:
    limited.add_service_user(ServiceUser(id="SERVICE-OTHER", token="t"))
    for _ in range(5):
        fields(limited)
    assert fields(limited).status_code == 429
    assert fields(limited, ("SERVICE-OTHER", "t")).status_code == 200


def test_reset_rate_limits(limited: Simulator) -> None:
    for _ in range(6):
        fields(limited)
    limited.reset_rate_limits()
    assert fields(limited).status_code == 200


def test_default_limit_is_50_per_minute(demo: Company) -> None:
    with Simulator(demo) as sim, requests.Session() as session:
        session.auth = sim.auth
        url = f"{sim.base_url}/company/people/fields"
        statuses = [session.get(url, timeout=10).status_code for _ in range(51)]
    assert statuses == [200] * 50 + [429]


def test_none_disables_limits_and_headers(sim: Simulator) -> None:
    answers = [fields(sim) for _ in range(60)]
    assert {a.status_code for a in answers} == {200}
    assert "X-RateLimit-Limit" not in answers[-1].headers
