"""Validate a people-search request and choose the people it returns.

HiBob is strict about ``filters`` (one object, ``root.id`` or ``root.email``,
``equals``, non-empty ``values``; anything else is a 400) and lenient about
``humanReadable`` (an invalid value reads as ``""``). Who is returned depends on
``showInactive`` *and* on the service user's audience.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from plugins.hibob.simulator.auth import ServiceUser
from plugins.hibob.simulator.company import Company, Employee
from plugins.hibob.simulator.render import HumanMode

MAX_FIELDS = 400
FILTER_PATHS = ("root.id", "root.email")


class BadRequest(Exception):
    """A request HiBob answers with 400 ``{"key": ..., "error": ...}``."""

    def __init__(self, key: str, error: str) -> None:
        super().__init__(error)
        self.key = key
        self.error = error


@dataclass(frozen=True)
class SearchQuery:
    """A validated people-search body."""

    fields: tuple[str, ...] | None
    show_inactive: bool = False
    human_readable: HumanMode = ""
    filter_path: str | None = None
    filter_values: tuple[str, ...] = ()


def parse_search(body: bytes) -> SearchQuery:
    """Read and validate a people-search body, raising :class:`BadRequest`."""
    try:
        data: Any = json.loads(body.decode("utf-8")) if body.strip() else None
    except (UnicodeDecodeError, ValueError):
        raise BadRequest("request.body.invalid", "The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise BadRequest("request.body.invalid", "The request body must be a JSON object.")
    return SearchQuery(
        fields=_fields(data.get("fields")),
        show_inactive=_show_inactive(data.get("showInactive", False)),
        human_readable=_human_mode(data.get("humanReadable")),
        **_filter(data),
    )


def _fields(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadRequest("fields.invalid", "'fields' must be an array of field ids.")
    if len(value) > MAX_FIELDS:
        raise BadRequest("fields.too.many", f"At most {MAX_FIELDS} fields may be requested, got {len(value)}.")
    return tuple(value) if value else None


def _show_inactive(value: Any) -> bool:
    if not isinstance(value, bool):
        raise BadRequest("showInactive.invalid", "'showInactive' must be true or false.")
    return value


def _human_mode(value: Any) -> HumanMode:
    return cast(HumanMode, value) if value in ("APPEND", "REPLACE") else ""


def _filter(data: dict[str, Any]) -> dict[str, Any]:
    if "filters" not in data or data["filters"] is None:
        return {}
    filters = data["filters"]
    if not isinstance(filters, list) or len(filters) != 1:
        raise BadRequest("filters.invalid", "'filters' must hold exactly one filter object.")
    only = filters[0]
    if not isinstance(only, dict):
        raise BadRequest("filters.invalid", "A filter must be an object.")
    path, operator, values = only.get("fieldPath"), only.get("operator"), only.get("values")
    if path not in FILTER_PATHS:
        raise BadRequest("filters.fieldPath.unsupported", f"Filtering by {path!r} is not supported.")
    if operator != "equals":
        raise BadRequest("filters.operator.unsupported", f"Operator {operator!r} is not supported.")
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        raise BadRequest("filters.values.invalid", "'values' must be a non-empty array of strings.")
    return {"filter_path": path, "filter_values": tuple(values)}


def select_people(company: Company, query: SearchQuery, user: ServiceUser) -> Iterator[Employee]:
    """The people a search returns, in the company's order."""
    active_only = not (query.show_inactive and user.sees_inactive)
    if query.filter_path == "root.id":
        wanted = set(query.filter_values)
    elif query.filter_path == "root.email":
        wanted = {v.lower() for v in query.filter_values}
    audience = user.audience
    for employee in company.employees:
        if active_only and not employee.active:
            continue
        if audience is not None and not audience(employee):
            continue
        if query.filter_path == "root.id" and employee.id not in wanted:
            continue
        if query.filter_path == "root.email" and (employee.email or "").lower() not in wanted:
            continue
        yield employee
