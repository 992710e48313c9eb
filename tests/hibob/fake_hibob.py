"""A tiny loopback HTTP server answering HiBob paths from canned replies.

It lets the client's real HTTP path (streaming, content-type checks, broken
connections) run without the full simulator; each test states exactly the
payload it needs.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    status: int = 200
    json: Any = None
    body: bytes | None = None
    content_type: str = "application/json"
    cut_after: int | None = None
    """Declare the full length but close the connection after this many bytes."""

    def payload(self) -> bytes:
        return self.body if self.body is not None else json.dumps(self.json).encode()


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    json: Any
    authorization: str | None


Route = Reply | Callable[[Seen], Reply]
NOT_HERE = Reply(200, body=b"<html>not here</html>", content_type="text/html")
"""What HiBob answers on a wrong path: a 200 HTML page."""


@dataclass
class FakeHibob:
    base_url: str = ""
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)

    def on(self, endpoint: str, route: Route) -> None:
        """``endpoint`` is ``"POST /v1/people/search"``."""
        self.routes[endpoint] = route

    def count(self, endpoint: str) -> int:
        return sum(1 for seen in self.requests if f"{seen.method} {seen.path}" == endpoint)


def people(*records: dict[str, Any]) -> Reply:
    return Reply(json={"employees": list(records)})


@contextmanager
def fake_hibob() -> Iterator[FakeHibob]:
    fake = FakeHibob()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            url = urlsplit(self.path)
            seen = Seen(
                self.command,
                url.path,
                parse_qs(url.query),
                json.loads(raw) if raw else None,
                self.headers.get("Authorization"),
            )
            fake.requests.append(seen)
            route = fake.routes.get(
                f"{self.command} {url.path}", Reply(200, body=b"<html>not here</html>", content_type="text/html")
            )
            reply = route(seen) if callable(route) else route
            payload = reply.payload()
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if reply.cut_after is None:
                self.wfile.write(payload)
            else:
                self.wfile.write(payload[: reply.cut_after])
                self.wfile.flush()
                self.close_connection = True

        do_GET = do_POST = _answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
