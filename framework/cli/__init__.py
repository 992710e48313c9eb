"""The ``connector`` command: one module per group of subcommands.

Every failure a user can cause ends in one line on stderr and a documented
exit code (see :class:`framework.host.errors.ExitCode`); secrets are scrubbed from
anything printed.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import signal
import sys
from collections.abc import Mapping, Sequence
from itertools import takewhile
from types import FrameType

import shtab

from framework import __version__
from framework.cli import authoring, demo, explore, history, identities, plugins, read, run
from framework.cli.logs import setup_logging
from framework.cli.options import App, add_fields, add_global_options, common_parser
from framework.cli.progress import StatusLine
from framework.cli.usage import Parser, exit_code_table
from framework.host import config
from framework.host.errors import ConnectorError, ExitCode
from framework.host.plugins import ConnectorManager, get_plugin_manager
from framework.host.redact import RedactingStream, redactor
from framework.host.terminal import printable

log = logging.getLogger("framework.cli")
COMMAND_MODULES = (plugins, run, demo, read, history, explore, identities, authoring)
PLUGIN_COMMANDS = frozenset({"plugins", "validate", "sync", "demo", "simulator", "config", "capabilities"})
"""The commands that call plugins; the others read a sync file or copy the template."""
GLOBAL_VALUE_OPTIONS = frozenset({"--file", "--log-level", "--log-format"})
"""Global options that take a value, which may stand before the command."""
COMPLETION_OPTION = "--print-completion"
"""Prints the shell completion script: it lists every plugin, so every plugin loads."""


class Terminated(ConnectorError):
    """SIGTERM arrived; raised in the main thread so the sync is recorded as failed."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise Terminated("terminated by signal SIGTERM")


def build_parser(app: App) -> argparse.ArgumentParser:
    """The whole command line: global options, then one sub-parser per command (each module registers its own)."""
    parser = Parser(
        prog="connector",
        description="Sync identity data from connector plugins into a local SQLite sync file, and read it back.\n"
        "Global options work before or after the command; every command has --help.",
        epilog=exit_code_table(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-V", "--version", action="version", version=f"%(prog)s {__version__}")
    shtab.add_argument_to(parser, [COMPLETION_OPTION], help="print a shell completion script and exit")
    add_fields(parser, [config.FILE_FIELD], "sync file")
    add_global_options(parser, after_command=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    common = common_parser()
    for module in COMMAND_MODULES:
        module.register(commands, app, common)
    return parser


def plugins_for(argv: Sequence[str], env: Mapping[str, str]) -> ConnectorManager:
    """The plugins a command line needs, and no more: importing one can cost more than
    the command (the SCIM plugin's scim2-models takes 0.8 s, four times a reader's work
    on a small file).

    None for a command outside :data:`PLUGIN_COMMANDS`; for one naming plugins
    (``sync hibob``, ``demo hibob scim``), those plugins alone, unless the
    environment's switches leave one out or it is not installed, when every plugin
    loads so the error can list them. The completion script lists every plugin, so
    :data:`COMPLETION_OPTION` loads them all.
    """
    if COMPLETION_OPTION in argv:
        return get_plugin_manager(env)
    words = _words(argv)
    command = words[0] if words else None
    if command not in PLUGIN_COMMANDS:
        return ConnectorManager()
    given = list(takewhile(lambda word: not word.startswith("-"), words[1:])) if command != "plugins" else []
    named = set(given if command == "demo" else given[:1])
    listed = env.get("BATON_LOAD_PLUGINS")
    if named and (not listed or named <= {part.strip() for part in listed.split(",")}):
        alone = get_plugin_manager({**env, "BATON_LOAD_PLUGINS": ",".join(sorted(named))})
        if named <= set(alone.connector_names()) | {failure.name for failure in alone.failures}:
            return alone
    return get_plugin_manager(env)


def _words(argv: Sequence[str]) -> list[str]:
    """The command line without its leading global options: ``--file x.db sync hibob`` -> ``sync hibob``."""
    rest = list(argv)
    while rest and rest[0].startswith("-"):
        option = rest.pop(0)
        if option in GLOBAL_VALUE_OPTIONS and rest:
            rest.pop(0)
    return rest


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns its exit code (:class:`ExitCode`, or 130 when interrupted).

    The process never dumps core (a credential lives in its memory), and everything
    it writes to stdout and stderr passes the redactor.
    """
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    signal.signal(signal.SIGTERM, _on_sigterm)
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = RedactingStream(stdout).as_text_io(), RedactingStream(stderr).as_text_io()
    try:
        return _run(sys.argv[1:] if argv is None else argv)
    finally:
        sys.stdout, sys.stderr = stdout, stderr


def _run(argv: Sequence[str]) -> int:
    try:
        app = App(pm=plugins_for(argv, os.environ), env=os.environ, status=StatusLine(sys.stderr))
        parser = build_parser(app)
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return int(ExitCode.OK)
        levels = app.resolve(args, [config.LOG_LEVEL_FIELD, config.LOG_FORMAT_FIELD])
        level = config.log_level(levels["log-level"])
        setup_logging("ERROR" if args.quiet else level, config.log_format(levels["log-format"]), app.status)
        code: int = args.handler(args, app)
        return code
    except ConnectorError as exc:
        _error(str(exc))
        return int(exc.exit_code)
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:
        # The reader of stdout left (`connector resources | head`): point stdout at
        # /dev/null so the interpreter's final flush has nowhere to fail, as the
        # Python documentation advises for SIGPIPE.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno() if sys.__stdout__ else 1)
        return 0
    except Exception as exc:
        log.debug("internal error", exc_info=True)
        _error(f"internal error: {type(exc).__name__}: {exc} (run with --log-level debug for details)")
        return int(ExitCode.INTERNAL)


def _error(message: str) -> None:
    """One line on stderr: secrets masked, then every control character escaped (a message
    may quote an upstream's text)."""
    line = printable(redactor.scrub(message).strip()) or "failed"
    sys.stderr.write(f"error: {line}\n")
