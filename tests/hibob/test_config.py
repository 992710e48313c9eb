from __future__ import annotations

import pytest

from framework.host.errors import ConfigError
from plugins.hibob.config import CONFIG_FIELDS, check_base_url, load_config

GOOD = {
    "hibob-base-url": "https://api.hibob.com/v1",
    "hibob-service-user-id": "SERVICE-123",
    "hibob-service-user-token": "tok3n",
}


def test_fields_are_the_documented_flags_and_environment_variables() -> None:
    by_name = {f.name: f for f in CONFIG_FIELDS}
    assert set(by_name) == {*GOOD, "hibob-batch-size"}
    assert by_name["hibob-base-url"].env_var == "BATON_HIBOB_BASE_URL"
    assert all(by_name[name].required for name in GOOD)
    assert by_name["hibob-batch-size"].env_var == "BATON_HIBOB_BATCH_SIZE"
    assert (by_name["hibob-batch-size"].required, by_name["hibob-batch-size"].default) == (False, "0")
    assert not by_name["hibob-base-url"].secret
    assert by_name["hibob-service-user-id"].secret
    assert by_name["hibob-service-user-token"].secret


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://api.hibob.com/v1", "https://api.hibob.com/v1"),
        ("https://api.hibob.com/v1/", "https://api.hibob.com/v1"),
        ("  https://api.sandbox.hibob.com/v1  ", "https://api.sandbox.hibob.com/v1"),
        ("http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1"),
        ("http://localhost:9/v1/", "http://localhost:9/v1"),
        ("http://[::1]:8080/v1", "http://[::1]:8080/v1"),
        ("https://proxy.example.com/hibob/v1", "https://proxy.example.com/hibob/v1"),
    ],
)
def test_accepted_base_urls_lose_their_trailing_slash(url: str, expected: str) -> None:
    assert check_base_url(url) == expected


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("https://api.hibob.com", "/v1"),
        ("https://api.hibob.com/", "/v1"),
        ("https://api.hibob.com/v2", "/v1"),
        ("https://api.hibob.com/v1/people", "/v1"),
        ("http://api.hibob.com/v1", "https"),
        ("http://10.0.0.5/v1", "https"),
        ("ftp://api.hibob.com/v1", "https"),
        ("api.hibob.com/v1", "https"),
        ("", "https"),
        ("https://api.hibob.com/v1?x=1", "query"),
        ("https://api.hibob.com/v1#top", "query"),
        ("https://api.hibob.com:99999/v1", "not a valid URL"),
    ],
)
def test_rejected_base_urls_say_why(url: str, complaint: str) -> None:
    with pytest.raises(ConfigError, match=complaint):
        check_base_url(url)


@pytest.mark.parametrize("url", ["https://svc:hunter2@api.hibob.com/v1", "https://svc@api.hibob.com/v1"])
def test_credentials_in_the_url_are_refused_without_echoing_them(url: str) -> None:
    with pytest.raises(ConfigError, match="credentials") as caught:
        check_base_url(url)
    assert "hunter2" not in str(caught.value)
    assert "svc@" not in str(caught.value)


def test_a_good_config_loads_and_keeps_secrets_out_of_repr() -> None:
    config = load_config(GOOD)
    assert config.base_url == "https://api.hibob.com/v1"
    assert config.batch_size == 0
    assert config.auth == ("SERVICE-123", "tok3n")
    assert "tok3n" not in repr(config)
    assert "SERVICE-123" not in repr(config)


@pytest.mark.parametrize("field", ["hibob-service-user-token", "hibob-service-user-id"])
@pytest.mark.parametrize("value", ["", "   ", "\n"])
def test_empty_credentials_are_a_config_error(field: str, value: str) -> None:
    with pytest.raises(ConfigError, match=field):
        load_config({**GOOD, field: value})


def test_credentials_are_stripped_of_stray_whitespace() -> None:
    config = load_config({**GOOD, "hibob-service-user-token": "tok3n\n"})
    assert config.token == "tok3n"


def test_a_colon_in_the_service_user_id_is_refused() -> None:
    with pytest.raises(ConfigError, match="':'"):
        load_config({**GOOD, "hibob-service-user-id": "a:b"})


@pytest.mark.parametrize(("value", "expected"), [("", 0), ("0", 0), (" 500 ", 500), ("1", 1)])
def test_the_batch_size_is_a_whole_number_zero_meaning_off(value: str, expected: int) -> None:
    assert load_config({**GOOD, "hibob-batch-size": value}).batch_size == expected


@pytest.mark.parametrize("value", ["-5", "1.5", "lots", "1e3"])
def test_a_bad_batch_size_is_a_config_error(value: str) -> None:
    with pytest.raises(ConfigError, match="hibob-batch-size"):
        load_config({**GOOD, "hibob-batch-size": value})
