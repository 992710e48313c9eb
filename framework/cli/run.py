"""``connector validate``, ``connector sync`` and ``connector demo``: commands that call a plugin."""

from __future__ import annotations

import argparse
import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from framework.cli import identities
from framework.cli.options import App, add_fields, add_output, file_parser
from framework.cli.progress import Progress
from framework.cli.render import dump_json, table
from framework.host import config
from framework.host.context import ConnectorContext
from framework.host.errors import ConnectorError, PluginError, ValidationFailed
from framework.host.guard import MAX_REMOVALS_FIELD, parse_max_removals
from framework.host.models import Finding, Severity, ValidationReport
from framework.host.plugins import Connector
from framework.host.redact import redactor
from framework.host.sync import SyncResult, run_sync
from framework.host.terminal import printable
from framework.store.file import Store


def _context(
    app: App, args: argparse.Namespace, connector: Connector, plugin_config: Mapping[str, str]
) -> ConnectorContext:
    """A run context, with every secret value registered for redaction first."""
    info = connector.info()
    for field in info.config_fields:
        if field.secret and field.name in plugin_config:
            redactor.add(plugin_config[field.name])
    host = app.resolve(args, config.HTTP_FIELDS)
    return ConnectorContext(config=dict(plugin_config), http_policy=config.http_policy(host))


def _print_report(report: ValidationReport, output: str) -> None:
    rows = [finding.as_dict() for finding in report.findings]
    if output == "json":
        dump_json({"valid": report.valid, "findings": rows})
        return
    marks = {"info": "ok", "warning": "warn", "error": "FAIL"}
    table(
        rows,
        [
            ("check", lambda r: r["check"]),
            ("result", lambda r: marks[r["severity"]]),
            ("message", lambda r: r["message"]),
        ],
    )


def run_validate(args: argparse.Namespace, app: App) -> int:
    """Print the report; exit 6 when it holds an error. With ``--output json`` a failure
    that stops validation (bad settings, a refused credential, an unreachable upstream)
    still prints ``{"valid": false, "findings": [...]}``: one ``error`` finding whose
    ``check`` is the failure's kind (``usage``, ``auth``, ``upstream``, ``payload``),
    before the usual one-line error and its exit code."""
    connector = app.pm.connector(args.plugin)
    try:
        with _context(app, args, connector, app.resolve(args, connector.info().config_fields)) as ctx:
            report = connector.validate(ctx)
    except ConnectorError as exc:
        if args.output == "json":
            failure = Finding(exc.exit_code.name.lower(), Severity.ERROR, redactor.scrub(str(exc)))
            _print_report(ValidationReport([failure]), args.output)
        raise
    _print_report(report, args.output)
    if not report.valid:
        raise ValidationFailed("validation failed: " + "; ".join(report.errors))
    return 0


GC_YOUNG_THRESHOLD = 10_000
"""Allocations between two young-generation collections while the command syncs (Python's default: 700)."""


@contextmanager
def _collecting_less() -> Iterator[None]:
    """Tune this process's garbage collector for one sync, and restore it after.

    A sync allocates millions of short-lived objects. Frozen, the objects that
    existed before it are not walked by every full collection, and young ones are
    collected every GC_YOUNG_THRESHOLD allocations: 0.4 s less CPU (about 5 %) for
    100,000 HiBob employees (docs/performance.md). The command owns its process,
    so the tuning lives here, never in the library.
    """
    young, *older = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *older)
    try:
        yield
    finally:
        gc.set_threshold(young, *older)
        gc.unfreeze()


def _sync(app: App, args: argparse.Namespace, connector: Connector, plugin_config: Mapping[str, str]) -> SyncResult:
    ctx = _context(app, args, connector, plugin_config)
    path = app.resolve(args, [config.FILE_FIELD])["file"]
    keep = config.parse_keep(app.resolve(args, [config.KEEP_FIELD])["keep"])
    max_removals = parse_max_removals(app.resolve(args, [MAX_REMOVALS_FIELD])[MAX_REMOVALS_FIELD.name])
    progress = Progress(enabled=not args.quiet, http_stats=ctx.http_stats)
    ctx.progress = progress.fetched
    with Store.open(path) as store, _collecting_less():
        try:
            return run_sync(connector, ctx, store, on_stored=progress.stored, keep=keep, max_removals=max_removals)
        finally:
            progress.finish()


def print_summary(result: SyncResult, path: str, output: str) -> None:
    summary = result.summary
    if output == "json":
        dump_json({"sync_id": result.sync_id, "file": path, **summary})
        return
    counts, http = summary["counts"], summary["http"]
    lines = [f"sync {result.sync_id} complete: {summary['plugin']} {summary['plugin_version']} into {path}"]
    lines += [f"  {kind:<14}{count:>8}" for kind, count in sorted(counts["resources"].items())]
    lines += [f"  {'entitlements':<14}{counts['entitlements']:>8}", f"  {'grants':<14}{counts['grants']:>8}"]
    lines.append(
        f"  {http['requests']} upstream requests, {http['retries']} retries, "
        f"{http['rate_limit_wait_seconds']:g}s waiting on rate limits, {summary['duration_seconds']:g}s in all"
    )
    removals = summary["removals"]
    if removals and removals["removed_users"]:
        lines.append(
            f"  {removals['removed_users']} of {removals['previous_users']} users of sync "
            f"{removals['previous_sync_id']} removed (within {removals['limit']})"
        )
    if summary["retention"]["pruned"]:
        retention = summary["retention"]
        lines.append(f"  pruned {retention['pruned']} older sync(s), keeping the newest {retention['keep']}")
    for finding in summary["validation"]:
        if not finding["ok"]:
            lines.append(f"  validation warning: {finding['check']}: {finding['message']}")
    for warning in summary["warnings"]:
        examples = f" (e.g. {', '.join(warning['examples'])})" if warning["examples"] else ""
        lines.append(f"  warning: {warning['count']} x {warning['message']}{examples}")
    print("\n".join(printable(line) for line in lines))


def run_sync_command(args: argparse.Namespace, app: App) -> int:
    connector = app.pm.connector(args.plugin)
    result = _sync(app, args, connector, app.resolve(args, connector.info().config_fields))
    print_summary(result, app.resolve(args, [config.FILE_FIELD])["file"], args.output)
    return 0


def run_demo(args: argparse.Namespace, app: App) -> int:
    """Sync each named plugin's stand-in into one file; with several, the first is the identity
    source and the run ends with its ``connector leavers`` report."""
    names = list(dict.fromkeys([args.plugin, *args.more]))
    connectors = [app.pm.connector(name) for name in names]
    for connector in connectors:
        if "demo_upstream" not in connector.implemented_hooks:
            raise PluginError(f"plugin {connector.name!r} has no demo upstream")
    path = app.resolve(args, [config.FILE_FIELD])["file"]
    results = []
    for connector in connectors:
        with connector.demo_upstream() as demo_config:
            results.append(_sync(app, args, connector, demo_config))
    if args.output == "json" and len(results) > 1:
        dump_json([{"sync_id": result.sync_id, "file": path, **result.summary} for result in results])
        return 0
    for result in results:
        print_summary(result, path, args.output)
    if args.output == "table":
        file_flag = "" if path == config.FILE_FIELD.default else f" --file {path}"
        if len(names) > 1:
            print()
            identities.show(path, "leavers", names[0], "table")
            print(
                "\nnext, explore the sync file:\n"
                f"  connector identities --source {names[0]}{file_flag}\n"
                f"  connector orphans --source {names[0]}{file_flag}\n"
                f"  connector resources --plugin {names[1]} --resource-type user{file_flag}"
            )
            return 0
        print(
            "\nnext, explore the sync file:\n"
            f"  connector resources --resource-type user{file_flag}\n"
            f"  connector resources --resource-type department{file_flag}\n"
            f"  connector grants --output json{file_flag}"
        )
    return 0


def _add_per_plugin(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    app: App,
    common: argparse.ArgumentParser,
    name: str,
    help_text: str,
    handler: Any,
    with_config: bool,
) -> argparse.ArgumentParser:
    command = commands.add_parser(name, help=help_text)
    plugins = command.add_subparsers(dest="plugin", metavar="PLUGIN", required=True)
    parents = [common] if name == "validate" else [common, file_parser()]
    for plugin in app.pm.connector_names():
        sub = _plugin_parser(plugins, name, plugin, parents, f"{name} with the {plugin} connector")
        if with_config:
            try:
                fields = app.pm.connector(plugin).info().config_fields
            except ConnectorError as exc:
                sub.set_defaults(handler=_broken(exc))
                continue
            add_fields(sub, fields, f"{plugin} settings")
        sub.set_defaults(handler=handler)
    for failure in app.pm.failures:
        broken = plugins.add_parser(failure.name, help=f"(failed to load: {failure.error})")
        broken.set_defaults(handler=_broken(PluginError(f"plugin {failure.name!r} failed to load: {failure.error}")))
    for conflict in app.pm.conflicts:
        # The host's own options parse, so the conflict, not a flag, is what the person reads.
        clash = _plugin_parser(plugins, name, conflict.name, parents, f"(not loaded: {conflict.error})")
        clash.set_defaults(handler=_broken(PluginError(conflict.error)))
    return command


def _plugin_parser(
    plugins: argparse._SubParsersAction[argparse.ArgumentParser],
    command: str,
    plugin: str,
    parents: list[argparse.ArgumentParser],
    help_text: str,
) -> argparse.ArgumentParser:
    """``connector COMMAND PLUGIN`` with the host's options; the plugin's own settings come after."""
    sub = plugins.add_parser(plugin, parents=parents, help=help_text)
    add_output(sub)
    add_fields(sub, config.HTTP_FIELDS, "upstream HTTP policy")
    if command == "demo":
        sub.add_argument(
            "more",
            nargs="*",
            metavar="PLUGIN",
            help=f"more plugins whose stand-ins sync into the same file; the run then ends with "
            f"connector leavers --source {plugin}",
        )
    if command != "validate":
        sub.add_argument("--quiet", action="store_true", help="no progress on stderr")
        add_fields(sub, [config.KEEP_FIELD, MAX_REMOVALS_FIELD], "history")
    return sub


def _broken(error: ConnectorError) -> Any:
    def handler(args: argparse.Namespace, app: App) -> int:
        raise error

    return handler


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], app: App, common: argparse.ArgumentParser
) -> None:
    _add_per_plugin(
        commands, app, common, "validate", "check a connector's credentials and permissions", run_validate, True
    )
    _add_per_plugin(commands, app, common, "sync", "sync a connector into the sync file", run_sync_command, True)
    _add_per_plugin(
        commands, app, common, "demo", "start a plugin's local stand-in upstream and sync it", run_demo, False
    )
