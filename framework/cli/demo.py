"""``connector demo`` and ``connector simulator``: a plugin's local stand-in upstream.

Both enter the plugin's ``demo_upstream(step)`` hook. ``demo`` syncs the
stand-in into its own file, ``demo.db`` unless ``--file`` says otherwise
(``BATON_FILE`` is not read, so a demo never lands in a tenant's sync file),
then suggests commands that return something from what it synced.
``simulator`` keeps the stand-in running and prints ``export BATON_...`` lines,
so any command (``validate``, ``sync``) can be pointed at it as at a tenant.
``--step N`` moves the demo data on by N steps of joiners, movers and leavers,
so ``connector diff`` has something to show.
"""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
import time
from types import FrameType

from framework.cli.options import App, dest
from framework.cli.render import dump_json
from framework.cli.run import add_per_plugin, add_sync_options, print_summary, sync_into
from framework.host import config
from framework.host.errors import PluginError
from framework.host.guard import MAX_REMOVALS_FIELD
from framework.host.models import Trait
from framework.host.plugins import Connector
from framework.host.terminal import printable
from framework.read import lookup, stats
from framework.store.file import Store

DEMO_FILE = "demo.db"
DEMO_MAX_REMOVALS = "100%"
"""The removal guard's setting for a demo without ``--max-removals``: off (BATON_MAX_REMOVALS is not read)."""
HOOK = "demo_upstream"


def step_number(text: str) -> int:
    """``--step``: a whole number, 0 or more (argparse turns the error into a usage line)."""
    try:
        step = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if step < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {step}")
    return step


def _demo_connector(app: App, plugin: str) -> Connector:
    connector = app.pm.connector(plugin)
    if HOOK not in connector.implemented_hooks:
        raise PluginError(f"plugin {plugin!r} has no stand-in upstream (it does not implement {HOOK})")
    return connector


def next_steps(path: str, plugins: list[str], step: int) -> list[str]:
    """Commands worth running next, filled in from the syncs just written so each returns something.

    A group is named by its display name when no other group shares it, else
    by ``TYPE:ID``; the user is one of that group's members with an email.
    With several plugins, readers name the first with ``--plugin``, and the
    identity reports take it as ``--source``.
    """
    plugin = plugins[0]
    file_flag = f"--file {shlex.quote(path)}" + (f" --plugin {plugin}" if len(plugins) > 1 else "")
    lines = [f"connector stats {file_flag}"]
    with Store.open_existing(path) as store:
        sync_id = int(store.sync(None, plugin)["id"])
        users = store.types_with_trait(sync_id, Trait.USER)
        groups = stats.stats(store, sync_id)["groups"]
        if users:
            lines.append(f"connector resources {file_flag} --resource-type {users[0]}")
        if groups:
            biggest = groups[0]
            names = [g["display_name"] for g in groups]
            unique = names.count(biggest["display_name"]) == 1
            group = biggest["display_name"] if unique else f"{biggest['resource_type']}:{biggest['id']}"
            lines.append(f"connector members {file_flag} {shlex.quote(group)}")
            member = next(
                (m for m in lookup.members(store, sync_id, group)["members"] if m["email"]),
                None,
            )
            if member is not None:
                lines.append(f"connector access {file_flag} {shlex.quote(member['email'])}")
    if len(plugins) > 1:
        source = f"--source {plugin} --file {shlex.quote(path)}"
        lines += [f"connector identities {source}", f"connector orphans {source}"]
    demo = " ".join(plugins)
    lines.append(f"connector demo {demo} --file {shlex.quote(path)} --step {step + 1} && connector diff {file_flag}")
    return lines


def run_demo(args: argparse.Namespace, app: App) -> int:
    """Sync each named plugin's stand-in into one file; with several, the first is the identity
    source and the run ends with its ``connector leavers`` report."""
    names = list(dict.fromkeys([args.plugin, *args.more]))
    connectors = [_demo_connector(app, name) for name in names]
    path = getattr(args, dest(config.FILE_FIELD), None) or DEMO_FILE
    # A stand-in starts afresh each run (scim2-server gives new ids), so a demo that runs
    # again would look like everyone replaced: the guard is off unless the flag asks for it.
    removals = getattr(args, dest(MAX_REMOVALS_FIELD), None) or DEMO_MAX_REMOVALS
    results = []
    for connector in connectors:
        with connector.demo_upstream(args.step) as demo_config:
            results.append(sync_into(app, args, connector, demo_config, path, removals))
    if args.output == "json" and len(results) > 1:
        dump_json([{"sync_id": result.sync_id, "file": path, **result.summary} for result in results])
        return 0
    for result in results:
        print_summary(result, path, args.output)
    if args.output == "table" and len(names) > 1:
        from framework.cli import identities  # here: the readers import this module for DEMO_FILE

        print()
        identities.show(path, "leavers", names[0], "table")
    if args.output == "table" and not args.quiet:
        print("\nnext:\n" + "\n".join(f"  {printable(line)}" for line in next_steps(path, names, args.step)))
    return 0


class _Stop(Exception):
    """SIGTERM while serving: the normal way for a service manager to stop the stand-in."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop


def run_simulator(args: argparse.Namespace, app: App) -> int:
    connector = _demo_connector(app, args.plugin)
    fields = {field.name: field for field in connector.info().config_fields}
    signal.signal(signal.SIGTERM, _stop)
    with connector.demo_upstream(args.step) as demo_config:
        unknown = sorted(set(demo_config) - set(fields))
        if unknown:
            raise PluginError(f"plugin {args.plugin!r}: {HOOK} yielded settings it does not declare: {unknown}")
        out = sys.stdout
        out.write(
            f"# {args.plugin} stand-in upstream on loopback, demo step {args.step}; Ctrl-C or SIGTERM stops it.\n"
            "# In another shell, paste these lines, then run e.g. "
            f"connector validate {args.plugin} && connector sync {args.plugin} --file {DEMO_FILE}\n"
        )
        for name, value in demo_config.items():
            out.write(printable(f"export {fields[name].env_var}={shlex.quote(value)}") + "\n")
        out.flush()
        try:
            while True:
                time.sleep(3600)
        except (KeyboardInterrupt, _Stop):
            pass
    sys.stderr.write("stopped\n")
    return 0


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], app: App, common: argparse.ArgumentParser
) -> None:
    names = [name for name in app.pm.connector_names() if HOOK in app.pm.connector(name).implemented_hooks]
    step_help = "how many steps of joiners, movers and leavers the demo data has moved on (default 0)"
    demo = add_per_plugin(
        commands,
        app,
        "demo",
        "sync a plugin's local stand-in upstream into demo.db",
        f"Start the plugin's stand-in upstream on 127.0.0.1, sync it into {DEMO_FILE} (or --file; BATON_FILE is "
        "not read, so a demo never lands in a tenant's file), and stop it. Run it again with --step 1 to sync "
        "the demo a step later, then `connector diff` shows its joiners, movers and leavers. The removal guard is "
        "off for a demo unless --max-removals is given: a stand-in starts afresh each run.",
        run_demo,
        [common],
        names,
    )
    for sub in demo.values():
        group = sub.add_argument_group("sync file")
        group.add_argument(
            config.FILE_FIELD.flag,
            dest=dest(config.FILE_FIELD),
            metavar="PATH",
            default=argparse.SUPPRESS,
            help=f"Path of the demo's sync file (default {DEMO_FILE})",
        )
        sub.add_argument("--step", type=step_number, default=0, metavar="N", help=step_help)
        sub.add_argument(
            "more",
            nargs="*",
            metavar="PLUGIN",
            help="more plugins whose stand-ins sync into the same file; the run then ends with the first "
            "plugin's connector leavers report",
        )
        add_sync_options(sub)
    simulator = add_per_plugin(
        commands,
        app,
        "simulator",
        "run a plugin's stand-in upstream and print export lines to point commands at it",
        "Serve the plugin's stand-in upstream on 127.0.0.1 until Ctrl-C or SIGTERM, and print its settings as "
        "`export BATON_...` lines: paste them into another shell and run validate or sync as against a tenant.",
        run_simulator,
        [common],
        names,
    )
    for sub in simulator.values():
        sub.add_argument("--step", type=step_number, default=0, metavar="N", help=step_help)
