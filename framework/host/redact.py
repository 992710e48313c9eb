"""Keeping secret config values out of every log line and error message.

Plugins mark fields ``secret``; the host registers their values here before
any hook runs, so even a plugin that logs a URL or an exception carrying a
credential cannot leak it.
"""

from __future__ import annotations

import logging

MASK = "********"


class Redactor(logging.Filter):
    """Replaces every registered secret with a mask; also a logging filter."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()

    def add(self, value: str) -> None:
        if value:
            self._secrets.add(value)

    def scrub(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if self._secrets:
            record.msg = self.scrub(record.getMessage())
            record.args = None
            if record.exc_info and record.exc_info[1] is not None:
                record.exc_text = self.scrub(logging.Formatter().formatException(record.exc_info))
                record.exc_info = None
        return True


redactor = Redactor()
