"""Sync progress on stderr: one live line on a terminal with log lines above it, throttled log lines otherwise."""

from __future__ import annotations

import io
import logging

import pytest

from framework.cli.logs import setup_logging
from framework.cli.progress import CLEAR, LOG_INTERVAL, Progress, StatusLine
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
    progress = Progress(enabled=True, status=StatusLine(stream), http_stats=stats, clock=clock)
    clock.now += 2.0
    progress.fetched("employees", 5000)
    assert stream.getvalue() == f"{CLEAR}5,000 employees fetched (2,500/s)"
    stats.rate_limit_wait = 61.4
    clock.now += 2.0
    progress.stored("user", 2000)
    assert stream.getvalue().endswith(
        f"{CLEAR}5,000 employees fetched (2,500/s), 2,000 user stored (1,000/s), 61s waiting on rate limits"
    )
    progress.finish()
    assert stream.getvalue().endswith(CLEAR)


def test_a_finished_stage_keeps_its_rate_while_the_next_one_runs() -> None:
    stream, clock = Terminal(), Clock()
    progress = Progress(enabled=True, status=StatusLine(stream), clock=clock)
    clock.now += 10.0
    progress.fetched("employees", 10_000)
    for stored in (4_000, 8_000):
        clock.now += 4.0
        progress.stored("user", stored)
    assert progress.text() == "10,000 employees fetched (1,000/s), 8,000 user stored (1,000/s)"


def test_a_total_the_plugin_knows_is_shown_beside_the_count() -> None:
    stream, clock = Terminal(), Clock()
    progress = Progress(enabled=True, status=StatusLine(stream), clock=clock)
    clock.now += 1.0
    progress.fetched("employees", 250, total=1000)
    clock.now += 1.0
    progress.fetched("employees", 500)
    assert progress.text() == "500/1,000 employees fetched (250/s)"


def test_a_terminal_line_is_redrawn_at_most_five_times_a_second() -> None:
    stream, clock = Terminal(), Clock()
    progress = Progress(enabled=True, status=StatusLine(stream), clock=clock)
    for count in range(1, 11):
        clock.now += 0.06
        progress.fetched("employees", count)
    assert stream.getvalue().count(CLEAR) == 3


def test_log_lines_are_written_above_the_live_line_not_onto_it() -> None:
    stream, clock = Terminal(), Clock()
    status = StatusLine(stream)
    setup_logging("INFO", "text", status)
    try:
        progress = Progress(enabled=True, status=status, clock=clock)
        clock.now += 1.0
        progress.fetched("employees", 100)
        logging.getLogger("framework.http").info("waiting 2s: rate limited")
        progress.finish()
    finally:
        logging.getLogger().handlers.clear()
    screen = stream.getvalue()
    assert screen == (
        f"{CLEAR}100 employees fetched (100/s)"
        f"{CLEAR}INFO framework.http: waiting 2s: rate limited\n100 employees fetched (100/s)"
        f"{CLEAR}"
    )


def test_elsewhere_progress_is_a_log_line_every_few_seconds(caplog: pytest.LogCaptureFixture) -> None:
    stream, clock, stats = io.StringIO(), Clock(), HttpStats(rate_limit_wait=5.0)
    progress = Progress(enabled=True, status=StatusLine(stream), http_stats=stats, clock=clock)
    with caplog.at_level(logging.INFO, logger="framework.progress"):
        for count in (1000, 2000, 3000):
            clock.now += LOG_INTERVAL / 2
            progress.fetched("employees", count)
    assert [r.getMessage() for r in caplog.records] == [
        "progress: 1,000 employees fetched (200/s), 5s waiting on rate limits",
        "progress: 3,000 employees fetched (200/s), 5s waiting on rate limits",
    ]
    assert stream.getvalue() == ""


def test_quiet_progress_writes_nothing(caplog: pytest.LogCaptureFixture) -> None:
    stream = Terminal()
    progress = Progress(enabled=False, status=StatusLine(stream), http_stats=HttpStats(rate_limit_wait=3.0))
    with caplog.at_level(logging.INFO, logger="framework.progress"):
        progress.fetched("employees", 10)
        progress.finish()
    assert stream.getvalue() == ""
    assert caplog.records == []
