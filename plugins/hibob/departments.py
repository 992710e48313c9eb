"""The department tree as a flat index, and what an employee's department points at.

HiBob nests sub-departments to any depth, and an employee's ``work.department``
holds a list item id, though some tenants' records carry the department *name*
there instead. Names are not unique (two "Support" teams under different
parents), so a reference resolves by id first and by name only when exactly one
department has that name; anything else is reported, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from plugins.hibob.schemas import DepartmentItem, Employee

Warn = Callable[[str, str, str | None], None]
"""``ConnectorContext.warn``: code, message, example."""


@dataclass(frozen=True, slots=True)
class Department:
    """One department with its place in the tree."""

    id: str
    name: str
    parent_id: str | None
    archived: bool


class DepartmentIndex:
    """Every department once, parents before children, looked up by id or unique name."""

    def __init__(self, roots: Iterable[DepartmentItem]) -> None:
        by_id: dict[str, Department] = {}
        conflicts: list[str] = []
        # An explicit stack instead of recursion: the tree may be arbitrarily deep.
        stack: list[tuple[DepartmentItem, str | None]] = [(root, None) for root in reversed(list(roots))]
        while stack:
            item, parent_id = stack.pop()
            department = Department(item.id, item.name, parent_id, item.archived)
            seen = by_id.setdefault(item.id, department)
            if seen is not department:
                # Repeats are expected when the envelope has both ``items`` and ``values``.
                if seen != department:
                    conflicts.append(item.id)
                continue
            stack.extend((child, item.id) for child in reversed(item.children))
        self.departments: tuple[Department, ...] = tuple(by_id.values())
        self.conflicts: tuple[str, ...] = tuple(conflicts)
        """Ids listed more than once with different content; the first listing is kept."""
        self._by_id = by_id
        self._by_name: dict[str, Department] = {}
        self._ambiguous_names: set[str] = set()
        for department in self.departments:
            if self._by_name.setdefault(department.name, department) is not department:
                self._ambiguous_names.add(department.name)
        for name in self._ambiguous_names:
            del self._by_name[name]

    def resolve(self, reference: str) -> Department | None:
        """The department ``reference`` names: an item id, else a name only one department has."""
        return self._by_id.get(reference) or self._by_name.get(reference)

    def is_ambiguous(self, reference: str) -> bool:
        """Whether ``reference`` failed to resolve because several departments share that name."""
        return reference not in self._by_id and reference in self._ambiguous_names


def department_of(index: DepartmentIndex, employee: Employee, warn: Warn) -> Department | None:
    """The department an employee is a member of, or None with a warning saying why.

    An employee without a resolvable department is still synced; the warning
    (counted, with examples) is how the gap reaches the sync summary.
    """
    reference = employee.department
    if reference is None:
        warn(
            "department_missing",
            "employee has no readable work.department; synced without a department membership",
            employee.id,
        )
        return None
    department = index.resolve(reference)
    if department is not None:
        return department
    if index.is_ambiguous(reference):
        warn(
            "department_ambiguous",
            "employee's work.department is a name shared by several departments; synced without a membership",
            f"employee {employee.id}: {reference!r}",
        )
    else:
        warn(
            "department_unresolved",
            "employee's work.department matches no department id or name; synced without a membership",
            f"employee {employee.id}: {reference!r}",
        )
    return None
