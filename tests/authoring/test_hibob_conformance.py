"""HiBob runs the framework's conformance suite against the bundled simulator.

The simulator's demo company holds every edge case the connector meets
(nested and archived departments, people without a department, unicode names),
so this is the same suite a new plugin runs, on the hardest data we have. The
recorded HiBob cassettes are checked for credentials too.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from framework.authoring.testing import BadConfig, Conformance
from plugins.hibob.simulator import Simulator, demo_company

REPO = Path(__file__).resolve().parents[2]
DEMO = demo_company()


class TestHibobConformance(Conformance):
    plugin = "hibob"
    cassette_dir = REPO / "cassettes" / "hibob"
    expected_counts = {"user": len(DEMO.employees), "department": len(DEMO.all_departments())}

    @pytest.fixture(scope="class")
    @classmethod
    def connector_config(cls) -> Iterator[dict[str, str]]:
        with Simulator(demo_company()) as sim:
            yield {
                "hibob-base-url": sim.base_url,
                "hibob-service-user-id": sim.service_user_id,
                "hibob-service-user-token": sim.token,
            }

    @pytest.fixture(scope="class")
    @classmethod
    def bad_configs(cls) -> Sequence[BadConfig]:
        return [BadConfig({"hibob-base-url": "http://api.hibob.com/v1"}, "hibob-base-url")]
