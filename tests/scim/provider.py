"""A scripted SCIM provider on loopback that misbehaves the way real ones do, for pagination tests.

scim2-server pages correctly; providers in the field ignore ``count``, answer
fewer resources than asked, change ``totalResults`` while a client pages, or
ignore ``startIndex``. :class:`Provider` serves ``/Users`` from a list of ids
with any of those faults switched on; ``/Groups`` is empty and the discovery
endpoints answer 404 unless ``max_results`` is set.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from tests.loopback import serve

LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
CONFIG = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
TOKEN = "scripted-provider-token"


@dataclass
class Provider:
    """The provider's users and faults; ``seen`` collects ``(path, startIndex, count)`` of each listing request."""

    users: list[str]
    ignore_count: bool = False
    most: int | None = None
    """Answer at most this many resources a page, whatever was asked."""
    ignore_start: bool = False
    announce: int | None = None
    """``totalResults`` to announce instead of the true count."""
    after_page: Callable[[Provider, int], None] | None = None
    """Called after each ``/Users`` page with its number (from 1): changes the data mid-listing."""
    max_results: int | None = None
    """Serve discovery with ``filter.maxResults`` set to this."""
    seen: list[tuple[str, int, int]] = field(default_factory=list)

    def page(self, start: int, count: int) -> dict[str, object]:
        first = 0 if self.ignore_start else start - 1
        size = len(self.users) if self.ignore_count else count
        if self.most is not None:
            size = min(size, self.most)
        items = [{"schemas": [USER], "id": uid, "userName": uid, "active": True} for uid in self.users[first:][:size]]
        total = len(self.users) if self.announce is None else self.announce
        return {
            "schemas": [LIST],
            "totalResults": total,
            "startIndex": start,
            "itemsPerPage": len(items),
            "Resources": items,
        }

    def answer(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        url = urlsplit(handler.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        status, payload = 404, {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "404"}
        if handler.headers.get("Authorization") != f"Bearer {TOKEN}":
            status, payload = 401, {"detail": "bad token"}
        elif url.path == "/ServiceProviderConfig" and self.max_results is not None:
            status, payload = 200, {"schemas": [CONFIG], "filter": {"supported": True, "maxResults": self.max_results}}
        elif url.path in ("/Users", "/Groups"):
            start, count = int(query.get("startIndex", 1)), int(query.get("count", 100))
            self.seen.append((url.path, start, count))
            status, payload = 200, {"schemas": [LIST], "totalResults": 0, "Resources": []}
            if url.path == "/Users":
                payload = self.page(start, count)
                if self.after_page is not None:
                    self.after_page(self, sum(1 for path, _, c in self.seen if path == "/Users" and c != 1))
        data = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/scim+json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)


@contextmanager
def running(provider: Provider) -> Iterator[dict[str, str]]:
    """The connector config that reaches ``provider`` on loopback."""
    with serve(provider.answer) as base_url:
        yield {"scim-base-url": base_url, "scim-bearer-token": TOKEN}
