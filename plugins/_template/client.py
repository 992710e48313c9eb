"""The Skeleton API calls the connector makes, through the host's HTTP client.

The host's client owns timeouts, retries and rate-limit waits; this module owns
what the Skeleton endpoints need: the bearer token, the JSON checks and cursor
pagination. A cursor the upstream hands back unchanged is an error, not a
reason to ask for the same page forever.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from framework.host.context import ConnectorContext
from framework.host.errors import PayloadError
from framework.host.http import json_body
from marshmallow import Schema

from plugins._template.config import SkeletonConfig
from plugins._template.schemas import (
    Me,
    Member,
    MemberSchema,
    MeSchema,
    Team,
    TeamSchema,
    User,
    UserSchema,
    load,
    load_page,
)

ME = "/me"
USERS = "/users"
TEAMS = "/teams"


class SkeletonClient:
    """One token's session with one Skeleton tenant."""

    def __init__(self, ctx: ConnectorContext, config: SkeletonConfig) -> None:
        self._http = ctx.http_client(config.base_url)
        self._http.session.headers["Authorization"] = f"Bearer {config.token}"
        self._page_size = config.page_size
        self._progress = ctx.progress

    def me(self) -> Me:
        """Who the token belongs to and what it may read; cheap, so validate calls it."""
        endpoint = f"GET {ME}"
        result: Me = load(MeSchema(), json_body(self._http.request("GET", ME), endpoint), endpoint)
        return result

    def users(self) -> Iterator[User]:
        return self._pages(USERS, UserSchema(), "users")

    def teams(self) -> Iterator[Team]:
        return self._pages(TEAMS, TeamSchema(), "teams")

    def members(self, team_id: str) -> Iterator[Member]:
        return self._pages(f"{TEAMS}/{quote(team_id, safe='')}/members", MemberSchema(), None)

    def _pages(self, path: str, schema: Schema, stage: str | None) -> Iterator[Any]:
        """Every item of a cursor-paginated list, one page in memory at a time."""
        endpoint = f"GET {path}"
        cursor: str | None = None
        fetched = 0
        while True:
            params = {"limit": str(self._page_size)} | ({"cursor": cursor} if cursor else {})
            page = load_page(json_body(self._http.request("GET", path, params=params), endpoint), schema, endpoint)
            yield from page.items
            fetched += len(page.items)
            if stage:
                self._progress(stage, fetched)
            if page.next_cursor is None:
                return
            if page.next_cursor == cursor:
                raise PayloadError(f"{endpoint} answered the cursor it was sent; stopping instead of looping")
            cursor = page.next_cursor
