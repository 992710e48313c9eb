"""End-to-end: the real ``connector`` CLI in a subprocess against the simulator on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from plugins.hibob.simulator import Simulator, demo_company
from tests.cli import Cli, python_env

ROOT = Path(__file__).resolve().parents[2]


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
    return Cli(python_env(ROOT), tmp_path)
