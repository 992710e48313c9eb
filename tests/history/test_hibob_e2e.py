"""End to end: ``python -m framework sync hibob`` against the HiBob simulator, twice,
with HR changes in between, then ``python -m framework diff --output json``.

Runs the real CLI in subprocesses with the documented BATON_HIBOB_* variables,
so this covers the HiBob plugin's mapping, the host's sync and retention, and the
diff as a user meets them. A failed sync (an HTML answer where JSON belongs)
sits between the two good ones and must not show up in the diff.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from plugins.hibob.simulator import Company, Department, Employee, Simulator
from plugins.hibob.simulator.company import INACTIVE
from tests.cli import Cli, python_env

REPO = Path(__file__).resolve().parents[2]


def _company() -> Company:
    """Three departments (one with a sub-department), six people with a manager chain."""
    people = [
        ("3001", "Ada", "Lovelace", "10", "t1", None, "2015-01-05"),
        ("3002", "Brian", "Kernighan", "11", "t2", "3001", "2016-02-01"),
        ("3003", "Cleo", "Ramos", "11", "t2", "3001", "2017-03-01"),
        ("3004", "Dana", "Scully", "20", "t3", "3001", "2018-04-02"),
        ("3005", "Émile", "Zola", "20", "t3", "3004", "2019-05-06"),
        ("3006", "Gus", "Lee", "30", "t4", "3004", "2020-06-01"),
    ]
    return Company(
        departments=[
            Department(10, "Engineering", children=[Department(11, "Platform")]),
            Department(20, "Sales"),
            Department(30, "Support"),
        ],
        employees=[
            Employee(
                key,
                f"{first.lower()}@example.com".replace("é", "e"),
                first,
                last,
                department=dept,
                title=title,
                manager_id=manager,
                start_date=start,
            )
            for key, first, last, dept, title, manager, start in people
        ],
        titles=[("t1", "CTO"), ("t2", "Engineer"), ("t3", "Account Executive"), ("t4", "Support Engineer")],
    )


def _change(company: Company) -> None:
    """Joiner, leaver, department move, manager change, lifecycle change, a person
    renamed with a new email, a department renamed, a department moved under another."""
    company.employees.append(
        Employee(
            "3007",
            "grace@example.com",
            "Grace",
            "Hopper",
            department="11",
            title="t2",
            manager_id="3002",
            start_date="2024-03-01",
        )
    )
    people = {employee.id: employee for employee in company.employees}
    people["3005"].lifecycle_status, people["3005"].status = "terminated", INACTIVE
    people["3005"].termination_date = "2024-02-29"
    people["3003"].department = "10"
    people["3006"].manager_id = "3002"
    people["3001"].lifecycle_status = "garden leave"
    brian = people["3002"]
    brian.surname, brian.display_name, brian.email = (
        "Kernighan-Ritchie",
        "Brian Kernighan-Ritchie",
        "brian.kr@example.com",
    )
    _, sales, support = company.departments
    sales.name = "Revenue"
    company.departments.remove(support)
    sales.children.append(support)


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(_company()) as simulator:
        yield simulator


@pytest.fixture
def cli(sim: Simulator) -> Cli:
    env = python_env() | {
        "BATON_HIBOB_BASE_URL": sim.base_url,
        "BATON_HIBOB_SERVICE_USER_ID": sim.service_user_id,
        "BATON_HIBOB_SERVICE_USER_TOKEN": sim.token,
        "BATON_HTTP_MAX_RETRIES": "0",
    }
    return Cli(env, REPO)


def _old_new(old: Any, new: Any) -> dict[str, Any]:
    return {"old": old, "new": new}


def _dept(key: str, name: str) -> dict[str, str]:
    return {"resource_type": "department", "id": key, "display_name": name}


def _user(key: str, name: str, email: str, **fields: Any) -> dict[str, Any]:
    return {
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
    } | fields


EXPECTED_USERS = {
    "joiners": [
        {
            "resource_type": "user",
            "id": "3007",
            "display_name": "Grace Hopper",
            "email": "grace@example.com",
            "reason": "new",
            "date": "2024-03-01",
        },
    ],
    "leavers": [
        {
            "resource_type": "user",
            "id": "3005",
            "display_name": "Émile Zola",
            "email": "emile@example.com",
            "reason": "disabled",
            "date": "2024-02-29",
        },
    ],
    "movers": [
        _user(
            "3001",
            "Ada Lovelace",
            "ada@example.com",
            kinds=["lifecycle_status"],
            lifecycle_status=_old_new("employed", "garden leave"),
            changes={"profile.lifecycle_status": _old_new("employed", "garden leave")},
        ),
        _user(
            "3003",
            "Cleo Ramos",
            "cleo@example.com",
            kinds=["department"],
            department=_old_new([_dept("11", "Platform")], [_dept("10", "Engineering")]),
            changes={
                "profile.department": _old_new("Platform", "Engineering"),
                "profile.department_id": _old_new("11", "10"),
            },
            memberships={
                "added": [{"entitlement_id": "department:10:member", **_dept("10", "Engineering")}],
                "removed": [{"entitlement_id": "department:11:member", **_dept("11", "Platform")}],
            },
        ),
        _user(
            "3006",
            "Gus Lee",
            "gus@example.com",
            kinds=["manager"],
            manager=_old_new(
                {"id": "3004", "display_name": "Dana Scully"}, {"id": "3002", "display_name": "Brian Kernighan-Ritchie"}
            ),
            changes={
                "user.manager": _old_new(
                    {"resource_type": "user", "id": "3004"}, {"resource_type": "user", "id": "3002"}
                ),
                "profile.manager_display_name": _old_new("Dana Scully", "Brian Kernighan-Ritchie"),
                "profile.manager_email": _old_new("dana@example.com", "brian.kr@example.com"),
                "profile.manager_id": _old_new("3004", "3002"),
            },
        ),
    ],
    "updated": [
        _user(
            "3002",
            "Brian Kernighan-Ritchie",
            "brian.kr@example.com",
            changes={
                "display_name": _old_new("Brian Kernighan", "Brian Kernighan-Ritchie"),
                "emails": _old_new(
                    [{"address": "brian@example.com", "primary": True}],
                    [{"address": "brian.kr@example.com", "primary": True}],
                ),
                "profile.email": _old_new("brian@example.com", "brian.kr@example.com"),
                "profile.last_name": _old_new("Kernighan", "Kernighan-Ritchie"),
            },
        ),
        _user("3004", "Dana Scully", "dana@example.com", changes={"profile.department": _old_new("Sales", "Revenue")}),
    ],
    "status_unknown": [],
}
EXPECTED_GROUPS = {
    "created": [],
    "removed": [],
    "renamed": [{"resource_type": "department", "id": "20", "old": "Sales", "new": "Revenue"}],
    "moved": [
        {
            "resource_type": "department",
            "id": "30",
            "display_name": "Support",
            "old": None,
            "new": _dept("20", "Revenue"),
        }
    ],
}
EXPECTED_CHANGED = {
    "department:20": ["display_name", "profile.name"],
    "department:30": ["parent"],
    "user:3001": ["profile.lifecycle_status"],
    "user:3002": ["display_name", "emails", "profile.email", "profile.last_name"],
    "user:3003": ["profile.department", "profile.department_id"],
    "user:3004": ["profile.department"],
    "user:3005": [
        "status",
        "user.end_date",
        "profile.department",
        "profile.employment_status",
        "profile.lifecycle_status",
        "profile.termination_date",
    ],
    "user:3006": ["user.manager", "profile.manager_display_name", "profile.manager_email", "profile.manager_id"],
}


def test_two_hibob_syncs_with_a_failed_one_between_give_exactly_the_expected_diff(
    sim: Simulator, cli: Cli, tmp_path: Path
) -> None:
    path = str(tmp_path / "hibob.db")
    first = cli("sync", "hibob", "--file", path, "--quiet")
    assert first.code == 0, first.stderr
    _change(sim.company)
    sim.faults.add("GET /v1/company/named-lists/department", "html")
    failed = cli("sync", "hibob", "--file", path, "--quiet")
    assert failed.code == 5, failed.stderr
    third = cli("sync", "hibob", "--file", path, "--quiet")
    assert third.code == 0, third.stderr

    syncs = json.loads(cli("syncs", "--file", path, "--output", "json").stdout)
    assert [(s["id"], s["status"]) for s in syncs] == [(1, "complete"), (2, "failed"), (3, "complete")]

    done = cli("diff", "--file", path, "--output", "json")
    assert done.code == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["from"]["id"], result["to"]["id"]) == (1, 3)
    assert result["counts"] == {
        "users": {"joiners": 1, "leavers": 1, "movers": 3, "updated": 2, "status_unknown": 0},
        "groups": {"created": 0, "removed": 0, "renamed": 1, "moved": 1},
        "resources": {"added": 1, "removed": 0, "changed": 8},
        "grants": {"added": 2, "removed": 1},
    }
    assert result["users"] == EXPECTED_USERS
    assert result["groups"] == EXPECTED_GROUPS
    assert {side: [g["id"] for g in grants] for side, grants in result["grants"].items()} == {
        "added": ["department:10:member:user:3003", "department:11:member:user:3007"],
        "removed": ["department:11:member:user:3003"],
    }
    assert [(r["resource_type"], r["id"]) for r in result["resources"]["added"]] == [("user", "3007")]
    assert result["resources"]["removed"] == []
    assert {f"{r['resource_type']}:{r['id']}": list(r["changes"]) for r in result["resources"]["changed"]} == (
        EXPECTED_CHANGED
    )


def test_explore_commands_on_a_hibob_sync(cli: Cli, tmp_path: Path) -> None:
    path = str(tmp_path / "hibob.db")
    assert cli("sync", "hibob", "--file", path, "--quiet").code == 0
    members = json.loads(cli("members", "engineering", "--recursive", "--file", path, "--output", "json").stdout)
    assert [(m["display_name"], m["via"]["display_name"]) for m in members["members"]] == [
        ("Ada Lovelace", "Engineering"),
        ("Brian Kernighan", "Platform"),
        ("Cleo Ramos", "Platform"),
    ]
    access = json.loads(cli("access", "GUS@example.com", "--file", path, "--output", "json").stdout)
    assert [g["entitlement_id"] for g in access["grants"]] == ["department:30:member"]
    stats = json.loads(cli("stats", "--file", path, "--output", "json").stdout)
    assert stats["attributes"] == [
        {
            "resource_type": "user",
            "key": "lifecycle_status",
            "label": "lifecycle_status",
            "value": "employed",
            "count": 6,
        }
    ]
    # The shape earlier versions printed stays, named by the plugin, not by the host.
    assert stats["lifecycle"] == [{"resource_type": "user", "lifecycle_status": "employed", "count": 6}]
    assert [(g["display_name"], g["members"]) for g in stats["groups"]] == [
        ("Platform", 2),
        ("Sales", 2),
        ("Engineering", 1),
        ("Support", 1),
    ]
