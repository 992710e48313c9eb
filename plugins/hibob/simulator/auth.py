"""Service users and HTTP Basic authentication, as HiBob does them.

A HiBob service user authenticates with Basic auth (user = service user id,
password = token) and sees what its permission group grants: whole field
*categories* and an audience of people. The simulator models what changes a
connector's output: the categories, whether the audience covers inactive (former
and not-yet-started) people, an audience narrowed by any rule (a lifecycle-status
filter, a department, a list of people), and categories granted for part of the
audience only (a service user in several permission groups)::

    ServiceUser("SVC-2", "t", audience=lambda e: e.lifecycle_status != "terminated")
    ServiceUser("SVC-3", "t", category_audience={"lifecycle": lambda e: e.department == "209192163"})
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from plugins.hibob.simulator.company import Employee

Rule = Callable[[Employee], bool]
"""Whether a permission group's rule covers one person."""

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
    audience: Rule | None = field(default=None, compare=False)
    """Who the service user sees at all (None: everyone); the others are left out of
    every answer without an error, as HiBob does."""
    category_audience: Mapping[str, Rule] = field(default_factory=dict, compare=False)
    """Categories readable only for the people a rule covers: for the others HiBob
    omits the category's fields, in both forms, without an error."""

    @property
    def scoped(self) -> bool:
        """Whether answers depend on who each person is (so they cannot be shared)."""
        return self.audience is not None or bool(self.category_audience)

    def hidden_categories(self, employee: Employee) -> frozenset[str]:
        """The granted categories this person's record leaves out."""
        return frozenset(c for c, rule in self.category_audience.items() if c in self.categories and not rule(employee))


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
