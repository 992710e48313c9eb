"""Run commands and measure each one's wall time, CPU time and peak RSS.

``benchmarks/scale.py`` starts this launcher and sends it one command per line.
Linux counts the memory a child had before ``exec`` (its parent's, shared) in
the child's peak RSS: a command started straight from the benchmark, whose
simulator holds the whole tenant and its cached answer in memory, reported the
benchmark's own size (263 MB at 100,000 employees, for the sync and the floor
alike). Started from this small process, a command's peak RSS is its own; the
launcher's ~10 MB is a floor no measured command gets near.

Protocol: one JSON object per line in (``command``, ``env``, ``cwd``, optional
``out``: a file for the command's stdout, which is then not sent back), one per
line out (``wall``, ``cpu``, ``peak_rss_mb``, ``returncode``, ``stdout``,
``stderr``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from typing import Any


def measure(command: list[str], env: dict[str, str], cwd: str, out: str | None = None) -> dict[str, Any]:
    """Run ``command`` to its end; its resource usage comes from ``wait4``, not from polling."""
    with open(out, "w+b") if out else tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=stdout, stderr=stderr, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        stdout.seek(0)
        stderr.seek(0)
        return {
            "wall": wall,
            "cpu": usage.ru_utime + usage.ru_stime,
            "peak_rss_mb": usage.ru_maxrss / 1024,
            "returncode": os.waitstatus_to_exitcode(status),
            "stdout": "" if out else stdout.read().decode(),
            "stderr": stderr.read().decode()[-2000:],
        }


def main() -> None:
    for line in sys.stdin:
        print(json.dumps(measure(**json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
