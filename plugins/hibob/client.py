"""The HiBob API calls the connector makes, through the host's HTTP client.

The host's client owns retries, rate-limit waits and request counting; this
module owns what HiBob's endpoints need: the request bodies, the JSON checks
(a wrong path answers 200 with an HTML page), and streaming the people search,
which has no pagination and answers every employee in one response that runs
to hundreds of megabytes for a large company.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import ijson
import requests
import urllib3

from framework.context import ConnectorContext
from framework.errors import PayloadError, UpstreamError
from framework.http import Quirks, json_body, require_json
from plugins.hibob.config import HibobConfig
from plugins.hibob.schemas import DepartmentItem, Employee, load_departments, load_employee

PEOPLE_SEARCH = "/people/search"
PEOPLE_FIELDS = "/company/people/fields"
DEPARTMENT_LIST = "/company/named-lists/department"
SEARCH_ENDPOINT = f"POST {PEOPLE_SEARCH}"
FIELDS_ENDPOINT = f"GET {PEOPLE_FIELDS}"
DEPARTMENTS_ENDPOINT = f"GET {DEPARTMENT_LIST}"
RATE_LIMITS = {SEARCH_ENDPOINT: 50, FIELDS_ENDPOINT: 50}
"""HiBob's documented per-minute limits, per service user."""
PROGRESS_EVERY = 5000
"""Employees between two progress reports."""

Event = tuple[str, str, Any]
"""An ijson parse event: prefix, event name, value."""
_JSON_KINDS = {
    "start_map": "an object",
    "null": "null",
    "boolean": "a boolean",
    "integer": "a number",
    "double": "a number",
    "number": "a number",
    "string": "a string",
}


class HibobQuirks(Quirks):
    """HiBob's error bodies come as ``{"key", "error"}`` or as ``{"error", "message",
    "statusCode", "timestamp"}``, where ``error`` may be only the reason phrase
    and the detail is in ``message``: show both."""

    def error_message(self, response: requests.Response) -> str:
        try:
            body = response.json()
        except ValueError:
            return ""
        if not isinstance(body, dict):
            return ""
        parts: list[str] = []
        for key in ("error", "message"):
            value = body.get(key)
            if isinstance(value, str) and value and value not in parts:
                parts.append(value)
        return ": ".join(parts)[:200]


class HibobClient:
    """One service user's session with one HiBob tenant."""

    def __init__(self, ctx: ConnectorContext, config: HibobConfig) -> None:
        self._http = ctx.http_client(config.base_url, auth=config.auth, limits=RATE_LIMITS, quirks=HibobQuirks())
        self._progress = ctx.progress

    def close(self) -> None:
        self._http.close()

    def people_fields(self) -> list[Any]:
        """The field metadata list. It needs no permission, which makes it the cheapest
        way to learn whether HiBob accepts the credentials."""
        body = json_body(self._http.request("GET", PEOPLE_FIELDS), FIELDS_ENDPOINT)
        if not isinstance(body, list):
            raise PayloadError(f"{FIELDS_ENDPOINT} answered a JSON {type(body).__name__}, expected the field list")
        return body

    def departments(self) -> tuple[DepartmentItem, ...]:
        """The department tree roots, archived departments included: employees may still
        point at an archived department, and it must resolve."""
        response = self._http.request("GET", DEPARTMENT_LIST, params={"includeArchived": "true"})
        return load_departments(json_body(response, DEPARTMENTS_ENDPOINT), DEPARTMENTS_ENDPOINT)

    def employees(self, fields: Sequence[str], *, human_readable: bool = False) -> Iterator[Employee]:
        """Every employee, current and former, read one record at a time."""
        for record in self.search_people(fields, human_readable=human_readable):
            yield load_employee(record, SEARCH_ENDPOINT)

    def search_people(
        self, fields: Sequence[str], *, employee_id: str | None = None, human_readable: bool = False
    ) -> Iterator[Any]:
        """Raw people-search records, streamed: memory stays bounded whatever the company size.

        ``showInactive`` is always sent: without it HiBob hides terminated and
        not-yet-started people. ``employee_id`` narrows the search to one person.
        """
        body: dict[str, Any] = {"fields": list(fields), "showInactive": True}
        if human_readable:
            body["humanReadable"] = "APPEND"
        if employee_id is not None:
            body["filters"] = [{"fieldPath": "root.id", "operator": "equals", "values": [employee_id]}]
        response = self._http.request("POST", PEOPLE_SEARCH, json_body=body, stream=True)
        count = 0
        with response:
            require_json(response, SEARCH_ENDPOINT)
            response.raw.decode_content = True
            try:
                events = _employees_array(ijson.parse(response.raw, use_float=True))
                for record in ijson.items(events, "employees.item"):
                    count += 1
                    if count % PROGRESS_EVERY == 0:
                        self._progress("employees", count)
                    yield record
            except ijson.JSONError as exc:
                raise PayloadError(
                    f"{SEARCH_ENDPOINT} answered malformed JSON after {count} employees ({exc})"
                ) from None
            except (urllib3.exceptions.HTTPError, requests.RequestException, OSError) as exc:
                raise UpstreamError(
                    f"{SEARCH_ENDPOINT}: the answer broke off after {count} employees ({type(exc).__name__})",
                    endpoint=SEARCH_ENDPOINT,
                ) from None
        self._progress("employees", count)


def _employees_array(events: Iterator[Event]) -> Iterator[Event]:
    """Pass parse events through, failing unless the top level holds an ``employees`` array.

    ``ijson.items`` alone would yield nothing for ``{}`` or ``{"employees": null}``,
    which would read as a company without employees.
    """
    for event in events:
        yield event
        prefix, name, value = event
        if prefix == "" and name == "map_key" and value == "employees":
            opening = next(events, None)
            if opening is None or opening[1] != "start_array":
                found = "nothing" if opening is None else _JSON_KINDS.get(opening[1], opening[1])
                raise PayloadError(f"{SEARCH_ENDPOINT} answered 'employees' as {found}, expected a list")
            yield opening
            yield from events
            return
    raise PayloadError(f"{SEARCH_ENDPOINT} answered without an 'employees' list")
