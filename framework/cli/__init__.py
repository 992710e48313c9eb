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

from framework import __version__
from framework.cli import authoring, explore, history, identities, plugins, read, run
from framework.cli.options import App, common_parser
from framework.host import config
from framework.host.errors import ConnectorError, ExitCode
from framework.host.plugins import ConnectorManager, get_plugin_manager
from framework.host.redact import RedactingStream, redactor
from framework.host.terminal import PrintableFormatter, printable

log = logging.getLogger("framework.cli")
COMMAND_MODULES = (plugins, run, read, history, explore, identities, authoring)
PLUGIN_COMMANDS = frozenset({"plugins", "validate", "sync", "demo", "config", "capabilities"})
"""The commands that call plugins; the others read a sync file or copy the template."""


class Terminated(ConnectorError):
    """SIGTERM arrived; raised in the main thread so the sync is recorded as failed."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise Terminated("terminated by signal SIGTERM")


def build_parser(app: App) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="connector",
        description="Sync identity data from connector plugins into a local SQLite sync file.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common = common_parser()
    for module in COMMAND_MODULES:
        module.register(commands, app, common)
    return parser


def _setup_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(PrintableFormatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(redactor)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    if level != "DEBUG":
        logging.getLogger("urllib3").setLevel(logging.WARNING)


def plugins_for(argv: Sequence[str], env: Mapping[str, str]) -> ConnectorManager:
    """The plugins a command line needs, and no more: importing one can cost more than
    the command (the SCIM plugin's scim2-models takes 0.8 s, four times a reader's work
    on a small file).

    None for a command outside :data:`PLUGIN_COMMANDS`; for one naming plugins
    (``sync hibob``, ``demo hibob scim``), those plugins alone, unless the
    environment's switches leave one out or it is not installed, when every plugin
    loads so the error can list them.
    """
    command = argv[0] if argv else None
    if command not in PLUGIN_COMMANDS:
        return ConnectorManager()
    words = list(takewhile(lambda word: not word.startswith("-"), argv[1:])) if command != "plugins" else []
    named = set(words if command == "demo" else words[:1])
    listed = env.get("BATON_LOAD_PLUGINS")
    if named and (not listed or named <= {part.strip() for part in listed.split(",")}):
        alone = get_plugin_manager({**env, "BATON_LOAD_PLUGINS": ",".join(sorted(named))})
        if named <= set(alone.connector_names()) | {failure.name for failure in alone.failures}:
            return alone
    return get_plugin_manager(env)


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
        app = App(pm=plugins_for(argv, os.environ), env=os.environ)
        args = build_parser(app).parse_args(argv)
        _setup_logging(config.log_level(app.resolve(args, [config.LOG_LEVEL_FIELD])["log-level"]))
        code: int = args.handler(args, app)
        return code
    except ConnectorError as exc:
        _error(str(exc))
        return int(exc.exit_code)
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:
        sys.stderr.close()
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
