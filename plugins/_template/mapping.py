"""Skeleton objects as framework resources and grants: the one place that decides ids.

Ids are the upstream's own ids, untouched, so two syncs of the same data
produce the same ids and can be compared.
"""

from __future__ import annotations

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

from plugins._template.schemas import Team, User

USER = ResourceType("user", "User", (Trait.USER,), description="An account in Skeleton.")
MEMBER = EntitlementSpec("member", "Member", "Belongs to the team.")
TEAM = ResourceType("team", "Team", (Trait.GROUP,), (MEMBER,), description="A team in Skeleton; teams may nest.")


def user_resource(user: User) -> Resource:
    return Resource(
        USER.id,
        user.id,
        user.name.strip() or user.id,
        profile={"upstream_status": "active" if user.active else "suspended"},
        user=UserTrait(
            status=Status.ENABLED if user.active else Status.DISABLED,
            emails=(Email(user.email, primary=True),) if user.email else (),
        ),
    )


def team_resource(team: Team) -> Resource:
    parent = ResourceRef(TEAM.id, team.parent_id) if team.parent_id else None
    return Resource(TEAM.id, team.id, team.name.strip() or team.id, parent=parent)


def membership_grant(team_id: str, user_id: str) -> Grant:
    return Grant(ResourceRef(TEAM.id, team_id), MEMBER.slug, ResourceRef(USER.id, user_id))
