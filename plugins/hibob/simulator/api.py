"""Routing, authentication and rate limiting of the simulated ``/v1`` API.

Order matters and mirrors HiBob: a path outside ``/v1`` gets the web app's HTML
page (200) from the edge; inside ``/v1`` credentials are checked first (401,
empty body, rate-limit headers still present), then the per-endpoint limit
(429), then a scripted answer if the test set one (see ``scripted``), then the
route (404/405), then the endpoint itself (400 for a bad body). An injected
fault, if one is queued for the request, replaces all of that.

Unfiltered searches of big companies are cached by the company's content
fingerprint, so a test that edits ``sim.company`` between syncs is never served
a stale answer.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from plugins.hibob.simulator.auth import ServiceUser, basic_credentials
from plugins.hibob.simulator.cache import AnswerCache
from plugins.hibob.simulator.company import Company
from plugins.hibob.simulator.faults import FaultPlan, fault_response
from plugins.hibob.simulator.fields import FIELDS
from plugins.hibob.simulator.index import CompanyIndex
from plugins.hibob.simulator.named_lists import AllListsShape, Envelope, all_lists, list_items, wrap
from plugins.hibob.simulator.ratelimit import Headers, RateLimiter
from plugins.hibob.simulator.render import encode_people, plan_fields
from plugins.hibob.simulator.responses import (
    JSON_TYPE,
    ApiRequest,
    Response,
    empty_response,
    error_response,
    html_response,
    json_response,
)
from plugins.hibob.simulator.scripted import ScriptedAnswers
from plugins.hibob.simulator.search import BadRequest, parse_search, select_people

SEARCH = "POST /v1/people/search"
FIELDS_METADATA = "GET /v1/company/people/fields"
ALL_LISTS = "GET /v1/company/named-lists"
ONE_LIST = "GET /v1/company/named-lists/{name}"
_LIST_PREFIX = "/v1/company/named-lists/"
_ROUTES: dict[str, str] = {
    "/v1/people/search": SEARCH,
    "/v1/company/people/fields": FIELDS_METADATA,
    "/v1/company/named-lists": ALL_LISTS,
}


@dataclass
class Handled:
    """An answer plus who asked and which fault, if any, shaped it."""

    response: Response
    service_user_id: str | None = None
    fault: str | None = None


class Api:
    """The simulated HiBob API over one company; safe to call from many threads."""

    def __init__(
        self,
        company: Company,
        *,
        users: dict[str, ServiceUser],
        limiter: RateLimiter,
        faults: FaultPlan,
        scripted: ScriptedAnswers,
        clock: Callable[[], float],
        envelope: Envelope = "items",
        all_lists_shape: AllListsShape = "object",
        cache_min_employees: int = 1000,
    ) -> None:
        self.company = company
        self.users = users
        self.limiter = limiter
        self.faults = faults
        self.scripted = scripted
        self.clock = clock
        self.envelope: Envelope = envelope
        self.all_lists_shape: AllListsShape = all_lists_shape
        self.cache_min_employees = cache_min_employees
        self.cache = AnswerCache()
        self._users_lock = threading.Lock()

    def add_user(self, user: ServiceUser) -> None:
        with self._users_lock:
            self.users[user.id] = user

    def handle(self, request: ApiRequest) -> Handled:
        handled = Handled(Response(0))
        fault = self.faults.take(request.method, request.path)
        if fault is None:
            handled.response = self._serve(request, handled)
            return handled
        handled.fault = fault.kind

        def current_headers() -> Headers:
            return self.limiter.peek(self._rate_key(request), self._endpoint(request))

        handled.response = fault_response(fault, current_headers, lambda: self._serve(request, handled), self.clock)
        return handled

    # -- pipeline -----------------------------------------------------------------

    def _serve(self, request: ApiRequest, handled: Handled) -> Response:
        if request.path != "/v1" and not request.path.startswith("/v1/"):
            return html_response(200)
        user = self._authenticate(request)
        endpoint = self._endpoint(request)
        if user is None:
            decision = self.limiter.hit(self._rate_key(request), endpoint)
            return empty_response(401, decision.headers)
        handled.service_user_id = user.id
        decision = self.limiter.hit(user.id, endpoint)
        if not decision.allowed:
            return error_response(429, "rate.limit", "Too many requests: rate limit exceeded.", decision.headers)
        return self._dispatch(request, user, decision.headers)

    def _dispatch(self, request: ApiRequest, user: ServiceUser, rate_headers: Headers) -> Response:
        scripted = self.scripted.answer(request)
        if scripted is not None:
            return scripted.response(rate_headers)
        route = self._route(request.path)
        if route is None:
            return error_response(404, "not.found", f"No API at {request.path}.", rate_headers)
        if request.method != route.split(" ", 1)[0]:
            return error_response(405, "method.not.allowed", f"{request.method} is not allowed here.", rate_headers)
        handler = {
            SEARCH: self._search,
            FIELDS_METADATA: self._fields,
            ALL_LISTS: self._all_lists,
            ONE_LIST: self._one_list,
        }[route]
        try:
            return handler(request, user, rate_headers)
        except BadRequest as exc:
            return error_response(400, exc.key, exc.error, rate_headers)

    def _authenticate(self, request: ApiRequest) -> ServiceUser | None:
        credentials = basic_credentials(request.headers.get("authorization"))
        if credentials is None:
            return None
        with self._users_lock:
            user = self.users.get(credentials[0])
        if user is None or not hmac.compare_digest(user.token.encode(), credentials[1].encode()):
            return None
        return user

    @staticmethod
    def _rate_key(request: ApiRequest) -> str:
        credentials = basic_credentials(request.headers.get("authorization"))
        return credentials[0] if credentials else ""

    def _endpoint(self, request: ApiRequest) -> str:
        route = self._route(request.path)
        return route if route else f"{request.method} {request.path}"

    @staticmethod
    def _route(path: str) -> str | None:
        if path in _ROUTES:
            return _ROUTES[path]
        if path.startswith(_LIST_PREFIX) and "/" not in path[len(_LIST_PREFIX) :] and len(path) > len(_LIST_PREFIX):
            return ONE_LIST
        return None

    # -- endpoints ----------------------------------------------------------------

    def _fields(self, _request: ApiRequest, _user: ServiceUser, rate_headers: Headers) -> Response:
        """Field metadata needs valid credentials but no category permission."""
        return json_response(200, [spec.metadata() for spec in FIELDS], rate_headers)

    def _all_lists(self, request: ApiRequest, _user: ServiceUser, rate_headers: Headers) -> Response:
        body = all_lists(self.company, _include_archived(request), self.envelope, self.all_lists_shape)
        return json_response(200, body, rate_headers)

    def _one_list(self, request: ApiRequest, _user: ServiceUser, rate_headers: Headers) -> Response:
        name = unquote(request.path[len(_LIST_PREFIX) :])
        items = list_items(self.company, name, _include_archived(request))
        if items is None:
            return error_response(404, "named.list.not.found", f"Named list {name!r} not found.", rate_headers)
        return json_response(200, wrap(name, items, self.envelope), rate_headers)

    def _search(self, request: ApiRequest, user: ServiceUser, rate_headers: Headers) -> Response:
        query = parse_search(request.body)
        plan = plan_fields(query.fields, user.categories)
        company = self.company
        headers = [("Content-Type", JSON_TYPE), *rate_headers]
        active_only = not (query.show_inactive and user.sees_inactive)
        cacheable = query.filter_path is None and not user.scoped and len(company.employees) >= self.cache_min_employees
        if not cacheable:
            hidden = user.hidden_categories if user.category_audience else None
            pieces = encode_people(
                select_people(company, query, user), plan, CompanyIndex(company), query.human_readable, hidden
            )
            data = b"".join(pieces)
            return Response(200, headers, (data,), len(data))
        key = (company.fingerprint(), tuple(spec.id for spec in plan), active_only, query.human_readable)
        cached = self.cache.get(key)
        if cached is not None:
            return Response(200, headers, cached[0], cached[1])
        people = select_people(company, query, user)
        stream = encode_people(people, plan, CompanyIndex(company), query.human_readable)
        return Response(200, headers, self._filling(key, stream), None)

    def _filling(self, key: tuple[object, ...], stream: Iterator[bytes]) -> Iterator[bytes]:
        """Pass pieces through while keeping them; cache them once the answer is whole."""
        kept: list[bytes] = []
        for piece in stream:
            kept.append(piece)
            yield piece
        self.cache.put(key, kept)


def _include_archived(request: ApiRequest) -> bool:
    """``includeArchived`` is false unless it says ``true``."""
    return request.query.get("includeArchived", "false").strip().lower() == "true"
