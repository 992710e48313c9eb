"""Look-up tables built once per answer, so rendering 100,000 people stays linear.

:class:`Company` look-ups walk lists (fine for tests); the renderer needs dict
look-ups for every person's department, title and manager instead.
"""

from __future__ import annotations

from plugins.hibob.simulator.company import Company, Employee


class CompanyIndex:
    """Dict views of one company state, used while rendering a single answer."""

    def __init__(self, company: Company) -> None:
        self.company = company
        self.people: dict[str, Employee] = {e.id: e for e in company.employees}
        self.managers: frozenset[str] = frozenset(e.manager_id for e in company.employees if e.manager_id)
        self.department_names: dict[str, str] = {}
        by_name: dict[str, str] = {}
        for dept in company.walk_departments():
            self.department_names.setdefault(str(dept.id), dept.name)
            by_name.setdefault(dept.name, dept.name)
        self._names = by_name
        self.titles: dict[str, str] = dict(company.titles)
        self.hobbies: dict[str, str] = dict(company.hobbies)

    def department_display(self, value: str) -> str:
        """The display name for a ``work.department`` value: by id, then by name; an
        unresolvable value is shown as it is."""
        return self.department_names.get(value) or self._names.get(value) or value

    def title_display(self, value: str) -> str:
        return self.titles.get(value, value)

    def manager(self, employee: Employee) -> Employee | None:
        return self.people.get(employee.manager_id) if employee.manager_id else None
