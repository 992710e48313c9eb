"""A loopback HTTP server that answers from a script, for testing the HTTP policy."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from tests.loopback import serve


@dataclass
class Answer:
    status: int = 200
    body: bytes = b'{"ok": true}'
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})
    delay: float = 0.0


@dataclass
class Script:
    answers: list[Answer]
    seen: list[str] = field(default_factory=list)

    def next(self, request_line: str) -> Answer:
        self.seen.append(request_line)
        return self.answers.pop(0) if self.answers else Answer()


@contextmanager
def scripted_server(*answers: Answer) -> Iterator[tuple[str, Script]]:
    script = Script(list(answers))

    def reply(handler: BaseHTTPRequestHandler, body: bytes) -> None:
        answer = script.next(f"{handler.command} {handler.path}")
        time.sleep(answer.delay)
        handler.send_response(answer.status)
        for name, value in answer.headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(answer.body)))
        handler.end_headers()
        handler.wfile.write(answer.body)

    with serve(reply) as base_url:
        yield base_url, script
