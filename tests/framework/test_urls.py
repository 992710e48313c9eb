from __future__ import annotations

import pytest

from framework.host.errors import ConfigError
from framework.host.models import ConfigField
from framework.host.urls import check_base_url

FIELD = ConfigField("acme-base-url", "url")


def _check(url: str) -> str:
    return check_base_url(
        url, FIELD, example="https://api.acme.example/v2", credentials_hint="use --acme-token"
    ).geturl()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://api.acme.example/v2/", "https://api.acme.example/v2"),
        ("  https://api.acme.example  ", "https://api.acme.example"),
        ("http://127.0.0.1:8080/v2", "http://127.0.0.1:8080/v2"),
        ("http://localhost/v2", "http://localhost/v2"),
        ("http://[::1]:9/v2", "http://[::1]:9/v2"),
    ],
)
def test_https_and_loopback_http_are_accepted_without_trailing_slash(url: str, expected: str) -> None:
    assert _check(url) == expected


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("http://api.acme.example/v2", "must use https"),
        ("http://192.168.1.10/v2", "must use https"),
        ("ftp://api.acme.example/v2", "https URL with a host"),
        ("api.acme.example/v2", "https URL with a host"),
        ("https://api.acme.example/v2?key=1", "query"),
        ("https://api.acme.example:123456/v2", "not a valid URL"),
    ],
)
def test_other_urls_are_refused_with_the_reason_and_the_field(url: str, complaint: str) -> None:
    with pytest.raises(ConfigError, match=complaint) as error:
        _check(url)
    assert str(error.value).startswith("--acme-base-url (BATON_ACME_BASE_URL) ")


def test_credentials_in_the_url_are_refused_without_echoing_them() -> None:
    with pytest.raises(ConfigError) as error:
        _check("https://me:s3cr3t-value@api.acme.example/v2")
    assert "s3cr3t-value" not in str(error.value) and "me@" not in str(error.value)
    assert str(error.value) == "--acme-base-url (BATON_ACME_BASE_URL) must not contain credentials; use --acme-token"
