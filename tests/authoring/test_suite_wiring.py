"""The pytest side of the suite: a subclass runs every check, and a bug fails exactly its tests.

A test module is written the way a plugin author writes one, with one bug
switched on in :class:`~tests.authoring.broken.BrokenPlugin`, and run by pytest
in a subprocess, so the report is what an author would read.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.cli import python_env

REPO = Path(__file__).resolve().parents[2]

MODULE = """
import pytest

from framework.host.plugins import get_plugin_manager, register
from framework.authoring.testing import Conformance
from plugins._template.upstream import SkeletonData, SkeletonUpstream
from tests.authoring.broken import BASE_URL, TOKEN, BrokenPlugin


class TestBroken(Conformance):
    plugin = "broken"
    expected_counts = SkeletonData().counts()

    @pytest.fixture(scope="class")
    @classmethod
    def conformance_plugin(cls):
        pm = get_plugin_manager(env={"BATON_LOAD_PLUGINS": "broken"})
        register(pm, BrokenPlugin("dangling_grant"), "broken")
        return pm, pm.connector("broken")

    @pytest.fixture(scope="class")
    @classmethod
    def connector_config(cls):
        with SkeletonUpstream() as upstream:
            yield {BASE_URL.name: upstream.base_url, TOKEN.name: upstream.token}
"""


def test_a_dangling_grant_fails_its_tests_with_the_offending_id(tmp_path: Path) -> None:
    (tmp_path / "test_broken.py").write_text(MODULE)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rfs", "-p", "no:cacheprovider", "test_broken.py"],
        cwd=tmp_path,
        env=python_env(REPO),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    failed = sorted(re.findall(r"^FAILED test_broken.py::TestBroken::(\w+)", done.stdout, re.MULTILINE))
    assert failed == [
        "test_every_resource_type_lists_and_pagination_ends",
        "test_grants_and_entitlements_point_at_listed_resources",
        "test_the_host_stores_both_syncs",
    ], done.stdout
    assert re.search(r"^3 failed, 6 passed, 2 skipped", done.stdout, re.MULTILINE), done.stdout
    assert "listed 10 grants, the test data holds 9" in done.stdout
    assert "1 grants to a principal that was not listed: team:eng:member:user:ghost" in done.stdout
    assert "refused the sync: 1 grant to an unknown principal" in done.stdout
