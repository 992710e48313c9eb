"""Data-quality warnings the host finds in every sync, whatever the plugin.

Checked on the stored rows of the sync being written, in SQL, before it
completes; each becomes a counted warning in the summary with examples that are
ids only (``user:123``), never names or addresses:

* ``manager_not_listed``: a user's manager is not a user of this sync (outside
  the service user's audience, or never listed);
* ``manager_disabled``: a user's manager is disabled (reports to a leaver).
"""

from __future__ import annotations

from framework.host.context import ConnectorContext
from framework.store.file import Store

MESSAGES = {
    "manager_not_listed": "a user's manager is not a resource of this sync",
    "manager_disabled": "a user's manager is disabled in this sync (the user reports to a leaver)",
}


def warn_data_quality(store: Store, sync_id: int, ctx: ConnectorContext) -> None:
    """Add this sync's data-quality warnings to ``ctx``, counted in users."""
    for user, manager_status in store.unusable_managers(sync_id):
        code = "manager_not_listed" if manager_status is None else "manager_disabled"
        ctx.warn(code, MESSAGES[code], user)
