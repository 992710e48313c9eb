"""Can this service user read everything a sync needs?

HiBob never says what a service user may not read: it omits the fields without
an error, and hides the people outside the permission group's audience. So the
checks look at what comes back, in three requests whatever the company size:
the field list (credentials and base URL), every employee's id and status
(who is visible, former employees included), and one employee with one known
field per permission category (which categories are granted).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from framework.host.errors import PayloadError, UpstreamError
from framework.host.models import ValidationReport
from plugins.hibob.client import SEARCH_ENDPOINT, HibobClient
from plugins.hibob.config import BASE_URL
from plugins.hibob.schemas import STATUS_SCHEMA, field_present, load_record

ACTIVE, INACTIVE = "Active", "Inactive"

CATEGORY_PROBES = {
    "root": "root.email",
    "about": "about.avatar",
    "employment": "payroll.employment.type",
    "work": "work.department",
    "lifecycle": "internal.lifecycleStatus",
}
"""One field per permission category; HiBob omits a field whose category is not granted
(``internal.*`` belongs to "lifecycle", the Employment fields are ``payroll.employment.*``)."""

CATEGORY_IMPACT = {
    "root": "users would have no id, email or name",
    "about": "the setup guide requires it",
    "employment": "the setup guide requires it",
    "work": "department memberships, titles and managers would be missing",
    "lifecycle": "terminated employees could not be told apart and would sync as enabled",
}


def validate_access(client: HibobClient) -> ValidationReport:
    """Run the three checks; later checks are skipped when an earlier one makes them moot."""
    report = ValidationReport()
    if not _check_api(client, report):
        return report
    probe_id = _check_visible_employees(client, report)
    if probe_id is not None:
        _check_categories(client, probe_id, report)
    return report


def _check_api(client: HibobClient, report: ValidationReport) -> bool:
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


@dataclass(slots=True)
class _Visible:
    """What the id-and-status listing showed."""

    total: int = 0
    with_status: int = 0
    inactive: int = 0
    probe_id: str | None = None
    """An employee to probe: the first active one, else the first with an id."""


def _list_visible(client: HibobClient) -> _Visible:
    """Everyone's id and status, read with a two-field schema: on a large tenant this
    listing is as long as the sync's, and a full employee read of each record would
    double validation's cost."""
    visible = _Visible()
    probe_is_active = False
    for record in client.search_people(STATUS_SCHEMA.requested_fields):
        visible.total += 1
        if isinstance(record, Mapping) and not field_present(record, "root.id"):
            continue  # without the root category HiBob omits even the id
        person = load_record(STATUS_SCHEMA, record, SEARCH_ENDPOINT)
        status = person["status"]
        visible.with_status += status is not None
        visible.inactive += status == INACTIVE
        if visible.probe_id is None or (status == ACTIVE and not probe_is_active):
            visible.probe_id, probe_is_active = person["id"], status == ACTIVE
    return visible


def _check_visible_employees(client: HibobClient, report: ValidationReport) -> str | None:
    """Report who the service user sees; return the employee to probe, if there is one."""
    visible = _list_visible(client)
    if visible.total == 0:
        report.add(
            "employees_visible",
            False,
            "the service user sees no employee: add the company's employees to the permission group's "
            "'access data for' audience",
        )
        return None
    report.add("employees_visible", True, f"{visible.total} employees visible")
    if visible.probe_id is None:
        _report_category(report, "root", present=False, detail="no other check can run without employee ids")
        return None
    if visible.inactive:
        report.add("inactive_employees_visible", True, f"{visible.inactive} inactive (former) employees visible")
    elif visible.with_status == 0:
        report.add(
            "inactive_employees_visible",
            False,
            "internal.status is not readable, so it is unknown whether former employees are visible",
            severity="warning",
        )
    else:
        report.add(
            "inactive_employees_visible",
            False,
            "no inactive (former) employee is visible: the permission group may not cover former employees, "
            "so leavers would be missing instead of synced as disabled",
            severity="warning",
        )
    return visible.probe_id


def _check_categories(client: HibobClient, employee_id: str, report: ValidationReport) -> None:
    """Ask for one field per category for one employee, and name every category left out."""
    records = list(client.search_people(tuple(CATEGORY_PROBES.values()), employee_ids=(employee_id,)))
    record = next((r for r in records if isinstance(r, Mapping)), None)
    if record is None:
        report.add("categories", False, f"the probe search for employee {employee_id} answered no record")
        return
    for category, field_id in CATEGORY_PROBES.items():
        _report_category(report, category, present=field_present(record, field_id))


def _report_category(report: ValidationReport, category: str, *, present: bool, detail: str = "") -> None:
    if present:
        report.add(f"category:{category}", True, f"the '{category}' category is readable")
        return
    report.add(
        f"category:{category}",
        False,
        f"the service user cannot read the '{category}' category ({CATEGORY_PROBES[category]} is omitted): "
        f"{CATEGORY_IMPACT[category]}; add it to the service user's permission group"
        + (f" ({detail})" if detail else ""),
    )
