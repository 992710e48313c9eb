"""Transport-neutral answers and requests, so routing can be written and read
without thinking about sockets.

A :class:`Response` is a status, headers and a body given as byte pieces. The
HTTP layer sends it with ``Content-Length`` when the length is known and with
chunked transfer encoding otherwise (large searches are streamed while they
render). ``action`` covers the failures a fault can ask for.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

JSON_TYPE = "application/json;charset=UTF-8"
HTML_TYPE = "text/html; charset=utf-8"

Action = Literal["send", "reset", "short"]
"""``send`` answers normally; ``reset`` drops the connection without an answer;
``short`` declares the full length, sends ``short_by`` fewer bytes and drops."""


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: Iterable[bytes] = ()
    length: int | None = 0
    """Byte length of ``body``; None means unknown (stream it chunked)."""
    action: Action = "send"
    short_by: int = 0

    def content(self) -> bytes:
        """The whole body at once (consumes a streamed body)."""
        data = b"".join(self.body)
        self.body, self.length = (data,), len(data)
        return data


@dataclass
class ApiRequest:
    """What routing needs from an HTTP request."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


@dataclass
class RecordedRequest:
    """A request as the simulator saw and answered it (``status`` 0: no answer sent)."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    service_user_id: str | None = None
    fault: str | None = None
    """The fault kind injected into this request, if any."""


def bytes_response(status: int, data: bytes, content_type: str, headers: Iterable[tuple[str, str]] = ()) -> Response:
    return Response(status, [("Content-Type", content_type), *headers], (data,), len(data))


def json_response(status: int, payload: Any, headers: Iterable[tuple[str, str]] = ()) -> Response:
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return bytes_response(status, data, JSON_TYPE, headers)


def error_response(status: int, key: str, error: str, headers: Iterable[tuple[str, str]] = ()) -> Response:
    """HiBob's documented error body ``{"key": ..., "error": ...}``."""
    return json_response(status, {"key": key, "error": error}, headers)


def empty_response(status: int, headers: Iterable[tuple[str, str]] = ()) -> Response:
    return Response(status, list(headers), (), 0)


HTML_PAGE = (
    b'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>bob</title></head>\n'
    b'<body><div id="root">Loading bob...</div>'
    b'<script src="/static/js/main.js"></script></body></html>\n'
)


def html_response(status: int = 200) -> Response:
    """The single-page-app shell HiBob's edge serves for paths outside the API."""
    return bytes_response(status, HTML_PAGE, HTML_TYPE)
