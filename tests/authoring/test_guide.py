"""docs/writing-a-plugin.md, walked as written: every step a newcomer takes with a new plugin.

The install step is checked against the guide (its command names the ``[test]``
extra, and every requirement of that extra is installed here) and then done as
``tests/authoring/conftest.py`` does it, into a folder of its own, so the plugin
never joins the environment other tests run in.
"""

from __future__ import annotations

import re
import shlex
import shutil
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.authoring.conftest import REPO, Installed, _run
from tests.cli import Cli

GUIDE = REPO / "docs" / "writing-a-plugin.md"
RECORD_MODES = ("none", "once", "new_episodes", "all", "rewrite")
"""pytest-recording's modes; ``rewrite`` is the one vcrpy does not know itself."""


def guide_commands() -> list[str]:
    """Every command line in the guide's bash blocks, comments dropped."""
    blocks = re.findall(r"```bash\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    lines = [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def test_the_guide_installs_with_the_test_extra_the_project_declares(acme: Installed) -> None:
    installs = [line for line in guide_commands() if line.startswith("pip install -e")]
    assert installs, "the guide never says how to install the new plugin"
    target = shlex.split(installs[0])[-1]
    assert target == "acme-connector[test]", installs[0]
    project = tomllib.loads((acme.dest / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in map(Requirement, project["optional-dependencies"]["test"]):
        try:
            installed = version(requirement.name)
        except PackageNotFoundError:
            pytest.fail(f"the [test] extra needs {requirement}, which is not installed here")
        assert requirement.specifier.contains(installed, prereleases=True), (requirement, installed)


@pytest.fixture(scope="module")
def recorded(acme: Installed, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The generated tests run once per record mode, in order, on a copy of the project; mode -> last line."""
    copy = tmp_path_factory.mktemp("guide") / "acme-connector"
    shutil.copytree(acme.dest, copy)
    results: dict[str, str] = {}
    for mode in (*RECORD_MODES, "none"):
        output = _run(
            [
                sys.executable,
                "-m",
                "pytest",
                str(copy / "tests"),
                f"--record-mode={mode}",
                "-q",
                "-p",
                "no:cacheprovider",
            ],
            acme.env,
            cwd=copy.parent,
            timeout=300,
        )
        results[mode] = output.strip().splitlines()[-1]
    return results


@pytest.mark.parametrize("mode", RECORD_MODES)
def test_the_generated_tests_pass_in_every_record_mode(recorded: dict[str, str], mode: str) -> None:
    assert re.fullmatch(r"\d+ passed(, \d+ warnings?)? in [\d.]+s( \([\d:]+\))?", recorded[mode]), recorded[mode]


def test_ruff_finds_nothing_in_the_generated_project(acme: Installed) -> None:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff is not None, "ruff is part of the [test] extra and must be installed"
    config = tomllib.loads((acme.dest / "pyproject.toml").read_text(encoding="utf-8"))
    assert "ruff" in config["tool"], "the generated project carries its own ruff settings"
    _run([ruff, "check", "."], acme.env, cwd=acme.dest)
    _run([ruff, "format", "--check", "."], acme.env, cwd=acme.dest)


def test_the_generated_text_reads_right_for_a_name_that_starts_with_a_vowel(acme: Installed) -> None:
    for path in acme.dest.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".md", ".toml"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"\b[Aa] acme\b", text, re.IGNORECASE), (
                path,
                re.findall(r".{0,30}\b[Aa] acme.{0,10}", text, re.I),
            )


def test_the_demo_of_the_new_plugin_suggests_commands_that_fit_it(acme: Installed, tmp_path: Path) -> None:
    cli = Cli(acme.env, tmp_path)
    run = cli("demo", "acme")
    assert run.code == 0, run.stderr
    suggested = run.stdout.split("\nnext:\n", 1)[1].splitlines()
    assert "department" not in run.stdout
    for line in suggested:
        for command in line.split(" && "):
            done = cli(*shlex.split(command)[1:])
            assert done.code == 0 and done.stdout.strip(), (line, done.stderr)
    # the suggested re-run at --step 1 moved the stand-in on, so its diff has people in it
    users = cli("diff", "--file", "demo.db", "--output", "json").json()["users"]
    assert users["joiners"] and users["leavers"], users
