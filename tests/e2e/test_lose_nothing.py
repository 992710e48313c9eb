"""A sync that is killed (SIGKILL included) or terminated never replaces or
corrupts the last complete sync, and is recorded as failed with its reason."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from plugins.hibob.simulator import Simulator, demo_company, generated_company
from tests.cli import Cli


def _start_sync(cli: Cli, env: dict[str, str], path: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "framework", "sync", "hibob", "--file", path],
        env={**cli.env, **env},
        cwd=cli.cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait_until_streaming(sim: Simulator, since: int, process: subprocess.Popen[bytes], journal: Path) -> None:
    """Until the sync has sent its people search (the third request) and is writing
    users inside its transaction (the rollback journal exists)."""
    deadline = time.monotonic() + 60
    while len(sim.requests) - since < 3 or not journal.exists():
        assert process.poll() is None, "the sync ended before it could be interrupted"
        assert time.monotonic() < deadline, "the sync never started writing"
        time.sleep(0.01)
    time.sleep(0.3)


def _user_count(cli: Cli) -> int:
    return len(cli("resources", "--file", "s.db", "--resource-type", "user", "--output", "json").json())


def test_sigkill_mid_write_keeps_the_previous_sync_and_is_recorded_later(
    cli: Cli, sim: Simulator, tenant_env: dict[str, str]
) -> None:
    assert cli("sync", "hibob", "--file", "s.db", **tenant_env).code == 0
    sim.company = generated_company(employees=20_000, departments=200, seed=3)
    since = len(sim.requests)
    process = _start_sync(cli, tenant_env, "s.db")
    _wait_until_streaming(sim, since, process, cli.cwd / "s.db-journal")
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    assert _user_count(cli) == 300  # the file opens and still shows the previous complete sync
    sim.company = demo_company()
    assert cli("sync", "hibob", "--file", "s.db", **tenant_env).code == 0
    syncs = cli("syncs", "--file", "s.db", "--output", "json").json()
    assert [s["status"] for s in syncs] == ["complete", "failed", "complete"]
    assert syncs[1]["error"].startswith(f"interrupted: process {process.pid} ended")


def test_sigterm_is_recorded_as_failed_with_its_reason(cli: Cli, sim: Simulator, tenant_env: dict[str, str]) -> None:
    assert cli("sync", "hibob", "--file", "s.db", **tenant_env).code == 0
    sim.company = generated_company(employees=20_000, departments=200, seed=3)
    since = len(sim.requests)
    process = _start_sync(cli, tenant_env, "s.db")
    _wait_until_streaming(sim, since, process, cli.cwd / "s.db-journal")
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode != 0
    assert stderr.decode().strip().splitlines()[-1] == "error: terminated by signal SIGTERM"
    syncs = cli("syncs", "--file", "s.db", "--output", "json").json()
    assert [(s["status"], s["error"]) for s in syncs][-1] == ("failed", "terminated by signal SIGTERM")
    assert _user_count(cli) == 300
