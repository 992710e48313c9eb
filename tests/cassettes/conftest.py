"""Recording and replaying HiBob answers.

Replay (the default, record mode ``none``) points the connector at the
canonical production URL with placeholder credentials and blocks the network:
every answer comes from ``cassettes/hibob/``. Recording (``--record-mode
rewrite``) talks to a real HiBob tenant when the ``BATON_HIBOB_*`` variables are
set, and to the bundled simulator otherwise; the framework's scrubber
(:mod:`framework.authoring.testing.cassettes`) replaces every credential before
anything is written, and replays match on method, path, query and body, so the
recorded host does not matter.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from framework.authoring.testing import replay_config, secrets_in_flight
from framework.authoring.testing import vcr_config as framework_vcr_config
from plugins.hibob.config import BASE_URL, CONFIG_FIELDS, SERVICE_USER_ID, SERVICE_USER_TOKEN
from plugins.hibob.simulator import DEMO_SERVICE_USER_ID, DEMO_TOKEN, Simulator, demo_company

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes" / "hibob"
CANONICAL_BASE_URL = "https://api.hibob.com/v1"
REPLAY_CONFIG = replay_config(CONFIG_FIELDS, {BASE_URL.name: CANONICAL_BASE_URL})
"""The canonical URL and the framework's placeholders for both credentials."""


def live_secrets() -> dict[str, str]:
    """Every credential that may be in flight while recording (the simulator's, and a real
    tenant's from the ``BATON_HIBOB_*`` variables), mapped to its placeholder."""
    demo = {SERVICE_USER_ID.name: DEMO_SERVICE_USER_ID, SERVICE_USER_TOKEN.name: DEMO_TOKEN}
    return secrets_in_flight(CONFIG_FIELDS, demo)


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTES)


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    """The framework's scrubbing recorder, the one every plugin's cassettes use."""
    return framework_vcr_config(live_secrets())


@pytest.fixture
def hibob_config(record_mode: str) -> Iterator[dict[str, str]]:
    """Config for the connector: placeholders on replay, a live upstream when recording."""
    if record_mode == "none":
        yield dict(REPLAY_CONFIG)
        return
    from_env = {f.name: os.environ.get(f.env_var, "") for f in (BASE_URL, SERVICE_USER_ID, SERVICE_USER_TOKEN)}
    if all(from_env.values()):
        yield from_env
        return
    with Simulator(demo_company()) as sim:
        yield {
            "hibob-base-url": sim.base_url,
            "hibob-service-user-id": sim.service_user_id,
            "hibob-service-user-token": sim.token,
        }
