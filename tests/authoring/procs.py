"""Running ``python`` subprocesses the way a user would: no inherited ``BATON_*`` switches."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def python_env(*paths: Path) -> dict[str, str]:
    """This environment without ``BATON_*`` variables, with ``paths`` first on ``PYTHONPATH``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BATON_")}
    if paths:
        env["PYTHONPATH"] = os.pathsep.join([*map(str, paths), *filter(None, [env.get("PYTHONPATH")])])
    return env


def run(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 180) -> str:
    """Stdout of a command that must succeed; the failure message carries both streams."""
    done = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout
