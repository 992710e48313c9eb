"""Named lists and field metadata."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from plugins.hibob.simulator import CUSTOM_FIELD_ID, Company, EdgeCases, ServiceUser, Simulator

REQUIRED_FIELDS = {
    "root.id", "root.email", "root.firstName", "root.surname", "root.displayName", "root.fullName",
    "root.companyId", "about.avatar", "about.hobbies", "payroll.employment.type", "work.department",
    "work.title", "work.site", "work.siteId", "work.manager", "work.reportsTo", "work.isManager",
    "work.startDate", "work.employeeIdInCompany", "internal.lifecycleStatus", "internal.status",
    "internal.terminationDate", CUSTOM_FIELD_ID,
}  # fmt: skip


METADATA_KEYS = {
    "id", "name", "categoryId", "categoryDisplayName", "jsonPath", "type", "typeData", "historical", "description",
}  # fmt: skip


def walk(items: list[dict[str, Any]], depth: int = 0) -> Iterator[tuple[dict[str, Any], int]]:
    for item in items:
        yield item, depth
        yield from walk(item["children"], depth + 1)


def get_list(http: requests.Session, sim: Simulator, name: str, **params: str) -> requests.Response:
    return http.get(f"{sim.base_url}/company/named-lists/{name}", params=params, timeout=10)


def test_department_list_nests_to_any_depth_with_all_id_shapes(
    http: requests.Session, sim: Simulator, demo: Company, edges: EdgeCases
) -> None:
    body = get_list(http, sim, "department", includeArchived="true").json()
    assert body["name"] == "department"
    items = list(walk(body["items"]))
    assert max(depth for _, depth in items) == edges.max_department_depth >= 3
    served = {str(item["id"]): item for item, _ in items}
    assert len(served) == len(demo.all_departments())
    for dept in demo.all_departments():
        item = served[str(dept.id)]
        assert item["id"] == dept.id and type(item["id"]) is type(dept.id)  # ints stay numbers, strings stay strings
        assert item["name"] == item["value"] == dept.name
        assert item["archived"] is dept.archived
        assert [c["id"] for c in item["children"]] == [c.id for c in dept.department.children]
    assert {item["id"] for item, _ in items if item["name"] == "Platform"} == set(
        edges.duplicate_department_names["Platform"]
    )


def test_archived_departments_and_their_subtrees_are_hidden_by_default(
    http: requests.Session, sim: Simulator, edges: EdgeCases
) -> None:
    default = {str(i["id"]) for i, _ in walk(get_list(http, sim, "department").json()["items"])}
    explicit = {
        str(i["id"]) for i, _ in walk(get_list(http, sim, "department", includeArchived="false").json()["items"])
    }
    everything = {
        str(i["id"]) for i, _ in walk(get_list(http, sim, "department", includeArchived="true").json()["items"])
    }
    assert default == explicit
    hidden = {str(d) for d in edges.hidden_departments}
    assert default == everything - hidden
    assert hidden and hidden <= everything
    assert set(edges.hidden_departments) - set(edges.archived_departments)  # a live child of an archived parent


@pytest.mark.parametrize(
    ("envelope", "keys"), [("items", {"items"}), ("values", {"values"}), ("both", {"items", "values"})]
)
def test_envelope_option(demo: Company, envelope: str, keys: set[str]) -> None:
    with Simulator(demo, envelope=envelope) as sim:  # type: ignore[arg-type]
        body = requests.get(f"{sim.base_url}/company/named-lists/department", auth=sim.auth, timeout=10).json()
    assert set(body) == {"name"} | keys
    arrays = [body[key] for key in keys]
    assert all(array == arrays[0] and array for array in arrays)


def test_envelope_can_change_while_serving(http: requests.Session, sim: Simulator) -> None:
    sim.envelope = "values"
    assert "values" in get_list(http, sim, "department").json()


@pytest.mark.parametrize("name", ["Department", "DEPARTMENT", "departments", "nope", "department%2Fx"])
def test_unknown_or_miscased_lists_are_404_json(http: requests.Session, sim: Simulator, name: str) -> None:
    response = get_list(http, sim, name)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json()["key"] and response.json()["error"]


def test_title_and_site_lists(http: requests.Session, sim: Simulator, demo: Company) -> None:
    titles = get_list(http, sim, "title").json()["items"]
    assert [(t["id"], t["name"]) for t in titles] == list(demo.titles)
    assert all(t["children"] == [] and t["archived"] is False for t in titles)
    sites = get_list(http, sim, "site").json()["items"]
    assert [(s["id"], s["name"]) for s in sites] == list(demo.sites)


def test_all_named_lists_keyed_by_name(http: requests.Session, sim: Simulator) -> None:
    body = http.get(f"{sim.base_url}/company/named-lists", timeout=10).json()
    assert isinstance(body, dict)
    assert {"department", "title", "site"} <= set(body)
    assert body["department"]["items"] == get_list(http, sim, "department").json()["items"]
    with_archived = http.get(f"{sim.base_url}/company/named-lists", params={"includeArchived": "true"}, timeout=10)
    assert len(list(walk(with_archived.json()["department"]["items"]))) > len(list(walk(body["department"]["items"])))


def test_all_named_lists_as_an_array(demo: Company) -> None:
    with Simulator(demo, all_lists_shape="array", rate_limit_per_minute=None) as sim:
        body = requests.get(f"{sim.base_url}/company/named-lists", auth=sim.auth, timeout=10).json()
    assert isinstance(body, list)
    assert "department" in {entry["name"] for entry in body}


def test_field_metadata_is_a_bare_array_describing_every_field(http: requests.Session, sim: Simulator) -> None:
    response = http.get(f"{sim.base_url}/company/people/fields", timeout=10)
    assert response.status_code == 200
    fields = response.json()
    assert isinstance(fields, list)
    by_id = {f["id"]: f for f in fields}
    assert set(by_id) >= REQUIRED_FIELDS
    for field in fields:
        assert set(field) == METADATA_KEYS
        assert isinstance(field["typeData"], dict) and isinstance(field["historical"], bool)
    department = by_id["work.department"]
    assert (department["type"], department["typeData"], department["categoryId"]) == (
        "list",
        {"listId": "department"},
        "work",
    )
    assert by_id["internal.status"]["categoryId"] == "lifecycle"
    assert by_id["payroll.employment.type"]["categoryId"] == "employment"
    assert by_id["root.id"]["categoryId"] == "root"


def test_field_metadata_needs_credentials_but_no_category(sim: Simulator) -> None:
    sim.add_service_user(ServiceUser(id="SERVICE-BARE", token="t", categories=frozenset()))
    assert (
        requests.get(f"{sim.base_url}/company/people/fields", auth=("SERVICE-BARE", "t"), timeout=10).status_code == 200
    )
    assert requests.get(f"{sim.base_url}/company/people/fields", timeout=10).status_code == 401
