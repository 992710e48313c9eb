"""Benchmark ``connector sync hibob`` and the readers against their floors, in one run.

For each size, the simulator (in this process, on loopback) serves a generated
company. A first, untimed sync warms the simulator's answer cache, so no timed
run pays for generating JSON. Then each round runs, one after the other, the
``json.load`` floor, the streaming floor (``floor.py``) and the sync; after
``--repeat`` rounds the fastest run of each counts (on a shared machine the
minimum is the least disturbed) and the ratios are taken between those: of wall
times, and of the least CPU times (steadier when other work competes for the
cores).

At the reader sizes, the same alternation times ``connector resources`` and
``connector grants --output json`` (and, for their memory, the resources table
and a JSON Lines export) on the sync's file against ``reader_floor.py``: an
SQLite select plus orjson of the same rows, written as they come. The reader's
output must be byte for byte the floor's.

Every measured command is a separate process started by ``measure.py``, which
reports its wall time, CPU time and peak RSS.

usage: python benchmarks/scale.py [--sizes 1000,10000,100000,300000] [--reader-sizes 100000]
                                  [--departments 2000] [--repeat 3] [--batch-size N] [--json]
"""

from __future__ import annotations

import argparse
import filecmp
import itertools
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ijson

ROOT = Path(__file__).resolve().parents[1]
SYNC_COLUMNS = [
    "employees",
    "requests",
    "sync_s",
    "cpu_s",
    "rss_mb",
    "load_floor_s",
    "load_floor_cpu_s",
    "load_floor_rss_mb",
    "stream_floor_s",
    "stream_floor_cpu_s",
    "stream_floor_rss_mb",
    "vs_load",
    "vs_load_cpu",
    "vs_stream",
    "vs_stream_cpu",
    "us_per_employee",
]
READER_COLUMNS = [
    "employees",
    "reader",
    "wall_s",
    "cpu_s",
    "rss_mb",
    "floor_s",
    "floor_cpu_s",
    "floor_rss_mb",
    "ratio",
    "ratio_cpu",
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

    def measure(self, command: list[str], env: dict[str, str], out: Path | None = None) -> Measured:
        """Run one command; with ``out`` its stdout goes to that file instead of coming back."""
        assert self._process.stdin is not None and self._process.stdout is not None
        request = {"command": command, "env": env, "cwd": str(ROOT), "out": None if out is None else str(out)}
        self._process.stdin.write(json.dumps(request) + "\n")
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


def rounds(repeat: int, commands: dict[str, Callable[[int], Measured]]) -> dict[str, list[Measured]]:
    """``repeat`` rounds, each running every command once in turn."""
    runs: dict[str, list[Measured]] = {name: [] for name in commands}
    for attempt in range(repeat):
        for name, run in commands.items():
            runs[name].append(run(attempt))
    return runs


def best(runs: list[Measured]) -> Measured:
    return min(runs, key=lambda m: m.wall)


def least_cpu(runs: list[Measured]) -> float:
    """The least CPU time (user + system) of the runs: on a machine others share, a
    process's CPU time varies less than its wall time, which includes waiting for a core."""
    return min(m.cpu for m in runs)


def peak(runs: list[Measured]) -> float:
    return round(max(m.peak_rss_mb for m in runs), 1)


def bench(launcher: Launcher, size: int, args: argparse.Namespace, workdir: Path) -> tuple[dict[str, Any], list[Any]]:
    """The sync row of one size, and its reader rows when ``size`` is a reader size."""
    from plugins.hibob.simulator import Simulator, generated_company

    started = time.perf_counter()
    company = generated_company(employees=size, departments=min(args.departments, max(10, size // 5)), seed=1)
    generated = time.perf_counter() - started
    with Simulator(company, rate_limit_per_minute=None if args.batch_size else 50) as sim:
        env = {
            **os.environ,
            "BATON_HIBOB_BASE_URL": sim.base_url,
            "BATON_HIBOB_SERVICE_USER_ID": sim.service_user_id,
            "BATON_HIBOB_SERVICE_USER_TOKEN": sim.token,
            "BATON_HIBOB_BATCH_SIZE": str(args.batch_size),
            "BATON_LOG_LEVEL": "warning",
        }
        sync = [sys.executable, "-m", "framework", "sync", "hibob", "--quiet", "--output", "json"]
        launcher.measure([*sync, "--file", str(workdir / f"warm-{size}.db")], env)
        body = next(r.json for r in reversed(sim.requests) if r.path.endswith("/people/search"))
        body.pop("filters", None)  # batched: the floors parse everyone in one answer all the same
        floor = [sys.executable, "benchmarks/floor.py"]
        requests_made: list[int] = []

        def synced(attempt: int) -> Measured:
            before = len(sim.requests)
            measured = launcher.measure([*sync, "--file", str(workdir / f"sync-{size}-{attempt}.db")], env)
            requests_made.append(len(sim.requests) - before)
            return measured

        runs = rounds(
            args.repeat,
            {
                "load": lambda n: launcher.measure(
                    [*floor, "load", sim.base_url, json.dumps(body), str(workdir / f"load-{size}-{n}.db")], env
                ),
                "stream": lambda n: launcher.measure(
                    [*floor, "stream", sim.base_url, json.dumps(body), str(workdir / f"stream-{size}-{n}.db")], env
                ),
                "sync": synced,
            },
        )
    sync_run, load, stream = best(runs["sync"]), best(runs["load"]), best(runs["stream"])
    counts = json.loads(sync_run.stdout)["counts"]
    assert counts["resources"].get("user", 0) == size, f"synced {counts['resources']} users of {size}"
    assert len(set(requests_made)) == 1, f"requests differ between runs: {requests_made}"
    row = {
        "employees": size,
        "requests": requests_made[0],
        "sync_s": round(sync_run.wall, 2),
        "cpu_s": round(least_cpu(runs["sync"]), 2),
        "rss_mb": peak(runs["sync"]),
        "load_floor_s": round(load.wall, 2),
        "load_floor_cpu_s": round(least_cpu(runs["load"]), 2),
        "load_floor_rss_mb": peak(runs["load"]),
        "stream_floor_s": round(stream.wall, 2),
        "stream_floor_cpu_s": round(least_cpu(runs["stream"]), 2),
        "stream_floor_rss_mb": peak(runs["stream"]),
        "vs_load": round(sync_run.wall / load.wall, 2),
        "vs_load_cpu": round(least_cpu(runs["sync"]) / least_cpu(runs["load"]), 2),
        "vs_stream": round(sync_run.wall / stream.wall, 2),
        "vs_stream_cpu": round(least_cpu(runs["sync"]) / least_cpu(runs["stream"]), 2),
        "us_per_employee": round(sync_run.wall / size * 1e6, 1),
        "walls": {name: [round(m.wall, 2) for m in measured] for name, measured in runs.items()},
        "generate_s": round(generated, 1),
    }
    readers = (
        bench_readers(launcher, size, workdir / f"sync-{size}-0.db", args.repeat, workdir)
        if (size in args.reader_sizes)
        else []
    )
    return row, readers


READERS = {
    "resources --output json": (["resources", "--output", "json"], "resources"),
    "grants --output json": (["grants", "--output", "json"], "grants"),
    "resources (table)": (["resources"], "resources"),
    "export resources --format jsonl": (["export", "resources", "--format", "jsonl"], "resources"),
}
"""Reader commands and the floor each is compared with; only the JSON ones print the floor's bytes."""


def bench_readers(launcher: Launcher, size: int, db: Path, repeat: int, workdir: Path) -> list[dict[str, Any]]:
    env = {**os.environ, "BATON_LOG_LEVEL": "warning"}
    connector = [sys.executable, "-m", "framework"]
    floor = [sys.executable, "benchmarks/reader_floor.py"]
    rows = []
    out, floor_out = workdir / "reader.out", workdir / "floor.out"
    for name, (arguments, kind) in READERS.items():
        runs = rounds(
            repeat,
            {
                "floor": lambda _, kind=kind: launcher.measure([*floor, kind, str(db)], env, floor_out),
                "reader": lambda _, arguments=arguments: launcher.measure(
                    [*connector, *arguments, "--file", str(db)], env, out
                ),
            },
        )
        if name.endswith("--output json"):
            assert filecmp.cmp(out, floor_out, shallow=False), f"{name} does not print the floor's bytes"
        reader, floored = best(runs["reader"]), best(runs["floor"])
        rows.append(
            {
                "employees": size,
                "reader": name,
                "wall_s": round(reader.wall, 2),
                "cpu_s": round(least_cpu(runs["reader"]), 2),
                "rss_mb": peak(runs["reader"]),
                "floor": f"select + orjson ({kind})",
                "floor_s": round(floored.wall, 2),
                "floor_cpu_s": round(least_cpu(runs["floor"]), 2),
                "floor_rss_mb": peak(runs["floor"]),
                "ratio": round(reader.wall / floored.wall, 2),
                "ratio_cpu": round(least_cpu(runs["reader"]) / least_cpu(runs["floor"]), 2),
                "walls": {which: [round(m.wall, 2) for m in measured] for which, measured in runs.items()},
            }
        )
    return rows


def markdown(rows: list[dict[str, Any]], columns: list[str]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(row[c]) for c in columns) + " |" for row in rows]
    return "\n".join(lines)


def growth(rows: list[dict[str, Any]]) -> list[str]:
    """Marginal cost per added employee between consecutive sizes, and memory growth end to end."""
    lines = []
    for small, large in itertools.pairwise(rows):
        added = large["employees"] - small["employees"]
        lines.append(
            f"{small['employees']} -> {large['employees']}: "
            f"{(large['sync_s'] - small['sync_s']) / added * 1e6:.1f} us wall, "
            f"{(large['cpu_s'] - small['cpu_s']) / added * 1e6:.1f} us CPU per added employee "
            f"(load floor {(large['load_floor_cpu_s'] - small['load_floor_cpu_s']) / added * 1e6:.1f} us CPU), "
            f"peak RSS {small['rss_mb']} -> {large['rss_mb']} MB"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,300000", help="employee counts, comma-separated")
    parser.add_argument("--reader-sizes", default="100000", help="sizes at which readers are measured too")
    parser.add_argument("--departments", type=int, default=2000, help="departments (at most a fifth of the size)")
    parser.add_argument("--repeat", type=int, default=3, help="alternating rounds; the best run of each counts")
    parser.add_argument("--batch-size", type=int, default=0, help="sync with hibob-batch-size (0: one search)")
    parser.add_argument("--json", action="store_true", help="print rows as JSON lines too (every run's wall time)")
    args = parser.parse_args()
    args.repeat = max(1, args.repeat)
    args.reader_sizes = {int(s) for s in args.reader_sizes.split(",") if s}
    launcher = Launcher()
    sync_rows: list[dict[str, Any]] = []
    reader_rows: list[dict[str, Any]] = []
    try:
        print(f"machine: {machine()}", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            for size in (int(s) for s in args.sizes.split(",")):
                row, readers = bench(launcher, size, args, Path(tmp))
                sync_rows.append(row)
                reader_rows += readers
                for measured in (row, *readers):
                    print(
                        json.dumps(measured) if args.json else f"measured {size}: {measured.get('reader', 'sync')}",
                        file=sys.stderr,
                        flush=True,
                    )
    finally:
        launcher.close()
    print(f"\nsync, best of {args.repeat} alternating rounds:\n")
    print(markdown(sync_rows, SYNC_COLUMNS))
    print("\n" + "\n".join(growth(sync_rows)))
    if reader_rows:
        print(f"\nreaders, best of {args.repeat} alternating rounds:\n")
        print(markdown(reader_rows, READER_COLUMNS))
    if args.json:
        for row in (*sync_rows, *reader_rows):
            print(json.dumps(row))


if __name__ == "__main__":
    main()
