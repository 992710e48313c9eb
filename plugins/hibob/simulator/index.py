"""Look-up tables for one answer, so rendering 100,000 people stays linear.

:class:`Company` look-ups walk lists (fine for tests); the renderer needs dict
look-ups for every person's department, title and manager instead. Each table
is built on first use, so a narrow request (say ``root.id`` for a batch of ids)
does not pay for tables it never reads.
"""

from __future__ import annotations

from functools import cached_property

from plugins.hibob.simulator.company import Company, Employee


class CompanyIndex:
    """Dict views of one company state, used while rendering a single answer."""

    def __init__(self, company: Company) -> None:
        self.company = company

    @cached_property
    def people(self) -> dict[str, Employee]:
        return {e.id: e for e in self.company.employees}

    @cached_property
    def managers(self) -> frozenset[str]:
        """Ids of everyone somebody reports to (``work.isManager``)."""
        return frozenset(e.manager_id for e in self.company.employees if e.manager_id)

    @cached_property
    def department_names(self) -> dict[str, str]:
        """Department name by item id (as a string, the way employees carry it)."""
        names: dict[str, str] = {}
        for dept in self.company.walk_departments():
            names.setdefault(str(dept.id), dept.name)
        return names

    @cached_property
    def titles(self) -> dict[str, str]:
        return dict(self.company.titles)

    @cached_property
    def hobbies(self) -> dict[str, str]:
        return dict(self.company.hobbies)

    def department_display(self, value: str) -> str:
        """The display name for a ``work.department`` value: the item's name when the
        value is an id; otherwise the value itself (a name already is its display form,
        and an unresolvable value is shown as it is)."""
        return self.department_names.get(value) or value

    def title_display(self, value: str) -> str:
        return self.titles.get(value, value)

    def manager(self, employee: Employee) -> Employee | None:
        return self.people.get(employee.manager_id) if employee.manager_id else None
