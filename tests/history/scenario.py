"""The changes every history test applies between two syncs, and the diff they must produce.

Shared by the in-process diff tests and the CLI tests, so both assert the same
expected diff rather than two copies drifting apart.
"""

from __future__ import annotations

from typing import Any

from tests.toy import Department, Person, Toy


def apply_changes(hr: Toy) -> None:
    """One of each: joiner, two leavers, department move, manager change, lifecycle
    and title change, person rename with a new email, department created, removed,
    renamed and moved to another parent, and a trait-less resource renamed and added."""
    hr.departments["d5"] = Department("Research", parent="d1")
    hr.people["107"] = Person("Grace Hopper", "grace@example.com", "d5", "101", start_date="2024-03-01")
    hr.people["104"].lifecycle, hr.people["104"].termination_date = "terminated", "2024-02-29"
    del hr.people["102"]
    hr.people["101"].department = "d1"
    hr.people["106"].manager = "101"
    hr.people["103"].lifecycle, hr.people["103"].title = "garden leave", "Head of Sales"
    hr.people["108"].name, hr.people["108"].email = "Hana Ito", "hana.ito@example.com"
    hr.departments["d3"].name = "Sales & Partnerships"
    hr.departments["d4"].parent = "d3"
    del hr.departments["d2"]
    hr.sites["s1"], hr.sites["s2"] = "London HQ", "Paris"


def _old_new(old: Any, new: Any) -> dict[str, Any]:
    return {"old": old, "new": new}


def _dept(key: str, name: str) -> dict[str, str]:
    return {"resource_type": "department", "id": key, "display_name": name}


def _mover(key: str, name: str, email: str, **fields: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "resource_type": "user",
        "id": key,
        "display_name": name,
        "email": email,
        "kinds": [],
        "department": None,
        "manager": None,
        "title": None,
        "lifecycle_status": None,
        "parent": None,
        "changes": {},
        "memberships": {"added": [], "removed": []},
    }
    entry.update(fields)
    return entry


SALES_RENAMED = {"profile.department": _old_new("Sales", "Sales & Partnerships")}

EXPECTED_USERS = {
    "joiners": [
        {
            "resource_type": "user",
            "id": "107",
            "display_name": "Grace Hopper",
            "email": "grace@example.com",
            "reason": "new",
            "date": "2024-03-01",
        }
    ],
    "leavers": [
        {
            "resource_type": "user",
            "id": "102",
            "display_name": "Cleo Ramos",
            "email": "cleo@example.com",
            "reason": "removed",
            "date": None,
        },
        {
            "resource_type": "user",
            "id": "104",
            "display_name": "Émile Zola",
            "email": "emile@example.com",
            "reason": "disabled",
            "date": "2024-02-29",
        },
    ],
    "movers": [
        _mover(
            "101",
            "Brian Kernighan",
            "brian@example.com",
            kinds=["department"],
            department=_old_new([_dept("d2", "Platform")], [_dept("d1", "Engineering")]),
            changes={
                "profile.department": _old_new("Platform", "Engineering"),
                "profile.department_id": _old_new("d2", "d1"),
            },
            memberships={
                "added": [{"entitlement_id": "department:d1:member", **_dept("d1", "Engineering")}],
                "removed": [{"entitlement_id": "department:d2:member", **_dept("d2", "Platform")}],
            },
        ),
        _mover(
            "103",
            "Dana Scully",
            "dana@example.com",
            kinds=["title", "lifecycle_status"],
            title=_old_new("Account Executive", "Head of Sales"),
            lifecycle_status=_old_new("employed", "garden leave"),
            changes={
                **SALES_RENAMED,
                "profile.lifecycle_status": _old_new("employed", "garden leave"),
                "profile.title": _old_new("Account Executive", "Head of Sales"),
            },
        ),
        _mover(
            "106",
            "Gus Lee",
            "gus@example.com",
            kinds=["manager"],
            manager=_old_new(
                {"id": "103", "display_name": "Dana Scully"}, {"id": "101", "display_name": "Brian Kernighan"}
            ),
            changes={
                "user.manager": _old_new(
                    {"resource_type": "user", "id": "103"}, {"resource_type": "user", "id": "101"}
                ),
                "profile.manager_display_name": _old_new("Dana Scully", "Brian Kernighan"),
                "profile.manager_email": _old_new("dana@example.com", "brian@example.com"),
                "profile.manager_id": _old_new("103", "101"),
            },
        ),
    ],
    "updated": [
        _mover(
            "108",
            "Hana Ito",
            "hana.ito@example.com",
            changes={
                "display_name": _old_new("Hana Sato", "Hana Ito"),
                "emails": _old_new(
                    [{"address": "hana@example.com", "primary": True}],
                    [{"address": "hana.ito@example.com", "primary": True}],
                ),
                **SALES_RENAMED,
                "profile.email": _old_new("hana@example.com", "hana.ito@example.com"),
            },
        )
    ],
    "status_unknown": [],
}


EXPECTED_GROUPS = {
    "created": [
        {
            "resource_type": "department",
            "id": "d5",
            "display_name": "Research",
            "parent": {"resource_type": "department", "id": "d1"},
        }
    ],
    "removed": [
        {
            "resource_type": "department",
            "id": "d2",
            "display_name": "Platform",
            "parent": {"resource_type": "department", "id": "d1"},
        }
    ],
    "renamed": [{"resource_type": "department", "id": "d3", "old": "Sales", "new": "Sales & Partnerships"}],
    "moved": [
        {
            "resource_type": "department",
            "id": "d4",
            "display_name": "Support",
            "old": None,
            "new": _dept("d3", "Sales & Partnerships"),
        }
    ],
}

EXPECTED_GRANTS = {
    "added": ["department:d1:member:user:101", "department:d5:member:user:107"],
    "removed": ["department:d2:member:user:101", "department:d2:member:user:102"],
}

EXPECTED_RESOURCES = {
    "added": ["department:d5", "site:s2", "user:107"],
    "removed": ["department:d2", "user:102"],
    "changed": {
        "department:d3": ["display_name"],
        "department:d4": ["parent"],
        "site:s1": ["display_name"],
        "user:101": ["profile.department", "profile.department_id"],
        "user:103": ["profile.department", "profile.lifecycle_status", "profile.title"],
        "user:104": [
            "status",
            "user.end_date",
            "profile.department",
            "profile.lifecycle_status",
            "profile.termination_date",
        ],
        "user:106": ["user.manager", "profile.manager_display_name", "profile.manager_email", "profile.manager_id"],
        "user:108": ["display_name", "emails", "profile.department", "profile.email"],
    },
}

EXPECTED_COUNTS = {
    "users": {"joiners": 1, "leavers": 2, "movers": 3, "updated": 1, "status_unknown": 0},
    "groups": {"created": 1, "removed": 1, "renamed": 1, "moved": 1},
    "resources": {"added": 3, "removed": 2, "changed": 8},
    "grants": {"added": 2, "removed": 2},
}


def assert_expected_diff(result: dict[str, Any], old: int, new: int) -> None:
    """The whole diff: vocabulary sections exactly, generic sections by key and changed field."""
    assert (result["from"]["id"], result["to"]["id"]) == (old, new)
    assert result["traits"] == {"user": ["user"], "group": ["department"]}
    assert result["counts"] == EXPECTED_COUNTS
    assert result["users"] == EXPECTED_USERS
    assert result["groups"] == EXPECTED_GROUPS
    assert {side: [g["id"] for g in grants] for side, grants in result["grants"].items()} == EXPECTED_GRANTS
    resources = result["resources"]
    assert [f"{r['resource_type']}:{r['id']}" for r in resources["added"]] == EXPECTED_RESOURCES["added"]
    assert [f"{r['resource_type']}:{r['id']}" for r in resources["removed"]] == EXPECTED_RESOURCES["removed"]
    changed = {f"{r['resource_type']}:{r['id']}": list(r["changes"]) for r in resources["changed"]}
    assert changed == EXPECTED_RESOURCES["changed"]
