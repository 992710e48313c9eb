"""Running ``python`` subprocesses the way a user would: no inherited ``BATON_*`` switches."""

from __future__ import annotations

import subprocess
from pathlib import Path


def run(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 180) -> str:
    """Stdout of a command that must succeed; the failure message carries both streams."""
    done = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout
