from __future__ import annotations

from collections.abc import Iterator

import pytest

from framework.host.context import ConnectorContext
from framework.host.http import HttpPolicy
from plugins.hibob.simulator import Company, Simulator

NO_RETRY = HttpPolicy(max_retries=0, read_timeout=5.0, connect_timeout=2.0)


@pytest.fixture
def sim() -> Iterator[Simulator]:
    """The HiBob simulator over loopback, with no people: tests script the answers they need."""
    with Simulator(Company([], [])) as simulator:
        yield simulator


def hibob_context(sim: Simulator, base_url: str | None = None) -> ConnectorContext:
    """A run context for the simulator's service user, failing at once instead of retrying."""
    return ConnectorContext(
        config={
            "hibob-base-url": base_url or sim.base_url,
            "hibob-service-user-id": sim.service_user_id,
            "hibob-service-user-token": sim.token,
        },
        http_policy=NO_RETRY,
    )


@pytest.fixture
def ctx(sim: Simulator) -> ConnectorContext:
    """A run context pointed at ``sim``, failing at once instead of retrying."""
    return hibob_context(sim)
