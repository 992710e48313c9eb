"""Checking an upstream API base URL the same way in every plugin.

A credential travels in every request's headers, so a base URL must be https,
except on loopback where a local stand-in runs and nothing crosses a network.
A URL carrying credentials or a query is refused without being echoed: it may
hold a secret, and errors are printed.
"""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit

from framework.host.errors import ConfigError
from framework.host.models import ConfigField

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def check_base_url(value: str, field: ConfigField, *, example: str, credentials_hint: str) -> SplitResult:
    """The URL's parts, its path without a trailing slash, or a one-line ConfigError.

    ``example`` is shown in errors (e.g. ``https://api.example.com/v1``);
    ``credentials_hint`` says where credentials belong instead of the URL.
    Plugins add their own path rules (an API version segment) on the result.
    """
    url = value.strip()
    name = f"{field.flag} ({field.env_var})"
    try:
        parts = urlsplit(url)
        host = parts.hostname
        _ = parts.port  # urlsplit only checks the port when asked
    except ValueError as exc:
        raise ConfigError(f"{name} is not a valid URL ({exc}); e.g. {example}") from None
    if parts.username is not None or parts.password is not None:
        raise ConfigError(f"{name} must not contain credentials; {credentials_hint}")
    if parts.query or parts.fragment:
        raise ConfigError(f"{name} must not contain a query or fragment; e.g. {example}")
    if parts.scheme not in ("https", "http") or not host:
        raise ConfigError(f"{name} must be an https URL with a host, e.g. {example} (got {url!r})")
    if parts.scheme == "http" and host not in LOOPBACK_HOSTS:
        raise ConfigError(
            f"{name} must use https (plain http is allowed only for 127.0.0.1, localhost and ::1) (got {url!r})"
        )
    return parts._replace(path=parts.path.rstrip("/"))
