"""``connector plugins``: what is installed, as JSON."""

from __future__ import annotations

import argparse
from typing import Any

from framework.cli.options import App
from framework.cli.render import dump_json
from framework.errors import ConnectorError


def plugin_entries(app: App) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for name in app.pm.connector_names():
        connector = app.pm.connector(name)
        source = app.pm.sources.get(name)
        entry: dict[str, Any] = {
            "name": name,
            "source": ("built-in" if source.built_in else source.distribution) if source else "registered",
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
    entries += [{"name": f.name, "error": f.error} for f in app.pm.failures]
    return sorted(entries, key=lambda e: str(e["name"]))


def run_plugins(args: argparse.Namespace, app: App) -> int:
    dump_json(plugin_entries(app))
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], app: App, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser("plugins", parents=[common], help="list installed connector plugins as JSON")
    parser.set_defaults(handler=run_plugins)
