"""The Skeleton connector's settings and the checks on their values.

The checks run before the first request, so a mistyped URL or page size ends
in a one-line :class:`~framework.host.errors.ConfigError` naming the flag, not in a
confusing answer from the upstream. Field names start with the plugin name, so
their flags and ``BATON_*`` variables never clash with another plugin's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from framework.host.errors import ConfigError
from framework.host.models import ConfigField
from framework.host.urls import check_base_url

NAME = "skeleton"
BASE_URL = ConfigField(f"{NAME}-base-url", "Skeleton API base URL, e.g. https://api.skeleton.example/v1.")
API_TOKEN = ConfigField(f"{NAME}-api-token", "Skeleton API token, sent as a bearer token.", secret=True)
PAGE_SIZE = ConfigField(
    f"{NAME}-page-size",
    "Items to ask for per page (the upstream may answer fewer).",
    required=False,
    default="100",
    value_type="integer",
)
CONFIG_FIELDS = (BASE_URL, API_TOKEN, PAGE_SIZE)
MAX_PAGE_SIZE = 500


@dataclass(frozen=True, slots=True)
class SkeletonConfig:
    """Checked settings; the token stays out of ``repr`` so it never reaches a log."""

    base_url: str
    token: str = field(repr=False)
    page_size: int = 100


def load_config(values: Mapping[str, str]) -> SkeletonConfig:
    """Check the settings the host resolved (flags, ``BATON_*`` variables, defaults)."""
    # https only (http on loopback), no credentials or query in the URL: the host's shared rules.
    base_url = check_base_url(
        values[BASE_URL.name],
        BASE_URL,
        example="https://api.skeleton.example/v1",
        credentials_hint=f"pass the token as {API_TOKEN.flag} or {API_TOKEN.env_var}",
    ).geturl()
    token = values[API_TOKEN.name].strip()
    if not token:
        raise ConfigError(f"{API_TOKEN.flag} is empty")
    raw_size = values.get(PAGE_SIZE.name) or str(PAGE_SIZE.default)
    if not raw_size.isdigit() or not 1 <= int(raw_size) <= MAX_PAGE_SIZE:
        raise ConfigError(f"{PAGE_SIZE.flag} must be a whole number from 1 to {MAX_PAGE_SIZE}, not {raw_size!r}")
    return SkeletonConfig(base_url, token, int(raw_size))
