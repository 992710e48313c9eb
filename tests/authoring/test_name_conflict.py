"""Two distributions registering one plugin name: both are shown, neither is picked.

A second distribution whose entry point is also called ``hibob`` is built and
installed by pip into a folder of its own on ``PYTHONPATH`` (as
``test_drop_in.py`` does), so the host sees two real ``framework.connectors``
entry points named ``hibob``: the built-in one and the newcomer's.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.authoring.procs import pip_install, run
from tests.cli import Cli, python_env

REPO = Path(__file__).resolve().parents[2]
PYPROJECT = """\
[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[project]
name = "other-hibob"
version = "2.0"

[project.entry-points."framework.connectors"]
hibob = "other_hibob"
"""
EXPECTED = (
    "plugin name 'hibob' is registered by 2 distributions, connector-framework 0.1.0 and other-hibob 2.0: "
    "the host picks none; uninstall all but one"
)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("conflict")
    project, site = root / "other-hibob", root / "site"
    project.mkdir()
    (project / "pyproject.toml").write_text(PYPROJECT)
    (project / "other_hibob.py").write_text('"""A plugin that would replace the built-in hibob connector."""\n')
    pip_install(project, site, python_env(), REPO)
    return python_env(site)


def test_plugins_all_shows_both_distributions_and_loads_neither(env: dict[str, str]) -> None:
    listed = json.loads(run([sys.executable, "-m", "framework", "plugins", "--all"], env, REPO))
    hibob = [entry for entry in listed if entry["name"] == "hibob"]
    assert [(e["status"], e["source"], e["version"], e["error"]) for e in hibob] == [
        ("conflict", "built-in", "0.1.0", EXPECTED),
        ("conflict", "other-hibob", "2.0", EXPECTED),
    ]
    plain = Cli(env, REPO)("plugins")
    assert "hibob" not in [entry["name"] for entry in plain.json()]
    assert "note: not listed: hibob (conflict); see connector plugins --all" in plain.stderr


@pytest.mark.parametrize("command", [["validate", "hibob"], ["sync", "hibob", "--quiet", "--keep", "2"]])
def test_using_the_name_is_one_error_naming_both_distributions(
    env: dict[str, str], command: list[str], tmp_path: Path
) -> None:
    done = Cli(env, tmp_path)(*command, *(["--file", "s.db"] if command[0] == "sync" else []))
    assert (done.code, done.stdout, done.stderr) == (2, "", f"error: {EXPECTED}\n")
    assert not (tmp_path / "s.db").exists()
