"""The plugin a newcomer makes with ``connector new acme``, installed once for the tests that walk it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.authoring.procs import pip_install, run
from tests.cli import python_env

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Installed:
    dest: Path
    site: Path
    env: dict[str, str]


def _run(args: list[str], env: dict[str, str] | None = None, cwd: Path = REPO, timeout: float = 180) -> str:
    return run(args, python_env() if env is None else env, cwd, timeout)


@pytest.fixture(scope="session")
def acme(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    root = tmp_path_factory.mktemp("drop-in")
    dest, site = root / "acme-connector", root / "site"
    _run([sys.executable, "-m", "framework", "new", "acme", "--dest", str(dest)])
    pip_install(dest, site, python_env(), REPO)
    yield Installed(dest, site, python_env(site))
