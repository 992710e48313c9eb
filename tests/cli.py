"""The one way tests run the ``connector`` command in a subprocess, as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def python_env(*paths: Path) -> dict[str, str]:
    """This environment without ``BATON_*`` variables, with ``paths`` first on ``PYTHONPATH``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BATON_")}
    if paths:
        env["PYTHONPATH"] = os.pathsep.join([*map(str, paths), *filter(None, [env.get("PYTHONPATH")])])
    return env


@dataclass
class Run:
    """One finished ``connector`` run: exit code and both streams as text."""

    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@dataclass
class Cli:
    """Runs ``python -m framework`` in ``cwd`` with ``env`` plus what a call adds (``BATON_X=...``)."""

    env: dict[str, str]
    cwd: Path

    def __call__(self, *args: str, timeout: float = 120, **env: str) -> Run:
        """The run's streams as text, line endings read as ``\n`` (Python's text mode)."""
        done = self._run(args, timeout, env, text=True)
        return Run(done.returncode, done.stdout, done.stderr)

    def raw(self, *args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[bytes]:
        """The same run with stdout and stderr as bytes, where line endings and byte order marks matter."""
        done: subprocess.CompletedProcess[bytes] = self._run(args, timeout, env, text=False)
        return done

    def _run(self, args: tuple[str, ...], timeout: float, env: dict[str, str], *, text: bool) -> Any:
        return subprocess.run(
            [sys.executable, "-m", "framework", *args],
            env={**self.env, **env},
            cwd=self.cwd,
            capture_output=True,
            text=text,
            encoding="utf-8" if text else None,
            timeout=timeout,
            check=False,
        )
