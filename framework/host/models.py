"""The one data model every connector plugin answers in.

Plugins return these objects; the host stores, checks and prints them. Ids are
plain strings built deterministically from upstream ids, so two syncs of the same
data produce identical ids and can be diffed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

JSONValue = Any
"""A value that :func:`json.dumps` accepts (profile values must be JSON-ready)."""


class Trait(StrEnum):
    """What a resource type *is*, so consumers know how to treat its resources."""

    USER = "user"
    GROUP = "group"
    ROLE = "role"
    APP = "app"


class Status(StrEnum):
    """Whether the upstream account or group can be used; a leaver is ``disabled``.

    ``unknown`` is what a plugin answers when the upstream hides or garbles the
    state: it is never read as enabled, and the diff reports a change to or from
    it as its own kind, never as a joiner, leaver or re-enable.
    """

    ENABLED = "enabled"
    DISABLED = "disabled"
    UNKNOWN = "unknown"
    """The upstream hid or garbled the state: never read as enabled."""


@dataclass(frozen=True, slots=True)
class EntitlementSpec:
    """An entitlement every resource of a type offers (for example ``member``)."""

    slug: str
    display_name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class TrackedAttribute:
    """A profile attribute whose changes ``connector diff`` reports as a fact with a label.

    A resource type declares its own, in its connector's words; the host names
    none. A change of a tracked attribute makes an
    enabled user a mover.
    """

    key: str
    """The profile key compared between two syncs, e.g. ``manager_id``."""
    label: str
    """The fact's name in the diff: the key of the mover entry and its ``kinds`` value."""
    name_key: str | None = None
    """The profile key holding the display name of what ``key`` identifies: the diff then
    shows ``{"id", "display_name"}`` on each side, and only the id decides."""
    counted: bool = False
    """``connector stats`` counts the resources of the type per value of this attribute."""
    stats_key: str | None = None
    """With ``counted``: a top-level key of ``connector stats --output json`` that also lists
    these counts as ``[{"resource_type", <key>: value, "count"}]``, the shape a connector's
    earlier versions printed (HiBob: ``lifecycle``). A key the host's own stats shape
    already uses is never replaced."""


@dataclass(frozen=True, slots=True)
class ResourceType:
    """A kind of resource a connector lists, and the entitlements each one offers."""

    id: str
    display_name: str
    traits: tuple[Trait, ...] = ()
    entitlements: tuple[EntitlementSpec, ...] = ()
    description: str = ""
    tracked: tuple[TrackedAttribute, ...] = ()
    """Profile attributes whose changes the diff reports, in the order it reports them."""


ValueType = Literal["string", "integer", "number"]
"""A setting's JSON Schema type. Values arrive as text; the host refuses one that does not parse as its type."""


@dataclass(frozen=True, slots=True)
class ConfigField:
    """One setting a connector needs.

    A field named ``x-y`` is read from the flag ``--x-y`` or the environment
    variable ``BATON_X_Y``; a ``secret`` value is never printed or logged.
    The value reaches the plugin as text; ``value_type`` is what it must parse
    as (``connector config`` publishes it in the settings schema).
    """

    name: str
    description: str
    required: bool = True
    secret: bool = False
    default: str | None = None
    value_type: ValueType = "string"

    @property
    def flag(self) -> str:
        return f"--{self.name}"

    @property
    def env_var(self) -> str:
        return "BATON_" + self.name.upper().replace("-", "_")


@dataclass(frozen=True, slots=True)
class ConnectorInfo:
    """A plugin's self-description: everything the host needs before calling it."""

    name: str
    version: str
    description: str
    config_fields: tuple[ConfigField, ...]
    resource_types: tuple[ResourceType, ...]
    provisions: bool = False


@dataclass(frozen=True, slots=True)
class ResourceRef:
    """Points at a resource by type and id (a parent, a grant's principal)."""

    resource_type: str
    id: str


@dataclass(frozen=True, slots=True)
class Email:
    """One address of a user; at most one of a user's addresses is ``primary``."""

    address: str
    primary: bool = False


@dataclass(frozen=True, slots=True)
class UserTrait:
    """What only a user has: the data of a resource whose type declares :attr:`Trait.USER`."""

    status: Status
    """Required: a plugin decides, and answers ``unknown`` when the upstream does not say."""
    emails: tuple[Email, ...] = ()
    employee_ids: tuple[str, ...] = ()
    """Every id the upstream knows the person by (record id, employee number), as strings."""
    login: str | None = None
    """The name the person signs in with, when the upstream has one."""
    manager: ResourceRef | None = None
    """The manager's user resource; one the sync does not list, or lists disabled, is a summary warning."""
    start_date: str | None = None
    """ISO 8601 date the person starts (a joiner's date in the diff)."""
    end_date: str | None = None
    """ISO 8601 date the person ends (a leaver's date in the diff)."""


@dataclass(frozen=True, slots=True)
class GroupTrait:
    """What only a group has: the data of a resource whose type declares :attr:`Trait.GROUP`."""

    status: Status = Status.ENABLED
    """An archived group stays listed, ``disabled``."""


@dataclass(frozen=True, slots=True)
class Resource:
    """One upstream object: a user, a group, a role.

    ``profile`` holds connector-specific facts (JSON values only). A resource of
    a type declaring :attr:`Trait.USER` carries a :class:`UserTrait` (and only
    such a resource does); one of a :attr:`Trait.GROUP` type may carry a
    :class:`GroupTrait`.
    """

    resource_type: str
    id: str
    display_name: str
    parent: ResourceRef | None = None
    profile: Mapping[str, JSONValue] = field(default_factory=dict)
    user: UserTrait | None = None
    group: GroupTrait | None = None

    @property
    def ref(self) -> ResourceRef:
        return ResourceRef(self.resource_type, self.id)

    @property
    def status(self) -> Status:
        """The user's status, else the group's, else ``enabled`` (a trait-less resource has none)."""
        trait = self.user or self.group
        return Status.ENABLED if trait is None else trait.status


def entitlement_id(resource: ResourceRef, slug: str) -> str:
    """``<resource type>:<resource id>:<slug>``, e.g. ``department:42:member``."""
    return f"{resource.resource_type}:{resource.id}:{slug}"


@dataclass(frozen=True, slots=True)
class Entitlement:
    """Something a principal can hold on a resource; derived by the host from the
    resource type's :class:`EntitlementSpec` list."""

    resource: ResourceRef
    slug: str
    display_name: str
    description: str = ""

    @property
    def id(self) -> str:
        return entitlement_id(self.resource, self.slug)


@dataclass(frozen=True, slots=True)
class Grant:
    """A principal holding an entitlement, e.g. a user being a department member."""

    resource: ResourceRef
    slug: str
    principal: ResourceRef

    @property
    def entitlement_id(self) -> str:
        return entitlement_id(self.resource, self.slug)

    @property
    def id(self) -> str:
        """``<entitlement id>:<principal type>:<principal id>``."""
        return f"{self.entitlement_id}:{self.principal.resource_type}:{self.principal.id}"


class Severity(StrEnum):
    """How a validation finding reads: ``info`` passed, ``warning`` is a problem a
    sync runs with, ``error`` blocks the sync."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Finding:
    """One line of a validation report.

    ``count`` and ``total`` are set for measured checks: how many of the
    ``total`` objects examined the finding is about (e.g. 2 of 120 employees
    whose lifecycle is hidden); both are None for a yes-or-no check.
    """

    check: str
    severity: Severity
    message: str
    count: int | None = None
    total: int | None = None

    @property
    def ok(self) -> bool:
        """True for a passed check (``info``)."""
        return self.severity is Severity.INFO

    def as_dict(self) -> dict[str, Any]:
        """The shape printed by ``validate --output json`` and kept in the sync summary:
        ``check``, ``ok``, ``severity``, ``message``, ``count``, ``total``."""
        return {
            "check": self.check,
            "ok": self.ok,
            "severity": str(self.severity),
            "message": self.message,
            "count": self.count,
            "total": self.total,
        }


@dataclass(slots=True)
class ValidationReport:
    """What ``validate`` found. Valid when no finding is an ``error``."""

    findings: list[Finding] = field(default_factory=list)

    def add(
        self,
        check: str,
        ok: bool,
        message: str,
        severity: str = "error",
        *,
        count: int | None = None,
        total: int | None = None,
    ) -> None:
        """Record a check: a passed one (``ok``) is ``info`` whatever ``severity``
        says; a failed one is ``severity`` (``error`` or ``warning``)."""
        self.findings.append(Finding(check, Severity.INFO if ok else Severity(severity), message, count, total))

    @property
    def errors(self) -> list[str]:
        """``check: message`` of every error."""
        return [f"{f.check}: {f.message}" for f in self.findings if f.severity is Severity.ERROR]

    @property
    def valid(self) -> bool:
        return not self.errors
