"""Data-quality checks over the employees a sync lists, reported as counted warnings.

Examples are ids (and HiBob field ids) only, never names, emails or other
personal values. The checks keep little per employee: a hash of each kept record
by id, and the first holder of each address by the hash of its case-folded form
(two different addresses colliding in 64 bits, about one chance in 10^9 at
100,000 employees, would read as shared). That is about 13 MB at 100,000
employees.

* ``employee_duplicate``: an employee listed more than once. The **first listed
  copy is kept** (the users are stored as they stream, so a later copy cannot
  replace it); the rule is deterministic for a given answer.
* ``employee_duplicate_differs``: the copies are not identical. After the
  listing, one people search for those employees (by ``root.id``, at most
  :data:`MAX_COMPARED` of them) re-reads the copies and names the fields that
  differ; no request is made when every repeat is identical.
* ``email_missing``: no usable address (absent, or blank once trimmed).
* ``email_shared``: an address an earlier-listed employee already holds,
  compared case-insensitively: looking a person up by it finds several.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from plugins.hibob.departments import Warn
from plugins.hibob.schemas import EMPLOYEE_SCHEMA, Employee
from plugins.hibob.shapes import HUMAN_READABLE

MAX_COMPARED = 50
"""Differing duplicates whose fields are named (the count covers them all)."""


class Roster:
    """Everyone the users listing has kept, with what the checks need of each."""

    def __init__(self, warn: Warn) -> None:
        self._warn = warn
        self._digests: dict[str, int] = {}
        self._addresses: dict[int, str] = {}
        self.differing: dict[str, None] = {}
        """Ids listed again with a copy unlike the first, in listing order (a dict as an ordered set)."""

    def admit(self, employee: Employee) -> bool:
        """Whether to keep this record: False for a repeat of an employee already kept."""
        digest = hash(employee)
        first = self._digests.get(employee.id)
        if first is not None:
            self._warn(
                "employee_duplicate", "employee listed more than once; the first listed copy is kept", employee.id
            )
            if first != digest:
                self.differing[employee.id] = None
            return False
        self._digests[employee.id] = digest
        self._check_email(employee)
        return True

    def _check_email(self, employee: Employee) -> None:
        address = (employee.email or "").strip()
        if not address:
            self._warn("email_missing", "employee has no usable email address (absent or blank)", employee.id)
            return
        holder = self._addresses.setdefault(hash(address.casefold()), employee.id)
        if holder != employee.id:
            self._warn(
                "email_shared",
                "employee's email address is already held by another employee (compared case-insensitively); "
                "a look-up by it finds several people",
                f"employee {employee.id} (same address as {holder})",
            )

    def report_differences(self, reread: Callable[[list[str]], Iterable[Employee]]) -> None:
        """Name the fields in which each differing duplicate's copies differ.

        ``reread(ids)`` lists those employees' records again, every copy, in
        HiBob's order (one people search filtered by ``root.id``).
        """
        if not self.differing:
            return
        compared = list(self.differing)[:MAX_COMPARED]
        copies: dict[str, list[Employee]] = {}
        for employee in reread(compared):
            copies.setdefault(employee.id, []).append(employee)
        for employee_id in self.differing:
            fields = _differing_fields(copies.get(employee_id, []))
            detail = ", ".join(fields) if fields else "fields not identified on a second read"
            self._warn(
                "employee_duplicate_differs",
                "employee listed more than once with copies that differ; the first listed copy is kept "
                "(check the differing fields in HiBob)",
                f"employee {employee_id}: {detail}" if employee_id in compared else f"employee {employee_id}",
            )


def _differing_fields(copies: list[Employee]) -> list[str]:
    """The HiBob field ids (attribute names where none) in which later copies differ from the first."""
    if len(copies) < 2:
        return []
    first, *others = copies
    names = [name for name in Employee._fields if any(getattr(first, name) != getattr(o, name) for o in others)]
    return list(dict.fromkeys(_field_id(name) for name in names))


def _field_id(name: str) -> str:
    """The HiBob field an :class:`Employee` attribute comes from; a display label counts as its field."""
    field = EMPLOYEE_SCHEMA.fields.get(name)
    if field is not None and field.data_key:
        return field.data_key.removeprefix(HUMAN_READABLE + ".")
    return "work.reportsTo" if name.startswith("reports_to") else name
