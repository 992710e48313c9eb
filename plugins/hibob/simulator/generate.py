"""Large, deterministic tenants for scale tests and benchmarks.

:func:`generated_company` builds ``departments`` departments as a tree several
levels deep (a few roots, each department with up to four sub-departments) and
spreads ``employees`` people across them with a realistic lifecycle mix, a
manager hierarchy (the first person of a department heads it and reports to the
head of the nearest staffed ancestor, or to the CEO) and a sprinkling of the
same quirks as the demo company: people without a department, department values
holding a name or nothing that resolves, archived departments, id shapes of
every kind. The same arguments always give the same company; 100,000 people
take well under ten seconds.
"""

from __future__ import annotations

import datetime as dt
import random

from plugins.hibob.simulator.company import ACTIVE, INACTIVE, Company, Department, DepartmentId, Employee
from plugins.hibob.simulator.names import FIRST_NAMES, SITES, SURNAMES, TITLE_NAMES, email_local

BRANCHING = 4
MAX_ROOTS = 8
_UNIT_WORDS = (
    "Platform", "Operations", "Sales", "Support", "Research", "Design", "Finance", "Marketing",
    "Security", "Data", "Infrastructure", "Partnerships", "Legal", "Quality", "Growth", "Payments",
)  # fmt: skip
# (cumulative probability, lifecycle) for everyone but the CEO.
_LIFECYCLES = (
    (0.840, "employed"),
    (0.925, "terminated"),
    (0.945, "hired"),
    (0.965, "leave"),
    (0.980, "parental leave"),
    (0.992, "garden leave"),
    (1.000, "sabbatical"),
)
_EPOCH = dt.date(2008, 1, 1).toordinal()
_FUTURE = dt.date(2031, 1, 1).toordinal()


def _department_id(i: int) -> DepartmentId:
    if i % 10 == 3:
        return f"dept-{i}"
    if i % 3 == 1:
        return str(700_000_000 + i)
    return 700_000_000 + i


def _build_departments(count: int, rng: random.Random) -> tuple[list[Department], list[Department], list[int]]:
    """Roots, every department by index, and each department's parent index (-1 for roots)."""
    roots = min(MAX_ROOTS, count)
    flat: list[Department] = []
    parents: list[int] = []
    for i in range(count):
        if i < roots:
            name, parent = f"Division {i + 1}", -1
        else:
            word = _UNIT_WORDS[rng.randrange(len(_UNIT_WORDS))]
            name = word if rng.random() < 0.3 else f"{word} {i}"
            parent = (i - roots) // BRANCHING
        dept = Department(_department_id(i), name, archived=i >= roots and rng.random() < 0.015)
        flat.append(dept)
        parents.append(parent)
        if parent >= 0:
            flat[parent].children.append(dept)
    return flat[:roots], flat, parents


def generated_company(employees: int = 1000, departments: int = 50, seed: int = 1) -> Company:
    """A deterministic tenant of ``employees`` people in ``departments`` departments."""
    rng = random.Random(seed)
    roots, flat, parents = _build_departments(departments, rng)
    titles = [(str(255490048 + 17 * i), name) for i, name in enumerate(TITLE_NAMES)]
    title_ids = [tid for tid, _ in titles]
    locals_ = [[email_local(f, s) for s in SURNAMES] for f in FIRST_NAMES]
    name_counts: dict[str, int] = {}
    for dept in flat:
        name_counts[dept.name] = name_counts.get(dept.name, 0) + 1

    assigned = [rng.randrange(departments) if departments else -1 for _ in range(employees)]
    ids = [str(3_332_883_900_000_000_000 + i * 9973 + rng.randrange(9973)) for i in range(employees)]
    heads: dict[int, str] = {}
    for person, dept_index in enumerate(assigned):
        if dept_index >= 0 and dept_index not in heads:
            heads[dept_index] = ids[person]
    ceo = ids[0] if ids else None

    def boss_above(dept_index: int) -> str | None:
        parent = parents[dept_index]
        while parent >= 0:
            if parent in heads:
                return heads[parent]
            parent = parents[parent]
        return ceo

    people: list[Employee] = []
    for i in range(employees):
        dept_index = assigned[i]
        person_id = ids[i]
        if i == 0 or dept_index < 0:
            manager = None if i == 0 else ceo
        elif heads[dept_index] == person_id:
            manager = boss_above(dept_index)
        else:
            manager = heads[dept_index]
        first_index, surname_index = rng.randrange(len(FIRST_NAMES)), rng.randrange(len(SURNAMES))
        first, surname = FIRST_NAMES[first_index], SURNAMES[surname_index]
        department = _department_value(flat, dept_index, name_counts, rng)
        start = _EPOCH + rng.randrange(6200)
        lifecycle, status, termination = "employed", ACTIVE, None
        if i:
            roll = rng.random()
            lifecycle = next(state for threshold, state in _LIFECYCLES if roll < threshold)
            if lifecycle == "terminated":
                status = INACTIVE
                termination = dt.date.fromordinal(start + 30 + rng.randrange(2000)).isoformat()
            elif lifecycle == "hired":
                status = INACTIVE
                start = _FUTURE + rng.randrange(365)
        site_id, site = SITES[i % len(SITES)]
        people.append(
            Employee(
                id=person_id,
                email=f"{locals_[first_index][surname_index]}.{i}@example.com",
                first_name=first,
                surname=surname,
                display_name=f"{first} {surname}",
                department=department,
                title=title_ids[i % len(title_ids)] if i % 41 else None,
                site=site,
                site_id=site_id,
                manager_id=manager,
                employee_number=i + 1,
                start_date=dt.date.fromordinal(start).isoformat(),
                lifecycle_status=lifecycle,
                status=status,
                termination_date=termination,
                employment_type="Full-time" if i % 9 else "Part-time",
                weekly_hours=40 if i % 9 else 20,
                cost_center=f"CC-{dept_index % 97}" if dept_index >= 0 else None,
            )
        )
    return Company(
        departments=roots,
        employees=people,
        titles=titles,
        sites=list(SITES),
        company_id=700000 + seed,
        name=f"Generated Co {seed}",
    )


def _department_value(
    flat: list[Department], dept_index: int, name_counts: dict[str, int], rng: random.Random
) -> str | None:
    """Mostly the department id; sometimes nothing, its unique name, or a dead id."""
    if dept_index < 0:
        return None
    roll = rng.random()
    if roll < 0.05:
        return None
    dept = flat[dept_index]
    if roll < 0.053 and name_counts[dept.name] == 1:
        return dept.name
    if roll < 0.0535:
        return f"{990_000_000 + dept_index}"
    return str(dept.id)
