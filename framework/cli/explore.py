"""``connector stats|members|access|export``: exploring one sync.

Each reads the latest complete sync (of ``--plugin`` in a file several plugins
share) unless ``--sync-id`` names another. The first three print a table or
``--output json``; ``export`` writes CSV (for spreadsheets) or JSON Lines (for
other tools) to stdout or ``--out``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from framework.cli.options import App, file_parser
from framework.cli.read import add_sync_choice, reader_parser, reading
from framework.cli.render import IDENTITY_COLUMNS, Column, dump_json, table
from framework.host.errors import ConfigError
from framework.host.terminal import printable
from framework.read import export, lookup, stats

BOM = "\ufeff"

TYPE_COLUMNS: list[Column] = [
    ("type", lambda t: t["resource_type"]),
    ("traits", lambda t: ",".join(t["traits"])),
    ("total", lambda t: t["total"]),
    ("enabled", lambda t: t["enabled"]),
    ("disabled", lambda t: t["disabled"]),
    ("unknown", lambda t: t["unknown"]),
    ("without_group", lambda t: t["without_group"]),
]
ATTRIBUTE_COLUMNS: list[Column] = [
    ("type", lambda r: r["resource_type"]),
    ("attribute", lambda r: r["label"]),
    ("value", lambda r: r["value"] if r["value"] is not None else "(none)"),
    ("count", lambda r: r["count"]),
]
GROUP_COLUMNS: list[Column] = [
    *IDENTITY_COLUMNS,
    ("members", lambda g: g["members"]),
    ("enabled", lambda g: g["enabled_members"]),
]
MEMBER_COLUMNS: list[Column] = [
    *IDENTITY_COLUMNS,
    ("status", lambda m: m["status"]),
    ("email", lambda m: m["email"]),
    ("via", lambda m: m["via"]["display_name"]),
]
ACCESS_COLUMNS: list[Column] = [
    ("entitlement", lambda g: g["entitlement_id"]),
    ("resource", lambda g: g["resource"]["display_name"]),
    ("slug", lambda g: g["slug"]),
]


def _show(
    output: str, result: dict[str, Any], heading: str, sections: list[tuple[str, list[Any], list[Column]]]
) -> None:
    if output == "json":
        dump_json(result, sys.stdout)
        return
    sys.stdout.write(printable(heading) + "\n")
    for title, rows, columns in sections:
        sys.stdout.write(f"\n{title} ({len(rows)})\n")
        table(rows, columns, sys.stdout, empty="none")


def run_stats(args: argparse.Namespace, app: App) -> int:
    with reading(app, args) as (store, sync_id):
        result = stats.stats(store, sync_id)
    _show(
        args.output,
        result,
        f"sync {sync_id}: {result['entitlements']} entitlements, {result['grants']} grants",
        [
            ("resource types", result["resource_types"], TYPE_COLUMNS),
            ("attribute values", result["attributes"], ATTRIBUTE_COLUMNS),
            ("groups", result["groups"], GROUP_COLUMNS),
        ],
    )
    return 0


def run_members(args: argparse.Namespace, app: App) -> int:
    with reading(app, args) as (store, sync_id):
        result = lookup.members(store, sync_id, args.group, args.recursive)
    group = result["group"]
    scope = " and its sub-groups" if args.recursive else ""
    heading = f"{group['resource_type']}:{group['id']} {group['display_name']}{scope} (sync {sync_id})"
    _show(args.output, result, heading, [("members", result["members"], MEMBER_COLUMNS)])
    return 0


def run_access(args: argparse.Namespace, app: App) -> int:
    with reading(app, args) as (store, sync_id):
        result = lookup.access(store, sync_id, args.user)
    user = result["user"]
    email = next((e["address"] for e in user["emails"] if e["primary"]), "")
    heading = f"{user['resource_type']}:{user['id']} {user['display_name']} {email} {user['status']} (sync {sync_id})"
    _show(args.output, result, heading, [("grants", result["grants"], ACCESS_COLUMNS)])
    return 0


SQLITE_MAGIC = b"SQLite format 3\x00"
"""The first 16 bytes of every SQLite database file."""


@contextmanager
def destination(path: str | None, sync_file: Path) -> Iterator[TextIO]:
    """stdout, or a new file at ``path`` for CSV (UTF-8, no newline translation).

    The file is written under a temporary name beside ``path`` (mode 0600: an export
    holds personal data) and renamed over it only once complete, so a failed export
    leaves any earlier file as it was. ``path`` must not be an SQLite database (the
    sync file itself, say): an export never overwrites one.
    """
    if path is None or path == "-":
        yield sys.stdout
        return
    target = Path(path)
    if target.exists() and (_same_file(target, sync_file) or _is_sqlite(target)):
        raise ConfigError(
            f"--out {printable(path)} is an SQLite database (a sync file?); an export never overwrites one"
        )
    try:
        descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    except OSError as exc:
        raise ConfigError(f"cannot write {printable(path)}: {exc.strerror}") from None
    try:
        with open(descriptor, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.samefile(other)
    except OSError:
        return False


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def run_export(args: argparse.Namespace, app: App) -> int:
    with reading(app, args) as (store, sync_id), destination(args.out, store.path) as out:
        header, rows, flatten = export.export_rows(store, sync_id, args.kind, args.resource_type)
        if args.format == "jsonl":
            count = export.write_jsonl(out, rows)
        else:
            if not args.no_bom:
                out.write(BOM)
            count = export.write_csv(out, header, rows, flatten)
    if args.out not in (None, "-"):
        sys.stderr.write(f"wrote {count} {args.kind} of sync {sync_id} to {printable(args.out)}\n")
    return 0


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], app: App, common: argparse.ArgumentParser
) -> None:
    reader_parser(
        commands,
        common,
        "stats",
        "counts per resource type, status, counted attribute and group",
        run_stats,
        description="Count one sync's resources per type and status, resources per counted attribute (such as "
        "lifecycle state), and members per group, largest first.",
    )

    members = reader_parser(
        commands,
        common,
        "members",
        "who is in a group (e.g. a department)",
        run_members,
        description="List who holds an entitlement on a group, sorted by name. Name the group by id, TYPE:ID or "
        "display name; a name two groups share is an error that lists both with their ids.",
    )
    members.add_argument("group", metavar="GROUP", help="group id, TYPE:ID, or display name (case-insensitive)")
    members.add_argument("--recursive", action="store_true", help="include members of sub-groups")

    access = reader_parser(
        commands,
        common,
        "access",
        "what a user holds",
        run_access,
        description="Show one user and every grant they hold, with the resource each entitlement is on. Name the "
        "user by id, TYPE:ID, email or display name; a name two people share is an error that lists both.",
    )
    access.add_argument(
        "user", metavar="USER", help="user id, TYPE:ID, email address or display name (case-insensitive)"
    )

    exporting = commands.add_parser(
        "export",
        parents=[common, file_parser()],
        help="write resources, entitlements or grants as CSV or JSON Lines",
        description="Write every resource, entitlement or grant of one sync as CSV (for spreadsheets: UTF-8 with a "
        "byte order mark, formulas defused) or JSON Lines (one object per line, the shapes of --output json).",
    )
    exporting.add_argument("kind", choices=export.EXPORT_KINDS, help="what to export")
    exporting.add_argument("--format", choices=("csv", "jsonl"), default="csv", help="csv (default) or jsonl")
    exporting.add_argument("--out", metavar="PATH", help="write here instead of stdout")
    exporting.add_argument("--resource-type", help="only this type (of the resource, or of the entitlement's resource)")
    add_sync_choice(exporting)
    exporting.add_argument("--no-bom", action="store_true", help="omit the UTF-8 byte order mark spreadsheets use")
    exporting.set_defaults(handler=run_export)
