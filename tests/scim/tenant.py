"""The small SCIM tenant the SCIM tests seed into scim2-server, and what a sync of it must store.

Each account and team exercises one mapping rule: two addresses with the
primary one second in the seed order of a real provider's answer, a disabled
account, an account without ``active``, a manager and department through the
enterprise extension, a service account without any address, a group nested
in another, and an empty group.
"""

from __future__ import annotations

from typing import Any

from plugins.scim.upstream import Account, Team, Tenant

ANN, BO, CY, DEE, SVC = "ann.lee@example.com", "bo.chen", "cy.diaz@example.com", "dee.ng", "svc-deploy"
SALES, ADMINS, EVERYONE, EMPTY = "Sales", "Admins", "Everyone", "Empty"

TENANT = Tenant(
    accounts=(
        Account(ANN, "Ann", "Lee", ("Ann.Lee@example.com", "ann@lee.example.org"), True, "E-100", "100", "Sales"),
        Account(BO, "Bo", "Chen", ("bo.chen@example.com",), False, "E-101", "101", "Sales", manager=ANN),
        Account(CY, "Cy", "Diaz", (CY,), True, None, "102", manager=ANN),
        Account(DEE, "Dee", "Ng", ("dee.ng@example.com",), None, "E-103"),
        Account(SVC, "Deploy", "Bot"),
    ),
    teams=(
        Team(SALES, (ANN, BO)),
        Team(ADMINS, (CY, SVC)),
        Team(EVERYONE, (SALES, ADMINS, ANN)),
        Team(EMPTY),
    ),
)
STATUS = {ANN: "enabled", BO: "disabled", CY: "enabled", DEE: "unknown", SVC: "enabled"}
"""What each account must be stored as: ``active`` true, false, and missing."""
EMAILS = {
    ANN: [{"address": "Ann.Lee@example.com", "primary": True}, {"address": "ann@lee.example.org", "primary": False}],
    BO: [{"address": "bo.chen@example.com", "primary": True}],
    CY: [{"address": CY, "primary": True}],
    DEE: [{"address": "dee.ng@example.com", "primary": True}],
    SVC: [],
}
EMPLOYEE_IDS = {ANN: ["E-100", "100"], BO: ["E-101", "101"], CY: ["102"], DEE: ["E-103"], SVC: []}
MEMBERS = {SALES: {ANN, BO}, ADMINS: {CY, SVC}, EVERYONE: {SALES, ADMINS, ANN}, EMPTY: set()}
"""Direct members of each team, by user name or team name: a nested team is a grant to the team."""
GRANTS = sum(len(members) for members in MEMBERS.values())
MANAGERS = {BO: ANN, CY: ANN}
DEPARTMENTS = {ANN: "Sales", BO: "Sales"}


def stored(resources: list[dict[str, Any]], grants: list[dict[str, Any]]) -> dict[str, Any]:
    """What a sync stored, keyed by user name and team name, to compare with the constants above.

    Takes the ``resources`` and ``grants`` JSON of a sync of :data:`TENANT`;
    SCIM ids differ between servers, names do not.
    """
    names = {
        (r["resource_type"], r["id"]): r["profile"]["user_name"] if r["resource_type"] == "user" else r["display_name"]
        for r in resources
    }
    users = {names["user", r["id"]]: r for r in resources if r["resource_type"] == "user"}
    members: dict[str, set[str]] = {names["group", r["id"]]: set() for r in resources if r["resource_type"] == "group"}
    for grant in grants:
        entitlement, principal = grant["entitlement"], grant["principal"]
        assert entitlement["id"] == f"group:{entitlement['resource_id']}:member"
        members[names["group", entitlement["resource_id"]]].add(names[principal["resource_type"], principal["id"]])
    return {
        "status": {name: user["status"] for name, user in users.items()},
        "emails": {name: user["emails"] for name, user in users.items()},
        "employee_ids": {name: user["employee_ids"] for name, user in users.items()},
        "managers": {
            name: names["user", user["profile"]["manager_id"]]
            for name, user in users.items()
            if user["profile"]["manager_id"]
        },
        "departments": {
            name: user["profile"]["department"] for name, user in users.items() if user["profile"]["department"]
        },
        "members": members,
    }


EXPECTED = {
    "status": STATUS,
    "emails": EMAILS,
    "employee_ids": EMPLOYEE_IDS,
    "managers": MANAGERS,
    "departments": DEPARTMENTS,
    "members": MEMBERS,
}
"""What :func:`stored` must give for any complete sync of :data:`TENANT`."""
