"""The host's HTTP layer: the one way a plugin talks to its upstream.

- :mod:`~framework.host.http.client`: :class:`HttpClient`, a session bound to one base URL
  that retries as the policy allows, follows redirects only within its origin, and reads
  every answer within limits;
- :mod:`~framework.host.http.policy`: the retry policy, a run's counts, vendor quirks and
  the per-endpoint rate limiter;
- :mod:`~framework.host.http.body`: bounded reading (size, JSON depth, string length,
  deadline), checked while the answer streams;
- :mod:`~framework.host.http.answers`: JSON answers and one-line failure descriptions.

Plugins import what they need from this package.
"""

from framework.host.http.answers import json_body, require_json
from framework.host.http.client import HttpClient
from framework.host.http.policy import EndpointLimiter, HttpPolicy, HttpStats, Quirks, server_wait

__all__ = [
    "EndpointLimiter",
    "HttpClient",
    "HttpPolicy",
    "HttpStats",
    "Quirks",
    "json_body",
    "require_json",
    "server_wait",
]
