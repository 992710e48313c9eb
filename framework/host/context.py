"""The run context the host hands to a plugin's hooks.

One context lives for one run (a validate, a sync). A plugin reports data
problems through ``warn`` without failing the run, and gets HTTP clients that
share the host's policy, counters, retry budget and per-endpoint limiters: one
client per base URL, closed when the run ends. What a plugin keeps between
hooks lives in its own typed run object (the ``start_run`` hook), not here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from framework.host.errors import PluginError
from framework.host.http import EndpointLimiter, HttpClient, HttpPolicy, HttpStats, Quirks
from framework.host.http.body import BodyLimits

EXAMPLES_KEPT = 5


@dataclass(slots=True)
class RunWarning:
    """One kind of data problem: how often it happened, and a few examples."""

    code: str
    message: str
    count: int = 0
    examples: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "count": self.count, "examples": self.examples}


class ProgressCallback(Protocol):
    """How a plugin reports a long fetch: ``count`` items of ``stage`` so far, of ``total`` when known."""

    def __call__(self, stage: str, count: int, total: int | None = None) -> None: ...


def _no_progress(stage: str, count: int, total: int | None = None) -> None:
    """The default when nothing shows progress (tests, library use)."""


@dataclass
class ConnectorContext:
    """Everything a hook may use besides its own arguments."""

    config: Mapping[str, str] = field(repr=False)
    """Setting values by field name, secrets included: kept out of ``repr`` (hook traces print it)."""
    http_policy: HttpPolicy = field(default_factory=HttpPolicy)
    http_stats: HttpStats = field(default_factory=HttpStats)
    warnings: dict[str, RunWarning] = field(default_factory=dict)
    progress: ProgressCallback = field(default=_no_progress)
    """Plugins call ``progress(stage, count)``, or ``progress(stage, count, total)``, while fetching large payloads."""
    sync_follows: bool = False
    """True when ``validate`` runs at the start of a sync: a plugin may then leave out
    checks it can measure from the data the sync lists anyway, and add those findings
    to the report it returned, which the host reads again before completing the sync."""
    limiter: EndpointLimiter = field(default_factory=EndpointLimiter)
    """Every endpoint's requests-per-minute limit and recent requests, shared by the run's clients."""
    _clients: dict[str, tuple[HttpClient, tuple[object, ...]]] = field(default_factory=dict, repr=False)
    _runs: dict[str, object] = field(default_factory=dict, repr=False)

    def warn(self, code: str, message: str, example: str | None = None) -> None:
        """Record a data problem that does not stop the run; it lands in the summary.

        Warnings with the same ``code`` are counted together; the first few
        ``example`` values are kept so a person can look them up.
        """
        entry = self.warnings.get(code)
        if entry is None:
            entry = self.warnings[code] = RunWarning(code, message)
            logging.getLogger("framework.run").warning("%s", message + (f" (e.g. {example})" if example else ""))
        entry.count += 1
        if example is not None and len(entry.examples) < EXAMPLES_KEPT:
            entry.examples.append(example)

    def http_client(
        self,
        base_url: str,
        *,
        auth: tuple[str, str] | None = None,
        limits: Mapping[str, int] | None = None,
        quirks: Quirks | None = None,
        body_limits: Mapping[str, BodyLimits] | None = None,
    ) -> HttpClient:
        """This run's HTTP client for ``base_url``, built on the first call and returned on every later one.

        It follows the host's retry policy, counts into :attr:`http_stats`, and
        waits from the run's one retry budget. ``limits`` maps ``"METHOD /path"`` to
        the endpoint's requests-per-minute limit, kept in the run's :attr:`limiter`;
        ``body_limits`` to what its answer may hold (size, JSON depth and string
        length). Asking again for the same base URL with other settings is a
        PluginError: two clients of one upstream would split its limits.
        """
        key = base_url.rstrip("/")
        settings = (
            auth,
            type(quirks),
            tuple(sorted((limits or {}).items())),
            tuple(sorted((body_limits or {}).items())),
        )
        known = self._clients.get(key)
        if known is not None:
            if known[1] != settings:
                raise PluginError(f"a client for {key} already exists in this run with other settings")
            return known[0]
        self.limiter.declare(limits or {})
        client = HttpClient(
            key,
            auth=auth,
            policy=self.http_policy,
            stats=self.http_stats,
            limiter=self.limiter,
            quirks=quirks,
            body_limits=body_limits,
        )
        self._clients[key] = (client, settings)
        return client

    def run_state(self, plugin: str, start: Callable[[], object]) -> object:
        """The run object of ``plugin`` in this run: ``start()``'s result, called once (host use)."""
        if plugin not in self._runs:
            self._runs[plugin] = start()
        return self._runs[plugin]

    def close(self) -> None:
        """End the run: close every HTTP client and forget the plugins' run objects."""
        for client, _ in self._clients.values():
            client.close()
        self._clients.clear()
        self._runs.clear()

    def __enter__(self) -> ConnectorContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
