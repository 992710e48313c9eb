"""Cassettes and configs for the Skeleton connector's tests.

Replay is the default (pytest-recording's record mode ``none``): the connector
is pointed at :data:`REPLAY_BASE_URL`, where nothing listens, with placeholder
secrets, and every answer comes from ``cassettes/``. Recording
(``--record-mode=rewrite``) talks to the bundled stand-in upstream; to record a
real tenant, make the ``skeleton_config`` fixture yield the ``BATON_SKELETON_*``
variables instead. Every secret in flight is replaced by its placeholder, and
credential headers are dropped, before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from framework.authoring.testing import replay_config, secrets_in_flight
from framework.authoring.testing import vcr_config as safe_vcr_config

from plugins._template.config import API_TOKEN, BASE_URL, CONFIG_FIELDS
from plugins._template.upstream import DEMO_TOKEN, SkeletonUpstream

CASSETTES = Path(__file__).resolve().parent / "cassettes"
REPLAY_BASE_URL = "https://api.skeleton.example/v1"
REPLAY_CONFIG = replay_config(CONFIG_FIELDS, {BASE_URL.name: REPLAY_BASE_URL})


@pytest.fixture(scope="class")
def skeleton_config(record_mode: str) -> Iterator[dict[str, str]]:
    """Placeholders when replaying; an upstream to record from otherwise (here the stand-in)."""
    if record_mode == "none":
        yield dict(REPLAY_CONFIG)
        return
    with SkeletonUpstream() as upstream:
        yield upstream.config


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTES)


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    """Scrubs the stand-in's token and any token in ``BATON_SKELETON_API_TOKEN``."""
    return safe_vcr_config(secrets_in_flight(CONFIG_FIELDS, {API_TOKEN.name: DEMO_TOKEN}))
