"""The one HTTP client every plugin talks to its upstream through.

The retry policy lives here, not in plugins, so every connector gets the same
behaviour: 429s wait as the server says, 5xx and broken connections back off
with jitter, and 400/401/403/404 are final at once (HR APIs such as HiBob block
callers after repeated failed authentications). Plugins describe their vendor's
quirks with a :class:`~framework.host.http.policy.Quirks` subclass instead of
copying the policy.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

from framework import __version__
from framework.host.errors import AuthError, PayloadError, UpstreamError
from framework.host.http.answers import (
    check_credentials,
    is_name_failure,
    origin,
    root_cause,
    tls_failure,
    upstream_text,
)
from framework.host.http.body import Body, BodyLimits, BrokenAnswer
from framework.host.http.policy import EndpointLimiter, HttpPolicy, HttpStats, Quirks, server_wait
from framework.host.redact import redactor

log = logging.getLogger(__name__)

USER_AGENT = f"connector-framework/{__version__} (+python-requests)"
ERROR_BODY_BYTES = 64 * 1024
"""Most of an error answer's body that is read (the rest is dropped unread)."""
FINAL_STATUSES = frozenset({400, 401, 403, 404})
CONNECT_RETRIES = 2
"""Retries of a request whose host refused or could not be reached: a host that is down
rarely comes back within the seconds a backoff waits, so fail in seconds, not minutes."""
MAX_REDIRECTS = 5
"""Redirects within the base URL's origin followed for one request."""


@dataclass(slots=True)
class _Attempt:
    """One attempt's outcome: a 2xx response, or the failure to report or retry."""

    response: requests.Response | None
    failure: str = ""
    detail: str = ""
    """The upstream's own error message, fit to show (see :func:`upstream_text`)."""
    deadline: float = 0.0
    """``time.monotonic()`` instant by which the attempt, its body included, must end."""
    unreachable: bool = False
    """No connection could be made (refused, no route): retried at most :data:`CONNECT_RETRIES` times."""


class HttpClient:
    """A requests session bound to one base URL, with the host's retry policy and read limits.

    Redirects are never followed blindly: one within the base URL's origin is followed
    keeping its method and body; one to another origin (or from https to http) is an
    error naming the target's origin only.
    """

    def __init__(
        self,
        base_url: str,
        *,
        auth: tuple[str, str] | None,
        policy: HttpPolicy,
        stats: HttpStats,
        limiter: EndpointLimiter | None = None,
        quirks: Quirks | None = None,
        body_limits: Mapping[str, BodyLimits] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``limiter``: the run's requests-per-minute limits by ``"METHOD /path"`` (a fresh, empty
        one when None); ``body_limits``: what each
        endpoint's answer may hold (others get :class:`BodyLimits` defaults); ``--http-max-body-mb``
        (``policy.max_body_bytes``) replaces every endpoint's size cap when set."""
        self.base_url = base_url.rstrip("/")
        self.origin = origin(self.base_url)
        self.policy = policy
        self.stats = stats
        self.quirks = quirks or Quirks()
        self._body_limits = dict(body_limits or {})
        self._sleep, self._clock = sleep, clock
        self._limiter = limiter or EndpointLimiter(clock=clock)
        if auth is not None:
            check_credentials(auth)
            redactor.add_basic_auth(*auth)
        self.session = requests.Session()
        self.session.auth = auth
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers["Accept"] = "application/json"

    def close(self) -> None:
        self.session.close()

    def limits_for(self, endpoint: str) -> BodyLimits:
        limits = self._body_limits.get(endpoint, BodyLimits())
        if self.policy.max_body_bytes is not None:
            limits = replace(limits, max_bytes=self.policy.max_body_bytes)
        return limits

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """Send one logical request, retrying as the policy allows, and read its whole answer.

        Returns a 2xx response whose body has been read within the endpoint's limits (a body
        that breaks off or outlasts ``--http-deadline`` is retried like a reset). Raises
        :class:`AuthError`, :class:`UpstreamError`, or :class:`PayloadError` for a limit breach.
        """
        response = self._request(method, path, json_body, params, whole=True).response
        assert response is not None
        return response

    @contextmanager
    def stream(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: Mapping[str, str] | None = None,
    ) -> Iterator[tuple[requests.Response, Body]]:
        """Like :meth:`request`, but the answer's body is left unread: yields the response (for
        its headers) and a :class:`Body` to stream it from, which raises :class:`PayloadError`
        at a limit breach and :class:`BrokenAnswer` when the body breaks off or the deadline
        passes. Only the request is retried: records already read cannot be taken back."""
        attempt = self._request(method, path, json_body, params, whole=False)
        response, endpoint = attempt.response, f"{method} {path}"
        assert response is not None
        body = Body(response.raw, endpoint, self.limits_for(endpoint), attempt.deadline, self.policy.deadline)
        with response:
            yield response, body

    def _request(
        self, method: str, path: str, json_body: Any, params: Mapping[str, str] | None, *, whole: bool
    ) -> _Attempt:
        """The successful attempt (its response 2xx, its body read when ``whole``), after retries."""
        endpoint = f"{method} {path}"
        url = self.base_url + path
        attempt = redirects = 0
        while True:
            self._respect_limit(endpoint)
            outcome = self._send(method, url, endpoint, json_body, params, whole=whole)
            response = outcome.response
            if response is not None and response.is_redirect:
                url = self._redirect_target(response, endpoint, redirects)
                redirects += 1
                continue
            if response is not None and response.ok:
                return outcome
            if response is not None:
                self._raise_if_final(response, endpoint, outcome.detail)
            retries = min(self.policy.max_retries, CONNECT_RETRIES) if outcome.unreachable else self.policy.max_retries
            if attempt >= retries:
                tries = "1 attempt" if attempt == 0 else f"{attempt + 1} attempts"
                raise UpstreamError(
                    f"{endpoint} failed after {tries}: {outcome.failure}",
                    endpoint=endpoint,
                    status=None if response is None else response.status_code,
                )
            wait, reason = self._retry_wait(response, outcome.failure, attempt, endpoint)
            attempt += 1
            self.stats.retries += 1
            self._wait(wait, reason, rate_limited=response is not None and self.quirks.is_rate_limited(response))

    def _redirect_target(self, response: requests.Response, endpoint: str, followed: int) -> str:
        """Where a redirect within the base URL's origin leads; any other redirect is an error."""
        target = urljoin(response.url, response.headers.get("Location", ""))
        response.close()
        target_origin = origin(target)
        if target_origin != self.origin:
            scheme_drop = self.origin.startswith("https:") and target_origin.startswith("http:")
            why = "from https to http" if scheme_drop else f"to another origin, {target_origin}"
            raise UpstreamError(
                f"{endpoint} was redirected {why}; redirects are followed only within {self.origin}",
                endpoint=endpoint,
                status=response.status_code,
            )
        if followed >= MAX_REDIRECTS:
            raise UpstreamError(f"{endpoint} was redirected more than {MAX_REDIRECTS} times", endpoint=endpoint)
        return target

    def _send(
        self,
        method: str,
        url: str,
        endpoint: str,
        json_body: Any,
        params: Mapping[str, str] | None,
        *,
        whole: bool,
    ) -> _Attempt:
        self.stats.requests += 1
        self.stats.by_endpoint[endpoint] += 1
        self._limiter.record(endpoint)
        started = time.monotonic()
        deadline = started + self.policy.deadline
        try:
            response = self.session.request(
                method,
                url,
                json=json_body,
                params=params,
                stream=True,
                allow_redirects=False,
                timeout=(self.policy.connect_timeout, self.policy.read_timeout),
            )
        except requests.exceptions.SSLError as exc:
            raise UpstreamError(f"{endpoint}: {tls_failure(exc, url)}", endpoint=endpoint) from None
        except requests.Timeout:
            return _Attempt(None, f"no answer within {self.policy.read_timeout:g}s")
        except requests.ConnectionError as exc:
            host = urlsplit(url).hostname or "the host"
            if is_name_failure(exc):
                raise UpstreamError(f"{endpoint}: cannot resolve the host name {host}", endpoint=endpoint) from None
            return _Attempt(None, f"cannot connect to {host} ({root_cause(exc)})", unreachable=True)
        except requests.RequestException as exc:
            raise UpstreamError(f"{endpoint} could not be sent: {root_cause(exc)}", endpoint=endpoint) from None
        log.debug("%s -> %s in %.3fs", endpoint, response.status_code, time.monotonic() - started)
        if response.is_redirect:
            return _Attempt(response)
        if not response.ok:
            detail = self._error_detail(response, endpoint, deadline)
            return _Attempt(response, f"HTTP {response.status_code}" + (f": {detail}" if detail else ""), detail)
        if whole:
            body = Body(response.raw, endpoint, self.limits_for(endpoint), deadline, self.policy.deadline)
            try:
                response._content = body.read_all()
            except BrokenAnswer as exc:
                response.close()
                return _Attempt(None, str(exc))
            except PayloadError:
                response.close()
                raise
        return _Attempt(response, deadline=deadline)

    def _error_detail(self, response: requests.Response, endpoint: str, deadline: float) -> str:
        """The upstream's error message from at most :data:`ERROR_BODY_BYTES` of its body, fit to show."""
        limits = BodyLimits(max_bytes=ERROR_BODY_BYTES)
        body = Body(response.raw, endpoint, limits, deadline, self.policy.deadline)
        try:
            response._content = body.read_all()
        except (BrokenAnswer, PayloadError):
            response._content = b""
        finally:
            response.close()
        try:
            return upstream_text(self.quirks.error_message(response))
        except (ValueError, RecursionError):
            return ""

    def _raise_if_final(self, response: requests.Response, endpoint: str, detail: str) -> None:
        status = response.status_code
        if self.quirks.is_rate_limited(response) or status >= 500:
            return
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
        """Sleep, counting into the run's waits; the retry budget caps what every client of the run waited."""
        if self.stats.rate_limit_wait + self.stats.backoff_wait + seconds > self.policy.retry_budget:
            raise UpstreamError(
                f"gave up: waiting {seconds:.1f}s more would exceed the retry budget of "
                f"{self.policy.retry_budget:g}s ({reason})"
            )
        log.info("waiting %.1fs: %s", seconds, reason)
        if rate_limited:
            self.stats.rate_limit_wait += seconds
        else:
            self.stats.backoff_wait += seconds
        self._sleep(seconds)
