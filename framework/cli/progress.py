"""Progress of a long sync on stderr.

On a terminal it keeps one live line at the bottom of stderr (a
:class:`StatusLine`), and log lines are written above it rather than glued
onto it; otherwise (CI, a log file) it writes a log line at most every
:data:`LOG_INTERVAL` seconds, so a 100,000-employee sync shows life without
flooding the log.

Each stage (``employees fetched``, ``user stored``, ...) shows its count, its
total when the plugin knows one, and its rate: items per second between the
stage's start and its latest report, so a finished stage keeps the rate it
ran at instead of decaying. Given the run's :class:`~framework.host.http.HttpStats`,
it also shows the time spent waiting on upstream rate limits.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from framework.host.http import HttpStats
from framework.host.terminal import printable

log = logging.getLogger("framework.progress")

TERMINAL_INTERVAL = 0.2
"""Seconds between two redraws of the live line."""
LOG_INTERVAL = 10.0
"""Seconds between two progress log lines when stderr is not a terminal."""
MIN_RATE_SECONDS = 0.5
"""A stage shorter than this shows no rate: one batch is not a speed."""
CLEAR = "\r\033[K"
"""Carriage return, then erase to the end of the line."""


class StatusLine:
    """The one live line at the bottom of a terminal's stderr.

    :meth:`write_above` erases the line, writes text that ends in a newline,
    and draws the line again below it; with nothing drawn it is a plain
    write, so the same object serves a stream that is not a terminal.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._text = ""

    @property
    def terminal(self) -> bool:
        return self.stream.isatty()

    def draw(self, text: str) -> None:
        """Replace the live line with ``text`` (one line, no newline)."""
        self.stream.write(CLEAR + text)
        self.stream.flush()
        self._text = text

    def write_above(self, text: str) -> None:
        """Write ``text`` (whole lines) above the live line."""
        if self._text:
            self.stream.write(CLEAR)
        self.stream.write(text)
        if self._text:
            self.stream.write(self._text)
        self.stream.flush()

    def clear(self) -> None:
        """Erase the live line; the cursor stays at the start of the empty line."""
        if self._text:
            self.stream.write(CLEAR)
            self.stream.flush()
            self._text = ""


@dataclass
class _Stage:
    count: int
    total: int | None
    started: float
    updated: float

    def text(self, name: str) -> str:
        amount = f"{self.count:,}/{self.total:,}" if self.total is not None else f"{self.count:,}"
        seconds = self.updated - self.started
        rate = f" ({self.count / seconds:,.0f}/s)" if seconds >= MIN_RATE_SECONDS else ""
        return f"{amount} {name}{rate}"


class Progress:
    """Counts per stage of one sync, shown on a :class:`StatusLine` or as periodic log lines."""

    def __init__(
        self,
        *,
        enabled: bool,
        status: StatusLine,
        http_stats: HttpStats | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.enabled = enabled
        self.status = status
        self.http_stats = http_stats
        self._clock = clock
        self._last_activity = clock()
        self._last_shown = float("-inf")
        self._stages: dict[str, _Stage] = {}

    def fetched(self, stage: str, count: int, total: int | None = None) -> None:
        """Plugins report what they fetched (``ctx.progress``); ``total`` when the upstream said how many."""
        self._update(f"{stage} fetched", count, total)

    def stored(self, stage: str, count: int) -> None:
        """The host reports what it stored."""
        self._update(f"{stage} stored", count, None)

    def text(self) -> str:
        """The current line: each stage's count (of its total) and rate, then the rate-limit waits so far."""
        parts = [stage.text(name) for name, stage in self._stages.items()]
        if self.http_stats is not None and self.http_stats.rate_limit_wait > 0:
            parts.append(f"{self.http_stats.rate_limit_wait:,.0f}s waiting on rate limits")
        return ", ".join(parts)

    def _update(self, name: str, count: int, total: int | None) -> None:
        now = self._clock()
        stage = self._stages.get(name)
        if stage is None:
            # A stage starts when the one before it last reported (or the sync began).
            stage = self._stages[name] = _Stage(count, total, self._last_activity, now)
        stage.count, stage.updated = count, now
        stage.total = total if total is not None else stage.total
        self._last_activity = now
        if not self.enabled:
            return
        terminal = self.status.terminal
        if now - self._last_shown < (TERMINAL_INTERVAL if terminal else LOG_INTERVAL):
            return
        self._last_shown = now
        if terminal:
            self.status.draw(printable(self.text()))
        else:
            log.info("progress: %s", self.text())

    def finish(self) -> None:
        """Erase the live line; the summary follows on stdout."""
        self.status.clear()
