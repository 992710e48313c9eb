"""Log lines on stderr: text for people, or one JSON object per line for log shippers.

Every record passes the secret :data:`~framework.host.redact.redactor` first,
and is written above the live progress line (:class:`~framework.cli.progress.StatusLine`)
rather than onto it. A JSON line is ``{"time": ISO 8601 UTC with milliseconds,
"level": "info", "logger": "framework.http", "message": "..."}`` plus
``"exception"`` (the formatted traceback) when one was logged.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from framework.cli.progress import StatusLine
from framework.host.redact import redactor
from framework.host.terminal import PrintableFormatter

TEXT_FORMAT = "%(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line (newlines inside the message are escaped)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


class StatusAwareHandler(logging.Handler):
    """Writes each formatted record, and a newline, above the live status line."""

    def __init__(self, status: StatusLine) -> None:
        super().__init__()
        self.status = status

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.status.write_above(self.format(record) + "\n")
        except Exception:
            self.handleError(record)


def setup_logging(level: str, log_format: str, status: StatusLine) -> None:
    """Route every log record to ``status``'s stream at ``level`` (``INFO``) in ``log_format`` (``text``|``json``).

    urllib3's own lines are kept out below debug level: the host's HTTP layer
    logs what matters (retries, waits) itself.
    """
    handler = StatusAwareHandler(status)
    handler.setFormatter(JsonFormatter() if log_format == "json" else PrintableFormatter(TEXT_FORMAT))
    handler.addFilter(redactor)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("urllib3").setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
