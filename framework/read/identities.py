"""Identities across connectors: a source plugin's users, and the accounts they own elsewhere.

The source (usually the HR system) says who works here; every other plugin
synced into the same file holds accounts. Each account of another plugin's
latest complete sync is matched to the users of the source's latest complete
sync (the rules are in ``docs/identities.md``):

1. by email: an account's addresses, and its login when that is an email
   address, against the users' addresses and email logins, trimmed and
   compared case-insensitively (``str.casefold``);
2. only when no email matches, by employee id (trimmed, exact).

One matched user is a match (``matched_by`` ``email`` or ``employee_id``).
More than one at the deciding step is ``ambiguous``: the account is shown
under every candidate and attributed to none, never guessed. No match at all
makes an orphan (``matched_by`` null).

Three reports come from one matching: :func:`identities` (every source user
and its accounts), :func:`leavers` (disabled source users still holding an
account that is enabled or whose state is unknown, with the groups it is a
member of) and :func:`orphans` (accounts matching no source user). Their JSON
shapes are a public contract (README, "Identities across connectors").
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from framework.host.errors import ConfigError
from framework.host.models import Status, Trait
from framework.read.queries import primary_email, resource_json
from framework.store.file import Store

EMAIL = "email"
EMPLOYEE_ID = "employee_id"
AMBIGUOUS = "ambiguous"
EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
"""A login that is an email address: one ``@``, a dot in the domain, no spaces."""
HOLDING = frozenset({str(Status.ENABLED), str(Status.UNKNOWN)})
"""Account states a leaver must not have: an unknown state may be enabled (fail closed)."""

IDENTITY_CSV = (
    "identity_resource_type",
    "identity_id",
    "identity_display_name",
    "identity_status",
    "identity_email",
    "plugin",
    "resource_type",
    "id",
    "display_name",
    "status",
    "matched_by",
)
LEAVER_CSV = (*IDENTITY_CSV, "groups")
ORPHAN_CSV = ("plugin", "resource_type", "id", "display_name", "status", "email", "matched_by")


def email_keys(resource: Mapping[str, Any]) -> set[str]:
    """The addresses a resource in JSON shape is known by: its emails and an email-shaped login,
    trimmed and case-folded."""
    keys = {str(e["address"]).strip().casefold() for e in resource["emails"]}
    login = (resource.get("user") or {}).get("login")
    if isinstance(login, str) and EMAIL_SHAPE.match(login.strip()):
        keys.add(login.strip().casefold())
    return keys - {""}


def employee_keys(resource: Mapping[str, Any]) -> set[str]:
    """The employee ids of a resource in JSON shape, trimmed; empty ones dropped."""
    return {str(value).strip() for value in resource["employee_ids"]} - {""}


@dataclass(slots=True)
class Matching:
    """One source sync matched against the latest complete sync of every other plugin.

    ``identities`` are the source users in JSON shape, by display name;
    ``accounts`` maps a source user's ``(resource type, id)`` to its account
    entries; ``orphans`` are the entries that matched nobody. An entry is the
    public account shape plus ``sync_id`` (kept out of the JSON).
    """

    source: sqlite3.Row
    targets: list[sqlite3.Row]
    identities: list[dict[str, Any]] = field(default_factory=list)
    accounts: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    orphans: list[dict[str, Any]] = field(default_factory=list)


def _users(store: Store, sync_id: int) -> list[dict[str, Any]]:
    """Every resource of the sync's user-trait types, in JSON shape."""
    types = store.types_with_trait(sync_id, Trait.USER)
    return [resource_json(row) for kind in types for row in store.resources(sync_id, resource_type=kind)]


def match(store: Store, source: str) -> Matching:
    """Match every other plugin's accounts to ``source``'s users (see the module doc).

    Raises :class:`ConfigError` when ``source`` has no complete sync or no
    user type in it, or when no other plugin has a complete sync in the file:
    an empty report then would read as "nobody holds anything".
    """
    source_sync = store.sync(None, source)
    others = [plugin for plugin in store.synced_plugins() if plugin != source]
    if not others:
        raise ConfigError(
            f"{store.path} holds no complete sync of a plugin other than {source} to match against: "
            "sync another connector into the same file first"
        )
    if not store.types_with_trait(int(source_sync["id"]), Trait.USER):
        raise ConfigError(f"{source} sync {source_sync['id']} has no resource type with the user trait")
    users = _users(store, int(source_sync["id"]))
    result = Matching(source_sync, [store.sync(None, plugin) for plugin in others])
    result.identities = sorted(users, key=lambda u: (u["display_name"].casefold(), u["resource_type"], u["id"]))
    by_email: dict[str, set[tuple[str, str]]] = defaultdict(set)
    by_employee_id: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for user in users:
        key = (user["resource_type"], user["id"])
        for address in email_keys(user):
            by_email[address].add(key)
        for employee_id in employee_keys(user):
            by_employee_id[employee_id].add(key)
    for target in result.targets:
        for account in _users(store, int(target["id"])):
            matched_by, owners = _owners(account, by_email, by_employee_id)
            entry = _entry(target, account, matched_by)
            if not owners:
                result.orphans.append(entry)
            for owner in owners:
                result.accounts[owner].append(entry)
    return result


def _owners(
    account: Mapping[str, Any],
    by_email: Mapping[str, set[tuple[str, str]]],
    by_employee_id: Mapping[str, set[tuple[str, str]]],
) -> tuple[str | None, set[tuple[str, str]]]:
    """How an account matched and the source users it matched (several: ambiguous)."""
    for rule, keys, index in (
        (EMAIL, email_keys(account), by_email),
        (EMPLOYEE_ID, employee_keys(account), by_employee_id),
    ):
        owners = set().union(*(index.get(key, set()) for key in keys))
        if owners:
            return (rule if len(owners) == 1 else AMBIGUOUS), owners
    return None, set()


def _entry(target: sqlite3.Row, account: Mapping[str, Any], matched_by: str | None) -> dict[str, Any]:
    return {
        "plugin": target["plugin"],
        "resource_type": account["resource_type"],
        "id": account["id"],
        "display_name": account["display_name"],
        "status": account["status"],
        "matched_by": matched_by,
        "sync_id": int(target["id"]),
        "email": primary_email(account),
    }


def _public(entry: Mapping[str, Any], *extra: str) -> dict[str, Any]:
    """The public account shape: ``plugin``, ``resource_type``, ``id``, ``display_name``,
    ``status``, ``matched_by``, then ``extra`` keys."""
    keys = ("plugin", "resource_type", "id", "display_name", "status", "matched_by", *extra)
    return {key: entry[key] for key in keys}


def _ordered(entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(entries, key=lambda e: (e["plugin"], e["resource_type"], e["id"]))


def identities(matching: Matching) -> list[dict[str, Any]]:
    """``[{"identity": {resource}, "accounts": [account, ...]}]`` for every source user, by display name."""
    return [
        {
            "identity": user,
            "accounts": [
                _public(entry) for entry in _ordered(matching.accounts.get((user["resource_type"], user["id"]), []))
            ],
        }
        for user in matching.identities
    ]


def leavers(store: Store, matching: Matching) -> list[dict[str, Any]]:
    """Disabled source users still holding an enabled (or unknown-state) account, with those accounts only.

    Each account adds ``groups``: ``[{"resource_type", "id", "display_name",
    "entitlement_id", "via"}]``, every entitlement it holds directly (``via``
    null) or through a group it is a member of (``via`` that group's
    ``{"resource_type", "id"}``), direct ones first, each by display name.
    """
    found = []
    for user in matching.identities:
        if user["status"] != str(Status.DISABLED):
            continue
        holding = [
            entry
            for entry in matching.accounts.get((user["resource_type"], user["id"]), [])
            if entry["status"] in HOLDING
        ]
        if holding:
            accounts = [{**_public(entry), "groups": _groups(store, entry)} for entry in _ordered(holding)]
            found.append({"identity": user, "accounts": accounts})
    return found


def _groups(store: Store, entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What an account holds: direct memberships first, then those through a nested group, each by name."""
    groups = [
        {
            "resource_type": row["resource_type"],
            "id": row["resource_id"],
            "display_name": row["resource_display_name"],
            "entitlement_id": row["entitlement_id"],
            "via": None
            if (row["via_type"], row["via_id"]) == (entry["resource_type"], entry["id"])
            else {"resource_type": row["via_type"], "id": row["via_id"]},
        }
        for row in store.held_through(entry["sync_id"], entry["resource_type"], entry["id"])
    ]
    return sorted(groups, key=lambda g: (g["via"] is not None, str(g["display_name"]).casefold(), g["entitlement_id"]))


def orphans(matching: Matching) -> list[dict[str, Any]]:
    """Accounts matching no source user, by plugin, type and id: the public account shape."""
    return [_public(entry) for entry in _ordered(matching.orphans)]


def orphan_rows(matching: Matching) -> list[dict[str, Any]]:
    """Orphans with their primary ``email`` too, for tables and CSV."""
    return [_public(entry, "email") for entry in _ordered(matching.orphans)]


def flat_rows(reports: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per (identity, account), an identity without accounts as one row, for tables and CSV;
    a leaver's ``groups`` become their display names joined by ``; ``."""
    rows = []
    for report in reports:
        user = report["identity"]
        identity = {
            "identity_resource_type": user["resource_type"],
            "identity_id": user["id"],
            "identity_display_name": user["display_name"],
            "identity_status": user["status"],
            "identity_email": primary_email(user),
        }
        for account in report["accounts"] or [{}]:
            row = {**identity, **{key: account.get(key) for key in IDENTITY_CSV[5:]}}
            if "groups" in account:
                row["groups"] = "; ".join(str(g["display_name"] or g["id"]) for g in account["groups"])
            rows.append(row)
    return rows
