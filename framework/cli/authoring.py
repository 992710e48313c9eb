"""``connector new``, ``connector config`` and ``connector capabilities``: commands for plugin authors.

``new`` copies the plugin template into a new distribution; ``config`` prints a
plugin's settings as JSON Schema and ``capabilities`` what it syncs, so a
plugin's contract can be read (and committed, and diffed) without reading its code.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from framework.authoring.scaffold import check_name, create
from framework.cli.options import App
from framework.cli.render import dump_json
from framework.host.models import ConnectorInfo

JSON_SCHEMA = "https://json-schema.org/draft/2020-12/schema"
JSON_TYPES: dict[str, Callable[[str], Any]] = {"string": str, "integer": int, "number": float}
"""How a field's default (text) becomes the JSON value its schema type names."""


def config_schema(info: ConnectorInfo) -> dict[str, Any]:
    """The plugin's config fields as a JSON Schema object; secrets are ``writeOnly`` and ``x-secret``."""
    properties: dict[str, Any] = {}
    for field in info.config_fields:
        prop: dict[str, Any] = {
            "type": field.value_type,
            "description": field.description,
            "x-flag": field.flag,
            "x-env": field.env_var,
        }
        if field.default is not None:
            prop["default"] = JSON_TYPES[field.value_type](field.default)
        if field.secret:
            prop.update({"writeOnly": True, "x-secret": True})
        properties[field.name] = prop
    return {
        "$schema": JSON_SCHEMA,
        "title": f"{info.name} connector settings",
        "type": "object",
        "properties": properties,
        "required": [field.name for field in info.config_fields if field.required],
        "additionalProperties": False,
    }


def capabilities(info: ConnectorInfo) -> dict[str, Any]:
    return {
        "name": info.name,
        "version": info.version,
        "description": info.description,
        "provisions": info.provisions,
        "resource_types": [
            {
                "id": resource_type.id,
                "display_name": resource_type.display_name,
                "description": resource_type.description,
                "traits": [str(trait) for trait in resource_type.traits],
                "entitlements": [
                    {"slug": spec.slug, "display_name": spec.display_name, "description": spec.description}
                    for spec in resource_type.entitlements
                ],
            }
            for resource_type in info.resource_types
        ],
    }


def run_new(args: argparse.Namespace, app: App) -> int:
    names = check_name(args.name)
    dest = Path(args.dest or names.distribution)
    written = create(args.name, dest)
    sys.stdout.write(
        f"created {names.distribution} in {dest} ({len(written)} files): plugin {names.name!r}, "
        f"package {names.package}\n\nnext:\n"
        f'  pip install -e "{dest}[test]"  # registers the framework.connectors entry point; test tools\n'
        f"  connector plugins              # {names.name} is listed\n"
        f"  connector demo {names.name}    # syncs its stand-in upstream into demo.db\n"
        f"  python -m pytest {dest}/tests  # the conformance suite, before any edit\n"
        f"then follow {dest}/README.md\n"
    )
    return 0


def run_config(args: argparse.Namespace, app: App) -> int:
    dump_json(config_schema(app.pm.connector(args.plugin).info()))
    return 0


def run_capabilities(args: argparse.Namespace, app: App) -> int:
    dump_json(capabilities(app.pm.connector(args.plugin).info()))
    return 0


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], app: App, common: argparse.ArgumentParser
) -> None:
    new = commands.add_parser(
        "new",
        parents=[common],
        help="create a new connector plugin from the template",
        description="Copy the plugin template into a new standalone distribution NAME-connector, every spelling "
        "of the name filled in: a working plugin with a stand-in upstream, tests and cassettes. "
        "Next steps: docs/writing-a-plugin.md.",
    )
    new.add_argument("name", metavar="NAME", help="plugin name: lower case letters, digits, hyphens (e.g. acme-hr)")
    new.add_argument("--dest", metavar="DIR", help="folder to create (default: NAME-connector)")
    new.set_defaults(handler=run_new)
    for name, help_text, description, handler in (
        (
            "config",
            "print a plugin's settings as JSON Schema",
            "Print a plugin's settings as a JSON Schema: type, default, flag and BATON_* variable of each; "
            "secrets are marked writeOnly and x-secret.",
            run_config,
        ),
        (
            "capabilities",
            "print a plugin's resource types, traits and entitlements as JSON",
            "Print what a plugin syncs, as JSON: its resource types with their traits and entitlements, and "
            "whether it provisions.",
            run_capabilities,
        ),
    ):
        parser = commands.add_parser(name, parents=[common], help=help_text, description=description)
        parser.add_argument("plugin", metavar="PLUGIN", help="plugin name, as `connector plugins` lists it")
        parser.set_defaults(handler=handler)
