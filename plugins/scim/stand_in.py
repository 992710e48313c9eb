"""``python -m plugins.scim.stand_in [scim2-server options]``: scim2-server with predictable ids.

The demo's SCIM stand-in starts afresh on every ``connector demo``; with
scim2-server's random ids every account would come back under a new id, so a
second demo run would read as everyone replaced (the removal guard refuses it,
and ``connector diff`` would show nothing but joiners and leavers). This runs
scim2-server's own command with storage that derives each id from what the
demo keeps stable: the resource type and the ``userName`` (users) or
``displayName`` (groups), the override scim2-server's ``generate_id``
documents for predictable identifiers.
"""

from __future__ import annotations

import uuid
from typing import Any

from scim2_models import Resource, ResourceType
from scim2_server.memory import InMemoryStorage
from scim2_server.testserver import cli

NAMESPACE = uuid.UUID("6f1d2c8e-5b4a-4e0f-9c3d-7a2b1e0f4d5c")


class PredictableStorage(InMemoryStorage):
    """In-memory storage whose ids are a UUID 5 of the resource type and its name."""

    def generate_id(self, resource_type: ResourceType, resource: Resource[Any]) -> str:
        name = getattr(resource, "user_name", None) or getattr(resource, "display_name", None)
        if not name:
            return super().generate_id(resource_type, resource)
        return uuid.uuid5(NAMESPACE, f"{resource_type.name}:{name}").hex


def main() -> None:
    """Run scim2-server's command line with :class:`PredictableStorage`."""
    cli.InMemoryStorage = PredictableStorage  # type: ignore[attr-defined]  # the command builds its storage by this name
    cli.main()


if __name__ == "__main__":
    main()
