"""Typed errors, each carrying the CLI exit code it ends in.

Every failure a user can cause or meet (bad config, a refused credential, an
upstream outage, a malformed payload) is one of these, so the CLI can print one
line and exit with a documented code instead of a traceback.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    INTERNAL = 1
    USAGE = 2
    AUTH = 3
    UPSTREAM = 4
    PAYLOAD = 5
    VALIDATION = 6
    STORE = 7
    INTEGRITY = 8
    REFUSED = 9


class ConnectorError(Exception):
    """Base of every expected failure; ``str()`` is the one line shown to users."""

    exit_code = ExitCode.INTERNAL


class ConfigError(ConnectorError):
    """Missing or malformed configuration or command-line input."""

    exit_code = ExitCode.USAGE


class PluginError(ConnectorError):
    """A plugin is unknown, failed to load, or broke its hook contract."""

    exit_code = ExitCode.USAGE


class UpstreamError(ConnectorError):
    """The upstream API failed: unreachable, 5xx after retries, 4xx, rate limited."""

    exit_code = ExitCode.UPSTREAM

    def __init__(self, message: str, *, endpoint: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.endpoint = endpoint
        self.status = status


class AuthError(UpstreamError):
    """401 or 403: the credential is wrong or lacks permission. Never retried."""

    exit_code = ExitCode.AUTH


class PayloadError(ConnectorError):
    """The upstream answered, but not with what the API contract promises."""

    exit_code = ExitCode.PAYLOAD


class ValidationFailed(ConnectorError):
    """``validate`` reported an error-severity finding."""

    exit_code = ExitCode.VALIDATION


class StoreError(ConnectorError):
    """The sync file cannot be opened, read or written."""

    exit_code = ExitCode.STORE


class IntegrityError(ConnectorError):
    """A plugin returned data that contradicts itself (e.g. a grant to nobody)."""

    exit_code = ExitCode.INTEGRITY


class RemovalsRefused(ConnectorError):
    """A sync would remove more users than ``--max-removals`` allows (see :mod:`framework.host.guard`)."""

    exit_code = ExitCode.REFUSED


class ConflictingData(IntegrityError):
    """The sync file refused a row that contradicts one already written (two resources with one id)."""
