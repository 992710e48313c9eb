from __future__ import annotations

import pytest

from framework.host.config import HTTP_FIELDS, http_policy, log_level, resolve
from framework.host.errors import ConfigError
from framework.host.models import ConfigField

FIELDS = (
    ConfigField("acme-base-url", "url"),
    ConfigField("acme-token", "token", secret=True),
    ConfigField("acme-page-size", "page size", required=False, default="100"),
)


def test_flag_beats_environment_beats_default() -> None:
    env = {"BATON_ACME_BASE_URL": "https://env", "BATON_ACME_TOKEN": "t", "BATON_ACME_PAGE_SIZE": "5"}
    values = resolve(FIELDS, {"acme-base-url": "https://flag"}, env)
    assert values == {"acme-base-url": "https://flag", "acme-token": "t", "acme-page-size": "5"}
    assert resolve(FIELDS, {}, {"BATON_ACME_BASE_URL": "u", "BATON_ACME_TOKEN": "t"})["acme-page-size"] == "100"


def test_missing_required_fields_name_flag_and_variable_in_one_line() -> None:
    with pytest.raises(ConfigError) as error:
        resolve(FIELDS, {}, {"BATON_ACME_TOKEN": ""})
    message = str(error.value)
    assert "\n" not in message
    assert "--acme-base-url (or BATON_ACME_BASE_URL)" in message
    assert "--acme-token (or BATON_ACME_TOKEN)" in message


def test_field_names_map_to_flag_and_variable() -> None:
    field = ConfigField("hibob-service-user-token", "t")
    assert (field.flag, field.env_var) == ("--hibob-service-user-token", "BATON_HIBOB_SERVICE_USER_TOKEN")


def test_log_level_and_http_numbers_are_checked() -> None:
    assert log_level("DEBUG") == "DEBUG"
    with pytest.raises(ConfigError, match="--log-level must be one of"):
        log_level("loud")
    defaults = {f.name: f.default or "" for f in HTTP_FIELDS}
    assert http_policy({**defaults, "http-timeout": "3"}).read_timeout == 3.0
    with pytest.raises(ConfigError, match="--http-max-retries must be a whole number"):
        http_policy({**defaults, "http-max-retries": "many"})
    for bad in ("0", "nan", "inf", "-1", "1e400"):
        with pytest.raises(ConfigError, match="--http-timeout must be a number from"):
            http_policy({**defaults, "http-timeout": bad})
    assert http_policy({**defaults, "http-max-body-mb": "2"}).max_body_bytes == 2 * 1024 * 1024
