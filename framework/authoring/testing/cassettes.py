"""Recording an upstream safely, and proving that recordings hold no credentials.

Every secret config field gets a placeholder (``<field name>-placeholder``).
While recording, each secret value in flight is replaced by its placeholder in
URLs, bodies and headers, and credential headers are dropped, before vcrpy
writes anything. Replays run with the placeholders as config, so a request that
carried a secret still matches its recording. Nothing here imports pytest.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

from framework.host.models import ConfigField

CREDENTIAL_HEADERS = ("authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key")
CASSETTE_SUFFIXES = (".yaml", ".yml", ".json")
MIN_SECRET_LENGTH = 4
"""Shorter values (a test's ``"t"``) would match everywhere and prove nothing."""


def placeholder(config_field: ConfigField) -> str:
    """URL-safe, so a secret sent in a query string still matches after scrubbing."""
    return f"{config_field.name}-placeholder"


def replay_config(fields: Iterable[ConfigField], values: Mapping[str, str]) -> dict[str, str]:
    """``values`` with every secret field set to its placeholder: the config to replay cassettes with."""
    return {**values, **{f.name: placeholder(f) for f in fields if f.secret}}


def secrets_in_flight(
    fields: Iterable[ConfigField], *configs: Mapping[str, str], env: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Every secret value that may be sent while recording, mapped to its placeholder.

    The values come from the given configs and from the fields' ``BATON_*``
    variables, where a developer keeps the credentials of a real tenant.
    """
    env = os.environ if env is None else env
    found: dict[str, str] = {}
    for config_field in fields:
        if not config_field.secret:
            continue
        values = [config.get(config_field.name, "") for config in configs] + [env.get(config_field.env_var, "")]
        for value in values:
            if len(value) >= MIN_SECRET_LENGTH and value != placeholder(config_field):
                found[value] = placeholder(config_field)
    return found


class Scrubber:
    """vcrpy's ``before_record_*`` callbacks: secrets become placeholders, credential headers go."""

    def __init__(self, secrets: Mapping[str, str]) -> None:
        # Longest first, so a secret that contains another is replaced whole.
        self._secrets = sorted(secrets.items(), key=lambda item: len(item[0]), reverse=True)

    def text(self, text: str) -> str:
        for secret, replacement in self._secrets:
            text = text.replace(secret, replacement)
        return text

    def _body(self, body: Any) -> Any:
        if isinstance(body, bytes):
            return self.text(body.decode("utf-8", errors="surrogateescape")).encode("utf-8", errors="surrogateescape")
        return self.text(body) if isinstance(body, str) else body

    def request(self, request: Any) -> Any:
        request.uri = self.text(request.uri)
        request.body = self._body(request.body)
        for name in list(request.headers):
            if name.lower() in CREDENTIAL_HEADERS:
                del request.headers[name]
            else:
                request.headers[name] = self.text(str(request.headers[name]))
        return request

    def response(self, response: dict[str, Any]) -> dict[str, Any]:
        headers = response.get("headers", {})
        for name in list(headers):
            if name.lower() in CREDENTIAL_HEADERS:
                del headers[name]
            else:
                headers[name] = [self.text(str(value)) for value in headers[name]]
        body = response.get("body", {})
        if "string" in body:
            body["string"] = self._body(body["string"])
        return response


def vcr_config(secrets: Mapping[str, str]) -> dict[str, Any]:
    """Keyword arguments for ``vcr.VCR`` / pytest-recording's ``vcr_config`` fixture.

    Requests match on method, path, query and body, not on scheme, host or port:
    a recording made against a local stand-in on a random port, or against a
    real tenant, replays whatever base URL the test configures.
    """
    scrubber = Scrubber(secrets)
    return {
        "filter_headers": list(CREDENTIAL_HEADERS),
        "before_record_request": scrubber.request,
        "before_record_response": scrubber.response,
        "decode_compressed_response": True,
        "match_on": ["method", "path", "query", "body"],
    }


def cassette_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file() and p.suffix in CASSETTE_SUFFIXES)


def _strings(node: Any) -> Iterable[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)
    elif isinstance(node, bytes):
        yield node.decode("utf-8", errors="replace")
    elif node is not None:
        yield str(node)


def _header_names(cassette: Any) -> Iterable[str]:
    interactions = cassette.get("interactions", []) if isinstance(cassette, dict) else []
    for interaction in interactions:
        for side in ("request", "response"):
            headers = (interaction.get(side) or {}).get("headers") or {}
            yield from (str(name) for name in headers)


def cassette_problems(paths: Iterable[Path], secrets: Iterable[str]) -> list[str]:
    """Recordings with a credential header, or with a secret value in any form vcrpy stores it.

    Secrets are looked for in the raw file and in every string of the parsed
    cassette, where ``!!binary`` bodies are decoded.
    """
    needles = [s for s in secrets if len(s) >= MIN_SECRET_LENGTH]
    problems = []
    for path in paths:
        raw = path.read_text(encoding="utf-8", errors="replace")
        try:
            cassette = yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            problems.append(f"{path.name}: not a readable cassette ({exc})")
            continue
        credential_headers = sorted({h for h in _header_names(cassette) if h.lower() in CREDENTIAL_HEADERS})
        if credential_headers:
            problems.append(f"{path.name} records the credential headers {', '.join(credential_headers)}")
        texts = [raw, *_strings(cassette)]
        if any(needle in text for needle in needles for text in texts):
            problems.append(f"{path.name} contains a secret config value")
    return problems
