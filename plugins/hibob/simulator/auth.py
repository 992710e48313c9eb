"""Service users and HTTP Basic authentication, as HiBob does them.

A HiBob service user authenticates with Basic auth (user = service user id,
password = token) and sees what its permission group grants: whole field
*categories* and an audience of people. The simulator models the categories and
whether the audience covers inactive (former and not-yet-started) people, which
is what changes a connector's output.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field

ALL_CATEGORIES: frozenset[str] = frozenset({"root", "about", "employment", "work", "lifecycle"})
"""Permission categories the simulator knows; ``internal.*`` fields are ``lifecycle``."""

DEMO_SERVICE_USER_ID = "SERVICE-7701"
DEMO_TOKEN = "sim-token-9f1c2e7a4b6d8e0f1a2b3c4d5e6f7a8b"  # noqa: S105 - a published fake credential


@dataclass(frozen=True)
class ServiceUser:
    """A service user: its credentials and what its permission group grants."""

    id: str
    token: str
    categories: frozenset[str] = field(default=ALL_CATEGORIES)
    sees_inactive: bool = True
    """False models a group whose audience is active people only: such a user never
    sees Inactive people, whatever ``showInactive`` says."""


DEMO_SERVICE_USER = ServiceUser(id=DEMO_SERVICE_USER_ID, token=DEMO_TOKEN)


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """``(user, password)`` from an ``Authorization: Basic ...`` header, or None when
    the header is missing or malformed (both answer 401 the same way)."""
    if not header:
        return None
    scheme, _, encoded = header.strip().partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, sep, password = decoded.partition(":")
    if not sep:
        return None
    return user, password
