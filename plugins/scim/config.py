"""The SCIM connector's settings and the checks on their values.

The checks run before the first request, so a mistyped URL or an empty token
ends in a one-line :class:`~framework.host.errors.ConfigError` naming the flag,
not in a 401 or an HTML page read as JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from framework.host.errors import ConfigError
from framework.host.models import ConfigField
from framework.host.urls import check_base_url

NAME = "scim"
BASE_URL = ConfigField(
    f"{NAME}-base-url",
    "SCIM 2.0 base URL: the path /Users and /Groups hang off, e.g. https://scim.example.com/scim/v2.",
)
BEARER_TOKEN = ConfigField(f"{NAME}-bearer-token", "SCIM bearer token (OAuth 2.0 bearer, RFC 6750).", secret=True)
PAGE_SIZE = ConfigField(
    f"{NAME}-page-size",
    "Resources to ask for per page (the provider may answer fewer, and its ServiceProviderConfig "
    "filter.maxResults caps it).",
    required=False,
    default="100",
    value_type="integer",
)
CONFIG_FIELDS = (BASE_URL, BEARER_TOKEN, PAGE_SIZE)
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True, slots=True)
class ScimConfig:
    """Checked settings; the token stays out of ``repr`` so it never reaches a log."""

    base_url: str
    token: str = field(repr=False)
    page_size: int = 100
    """Resources asked for per page, 1 to :data:`MAX_PAGE_SIZE`."""


def load_config(values: Mapping[str, str]) -> ScimConfig:
    """Check the settings the host resolved (flags, ``BATON_*`` variables, defaults).

    Raises :class:`ConfigError` for a base URL the host's shared rules refuse
    (https except on loopback, no credentials, query or fragment), an empty
    token, or a page size outside 1 to :data:`MAX_PAGE_SIZE`; no value of a
    secret ever appears in the message.
    """
    parts = check_base_url(
        values.get(BASE_URL.name, ""),
        BASE_URL,
        example="https://scim.example.com/scim/v2",
        credentials_hint=f"pass the token as {BEARER_TOKEN.flag} or {BEARER_TOKEN.env_var}",
    )
    token = values.get(BEARER_TOKEN.name, "").strip()
    if not token:
        raise ConfigError(f"{BEARER_TOKEN.name} is empty; set {BEARER_TOKEN.flag} or {BEARER_TOKEN.env_var}")
    return ScimConfig(parts.geturl(), token, _page_size(values.get(PAGE_SIZE.name) or str(PAGE_SIZE.default)))


def _page_size(value: str) -> int:
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_PAGE_SIZE:
        raise ConfigError(f"{PAGE_SIZE.flag} must be a whole number from 1 to {MAX_PAGE_SIZE}, not {text!r}")
    return int(text)
