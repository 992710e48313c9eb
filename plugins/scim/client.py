"""The SCIM requests the connector makes, through the host's HTTP client.

The host's client owns timeouts, retries, rate-limit waits and request
counting; this module owns what RFC 7644 asks of a client: the bearer token,
discovery through ``/ServiceProviderConfig`` and ``/ResourceTypes``, reading
each answer with scim2-models, and index pagination (``startIndex``/``count``)
that holds up against the providers met in the field:

* a provider that ignores ``count`` and answers everything at once, or answers
  fewer resources than asked: the next page starts after what actually came;
* ``totalResults`` changing while the listing runs (accounts created or
  deleted meanwhile): the latest value decides where the listing ends, a
  resource listed twice because the pages shifted is kept once, and the change
  is reported as a warning;
* a listing that ends short of a ``totalResults`` that never changed is an
  error, not a smaller company: a missing account would read as "no access";
* a provider that ignores ``startIndex`` (every page repeats the first one) is
  an error after one page of repeats, and no listing runs past
  :data:`MAX_PAGES`: pagination never loops forever.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import ValidationError
from scim2_models import (
    Context,
    EnterpriseUser,
    Group,
    ListResponse,
    ResourceType,
    ScimPolicy,
    ServiceProviderConfig,
    User,
)
from scim2_models import Resource as ScimResource

from framework.host.context import ConnectorContext
from framework.host.errors import PayloadError, UpstreamError
from framework.host.http import Quirks, json_body
from plugins.scim.config import ScimConfig

USERS = "/Users"
GROUPS = "/Groups"
SERVICE_PROVIDER_CONFIG = "/ServiceProviderConfig"
RESOURCE_TYPES = "/ResourceTypes"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ABSENT = frozenset({404, 501})
"""Statuses meaning "this provider has no such discovery endpoint" (RFC 7644 §4 makes them optional in practice)."""
MAX_PAGES = 100_000
"""A listing stops with an error after this many pages (10 million resources at 100 a page)."""
POLICY = ScimPolicy(unknown=ScimPolicy.Unknown.ignore)
"""Providers add attributes of their own; they are dropped, not refused (the standard ones are still checked)."""
ERRORS_SHOWN = 3
ENDPOINT_PATH = re.compile(r"^/[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*$")

ScimUser = User[EnterpriseUser]
"""A user with the enterprise extension (employeeNumber, department, manager) read when present."""
Model = TypeVar("Model", bound=ScimResource[Any])
Warn = Callable[[str, str, str | None], None]


@dataclass(frozen=True, slots=True)
class Discovery:
    """What the provider says about itself; defaults where it says nothing.

    ``users`` and ``groups`` are endpoint paths relative to the base URL
    (``None`` for groups when ``/ResourceTypes`` lists no Group type);
    ``max_results`` is ``filter.maxResults`` (a cap on ``count``), ``None``
    when not announced; ``found`` names the discovery endpoints that answered.
    """

    users: str = USERS
    groups: str | None = GROUPS
    max_results: int | None = None
    found: tuple[str, ...] = ()


class ScimQuirks(Quirks):
    """SCIM error bodies (RFC 7644 §3.12) carry ``scimType`` and ``detail``; some providers answer
    the common ``error``/``message`` instead."""

    message_keys = ("scimType", "detail", "error", "message")


class ScimClient:
    """One bearer token's session with one SCIM service provider."""

    def __init__(self, ctx: ConnectorContext, config: ScimConfig) -> None:
        self._http = ctx.http_client(config.base_url, quirks=ScimQuirks())
        self._http.session.headers["Authorization"] = f"Bearer {config.token}"
        self._http.session.headers["Accept"] = "application/scim+json, application/json"
        self._page_size = config.page_size
        self._progress = ctx.progress
        self._warn: Warn = ctx.warn
        self._discovery: Discovery | None = None

    def discover(self) -> Discovery:
        """Read ``/ServiceProviderConfig`` and ``/ResourceTypes`` once; either may be absent.

        Raises :class:`~framework.host.errors.AuthError` when the provider
        refuses the token there, :class:`PayloadError` when an answer is not
        what RFC 7643 describes.
        """
        if self._discovery is not None:
            return self._discovery
        found: list[str] = []
        max_results = None
        config = self._get_model(SERVICE_PROVIDER_CONFIG, ServiceProviderConfig)
        if config is not None:
            found.append(SERVICE_PROVIDER_CONFIG)
            if config.filter is not None and config.filter.max_results:
                max_results = config.filter.max_results
        users: str = USERS
        groups: str | None = GROUPS
        types = self._get_model(RESOURCE_TYPES, ListResponse[ResourceType])
        if types is not None:
            found.append(RESOURCE_TYPES)
            endpoints = {str(t.schema_): t.endpoint for t in types.resources or [] if t.schema_ is not None}
            users = self._endpoint(endpoints.get(USER_SCHEMA), USERS)
            groups = self._endpoint(endpoints.get(GROUP_SCHEMA), GROUPS) if GROUP_SCHEMA in endpoints else None
        self._discovery = Discovery(users, groups, max_results, tuple(found))
        return self._discovery

    def user_count(self) -> int | None:
        """``totalResults`` of a one-user page: proves the token may list users."""
        return self._page(self.discover().users, ScimUser, start=1, count=1).total_results

    def group_count(self) -> int | None:
        """``totalResults`` of a one-group page (None too when the provider has no groups)."""
        path = self.discover().groups
        return None if path is None else self._page(path, Group, start=1, count=1).total_results

    def users(self) -> Iterator[ScimUser]:
        """Every user, each once, in the provider's order."""
        return self._pages(self.discover().users, ScimUser, "users")

    def groups(self) -> Iterator[Group]:
        """Every group with its members; nothing when the provider declares no Group type."""
        path = self.discover().groups
        return iter(()) if path is None else self._pages(path, Group, "groups")

    def _pages(self, path: str, model: type[Model], stage: str) -> Iterator[Model]:
        """Every resource of an index-paginated listing, one page in memory at a time (see the module doc)."""
        endpoint = f"GET {path}"
        limit = self.discover().max_results
        count = min(self._page_size, limit) if limit else self._page_size
        seen: set[str] = set()
        start, first_total, total = 1, None, None
        for pages in range(1, MAX_PAGES + 1):
            page = self._page(path, model, start=start, count=count)
            items = page.resources or []
            total = page.total_results
            first_total = total if pages == 1 else first_total
            fresh = 0
            for item in items:
                item_id = str(item.id)
                if item_id in seen:
                    self._warn(
                        "scim_listed_twice",
                        f"{endpoint} listed a resource twice (pages shifted); it is kept once",
                        item_id,
                    )
                    continue
                seen.add(item_id)
                fresh += 1
                yield item
            self._progress(stage, len(seen))
            if items and not fresh:
                raise PayloadError(
                    f"{endpoint} answered startIndex={start} with only resources it had already listed "
                    "(the provider ignores startIndex); stopping instead of looping"
                )
            start += len(items)
            if not items or (total is not None and start > total):
                break
        else:
            raise PayloadError(f"{endpoint} was still listing after {MAX_PAGES} pages; stopping")
        self._check_complete(endpoint, len(seen), first_total, total)

    def _check_complete(self, endpoint: str, listed: int, first_total: int | None, total: int | None) -> None:
        """Fail a listing that ended short of a stable ``totalResults``; warn when the total moved."""
        if total is None or listed >= total:
            if first_total != total:
                self._warn(
                    "scim_total_changed",
                    f"{endpoint}: totalResults changed while listing (resources were added or removed meanwhile)",
                    f"{first_total} -> {total}",
                )
            return
        if first_total == total:
            raise PayloadError(
                f"{endpoint} announced totalResults={total} but its pages ended after {listed} resources"
            )
        self._warn(
            "scim_total_changed",
            f"{endpoint}: totalResults changed while listing; the listing may miss resources removed meanwhile",
            f"{first_total} -> {total}, {listed} listed",
        )

    def _page(self, path: str, model: type[Model], *, start: int, count: int) -> ListResponse[Model]:
        endpoint = f"GET {path}"
        params = {"startIndex": str(start), "count": str(count)}
        body = json_body(self._http.request("GET", path, params=params), endpoint)
        page: ListResponse[Model] = _validate(ListResponse[model], body, endpoint)  # type: ignore[valid-type]
        return page

    def _get_model(self, path: str, model: type[Any]) -> Any:
        """A discovery document, or ``None`` when the provider has no such endpoint."""
        endpoint = f"GET {path}"
        try:
            response = self._http.request("GET", path)
        except UpstreamError as exc:
            if exc.status in ABSENT:
                return None
            raise
        return _validate(model, json_body(response, endpoint), endpoint)

    def _endpoint(self, announced: str | None, default: str) -> str:
        """An announced endpoint when it is a plain relative path; the RFC's default otherwise."""
        if announced is None:
            return default
        if not ENDPOINT_PATH.match(announced):
            self._warn(
                "scim_endpoint_ignored",
                f"/ResourceTypes announced an endpoint that is not a relative path; {default} is used",
                announced[:80],
            )
            return default
        return announced


def _validate(model: type[Any], body: Any, endpoint: str) -> Any:
    """``body`` read by a scim2-models class as a query response, or a :class:`PayloadError`.

    The error names the endpoint, the failing attributes (e.g.
    ``Resources.3.emails.0.value``), the resource's id when it has one, and
    pydantic's reason, never the offending value: it may be personal data.
    """
    try:
        return model.model_validate(body, scim_ctx=Context.RESOURCE_QUERY_RESPONSE, scim_policy=POLICY)
    except ValidationError as exc:
        errors = exc.errors(include_input=False, include_url=False, include_context=False)
        shown = []
        for error in errors[:ERRORS_SHOWN]:
            where = ".".join(str(part) for part in error["loc"]) or "the body"
            shown.append(f"{where}{_resource_id(body, error['loc'])}: {error['msg']}")
        more = f" (and {len(errors) - ERRORS_SHOWN} more)" if len(errors) > ERRORS_SHOWN else ""
        raise PayloadError(f"{endpoint} answered something SCIM does not allow: {'; '.join(shown)}{more}") from None


def _resource_id(body: Any, loc: tuple[int | str, ...]) -> str:
    """`` (id X)`` for an error inside ``Resources[i]`` whose item has a string id (ids are opaque, not personal)."""
    if len(loc) < 2 or loc[0] != "Resources" or not isinstance(loc[1], int) or not isinstance(body, dict):
        return ""
    items = body.get("Resources")
    if not isinstance(items, list) or not 0 <= loc[1] < len(items) or not isinstance(items[loc[1]], dict):
        return ""
    item_id = items[loc[1]].get("id")
    return f" (id {item_id[:64]})" if isinstance(item_id, str) else ""
