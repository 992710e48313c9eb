"""Progress of a long sync on stderr.

On a terminal it redraws one line; otherwise (CI, a log file) it writes a log
line at most every few seconds, so a 100,000-employee sync shows life without
flooding the log. Given the run's :class:`~framework.host.http.HttpStats`, it also
shows the time spent waiting on upstream rate limits, which is where a batched
sync of a very large tenant spends most of its minutes.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from typing import TextIO

from framework.host.http import HttpStats

log = logging.getLogger("framework.progress")

TERMINAL_INTERVAL = 0.2
LOG_INTERVAL = 10.0


class Progress:
    def __init__(
        self,
        *,
        enabled: bool,
        stream: TextIO | None = None,
        http_stats: HttpStats | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.terminal = self.stream.isatty()
        self.http_stats = http_stats
        self._clock = clock
        self.started = clock()
        self._last_shown = float("-inf")
        self._counts: dict[str, int] = {}
        self._drawn = False

    def fetched(self, stage: str, count: int) -> None:
        """Plugins report what they fetched (``ctx.progress``)."""
        self._update(f"{stage} fetched", count)

    def stored(self, stage: str, count: int) -> None:
        """The host reports what it stored."""
        self._update(f"{stage} stored", count)

    def text(self) -> str:
        """The current line: each count with its rate, then the rate-limit waits so far."""
        elapsed = max(self._clock() - self.started, 1e-6)
        parts = [f"{n:,} {k} ({n / elapsed:,.0f}/s)" for k, n in self._counts.items()]
        if self.http_stats is not None and self.http_stats.rate_limit_wait > 0:
            parts.append(f"{self.http_stats.rate_limit_wait:,.0f}s waiting on rate limits")
        return ", ".join(parts)

    def _update(self, key: str, count: int) -> None:
        self._counts[key] = count
        if not self.enabled:
            return
        now = self._clock()
        if now - self._last_shown < (TERMINAL_INTERVAL if self.terminal else LOG_INTERVAL):
            return
        self._last_shown = now
        if self.terminal:
            self.stream.write(f"\r\033[K{self.text()}")
            self.stream.flush()
            self._drawn = True
        else:
            log.info("progress: %s", self.text())

    def finish(self) -> None:
        if self._drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
