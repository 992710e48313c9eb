"""The removal guard: a sync that would make too many users disappear is refused.

An upstream that suddenly answers nobody, or half the company, is far more
often broken (an expired permission group, a filter changed by mistake, an
outage answering 200 with an empty list) than describing a real mass departure,
and downstream every user missing from a sync reads as removed. So before a
sync completes, the host compares its users (resources carrying the user trait,
by type and id) with the previous complete sync of the same plugin, and refuses
the sync when more would disappear than allowed. A refused sync is recorded as
failed with the counts; the previous one stays the latest; the one-line error
says how to accept the change.

The limit is ``--max-removals`` / ``BATON_MAX_REMOVALS``: ``N`` (users) or
``P%`` (of the previous sync's users). Without it, :data:`DEFAULT_SHARE` applies,
never fewer than :data:`DEFAULT_FLOOR` users, and two cases are refused whatever
the numbers: an empty answer after a non-empty sync, and the loss of half the
users or more. The reference is Microsoft Entra provisioning's accidental
deletions prevention, which stops a provisioning cycle above a count of
deletions (500 by default); a share fits tenants from 30 to 300,000 people
better than one count (see README, "The removal guard"). A first sync has
nothing to compare with and always passes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from framework.host.errors import ConfigError, RemovalsRefused
from framework.host.models import ConfigField

DEFAULT_SHARE = 10.0
"""Percent of the previous sync's users that may disappear by default."""
DEFAULT_FLOOR = 10
"""Users that may always disappear by default, so a few deletions in a small company pass."""

MAX_REMOVALS_FIELD = ConfigField(
    "max-removals",
    "Most users a sync may remove compared with the previous complete sync: N users or P% of them "
    f"(default: {DEFAULT_SHARE:g}%, at least {DEFAULT_FLOOR}; an empty result or the loss of half or more "
    "is always refused by default).",
    required=False,
    default="",
)


@dataclass(frozen=True, slots=True)
class RemovalLimit:
    """How many users a sync may remove: ``count`` users, or ``percent`` of the previous
    sync's users; both None is the default policy."""

    count: int | None = None
    percent: float | None = None

    @property
    def is_default(self) -> bool:
        return self.count is None and self.percent is None

    def allowed(self, previous: int) -> int:
        """The most removals allowed out of ``previous`` users."""
        if self.count is not None:
            return self.count
        if self.percent is not None:
            return math.floor(previous * self.percent / 100)
        return max(DEFAULT_FLOOR, math.floor(previous * DEFAULT_SHARE / 100))

    def describe(self) -> str:
        if self.count is not None:
            return f"--max-removals {self.count}"
        if self.percent is not None:
            return f"--max-removals {self.percent:g}%"
        return f"the default limit ({DEFAULT_SHARE:g}% of the users, at least {DEFAULT_FLOOR})"


DEFAULT_LIMIT = RemovalLimit()


def parse_max_removals(value: str) -> RemovalLimit:
    """``""`` (the default policy), ``N`` (a whole number of users) or ``P%`` (0 to 100)."""
    text = value.strip()
    if not text:
        return DEFAULT_LIMIT
    try:
        if text.endswith("%"):
            percent = float(text[:-1])
            if math.isfinite(percent) and 0 <= percent <= 100:
                return RemovalLimit(percent=percent)
        else:
            count = int(text)
            if count >= 0:
                return RemovalLimit(count=count)
    except ValueError:
        pass
    raise ConfigError(f"--max-removals must be a whole number of users or a percentage such as 20%, not {text[:40]!r}")


def check_removals(limit: RemovalLimit, previous_sync: int, previous: int, removed: int) -> dict[str, int | str]:
    """The guard's verdict on removing ``removed`` of the ``previous`` users of sync ``previous_sync``.

    Returns the counts for the sync summary; raises :class:`RemovalsRefused` (one
    line: the counts, what refused them, and the setting that would accept them).
    """
    allowed = limit.allowed(previous)
    counts: dict[str, int | str] = {
        "previous_sync_id": previous_sync,
        "previous_users": previous,
        "removed_users": removed,
        "allowed": allowed,
        "limit": limit.describe(),
    }
    if limit.is_default and previous and removed == previous:
        why = "every user would disappear (an empty or replaced result), always refused by default"
    elif limit.is_default and previous and 2 * removed >= previous:
        why = "losing half the users or more is always refused by default"
    elif removed > allowed:
        why = f"more than {limit.describe()} allows ({allowed})"
    else:
        return counts
    share = 100 * removed / previous
    raise RemovalsRefused(
        f"refused: {removed} of {previous} users ({share:.0f}%) would be removed compared with sync "
        f"{previous_sync}: {why}; sync {previous_sync} stays the latest. If they really left, run again with "
        f"--max-removals {removed} (or BATON_MAX_REMOVALS={removed})"
    )
