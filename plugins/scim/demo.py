"""The demo's SCIM tenant: the accounts the demo company holds in one of its applications.

Built from the HiBob simulator's demo company, so that syncing both demo
upstreams into one file gives ``connector leavers --source hibob`` something
true to find. It is derived, not copied, so it follows the demo company when
that changes. What it holds, each case picked deterministically:

* an enabled account for every current employee with an e-mail address: the
  user name is the address, ``externalId`` the HiBob id, the enterprise
  ``employeeNumber`` the employee number, the department and manager filled in;
* leavers (terminated in HiBob) whose account is still enabled: one under the
  same address, one under the address in other letter case, one with an
  unrelated address that only the employee number ties to the person, and one
  whose only address is its user name;
* leavers whose account was disabled (``active: false``): not leavers to report;
* a current employee's account without ``active`` (synced as ``unknown``);
* orphans: a service account, and an address one letter off a real one;
* a group per department, ``All Staff`` holding those groups (nested), and
  ``Administrators``, which includes a leaver.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any

from plugins.hibob.simulator import demo_company
from plugins.hibob.simulator.company import Company, Employee
from plugins.hibob.simulator.timeline import advance
from plugins.scim.upstream import Account, Team, Tenant

TERMINATED = "terminated"
ALL_STAFF = "All Staff"
ADMINISTRATORS = "Administrators"
SERVICE_ACCOUNT = "svc-backup"
OTHER_DOMAIN = "contractors.example.net"


def demo_tenant(step: int = 0) -> Tenant:
    """The tenant described in the module docstring, from :func:`demo_company` moved on by ``step`` steps."""
    return tenant_for(advance(demo_company(), step))


def tenant_for(company: Company) -> Tenant:
    """The module docstring's tenant for any simulated company with at least 7 leavers with an address."""
    people = [person for person in company.employees if person.email]
    current = [person for person in people if person.lifecycle_status != TERMINATED]
    leavers = [person for person in people if person.lifecycle_status == TERMINATED]
    names = {str(flat.id): flat.name for flat in company.walk_departments()}
    by_id = {person.id: person for person in current}

    def account(person: Employee, **changes: Any) -> Account:
        manager = by_id.get(person.manager_id or "")
        return replace(
            Account(
                user_name=str(person.email),
                given_name=person.first_name,
                family_name=person.surname,
                emails=(str(person.email),),
                external_id=person.id,
                employee_number=None if person.employee_number is None else str(person.employee_number),
                department=names.get(person.department or ""),
                manager=None if manager is None else manager.email,
            ),
            **changes,
        )

    # Managers come before their reports, so every manager reference resolves.
    ordered = sorted(current, key=lambda person: _depth(person, by_id))
    accounts = [account(person) for person in ordered]
    accounts[-1] = account(ordered[-1], active=None)

    same, case, number_only, login_only, *rest = leavers
    disabled = rest[:3]
    local = str(number_only.email).split("@")[0]
    accounts += [
        account(same),
        account(case, user_name=str(case.email).upper(), emails=(str(case.email).upper(),)),
        account(
            number_only,
            user_name=f"{local}@{OTHER_DOMAIN}",
            emails=(f"{local}@{OTHER_DOMAIN}",),
            external_id=None,
        ),
        account(login_only, emails=(), external_id=None, employee_number=None),
        *(account(person, active=False) for person in disabled),
        Account(SERVICE_ACCOUNT, "Backup", "Service"),
        _near_miss(current[0]),
    ]

    departments: dict[str, list[str]] = defaultdict(list)
    for item in accounts:
        if item.department:
            departments[item.department].append(item.user_name)
    teams = [Team(name, tuple(members)) for name, members in sorted(departments.items())]
    teams.append(Team(ALL_STAFF, tuple(team.name for team in teams)))
    teams.append(Team(ADMINISTRATORS, (accounts[0].user_name, accounts[len(current)].user_name, SERVICE_ACCOUNT)))
    return Tenant(tuple(accounts), tuple(teams))


def _near_miss(person: Employee) -> Account:
    """An account whose address differs from ``person``'s by one doubled letter: matches nobody."""
    local, _, domain = str(person.email).partition("@")
    address = f"{local}{local[-1]}@{domain}"
    return Account(address, person.first_name, person.surname, (address,))


def _depth(person: Employee, by_id: dict[str, Employee]) -> int:
    """Steps from ``person`` up the manager chain (cycles and departed managers end the walk)."""
    depth, seen = 0, {person.id}
    manager = by_id.get(person.manager_id or "")
    while manager is not None and manager.id not in seen:
        seen.add(manager.id)
        depth += 1
        manager = by_id.get(manager.manager_id or "")
    return depth
