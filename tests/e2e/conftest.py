"""End-to-end: the real ``connector`` CLI in a subprocess against the simulator on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from plugins.hibob.simulator import Simulator, demo_company

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@dataclass
class Cli:
    """Runs ``python -m framework`` with a clean environment plus what a test adds."""

    env: dict[str, str]
    cwd: Path

    def __call__(self, *args: str, **env: str) -> Run:
        done = subprocess.run(
            [sys.executable, "-m", "framework", *args],
            env={**self.env, **env},
            cwd=self.cwd,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(demo_company()) as simulator:
        yield simulator


@pytest.fixture
def tenant_env(sim: Simulator) -> dict[str, str]:
    """The same variables a real tenant is configured with."""
    return {
        "BATON_HIBOB_BASE_URL": sim.base_url,
        "BATON_HIBOB_SERVICE_USER_ID": sim.service_user_id,
        "BATON_HIBOB_SERVICE_USER_TOKEN": sim.token,
    }


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    base = {k: v for k, v in os.environ.items() if not k.startswith("BATON_")}
    base["PYTHONPATH"] = str(ROOT)
    return Cli(base, tmp_path)
