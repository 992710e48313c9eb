"""Reading upstream answers and describing upstream failures, fit to show or store.

Every text here may reach stderr and the sync file: it names hosts and origins, never
credentials, paths or queries, and an upstream's own words are masked, flattened and
shortened first (:func:`upstream_text`).
"""

from __future__ import annotations

import socket
from typing import Any
from urllib.parse import urlsplit

import requests

from framework.host.errors import ConfigError, PayloadError, UpstreamError
from framework.host.http.body import parse_json
from framework.host.redact import redactor
from framework.host.terminal import one_line

ERROR_TEXT_CHARS = 200
"""Longest upstream error message shown or stored."""


def check_credentials(auth: tuple[str, str]) -> None:
    """Refuse, without echoing it, a credential HTTP Basic authentication cannot carry:
    requests encodes it as Latin-1 into a header, where control characters are not allowed."""
    for value in auth:
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            raise ConfigError(
                "a credential holds a character HTTP Basic authentication cannot send (only Latin-1); "
                "check the copied value"
            ) from None
        if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
            raise ConfigError("a credential holds a control character (a line break?); check the copied value")


def upstream_text(text: str, limit: int = ERROR_TEXT_CHARS) -> str:
    """Text an upstream sent (an error message), fit to show or store: secrets it echoes
    masked, runs of whitespace and control characters made one space, at most ``limit``
    characters (an ellipsis marks the cut)."""
    flat = one_line(redactor.scrub(text))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def json_body(response: requests.Response, endpoint: str) -> Any:
    """The parsed JSON of a whole response, or a :class:`PayloadError` naming what came
    instead (some APIs answer a wrong path with a 200 HTML page)."""
    require_json(response, endpoint)
    try:
        return parse_json(response.content)
    except ValueError as exc:
        raise PayloadError(f"{endpoint} answered {response.status_code} with malformed JSON ({exc})") from None
    except requests.RequestException as exc:
        raise UpstreamError(f"{endpoint}: the answer broke off ({root_cause(exc)})", endpoint=endpoint) from None


def require_json(response: requests.Response, endpoint: str) -> None:
    content_type = response.headers.get("Content-Type", "")
    if "json" not in content_type.lower():
        shown = upstream_text(content_type.split(";")[0], 60) or "no content type"
        response.close()
        raise PayloadError(f"{endpoint} answered {response.status_code} with {shown}, expected JSON")


def origin(url: str) -> str:
    """``scheme://host[:port]`` of a URL, the port only when not the scheme's default; no
    credentials, path or query (it is shown in errors)."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    default = {"http": 80, "https": 443}.get(parts.scheme)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port not in (None, default) else "")


def tls_failure(exc: requests.exceptions.SSLError, url: str) -> str:
    """One line for a failed TLS handshake: the host and the verifier's own reason."""
    host = urlsplit(url).hostname or "the host"
    cause: BaseException = exc
    while cause.__context__ is not None and cause.__context__ is not cause:
        cause = cause.__context__
    reason = getattr(cause, "verify_message", None) or getattr(cause, "reason", None) or type(cause).__name__
    return f"TLS with {host} failed ({reason}); a proxy or private CA needs REQUESTS_CA_BUNDLE"


def is_name_failure(exc: BaseException) -> bool:
    """Whether a connection failed because the host name does not resolve (no retry helps)."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            return True
        cause = cause.__context__ if cause.__context__ is not cause else None
    return False


def root_cause(exc: BaseException) -> str:
    """The innermost reason, without the URL-and-pool noise requests wraps it in."""
    while exc.__context__ is not None and exc.__context__ is not exc:
        exc = exc.__context__
    text = str(exc) or type(exc).__name__
    return text.split(": ")[-1][:160]
