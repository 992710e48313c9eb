"""Recording and replaying HiBob answers.

Replay (the default, record mode ``none``) points the connector at the
canonical production URL with placeholder credentials and blocks the network:
every answer comes from ``cassettes/hibob/``. Recording (``--record-mode
rewrite``) talks to a real HiBob tenant when the ``BATON_HIBOB_*`` variables are
set, and to the bundled simulator otherwise; request URLs are rewritten to the
canonical base URL and every credential is scrubbed before anything is written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from plugins.hibob.simulator import DEMO_SERVICE_USER_ID, DEMO_TOKEN, Simulator, demo_company

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes" / "hibob"
CANONICAL_BASE_URL = "https://api.hibob.com/v1"
PLACEHOLDER_ID = "SERVICE-USER-ID"
PLACEHOLDER_TOKEN = "SERVICE-USER-TOKEN"
REPLAY_CONFIG = {
    "hibob-base-url": CANONICAL_BASE_URL,
    "hibob-service-user-id": PLACEHOLDER_ID,
    "hibob-service-user-token": PLACEHOLDER_TOKEN,
}
ENV_FIELDS = {
    "hibob-base-url": "BATON_HIBOB_BASE_URL",
    "hibob-service-user-id": "BATON_HIBOB_SERVICE_USER_ID",
    "hibob-service-user-token": "BATON_HIBOB_SERVICE_USER_TOKEN",
}
_BASE = re.compile(r"^https?://[^/]+(?:/[^?]*?)?/v1(?=/)")


def live_secrets() -> dict[str, str]:
    """Every credential that may be in flight while recording, and its placeholder."""
    secrets = {DEMO_SERVICE_USER_ID: PLACEHOLDER_ID, DEMO_TOKEN: PLACEHOLDER_TOKEN}
    for name, placeholder in (
        ("hibob-service-user-id", PLACEHOLDER_ID),
        ("hibob-service-user-token", PLACEHOLDER_TOKEN),
    ):
        value = os.environ.get(ENV_FIELDS[name])
        if value:
            secrets[value] = placeholder
    return secrets


def _scrub(text: str) -> str:
    for secret, placeholder in live_secrets().items():
        text = text.replace(secret, placeholder)
    return text


def _scrub_request(request: Any) -> Any:
    request.uri = _scrub(_BASE.sub(CANONICAL_BASE_URL, request.uri))
    if isinstance(request.body, bytes):
        request.body = _scrub(request.body.decode("utf-8")).encode("utf-8")
    return request


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response["headers"]
    for name in [h for h in headers if h.lower() in {"set-cookie", "authorization", "www-authenticate"}]:
        del headers[name]
    body = response["body"].get("string")
    if isinstance(body, bytes):
        response["body"]["string"] = _scrub(body.decode("utf-8", errors="replace")).encode("utf-8")
    return response


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTES)


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": ["authorization", "cookie"],
        "before_record_request": _scrub_request,
        "before_record_response": _scrub_response,
        "decode_compressed_response": True,
        "match_on": ["method", "scheme", "host", "port", "path", "query", "body"],
    }


@pytest.fixture
def hibob_config(record_mode: str) -> Iterator[dict[str, str]]:
    """Config for the connector: placeholders on replay, a live upstream when recording."""
    if record_mode == "none":
        yield dict(REPLAY_CONFIG)
        return
    from_env = {name: os.environ.get(var, "") for name, var in ENV_FIELDS.items()}
    if all(from_env.values()):
        yield from_env
        return
    with Simulator(demo_company()) as sim:
        yield {
            "hibob-base-url": sim.base_url,
            "hibob-service-user-id": sim.service_user_id,
            "hibob-service-user-token": sim.token,
        }
