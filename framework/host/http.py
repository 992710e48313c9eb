"""The one HTTP layer every plugin talks to its upstream through.

The retry policy lives here, not in plugins, so every connector gets the same
behaviour: 429s wait as the server says, 5xx and broken connections back off
with jitter, and 400/401/403/404 are final at once (HR APIs such as HiBob block
callers after repeated failed authentications). Plugins describe their vendor's
quirks with a :class:`Quirks` subclass instead of copying the policy.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

from framework import __version__
from framework.host.errors import AuthError, PayloadError, UpstreamError

log = logging.getLogger(__name__)

USER_AGENT = f"connector-framework/{__version__} (+python-requests)"
FINAL_STATUSES = frozenset({400, 401, 403, 404})


@dataclass(frozen=True, slots=True)
class HttpPolicy:
    """Timeouts and retry limits; every number is a host option a user can set."""

    connect_timeout: float = 10.0
    read_timeout: float = 120.0
    max_retries: int = 5
    """Retries of one request after its first attempt."""
    max_wait: float = 120.0
    """Longest single wait; a server asking for more fails the request instead."""
    retry_budget: float = 600.0
    """Total seconds a run may spend waiting before it gives up."""
    backoff_base: float = 1.0


@dataclass(slots=True)
class HttpStats:
    """What a run cost upstream; reported in the sync summary."""

    requests: int = 0
    retries: int = 0
    rate_limit_wait: float = 0.0
    backoff_wait: float = 0.0
    by_endpoint: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "retries": self.retries,
            "rate_limit_wait_seconds": round(self.rate_limit_wait, 3),
            "backoff_wait_seconds": round(self.backoff_wait, 3),
            "requests_by_endpoint": dict(self.by_endpoint),
        }


class Quirks:
    """Vendor-specific reading of responses. Override what your API does differently."""

    def is_rate_limited(self, response: requests.Response) -> bool:
        return response.status_code == 429

    def error_message(self, response: requests.Response) -> str:
        """A short human message from an error body, or '' when there is none."""
        try:
            body = response.json()
        except ValueError:
            return ""
        if isinstance(body, dict):
            for key in ("error", "message"):
                if isinstance(body.get(key), str):
                    return str(body[key])[:200]
        return ""


class EndpointLimiter:
    """Keeps each endpoint under its known requests-per-minute limit, client side."""

    def __init__(self, limits: Mapping[str, int], clock: Callable[[], float]) -> None:
        self._limits = dict(limits)
        self._sent: dict[str, deque[float]] = {name: deque() for name in limits}
        self._clock = clock

    def delay(self, endpoint: str) -> float:
        """Seconds to wait before ``endpoint`` may be called again (0 when free)."""
        limit = self._limits.get(endpoint)
        if limit is None:
            return 0.0
        sent, now = self._sent[endpoint], self._clock()
        while sent and now - sent[0] >= 60.0:
            sent.popleft()
        return 0.0 if len(sent) < limit else 60.0 - (now - sent[0])

    def record(self, endpoint: str) -> None:
        if endpoint in self._sent:
            self._sent[endpoint].append(self._clock())


def server_wait(response: requests.Response, now: float) -> float | None:
    """Seconds the server asked us to wait: ``Retry-After`` (seconds or HTTP date)
    first, then ``X-RateLimit-Reset`` (Unix epoch seconds); None when neither."""
    retry_after = response.headers.get("Retry-After")
    if retry_after:
        if retry_after.strip().isdigit():
            return float(retry_after)
        try:
            return max(0.0, email.utils.parsedate_to_datetime(retry_after).timestamp() - now)
        except (TypeError, ValueError):
            pass
    reset = response.headers.get("X-RateLimit-Reset")
    if reset:
        try:
            return max(0.0, float(reset) - now)
        except ValueError:
            return None
    return None


class HttpClient:
    """A requests session bound to one base URL, with the host's retry policy."""

    def __init__(
        self,
        base_url: str,
        *,
        auth: tuple[str, str] | None,
        policy: HttpPolicy,
        stats: HttpStats,
        limits: Mapping[str, int] | None = None,
        quirks: Quirks | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.policy = policy
        self.stats = stats
        self.quirks = quirks or Quirks()
        self._sleep, self._clock = sleep, clock
        self._limiter = EndpointLimiter(limits or {}, clock)
        self._waited = 0.0
        self.session = requests.Session()
        self.session.auth = auth
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers["Accept"] = "application/json"

    def close(self) -> None:
        self.session.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: Mapping[str, str] | None = None,
        stream: bool = False,
    ) -> requests.Response:
        """Send one logical request, retrying as the policy allows.

        Returns a 2xx response (its body unread when ``stream``); raises
        :class:`AuthError` or :class:`UpstreamError` otherwise.
        """
        endpoint = f"{method} {path}"
        attempt = 0
        while True:
            self._respect_limit(endpoint)
            response, failure = self._send(method, path, endpoint, json_body, params, stream)
            if response is not None and response.ok:
                return response
            if response is not None:
                self._raise_if_final(response, endpoint)
            if attempt >= self.policy.max_retries:
                raise UpstreamError(
                    f"{endpoint} failed after {attempt + 1} attempts: {failure}",
                    endpoint=endpoint,
                    status=None if response is None else response.status_code,
                )
            wait, reason = self._retry_wait(response, failure, attempt, endpoint)
            attempt += 1
            self.stats.retries += 1
            self._wait(wait, reason, rate_limited=response is not None and self.quirks.is_rate_limited(response))

    def _send(
        self,
        method: str,
        path: str,
        endpoint: str,
        json_body: Any,
        params: Mapping[str, str] | None,
        stream: bool,
    ) -> tuple[requests.Response | None, str]:
        self.stats.requests += 1
        self.stats.by_endpoint[endpoint] += 1
        self._limiter.record(endpoint)
        started = time.monotonic()
        try:
            response = self.session.request(
                method,
                self.base_url + path,
                json=json_body,
                params=params,
                stream=stream,
                timeout=(self.policy.connect_timeout, self.policy.read_timeout),
            )
        except requests.Timeout:
            return None, f"no answer within {self.policy.read_timeout:g}s"
        except requests.ConnectionError as exc:
            return None, f"connection failed ({_root_cause(exc)})"
        except requests.RequestException as exc:
            raise UpstreamError(f"{endpoint} could not be sent: {_root_cause(exc)}", endpoint=endpoint) from None
        log.debug("%s -> %s in %.3fs", endpoint, response.status_code, time.monotonic() - started)
        if response.ok:
            return response, ""
        detail = self.quirks.error_message(response)
        response.close()
        return response, f"HTTP {response.status_code}" + (f": {detail}" if detail else "")

    def _raise_if_final(self, response: requests.Response, endpoint: str) -> None:
        status = response.status_code
        if self.quirks.is_rate_limited(response) or status >= 500:
            return
        detail = self.quirks.error_message(response)
        suffix = f": {detail}" if detail else ""
        if status in (401, 403):
            what = "rejected the credentials" if status == 401 else "refused access (missing permission)"
            raise AuthError(
                f"{endpoint} answered {status}: the upstream {what}{suffix}", endpoint=endpoint, status=status
            )
        raise UpstreamError(f"{endpoint} answered {status}{suffix}", endpoint=endpoint, status=status)

    def _retry_wait(
        self, response: requests.Response | None, failure: str, attempt: int, endpoint: str
    ) -> tuple[float, str]:
        backoff = random.uniform(0.5, 1.0) * min(self.policy.max_wait, self.policy.backoff_base * 2**attempt)
        if response is None or not self.quirks.is_rate_limited(response):
            return backoff, f"{endpoint}: {failure}; retry {attempt + 1} of {self.policy.max_retries}"
        asked = server_wait(response, self._clock())
        if asked is None:
            return backoff, f"{endpoint} rate limited (no reset header); retry {attempt + 1}"
        if asked > self.policy.max_wait:
            raise UpstreamError(
                f"{endpoint} is rate limited for {asked:.0f}s, longer than the {self.policy.max_wait:g}s "
                "allowed for one wait (raise --http-max-wait)",
                endpoint=endpoint,
                status=response.status_code,
            )
        return asked + random.uniform(0, 0.25), f"{endpoint} rate limited; the server asks to wait"

    def _respect_limit(self, endpoint: str) -> None:
        delay = self._limiter.delay(endpoint)
        if delay > 0:
            self._wait(delay, f"{endpoint}: staying under its per-minute request limit", rate_limited=True)

    def _wait(self, seconds: float, reason: str, *, rate_limited: bool) -> None:
        if self._waited + seconds > self.policy.retry_budget:
            raise UpstreamError(
                f"gave up: waiting {seconds:.1f}s more would exceed the retry budget of "
                f"{self.policy.retry_budget:g}s ({reason})"
            )
        log.info("waiting %.1fs: %s", seconds, reason)
        self._waited += seconds
        if rate_limited:
            self.stats.rate_limit_wait += seconds
        else:
            self.stats.backoff_wait += seconds
        self._sleep(seconds)


def json_body(response: requests.Response, endpoint: str) -> Any:
    """The parsed JSON of a whole response, or a :class:`PayloadError` naming what came
    instead (some APIs answer a wrong path with a 200 HTML page)."""
    require_json(response, endpoint)
    try:
        return json.loads(response.content)
    except ValueError as exc:
        raise PayloadError(f"{endpoint} answered {response.status_code} with malformed JSON ({exc})") from None
    except requests.RequestException as exc:
        raise UpstreamError(f"{endpoint}: the answer broke off ({_root_cause(exc)})", endpoint=endpoint) from None


def require_json(response: requests.Response, endpoint: str) -> None:
    content_type = response.headers.get("Content-Type", "")
    if "json" not in content_type.lower():
        shown = content_type.split(";")[0] or "no content type"
        response.close()
        raise PayloadError(f"{endpoint} answered {response.status_code} with {shown}, expected JSON")


def _root_cause(exc: BaseException) -> str:
    """The innermost reason, without the URL-and-pool noise requests wraps it in."""
    while exc.__context__ is not None and exc.__context__ is not exc:
        exc = exc.__context__
    text = str(exc) or type(exc).__name__
    return text.split(": ")[-1][:160]
