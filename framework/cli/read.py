"""``connector resources|entitlements|grants``: reading the sync file back."""

from __future__ import annotations

import argparse
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from framework.cli.demo import DEMO_FILE
from framework.cli.options import App, Handler, add_output, add_plugin, file_parser, sync_id
from framework.cli.render import IDENTITY_COLUMNS, Column, emit
from framework.host import config
from framework.host.errors import StoreError
from framework.host.models import Status
from framework.host.terminal import printable
from framework.read import lookup, queries
from framework.store.file import Store


class Names:
    """Display names of resources by type and id, looked up once each, so a table shows
    a name beside every id it references (parents, entitlements' resources, principals)."""

    def __init__(self, store: Store, sync_id: int) -> None:
        self._store, self._sync_id = store, sync_id
        self._known: dict[tuple[str, str], str] = {}

    def __call__(self, resource_type: str, resource_id: str) -> str:
        """The display name, or ``""`` for a resource not in the sync."""
        key = (resource_type, resource_id)
        if key not in self._known:
            row = self._store.resource(self._sync_id, resource_type, resource_id)
            self._known[key] = "" if row is None else str(row["display_name"])
        return self._known[key]


def resource_columns(names: Names) -> list[Column]:
    """Identity, status, the parent by name and ``TYPE:ID``, and the primary email."""
    return [
        *IDENTITY_COLUMNS,
        ("status", lambda r: r["status"]),
        (
            "parent",
            lambda r: (
                f"{names(r['parent']['resource_type'], r['parent']['id'])} "
                f"({r['parent']['resource_type']}:{r['parent']['id']})"
                if r["parent"]
                else ""
            ),
        ),
        ("email", lambda r: next((e["address"] for e in r["emails"] if e["primary"]), "")),
    ]


def entitlement_columns(names: Names) -> list[Column]:
    """The entitlement, and the resource it is on by name and ``TYPE:ID``."""
    return [
        ("id", lambda e: e["id"]),
        ("display_name", lambda e: e["display_name"]),
        ("on", lambda e: f"{names(e['resource_type'], e['resource_id'])} ({e['resource_type']}:{e['resource_id']})"),
    ]


def grant_columns(names: Names) -> list[Column]:
    """The entitlement and the resource it is on, and the principal holding it, names beside ids."""
    return [
        ("entitlement", lambda g: g["entitlement"]["id"]),
        ("on", lambda g: names(g["entitlement"]["resource_type"], g["entitlement"]["resource_id"])),
        ("principal", lambda g: f"{g['principal']['resource_type']}:{g['principal']['id']}"),
        ("principal_name", lambda g: names(g["principal"]["resource_type"], g["principal"]["id"])),
    ]


def open_file(app: App, args: argparse.Namespace) -> Store:
    """The sync file of ``--file`` (or ``BATON_FILE``, or ``sync.db``), which must exist.

    When the default file is missing but the demo's is there, the error says to
    add ``--file demo.db`` (the demo never writes into the default file).
    """
    path = app.resolve(args, [config.FILE_FIELD])["file"]
    try:
        return Store.open_existing(path)
    except StoreError:
        if path == config.FILE_FIELD.default and not Path(path).exists() and Path(DEMO_FILE).exists():
            raise StoreError(
                f"no sync file at {path}; `connector demo` wrote {DEMO_FILE}: add --file {DEMO_FILE}"
            ) from None
        raise


def note(app: App, args: argparse.Namespace, text: str) -> None:
    """One line on stderr for a person reading a table (not with ``--output json`` or ``--quiet``)."""
    if getattr(args, "output", None) == "table" and not args.quiet:
        app.status.write_above(printable(text) + "\n")


def describe_sync(row: sqlite3.Row) -> str:
    """``sync 3 (hibob 0.1.0, finished 2026-01-02T03:04:05+00:00)``."""
    return f"sync {row['id']} ({row['plugin']} {row['plugin_version']}, finished {row['finished_at']})"


@contextmanager
def reading(app: App, args: argparse.Namespace) -> Iterator[tuple[Store, int]]:
    """The open sync file and the sync to read: ``--sync-id``, or the latest complete one (of ``--plugin``).

    When the block ends without an error, a table reader gets one line on
    stderr naming the sync and the file it read (see :func:`note`); a failure
    stays the one ``error:`` line.
    """
    with open_file(app, args) as store:
        row = store.sync(args.sync_id, args.plugin)
        yield store, int(row["id"])
        note(app, args, f"read {describe_sync(row)} from {store.path}")


def run_resources(args: argparse.Namespace, app: App) -> int:
    with reading(app, args) as (store, sync_id):
        lookup.check_resource_type(store, sync_id, args.resource_type)
        parent = None
        if args.parent is not None:
            found = lookup.find_resource(store, sync_id, args.parent)
            parent = f"{found['resource_type']}:{found['id']}"
        where = queries.ResourceFilter(args.resource_type, args.status, parent, args.search)
        emit(
            lambda: queries.resources(store, sync_id, where, by_name=args.output == "table"),
            resource_columns(Names(store, sync_id)),
            args.output,
            empty="no resources match",
        )
    return 0


def run_entitlements(args: argparse.Namespace, app: App) -> int:
    with reading(app, args) as (store, sync_id):
        lookup.check_resource_type(store, sync_id, args.resource_type)
        where = queries.EntitlementFilter(args.resource_type, args.resource_id)
        emit(
            lambda: queries.entitlements(store, sync_id, where),
            entitlement_columns(Names(store, sync_id)),
            args.output,
            empty="no entitlements match",
        )
    return 0


def run_grants(args: argparse.Namespace, app: App) -> int:
    with reading(app, args) as (store, sync_id):
        for resource_type in (args.resource_type, args.principal_type):
            lookup.check_resource_type(store, sync_id, resource_type)
        where = queries.GrantFilter(
            args.entitlement, args.resource_type, args.resource_id, args.principal_type, args.principal_id
        )
        emit(
            lambda: queries.grants(store, sync_id, where),
            grant_columns(Names(store, sync_id)),
            args.output,
            empty="no grants match",
        )
    return 0


def reader_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
    name: str,
    help_text: str,
    handler: Handler,
    *,
    description: str | None = None,
) -> argparse.ArgumentParser:
    """A reader command with the options every reader shares; ``description`` defaults to the help line."""
    parser = commands.add_parser(
        name,
        parents=[common, file_parser()],
        help=help_text,
        description=description or f"{help_text[:1].upper()}{help_text[1:]}.",
    )
    add_output(parser)
    add_sync_choice(parser)
    parser.set_defaults(handler=handler)
    return parser


def add_sync_choice(parser: argparse.ArgumentParser) -> None:
    """``--sync-id`` and ``--plugin``: the options :func:`reading` reads."""
    parser.add_argument("--sync-id", type=sync_id, help="read this sync instead of the latest complete one")
    add_plugin(parser, "read this plugin's latest complete sync (needed when several plugins share the file)")


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], app: App, common: argparse.ArgumentParser
) -> None:
    resources = reader_parser(
        commands,
        common,
        "resources",
        "list synced resources",
        run_resources,
        description="List the resources of one sync (users, groups, ...), sorted by display name, with their status, "
        "parent and email. Filters combine; a type or parent that is not in the sync is an error.",
    )
    resources.add_argument("--resource-type", metavar="TYPE", help="only this type, e.g. user or department")
    resources.add_argument("--status", choices=[str(s) for s in Status], help="only resources with this status")
    resources.add_argument(
        "--parent", metavar="PARENT", help="only children of this resource: TYPE:ID, an id, or a display name"
    )
    resources.add_argument("--search", metavar="TEXT", help="display name or email contains TEXT (case-insensitive)")

    entitlements = reader_parser(
        commands,
        common,
        "entitlements",
        "list synced entitlements",
        run_entitlements,
        description="List the entitlements of one sync (e.g. `member` of each department) and what each is on.",
    )
    entitlements.add_argument("--resource-type", metavar="TYPE", help="only entitlements on resources of this type")
    entitlements.add_argument("--resource-id", metavar="ID", help="only entitlements on this resource")

    grants = reader_parser(
        commands,
        common,
        "grants",
        "list synced grants",
        run_grants,
        description="List who holds which entitlement in one sync, with names beside ids. "
        "For one person's access, `connector access` is shorter.",
    )
    grants.add_argument("--entitlement", metavar="ID", help="e.g. department:42:member")
    grants.add_argument("--resource-type", metavar="TYPE", help="type of the resource the entitlement is on")
    grants.add_argument("--resource-id", metavar="ID", help="id of the resource the entitlement is on")
    grants.add_argument("--principal-type", metavar="TYPE", help="type of the holder, e.g. user")
    grants.add_argument("--principal-id", metavar="ID", help="id of the holder")
