"""Per-endpoint, per-service-user request limits with HiBob's X-RateLimit headers.

HiBob counts requests per endpoint, per service user, per minute (people search
50/min) and reports ``X-RateLimit-Limit``, ``X-RateLimit-Remaining`` and
``X-RateLimit-Reset`` (Unix epoch seconds) on its answers, 401s included. A
fixed one-minute window per (user, endpoint) starting at its first request is
enough to exercise a client's pacing and its reading of the reset time.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass

WINDOW_SECONDS = 60.0
Headers = list[tuple[str, str]]


@dataclass
class _Window:
    started: float
    used: int = 0


@dataclass(frozen=True)
class Decision:
    """Whether a request may proceed, and the headers to send either way."""

    allowed: bool
    headers: Headers


class RateLimiter:
    """Counts requests; ``per_minute=None`` disables limiting and its headers."""

    def __init__(self, per_minute: int | None, clock: Callable[[], float]) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._windows: dict[tuple[str, str], _Window] = {}
        self._lock = threading.Lock()

    def hit(self, user: str, endpoint: str) -> Decision:
        """Count one request of ``user`` to ``endpoint``."""
        if self.per_minute is None:
            return Decision(True, [])
        with self._lock:
            window = self._window(user, endpoint)
            window.used += 1
            allowed = window.used <= self.per_minute
            return Decision(allowed, self._headers(window))

    def peek(self, user: str, endpoint: str) -> Headers:
        """The current headers without counting a request."""
        if self.per_minute is None:
            return []
        with self._lock:
            return self._headers(self._window(user, endpoint))

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()

    def _window(self, user: str, endpoint: str) -> _Window:
        now = self._clock()
        window = self._windows.get((user, endpoint))
        if window is None or now >= window.started + WINDOW_SECONDS:
            window = self._windows[(user, endpoint)] = _Window(now)
        return window

    def _headers(self, window: _Window) -> Headers:
        limit = self.per_minute or 0
        return [
            ("X-RateLimit-Limit", str(limit)),
            ("X-RateLimit-Remaining", str(max(0, limit - window.used))),
            ("X-RateLimit-Reset", str(math.ceil(window.started + WINDOW_SECONDS))),
        ]
