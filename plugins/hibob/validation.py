"""Can this service user read everything a sync needs? Measured, never sampled.

HiBob never says what a service user may not read: it omits fields without an
error, per category *and per person* (a permission group grants categories for
an audience, and a service user in several groups sees some categories for some
people only), and it leaves out whoever the group's audience or lifecycle-status
filter excludes. So every check counts what comes back for everyone:

* standalone, ``validate`` costs two requests whatever the company size: the
  field list (credentials and base URL) and one lean people search of everyone
  with one known field per category;
* in a sync, ``validate`` checks the credentials only, and the same counts are
  taken from the sync's one main people search (:class:`Audience` sees each raw
  record as it streams), then added to the report the host keeps in the sync
  summary. An error found there fails the sync.

Only what a sync reads can block it: the root, work and lifecycle categories.
About and employment are asked for by the setup guide but read by nothing the
sync stores, so missing them is a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from framework.host.errors import PayloadError, UpstreamError
from framework.host.models import ValidationReport
from plugins.hibob.client import HibobClient
from plugins.hibob.config import BASE_URL
from plugins.hibob.shapes import field_present, nested_path, slash_key

ID_FIELD = "root.id"
LIFECYCLE_FIELD = "internal.lifecycleStatus"
STATUS_FIELD = "internal.status"
TERMINATED = "terminated"
"""The one lifecycle state that is a leaver (``internal.status`` ``Inactive`` is also every pre-hire)."""

CATEGORY_PROBES: dict[str, tuple[str, ...]] = {
    "root": (ID_FIELD,),
    "about": ("about.avatar",),
    "employment": ("payroll.employment.type",),
    "work": ("work.department",),
    "lifecycle": (LIFECYCLE_FIELD, STATUS_FIELD),
}
"""Fields whose presence shows a category is readable for a person; HiBob omits a field
whose category is not granted, but sends a permitted null (``internal.*`` belongs to
"lifecycle", the Employment fields are ``payroll.employment.*``, and without "root"
even ``root.id`` is omitted)."""

SYNC_READS = frozenset({"root", "work", "lifecycle"})
"""Categories the sync stores values from: only these can fail validation."""

CATEGORY_IMPACT = {
    "root": "those employees have no id, so they cannot be synced at all",
    "about": "the setup guide asks for it, though the sync stores nothing from it",
    "employment": "the setup guide asks for it, though the sync stores nothing from it",
    "work": "those employees sync without department membership, title or manager",
    "lifecycle": "those employees sync with status 'unknown': leavers cannot be told apart",
}

PROBE_FIELDS: tuple[str, ...] = tuple(dict.fromkeys(f for probes in CATEGORY_PROBES.values() for f in probes))
"""What standalone validation's one people search asks for: a few bytes per employee."""


@dataclass(slots=True)
class Audience:
    """Counts over every people-search record the service user sees.

    Fed one raw record at a time (:meth:`observe`), so it works on the lean
    validation search and on the sync's main search alike, in constant memory.
    ``categories`` are the ones whose probe fields the search asked for.
    """

    categories: tuple[str, ...]
    total: int = 0
    readable: dict[str, int] = field(default_factory=dict)
    """Records carrying at least one probe field of the category, by category."""
    terminated: int = 0
    inactive: int = 0
    """Records whose ``internal.status`` is ``Inactive``: leavers *and* pre-hires."""

    def observe(self, record: Any) -> None:
        """Count one raw record (anything that is not an object counts as seen, nothing readable)."""
        self.total += 1
        if not isinstance(record, Mapping):
            return
        for category in self.categories:
            if any(field_present(record, probe) for probe in CATEGORY_PROBES[category]):
                self.readable[category] = self.readable.get(category, 0) + 1
        lifecycle = _text(record, LIFECYCLE_FIELD)
        self.terminated += lifecycle is not None and lifecycle.strip().lower() == TERMINATED
        self.inactive += _text(record, STATUS_FIELD) == "Inactive"

    def report(self, report: ValidationReport) -> None:
        """Add the findings: who is visible, each category's coverage, whether leavers are visible."""
        if self.total == 0:
            report.add(
                "employees_visible",
                False,
                "the service user sees no employee: add the company's employees to the permission group's "
                "'access data for' audience",
                count=0,
                total=0,
            )
            return
        report.add("employees_visible", True, f"{self.total} employees visible", count=self.total, total=self.total)
        for category in self.categories:
            self._category(report, category)
        if "lifecycle" in self.categories and self.readable.get("lifecycle"):
            self._leavers(report)

    def _category(self, report: ValidationReport, category: str) -> None:
        readable, total = self.readable.get(category, 0), self.total
        hidden = total - readable
        severity = "error" if category in SYNC_READS else "warning"
        fields = " and ".join(CATEGORY_PROBES[category])
        advice = "add it to the service user's permission group"
        if hidden == 0:
            message = f"the '{category}' category is readable for all {total} employees"
            report.add(f"category:{category}", True, message, count=0, total=total)
        elif readable == 0:
            message = (
                f"the service user cannot read the '{category}' category for any of the {total} employees "
                f"({fields} omitted): {CATEGORY_IMPACT[category]}; {advice}"
            )
            report.add(f"category:{category}", False, message, severity, count=hidden, total=total)
        else:
            # Hidden for part of the audience: the rest syncs; without ids (root) nobody can.
            message = (
                f"the '{category}' category is hidden for {hidden} of {total} employees ({fields} omitted): "
                f"{CATEGORY_IMPACT[category]}; {advice} for everyone in its audience"
            )
            partial_severity = "error" if category == "root" else "warning"
            report.add(f"category:{category}", False, message, partial_severity, count=hidden, total=total)

    def _leavers(self, report: ValidationReport) -> None:
        total = self.total
        if self.terminated:
            message = f"{self.terminated} terminated employees visible (synced as disabled)"
            report.add("terminated_visible", True, message, count=self.terminated, total=total)
            return
        inactive = (
            f" ({self.inactive} inactive employees are visible, but 'Inactive' also means hired and not yet started)"
            if self.inactive
            else ""
        )
        report.add(
            "terminated_visible",
            False,
            "no terminated employee is visible"
            + inactive
            + ": the permission group's lifecycle-status filter may leave out Terminated, or its 'access data "
            "for' audience may not cover inactive (former) employees, so leavers would vanish instead of syncing "
            "as disabled (ignore this if the company has never had a leaver)",
            "warning",
            count=0,
            total=total,
        )


def _text(record: Mapping[str, Any], field_id: str) -> str | None:
    """A string field's value, nested form first, else its slash key; None otherwise."""
    node: Any = record
    for key in nested_path(field_id):
        node = node.get(key) if isinstance(node, Mapping) else None
    if node is None:
        holder = record.get(slash_key(field_id))
        node = holder.get("value") if isinstance(holder, Mapping) else None
    return node if isinstance(node, str) else None


def check_api(client: HibobClient, report: ValidationReport) -> bool:
    """Whether HiBob's API answers at the base URL and accepts the credentials.

    A refused credential raises AuthError from the host client, and is not retried.
    """
    advice = f"check {BASE_URL.name}: it must be HiBob's API URL with /v1, e.g. https://api.hibob.com/v1"
    try:
        described = len(client.people_fields())
    except (PayloadError, UpstreamError) as exc:
        # A wrong path answers 200 with HTML (PayloadError) or 404; anything else is not about the URL.
        if isinstance(exc, UpstreamError) and exc.status != 404:
            raise
        report.add("base_url", False, f"no HiBob API answered ({exc}); {advice}")
        return False
    report.add("credentials", True, f"HiBob accepted the service user ({described} fields described)")
    return True


def validate_access(client: HibobClient) -> ValidationReport:
    """Standalone validation: the credentials, then one lean search of everyone, measured."""
    report = ValidationReport()
    if not check_api(client, report):
        return report
    audience = Audience(tuple(CATEGORY_PROBES))
    for record in client.search_people(PROBE_FIELDS):
        audience.observe(record)
    audience.report(report)
    return report
