"""Scripted answers: an endpoint serves exactly the answer a test states.

The company renders only what HiBob's own rendering produces. A client test
that needs a payload it never produces (a record without an id, an
``employees`` key that is not a list, malformed JSON mid-stream, an error body
in another shape, a department list without items) scripts the endpoint::

    sim.scripted.set("POST /v1/people/search", Scripted(json={"employees": "none"}))

Credentials and rate limits are still checked first (a scripted endpoint
still answers 401 to a wrong token); then the scripted answer replaces the
endpoint's own, with the rate-limit headers added, and an injected fault still
wins over both (``truncated`` cuts the scripted body). An answer may be a
function of the request (``ApiRequest``: method, path, query, headers, body),
to answer a filtered search differently from an unfiltered one. A script
stays until replaced or removed (``set(endpoint, None)``).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from plugins.hibob.simulator.responses import JSON_TYPE, ApiRequest, Response, bytes_response


@dataclass(frozen=True)
class Scripted:
    """One answer: ``json`` serialised, or ``body`` as given (bytes win), as ``content_type``."""

    status: int = 200
    json: Any = None
    body: bytes | None = None
    content_type: str = JSON_TYPE

    def response(self, headers: Iterable[tuple[str, str]]) -> Response:
        data = self.body if self.body is not None else json.dumps(self.json).encode()
        return bytes_response(self.status, data, self.content_type, headers)


Answer = Scripted | Callable[[ApiRequest], Scripted]


class ScriptedAnswers:
    """The scripted endpoints, keyed ``"METHOD /v1/path"`` (no query); thread-safe."""

    def __init__(self) -> None:
        self._answers: dict[str, Answer] = {}
        self._lock = threading.Lock()

    def set(self, endpoint: str, answer: Answer | None) -> None:
        """Serve ``answer`` at ``endpoint`` from now on; None serves the endpoint's own answer again."""
        method, _, path = endpoint.partition(" ")
        if not method.isupper() or not path.startswith("/"):
            raise ValueError(f"endpoint must look like 'POST /v1/people/search', got {endpoint!r}")
        with self._lock:
            if answer is None:
                self._answers.pop(endpoint, None)
            else:
                self._answers[endpoint] = answer

    def answer(self, request: ApiRequest) -> Scripted | None:
        """The scripted answer for this request, if its endpoint is scripted."""
        with self._lock:
            answer = self._answers.get(f"{request.method} {request.path}")
        if answer is None or isinstance(answer, Scripted):
            return answer
        return answer(request)
