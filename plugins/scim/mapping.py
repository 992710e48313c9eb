"""SCIM resources turned into the host's model: users, groups, group memberships.

Decisions, with the part of the standard they rest on:

* ``active`` (RFC 7643 §4.1.1) is the user's administrative status, and the
  RFC gives it no default: an unassigned attribute has no value (§2.5). So a
  user without ``active`` is neither enabled nor disabled: it is synced as
  ``unknown`` and warned about, never enabled in silence (a provider that
  omits it may be one that hides suspended accounts' state).
* Employee ids are ``externalId`` (the provisioning client's id for the
  person, usually the HR system's) and the enterprise extension's
  ``employeeNumber``, in that order, each once.
* A group nested in a group (a member whose ``type`` is ``Group``, RFC 7643
  §4.2) becomes a grant of the outer group's ``member`` entitlement to the
  inner *group* (``group:<outer>:member:group:<inner>``). It is not flattened
  into grants to the inner group's users: that would state memberships the
  provider never listed and lose the path; readers that need effective
  membership follow the group principals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from scim2_models import EnterpriseUser, Group

from framework.host.models import (
    Email,
    EntitlementSpec,
    Grant,
    Resource,
    ResourceRef,
    ResourceType,
    Status,
    Trait,
    UserTrait,
)
from plugins.scim.client import ScimUser

MEMBER = "member"
USER = ResourceType(
    id="user",
    display_name="User",
    traits=(Trait.USER,),
    description="A SCIM User; active: false is disabled, a missing active is unknown.",
)
GROUP = ResourceType(
    id="group",
    display_name="Group",
    traits=(Trait.GROUP,),
    entitlements=(EntitlementSpec(MEMBER, "Member", "A member of this SCIM group (a user, or a nested group)."),),
    description="A SCIM Group.",
)
Warn = Callable[[str, str, str | None], None]


def user_status(user: ScimUser, warn: Warn) -> Status:
    """``active`` true is enabled, false disabled; missing is unknown, with a warning (see the module doc)."""
    if user.active is None:
        warn(
            "scim_active_missing",
            "user has no active attribute; synced as unknown, not enabled (RFC 7643 gives active no default)",
            str(user.id),
        )
        return Status.UNKNOWN
    return Status.ENABLED if user.active else Status.DISABLED


def user_resource(user: ScimUser, warn: Warn) -> Resource:
    """A SCIM user as a ``user`` resource; the profile keeps the attributes people look up."""
    enterprise: EnterpriseUser | None = user[EnterpriseUser]
    name = user.name
    given = name.given_name if name else None
    family = name.family_name if name else None
    manager = enterprise.manager if enterprise else None
    employee_number = enterprise.employee_number if enterprise else None
    employee_ids = tuple(dict.fromkeys(i for i in (user.external_id, employee_number) if i and i.strip()))
    full_name = " ".join(part for part in (given, family) if part and part.strip())
    return Resource(
        resource_type=USER.id,
        id=str(user.id),
        display_name=user.display_name or (name.formatted if name else None) or full_name or user.user_name or "",
        user=UserTrait(
            status=user_status(user, warn),
            emails=_emails(user, warn),
            employee_ids=employee_ids,
            login=user.user_name,
            manager=ResourceRef(USER.id, manager.value) if manager and manager.value else None,
        ),
        profile={
            "user_name": user.user_name,
            "active": user.active,
            "given_name": given,
            "family_name": family,
            "title": user.title,
            "user_type": user.user_type,
            "external_id": user.external_id,
            "employee_number": employee_number,
            "department": enterprise.department if enterprise else None,
            "division": enterprise.division if enterprise else None,
            "organization": enterprise.organization if enterprise else None,
            "cost_center": enterprise.cost_center if enterprise else None,
            "manager_id": manager.value if manager else None,
            "manager_display_name": manager.display_name if manager else None,
        },
    )


def _emails(user: ScimUser, warn: Warn) -> tuple[Email, ...]:
    """Every address once, in the provider's order; the first one marked primary is the primary.

    RFC 7643 allows one ``primary`` per attribute; a second is kept as an
    ordinary address and warned about.
    """
    emails: list[Email] = []
    primary_seen = False
    for email in user.emails or []:
        address = (email.value or "").strip()
        if not address or any(known.address == address for known in emails):
            continue
        primary = bool(email.primary) and not primary_seen
        if email.primary and primary_seen:
            warn("scim_primary_twice", "user has more than one primary email; the first is kept as primary", user.id)
        primary_seen = primary_seen or primary
        emails.append(Email(address, primary))
    return tuple(emails)


def group_resource(group: Group) -> Resource:
    """A SCIM group; groups carry no ``active``, so they are enabled."""
    return Resource(
        resource_type=GROUP.id,
        id=str(group.id),
        display_name=group.display_name or str(group.id),
        profile={"external_id": group.external_id, "member_count": len(group.members or [])},
    )


def membership_grants(group: Group, users: set[str], groups: set[str], warn: Warn) -> Iterator[Grant]:
    """The group's members as grants of its ``member`` entitlement, each member once.

    A member's ``type`` says whether it is a ``User`` or a ``Group``; without
    one, the id is looked up among the listed users, then the groups. A member
    that is neither (removed meanwhile, or outside what the token may read) is
    skipped and warned about: the host refuses grants to principals it was not given.
    """
    resource = ResourceRef(GROUP.id, str(group.id))
    granted: set[tuple[str, str]] = set()
    for member in group.members or []:
        principal = _principal(member.value, member.type, users, groups)
        if principal is None:
            warn(
                "scim_member_unknown", "group member is no listed user or group; skipped", f"{group.id}/{member.value}"
            )
            continue
        if principal in granted:
            continue
        granted.add(principal)
        yield Grant(resource, MEMBER, ResourceRef(*principal))


def _principal(value: str | None, kind: str | None, users: set[str], groups: set[str]) -> tuple[str, str] | None:
    if not value:
        return None
    wanted = (kind or "").casefold()
    if wanted in ("user", "") and value in users:
        return (USER.id, value)
    if wanted in ("group", "") and value in groups:
        return (GROUP.id, value)
    return None
