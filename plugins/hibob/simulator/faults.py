"""Fault injection: make the next N requests to an endpoint fail in a chosen way.

Tests drive a client through every failure HiBob (or the network in front of
it) produces: rate limits with and without headers, ``Retry-After``, 5xx, slow
answers, HTML or broken JSON with a 200, truncated bodies, 401/403 and dropped
connections. Faults queue per endpoint in the order added; once a fault's
``times`` are used up, normal service resumes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from plugins.hibob.simulator.responses import (
    HTML_TYPE,
    JSON_TYPE,
    Response,
    bytes_response,
    empty_response,
    error_response,
    html_response,
)

FaultKind = Literal[
    "rate_limit",
    "rate_limit_no_headers",
    "retry_after",
    "http_500",
    "http_502",
    "http_503",
    "slow",
    "html",
    "not_json",
    "truncated",
    "unauthorized",
    "forbidden",
    "reset",
]
FAULT_KINDS: frozenset[str] = frozenset(get_args(FaultKind))
ANY_ENDPOINT = "*"

_OPTIONS: dict[str, frozenset[str]] = {
    "rate_limit": frozenset({"seconds"}),
    "retry_after": frozenset({"seconds", "rate_headers"}),
    "slow": frozenset({"seconds"}),
    "truncated": frozenset({"premature_close"}),
}


@dataclass
class Fault:
    """One queued fault. ``endpoint`` is ``"METHOD /v1/path"`` (no query) or ``"*"``."""

    endpoint: str
    kind: FaultKind
    remaining: int
    options: dict[str, Any] = field(default_factory=dict)

    def seconds(self, default: float) -> float:
        return float(self.options.get("seconds", default))


class FaultPlan:
    """The faults waiting to be served; thread-safe because the server is threaded."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, endpoint: str, kind: str, times: int = 1, **options: Any) -> Fault:
        """Serve ``kind`` to the next ``times`` requests matching ``endpoint``.

        Options: ``seconds`` (``slow``: delay, default 5; ``retry_after``: the header
        value, default 1; ``rate_limit``: seconds until ``X-RateLimit-Reset``,
        default 1), ``rate_headers`` (``retry_after``: also send X-RateLimit-*,
        default False) and ``premature_close`` (``truncated``: declare the full
        length and drop the connection mid-body instead of a short, complete body).
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(sorted(FAULT_KINDS))}")
        method, _, path = endpoint.partition(" ")
        if endpoint != ANY_ENDPOINT and (not method.isupper() or not path.startswith("/")):
            raise ValueError(f"endpoint must look like 'POST /v1/people/search' or be '*', got {endpoint!r}")
        unknown = set(options) - _OPTIONS.get(kind, frozenset())
        if unknown:
            raise ValueError(f"fault {kind!r} takes no option(s) {', '.join(sorted(unknown))}")
        if times < 1:
            raise ValueError("times must be at least 1")
        fault = Fault(endpoint, kind, times, dict(options))  # type: ignore[arg-type]
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        """Consume one use of the first fault matching this request, if any."""
        key = f"{method} {path}"
        with self._lock:
            for fault in self._faults:
                if fault.endpoint in (key, ANY_ENDPOINT):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    @property
    def pending(self) -> list[Fault]:
        """Faults not yet used up (a copy)."""
        with self._lock:
            return list(self._faults)


def fault_response(
    fault: Fault,
    rate_headers: Callable[[], list[tuple[str, str]]],
    normal: Callable[[], Response],
    clock: Callable[[], float],
) -> Response:
    """The answer for a faulted request. ``normal`` produces the real answer (used by
    ``slow`` and ``truncated``); ``rate_headers`` the current X-RateLimit-* headers."""
    if fault.kind == "slow":
        time.sleep(fault.seconds(5.0))
        return normal()
    if fault.kind == "truncated":
        return _truncated(fault, normal())
    if fault.kind == "reset":
        return Response(0, action="reset")
    if fault.kind in ("rate_limit", "rate_limit_no_headers", "retry_after"):
        return _rate_limited(fault, rate_headers(), clock())
    if fault.kind == "unauthorized":
        return empty_response(401, rate_headers())
    return _static(fault.kind)


def _truncated(fault: Fault, real: Response) -> Response:
    """The real answer cut in half: a short complete body, or (``premature_close``)
    the full length announced and the connection dropped halfway."""
    data = real.content()
    cut = data[: len(data) // 2]
    if fault.options.get("premature_close"):
        real.action, real.short_by = "short", len(data) - len(cut)
    else:
        real.body, real.length = (cut,), len(cut)
    return real


def _rate_limited(fault: Fault, current: list[tuple[str, str]], now: float) -> Response:
    if fault.kind == "rate_limit_no_headers":
        return error_response(429, "rate.limit", "Too many requests, slow down.")
    if fault.kind == "retry_after":
        headers = [("Retry-After", str(int(fault.seconds(1.0))))]
        if fault.options.get("rate_headers"):
            headers += current
        return error_response(429, "rate.limit", "Too many requests, retry later.", headers)
    limit = next((value for name, value in current if name == "X-RateLimit-Limit"), "50")
    reset = str(int(now + fault.seconds(1.0)) + 1)
    headers = [("X-RateLimit-Limit", limit), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", reset)]
    return error_response(429, "rate.limit", "Too many requests, slow down.", headers)


_PAGES = {502: "Bad Gateway", 503: "Service Unavailable"}


def _static(kind: str) -> Response:
    """Faults whose answer does not depend on the request."""
    if kind == "http_500":
        return error_response(500, "internal.error", "An internal error occurred.")
    if kind in ("http_502", "http_503"):
        status = int(kind[-3:])
        page = f"<html><head><title>{status} {_PAGES[status]}</title></head><body><h1>{status}</h1></body></html>"
        return bytes_response(status, page.encode(), HTML_TYPE)
    if kind == "html":
        return html_response(200)
    if kind == "not_json":
        return bytes_response(200, b"<<not json>> upstream said: OK", JSON_TYPE)
    if kind == "forbidden":
        return error_response(403, "forbidden", "The service user is not allowed to perform this action.")
    raise AssertionError(f"unhandled fault kind {kind}")
