"""A hostile upstream in front of the simulator, and the real CLI in a subprocess.

:class:`Front` listens on loopback and forwards every request to the HiBob
simulator, except the endpoints a test hijacks: those get whatever bytes the
test writes (a gzip bomb, a drip, a redirect, a body echoing the credentials).
Each test first syncs the demo company cleanly, then syncs again through the
hostile endpoint, and checks the exit code, the one-line message, the time and
memory it took, that the first sync is intact, and that no secret or personal
value reached any output or the sync file's bytes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from plugins.hibob.simulator import Simulator, demo_company

ROOT = Path(__file__).resolve().parents[2]
LAUNCH = Path(__file__).with_name("launch.py")
SEARCH = "POST /v1/people/search"
DEPARTMENTS = "GET /v1/company/named-lists/department"
FIELDS = "GET /v1/company/people/fields"

Hijack = Callable[[BaseHTTPRequestHandler, bytes], None]
"""Writes the whole answer (status line, headers, body) to the handler."""


@dataclass
class Front:
    """The hostile front: ``base_url`` to sync from, ``hijack`` to take over an endpoint."""

    upstream: str
    base_url: str = ""
    hijacks: dict[str, Hijack] = field(default_factory=dict)
    rewrites: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    """Endpoint -> a function changing the simulator's parsed JSON answer before it is sent."""
    seen: list[str] = field(default_factory=list)

    def hijack(self, endpoint: str, answer: Hijack) -> None:
        self.hijacks[endpoint] = answer

    def rewrite(self, endpoint: str, change: Callable[[Any], Any]) -> None:
        self.rewrites[endpoint] = change

    def forward(self, handler: BaseHTTPRequestHandler, method: str, target: str, body: bytes) -> None:
        """Answer with what the simulator answers to ``method target`` (rewritten if asked)."""
        answer = requests.request(
            method,
            self.upstream + target,
            data=body,
            headers={k: v for k, v in handler.headers.items() if k.lower() in ("authorization", "content-type")},
            timeout=30,
        )
        payload = answer.content
        endpoint = f"{method} {target.split('?', maxsplit=1)[0]}"
        if endpoint in self.rewrites and answer.ok:
            payload = json.dumps(self.rewrites[endpoint](answer.json())).encode()
        send(handler, answer.status_code, payload, Content_Type=answer.headers.get("Content-Type", ""))


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes, **headers: str) -> None:
    """A complete answer with a Content-Length; ``headers`` use ``_`` for ``-``."""
    handler.send_response(status)
    headers.setdefault("Content_Type", "application/json")
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _serve(front: Front) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            path = self.path.split("?")[0]
            endpoint = f"{self.command} {path}"
            front.seen.append(endpoint)
            if endpoint in front.hijacks:
                front.hijacks[endpoint](self, body)
                return
            front.forward(self, self.command, self.path, body)

        do_GET = do_POST = _any

        def log_message(self, format: str, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: Any, client_address: Any) -> None:
            """Clients hanging up on a hostile answer is what the tests provoke."""

    return Server(("127.0.0.1", 0), Handler)


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(demo_company()) as simulator:
        yield simulator


@pytest.fixture
def front(sim: Simulator) -> Iterator[Front]:
    root = sim.base_url.removesuffix("/v1")
    hostile = Front(upstream=root)
    server = _serve(hostile)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    hostile.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield hostile
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mib: float
    """The CLI process's peak resident memory, as its launcher measured it (``launch.py``)."""

    @property
    def error_line(self) -> str:
        """The one ``error:`` line, which must be the last line on stderr ("" otherwise)."""
        lines = self.stderr.strip().splitlines()
        errors = [line for line in lines if line.startswith("error: ")]
        return lines[-1] if len(errors) == 1 and lines[-1] == errors[0] else ""


@dataclass
class Cli:
    """Runs ``python -m framework`` in a subprocess with a clean environment plus the test's."""

    env: dict[str, str]
    cwd: Path

    def __call__(self, *args: str, timeout: float = 60, **env: str) -> Run:
        out_path, err_path, rss_path = (self.cwd / name for name in ("stdout.txt", "stderr.txt", "rss.txt"))
        command = [sys.executable, str(LAUNCH), str(rss_path), sys.executable, "-m", "framework", *args]
        started = time.monotonic()
        with out_path.open("wb") as out, err_path.open("wb") as err:
            try:
                done = subprocess.run(
                    command, env={**self.env, **env}, cwd=self.cwd, stdout=out, stderr=err, timeout=timeout, check=False
                )
            except subprocess.TimeoutExpired:
                raise AssertionError(f"connector {' '.join(args)} still ran after {timeout}s") from None
        return Run(
            done.returncode,
            out_path.read_text("utf-8", "replace"),
            err_path.read_text("utf-8", "replace"),
            time.monotonic() - started,
            int(rss_path.read_text()) / 1024,
        )


@pytest.fixture
def cli(tmp_path: Path, front: Front, sim: Simulator) -> Cli:
    """The CLI, configured (through ``BATON_*``) for the hostile front, with a fast retry policy."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("BATON_")}
    base.update(
        PYTHONPATH=str(ROOT),
        BATON_HIBOB_BASE_URL=front.base_url,
        BATON_HIBOB_SERVICE_USER_ID=sim.service_user_id,
        BATON_HIBOB_SERVICE_USER_TOKEN=sim.token,
        BATON_HTTP_MAX_RETRIES="1",
        BATON_HTTP_MAX_WAIT="1",
    )
    return Cli(base, tmp_path)


@pytest.fixture
def synced(cli: Cli, tmp_path: Path) -> Path:
    """A sync file holding one complete sync of the demo company."""
    run = cli("sync", "hibob", "--quiet", "--file", "sync.db")
    assert run.code == 0, run.stderr
    return tmp_path / "sync.db"


def secrets_of(sim: Simulator) -> list[str]:
    """The credential in every form it could leak in: raw, Basic base64, URL-encoded."""
    import base64
    from urllib.parse import quote

    pair = f"{sim.service_user_id}:{sim.token}"
    return [sim.token, sim.service_user_id, base64.b64encode(pair.encode()).decode(), quote(sim.token, safe="")]
