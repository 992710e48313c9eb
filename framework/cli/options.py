"""Flags built from :class:`~framework.host.models.ConfigField` declarations.

Every field becomes one flag with no argparse default, so the value can be
resolved afterwards in the documented order (flag, then ``BATON_*`` variable,
then the field's default) and ``--help`` never shows a configured value.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from framework.host import config
from framework.host.models import ConfigField
from framework.host.plugins import ConnectorManager


@dataclass
class App:
    """What every command handler needs besides its parsed arguments."""

    pm: ConnectorManager
    env: Mapping[str, str]

    def resolve(self, args: argparse.Namespace, fields: Iterable[ConfigField]) -> dict[str, str]:
        fields = tuple(fields)
        flags = {field.name: getattr(args, dest(field), None) for field in fields}
        return config.resolve(fields, flags, self.env)


def dest(field: ConfigField) -> str:
    return "opt_" + field.name.replace("-", "_")


def add_fields(parser: argparse.ArgumentParser, fields: Iterable[ConfigField], title: str) -> None:
    group = parser.add_argument_group(title)
    for field in fields:
        notes = [f"env {field.env_var}"]
        if field.default:
            notes.append(f"default {field.default}")
        if field.required:
            notes.append("required")
        if field.secret:
            notes.append("secret: prefer the env variable")
        group.add_argument(
            field.flag,
            dest=dest(field),
            metavar="VALUE",
            # argparse %-formats help texts: a literal % (say "10% of the users") must be doubled.
            help=f"{field.description} ({'; '.join(notes)})".replace("%", "%%"),
        )


def add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", choices=("table", "json"), default="table", help="table (default) or json")


def add_plugin(parser: argparse.ArgumentParser, help_text: str) -> None:
    """``--plugin NAME``: which plugin's syncs to read in a file several plugins sync into."""
    parser.add_argument("--plugin", metavar="NAME", help=help_text)


def common_parser() -> argparse.ArgumentParser:
    """Options every command accepts."""
    parent = argparse.ArgumentParser(add_help=False)
    add_fields(parent, [config.LOG_LEVEL_FIELD], "logging")
    return parent


def file_parser() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    add_fields(parent, [config.FILE_FIELD], "sync file")
    return parent


MAX_SYNC_ID = 2**63 - 1
"""SQLite's largest integer: the largest sync id a file can hold."""


def sync_id(text: str) -> int:
    """argparse ``type`` for a sync id: a whole number from 1 to :data:`MAX_SYNC_ID`."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_SYNC_ID:
        raise argparse.ArgumentTypeError(f"a sync id is a whole number of at least 1, not {text[:40]!r}")
    return value
