"""``connector identities|leavers|orphans --source PLUGIN``: people across connectors.

Each matches the latest complete sync of every other plugin in the file to
the source plugin's latest complete sync (rules: ``docs/identities.md``) and
prints a table for people (one line per identity and account), ``--output
json`` (the public shapes) or ``--output csv`` (one row per line of the table,
spreadsheet-safe, to stdout or ``--out``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from framework.cli.explore import BOM, destination
from framework.cli.options import App, file_parser
from framework.cli.render import Column, dump_json, table
from framework.host import config
from framework.host.terminal import printable
from framework.read import export, identities
from framework.store.file import Store

ACCOUNT_COLUMNS: list[Column] = [
    ("plugin", lambda r: r["plugin"]),
    ("account", lambda r: r["display_name"]),
    ("account_id", lambda r: r["id"]),
    ("account_status", lambda r: r["status"]),
    ("matched_by", lambda r: r["matched_by"]),
]
IDENTITY_COLUMNS: list[Column] = [
    ("identity", lambda r: r["identity_display_name"]),
    ("id", lambda r: r["identity_id"]),
    ("status", lambda r: r["identity_status"]),
    ("email", lambda r: r["identity_email"]),
    *ACCOUNT_COLUMNS,
]
LEAVER_COLUMNS: list[Column] = [*IDENTITY_COLUMNS, ("groups", lambda r: r["groups"])]
ORPHAN_COLUMNS: list[Column] = [
    ("plugin", lambda r: r["plugin"]),
    ("type", lambda r: r["resource_type"]),
    ("id", lambda r: r["id"]),
    ("display_name", lambda r: r["display_name"]),
    ("status", lambda r: r["status"]),
    ("email", lambda r: r["email"]),
]

Report = Callable[[Store, identities.Matching], tuple[list[dict[str, Any]], list[dict[str, Any]]]]
"""A report: its public JSON, and its rows for the table and CSV."""


def _identities(store: Store, matching: identities.Matching) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    found = identities.identities(matching)
    return found, identities.flat_rows(found)


def _leavers(store: Store, matching: identities.Matching) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    found = identities.leavers(store, matching)
    return found, identities.flat_rows(found)


def _orphans(store: Store, matching: identities.Matching) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return identities.orphans(matching), identities.orphan_rows(matching)


REPORTS: dict[str, tuple[Report, Sequence[Column], Sequence[str], str]] = {
    "identities": (_identities, IDENTITY_COLUMNS, identities.IDENTITY_CSV, "each source user and its accounts"),
    "leavers": (
        _leavers,
        LEAVER_COLUMNS,
        identities.LEAVER_CSV,
        "disabled source users who still hold an enabled account elsewhere",
    ),
    "orphans": (_orphans, ORPHAN_COLUMNS, identities.ORPHAN_CSV, "accounts that match no source user"),
}


def run_report(args: argparse.Namespace, app: App) -> int:
    path = app.resolve(args, [config.FILE_FIELD])["file"]
    show(path, args.command, args.source, args.output, out_path=args.out, bom=not args.no_bom)
    return 0


def show(path: str, command: str, source: str, output: str, *, out_path: str | None = None, bom: bool = True) -> None:
    """Print one report (``identities``, ``leavers`` or ``orphans``) of the sync file at ``path``.

    ``output`` is ``table`` (a heading naming the syncs compared, then the
    rows), ``json`` or ``csv`` (to ``out_path`` or stdout, with a byte order
    mark when ``bom``). Raises what :func:`identities.match` raises.
    """
    report, columns, header, _ = REPORTS[command]
    with Store.open_existing(path) as store:
        matching = identities.match(store, source)
        found, rows = report(store, matching)
    if output == "json":
        dump_json(found)
    elif output == "csv":
        with destination(out_path, Path(path)) as out:
            if bom:
                out.write(BOM)
            export.write_csv(out, header, rows, dict)
    else:
        against = ", ".join(f"{t['plugin']} sync {t['id']}" for t in matching.targets)
        heading = f"{command} of {matching.source['plugin']} sync {matching.source['id']} against {against}"
        sys.stdout.write(printable(f"{heading}: {len(found)}") + "\n")
        if rows:
            table(rows, columns)


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], app: App, common: argparse.ArgumentParser
) -> None:
    for name, (_, _, _, help_text) in REPORTS.items():
        parser = commands.add_parser(
            name,
            parents=[common, file_parser()],
            help=help_text,
            description=f"{help_text[0].upper()}{help_text[1:]}, matching the latest complete sync of every other "
            "plugin in the file to the source's by email, then employee id (docs/identities.md).",
        )
        parser.add_argument("--source", metavar="PLUGIN", required=True, help="the plugin that says who people are")
        parser.add_argument(
            "--output", choices=("table", "json", "csv"), default="table", help="table (default), json or csv"
        )
        parser.add_argument("--out", metavar="PATH", help="with --output csv: write here instead of stdout")
        parser.add_argument("--no-bom", action="store_true", help="with --output csv: omit the UTF-8 byte order mark")
        parser.set_defaults(handler=run_report)
