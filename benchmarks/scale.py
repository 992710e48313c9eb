"""Benchmark a full ``connector sync hibob`` against simulated tenants.

For each size, the simulator (in this process, on loopback) serves a generated
company; the sync runs as a separate process, measured by a launcher
(``measure.py``) for wall time, CPU time and peak RSS. The floor (``floor.py``)
is measured in the same run on the same payload. A first, untimed sync warms the
simulator's answer cache so no timed run pays for generating the JSON. With
``--repeat N`` the floor and the sync run N times each, alternately, and the
fastest of each is kept: on a shared machine the minimum is the least disturbed.

usage: python benchmarks/scale.py [--sizes 1000,10000,100000] [--departments 2000] [--repeat 3] [--batch-size N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ijson

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = [
    "employees",
    "departments",
    "requests",
    "wall_s",
    "cpu_s",
    "peak_rss_mb",
    "floor_s",
    "floor_rss_mb",
    "ratio",
    "us_per_employee",
]


@dataclass
class Measured:
    wall: float
    cpu: float
    peak_rss_mb: float
    stdout: str


class Launcher:
    """The measuring process (see ``measure.py``): a small parent, so a measured
    command's peak RSS does not include this process's simulated tenant."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, str(ROOT / "benchmarks" / "measure.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def measure(self, command: list[str], env: dict[str, str]) -> Measured:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps({"command": command, "env": env, "cwd": str(ROOT)}) + "\n")
        self._process.stdin.flush()
        result = json.loads(self._process.stdout.readline())
        if result["returncode"] != 0:
            sys.exit(f"{' '.join(command[:5])} failed ({result['returncode']}): {result['stderr']}")
        return Measured(result["wall"], result["cpu"], result["peak_rss_mb"], result["stdout"])

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait()


def machine() -> str:
    """Where the numbers come from: they mean little without it."""
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.partition(":")[2].strip()
                break
    return (
        f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, ijson backend {ijson.backend}"
    )


def bench(
    launcher: Launcher, size: int, departments: int, repeat: int, batch_size: int, workdir: Path
) -> dict[str, Any]:
    from plugins.hibob.simulator import Simulator, generated_company

    started = time.perf_counter()
    company = generated_company(employees=size, departments=departments, seed=1)
    generated = time.perf_counter() - started
    with Simulator(company, rate_limit_per_minute=None if batch_size else 50) as sim:
        env = {
            **os.environ,
            "BATON_HIBOB_BASE_URL": sim.base_url,
            "BATON_HIBOB_SERVICE_USER_ID": sim.service_user_id,
            "BATON_HIBOB_SERVICE_USER_TOKEN": sim.token,
            "BATON_HIBOB_BATCH_SIZE": str(batch_size),
            "BATON_LOG_LEVEL": "warning",
        }
        sync = [sys.executable, "-m", "framework", "sync", "hibob", "--quiet", "--output", "json"]
        launcher.measure([*sync, "--file", str(workdir / f"warm-{size}.db")], env)
        body = next(r.json for r in reversed(sim.requests) if r.path.endswith("/people/search"))
        body.pop("filters", None)  # batched: the floor parses everyone in one answer all the same
        floor_command = [sys.executable, "benchmarks/floor.py", sim.base_url, json.dumps(body)]
        floors: list[Measured] = []
        syncs: list[Measured] = []
        requests_made = 0
        for attempt in range(repeat):
            floors.append(launcher.measure([*floor_command, str(workdir / f"floor-{size}-{attempt}.db")], env))
            before = len(sim.requests)
            syncs.append(launcher.measure([*sync, "--file", str(workdir / f"sync-{size}-{attempt}.db")], env))
            requests_made = len(sim.requests) - before
    floor = min(floors, key=lambda m: m.wall)
    synced = min(syncs, key=lambda m: m.wall)
    summary = json.loads(synced.stdout)
    counts = summary["counts"]
    users = counts["resources"].get("user", 0)
    assert users == size, f"synced {users} users of {size}"
    return {
        "employees": size,
        "departments": counts["resources"].get("department", 0),
        "requests": requests_made,
        "wall_s": round(synced.wall, 2),
        "cpu_s": round(synced.cpu, 2),
        "peak_rss_mb": round(max(m.peak_rss_mb for m in syncs), 1),
        "floor_s": round(floor.wall, 2),
        "floor_rss_mb": round(max(m.peak_rss_mb for m in floors), 1),
        "ratio": round(synced.wall / floor.wall, 2),
        "us_per_employee": round(synced.wall / size * 1e6, 1),
        "sync_rows": sum(counts["resources"].values()) + counts["entitlements"] + counts["grants"],
        "floor_rows": json.loads(floor.stdout)["rows"],
        "sync_walls": [round(m.wall, 2) for m in syncs],
        "floor_walls": [round(m.wall, 2) for m in floors],
        "generate_s": round(generated, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="employee counts, comma-separated")
    parser.add_argument("--departments", type=int, default=2000, help="departments (at most a fifth of the size)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of the floor and the sync; the best counts")
    parser.add_argument("--batch-size", type=int, default=0, help="sync with hibob-batch-size (0: one search)")
    parser.add_argument("--json", action="store_true", help="print rows as JSON lines too")
    args = parser.parse_args()
    launcher = Launcher()
    try:
        print(f"machine: {machine()}")
        print("| " + " | ".join(COLUMNS) + " |")
        print("|" + "---|" * len(COLUMNS), flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            for size in (int(s) for s in args.sizes.split(",")):
                departments = min(args.departments, max(10, size // 5))
                row = bench(launcher, size, departments, max(1, args.repeat), args.batch_size, Path(tmp))
                print("| " + " | ".join(str(row[c]) for c in COLUMNS) + " |", flush=True)
                if args.json:
                    print(json.dumps(row), flush=True)
    finally:
        launcher.close()


if __name__ == "__main__":
    main()
