"""The README's examples run as written: every ``connector`` line of its bash blocks that needs no tenant.

They run in order, in one folder, after the README's first command (``connector
demo ...``) made the demo file there; each must exit 0 and print something on
stdout, so an example whose ids or names belong to something else than the
demo (a test fixture, an old demo) fails here. A block that sets ``BATON_*``
variables is a real tenant's and is left out; its commands are tried against
the simulator in tests/e2e/test_cli_hibob.py.
"""

from __future__ import annotations

import re
import shlex

import pytest

from tests.cli import Cli, python_env
from tests.e2e.conftest import ROOT

README = ROOT / "README.md"
EMPTY_MARKERS = ("no resources match", "no entitlements match", "no grants match", "no changes")


def readme_lines() -> list[tuple[str, list[list[str]]]]:
    """Each bash line that runs ``connector``, with its ``connector`` commands (split on ``&&``) as argv lists."""
    found = []
    for block in re.findall(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL):
        if "export BATON_" in block:
            continue
        for line in block.splitlines():
            commands = [shlex.split(part, comments=True) for part in line.split("&&")]
            argvs = [argv[1:] for argv in commands if argv and argv[0] == "connector"]
            if argvs:
                found.append((line.split("  #")[0].strip(), argvs))
    return found


LINES = readme_lines()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """A folder where the README's first ``connector`` command has run."""
    cli = Cli(python_env(ROOT), tmp_path_factory.mktemp("readme"))
    first = LINES[0][1][0]
    assert first[0] == "demo", f"the README's first command is not the demo: {LINES[0][0]}"
    run = cli(*first, timeout=300)
    assert run.code == 0, run.stderr
    return cli


def test_the_readme_has_examples_to_run() -> None:
    assert len(LINES) >= 5, LINES


@pytest.mark.parametrize(("line", "argvs"), LINES, ids=[line for line, _ in LINES])
def test_each_example_prints_something(demo: Cli, line: str, argvs: list[list[str]]) -> None:
    for argv in argvs:
        run = demo(*argv, timeout=300)
        assert run.code == 0, f"{line}: exit {run.code}: {run.stderr}"
        assert run.stdout.strip(), f"{line}: printed nothing"
        assert not any(marker in run.stdout for marker in EMPTY_MARKERS), f"{line}: {run.stdout[:200]}"


def test_the_two_commands_stay_one_command_each() -> None:
    section = README.read_text(encoding="utf-8").split("## Two commands", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, re.DOTALL)
    assert [len(block.strip().splitlines()) for block in blocks[:2]] == [1, 1]
    assert blocks[0].strip().startswith("python3 -m pip install . && connector demo")
    assert blocks[1].strip() == 'python3 -m pip install "tox>=4" && python3 -m tox run'
