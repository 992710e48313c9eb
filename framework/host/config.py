"""Turning flags and ``BATON_*`` environment variables into a connector's config.

A field ``x-y`` is the flag ``--x-y`` or the variable ``BATON_X_Y``; a flag wins
over the variable, the variable over the field's default. The host's own
options (``--file``, ``--log-level``, the HTTP policy) follow the same rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from framework.host.errors import ConfigError
from framework.host.http import HttpPolicy
from framework.host.models import ConfigField

LOG_LEVELS = ("debug", "info", "warning", "error")

FILE_FIELD = ConfigField("file", "Path of the SQLite sync file.", required=False, default="sync.db")
LOG_LEVEL_FIELD = ConfigField(
    "log-level", f"Log verbosity on stderr: {', '.join(LOG_LEVELS)}.", required=False, default="info"
)
KEEP_FIELD = ConfigField(
    "keep", "Complete syncs kept in the sync file; older ones are pruned.", required=False, default="3"
)
HTTP_FIELDS = (
    ConfigField("http-timeout", "Seconds to wait for an upstream answer.", required=False, default="120"),
    ConfigField("http-max-retries", "Retries of one upstream request.", required=False, default="5"),
    ConfigField("http-max-wait", "Longest single wait before a retry, in seconds.", required=False, default="120"),
    ConfigField("http-retry-budget", "Total seconds a run may wait on retries.", required=False, default="600"),
)


def resolve(fields: Iterable[ConfigField], flags: Mapping[str, str | None], env: Mapping[str, str]) -> dict[str, str]:
    """Every field's value; a missing required field is one error naming flag and variable."""
    values: dict[str, str] = {}
    missing: list[str] = []
    for field in fields:
        value = flags.get(field.name)
        if value is None:
            value = env.get(field.env_var) or field.default
        if value is None or (field.required and not value.strip()):
            if field.required:
                missing.append(f"{field.flag} (or {field.env_var})")
            continue
        values[field.name] = value
    if missing:
        raise ConfigError("missing required setting: " + ", ".join(missing))
    return values


def log_level(value: str) -> str:
    if value.lower() not in LOG_LEVELS:
        raise ConfigError(f"--log-level must be one of {', '.join(LOG_LEVELS)}, not {value!r}")
    return value.upper()


def http_policy(values: Mapping[str, str]) -> HttpPolicy:
    def number(name: str) -> float:
        try:
            parsed = float(values[name])
        except ValueError:
            raise ConfigError(f"--{name} must be a number, not {values[name]!r}") from None
        if parsed < 0:
            raise ConfigError(f"--{name} must not be negative")
        return parsed

    return HttpPolicy(
        connect_timeout=min(10.0, number("http-timeout")),
        read_timeout=number("http-timeout"),
        max_retries=int(number("http-max-retries")),
        max_wait=number("http-max-wait"),
        retry_budget=number("http-retry-budget"),
    )
