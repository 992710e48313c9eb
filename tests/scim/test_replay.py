"""A sync of scim2-server recorded once, replayed offline with the network blocked.

Record anew with ``python -m pytest tests/scim/test_replay.py --record-mode=rewrite``
(any pytest-recording mode works: none, once, new_episodes, all, rewrite).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from framework.authoring.testing import load_connector, secrets_in_flight
from framework.authoring.testing import vcr_config as safe_vcr_config
from framework.host.context import ConnectorContext
from framework.host.sync import run_sync
from framework.read import queries
from framework.store.file import Store
from plugins.scim.config import BEARER_TOKEN, CONFIG_FIELDS
from tests.scim.replay import CASSETTES, RECORDING_TOKEN, scim_config
from tests.scim.tenant import EXPECTED, TENANT, stored


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTES)


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return safe_vcr_config(secrets_in_flight(CONFIG_FIELDS, {BEARER_TOKEN.name: RECORDING_TOKEN}))


@pytest.fixture(scope="module")
def config(record_mode: str) -> Iterator[dict[str, str]]:
    """Module-scoped, so a recording server is seeded before the cassette opens, not into it."""
    with scim_config(record_mode) as values:
        yield values


@pytest.mark.vcr
@pytest.mark.block_network
def test_a_recorded_sync_replays_every_user_group_and_membership(
    config: dict[str, str], record_mode: str, tmp_path: Path, vcr: Any
) -> None:
    _, connector = load_connector("scim")
    with Store.open(tmp_path / "sync.db") as store:
        result = run_sync(connector, ConnectorContext(config=config), store)
        resources = list(queries.resources(store, result.sync_id, queries.ResourceFilter()))
        grants = list(queries.grants(store, result.sync_id, queries.GrantFilter()))
    assert stored(resources, grants) == EXPECTED
    assert len(resources) == len(TENANT.accounts) + len(TENANT.teams)
    assert [w["code"] for w in result.summary["warnings"]] == ["scim_active_missing"]
    if record_mode == "none":
        assert vcr.all_played
        assert len(vcr.requests) == result.summary["http"]["requests"]
