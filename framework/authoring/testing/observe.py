"""Running a plugin the way the host does, and keeping everything it answered.

The conformance checks need the plugin's raw answers (to name the duplicated id
or the grant that points at nothing), and they need to know that the host
accepts the same answers. So a run goes through the host's own
:func:`~framework.host.sync.run_sync` into a real sync file, with a connector wrapper
that records each answer on its way to the host and stops pagination loops.
Nothing here imports pytest.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

from framework.authoring.testing.watch import HttpWatch, PaginationLoop, watching
from framework.host import config as host_config
from framework.host.context import ConnectorContext
from framework.host.models import ConnectorInfo, Grant, Resource, ResourceType, ValidationReport
from framework.host.plugins import Connector, ConnectorManager, get_plugin_manager, register
from framework.host.sync import run_sync
from framework.read import queries
from framework.store.file import Store


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that turn a hanging plugin into a failing one; far above any test upstream."""

    max_requests_per_call: int = 1000
    max_resources_per_type: int = 100_000


@dataclass(slots=True)
class Attempt:
    """One ``validate`` call: the report it returned, or the error it raised."""

    report: ValidationReport | None = None
    error: BaseException | None = None

    @property
    def accepted(self) -> bool:
        return self.error is None and self.report is not None and self.report.valid

    @property
    def message(self) -> str:
        """What a person would read: the error, or the failed findings."""
        if self.error is not None:
            return str(self.error)
        findings = self.report.findings if self.report else []
        return "; ".join(f"{f.check}: {f.message}" for f in findings if not f.ok and f.severity == "error")


@dataclass(slots=True)
class Run:
    """One full sync: what the plugin answered, what the host stored, and how it ended."""

    validation: Attempt = field(default_factory=Attempt)
    resources: dict[str, list[Resource]] = field(default_factory=dict)
    grants: list[Grant] = field(default_factory=list)
    stored_entitlements: list[dict[str, Any]] = field(default_factory=list)
    error: BaseException | None = None
    requests: list[str] = field(default_factory=list)


def load_connector(name: str, module: str | None = None) -> tuple[ConnectorManager, Connector]:
    """The installed plugin ``name``, or ``module`` registered under that name when none is installed.

    Only that plugin is loaded (``BATON_LOAD_PLUGINS``), so a broken neighbour
    cannot fail another plugin's tests. ``module`` lets a plugin be tested before
    it is installed, as the template is in place.
    """
    pm = get_plugin_manager(env={"BATON_LOAD_PLUGINS": name})
    if not pm.has_plugin(name) and module is not None and not pm.failures:
        register(pm, import_module(module), name)
    return pm, pm.connector(name)


def full_config(info: ConnectorInfo, values: Mapping[str, str]) -> dict[str, str]:
    """``values`` completed with field defaults, exactly as the CLI hands config to a plugin."""
    return host_config.resolve(info.config_fields, dict(values), {})


class RecordingConnector(Connector):
    """The plugin's hooks, with every answer copied into a :class:`Run` before the host sees it."""

    def __init__(self, pm: ConnectorManager, name: str, run: Run, watch: HttpWatch, limits: Limits) -> None:
        super().__init__(pm, name)
        self._run, self._watch, self._limits = run, watch, limits

    def validate(self, ctx: ConnectorContext) -> ValidationReport:
        self._watch.enter("validate")
        try:
            report = super().validate(ctx)
        except BaseException as exc:
            self._run.validation.error = exc
            raise
        self._run.validation.report = report
        return report

    def list_resources(self, ctx: ConnectorContext, resource_type: ResourceType) -> Iterator[Resource]:
        listed = self._run.resources.setdefault(resource_type.id, [])
        self._watch.enter(f"list_resources({resource_type.id})")
        for resource in super().list_resources(ctx, resource_type):
            if len(listed) >= self._limits.max_resources_per_type:
                raise PaginationLoop(
                    f"list_resources({resource_type.id}) yielded more than "
                    f"{self._limits.max_resources_per_type} resources: pagination never ends"
                )
            listed.append(resource)
            yield resource

    def list_grants(self, ctx: ConnectorContext) -> Iterator[Grant]:
        self._watch.enter("list_grants")
        for grant in super().list_grants(ctx):
            self._run.grants.append(grant)
            yield grant


def observe_run(
    pm: ConnectorManager, name: str, values: Mapping[str, str], sync_file: Path, limits: Limits = Limits()
) -> Run:
    """Sync ``name`` once into ``sync_file`` and return everything seen; failures land in ``run.error``."""
    run, watch = Run(), HttpWatch(limits.max_requests_per_call)
    connector = RecordingConnector(pm, name, run, watch, limits)
    try:
        ctx = ConnectorContext(config=full_config(connector.info(), values))
        with watching(watch), Store.open(sync_file) as store:
            result = run_sync(connector, ctx, store)
            run.stored_entitlements = list(queries.entitlements(store, result.sync_id, queries.EntitlementFilter()))
    except Exception as exc:  # every failure is a finding the checks report, not a crash of the suite
        run.error = exc
    run.requests = watch.log
    return run


def attempt_validate(connector: Connector, values: Mapping[str, str], limits: Limits = Limits()) -> Attempt:
    """Call ``validate`` once with ``values``; a config the host itself refuses counts as refused."""
    attempt = Attempt()
    watch = HttpWatch(limits.max_requests_per_call)
    watch.enter("validate")
    try:
        ctx = ConnectorContext(config=full_config(connector.info(), values))
        with watching(watch):
            attempt.report = connector.validate(ctx)
    except Exception as exc:
        attempt.error = exc
    return attempt
