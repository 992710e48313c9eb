from __future__ import annotations

import email.utils

import pytest
import requests

from framework.host.errors import AuthError, PayloadError, UpstreamError
from framework.host.http import EndpointLimiter, HttpClient, HttpPolicy, HttpStats, json_body, server_wait
from tests.framework.scripted_server import Answer, scripted_server

FAST = HttpPolicy(connect_timeout=2, read_timeout=0.5, max_retries=3, max_wait=5, retry_budget=10, backoff_base=0.01)


def _client(base: str, waits: list[float], policy: HttpPolicy = FAST) -> HttpClient:
    return HttpClient(base, auth=("user", "pass"), policy=policy, stats=HttpStats(), sleep=waits.append)


def test_server_wait_reads_retry_after_seconds_date_and_reset_epoch() -> None:
    def response(**headers: str) -> requests.Response:
        r = requests.Response()
        r.headers.update(headers)
        return r

    assert server_wait(response(**{"Retry-After": "7"}), now=0) == 7
    date = email.utils.formatdate(1_000_030, usegmt=True)
    assert server_wait(response(**{"Retry-After": date}), now=1_000_000) == pytest.approx(30)
    assert server_wait(response(**{"X-RateLimit-Reset": "1000012"}), now=1_000_000) == 12
    assert server_wait(response(), now=0) is None


def test_limiter_spaces_calls_to_stay_under_the_per_minute_limit() -> None:
    now = [0.0]
    limiter = EndpointLimiter({"POST /s": 2}, clock=lambda: now[0])
    limiter.record("POST /s")
    now[0] = 10
    limiter.record("POST /s")
    assert limiter.delay("POST /s") == 50
    assert limiter.delay("GET /other") == 0
    now[0] = 60
    assert limiter.delay("POST /s") == 0


def test_429_waits_as_the_reset_header_says_then_succeeds() -> None:
    limited = Answer(429, b"", {"X-RateLimit-Reset": "0", "Retry-After": "2"})
    with scripted_server(limited, Answer()) as (base, script):
        waits: list[float] = []
        client = _client(base, waits)
        assert client.request("GET", "/x").json() == {"ok": True}
    assert len(script.seen) == 2
    assert 2 <= waits[0] <= 2.25
    assert client.stats.retries == 1 and client.stats.rate_limit_wait == waits[0]


def test_5xx_backs_off_and_gives_up_after_max_retries() -> None:
    with scripted_server(*[Answer(503, b'{"error": "down"}')] * 5) as (base, script):
        waits: list[float] = []
        with pytest.raises(UpstreamError, match=r"GET /x failed after 4 attempts: HTTP 503: down"):
            _client(base, waits).request("GET", "/x")
    assert len(script.seen) == 4
    assert len(waits) == 3 and waits[0] < waits[2]


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_client_errors_are_final_at_once(status: int) -> None:
    with scripted_server(Answer(status, b"")) as (base, script), pytest.raises(UpstreamError) as error:
        _client(base, []).request("GET", "/x")
    assert len(script.seen) == 1
    assert isinstance(error.value, AuthError) == (status in (401, 403))


def test_a_wait_longer_than_the_cap_fails_instead_of_hammering() -> None:
    with (
        scripted_server(Answer(429, b"", {"Retry-After": "3600"})) as (base, script),
        pytest.raises(UpstreamError, match="rate limited for 3600s, longer than the 5s"),
    ):
        _client(base, []).request("GET", "/x")
    assert len(script.seen) == 1


def test_retry_budget_caps_the_total_wait() -> None:
    policy = HttpPolicy(read_timeout=1, max_retries=10, max_wait=4, retry_budget=5)
    with (
        scripted_server(*[Answer(429, b"", {"Retry-After": "3"})] * 3) as (base, script),
        pytest.raises(UpstreamError, match="retry budget of 5s"),
    ):
        _client(base, [], policy).request("GET", "/x")
    assert len(script.seen) == 2


def test_a_slow_answer_times_out_and_is_retried() -> None:
    with scripted_server(Answer(delay=1.0), Answer()) as (base, script):
        assert _client(base, []).request("GET", "/x").ok
    assert len(script.seen) == 2


def test_html_instead_of_json_is_a_payload_error() -> None:
    page = Answer(200, b"<html>login</html>", {"Content-Type": "text/html; charset=utf-8"})
    with scripted_server(page) as (base, _):
        response = _client(base, []).request("GET", "/x")
        with pytest.raises(PayloadError, match="GET /x answered 200 with text/html, expected JSON"):
            json_body(response, "GET /x")


def test_credentials_never_appear_in_errors() -> None:
    with scripted_server(Answer(401, b"")) as (base, _), pytest.raises(AuthError) as error:
        _client(base, []).request("GET", "/x")
    assert "pass" not in str(error.value) and "user" not in str(error.value).replace("upstream", "")
