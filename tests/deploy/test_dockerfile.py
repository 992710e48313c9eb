"""The Dockerfile installs and runs what the README and the package declare.

No container engine runs here, so these read the file: a renamed console
script, a changed install command or a setting the CLI no longer knows fails
here instead of in someone's image build.
"""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path

import pytest

from framework.host import config

ROOT = Path(__file__).resolve().parents[2]


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per Dockerfile instruction, continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    result = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, rest = line.strip().partition(" ")
            result.append((keyword.upper(), " ".join(rest.split())))
    return result


def one(keyword: str) -> str:
    found = [rest for key, rest in instructions() if key == keyword]
    assert len(found) == 1, f"expected one {keyword}, found {found}"
    return found[0]


def env() -> dict[str, str]:
    values: dict[str, str] = {}
    for key, rest in instructions():
        if key == "ENV":
            for part in shlex.split(rest):
                name, _, value = part.partition("=")
                values[name] = value
    return values


def readme_install_command() -> str:
    """The install half of the README's first command (``<install> && connector demo ...``)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```bash\n(.*?)```", readme, re.DOTALL)
    assert first_block, "the README has no bash block"
    install = first_block.group(1).strip().split("&&")[0].strip()
    assert "pip install" in install, f"the README's first command does not install: {install!r}"
    return install


def test_the_image_installs_with_the_readmes_command() -> None:
    runs = [rest for key, rest in instructions() if key == "RUN"]
    steps = [step.strip() for run in runs for step in run.split("&&")]
    assert readme_install_command() in steps


def test_the_entry_point_is_the_console_script() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    scripts = {name for name, target in project["scripts"].items() if target == "framework.cli:main"}
    assert json.loads(one("ENTRYPOINT")) in [[name] for name in scripts]


def test_the_base_is_a_slim_python_the_package_supports() -> None:
    match = re.fullmatch(r"python:(\d+)\.(\d+)-slim(?:-\w+)?", one("FROM"))
    assert match, one("FROM")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    floor = re.fullmatch(r">=(\d+)\.(\d+)", project["requires-python"])
    assert floor
    assert (int(match[1]), int(match[2])) >= (int(floor[1]), int(floor[2]))


def test_it_runs_as_a_non_root_user() -> None:
    user = one("USER").split(":")[0]
    assert user not in ("root", "0")


def test_the_sync_file_is_on_the_volume() -> None:
    volumes = json.loads(one("VOLUME"))
    sync_file = env()[config.FILE_FIELD.env_var]
    assert str(Path(sync_file).parent) in volumes


@pytest.mark.parametrize("name", sorted(name for name in env() if name.startswith("BATON_")))
def test_every_baton_variable_is_a_setting_the_cli_reads(name: str) -> None:
    assert name in {field.env_var for field in config.HOST_FIELDS}


def test_the_source_is_bind_mounted_never_copied_into_a_layer() -> None:
    assert [key for key, _ in instructions() if key in ("COPY", "ADD")] == []
    (install,) = [rest for key, rest in instructions() if key == "RUN" and "pip install" in rest]
    assert install.startswith("--mount=type=bind,")


def test_sync_files_and_exports_never_reach_the_build_context() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {"**/*.db", "**/*.db-journal", "**/*.db-wal", "**/*.csv", "**/*.jsonl"} <= set(ignored)
