"""``connector syncs`` and ``connector diff``: the syncs a file keeps, and what changed between two.

The table output is for people; ``--output json`` prints the shapes documented
in ``docs/cli-json.md`` for scripts.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from framework.cli.options import App, add_output, add_plugin, file_parser, sync_id
from framework.cli.read import describe_sync, note, open_file
from framework.cli.render import IDENTITY_COLUMNS, Column, dump_json, table
from framework.host.terminal import printable
from framework.read import jml, syncs

NONE = "(none)"


def _counts(entry: Mapping[str, Any]) -> str:
    counts = entry["counts"]
    if not counts:
        return ""
    parts = [f"{kind}={count}" for kind, count in sorted(counts["resources"].items())]
    return " ".join([*parts, f"entitlements={counts['entitlements']}", f"grants={counts['grants']}"])


SYNC_COLUMNS: list[Column] = [
    ("id", lambda s: f"{s['id']}*" if s["latest"] else s["id"]),
    ("plugin", lambda s: f"{s['plugin']} {s['plugin_version']}"),
    ("started", lambda s: s["started_at"]),
    ("finished", lambda s: s["finished_at"]),
    ("status", lambda s: s["status"]),
    ("counts", _counts),
    ("error", lambda s: s["error"]),
]


def _value(value: Any) -> str:
    """A changed value for a table cell: names over ids, ``(none)`` for nothing."""
    if value is None or value == []:
        return NONE
    if isinstance(value, list):
        return ", ".join(_value(item) for item in value)
    if isinstance(value, dict):
        if value.get("display_name") or value.get("address"):
            return str(value.get("display_name") or value["address"])
        if "id" in value:
            return ":".join(str(value[k]) for k in ("resource_type", "id") if value.get(k) is not None)
        return str(value)
    return str(value)


Covered = Mapping[str, tuple[str, ...]]
"""Per fact kind: the changed fields it already tells, so a table does not repeat them."""


def covered_fields(result: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """What each kind of a diff covers: a tracked attribute its profile keys, ``parent`` the parent."""
    covered: dict[str, tuple[str, ...]] = {"parent": ("parent",)}
    for attributes in result.get("tracked", {}).values():
        for attribute in attributes:
            keys = (attribute["key"], attribute["name_key"]) if attribute["name_key"] else (attribute["key"],)
            covered[attribute["label"]] = covered.get(attribute["label"], ()) + tuple(f"profile.{k}" for k in keys)
    return covered


def _describe(entry: Mapping[str, Any], covered: Covered, group_types: Sequence[str]) -> str:
    """``group: Sales -> Engineering; profile.email: a -> b``: highlights first, then the rest.

    Membership grants are listed unless a group move already tells them.
    """
    kinds = entry.get("kinds", [])
    parts = [f"{kind}: {_value(entry[kind]['old'])} -> {_value(entry[kind]['new'])}" for kind in kinds]
    told = {name for kind in kinds for name in covered.get(kind, ())}
    parts += [
        f"{name}: {_value(change['old'])} -> {_value(change['new'])}"
        for name, change in entry["changes"].items()
        if name not in told
    ]
    memberships = entry.get("memberships", {})
    if not set(kinds) & set(group_types):
        parts += [f"+{m['entitlement_id']}" for m in memberships.get("added", [])]
        parts += [f"-{m['entitlement_id']}" for m in memberships.get("removed", [])]
    return "; ".join(parts)


PRESENCE: list[Column] = [
    *IDENTITY_COLUMNS,
    ("email", lambda r: r["email"]),
    ("reason", lambda r: r["reason"]),
    ("date", lambda r: r["date"]),
]
UNKNOWN: list[Column] = [
    *IDENTITY_COLUMNS,
    ("email", lambda r: r["email"]),
    ("reason", lambda r: r["reason"]),
    ("status", lambda r: f"{_value(r['status']['old'])} -> {_value(r['status']['new'])}"),
]
GROUP: list[Column] = [*IDENTITY_COLUMNS, ("parent", lambda r: _value(r["parent"]) if r["parent"] else "")]
RENAME: list[Column] = [
    ("type", lambda r: r["resource_type"]),
    ("id", lambda r: r["id"]),
    ("old", lambda r: r["old"]),
    ("new", lambda r: r["new"]),
]
MOVE: list[Column] = [
    *IDENTITY_COLUMNS,
    ("old parent", lambda r: _value(r["old"])),
    ("new parent", lambda r: _value(r["new"])),
]
GRANT: list[Column] = [
    ("entitlement", lambda g: g["entitlement"]["id"]),
    ("on", lambda g: g["resource_display_name"]),
    ("principal", lambda g: f"{g['principal']['resource_type']}:{g['principal']['id']}"),
    ("principal_name", lambda g: g["principal_display_name"]),
]


def _sections(result: Mapping[str, Any]) -> list[tuple[str, Sequence[dict[str, Any]], list[Column]]]:
    """Every section of a diff as (title, rows, columns); generic resource sections skip trait types."""
    users, groups = result["users"], result["groups"]
    vocabulary = set(result["traits"]["user"]) | set(result["traits"]["group"])

    def other(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        return [row for row in rows if row["resource_type"] not in vocabulary]

    resources = result["resources"]
    covered, group_types = covered_fields(result), result["traits"]["group"]
    change: list[Column] = [*IDENTITY_COLUMNS, ("changes", lambda r: _describe(r, covered, group_types))]
    return [
        ("joiners", users["joiners"], PRESENCE),
        ("leavers", users["leavers"], PRESENCE),
        ("status unknown", users["status_unknown"], UNKNOWN),
        ("movers", users["movers"], change),
        ("other user changes", users["updated"], change),
        ("groups created", groups["created"], GROUP),
        ("groups removed", groups["removed"], GROUP),
        ("groups renamed", groups["renamed"], RENAME),
        ("groups moved", groups["moved"], MOVE),
        ("other resources added", other(resources["added"]), GROUP),
        ("other resources removed", other(resources["removed"]), GROUP),
        (
            "other resources changed",
            other(resources["changed"]),
            change,
        ),
        ("grants added", result["grants"]["added"], GRANT),
        ("grants removed", result["grants"]["removed"], GRANT),
    ]


def print_diff(result: Mapping[str, Any]) -> None:
    old, new, out = result["from"], result["to"], sys.stdout
    heading = f"changes from sync {old['id']} ({old['finished_at']}) to sync {new['id']} ({new['finished_at']})"
    out.write(printable(heading) + "\n")
    printed = False
    for title, rows, columns in _sections(result):
        if rows:
            out.write(f"\n{title} ({len(rows)})\n")
            table(rows, columns, out)
            printed = True
    if not printed:
        out.write("no changes\n")


def run_syncs(args: argparse.Namespace, app: App) -> int:
    with open_file(app, args) as store:
        entries = syncs.list_syncs(store, args.plugin)
        note(app, args, f"read {store.path}")
    # stdout is looked up now, not bound at import, so a redirected stdout gets the output.
    if args.output == "json":
        dump_json(entries, sys.stdout)
    else:
        table(entries, SYNC_COLUMNS, sys.stdout)
    return 0


def run_diff(args: argparse.Namespace, app: App) -> int:
    with open_file(app, args) as store:
        old, new = syncs.pick_pair(store, args.from_sync, args.to_sync, args.plugin)
        result = jml.diff(store, old, new)
        note(app, args, f"compared {describe_sync(old)} with {describe_sync(new)} from {store.path}")
    if args.output == "json":
        dump_json(result, sys.stdout)
    else:
        print_diff(result)
    return 0


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], app: App, common: argparse.ArgumentParser
) -> None:
    syncs = commands.add_parser(
        "syncs",
        parents=[common, file_parser()],
        help="list the syncs in the sync file",
        description="List every run the sync file keeps: complete syncs (the latest marked *), failed and "
        "interrupted runs with their reason.",
    )
    add_output(syncs)
    add_plugin(syncs, "only this plugin's syncs")
    syncs.set_defaults(handler=run_syncs)

    diff = commands.add_parser(
        "diff",
        parents=[common, file_parser()],
        help="joiners, leavers, movers and other changes between two complete syncs",
        description="Compare two complete syncs of one plugin by stable ids. Default: the previous complete sync "
        "of the same plugin against the latest one (of --plugin, in a file several plugins share).",
    )
    add_output(diff)
    diff.add_argument("--from", dest="from_sync", type=sync_id, metavar="SYNC", help="older sync id")
    diff.add_argument("--to", dest="to_sync", type=sync_id, metavar="SYNC", help="newer sync id (default: the latest)")
    add_plugin(diff, "compare this plugin's syncs (needed when several plugins share the file)")
    diff.set_defaults(handler=run_diff)
