"""The HiBob API calls the connector makes, through the host's HTTP client.

The host's client owns retries, rate-limit waits and request counting; this
module owns what HiBob's endpoints need: the request bodies, the JSON checks
(a wrong path answers 200 with an HTML page), and streaming the people search,
which has no pagination and answers every employee in one response that runs
to hundreds of megabytes for a large company.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from itertools import chain
from typing import Any

import ijson

from framework.host.context import ConnectorContext
from framework.host.errors import PayloadError, UpstreamError
from framework.host.http import json_body, require_json
from framework.host.http.body import MIB, BodyLimits, BrokenAnswer, json_error_reason
from plugins.hibob.config import HibobConfig
from plugins.hibob.schemas import (
    EMPLOYEE_SCHEMA,
    ID_SCHEMA,
    DepartmentItem,
    Employee,
    load_departments,
    load_record,
    load_records,
)
from plugins.hibob.shapes import json_kind

PEOPLE_SEARCH = "/people/search"
PEOPLE_FIELDS = "/company/people/fields"
DEPARTMENT_LIST = "/company/named-lists/department"
SEARCH_ENDPOINT = f"POST {PEOPLE_SEARCH}"
FIELDS_ENDPOINT = f"GET {PEOPLE_FIELDS}"
DEPARTMENTS_ENDPOINT = f"GET {DEPARTMENT_LIST}"
RATE_LIMITS = {SEARCH_ENDPOINT: 50, FIELDS_ENDPOINT: 50}
"""HiBob's documented per-minute limits, per service user."""
BODY_LIMITS = {
    SEARCH_ENDPOINT: BodyLimits(max_bytes=16 * 1024 * MIB),
    DEPARTMENTS_ENDPOINT: BodyLimits(max_depth=100_000),
}
"""The people search answers every employee at once and is streamed, record by record: its
cap bounds time, not memory (about 4 KB an employee with every field, so 16 GiB fits a
million). Department trees nest one level per sub-department (two JSON levels each)."""
PROGRESS_EVERY = 5000
"""Employees between two progress reports."""
LOAD_BATCH = 200
"""Records per ``EmployeeSchema.load(many=True)``: a batch holds parsed records (about 5 KB each)."""


class HibobClient:
    """One service user's session with one HiBob tenant."""

    def __init__(self, ctx: ConnectorContext, config: HibobConfig) -> None:
        self._http = ctx.http_client(config.base_url, auth=config.auth, limits=RATE_LIMITS, body_limits=BODY_LIMITS)
        self._progress = ctx.progress
        self._batch_size = config.batch_size
        self._total: int | None = None
        """Employees the listing will yield, once known (batched listings learn it from the id listing)."""

    def people_fields(self) -> list[Any]:
        """The field metadata list. It needs no permission, which makes it the cheapest
        way to learn whether HiBob accepts the credentials."""
        body = json_body(self._http.request("GET", PEOPLE_FIELDS), FIELDS_ENDPOINT)
        if not isinstance(body, list):
            raise PayloadError(f"{FIELDS_ENDPOINT} answered {json_kind(body)}, expected the field list")
        return body

    def departments(self) -> tuple[DepartmentItem, ...]:
        """The department tree roots, archived departments included: employees may still
        point at an archived department, and it must resolve."""
        response = self._http.request("GET", DEPARTMENT_LIST, params={"includeArchived": "true"})
        return load_departments(json_body(response, DEPARTMENTS_ENDPOINT), DEPARTMENTS_ENDPOINT)

    def employees(
        self,
        fields: Sequence[str],
        *,
        human_readable: bool = False,
        observe: Callable[[Any], None] | None = None,
        only: Sequence[str] = (),
    ) -> Iterator[Employee]:
        """Every employee, current and former, loaded by :class:`EmployeeSchema` in batches of
        ``LOAD_BATCH`` records as the answer streams in.

        With a batch size configured, HiBob's advice for very large companies is
        followed: everyone's ``root.id`` first, then the employees in batches by a
        ``root.id`` filter, paced by the host client under the people-search limit.
        ``observe`` sees each raw record before it is read (what HiBob sent and
        omitted is gone once it is an :class:`Employee`), and may raise. ``only``
        narrows the listing to those employee ids, in one search.
        """
        count = 0
        batch: list[Any] = []
        for record in chain.from_iterable(self._answers(fields, human_readable, only)):
            if observe is not None:
                observe(record)
            batch.append(record)
            count += 1
            if count % PROGRESS_EVERY == 0:
                self._progress("employees", count, self._total)
            if len(batch) == LOAD_BATCH:
                yield from load_records(EMPLOYEE_SCHEMA, batch, SEARCH_ENDPOINT, count - len(batch))
                batch.clear()
        yield from load_records(EMPLOYEE_SCHEMA, batch, SEARCH_ENDPOINT, count - len(batch))
        self._progress("employees", count, self._total)

    def _answers(self, fields: Sequence[str], human_readable: bool, only: Sequence[str]) -> Iterator[Iterator[Any]]:
        """The records of each people search a listing takes: one search (filtered by
        ``only`` when given), or the id listing's batches. Ids are kept (about 70 bytes
        each), records never are."""
        if only or not self._batch_size:
            yield self.search_people(fields, employee_ids=only, human_readable=human_readable)
            return
        listing = self.search_people(ID_SCHEMA.requested_fields)
        ids = [load_record(ID_SCHEMA, record, SEARCH_ENDPOINT)["id"] for record in listing]
        self._total = len(ids)
        for start in range(0, len(ids), self._batch_size):
            batch = ids[start : start + self._batch_size]
            yield self.search_people(fields, employee_ids=batch, human_readable=human_readable)

    def search_people(
        self, fields: Sequence[str], *, employee_ids: Sequence[str] = (), human_readable: bool = False
    ) -> Iterator[Any]:
        """Raw people-search records, streamed: memory stays bounded whatever the company size.

        ``showInactive`` is always sent: without it HiBob hides terminated and
        not-yet-started people. ``employee_ids`` narrows the search to those people.
        """
        body: dict[str, Any] = {"fields": list(fields), "showInactive": True}
        if human_readable:
            body["humanReadable"] = "APPEND"
        if employee_ids:
            body["filters"] = [{"fieldPath": "root.id", "operator": "equals", "values": list(employee_ids)}]
        count = 0
        with self._http.stream("POST", PEOPLE_SEARCH, json_body=body) as (response, answer):
            require_json(response, SEARCH_ENDPOINT)
            stream = _Opening(answer)
            try:
                for record in ijson.items(stream, "employees.item", use_float=True):
                    count += 1
                    yield record
            except ijson.JSONError as exc:
                reason = json_error_reason(exc)
                raise PayloadError(
                    f"{SEARCH_ENDPOINT} answered malformed JSON after {count} employees ({reason})"
                ) from None
            except BrokenAnswer as exc:
                raise UpstreamError(
                    f"{SEARCH_ENDPOINT} after {count} employees: {exc}", endpoint=SEARCH_ENDPOINT
                ) from None
        if count == 0:
            _check_empty_answer(stream)


class _Opening:
    """A read-through view of a response body that keeps its opening bytes.

    ijson's C parser runs at full speed only on a plain stream, and then cannot
    say whether a record-less answer was ``{"employees": []}`` (a company
    without employees) or ``{}`` (a broken answer). Such an answer is small,
    so its opening bytes are the whole of it and can be checked afterwards.
    """

    KEEP = 64 * 1024

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self.opening = bytearray()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data: bytes = self._raw.read(size)
        if len(self.opening) < self.KEEP:
            self.opening += data[: self.KEEP - len(self.opening)]
        self.size += len(data)
        return data


def _check_empty_answer(stream: _Opening) -> None:
    """Fail unless a record-less answer really holds an empty ``employees`` list."""
    if stream.size > len(stream.opening):
        raise PayloadError(f"{SEARCH_ENDPOINT} answered {stream.size} bytes without any 'employees' record")
    body = json.loads(stream.opening)  # ijson has already parsed it: it is valid JSON
    if not isinstance(body, dict) or "employees" not in body:
        raise PayloadError(f"{SEARCH_ENDPOINT} answered without an 'employees' list")
    if not isinstance(body["employees"], list):
        raise PayloadError(f"{SEARCH_ENDPOINT} answered 'employees' as {json_kind(body['employees'])}, expected a list")
