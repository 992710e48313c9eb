"""The HiBob connector's hook implementations: wiring between the host and this package.

A sync costs three HiBob requests: the field list (validation's credential
check), the department list and one streamed people search, which also carries
validation's measurements (see :mod:`plugins.hibob.validation`). What they give
is kept in the run's :class:`HibobRun` so the hooks can be called in any order
without fetching anything twice: users reuse the department index, and grants
reuse the memberships recorded while users were listed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from framework import hookimpl
from framework.host.context import ConnectorContext
from framework.host.errors import PluginError, ValidationFailed
from framework.host.models import ConnectorInfo, Grant, Resource, ResourceType, ValidationReport
from plugins.hibob import __version__
from plugins.hibob.client import HibobClient
from plugins.hibob.config import BASE_URL, CONFIG_FIELDS, SERVICE_USER_ID, SERVICE_USER_TOKEN, load_config
from plugins.hibob.departments import DepartmentIndex, department_of
from plugins.hibob.mapping import DEPARTMENT, USER, department_resource, membership_grant, user_resource
from plugins.hibob.quality import Roster
from plugins.hibob.schemas import EMPLOYEE_FIELDS
from plugins.hibob.shapes import field_present
from plugins.hibob.validation import ID_FIELD, SYNC_READS, Audience, check_api, validate_access

NAME = "hibob"
UNREADABLE_EFFECT = {
    "work.reportsTo": "the manager's id is taken from work.manager, and their name and email are left out"
}
"""What an unreadable described field costs, where it is not simply "left out of the profile"."""


@hookimpl
def connector_info() -> ConnectorInfo:
    return ConnectorInfo(
        name=NAME,
        version=__version__,
        description="HiBob employees as users (terminated ones disabled) and departments as groups. Read-only.",
        config_fields=CONFIG_FIELDS,
        resource_types=(DEPARTMENT, USER),
    )


@dataclass
class HibobRun:
    """What one run keeps between hooks: one client (so HiBob's per-minute limits are
    tracked across hooks), the department index, the memberships seen while listing
    users, and a sync's validation report, which the users listing completes."""

    client: HibobClient
    departments: DepartmentIndex | None = None
    memberships: list[tuple[str, str]] | None = None
    """``(department id, employee id)`` pairs, set once every user has been listed."""
    report: ValidationReport | None = None
    """The report a sync's ``validate`` returned; the users listing adds its measurements."""


@hookimpl
def start_run(ctx: ConnectorContext) -> HibobRun:
    return HibobRun(HibobClient(ctx, load_config(ctx.config)))


@hookimpl
def validate(ctx: ConnectorContext, run: HibobRun) -> ValidationReport:
    """Standalone: credentials plus one lean measuring search. At the start of a sync:
    credentials only; the users listing measures the rest from the sync's own search."""
    if not ctx.sync_follows:
        return validate_access(run.client)
    report = run.report = ValidationReport()
    check_api(run.client, report)
    return report


@hookimpl
def list_resources(ctx: ConnectorContext, resource_type: ResourceType, run: HibobRun) -> Iterable[Resource]:
    if resource_type.id == DEPARTMENT.id:
        return (department_resource(department) for department in _departments(ctx, run).departments)
    if resource_type.id == USER.id:
        return _list_users(ctx, run)
    raise PluginError(f"{NAME} does not list resources of type {resource_type.id!r}")


@hookimpl
def list_grants(ctx: ConnectorContext, run: HibobRun) -> Iterable[Grant]:
    if run.memberships is None:
        # Not the normal path (the host lists users first), but the contract must hold.
        deque(_list_users(ctx, run), maxlen=0)
    memberships = run.memberships or []
    # In department order, the order of the grant indexes: near-sequential inserts
    # (0.2 s less for 100,000 grants than in upstream order).
    return (membership_grant(department_id, employee_id) for department_id, employee_id in sorted(memberships))


@hookimpl
@contextmanager
def demo_upstream(step: int) -> Iterator[dict[str, str]]:
    """The simulated demo company, ``step`` steps of joiners, movers and leavers on, served on loopback.

    Imported here so a sync never loads the simulator.
    """
    from plugins.hibob.simulator import Simulator, demo_company
    from plugins.hibob.simulator.timeline import advance

    with Simulator(advance(demo_company(), step)) as sim:
        yield {
            BASE_URL.name: sim.base_url,
            SERVICE_USER_ID.name: sim.service_user_id,
            SERVICE_USER_TOKEN.name: sim.token,
        }


def _list_users(ctx: ConnectorContext, run: HibobRun) -> Iterator[Resource]:
    """Stream every employee as a user, noting department memberships on the way.

    An employee HiBob lists twice is kept once (the first listed copy) and
    reported, with the fields in which the copies differ: failing the whole sync
    over it would hold back every other change, and dropping the person would read
    as a leaver downstream. Missing and shared emails are reported too
    (:mod:`plugins.hibob.quality`).

    The listing also measures what validation would have probed for (see
    :func:`_measure`): its findings join the sync's validation report, and an
    error among them fails the sync (``ValidationFailed``, exit 6).
    """
    index = _departments(ctx, run)
    memberships: list[tuple[str, str]] = []
    roster = Roster(ctx.warn)
    audience = Audience(tuple(sorted(SYNC_READS)))
    for employee in run.client.employees(
        EMPLOYEE_FIELDS, human_readable=True, observe=lambda record: _measure(audience, record)
    ):
        if not roster.admit(employee):
            continue
        for field_id, shape in employee.unreadable:
            ctx.warn(
                f"unreadable:{field_id}",
                f"employee's {field_id} came as {shape}, a shape the connector does not read; "
                + UNREADABLE_EFFECT.get(field_id, "left out of the profile"),
                employee.id,
            )
        department = department_of(index, employee, ctx.warn)
        if department is not None:
            memberships.append((department.id, employee.id))
        yield user_resource(employee, department, ctx.warn)
    roster.report_differences(lambda ids: run.client.employees(EMPLOYEE_FIELDS, human_readable=True, only=ids))
    if run.report is not None:
        audience.report(run.report)
        if run.report.errors:
            raise ValidationFailed("validation failed: " + "; ".join(run.report.errors))
    run.memberships = memberships


def _measure(audience: Audience, record: object) -> None:
    """Count one raw record; one without ``root.id`` stops the sync at once, as
    validation would (HiBob omits even the id when the root category is hidden)."""
    audience.observe(record)
    if isinstance(record, dict) and not field_present(record, ID_FIELD):
        raise ValidationFailed(
            f"validation failed: category:root: employee record {audience.total} has no {ID_FIELD}: "
            "the service user cannot read the 'root' category for everyone; add it to its permission group"
        )


def _departments(ctx: ConnectorContext, run: HibobRun) -> DepartmentIndex:
    """The department index, fetched on first use in a run."""
    index = run.departments
    if index is None:
        index = run.departments = DepartmentIndex(run.client.departments())
        for department_id in index.conflicts:
            ctx.warn(
                "department_duplicate",
                "department id listed more than once with different names or parents; the first listing is kept",
                department_id,
            )
    return index
