"""The Skeleton connector's tests: the framework's conformance suite, live and replayed, and its own.

``TestConformance`` syncs the bundled stand-in upstream twice; ``TestRecordedConformance``
runs the same checks on a recording. The other tests pin down what this
connector promises beyond the suite.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from framework.authoring.testing import BadConfig, Conformance, load_connector
from framework.host.context import ConnectorContext
from framework.host.errors import PayloadError
from framework.host.sync import run_sync
from framework.read import queries
from framework.store.file import Store

from plugins._template.config import BASE_URL, NAME, PAGE_SIZE
from plugins._template.schemas import UserSchema, load_page
from plugins._template.upstream import PAGE_LIMIT, SkeletonData, SkeletonUpstream

PLUGIN_MODULE = "plugins._template.plugin"
CASSETTES = Path(__file__).resolve().parent / "cassettes"


class TestConformance(Conformance):
    plugin = NAME
    plugin_module = PLUGIN_MODULE
    cassette_dir = CASSETTES
    expected_counts = SkeletonData().counts()

    @pytest.fixture(scope="class")
    @classmethod
    def connector_config(cls) -> Iterator[dict[str, str]]:
        with SkeletonUpstream() as upstream:
            yield upstream.config

    @pytest.fixture(scope="class")
    @classmethod
    def bad_configs(cls) -> Sequence[BadConfig]:
        return [
            BadConfig({BASE_URL.name: "http://api.skeleton.example/v1"}, BASE_URL.flag),
            BadConfig({PAGE_SIZE.name: "0"}, PAGE_SIZE.flag),
        ]


class TestRecordedConformance(TestConformance):
    """The same checks, every answer replayed from ``cassettes/conformance.yaml``."""

    cassette = "conformance.yaml"

    @pytest.fixture(scope="class")
    @classmethod
    def connector_config(cls, skeleton_config: dict[str, str]) -> dict[str, str]:
        return skeleton_config


@pytest.mark.vcr
def test_sync_of_recorded_pages_stores_every_page(skeleton_config: dict[str, str], tmp_path: Path) -> None:
    _, connector = load_connector(NAME, PLUGIN_MODULE)
    ctx = ConnectorContext(config={**skeleton_config, PAGE_SIZE.name: "100"})
    with Store.open(tmp_path / "sync.db") as store:
        result = run_sync(connector, ctx, store)
        users = list(queries.resources(store, result.sync_id, queries.ResourceFilter(resource_type="user")))
        platform = list(queries.resources(store, result.sync_id, queries.ResourceFilter(parent="team:eng")))
    data = SkeletonData()
    assert result.summary["counts"] == {
        "resources": {"user": len(data.users), "team": len(data.teams)},
        "entitlements": len(data.teams),
        "grants": data.counts()["grants"],
    }
    assert [u["id"] for u in users if u["status"] == "disabled"] == ["1004"]
    assert [t["id"] for t in platform] == ["platform"]
    pages = -(-len(data.users) // PAGE_LIMIT)
    assert result.summary["http"]["requests_by_endpoint"]["GET /users"] == pages


def test_a_malformed_item_names_the_endpoint_and_the_field() -> None:
    body = {"data": [{"id": 1, "name": "Ann", "status": "gone"}], "next_cursor": None}
    with pytest.raises(PayloadError, match=r"GET /users item 0 .*status"):
        load_page(body, UserSchema(), "GET /users")
