"""Flags built from :class:`~framework.host.models.ConfigField` declarations, and the global options.

Every field becomes one flag with no argparse default, so the value can be
resolved afterwards in the documented order (flag, then ``BATON_*`` variable,
then the field's default) and ``--help`` never shows a configured value.

Global options (``--file``, ``--log-level``, ``--log-format``, ``--quiet``) work
before or after the command: the main parser declares them, and each
subcommand declares them again with ``argparse.SUPPRESS`` as default, so an
option absent after the command leaves the value given before it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import shtab

from framework.cli.progress import StatusLine
from framework.host import config
from framework.host.models import ConfigField
from framework.host.plugins import ConnectorManager

PATH_FIELDS = frozenset({config.FILE_FIELD.name})
"""Fields whose value is a path: shell completion offers files."""


@dataclass
class App:
    """What every command handler needs besides its parsed arguments."""

    pm: ConnectorManager
    env: Mapping[str, str]
    status: StatusLine
    """The live line at the bottom of stderr; log lines are written above it."""

    def resolve(self, args: argparse.Namespace, fields: Iterable[ConfigField]) -> dict[str, str]:
        fields = tuple(fields)
        flags = {field.name: getattr(args, dest(field), None) for field in fields}
        return config.resolve(fields, flags, self.env)


Handler = Callable[[argparse.Namespace, App], int]
"""A command's handler: parsed arguments and the app in, exit code out."""


def dest(field: ConfigField) -> str:
    return "opt_" + field.name.replace("-", "_")


def add_fields(
    parser: argparse.ArgumentParser, fields: Iterable[ConfigField], title: str, *, after_command: bool = False
) -> None:
    """One flag per field in a titled help group; ``after_command`` for a subcommand's copy of a global option."""
    group = parser.add_argument_group(title)
    for field in fields:
        notes = [f"env {field.env_var}"]
        if field.value_type != "string":
            notes.append(field.value_type)
        if field.default:
            notes.append(f"default {field.default}")
        if field.required:
            notes.append("required")
        if field.secret:
            notes.append("secret: prefer the env variable")
        action = group.add_argument(
            field.flag,
            dest=dest(field),
            metavar="PATH" if field.name in PATH_FIELDS else "VALUE",
            # argparse %-formats help texts: a literal % (say "10% of the users") must be doubled.
            help=f"{field.description} ({'; '.join(notes)})".replace("%", "%%"),
            default=argparse.SUPPRESS if after_command else None,
        )
        if field.name in PATH_FIELDS:
            action.complete = shtab.FILE  # type: ignore[attr-defined]


def add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", choices=("table", "json"), default="table", help="table (default) or json")


def add_global_options(parser: argparse.ArgumentParser, *, after_command: bool) -> None:
    """``--log-level``, ``--log-format`` and ``--quiet``, which every command accepts."""
    add_fields(parser, [config.LOG_LEVEL_FIELD, config.LOG_FORMAT_FIELD], "logging", after_command=after_command)
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=argparse.SUPPRESS if after_command else False,
        help="print only errors on stderr: no progress, no info or warning lines (results still go to stdout)",
    )


def add_plugin(parser: argparse.ArgumentParser, help_text: str) -> None:
    """``--plugin NAME``: which plugin's syncs to read in a file several plugins sync into."""
    parser.add_argument("--plugin", metavar="NAME", help=help_text)


def common_parser() -> argparse.ArgumentParser:
    """Options every command accepts, as a parent parser for subcommands."""
    parent = argparse.ArgumentParser(add_help=False)
    add_global_options(parent, after_command=True)
    return parent


def file_parser() -> argparse.ArgumentParser:
    """``--file``, as a parent parser for the commands that use the sync file."""
    parent = argparse.ArgumentParser(add_help=False)
    add_fields(parent, [config.FILE_FIELD], "sync file", after_command=True)
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
