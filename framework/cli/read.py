"""``connector resources|entitlements|grants``: reading the sync file back."""

from __future__ import annotations

import argparse
from typing import Any

from framework.cli.options import App, add_output, add_plugin, file_parser, sync_id
from framework.cli.render import IDENTITY_COLUMNS, Column, emit
from framework.host import config
from framework.host.models import Status
from framework.read import queries
from framework.store.file import Store

RESOURCE_COLUMNS: list[Column] = [
    *IDENTITY_COLUMNS,
    ("status", lambda r: r["status"]),
    ("parent", lambda r: f"{r['parent']['resource_type']}:{r['parent']['id']}" if r["parent"] else ""),
    ("email", lambda r: next((e["address"] for e in r["emails"] if e["primary"]), "")),
]
ENTITLEMENT_COLUMNS: list[Column] = [
    ("id", lambda e: e["id"]),
    ("resource_type", lambda e: e["resource_type"]),
    ("resource_id", lambda e: e["resource_id"]),
    ("display_name", lambda e: e["display_name"]),
]
GRANT_COLUMNS: list[Column] = [
    ("entitlement", lambda g: g["entitlement"]["id"]),
    ("principal_type", lambda g: g["principal"]["resource_type"]),
    ("principal_id", lambda g: g["principal"]["id"]),
]


def open_sync(app: App, args: argparse.Namespace) -> tuple[Store, int]:
    """The sync file and the sync to read: ``--sync-id``, or the latest complete one (of ``--plugin``)."""
    store = Store.open_existing(app.resolve(args, [config.FILE_FIELD])["file"])
    try:
        return store, int(store.sync(args.sync_id, args.plugin)["id"])
    except BaseException:
        store.close()
        raise


def run_resources(args: argparse.Namespace, app: App) -> int:
    store, sync_id = open_sync(app, args)
    with store:
        where = queries.ResourceFilter(args.resource_type, args.status, args.parent, args.search)
        emit(lambda: queries.resources(store, sync_id, where), RESOURCE_COLUMNS, args.output)
    return 0


def run_entitlements(args: argparse.Namespace, app: App) -> int:
    store, sync_id = open_sync(app, args)
    with store:
        where = queries.EntitlementFilter(args.resource_type, args.resource_id)
        emit(lambda: queries.entitlements(store, sync_id, where), ENTITLEMENT_COLUMNS, args.output)
    return 0


def run_grants(args: argparse.Namespace, app: App) -> int:
    store, sync_id = open_sync(app, args)
    with store:
        where = queries.GrantFilter(
            args.entitlement, args.resource_type, args.resource_id, args.principal_type, args.principal_id
        )
        emit(lambda: queries.grants(store, sync_id, where), GRANT_COLUMNS, args.output)
    return 0


def reader_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
    name: str,
    help_text: str,
    handler: Any,
) -> argparse.ArgumentParser:
    """A reader command with the options every reader shares."""
    parser = commands.add_parser(name, parents=[common, file_parser()], help=help_text)
    add_output(parser)
    add_sync_choice(parser)
    parser.set_defaults(handler=handler)
    return parser


def add_sync_choice(parser: argparse.ArgumentParser) -> None:
    """``--sync-id`` and ``--plugin``: the options :func:`open_sync` reads."""
    parser.add_argument("--sync-id", type=sync_id, help="read this sync instead of the latest complete one")
    add_plugin(parser, "read this plugin's latest complete sync (needed when several plugins share the file)")


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], app: App, common: argparse.ArgumentParser
) -> None:
    resources = reader_parser(commands, common, "resources", "list synced resources", run_resources)
    resources.add_argument("--resource-type", help="only this type, e.g. user or department")
    resources.add_argument("--status", choices=[str(status) for status in Status])
    resources.add_argument("--parent", metavar="[TYPE:]ID", help="only children of this resource")
    resources.add_argument("--search", metavar="TEXT", help="display name or email contains TEXT")

    entitlements = reader_parser(commands, common, "entitlements", "list synced entitlements", run_entitlements)
    entitlements.add_argument("--resource-type")
    entitlements.add_argument("--resource-id")

    grants = reader_parser(commands, common, "grants", "list synced grants", run_grants)
    grants.add_argument("--entitlement", metavar="ID", help="e.g. department:42:member")
    grants.add_argument("--resource-type", help="type of the resource the entitlement is on")
    grants.add_argument("--resource-id", help="id of the resource the entitlement is on")
    grants.add_argument("--principal-type", help="e.g. user")
    grants.add_argument("--principal-id")
