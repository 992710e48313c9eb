"""Running ``python`` subprocesses the way a user would: no inherited ``BATON_*`` switches."""

from __future__ import annotations

import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path


def run(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 180) -> str:
    """Stdout of a command that must succeed; the failure message carries both streams."""
    done = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def offline_build_possible() -> bool:
    """setuptools builds wheels by itself from 70.1; before that it needs the wheel package."""
    try:
        import setuptools
    except ImportError:
        return False
    major, minor = (int(part) for part in setuptools.__version__.split(".")[:2])
    return (major, minor) >= (70, 1) or find_spec("wheel") is not None


def pip_install(project: Path, site: Path, env: dict[str, str], cwd: Path) -> None:
    """Build ``project`` and install it (no dependencies) into the folder ``site``, as pip does."""
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps"]
    if offline_build_possible():
        pip.append("--no-build-isolation")
    run([*pip, "--target", str(site), str(project)], env, cwd, timeout=300)
