"""Watching a plugin's HTTP traffic during a conformance run, so pagination bugs fail fast.

A plugin that sends back the cursor it was just given asks for the same page
forever, and one that never recognises its last page keeps paging: both hang a
sync instead of failing it. The watch wraps ``requests.Session.send``, below the
host's HTTP client and above vcrpy, so it sees every request a plugin makes
through ``ctx.http_client`` whether the answer is live or replayed from a
cassette, and it raises :class:`PaginationLoop` at the first repeated page.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests


class PaginationLoop(Exception):
    """A hook asked for a page it already had, or for more pages than any test upstream holds.

    Deliberately not a ``requests`` or connector error, so neither the host's
    retry policy nor a plugin's error handling can swallow it.
    """


class HttpWatch:
    """Counts the requests of the current phase (one hook call) and remembers its answered pages."""

    def __init__(self, max_requests: int) -> None:
        self.max_requests = max_requests
        self.phase = "setup"
        self.log: list[str] = []
        self._answered: set[tuple[str, str, bytes]] = set()
        self._count = 0

    def enter(self, phase: str) -> None:
        """Start counting a new hook call: a page may be fetched once per call."""
        self.phase, self._answered, self._count = phase, set(), 0

    def sent(self, request: requests.PreparedRequest, response: requests.Response) -> None:
        line = f"{request.method} {request.url}"
        self.log.append(f"{self.phase}: {line} -> {response.status_code}")
        self._count += 1
        if self._count > self.max_requests:
            raise PaginationLoop(
                f"{self.phase} sent more than {self.max_requests} requests: pagination never ends "
                "(does the loop stop when the upstream reports no next page?)"
            )
        if not response.ok:
            return  # the host retries failed requests with identical URLs; that is not a loop
        body = request.body.encode() if isinstance(request.body, str) else request.body or b""
        key = (str(request.method), str(request.url), bytes(body))
        if key in self._answered:
            raise PaginationLoop(
                f"{self.phase} requested {line} twice: the cursor did not change between pages, "
                "so pagination would never end"
            )
        self._answered.add(key)


@contextmanager
def watching(watch: HttpWatch) -> Iterator[HttpWatch]:
    """Route every ``requests`` call through ``watch`` until the block ends."""
    original = requests.Session.send

    def send(session: requests.Session, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        response = original(session, request, **kwargs)
        watch.sent(request, response)
        return response

    requests.Session.send = send  # type: ignore[method-assign,assignment]
    try:
        yield watch
    finally:
        requests.Session.send = original  # type: ignore[method-assign]
