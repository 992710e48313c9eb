"""A stand-in Skeleton API on loopback: the plugin's tests and ``connector demo`` sync it offline.

It answers the endpoints the client calls, with the upstream's shape (bearer
auth, cursor pagination, ``{"data": [...], "next_cursor": ...}``), and caps
every page at :data:`PAGE_LIMIT` items whatever the client asks, so every
listing really spans several pages over HTTP. Replace its data and endpoints
with your upstream's when you adapt the plugin; keep it small and deterministic.

``python -m plugins._template.upstream`` serves it until interrupted and prints
its base URL and token as one JSON line.
"""

from __future__ import annotations

import base64
import contextlib
import json
import sys
import threading
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from plugins._template.config import API_TOKEN, BASE_URL

DEMO_TOKEN = "skeleton-demo-token-5f0c2b"  # noqa: S105 - the stand-in's own token, not a credential
PAGE_LIMIT = 3
API_PREFIX = "/v1"
"""The real API's path prefix, so a recording replays at the real base URL."""


@dataclass(frozen=True)
class SkeletonData:
    """Seven users (one suspended, one without email) in three teams, one nested."""

    users: tuple[dict[str, Any], ...] = (
        {"id": 1001, "name": "Ada Lovelace", "email": "ada@example.com", "status": "active"},
        {"id": 1002, "name": "Grace Hopper", "email": "grace@example.com", "status": "active"},
        {"id": 1003, "name": "Alan Turing", "email": "alan@example.com", "status": "active"},
        {"id": 1004, "name": "Katherine Johnson", "email": "katherine@example.com", "status": "suspended"},
        {"id": 1005, "name": "Edsger Dijkstra", "email": None, "status": "active"},
        {"id": 1006, "name": "Barbara Liskov", "email": "barbara@example.com", "status": "active"},
        {"id": 1007, "name": "Ken Thompson", "email": "ken@example.com", "status": "active"},
    )
    teams: tuple[dict[str, Any], ...] = (
        {"id": "eng", "name": "Engineering", "parent_id": None},
        {"id": "platform", "name": "Platform", "parent_id": "eng"},
        {"id": "people", "name": "People", "parent_id": None},
    )
    members: dict[str, tuple[int, ...]] = field(
        default_factory=lambda: {
            "eng": (1001, 1002, 1003, 1006, 1007),
            "platform": (1002, 1007),
            "people": (1004, 1005),
        }
    )
    scopes: tuple[str, ...] = ("users:read", "teams:read")

    def moved_on(self, steps: int) -> SkeletonData:
        """This data ``steps`` steps later, for ``connector demo --step``: each step one person
        joins People, the first active one leaves (``suspended``) and the last of Engineering
        moves to People, the same every time, so ``connector diff`` between steps shows each."""
        users = [dict(user) for user in self.users]
        members = {team: list(ids) for team, ids in self.members.items()}
        for step in range(1, steps + 1):
            joiner = 2000 + step
            leaver = next(user for user in users if user["status"] == "active")
            leaver["status"] = "suspended"
            users.append(
                {"id": joiner, "name": f"Starter {step}", "email": f"starter{step}@example.com", "status": "active"}
            )
            members["people"].append(joiner)
            if members["eng"]:
                members["people"].append(members["eng"].pop())
        return replace(self, users=tuple(users), members={team: tuple(ids) for team, ids in members.items()})

    def counts(self) -> dict[str, int]:
        """What a complete sync lists, for tests that catch pagination stopping early."""
        return {"user": len(self.users), "team": len(self.teams), "grants": sum(map(len, self.members.values()))}


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _offset(cursor: str) -> int:
    return int(base64.urlsafe_b64decode(cursor.encode()).decode().removeprefix("offset:"))


class SkeletonUpstream:
    """``with SkeletonUpstream() as upstream:`` serves on 127.0.0.1 until the block ends."""

    def __init__(self, data: SkeletonData | None = None, token: str = DEMO_TOKEN) -> None:
        self.data = data or SkeletonData()
        self.token = token
        self.requests: list[str] = []
        """Request lines seen, e.g. ``GET /v1/users?limit=100``; tests count pages with it."""
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{API_PREFIX}"

    @property
    def config(self) -> dict[str, str]:
        return {BASE_URL.name: self.base_url, API_TOKEN.name: self.token}

    def __enter__(self) -> SkeletonUpstream:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer(self, method: str, target: str, authorization: str | None) -> tuple[int, Any]:
        """Status and JSON body for one request; the HTTP handler only moves bytes."""
        self.requests.append(f"{method} {target}")
        if authorization != f"Bearer {self.token}":
            return 401, {"error": "invalid or missing bearer token"}
        if method != "GET":
            return 405, {"error": f"{method} is not allowed"}
        url = urlsplit(target)
        found = self._resource(url.path.removeprefix(API_PREFIX))
        if found is None:
            return 404, {"error": f"nothing at {url.path}"}
        if isinstance(found, dict):
            return 200, found
        return 200, self._page(found, {key: values[-1] for key, values in parse_qs(url.query).items()})

    def _resource(self, path: str) -> dict[str, Any] | list[Any] | None:
        """An object, a list to paginate, or None for an unknown path."""
        if path == "/me":
            return {"id": "token-1", "scopes": list(self.data.scopes)}
        if path in ("/users", "/teams"):
            return list(self.data.users if path == "/users" else self.data.teams)
        parts = path.split("/")
        if len(parts) == 4 and parts[1] == "teams" and parts[3] == "members":
            members = self.data.members.get(unquote(parts[2]))
            return None if members is None else [{"user_id": user_id} for user_id in members]
        return None

    @staticmethod
    def _page(items: list[Any], query: dict[str, str]) -> dict[str, Any]:
        limit = min(int(query.get("limit", PAGE_LIMIT)), PAGE_LIMIT)
        start = _offset(query["cursor"]) if "cursor" in query else 0
        end = start + limit
        return {"data": items[start:end], "next_cursor": _cursor(end) if end < len(items) else None}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, body = upstream.answer(self.command, self.path, self.headers.get("Authorization"))
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_POST = do_GET

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: tests and the demo print their own output."""

        return Handler


def main() -> None:
    with SkeletonUpstream() as upstream:
        sys.stdout.write(json.dumps({"base_url": upstream.base_url, "token": upstream.token}) + "\n")
        sys.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
