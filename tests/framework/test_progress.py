"""Sync progress on stderr: a redrawn line on a terminal, throttled log lines otherwise."""

from __future__ import annotations

import io
import logging

import pytest

from framework.cli.progress import LOG_INTERVAL, Progress
from framework.host.http import HttpStats


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_terminal_line_shows_counts_rates_and_rate_limit_waits() -> None:
    stream, clock, stats = Terminal(), Clock(), HttpStats()
    progress = Progress(enabled=True, stream=stream, http_stats=stats, clock=clock)
    clock.now += 2.0
    progress.fetched("employees", 5000)
    assert stream.getvalue() == "\r\033[K5,000 employees fetched (2,500/s)"
    stats.rate_limit_wait = 61.4
    clock.now += 2.0
    progress.stored("user", 2000)
    assert stream.getvalue().endswith(
        "\r\033[K5,000 employees fetched (1,250/s), 2,000 user stored (500/s), 61s waiting on rate limits"
    )
    progress.finish()
    assert stream.getvalue().endswith("\r\033[K")


def test_a_terminal_line_is_redrawn_at_most_five_times_a_second() -> None:
    stream, clock = Terminal(), Clock()
    progress = Progress(enabled=True, stream=stream, clock=clock)
    for count in range(1, 11):
        clock.now += 0.06
        progress.fetched("employees", count)
    assert stream.getvalue().count("\r\033[K") == 3


def test_elsewhere_progress_is_a_log_line_every_few_seconds(caplog: pytest.LogCaptureFixture) -> None:
    stream, clock, stats = io.StringIO(), Clock(), HttpStats(rate_limit_wait=5.0)
    progress = Progress(enabled=True, stream=stream, http_stats=stats, clock=clock)
    with caplog.at_level(logging.INFO, logger="framework.progress"):
        for _ in range(3):
            clock.now += LOG_INTERVAL / 2
            progress.fetched("employees", 1000)
    assert [r.getMessage() for r in caplog.records] == [
        "progress: 1,000 employees fetched (200/s), 5s waiting on rate limits",
        "progress: 1,000 employees fetched (67/s), 5s waiting on rate limits",
    ]
    assert stream.getvalue() == ""


def test_quiet_progress_writes_nothing(caplog: pytest.LogCaptureFixture) -> None:
    stream = Terminal()
    progress = Progress(enabled=False, stream=stream, http_stats=HttpStats(rate_limit_wait=3.0))
    with caplog.at_level(logging.INFO, logger="framework.progress"):
        progress.fetched("employees", 10)
        progress.finish()
    assert stream.getvalue() == ""
    assert caplog.records == []
