"""The SCIM connector runs the framework's conformance suite, live and replayed.

``TestScimConformance`` syncs scim2-server (seeded with :data:`TENANT`) twice;
``TestRecordedScimConformance`` runs the same checks on the recording in
``cassettes/scim/conformance.yaml``, offline. Re-record it with
``python -m pytest tests/scim/test_conformance.py --record-mode=all``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest

from framework.authoring.testing import BadConfig, Conformance
from plugins.scim.config import BASE_URL, PAGE_SIZE
from plugins.scim.upstream import ScimServer
from tests.scim.replay import CASSETTES, scim_config
from tests.scim.tenant import GRANTS, TENANT


class TestScimConformance(Conformance):
    plugin = "scim"
    cassette_dir = CASSETTES
    expected_counts = {"user": len(TENANT.accounts), "group": len(TENANT.teams), "grants": GRANTS}

    @pytest.fixture(scope="class")
    @classmethod
    def connector_config(cls) -> Iterator[dict[str, str]]:
        with ScimServer() as server:
            server.seed(TENANT)
            yield {BASE_URL.name: server.base_url, "scim-bearer-token": server.token, PAGE_SIZE.name: "2"}

    @pytest.fixture(scope="class")
    @classmethod
    def bad_configs(cls) -> Sequence[BadConfig]:
        return [
            BadConfig({BASE_URL.name: "http://scim.example.com/v2"}, BASE_URL.flag),
            BadConfig({PAGE_SIZE.name: "0"}, PAGE_SIZE.flag),
        ]


class TestRecordedScimConformance(TestScimConformance):
    """The same checks, every answer replayed from ``cassettes/scim/conformance.yaml``."""

    cassette = "conformance.yaml"

    @pytest.fixture(scope="class")
    @classmethod
    def connector_config(cls, record_mode: str) -> Iterator[dict[str, str]]:
        with scim_config(record_mode) as config:
            yield {**config, PAGE_SIZE.name: "2"}
