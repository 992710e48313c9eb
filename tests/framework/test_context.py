"""The run context: one HTTP client per base URL, and one retry budget and limiter for the whole run."""

from __future__ import annotations

import pytest

from framework.host.context import ConnectorContext
from framework.host.errors import PluginError, UpstreamError
from framework.host.http import HttpPolicy, Quirks
from tests.framework.scripted_server import Answer, scripted_server

ONE_SECOND_BUDGET = HttpPolicy(read_timeout=2, max_retries=3, max_wait=5, retry_budget=1.5, backoff_base=0.01)


def test_one_client_per_base_url_per_run_closed_when_the_run_ends() -> None:
    ctx = ConnectorContext(config={})
    first = ctx.http_client("http://127.0.0.1:9/v1/", auth=("u", "p"))
    assert ctx.http_client("http://127.0.0.1:9/v1", auth=("u", "p")) is first
    assert ctx.http_client("http://127.0.0.1:9/v2") is not first
    with pytest.raises(PluginError, match="already exists in this run with other settings"):
        ctx.http_client("http://127.0.0.1:9/v1", auth=("u", "other"))
    with pytest.raises(PluginError, match="other settings"):
        ctx.http_client("http://127.0.0.1:9/v1", auth=("u", "p"), quirks=Quirks())
    ctx.close()
    assert ctx.http_client("http://127.0.0.1:9/v1", auth=("u", "p")) is not first


def test_the_retry_budget_is_the_runs_not_each_clients() -> None:
    limited = Answer(429, b"", {"Retry-After": "1"})
    with (
        scripted_server(limited, Answer()) as (first, _),
        scripted_server(limited, Answer()) as (second, script),
        ConnectorContext(config={}, http_policy=ONE_SECOND_BUDGET) as ctx,
    ):
        assert ctx.http_client(first).request("GET", "/x").json() == {"ok": True}
        with pytest.raises(UpstreamError, match=r"exceed the retry budget of 1\.5s"):
            ctx.http_client(second).request("GET", "/x")
    assert len(script.seen) == 1
    assert 1 <= ctx.http_stats.rate_limit_wait <= 1.25


def test_every_client_of_a_run_counts_into_the_runs_endpoint_limiter() -> None:
    with scripted_server(Answer()) as (base, _), ConnectorContext(config={}) as ctx:
        ctx.http_client(base, limits={"GET /x": 1}).request("GET", "/x")
        assert 59 < ctx.limiter.delay("GET /x") <= 60
        ctx.http_client("http://127.0.0.1:9", limits={"GET /x": 5})
        assert 59 < ctx.limiter.delay("GET /x") <= 60, "the lower of two declared limits holds"
