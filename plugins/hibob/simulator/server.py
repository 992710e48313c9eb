"""The HTTP side of the simulator and the :class:`Simulator` that tests use.

A :class:`http.server.ThreadingHTTPServer` on 127.0.0.1 (port 0 picks a free
port) runs in a background thread, speaks HTTP/1.1 with keep-alive like the real
API, sends known-length answers with ``Content-Length`` and streams the rest
with chunked transfer encoding. Every request is recorded, before its body is
sent, so a test sees it as soon as its client has the answer.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

from plugins.hibob.simulator.api import Api
from plugins.hibob.simulator.auth import DEMO_SERVICE_USER, ServiceUser
from plugins.hibob.simulator.company import Company
from plugins.hibob.simulator.demo import demo_company
from plugins.hibob.simulator.faults import FaultPlan
from plugins.hibob.simulator.named_lists import AllListsShape, Envelope
from plugins.hibob.simulator.ratelimit import RateLimiter
from plugins.hibob.simulator.responses import ApiRequest, RecordedRequest, Response
from plugins.hibob.simulator.scripted import ScriptedAnswers

_CONNECTION_ERRORS = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], simulator: Simulator) -> None:
        super().__init__(address, _Handler)
        self.simulator = simulator

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet about clients that hang up (timeouts, resets are expected in tests)."""
        import sys

        if isinstance(sys.exc_info()[1], _CONNECTION_ERRORS):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "bob-api-simulator"
    disable_nagle_algorithm = True
    """Headers and body go out in separate writes; with Nagle on, a keep-alive client
    would wait ~40 ms for each small answer."""

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are recorded in ``Simulator.requests`` instead of logged."""

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        simulator = cast(_Server, self.server).simulator
        split = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        handled = simulator.api.handle(ApiRequest(self.command, split.path, query, headers, body))
        response = handled.response
        simulator._record(
            RecordedRequest(
                method=self.command,
                path=split.path,
                query=query,
                json=_parse_json(body),
                status=response.status if response.action != "reset" else 0,
                headers=headers,
                service_user_id=handled.service_user_id,
                fault=handled.fault,
            )
        )
        try:
            self._send(response)
        except _CONNECTION_ERRORS:
            self.close_connection = True

    def _send(self, response: Response) -> None:
        if response.action == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        chunked = response.length is None
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(response.length))
        if response.action == "short":
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD":
            return
        if response.action == "short":
            data = b"".join(response.body)
            self.wfile.write(data[: len(data) - response.short_by])
            self.close_connection = True
            return
        for piece in response.body:
            if not piece:
                continue
            self.wfile.write(b"%X\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")


def _parse_json(body: bytes) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


class Simulator:
    """A local HiBob API serving one :class:`Company`; use it as a context manager.

    ``envelope`` picks the named-list array key (``items`` per the spec, ``values``
    as clients in the wild read it, or ``both``); ``all_lists_shape`` picks how
    ``GET /v1/company/named-lists`` groups lists (``object`` keyed by name, or the
    spec's ``array``). ``rate_limit_per_minute`` applies per endpoint per service
    user (None disables limiting and the X-RateLimit-* headers). ``clock`` drives
    rate-limit windows so tests can move time. People-search answers for
    companies of ``cache_min_employees`` or more are cached by content.
    ``faults`` queues injected failures; ``scripted`` makes an endpoint serve
    exactly the answer a test states (payloads HiBob's rendering never makes).
    """

    def __init__(
        self,
        company: Company | None = None,
        *,
        envelope: Envelope = "items",
        all_lists_shape: AllListsShape = "object",
        rate_limit_per_minute: int | None = 50,
        clock: Callable[[], float] = time.time,
        host: str = "127.0.0.1",
        port: int = 0,
        cache_min_employees: int = 1000,
    ) -> None:
        self.faults = FaultPlan()
        self.scripted = ScriptedAnswers()
        self.limiter = RateLimiter(rate_limit_per_minute, clock)
        self.api = Api(
            company if company is not None else demo_company(),
            users={DEMO_SERVICE_USER.id: DEMO_SERVICE_USER},
            limiter=self.limiter,
            faults=self.faults,
            scripted=self.scripted,
            clock=clock,
            envelope=envelope,
            all_lists_shape=all_lists_shape,
            cache_min_employees=cache_min_employees,
        )
        self.requests: list[RecordedRequest] = []
        self.service_user_id = DEMO_SERVICE_USER.id
        self.token = DEMO_SERVICE_USER.token
        self._host, self._port = host, port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # -- lifecycle ----------------------------------------------------------------

    def start(self) -> Simulator:
        """Bind and serve from a background thread; returns self."""
        if self._server is not None:
            return self
        self._server = _Server((self._host, self._port), self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, name="hibob-simulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- addresses and credentials ------------------------------------------------

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the simulator is not running; use it as a context manager or call start()")
        return int(self._server.server_address[1])

    @property
    def root_url(self) -> str:
        """Scheme, host and port, without ``/v1`` (what a misconfigured client uses)."""
        return f"http://{self._host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/v1"

    @property
    def auth(self) -> tuple[str, str]:
        """The default service user's ``(id, token)``, ready for ``requests``."""
        return self.service_user_id, self.token

    def add_service_user(self, user: ServiceUser) -> ServiceUser:
        """Accept another service user (e.g. one missing categories or inactive people)."""
        self.api.add_user(user)
        return user

    # -- served state -------------------------------------------------------------

    @property
    def company(self) -> Company:
        return self.api.company

    @company.setter
    def company(self, company: Company) -> None:
        self.api.company = company

    @property
    def envelope(self) -> Envelope:
        return self.api.envelope

    @envelope.setter
    def envelope(self, envelope: Envelope) -> None:
        self.api.envelope = envelope

    def reset_rate_limits(self) -> None:
        self.limiter.reset()

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        """Recorded requests for one endpoint, e.g. ``("POST", "/v1/people/search")``."""
        with self._lock:
            return [r for r in self.requests if r.method == method and r.path == path]

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)
