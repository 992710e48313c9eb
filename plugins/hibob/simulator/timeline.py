"""The demo company moving on: a few joiners, movers and leavers per step.

``advance(demo_company(), n)`` is the demo company ``n`` steps later. Each step
is deterministic (seeded by the step number), dated :data:`STEP_DAYS` days
after the one before it (step 1 on :data:`FIRST_STEP_DATE`), and applies, in
this order:

* :data:`JOINERS_PER_STEP` joiners: new ``employed`` people in a department
  that has staff, reporting to its first employed person;
* :data:`MOVERS_PER_STEP` movers: employed people who manage nobody move to
  another staffed department and report to its first employed person;
* :data:`LEAVERS_PER_STEP` leavers: employed people who manage nobody are
  ``terminated`` (``Inactive``) on the step's date.

Steps build on each other (step 2 contains step 1), so ``connector diff``
between a sync of step ``n`` and one of step ``n + 1`` shows exactly one
step's joiners, movers and leavers.
"""

from __future__ import annotations

import datetime as dt
import random

from plugins.hibob.simulator.company import ACTIVE, INACTIVE, Company, Employee
from plugins.hibob.simulator.demo import DEMO_DOMAIN
from plugins.hibob.simulator.names import FIRST_NAMES, SURNAMES, email_local

JOINERS_PER_STEP = 3
MOVERS_PER_STEP = 2
LEAVERS_PER_STEP = 2
FIRST_STEP_DATE = dt.date(2025, 7, 7)
STEP_DAYS = 7
_SEED = 7_310_000


def advance(company: Company, steps: int) -> Company:
    """``company`` moved on by ``steps`` steps (0 or more), changed in place and returned.

    Raises :class:`ValueError` for a negative ``steps``.
    """
    if steps < 0:
        raise ValueError(f"steps must be 0 or more, not {steps}")
    for step in range(1, steps + 1):
        _step(company, step, random.Random(_SEED + step))
    return company


def _step(company: Company, step: int, rng: random.Random) -> None:
    date = (FIRST_STEP_DATE + dt.timedelta(days=STEP_DAYS * (step - 1))).isoformat()
    heads = _department_heads(company)
    staffed = sorted(heads)
    for _ in range(JOINERS_PER_STEP):
        department = rng.choice(staffed)
        company.employees.append(_joiner(company, rng, department, heads[department], date))
    managers = {e.manager_id for e in company.employees if e.manager_id is not None}
    movable = [e for e in company.employees if e.lifecycle_status == "employed" and e.id not in managers]
    for person in rng.sample(movable, MOVERS_PER_STEP):
        target = rng.choice([d for d in staffed if d != person.department])
        person.department, person.manager_id = target, heads[target]
        movable.remove(person)
    for person in rng.sample(movable, LEAVERS_PER_STEP):
        person.lifecycle_status, person.status, person.termination_date = "terminated", INACTIVE, date


def _department_heads(company: Company) -> dict[str, str]:
    """Department id (as employees hold it) to the id of its first employed person, for visible departments."""
    visible = {str(entry.id) for entry in company.walk_departments() if not entry.hidden}
    heads: dict[str, str] = {}
    for person in company.employees:
        if person.department in visible and person.lifecycle_status == "employed":
            heads.setdefault(person.department, person.id)
    return heads


def _joiner(company: Company, rng: random.Random, department: str, manager_id: str, date: str) -> Employee:
    taken_ids = {e.id for e in company.employees}
    taken_emails = {e.email.lower() for e in company.employees if e.email}
    person_id = str(rng.randrange(3_332_884_000_000_000_000, 3_332_884_999_999_999_999))
    while person_id in taken_ids:
        person_id = str(int(person_id) + 1)
    first, surname = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    local, n = email_local(first, surname), 1
    email = f"{local}@{DEMO_DOMAIN}"
    while email.lower() in taken_emails:
        n += 1
        email = f"{local}{n}@{DEMO_DOMAIN}"
    numbers = [e.employee_number for e in company.employees if e.employee_number is not None]
    return Employee(
        id=person_id,
        email=email,
        first_name=first,
        surname=surname,
        department=department,
        title=rng.choice(company.titles)[0] if company.titles else None,
        manager_id=manager_id,
        employee_number=max(numbers, default=0) + 1,
        start_date=date,
        status=ACTIVE,
        employment_type="Full-time",
        weekly_hours=40,
    )
