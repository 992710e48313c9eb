"""Recordings made with the framework's vcr config hold no credentials, and the scan finds them when they do."""

from __future__ import annotations

from pathlib import Path

import requests
import vcr

from framework.authoring.testing import replay_config, secrets_in_flight, vcr_config
from framework.authoring.testing.cassettes import cassette_problems
from framework.host.models import ConfigField
from plugins._template.upstream import SkeletonUpstream

TOKEN = ConfigField("acme-api-token", "token", secret=True)
URL = ConfigField("acme-base-url", "url")


def _get(base_url: str, token: str, path: str) -> requests.Response:
    return requests.get(
        f"{base_url}{path}", params={"key": token}, headers={"Authorization": f"Bearer {token}"}, timeout=5
    )


def test_a_recording_keeps_no_secret_and_replays_with_placeholders(tmp_path: Path) -> None:
    with SkeletonUpstream() as upstream:
        secrets = secrets_in_flight([TOKEN, URL], {TOKEN.name: upstream.token}, env={})
        recorder = vcr.VCR(cassette_library_dir=str(tmp_path), record_mode="once", **vcr_config(secrets))
        with recorder.use_cassette("live.yaml"):
            assert _get(upstream.base_url, upstream.token, "/me").status_code == 200
    text = (tmp_path / "live.yaml").read_text()
    assert upstream.token not in text
    assert "acme-api-token-placeholder" in text
    assert cassette_problems([tmp_path / "live.yaml"], [upstream.token]) == []

    replay = replay_config([TOKEN, URL], {URL.name: "https://nowhere.example/v1"})
    assert replay == {URL.name: "https://nowhere.example/v1", TOKEN.name: "acme-api-token-placeholder"}
    player = vcr.VCR(cassette_library_dir=str(tmp_path), record_mode="none", **vcr_config({}))
    with player.use_cassette("live.yaml"):
        assert _get(replay[URL.name], replay[TOKEN.name], "/me").json()["scopes"] == ["users:read", "teams:read"]


def test_the_scan_reports_credential_headers_and_secret_values(tmp_path: Path) -> None:
    leaky = tmp_path / "leaky.yaml"
    leaky.write_text(
        "interactions:\n- request:\n    headers:\n      Authorization:\n      - Bearer abc\n"
        "    uri: https://x.example/v1/me?key=s3cr3t-value\n  response:\n    headers: {}\n"
    )
    problems = cassette_problems([leaky], ["s3cr3t-value"])
    assert problems == [
        "leaky.yaml records the credential headers Authorization",
        "leaky.yaml contains a secret config value",
    ]


def test_short_or_placeholder_values_are_not_treated_as_secrets() -> None:
    found = secrets_in_flight(
        [TOKEN, URL],
        {TOKEN.name: "abc"},
        {TOKEN.name: "acme-api-token-placeholder"},
        env={"BATON_ACME_API_TOKEN": "real-token"},
    )
    assert found == {"real-token": "acme-api-token-placeholder"}
