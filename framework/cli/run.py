"""``connector validate``, ``connector sync`` and ``connector demo``: commands that call a plugin."""

from __future__ import annotations

import argparse
import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from framework.cli.options import App, Handler, add_fields, add_output, file_parser
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


def sync_into(
    app: App,
    args: argparse.Namespace,
    connector: Connector,
    plugin_config: Mapping[str, str],
    path: str,
    removals: str | None = None,
) -> SyncResult:
    """Sync ``connector`` with ``plugin_config`` into the sync file at ``path``, showing progress unless ``--quiet``.

    ``removals`` is the removal guard's setting when the caller decides it (a
    demo); otherwise ``--max-removals`` or ``BATON_MAX_REMOVALS`` or the default.
    """
    ctx = _context(app, args, connector, plugin_config)
    keep = config.parse_keep(app.resolve(args, [config.KEEP_FIELD])["keep"])
    if removals is None:
        removals = app.resolve(args, [MAX_REMOVALS_FIELD])[MAX_REMOVALS_FIELD.name]
    max_removals = parse_max_removals(removals)
    progress = Progress(enabled=not args.quiet, status=app.status, http_stats=ctx.http_stats)
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
    path = app.resolve(args, [config.FILE_FIELD])["file"]
    result = sync_into(app, args, connector, app.resolve(args, connector.info().config_fields), path)
    print_summary(result, path, args.output)
    return 0


def add_per_plugin(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    app: App,
    name: str,
    help_text: str,
    description: str,
    handler: Handler,
    parents: list[argparse.ArgumentParser],
    plugin_names: list[str],
) -> dict[str, argparse.ArgumentParser]:
    """``connector NAME PLUGIN``: one sub-parser per plugin in ``plugin_names``, by plugin name.

    Plugins that failed to load get a sub-parser too, whose handler reports the
    failure, so ``connector sync broken`` says why instead of "invalid choice".
    """
    command = commands.add_parser(name, help=help_text, description=description)
    plugins = command.add_subparsers(dest="plugin", metavar="PLUGIN", required=True, title="plugins")
    subs: dict[str, argparse.ArgumentParser] = {}
    for plugin in plugin_names:
        sub = subs[plugin] = plugins.add_parser(
            plugin, parents=parents, help=f"{name} with the {plugin} connector", description=description
        )
        sub.set_defaults(handler=handler)
    for failure in app.pm.failures:
        reason = f"the {failure.name} plugin failed to load: {failure.error} (connector plugins --all lists it)"
        broken = plugins.add_parser(failure.name, help=f"(failed to load: {failure.error})", description=reason)
        broken.set_defaults(handler=_broken(PluginError(f"plugin {failure.name!r} failed to load: {failure.error}")))
    for conflict in app.pm.conflicts:
        # The host's own options parse, so the conflict, not a flag, is what the person reads.
        clash = subs[conflict.name] = plugins.add_parser(
            conflict.name, parents=parents, help=f"(not loaded: {conflict.error})", description=description
        )
        clash.set_defaults(handler=_broken(PluginError(conflict.error)))
    return subs


def add_plugin_settings(app: App, plugin: str, sub: argparse.ArgumentParser) -> None:
    """The plugin's own settings as flags; a plugin whose ``connector_info`` fails reports that when run."""
    try:
        fields = app.pm.connector(plugin).info().config_fields
    except ConnectorError as exc:
        sub.set_defaults(handler=_broken(exc))
        return
    add_fields(sub, fields, f"{plugin} settings")


def add_sync_options(sub: argparse.ArgumentParser) -> None:
    """What every command that syncs takes: output format, HTTP policy, retention."""
    add_output(sub)
    add_fields(sub, config.HTTP_FIELDS, "upstream HTTP policy")
    add_fields(sub, [config.KEEP_FIELD, MAX_REMOVALS_FIELD], "history")


def _broken(error: ConnectorError) -> Handler:
    def handler(args: argparse.Namespace, app: App) -> int:
        raise error

    return handler


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], app: App, common: argparse.ArgumentParser
) -> None:
    names = app.pm.connector_names()
    validate = add_per_plugin(
        commands,
        app,
        "validate",
        "check a connector's credentials and permissions",
        "Check that the settings reach the upstream and can read everything a sync needs. "
        "Exit 0 only when a sync would succeed; warnings do not fail.",
        run_validate,
        [common],
        names,
    )
    for plugin, sub in validate.items():
        add_output(sub)
        add_fields(sub, config.HTTP_FIELDS, "upstream HTTP policy")
        add_plugin_settings(app, plugin, sub)
    sync = add_per_plugin(
        commands,
        app,
        "sync",
        "sync a connector into the sync file",
        "Validate, then list every resource, entitlement and grant into a new sync in the sync file, "
        "in one transaction; keep the newest --keep complete syncs. A failed sync never replaces a good one.",
        run_sync_command,
        [common, file_parser()],
        names,
    )
    for plugin, sub in sync.items():
        add_sync_options(sub)
        add_plugin_settings(app, plugin, sub)
