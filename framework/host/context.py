"""The run context the host hands to a plugin's hooks.

One context lives for one command (a validate, a sync), so a plugin can fetch
something once in ``list_resources`` and reuse it in ``list_grants`` through
``state``, report data problems through ``warn`` without failing the run, and
build HTTP clients that share the host's policy and counters.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from framework.host.body import BodyLimits
from framework.host.http import HttpClient, HttpPolicy, HttpStats, Quirks

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


ProgressCallback = Callable[[str, int], None]


@dataclass
class ConnectorContext:
    """Everything a hook may use besides its own arguments."""

    config: Mapping[str, str] = field(repr=False)
    """Setting values by field name, secrets included: kept out of ``repr`` (hook traces print it)."""
    http_policy: HttpPolicy = field(default_factory=HttpPolicy)
    http_stats: HttpStats = field(default_factory=HttpStats)
    state: dict[str, Any] = field(default_factory=dict)
    """Scratch space shared by one plugin's hooks within one run."""
    warnings: dict[str, RunWarning] = field(default_factory=dict)
    progress: ProgressCallback = field(default=lambda stage, count: None)
    """Plugins call ``progress(stage, count)`` while fetching large payloads."""
    sync_follows: bool = False
    """True when ``validate`` runs at the start of a sync: a plugin may then leave out
    checks it can measure from the data the sync lists anyway, and add those findings
    to the report it returned, which the host reads again before completing the sync."""

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
        """An HTTP client that follows the host's retry policy and counts into this run.

        ``limits`` maps ``"METHOD /path"`` to the endpoint's requests-per-minute limit;
        ``body_limits`` to what its answer may hold (size, JSON depth and string length).
        """
        return HttpClient(
            base_url,
            auth=auth,
            policy=self.http_policy,
            stats=self.http_stats,
            limits=limits,
            quirks=quirks,
            body_limits=body_limits,
        )
