"""People-search records and department items in HiBob's shapes, for unit tests."""

from __future__ import annotations

from typing import Any

from plugins.hibob.simulator import Scripted


def record(
    employee_id: str | int = "3332883911884669725",
    *,
    department: Any = "209192163",
    lifecycle: Any = "employed",
    status: str | None = "Active",
    **root: Any,
) -> dict[str, Any]:
    """A machine-format record with both forms, the way HiBob sends it with APPEND."""
    data: dict[str, Any] = {
        "id": employee_id,
        "email": "amy.miles@example.com",
        "firstName": "Amy",
        "surname": "Miles",
        "displayName": "Amy Miles",
        "fullName": "Amy Miles",
        "companyId": 601234,
        "work": {
            "department": department,
            "title": "255490048",
            "site": "New York",
            "siteId": 2510068,
            "manager": "3332883909410030364",
            "reportsTo": {
                "id": "3332883909410030364",
                "firstName": "Zoe",
                "surname": "Clark",
                "email": "zoe.clark@example.com",
                "displayName": "Zoe Clark",
            },
            "isManager": False,
            "startDate": "2015-03-20",
            "employeeIdInCompany": 39,
        },
        "internal": {"lifecycleStatus": lifecycle, "status": status, "terminationDate": None},
        "/root/id": {"value": str(employee_id)},
        "/work/department": {"value": department},
        "/internal/lifecycleStatus": {"value": lifecycle},
        "humanReadable": {"id": str(employee_id), "work": {"department": "Product", "title": "Designer"}},
    }
    data.update(root)
    return data


def item(item_id: str | int, name: str, *children: dict[str, Any], archived: bool = False) -> dict[str, Any]:
    return {"id": item_id, "value": name, "name": name, "archived": archived, "children": list(children)}


def people(*records: dict[str, Any]) -> Scripted:
    """A people-search answer holding exactly these records."""
    return Scripted(json={"employees": list(records)})
