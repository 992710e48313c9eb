"""What the HTTP layer does between attempts: the retry policy, a run's request counts,
a vendor's quirks, the client-side per-endpoint rate limiter, and the server's own
"wait this long" headers. Every number here is a host option a user can set.
"""

from __future__ import annotations

import email.utils
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests


@dataclass(frozen=True, slots=True)
class HttpPolicy:
    """Timeouts and retry limits; every number is a host option a user can set."""

    connect_timeout: float = 10.0
    read_timeout: float = 120.0
    max_retries: int = 5
    """Retries of one request after its first attempt."""
    max_wait: float = 120.0
    """Longest single wait; a server asking for more fails the request instead."""
    retry_budget: float = 600.0
    """Total seconds a run may spend waiting before it gives up."""
    backoff_base: float = 1.0
    deadline: float = 1800.0
    """Longest one attempt may take, its whole answer included (bounds a dripping server)."""
    max_body_bytes: int | None = None
    """When set, every answer's decompressed size cap, replacing each endpoint's own."""


@dataclass(slots=True)
class HttpStats:
    """What a run cost upstream; reported in the sync summary."""

    requests: int = 0
    retries: int = 0
    rate_limit_wait: float = 0.0
    backoff_wait: float = 0.0
    by_endpoint: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "retries": self.retries,
            "rate_limit_wait_seconds": round(self.rate_limit_wait, 3),
            "backoff_wait_seconds": round(self.backoff_wait, 3),
            "requests_by_endpoint": dict(self.by_endpoint),
        }


class Quirks:
    """Vendor-specific reading of responses. Override what your API does differently."""

    def is_rate_limited(self, response: requests.Response) -> bool:
        return response.status_code == 429

    message_keys: tuple[str, ...] = ("error", "message")
    """Keys of a JSON error body whose text makes the message (HiBob sends ``error`` as the bare
    reason phrase and the detail in ``message``, so both are shown)."""

    def error_message(self, response: requests.Response) -> str:
        """The upstream's message from an error body: the distinct non-empty strings under
        :attr:`message_keys`, in that order, joined by ``": "``; '' when there is none. The host
        reads at most :data:`~framework.host.http.client.ERROR_BODY_BYTES` of the body, then masks secrets, flattens and
        shortens the message (:func:`~framework.host.http.answers.upstream_text`): return it whole."""
        try:
            body = response.json()
        except ValueError:
            return ""
        if not isinstance(body, dict):
            return ""
        parts: list[str] = []
        for key in self.message_keys:
            value = body.get(key)
            if isinstance(value, str) and value and value not in parts:
                parts.append(value)
        return ": ".join(parts)


class EndpointLimiter:
    """Keeps each endpoint under its known requests-per-minute limit, client side.

    One limiter serves a whole run, so every client of that run counts into the
    same per-endpoint windows.
    """

    def __init__(self, limits: Mapping[str, int] | None = None, clock: Callable[[], float] = time.time) -> None:
        self._limits: dict[str, int] = {}
        self._sent: dict[str, deque[float]] = {}
        self._clock = clock
        self.declare(limits or {})

    def declare(self, limits: Mapping[str, int]) -> None:
        """Add ``"METHOD /path"`` -> requests-per-minute limits; a known endpoint keeps the lower one."""
        for endpoint, limit in limits.items():
            self._limits[endpoint] = min(limit, self._limits.get(endpoint, limit))
            self._sent.setdefault(endpoint, deque())

    def delay(self, endpoint: str) -> float:
        """Seconds to wait before ``endpoint`` may be called again (0 when free)."""
        limit = self._limits.get(endpoint)
        if limit is None:
            return 0.0
        sent, now = self._sent[endpoint], self._clock()
        while sent and now - sent[0] >= 60.0:
            sent.popleft()
        return 0.0 if len(sent) < limit else 60.0 - (now - sent[0])

    def record(self, endpoint: str) -> None:
        if endpoint in self._sent:
            self._sent[endpoint].append(self._clock())


def server_wait(response: requests.Response, now: float) -> float | None:
    """Seconds the server asked us to wait: ``Retry-After`` (seconds or HTTP date)
    first, then ``X-RateLimit-Reset`` (Unix epoch seconds); None when neither."""
    retry_after = response.headers.get("Retry-After")
    if retry_after:
        if retry_after.strip().isdigit():
            return float(retry_after)
        try:
            return max(0.0, email.utils.parsedate_to_datetime(retry_after).timestamp() - now)
        except (TypeError, ValueError):
            pass
    reset = response.headers.get("X-RateLimit-Reset")
    if reset:
        try:
            return max(0.0, float(reset) - now)
        except ValueError:
            return None
    return None
