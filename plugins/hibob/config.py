"""The connector's settings and the checks on their values.

The checks run before the first request, so a mistyped base URL or an empty
token ends in a one-line :class:`~framework.host.errors.ConfigError` instead of an HTML
page read as JSON, or a 401 that counts towards HiBob's firewall block (about 50
failed authentications in ten seconds lock the caller out for five minutes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from framework.host import urls
from framework.host.errors import ConfigError
from framework.host.models import ConfigField

BASE_URL = ConfigField(
    "hibob-base-url",
    "HiBob API base URL including the /v1 segment, e.g. https://api.hibob.com/v1 "
    "(sandbox: https://api.sandbox.hibob.com/v1).",
)
SERVICE_USER_ID = ConfigField(
    "hibob-service-user-id",
    "ID of the HiBob service user (the HTTP Basic user name).",
    secret=True,
)
SERVICE_USER_TOKEN = ConfigField(
    "hibob-service-user-token",
    "Token of the HiBob service user (the HTTP Basic password).",
    secret=True,
)
BATCH_SIZE = ConfigField(
    "hibob-batch-size",
    "Employees per people search. 0 (the default) fetches everyone in one search; N > 0 first lists "
    "everyone's root.id, then fetches N employees per search, paced under HiBob's 50 searches a minute "
    "(HiBob's advice for very large companies).",
    required=False,
    default="0",
    value_type="integer",
)
CONFIG_FIELDS = (BASE_URL, SERVICE_USER_ID, SERVICE_USER_TOKEN, BATCH_SIZE)


@dataclass(frozen=True, slots=True)
class HibobConfig:
    """Checked settings; the credentials are kept out of ``repr`` so they never reach a log."""

    base_url: str
    service_user_id: str = field(repr=False)
    token: str = field(repr=False)
    batch_size: int = 0
    """Employees per people search; 0 means one search for everyone."""

    @property
    def auth(self) -> tuple[str, str]:
        return (self.service_user_id, self.token)


def load_config(config: Mapping[str, str]) -> HibobConfig:
    """Check the raw values the host read from flags or ``BATON_*`` variables."""
    base_url = check_base_url(config.get(BASE_URL.name, ""))
    service_user_id = _credential(config, SERVICE_USER_ID)
    if ":" in service_user_id:
        # HTTP Basic joins user and password with a colon: answer here, not with a 401.
        raise ConfigError(f"{SERVICE_USER_ID.name} must not contain ':' (it is the HTTP Basic user name)")
    return HibobConfig(
        base_url,
        service_user_id,
        _credential(config, SERVICE_USER_TOKEN),
        _batch_size(config.get(BATCH_SIZE.name, "")),
    )


def check_base_url(value: str) -> str:
    """The base URL without its trailing slash, or a ConfigError saying what is wrong.

    The host's shared rules (https except on loopback, no credentials or query,
    never echoed) plus HiBob's: the path must end in the API version, ``/v1``.
    """
    example = "https://api.hibob.com/v1"
    parts = urls.check_base_url(
        value,
        BASE_URL,
        example=example,
        credentials_hint=f"pass them as {SERVICE_USER_ID.name} and {SERVICE_USER_TOKEN.name}",
    )
    if not parts.path.endswith("/v1"):
        raise ConfigError(
            f"{BASE_URL.flag} ({BASE_URL.env_var}) must include the API version segment /v1, "
            f"e.g. {example} (got {value.strip()!r})"
        )
    return parts.geturl()


def _credential(config: Mapping[str, str], setting: ConfigField) -> str:
    """The stripped value (a trailing newline from a secrets file is a common accident);
    the value itself never appears in the error."""
    value = config.get(setting.name, "").strip()
    if not value:
        raise ConfigError(f"{setting.name} is empty; set {setting.flag} or {setting.env_var}")
    return value


def _batch_size(value: str) -> int:
    """A whole number of employees, 0 (or unset) for no batching."""
    text = value.strip() or "0"
    if not (text.isascii() and text.isdigit()):
        raise ConfigError(f"{BATCH_SIZE.name} must be a whole number of employees (0 for no batching), not {text!r}")
    return int(text)
