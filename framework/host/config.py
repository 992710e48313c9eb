"""Turning flags and ``BATON_*`` environment variables into a connector's config.

A field ``x-y`` is the flag ``--x-y`` or the variable ``BATON_X_Y``; a flag wins
over the variable, the variable over the field's default. The host's own
options (``--file``, ``--log-level``, the HTTP policy) follow the same rule.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from framework.host.errors import ConfigError
from framework.host.http import HttpPolicy
from framework.host.http.body import MIB
from framework.host.models import ConfigField

LOG_LEVELS = ("debug", "info", "warning", "error")
LOG_FORMATS = ("text", "json")
MAX_SECONDS = 7 * 24 * 3600.0
"""Longest time any ``http-*`` setting accepts: a week."""
MAX_KEEP = 100_000
"""Most complete syncs ``--keep`` accepts."""

FILE_FIELD = ConfigField("file", "Path of the SQLite sync file.", required=False, default="sync.db")
LOG_LEVEL_FIELD = ConfigField(
    "log-level", f"Log verbosity on stderr: {', '.join(LOG_LEVELS)}.", required=False, default="info"
)
LOG_FORMAT_FIELD = ConfigField(
    "log-format",
    "Log lines on stderr: text, or json (one object per line, for log shippers).",
    required=False,
    default="text",
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
HOST_FIELDS = (FILE_FIELD, LOG_LEVEL_FIELD, LOG_FORMAT_FIELD, KEEP_FIELD, *HTTP_FIELDS)
"""Every setting of the host itself (not of a plugin)."""


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
        values[field.name] = _typed(field, value)
    if missing:
        raise ConfigError("missing required setting: " + ", ".join(missing))
    return values


def _typed(field: ConfigField, value: str) -> str:
    """``value`` checked against the field's type, surrounding spaces trimmed from numbers.

    Raises :class:`ConfigError` naming the flag; a secret field's value is never echoed.
    """
    if field.value_type == "string":
        return value
    parse = int if field.value_type == "integer" else float
    try:
        parse(value.strip())
    except ValueError:
        shown = "its value" if field.secret else repr(value)
        article = "an" if field.value_type == "integer" else "a"
        expected = f"{article} {field.value_type}"
        raise ConfigError(f"{field.flag} (or {field.env_var}) must be {expected}, not {shown}") from None
    return value.strip()


def log_level(value: str) -> str:
    """The ``logging`` level name (``INFO``) for a ``--log-level`` value; :class:`ConfigError` if unknown."""
    if value.lower() not in LOG_LEVELS:
        raise ConfigError(f"--log-level must be one of {', '.join(LOG_LEVELS)}, not {value!r}")
    return value.upper()


def log_format(value: str) -> str:
    """A ``--log-format`` value, lower-cased: ``text`` or ``json``; :class:`ConfigError` if unknown."""
    if value.lower() not in LOG_FORMATS:
        raise ConfigError(f"--log-format must be one of {', '.join(LOG_FORMATS)}, not {value!r}")
    return value.lower()


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
