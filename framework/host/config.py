"""Turning flags and ``BATON_*`` environment variables into a connector's config.

A field ``x-y`` is the flag ``--x-y`` or the variable ``BATON_X_Y``; a flag wins
over the variable, the variable over the field's default. The host's own
options (``--file``, ``--log-level``, the HTTP policy) follow the same rule.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from framework.host.body import MIB
from framework.host.errors import ConfigError
from framework.host.http import HttpPolicy
from framework.host.models import ConfigField

LOG_LEVELS = ("debug", "info", "warning", "error")
MAX_SECONDS = 7 * 24 * 3600.0
"""Longest time any ``http-*`` setting accepts: a week."""
MAX_KEEP = 100_000
"""Most complete syncs ``--keep`` accepts."""
"""Longest time any ``http-*`` setting accepts: a week."""

FILE_FIELD = ConfigField("file", "Path of the SQLite sync file.", required=False, default="sync.db")
LOG_LEVEL_FIELD = ConfigField(
    "log-level", f"Log verbosity on stderr: {', '.join(LOG_LEVELS)}.", required=False, default="info"
)
KEEP_FIELD = ConfigField(
    "keep", "Complete syncs kept in the sync file; older ones are pruned.", required=False, default="3"
)
DEFAULT_KEEP = int(str(KEEP_FIELD.default))


def parse_keep(value: str) -> int:
    """The ``--keep`` value: how many complete syncs of a plugin to keep (at least 1)."""
    return int(number({"keep": value}, "keep", 1, MAX_KEEP, whole=True))


HTTP_FIELDS = (
    ConfigField("http-timeout", "Seconds to wait for an upstream answer.", required=False, default="120"),
    ConfigField("http-max-retries", "Retries of one upstream request.", required=False, default="5"),
    ConfigField("http-max-wait", "Longest single wait before a retry, in seconds.", required=False, default="120"),
    ConfigField("http-retry-budget", "Total seconds a run may wait on retries.", required=False, default="600"),
    ConfigField(
        "http-deadline",
        "Longest one upstream request may take, its whole answer included, in seconds.",
        required=False,
        default="1800",
    ),
    ConfigField(
        "http-max-body-mb",
        "Largest decompressed answer, in MiB, replacing each endpoint's own cap (default: the plugin's caps).",
        required=False,
    ),
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
    """The HTTP policy from the ``http-*`` settings; a ConfigError names the first bad one."""
    timeout = number(values, "http-timeout", 0.001, MAX_SECONDS)
    max_body = values.get("http-max-body-mb") or None
    return HttpPolicy(
        connect_timeout=min(10.0, timeout),
        read_timeout=timeout,
        max_retries=int(number(values, "http-max-retries", 0, 100, whole=True)),
        max_wait=number(values, "http-max-wait", 0, MAX_SECONDS),
        retry_budget=number(values, "http-retry-budget", 0, MAX_SECONDS),
        deadline=number(values, "http-deadline", 0.001, MAX_SECONDS),
        max_body_bytes=None if max_body is None else int(number(values, "http-max-body-mb", 0.001, 1 << 30) * MIB),
    )


def number(values: Mapping[str, str], name: str, low: float, high: float, *, whole: bool = False) -> float:
    """``values[name]`` as a finite number within ``[low, high]`` (an integer when ``whole``),
    or a ConfigError naming the flag and the accepted range."""
    text = values[name].strip()
    kind = "a whole number" if whole else "a number"
    try:
        parsed = int(text) if whole else float(text)
    except ValueError:
        raise ConfigError(f"--{name} must be {kind} from {low:g} to {high:g}, not {text[:40]!r}") from None
    if not math.isfinite(parsed) or not low <= parsed <= high:
        raise ConfigError(f"--{name} must be {kind} from {low:g} to {high:g}, not {text[:40]!r}")
    return parsed
