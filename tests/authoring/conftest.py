"""The plugin a newcomer makes with ``connector new acme``, installed once for the tests that walk it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import pytest

from tests.authoring.procs import run
from tests.cli import python_env

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Installed:
    dest: Path
    site: Path
    env: dict[str, str]


def _run(args: list[str], env: dict[str, str] | None = None, cwd: Path = REPO, timeout: float = 180) -> str:
    return run(args, python_env() if env is None else env, cwd, timeout)


def _offline_build_possible() -> bool:
    """setuptools builds wheels by itself from 70.1; before that it needs the wheel package."""
    try:
        import setuptools
    except ImportError:
        return False
    major, minor = (int(part) for part in setuptools.__version__.split(".")[:2])
    return (major, minor) >= (70, 1) or find_spec("wheel") is not None


@pytest.fixture(scope="session")
def acme(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    root = tmp_path_factory.mktemp("drop-in")
    dest, site = root / "acme-connector", root / "site"
    _run([sys.executable, "-m", "framework", "new", "acme", "--dest", str(dest)])
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps"]
    if _offline_build_possible():
        pip.append("--no-build-isolation")
    _run([*pip, "--target", str(site), str(dest)], timeout=300)
    yield Installed(dest, site, python_env(site))
