"""The Skeleton API's payloads, checked with marshmallow before anything is mapped.

An upstream that changes a field's type should fail a sync with a message that
names the endpoint and the field, not with a ``KeyError`` deep in the mapping.
Unknown fields are ignored: upstreams add fields all the time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from framework.host.errors import PayloadError
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate

T = TypeVar("T")


class UpstreamId(fields.Field[str]):
    """Ids arrive as strings or numbers; the framework wants stable strings."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int) or str(value) == "":
            raise ValidationError("must be a non-empty string or an integer")
        return str(value)


@dataclass(frozen=True, slots=True)
class Me:
    id: str
    scopes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class User:
    id: str
    name: str
    email: str | None
    active: bool


@dataclass(frozen=True, slots=True)
class Team:
    id: str
    name: str
    parent_id: str | None


@dataclass(frozen=True, slots=True)
class Member:
    user_id: str


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


class _Payload(Schema):
    class Meta:
        unknown = EXCLUDE


class MeSchema(_Payload):
    id = UpstreamId(required=True)
    scopes = fields.List(fields.String(), required=True)

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> Me:
        return Me(data["id"], tuple(data["scopes"]))


class UserSchema(_Payload):
    id = UpstreamId(required=True)
    name = fields.String(required=True)
    email = fields.String(load_default=None, allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf(["active", "suspended"]))

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> User:
        return User(data["id"], data["name"], data["email"], data["status"] == "active")


class TeamSchema(_Payload):
    id = UpstreamId(required=True)
    name = fields.String(required=True)
    parent_id = UpstreamId(load_default=None, allow_none=True)

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> Team:
        return Team(data["id"], data["name"], data["parent_id"])


class MemberSchema(_Payload):
    user_id = UpstreamId(required=True)

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> Member:
        return Member(data["user_id"])


class PageSchema(_Payload):
    """Every list endpoint answers ``{"data": [...], "next_cursor": "..." | null}``."""

    data = fields.List(fields.Dict(), required=True)
    next_cursor = fields.String(load_default=None, allow_none=True)


def load(schema: Schema, body: Any, endpoint: str) -> Any:
    """``schema.load(body)``, or a :class:`PayloadError` naming the endpoint and the bad fields."""
    try:
        return schema.load(body)
    except ValidationError as exc:
        raise PayloadError(f"{endpoint} answered an unexpected payload: {exc.messages}") from None


def load_page(body: Any, item_schema: Schema, endpoint: str) -> Page[Any]:
    envelope = load(PageSchema(), body, endpoint)
    items = [load(item_schema, item, f"{endpoint} item {i}") for i, item in enumerate(envelope["data"])]
    return Page(items, envelope["next_cursor"] or None)
