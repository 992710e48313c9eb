"""Finding, loading and calling connector plugins.

Plugins come from the entry-point group ``framework.connectors``. Environment
switches, read once when the manager is built:

- ``BATON_LOAD_PLUGINS=a,b``: load only these plugins;
- ``BATON_BLOCK_PLUGINS=a,b``: never load these (e.g. one that breaks);
- ``BATON_TRACE_HOOKS=1``: print every hook call and its result to stderr.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import pluggy

from framework.host import hookspecs
from framework.host.context import ConnectorContext
from framework.host.errors import PluginError
from framework.host.models import ConnectorInfo, Grant, Resource, ResourceType, ValidationReport
from framework.host.redact import redactor

ENTRY_POINT_GROUP = "framework.connectors"
HOST_DISTRIBUTION = "connector-framework"
HOOK_NAMES = tuple(name for name in dir(hookspecs) if hasattr(getattr(hookspecs, name), "framework_spec"))


@dataclass(frozen=True, slots=True)
class PluginSource:
    """Where a plugin came from, for ``connector plugins``."""

    distribution: str
    version: str

    @property
    def built_in(self) -> bool:
        return self.distribution == HOST_DISTRIBUTION

    @property
    def label(self) -> str:
        """``built-in``, or the name of the distribution that installed the plugin."""
        return "built-in" if self.built_in else self.distribution


@dataclass(frozen=True, slots=True)
class LoadFailure:
    """An installed plugin that failed to import or to register."""

    name: str
    error: str
    source: PluginSource | None


@dataclass(frozen=True, slots=True)
class Skipped:
    """An installed plugin an environment switch kept out."""

    name: str
    reason: str
    source: PluginSource | None


@dataclass(frozen=True, slots=True)
class Conflict:
    """One plugin name that two or more distributions register: none of them is loaded."""

    name: str
    sources: tuple[PluginSource | None, ...]
    """Every distribution registering the name, by distribution name."""

    @property
    def error(self) -> str:
        """The one line ``connector`` prints when the name is used (exit 2)."""
        names = " and ".join(_label(source) for source in self.sources)
        return (
            f"plugin name {self.name!r} is registered by {len(self.sources)} distributions, {names}: "
            "the host picks none; uninstall all but one"
        )


def _label(source: PluginSource | None) -> str:
    return "an unnamed distribution" if source is None else f"{source.distribution} {source.version}"


class ConnectorManager(pluggy.PluginManager):
    """A plugin manager that also remembers which plugins failed and where each came from."""

    def __init__(self) -> None:
        super().__init__("framework")
        self.add_hookspecs(hookspecs)
        self.failures: list[LoadFailure] = []
        self.skipped: list[Skipped] = []
        self.sources: dict[str, PluginSource] = {}
        self.conflicts: list[Conflict] = []

    def connector_names(self) -> list[str]:
        return sorted(name for name, plugin in self.list_name_plugin() if plugin is not None)

    def connector(self, name: str) -> Connector:
        conflict = next((c for c in self.conflicts if c.name == name), None)
        if conflict is not None:
            raise PluginError(conflict.error)
        if self.get_plugin(name) is None:
            failed = next((f for f in self.failures if f.name == name), None)
            if failed is not None:
                raise PluginError(f"plugin {name!r} failed to load: {failed.error}")
            known = ", ".join(self.connector_names()) or "none"
            raise PluginError(f"unknown connector {name!r} (installed: {known})")
        return Connector(self, name)


def _names(value: str | None) -> set[str] | None:
    if value is None or not value.strip():
        return None
    return {part.strip() for part in value.split(",") if part.strip()}


def _source(entry_point: EntryPoint) -> PluginSource | None:
    dist = entry_point.dist
    return None if dist is None else PluginSource(dist.name, dist.version)


def _by_name(found: Iterable[EntryPoint]) -> dict[str, list[EntryPoint]]:
    """Entry points by plugin name, one per distribution: the same distribution seen twice on
    the path (an egg-info in the working folder beside the installed one) is one registration."""
    by_name: dict[str, list[EntryPoint]] = {}
    seen: set[tuple[str, str | None, str]] = set()
    for entry_point in found:
        dist = entry_point.dist
        key = (entry_point.name, None if dist is None else dist.name, entry_point.value)
        if key not in seen:
            seen.add(key)
            by_name.setdefault(entry_point.name, []).append(entry_point)
    return by_name


def get_plugin_manager(env: Mapping[str, str] | None = None) -> ConnectorManager:
    """Build the manager with every installed connector plugin that may load."""
    env = os.environ if env is None else env
    pm = ConnectorManager()
    only, blocked = _names(env.get("BATON_LOAD_PLUGINS")), _names(env.get("BATON_BLOCK_PLUGINS")) or set()
    for name, found in _by_name(entry_points(group=ENTRY_POINT_GROUP)).items():
        entry_point, source = found[0], _source(found[0])
        if name in blocked:
            pm.skipped.append(Skipped(name, "blocked by BATON_BLOCK_PLUGINS", source))
            continue
        if only is not None and name not in only:
            pm.skipped.append(Skipped(name, "not listed in BATON_LOAD_PLUGINS", source))
            continue
        if len(found) > 1:
            pm.conflicts.append(Conflict(name, tuple(sorted((_source(e) for e in found), key=_label))))
            continue
        try:
            register(pm, entry_point.load(), name)
        except Exception as exc:  # a broken plugin must not take the others down
            pm.failures.append(LoadFailure(name, f"{type(exc).__name__}: {exc}", source))
            continue
        if source is not None:
            pm.sources[name] = source
    if env.get("BATON_TRACE_HOOKS"):
        pm.trace.root.setwriter(lambda text: sys.stderr.write(redactor.scrub(text)))
        pm.enable_tracing()
    pm.check_pending()
    return pm


def register(pm: ConnectorManager, plugin: object, name: str) -> None:
    """Register one plugin, refusing it whole if it implements an unknown hook."""
    pm.register(plugin, name=name)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError:
        pm.unregister(name=name)
        raise


class Connector:
    """One plugin's hooks, called so that no other plugin's implementation runs."""

    def __init__(self, pm: ConnectorManager, name: str) -> None:
        self.name = name
        self._pm = pm
        others = [plugin for other, plugin in pm.list_name_plugin() if other != name]
        self._hooks = {hook: pm.subset_hook_caller(hook, remove_plugins=others) for hook in HOOK_NAMES}

    @property
    def implemented_hooks(self) -> list[str]:
        plugin = self._pm.get_plugin(self.name)
        return sorted(impl.name for impl in self._pm.get_hookcallers(plugin) or [])

    def _call(self, hook: str, **kwargs: Any) -> Any:
        result = self._hooks[hook](**kwargs)
        if result is None:
            raise PluginError(f"plugin {self.name!r} does not implement {hook}")
        return result

    def info(self) -> ConnectorInfo:
        info = self._call("connector_info")
        if not isinstance(info, ConnectorInfo):
            raise PluginError(f"plugin {self.name!r}: connector_info returned {type(info).__name__}")
        if info.name != self.name:
            raise PluginError(f"plugin {self.name!r} calls itself {info.name!r}; the names must match")
        return info

    def run(self, ctx: ConnectorContext) -> Any:
        """The plugin's run object for ``ctx``'s run (``start_run``'s result, made once), or None."""
        return ctx.run_state(self.name, lambda: self._hooks["start_run"](ctx=ctx))

    def validate(self, ctx: ConnectorContext) -> ValidationReport:
        report = self._call("validate", ctx=ctx, run=self.run(ctx))
        if not isinstance(report, ValidationReport):
            raise PluginError(f"plugin {self.name!r}: validate returned {type(report).__name__}")
        return report

    def list_resources(self, ctx: ConnectorContext, resource_type: ResourceType) -> Iterable[Resource]:
        result: Iterable[Resource] = self._call(
            "list_resources", ctx=ctx, resource_type=resource_type, run=self.run(ctx)
        )
        return result

    def list_grants(self, ctx: ConnectorContext) -> Iterable[Grant]:
        result: Iterable[Grant] = self._call("list_grants", ctx=ctx, run=self.run(ctx))
        return result

    def demo_upstream(self, step: int = 0) -> AbstractContextManager[dict[str, str]]:
        result: AbstractContextManager[dict[str, str]] = self._call("demo_upstream", step=step)
        return result
