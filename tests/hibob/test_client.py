from __future__ import annotations

import base64
import json

import pytest

from framework.host.context import ConnectorContext
from framework.host.errors import AuthError, PayloadError, UpstreamError
from plugins.hibob import client as client_module
from plugins.hibob.client import HibobClient
from plugins.hibob.config import load_config
from plugins.hibob.schemas import EMPLOYEE_FIELDS, DepartmentItem
from plugins.hibob.simulator import ApiRequest, Scripted, Simulator
from tests.hibob.records import item, people, record

SEARCH = "POST /v1/people/search"
DEPARTMENTS = "GET /v1/company/named-lists/department"
FIELDS = "GET /v1/company/people/fields"


def make_client(ctx: ConnectorContext) -> HibobClient:
    return HibobClient(ctx, load_config(ctx.config))


def test_the_search_asks_for_inactive_people_and_only_the_needed_fields(sim: Simulator, ctx: ConnectorContext) -> None:
    sim.scripted.set(SEARCH, people(record("1"), record("2")))
    ids = [e.id for e in make_client(ctx).employees(EMPLOYEE_FIELDS, human_readable=True)]
    assert ids == ["1", "2"]
    (seen,) = sim.requests
    assert seen.json == {"fields": list(EMPLOYEE_FIELDS), "showInactive": True, "humanReadable": "APPEND"}
    credentials = f"{sim.service_user_id}:{sim.token}".encode()
    assert seen.headers["authorization"] == "Basic " + base64.b64encode(credentials).decode()


def test_a_search_for_some_people_sends_one_root_id_filter(sim: Simulator, ctx: ConnectorContext) -> None:
    sim.scripted.set(SEARCH, people(record("1"), record("2")))
    records = list(make_client(ctx).search_people(["root.email"], employee_ids=("1", "2")))
    assert [r["id"] for r in records] == ["1", "2"]
    assert sim.requests[0].json == {
        "fields": ["root.email"],
        "showInactive": True,
        "filters": [{"fieldPath": "root.id", "operator": "equals", "values": ["1", "2"]}],
    }


def test_employees_stream_batch_by_batch(
    sim: Simulator, ctx: ConnectorContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client_module, "LOAD_BATCH", 2)
    sim.scripted.set(SEARCH, people(record("1"), record("2"), {"id": True}))
    stream = make_client(ctx).employees(EMPLOYEE_FIELDS)
    assert [next(stream).id, next(stream).id] == ["1", "2"]
    with pytest.raises(PayloadError, match=r"employee record 3\)"):
        next(stream)


def test_progress_is_reported_every_few_thousand_and_at_the_end(
    sim: Simulator, ctx: ConnectorContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client_module, "PROGRESS_EVERY", 2)
    reports: list[tuple[str, int, int | None]] = []
    ctx.progress = lambda stage, count, total=None: reports.append((stage, count, total))
    sim.scripted.set(SEARCH, people(*(record(str(n)) for n in range(5))))
    assert len(list(make_client(ctx).employees(EMPLOYEE_FIELDS))) == 5
    assert reports == [("employees", 2, None), ("employees", 4, None), ("employees", 5, None)]  # one search: no total


def test_batching_lists_ids_then_searches_each_batch_counting_progress_across_them(
    sim: Simulator, ctx: ConnectorContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client_module, "PROGRESS_EVERY", 2)
    reports: list[tuple[str, int, int | None]] = []
    ctx.progress = lambda stage, count, total=None: reports.append((stage, count, total))
    everyone = [record(str(n)) for n in range(5)]

    def answer(request: ApiRequest) -> Scripted:
        asked = json.loads(request.body)
        if "filters" not in asked:
            return people(*({"id": r["id"]} for r in everyone))
        wanted = asked["filters"][0]["values"]
        return people(*(r for r in everyone if r["id"] in wanted))

    sim.scripted.set(SEARCH, answer)
    client = HibobClient(ctx, load_config({**ctx.config, "hibob-batch-size": "2"}))
    assert [e.id for e in client.employees(EMPLOYEE_FIELDS, human_readable=True)] == ["0", "1", "2", "3", "4"]
    bodies = [seen.json for seen in sim.requests]
    assert bodies[0] == {"fields": ["root.id"], "showInactive": True}
    assert [b["filters"][0]["values"] for b in bodies[1:]] == [["0", "1"], ["2", "3"], ["4"]]
    assert all(b["fields"] == list(EMPLOYEE_FIELDS) and b["humanReadable"] == "APPEND" for b in bodies[1:])
    assert reports == [("employees", 2, 5), ("employees", 4, 5), ("employees", 5, 5)]  # the id listing gave the total


def test_an_id_listing_record_without_an_id_fails_the_batched_listing(sim: Simulator, ctx: ConnectorContext) -> None:
    sim.scripted.set(SEARCH, people({"id": "1"}, {"email": "no-id@example.com"}))
    client = HibobClient(ctx, load_config({**ctx.config, "hibob-batch-size": "10"}))
    with pytest.raises(PayloadError, match=r"without root\.id"):
        list(client.employees(EMPLOYEE_FIELDS))


def test_an_empty_company_is_not_an_error(sim: Simulator, ctx: ConnectorContext) -> None:
    sim.scripted.set(SEARCH, Scripted(body=b' {"employees" : [ ] , "total": 0}'))
    assert list(make_client(ctx).employees(EMPLOYEE_FIELDS)) == []


def test_unknown_top_level_keys_around_employees_are_ignored(sim: Simulator, ctx: ConnectorContext) -> None:
    sim.scripted.set(SEARCH, Scripted(json={"meta": {"employees": "x"}, "employees": [record("1")], "after": [1]}))
    assert [e.id for e in make_client(ctx).employees(EMPLOYEE_FIELDS)] == ["1"]


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ({}, "without an 'employees' list"),
        ({"data": {"employees": [record("1")]}}, "without an 'employees' list"),
        ([record("1")], "without an 'employees' list"),
        ({"employees": None}, "as null"),
        ({"employees": {"1": record("1")}}, "as an object"),
        ({"employees": "none"}, "as a string"),
        ({"employees": 3}, "as a number"),
        ({"data": [record(str(n)) for n in range(100)]}, "bytes without any 'employees' record"),
    ],
)
def test_a_missing_or_non_list_employees_is_a_payload_error(
    sim: Simulator, ctx: ConnectorContext, body: object, complaint: str
) -> None:
    sim.scripted.set(SEARCH, Scripted(json=body))
    with pytest.raises(PayloadError, match=complaint):
        list(make_client(ctx).employees(EMPLOYEE_FIELDS))


def test_an_html_answer_is_a_payload_error(sim: Simulator, ctx: ConnectorContext) -> None:
    sim.scripted.set(SEARCH, Scripted(body=b"<html>login</html>", content_type="text/html"))
    with pytest.raises(PayloadError, match="text/html, expected JSON"):
        list(make_client(ctx).employees(EMPLOYEE_FIELDS))


def test_malformed_json_mid_stream_is_a_payload_error(
    sim: Simulator, ctx: ConnectorContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client_module, "LOAD_BATCH", 1)
    broken = b'{"id": "2", "email": "private.person@example.com" "surname": "Doe"}'
    sim.scripted.set(
        SEARCH, Scripted(body=b'{"employees": [' + json.dumps(record("1")).encode() + b", " + broken + b"]}")
    )
    stream = make_client(ctx).employees(EMPLOYEE_FIELDS)
    assert next(stream).id == "1"
    with pytest.raises(PayloadError, match="malformed JSON after 1 employees") as caught:
        next(stream)
    assert "private.person" not in str(caught.value), "the error does not quote the payload"


def test_a_connection_cut_mid_stream_is_an_upstream_error(sim: Simulator, ctx: ConnectorContext) -> None:
    body = json.dumps({"employees": [record(str(n)) for n in range(50)]}).encode()
    sim.scripted.set(SEARCH, Scripted(body=body))
    sim.faults.add(SEARCH, "truncated", premature_close=True)  # the length announced, half the body sent
    with pytest.raises(UpstreamError, match="broke off"):
        list(make_client(ctx).employees(EMPLOYEE_FIELDS))


def test_a_401_is_an_auth_error_sent_once(sim: Simulator, ctx: ConnectorContext) -> None:
    sim.scripted.set(FIELDS, Scripted(status=401, body=b""))
    with pytest.raises(AuthError):
        make_client(ctx).people_fields()
    assert len(sim.requests_to(*FIELDS.split(" "))) == 1


def test_hibob_error_bodies_show_both_error_and_message(sim: Simulator, ctx: ConnectorContext) -> None:
    sim.scripted.set(
        SEARCH, Scripted(status=400, json={"error": "Bad Request", "message": "only one filter", "statusCode": 400})
    )
    with pytest.raises(UpstreamError, match="400: Bad Request: only one filter"):
        list(make_client(ctx).employees(EMPLOYEE_FIELDS))


def test_the_field_list_must_be_a_json_array(sim: Simulator, ctx: ConnectorContext) -> None:
    sim.scripted.set(FIELDS, Scripted(json=[{"id": "root.id"}, {"id": "work.department"}]))
    assert len(make_client(ctx).people_fields()) == 2
    sim.scripted.set(FIELDS, Scripted(json={"fields": []}))
    with pytest.raises(PayloadError, match="expected the field list"):
        make_client(ctx).people_fields()


def test_departments_are_asked_for_with_archived_ones(sim: Simulator, ctx: ConnectorContext) -> None:
    sim.scripted.set(DEPARTMENTS, Scripted(json={"items": [item(1, "Engineering", item(2, "Platform"))]}))
    roots = make_client(ctx).departments()
    assert roots == (DepartmentItem("1", "Engineering", False, (DepartmentItem("2", "Platform", False),)),)
    assert sim.requests[0].query == {"includeArchived": "true"}


def test_a_department_list_without_items_or_values_is_a_payload_error(sim: Simulator, ctx: ConnectorContext) -> None:
    sim.scripted.set(DEPARTMENTS, Scripted(json={"name": "department"}))
    with pytest.raises(PayloadError, match="neither an 'items' nor a 'values' list"):
        make_client(ctx).departments()
