"""A tiny loopback HTTP server answering HiBob paths from canned replies.

It lets the client's real HTTP path (streaming, content-type checks, broken
connections) run without the full simulator; each test states exactly the
payload it needs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.loopback import serve


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

    def reply(handler: BaseHTTPRequestHandler, raw: bytes) -> None:
        url = urlsplit(handler.path)
        seen = Seen(
            handler.command,
            url.path,
            parse_qs(url.query),
            json.loads(raw) if raw else None,
            handler.headers.get("Authorization"),
        )
        fake.requests.append(seen)
        route = fake.routes.get(f"{handler.command} {url.path}", NOT_HERE)
        answer = route(seen) if callable(route) else route
        payload = answer.payload()
        handler.send_response(answer.status)
        handler.send_header("Content-Type", answer.content_type)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        if answer.cut_after is None:
            handler.wfile.write(payload)
        else:
            handler.wfile.write(payload[: answer.cut_after])
            handler.wfile.flush()
            handler.close_connection = True

    with serve(reply, http11=True) as root:
        fake.base_url = f"{root}/v1"
        yield fake
