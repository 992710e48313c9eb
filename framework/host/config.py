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
LOG_FORMATS = ("text", "json")

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
    "keep",
    "Complete syncs kept in the sync file; older ones are pruned.",
    required=False,
    default="3",
    value_type="integer",
)
DEFAULT_KEEP = int(str(KEEP_FIELD.default))


def parse_keep(value: str) -> int:
    """The ``--keep`` value: how many complete syncs of a plugin to keep (at least 1)."""
    try:
        keep = int(value)
    except ValueError:
        keep = 0
    if keep < 1:
        raise ConfigError(f"--keep must be a whole number of at least 1, not {value!r}")
    return keep


HTTP_FIELDS = (
    ConfigField(
        "http-timeout", "Seconds to wait for an upstream answer.", required=False, default="120", value_type="number"
    ),
    ConfigField(
        "http-max-retries", "Retries of one upstream request.", required=False, default="5", value_type="integer"
    ),
    ConfigField(
        "http-max-wait",
        "Longest single wait before a retry, in seconds.",
        required=False,
        default="120",
        value_type="number",
    ),
    ConfigField(
        "http-retry-budget",
        "Total seconds a run may wait on retries.",
        required=False,
        default="600",
        value_type="number",
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
