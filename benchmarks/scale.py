"""Benchmark a full ``connector sync hibob`` against simulated tenants.

For each size, the simulator (in this process, on loopback) serves a generated
company; the sync runs as a separate process and is measured with ``wait4``
(wall time, CPU time, peak RSS). The floor (``floor.py``) is measured in the
same run on the same payload. A first, untimed sync warms the simulator's
answer cache so neither timed run pays for generating the JSON.

usage: python benchmarks/scale.py [--sizes 1000,10000,100000] [--departments 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from plugins.hibob.simulator import Simulator, generated_company

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Measured:
    wall: float
    cpu: float
    peak_rss_mb: float
    stdout: str


def measure_child(command: list[str], env: dict[str, str]) -> Measured:
    """Run ``command`` and read its own resource usage (not this process's)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            sys.exit(f"{' '.join(command[:5])} failed ({process.returncode}): {err.read().decode()[-2000:]}")
        return Measured(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.read().decode())


def bench(size: int, departments: int, workdir: Path) -> dict[str, object]:
    started = time.perf_counter()
    company = generated_company(employees=size, departments=departments, seed=1)
    generated = time.perf_counter() - started
    with Simulator(company) as sim:
        env = {
            **os.environ,
            "BATON_HIBOB_BASE_URL": sim.base_url,
            "BATON_HIBOB_SERVICE_USER_ID": sim.service_user_id,
            "BATON_HIBOB_SERVICE_USER_TOKEN": sim.token,
            "BATON_LOG_LEVEL": "warning",
        }
        sync = [sys.executable, "-m", "framework", "sync", "hibob", "--quiet", "--output", "json"]
        measure_child([*sync, "--file", str(workdir / f"warm-{size}.db")], env)
        body = next(r.json for r in reversed(sim.requests) if r.path.endswith("/people/search"))
        floor = measure_child(
            [sys.executable, "benchmarks/floor.py", sim.base_url, json.dumps(body), str(workdir / f"floor-{size}.db")],
            env,
        )
        before = len(sim.requests)
        synced = measure_child([*sync, "--file", str(workdir / f"sync-{size}.db")], env)
        requests_made = len(sim.requests) - before
    summary = json.loads(synced.stdout)
    users = summary["counts"]["resources"].get("user", 0)
    assert users == size, f"synced {users} users of {size}"
    return {
        "employees": size,
        "departments": summary["counts"]["resources"].get("department", 0),
        "requests": requests_made,
        "wall_s": round(synced.wall, 2),
        "cpu_s": round(synced.cpu, 2),
        "peak_rss_mb": round(synced.peak_rss_mb, 1),
        "floor_s": round(floor.wall, 2),
        "floor_rss_mb": round(floor.peak_rss_mb, 1),
        "ratio": round(synced.wall / floor.wall, 2),
        "us_per_employee": round(synced.wall / size * 1e6, 1),
        "generate_s": round(generated, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--departments", type=int, default=2000)
    parser.add_argument("--json", action="store_true", help="print rows as JSON lines too")
    args = parser.parse_args()
    columns = [
        "employees",
        "departments",
        "requests",
        "wall_s",
        "cpu_s",
        "peak_rss_mb",
        "floor_s",
        "ratio",
        "us_per_employee",
    ]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            row = bench(size, min(args.departments, max(10, size // 5)), Path(tmp))
            print("| " + " | ".join(str(row[c]) for c in columns) + " |", flush=True)
            if args.json:
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
