"""Drop-in proof: a plugin made by ``connector new`` installs the documented way and works next to hibob.

The new distribution is built and installed by pip (``--no-deps``) into a
folder of its own that the subprocesses get on ``PYTHONPATH``: the same wheel
and ``.dist-info`` entry points a ``pip install -e`` would produce, without
touching the environment other tests run in. pip builds offline when setuptools
can (``--no-build-isolation``) and otherwise fetches setuptools from PyPI for an
isolated build. Then the CLI syncs the plugin from a stand-in upstream running
in another process, and the plugin's own tests, conformance suite included,
run as generated. Nothing under ``framework/`` is edited or generated.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.authoring.conftest import Installed, _run

HOOKS = ["connector_info", "demo_upstream", "list_grants", "list_resources", "start_run", "validate"]


def test_the_new_distribution_holds_the_plugin_and_nothing_of_the_host(acme: Installed) -> None:
    assert (acme.dest / "pyproject.toml").read_text().count('acme = "acme_connector.plugin"') == 1
    assert sorted(p.name for p in acme.site.iterdir() if not p.name.startswith("__")) == [
        "acme_connector",
        "acme_connector-0.1.0.dist-info",
    ]
    assert not list(acme.dest.rglob("framework"))


def test_the_host_discovers_it_next_to_hibob(acme: Installed) -> None:
    listed = {
        entry["name"]: entry for entry in json.loads(_run([sys.executable, "-m", "framework", "plugins"], acme.env))
    }
    assert listed["hibob"]["source"] == "built-in"
    assert {k: listed["acme"][k] for k in ("status", "source", "version", "hooks")} == {
        "status": "loaded",
        "source": "acme-connector",
        "version": "0.1.0",
        "hooks": HOOKS,
    }


def test_the_cli_syncs_it_from_an_upstream_in_another_process(acme: Installed, tmp_path: Path) -> None:
    upstream = subprocess.Popen(
        [sys.executable, "-m", "acme_connector.upstream"], env=acme.env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert upstream.stdout is not None
        served = json.loads(upstream.stdout.readline())
        sync_file = str(tmp_path / "acme.db")
        env = {**acme.env, "BATON_ACME_API_TOKEN": served["token"]}
        sync = [sys.executable, "-m", "framework", "sync", "acme", "--quiet", "--output", "json"]
        summary = json.loads(_run([*sync, "--file", sync_file, "--acme-base-url", served["base_url"]], env))
        users = json.loads(
            _run([sys.executable, "-m", "framework", "resources", "--file", sync_file, "--output", "json"], env)
        )
    finally:
        upstream.terminate()
        upstream.wait(timeout=10)
    assert summary["counts"] == {"resources": {"team": 3, "user": 7}, "entitlements": 3, "grants": 9}
    assert summary["http"]["requests_by_endpoint"]["GET /users"] == 3
    assert {u["display_name"] for u in users if u["status"] == "disabled"} == {"Katherine Johnson"}


def test_its_own_tests_and_the_conformance_suite_pass_as_generated(acme: Installed) -> None:
    pytest_args = ["-q", "-rA", "-p", "no:cacheprovider", "-W", "error::pytest.PytestDeprecationWarning"]
    output = _run([sys.executable, "-m", "pytest", *pytest_args], acme.env, cwd=acme.dest)
    assert re.fullmatch(r"\d+ passed(, \d+ warnings?)? in [\d.]+s", output.strip().splitlines()[-1]), output
    for suite in ("TestConformance", "TestRecordedConformance"):
        assert f"PASSED tests/test_acme.py::{suite}::test_ids_are_identical_across_two_runs" in output
