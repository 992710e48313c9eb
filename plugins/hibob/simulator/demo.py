"""The demo company: about 300 people holding every HiBob edge case a connector meets.

It is deterministic (a fixed seed, fixed dates), so tests can rely on it, and
tests find each case through :func:`plugins.hibob.simulator.edge_cases.find_edge_cases`
instead of hard-coding ids. What it contains:

Departments (``department`` named list)
    * nesting five levels deep: Engineering > Platform > Infrastructure >
      Site Reliability > Incident Response;
    * two sub-departments named ``Platform`` (under Engineering and under Product);
    * ids of every shape: ints (``100``), numeric strings (``"209192163"``) and
      textual strings (``"sales-emea"``, ``"eng-incident-response"``);
    * archived departments: ``Legacy Systems`` (archived, three people still point
      at it), ``Procurement`` (archived, two people) whose child
      ``Vendor Management`` is not archived itself but hidden with its parent (one
      person), and the empty archived root ``Old Ventures``.

People
    * a manager tree: the CEO has no manager, department heads report to the head
      of the parent department (or the CEO), big teams have team leads;
    * every lifecycle state: ``employed``, ``hired`` (Inactive, start date in the
      future), ``terminated`` (Inactive, termination date set), ``garden leave``,
      ``leave``, ``parental leave`` and the custom ``sabbatical``;
    * a terminated team lead whose reports still name them as manager;
    * 15 people (5%) with no department;
    * three people whose ``work.department`` holds the department *name*
      ``People Operations`` instead of its id, and one whose value
      (``"999000111"``) matches no department at all;
    * unicode names (``José Müller``, ``李雷``, ``Zoë O'Brien``, ...), two different
      people both displayed as ``Alex Kim``, and one mixed-case e-mail address;
    * a few people without a title, a site or an avatar.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from plugins.hibob.simulator.company import (
    ACTIVE,
    DEFAULT_HOBBIES,
    INACTIVE,
    Company,
    Department,
    DepartmentId,
    Employee,
)
from plugins.hibob.simulator.names import FIRST_NAMES, SITES, SURNAMES, TITLE_NAMES, day, email_local

DEMO_SEED = 20240611
DEMO_DOMAIN = "example.com"
NAME_REFERENCED_DEPARTMENT = "People Operations"
DANGLING_DEPARTMENT_VALUE = "999000111"
CUSTOM_LIFECYCLE = "sabbatical"
UNICODE_NAMES: tuple[tuple[str, str, str, str], ...] = (
    ("José", "Müller", "José Müller", "jose.muller"),
    ("雷", "李", "李雷", "li.lei"),
    ("Zoë", "O'Brien", "Zoë O'Brien", "zoe.obrien"),
    ("Søren", "Østergaard", "Søren Østergaard", "soren.ostergaard"),
    ("Ngọc Trâm", "Nguyễn", "Ngọc Trâm Nguyễn", "ngoc.tram.nguyen"),
)
DUPLICATE_DISPLAY_NAME = ("Alex", "Kim")
MIXED_CASE_EMAIL = "Dana.Lee@Example.com"

_HIRE_BASE = dt.date(2012, 1, 2)
_FUTURE_BASE = dt.date(2031, 1, 5)
_LIFECYCLE_COUNTS: tuple[tuple[str, int], ...] = (
    ("terminated", 20),
    ("hired", 6),
    ("garden leave", 3),
    ("leave", 4),
    ("parental leave", 4),
    (CUSTOM_LIFECYCLE, 2),
)


@dataclass
class _Node:
    """A department of the demo tree with how many people it holds."""

    id: DepartmentId
    name: str
    headcount: int
    archived: bool = False
    roles: tuple[str, ...] = ()
    children: list[_Node] = field(default_factory=list)


def _tree() -> list[_Node]:
    executive = (
        "Chief Executive Officer",
        "Chief Technology Officer",
        "Chief Financial Officer",
        "Chief Operating Officer",
    )
    eng = ("Software Engineer", "Senior Software Engineer", "QA Engineer", "Site Reliability Engineer")
    product = ("Product Manager", "Designer", "UX Researcher")
    sales = ("Account Executive", "Sales Development Representative")
    people = ("HR Business Partner", "Recruiter")
    finance = ("Accountant", "Data Analyst")
    support = ("Support Specialist",)
    marketing = ("Marketing Manager", "Data Analyst")
    return [
        _Node(100, "Executive", 4, roles=executive),
        _Node("209192163", "Engineering", 1, roles=("VP Engineering",), children=[
            _Node(210000001, "Platform", 8, roles=eng, children=[
                _Node("210000011", "Infrastructure", 12, roles=eng, children=[
                    _Node(210000111, "Site Reliability", 10, roles=eng, children=[
                        _Node("eng-incident-response", "Incident Response", 6, roles=eng),
                    ]),
                ]),
                _Node(210000012, "Developer Experience", 10, roles=eng),
            ]),
            _Node("210000002", "Applications", 4, roles=eng, children=[
                _Node(210000021, "Mobile", 14, roles=eng),
                _Node(210000022, "Web", 28, roles=eng),
            ]),
            _Node(210000004, "Legacy Systems", 3, archived=True, roles=eng),
        ]),
        _Node(300, "Product", 5, roles=product, children=[
            _Node(301, "Platform", 8, roles=product),
            _Node(302, "Design", 6, roles=product, children=[_Node(3021, "Research", 5, roles=product)]),
        ]),
        _Node(400, "Sales", 4, roles=sales, children=[
            _Node("sales-emea", "EMEA Sales", 23, roles=sales),
            _Node(401, "North America Sales", 26, roles=sales, children=[
                _Node("401001", "Enterprise Accounts", 10, roles=sales),
            ]),
        ]),
        _Node(500, NAME_REFERENCED_DEPARTMENT, 10, roles=people, children=[
            _Node(501, "Talent Acquisition", 8, roles=people),
        ]),
        _Node(600, "Finance", 5, roles=finance, children=[
            _Node(601, "Accounting", 7, roles=finance),
            _Node(602, "Procurement", 2, archived=True, roles=finance, children=[
                _Node(6021, "Vendor Management", 1, roles=finance),
            ]),
        ]),
        _Node(700, "Customer Success", 3, roles=support, children=[
            _Node(701, "Support", 5, roles=support, children=[
                _Node(7011, "Tier 1", 26, roles=support),
                _Node(7012, "Tier 2", 10, roles=support),
            ]),
        ]),
        _Node("900", "Marketing", 20, roles=marketing),
        _Node(800, "Old Ventures", 0, archived=True),
    ]  # fmt: skip


def _to_department(node: _Node) -> Department:
    return Department(node.id, node.name, node.archived, [_to_department(c) for c in node.children])


class _Builder:
    """Creates people one by one with unique ids, numbers and e-mails."""

    def __init__(self, rng: random.Random, titles: dict[str, str]) -> None:
        self.rng = rng
        self.titles = titles
        self.people: list[Employee] = []
        self._ids: set[str] = set()
        self._emails: set[str] = set()

    def new_id(self) -> str:
        while True:
            candidate = str(self.rng.randrange(3_332_883_900_000_000_000, 3_332_883_999_999_999_999))
            if candidate not in self._ids:
                self._ids.add(candidate)
                return candidate

    def email(self, local: str) -> str:
        address, n = f"{local}@{DEMO_DOMAIN}", 1
        while address.lower() in self._emails:
            n += 1
            address = f"{local}{n}@{DEMO_DOMAIN}"
        self._emails.add(address.lower())
        return address

    def person(
        self, department: str | None, manager_id: str | None, role: str | None, cost_center: str | None
    ) -> Employee:
        rng = self.rng
        first, surname = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        site_id, site = rng.choice(SITES)
        part_time = rng.random() < 0.1
        title = None if role is None or rng.random() < 0.03 else self.titles[role]
        person_id = self.new_id()
        employee = Employee(
            id=person_id,
            email=self.email(email_local(first, surname)),
            first_name=first,
            surname=surname,
            department=department,
            title=title,
            site=site,
            site_id=site_id,
            manager_id=manager_id,
            employee_number=len(self.people) + 1,
            start_date=day(_HIRE_BASE, rng.randrange(0, 4700)),
            avatar_url=None if rng.random() < 0.15 else f"https://images.example.com/avatars/{person_id}.png",
            hobbies=tuple(sorted(rng.sample([h for h, _ in DEFAULT_HOBBIES], rng.randrange(0, 4)))),
            employment_type="Part-time" if part_time else "Full-time",
            weekly_hours=20 if part_time else rng.choice((40, 40, 37.5)),
            cost_center=cost_center,
        )
        self.people.append(employee)
        return employee


def _staff(builder: _Builder, node: _Node, boss_id: str | None, cost_center: str | None, leads: list[str]) -> None:
    """People of ``node`` and its subtree; the first person heads the department."""
    head_id = boss_id
    team_leads: list[str] = []
    for index in range(node.headcount):
        role = node.roles[index % len(node.roles)] if node.roles else None
        if index == 0:
            manager = boss_id
        elif index >= 3 and team_leads:
            manager = team_leads[index % len(team_leads)]
        else:
            manager = head_id
        person = builder.person(str(node.id), manager, role, cost_center)
        if index == 0:
            head_id = person.id
        elif node.headcount >= 12 and index <= 2:
            team_leads.append(person.id)
    leads.extend(team_leads)
    for child in node.children:
        _staff(builder, child, head_id, cost_center, leads)


def demo_company() -> Company:
    """The deterministic ~300-person demo tenant described in this module's docstring."""
    rng = random.Random(DEMO_SEED)
    titles = [(str(255490048 + 17 * i), name) for i, name in enumerate(TITLE_NAMES)]
    builder = _Builder(rng, {name: tid for tid, name in titles})
    tree = _tree()
    leads: list[str] = []

    executive = tree[0]
    _staff(builder, executive, None, "CC-100", leads)
    ceo = builder.people[0]
    ceo.first_name, ceo.surname, ceo.display_name = "Ruth", "Weber", "Ruth Weber"
    ceo.email = builder.email("ruth.weber")
    for number, node in enumerate(tree[1:], start=2):
        _staff(builder, node, ceo.id, f"CC-{number}00", leads)

    managers = {p.manager_id for p in builder.people if p.manager_id is not None} | {ceo.id}
    regular = [p for p in builder.people if p.id not in managers]

    # A terminated team lead in Web whose reports keep pointing at them.
    web_lead = next(p for p in builder.people if p.id in leads and p.department == "210000022")
    _set_lifecycle(web_lead, "terminated", rng)

    pool = list(regular)
    rng.shuffle(pool)
    for state, count in _LIFECYCLE_COUNTS:
        for person in [pool.pop() for _ in range(count)]:
            _set_lifecycle(person, state, rng)

    employed = [p for p in pool if p.lifecycle_status == "employed"]
    for names, person in zip(UNICODE_NAMES, employed[:5], strict=True):
        _rename(builder, person, names)
    for person in employed[5:7]:
        _rename(builder, person, (*DUPLICATE_DISPLAY_NAME, " ".join(DUPLICATE_DISPLAY_NAME), "alex.kim"))
    employed[7].email = MIXED_CASE_EMAIL
    employed[7].first_name, employed[7].surname, employed[7].display_name = "Dana", "Lee", "Dana Lee"
    for person in employed[8:10]:
        person.title = None
        person.site = person.site_id = None

    people_ops = [p for p in builder.people if p.department == "500" and p.id not in managers]
    for person in people_ops[:3]:
        person.department = NAME_REFERENCED_DEPARTMENT

    for n in range(15):
        manager = ceo.id if n % 3 == 0 else rng.choice(sorted(managers - {ceo.id}))
        person = builder.person(None, manager, None, None)
        if n == 14:
            _set_lifecycle(person, "terminated", rng)
    dangling = builder.person(DANGLING_DEPARTMENT_VALUE, ceo.id, "Data Analyst", None)
    dangling.first_name, dangling.surname, dangling.display_name = "Orphan", "Record", "Orphan Record"
    dangling.email = builder.email("orphan.record")

    return Company(
        departments=[_to_department(node) for node in tree],
        employees=builder.people,
        titles=titles,
        sites=list(SITES),
        company_id=601234,
        name="Acme Robotics",
    )


def _set_lifecycle(person: Employee, state: str, rng: random.Random) -> None:
    person.lifecycle_status = state
    if state == "terminated":
        person.status = INACTIVE
        start = dt.date.fromisoformat(person.start_date or "2015-01-01")
        end = min(start + dt.timedelta(days=rng.randrange(90, 2500)), dt.date(2025, 6, 30))
        person.termination_date = max(end, start + dt.timedelta(days=30)).isoformat()
    elif state == "hired":
        person.status = INACTIVE
        person.start_date = day(_FUTURE_BASE, rng.randrange(0, 200))
    else:
        person.status = ACTIVE


def _rename(builder: _Builder, person: Employee, names: tuple[str, str, str, str]) -> None:
    """Give ``person`` a (first, surname, display name, mailbox) identity."""
    person.first_name, person.surname, person.display_name, local = names
    person.email = builder.email(local)
