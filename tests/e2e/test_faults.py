"""Every injected fault through a real sync over loopback: either it completes
with the right data after retries, or it fails cleanly, with one line, the
documented exit code, the exact number of HiBob requests, and the previous
complete sync intact."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from framework.cli import main
from framework.host.errors import ExitCode
from framework.store.file import Store
from plugins.hibob.simulator import Simulator

SEARCH = "POST /v1/people/search"
DEPARTMENTS = "GET /v1/company/named-lists/department"
FIELDS = "GET /v1/company/people/fields"
SYNC_REQUESTS = 3
"""The field list (credentials), the department list, one people search."""
Runner = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(
    sim: Simulator, tenant_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Runner:
    """``connector sync hibob`` in this process, with a fast retry policy."""
    for name, value in tenant_env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("BATON_HTTP_TIMEOUT", "3")
    monkeypatch.setenv("BATON_HTTP_MAX_WAIT", "2")
    monkeypatch.setenv("BATON_HTTP_MAX_RETRIES", "3")

    def sync(path: Path, *extra: str) -> tuple[int, str, str]:
        code = main(["sync", "hibob", "--file", str(path), *extra])
        out, err = capsys.readouterr()
        return code, out, err

    return sync


@pytest.fixture
def good_file(run: Runner, tmp_path: Path) -> Path:
    path = tmp_path / "sync.db"
    code, _, err = run(path)
    assert code == 0, err
    return path


def _requests_during(sim: Simulator, action: Callable[[], tuple[int, str, str]]) -> tuple[int, str, str, int]:
    before = len(sim.requests)
    code, out, err = action()
    return code, out, err, len(sim.requests) - before


def _latest_complete(path: Path) -> tuple[int, dict[str, int]]:
    with Store.open_existing(path) as store:
        sync_id = int(store.sync()["id"])
        return sync_id, store.counts(sync_id)["resources"]


RECOVERED = [
    (SEARCH, "rate_limit", 1, {"seconds": 1}),
    (SEARCH, "rate_limit_no_headers", 1, {}),
    (SEARCH, "retry_after", 1, {"seconds": 1}),
    (DEPARTMENTS, "http_500", 2, {}),
    (DEPARTMENTS, "http_502", 1, {}),
    (SEARCH, "http_503", 2, {}),
    (DEPARTMENTS, "slow", 1, {"seconds": 5}),
    (DEPARTMENTS, "reset", 1, {}),
]


@pytest.mark.parametrize(("endpoint", "kind", "times", "options"), RECOVERED, ids=[f[1] for f in RECOVERED])
def test_transient_faults_are_retried_and_the_sync_completes(
    sim: Simulator, run: Runner, tmp_path: Path, endpoint: str, kind: str, times: int, options: dict[str, float]
) -> None:
    sim.faults.add(endpoint, kind, times=times, **options)
    before = len(sim.requests)
    code, out, err = run(tmp_path / "s.db", "--output", "json")
    assert code == 0, err
    # A slow answer is logged by the simulator only once it has been sent, after the client gave up on it.
    deadline = time.monotonic() + 10
    while len(sim.requests) - before < SYNC_REQUESTS + times and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(sim.requests) - before == SYNC_REQUESTS + times
    users = sum(1 for e in sim.company.employees)
    assert _latest_complete(tmp_path / "s.db")[1]["user"] == users
    assert f"{times} retries" not in out  # JSON output, not the table
    assert '"retries": ' + str(times) in out
    assert "waiting" in err  # every wait is logged with its reason


FAILED = [
    (FIELDS, "unauthorized", ExitCode.AUTH, 1, "answered 401"),
    (SEARCH, "forbidden", ExitCode.AUTH, 3, "answered 403"),
    (DEPARTMENTS, "html", ExitCode.PAYLOAD, 2, "text/html, expected JSON"),
    (DEPARTMENTS, "not_json", ExitCode.PAYLOAD, 2, "malformed JSON"),
    (SEARCH, "http_500", ExitCode.UPSTREAM, 2 + 4, "failed after 4 attempts: HTTP 500"),
]


@pytest.mark.parametrize(("endpoint", "kind", "exit_code", "requests", "says"), FAILED, ids=[f[1] for f in FAILED])
def test_final_faults_fail_cleanly_and_keep_the_previous_sync(
    sim: Simulator,
    run: Runner,
    good_file: Path,
    endpoint: str,
    kind: str,
    exit_code: ExitCode,
    requests: int,
    says: str,
) -> None:
    previous = _latest_complete(good_file)
    sim.faults.add(endpoint, kind, times=10)
    code, out, err, made = _requests_during(sim, lambda: run(good_file))
    assert code == exit_code
    assert made == requests
    last = err.strip().splitlines()[-1]
    assert last.startswith("error: ") and says in last
    assert "Traceback" not in err
    assert out == ""
    assert _latest_complete(good_file) == previous
    with Store.open_existing(good_file) as store:
        failed = store.syncs()[-1]
        assert failed["status"] == "failed" and says in failed["error"]


def test_a_truncated_people_search_fails_without_keeping_a_partial_sync(
    sim: Simulator, run: Runner, good_file: Path
) -> None:
    previous = _latest_complete(good_file)
    sim.faults.add(SEARCH, "truncated", times=2)
    code, _, err, made = _requests_during(sim, lambda: run(good_file))
    assert code in (ExitCode.PAYLOAD, ExitCode.UPSTREAM)
    assert made == 3  # the fields probe, the departments, then the search is cut: a body is never retried mid-stream
    assert "people/search" in err.strip().splitlines()[-1]
    assert _latest_complete(good_file) == previous


def test_a_rate_limit_longer_than_allowed_fails_instead_of_waiting(
    sim: Simulator, run: Runner, good_file: Path
) -> None:
    sim.faults.add(SEARCH, "retry_after", seconds=3600)
    code, _, err, made = _requests_during(sim, lambda: run(good_file))
    assert code == ExitCode.UPSTREAM
    assert made == 3
    assert "rate limited for 3600s" in err


def test_an_unreachable_host_is_one_line(run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BATON_HIBOB_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("BATON_HTTP_MAX_RETRIES", "1")
    code, _, err = run(tmp_path / "s.db")
    assert code == ExitCode.UPSTREAM
    assert "cannot connect to 127.0.0.1" in err.strip().splitlines()[-1]
