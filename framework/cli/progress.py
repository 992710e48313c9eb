"""Progress of a long sync on stderr.

On a terminal it redraws one line; otherwise (CI, a log file) it writes a log
line at most every few seconds, so a 100,000-employee sync shows life without
flooding the log.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import TextIO

log = logging.getLogger("framework.progress")

TERMINAL_INTERVAL = 0.2
LOG_INTERVAL = 10.0


class Progress:
    def __init__(self, *, enabled: bool, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.terminal = self.stream.isatty()
        self.started = time.monotonic()
        self._last_shown = 0.0
        self._counts: dict[str, int] = {}
        self._drawn = False

    def fetched(self, stage: str, count: int) -> None:
        """Plugins report what they fetched (``ctx.progress``)."""
        self._update(f"{stage} fetched", count)

    def stored(self, stage: str, count: int) -> None:
        """The host reports what it stored."""
        self._update(f"{stage} stored", count)

    def _update(self, key: str, count: int) -> None:
        self._counts[key] = count
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last_shown < (TERMINAL_INTERVAL if self.terminal else LOG_INTERVAL):
            return
        self._last_shown = now
        elapsed = max(now - self.started, 1e-6)
        text = ", ".join(f"{n} {k} ({n / elapsed:,.0f}/s)" for k, n in self._counts.items())
        if self.terminal:
            self.stream.write(f"\r\033[K{text}")
            self.stream.flush()
            self._drawn = True
        else:
            log.info("progress: %s", text)

    def finish(self) -> None:
        if self._drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
