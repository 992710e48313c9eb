"""``connector plugins [--all]``: what is installed, as JSON.

By default only the plugins that loaded are listed, each with its version,
where it came from and the hooks it implements. ``--all`` adds the plugins that
failed to load, those the ``BATON_LOAD_PLUGINS`` / ``BATON_BLOCK_PLUGINS``
switches kept out, and every distribution of a name two distributions register
(``conflict``: none of them loads); without it, a note on stderr says how many
were left out.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from framework.cli.options import App
from framework.cli.render import dump_json
from framework.host.errors import ConnectorError
from framework.host.plugins import PluginSource
from framework.host.terminal import printable


def loaded_entries(app: App) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for name in app.pm.connector_names():
        connector = app.pm.connector(name)
        source = app.pm.sources.get(name)
        entry: dict[str, Any] = {
            "name": name,
            "status": "loaded",
            "source": _label(source),
            "hooks": connector.implemented_hooks,
        }
        try:
            info = connector.info()
        except ConnectorError as exc:
            entry.update(version=None, error=str(exc))
        else:
            entry.update(
                version=info.version,
                description=info.description,
                resource_types=[t.id for t in info.resource_types],
            )
        entries.append(entry)
    return entries


def left_out_entries(app: App) -> list[dict[str, Any]]:
    """Plugins that failed to load, installed ones the environment switches kept out, and conflicts."""
    entries: list[dict[str, Any]] = [
        {"name": f.name, "status": "failed", "source": _label(f.source), "error": f.error} for f in app.pm.failures
    ]
    entries += [
        {"name": s.name, "status": "skipped", "source": _label(s.source), "reason": s.reason} for s in app.pm.skipped
    ]
    entries += [
        {
            "name": c.name,
            "status": "conflict",
            "source": _label(source),
            "version": source.version if source else None,
            "error": c.error,
        }
        for c in app.pm.conflicts
        for source in c.sources
    ]
    return entries


def _label(source: PluginSource | None) -> str:
    return source.label if source else "registered"


def plugin_entries(app: App, include_all: bool = False) -> list[dict[str, Any]]:
    entries = loaded_entries(app) + (left_out_entries(app) if include_all else [])
    return sorted(entries, key=lambda e: (str(e["name"]), str(e["source"])))


def run_plugins(args: argparse.Namespace, app: App) -> int:
    dump_json(plugin_entries(app, args.all))
    if not args.all:
        left_out = left_out_entries(app)
        if left_out:
            names = ", ".join(dict.fromkeys(f"{e['name']} ({e['status']})" for e in left_out))
            sys.stderr.write(f"note: not listed: {printable(names)}; see connector plugins --all\n")
    return 0


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], app: App, common: argparse.ArgumentParser
) -> None:
    parser = commands.add_parser(
        "plugins",
        parents=[common],
        help="list installed connector plugins as JSON",
        description="List the connector plugins the host loaded, as JSON: name, version, source, hooks, resource "
        "types. BATON_LOAD_PLUGINS and BATON_BLOCK_PLUGINS choose which load.",
    )
    parser.add_argument(
        "--all", action="store_true", help="also list plugins that failed to load or that BATON_* switches kept out"
    )
    parser.set_defaults(handler=run_plugins)
