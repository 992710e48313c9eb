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
    """Whether the upstream account can be used; a leaver is ``disabled``."""

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
class ResourceType:
    """A kind of resource a connector lists, and the entitlements each one offers."""

    id: str
    display_name: str
    traits: tuple[Trait, ...] = ()
    entitlements: tuple[EntitlementSpec, ...] = ()
    description: str = ""


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
    address: str
    primary: bool = False


@dataclass(frozen=True, slots=True)
class Resource:
    """One upstream object: a user, a group, a role.

    ``profile`` holds connector-specific facts (JSON values only); ``emails`` and
    ``employee_ids`` are meaningful for user-like types.
    """

    resource_type: str
    id: str
    display_name: str
    parent: ResourceRef | None = None
    status: Status = Status.ENABLED
    profile: Mapping[str, JSONValue] = field(default_factory=dict)
    emails: tuple[Email, ...] = ()
    employee_ids: tuple[str, ...] = ()

    @property
    def ref(self) -> ResourceRef:
        return ResourceRef(self.resource_type, self.id)


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


@dataclass(frozen=True, slots=True)
class Finding:
    """One line of a validation report; ``ok`` is False for a problem."""

    check: str
    ok: bool
    message: str
    severity: str = "error"
    """``error`` fails validation when not ok; ``warning`` never does."""

    def as_dict(self) -> dict[str, Any]:
        """The shape printed by ``validate --output json`` and kept in the sync summary."""
        return {"check": self.check, "ok": self.ok, "severity": self.severity, "message": self.message}


@dataclass(slots=True)
class ValidationReport:
    """What ``validate`` found. Valid when no error-severity finding failed."""

    findings: list[Finding] = field(default_factory=list)

    def add(self, check: str, ok: bool, message: str, severity: str = "error") -> None:
        self.findings.append(Finding(check, ok, message, severity))

    @property
    def errors(self) -> list[str]:
        """``check: message`` of every failed error-severity finding."""
        return [f"{f.check}: {f.message}" for f in self.findings if not f.ok and f.severity == "error"]

    @property
    def valid(self) -> bool:
        return not self.errors
