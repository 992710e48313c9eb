"""The conformance suite: a test class that a plugin's test module subclasses to turn it on.

::

    from framework.authoring.testing import Conformance

    class TestAcmeConformance(Conformance):
        plugin = "acme"

        @pytest.fixture(scope="class")
        @classmethod
        def connector_config(cls) -> Iterator[dict[str, str]]:
            with AcmeUpstream() as upstream:  # or replay_config(...) with ``cassette`` set
                yield upstream.config

pytest collects the inherited ``test_*`` methods in the subclass. All of them
read one :class:`Observation`, made once per class: two full syncs through the
host, a validate with wrong secrets and one per :class:`BadConfig`, all inside
the class's cassette when it names one. Only this module imports pytest and
vcrpy, so the host never needs them at run time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, NoReturn, TypeVar

import pytest

from framework.authoring.testing import checks
from framework.authoring.testing.cassettes import cassette_files, cassette_problems, secrets_in_flight, vcr_config
from framework.authoring.testing.observe import (
    Attempt,
    Limits,
    Run,
    attempt_validate,
    full_config,
    load_connector,
    observe_run,
)
from framework.host.models import ConnectorInfo
from framework.host.plugins import HOOK_NAMES, Connector, ConnectorManager

HOOKS_ATTRIBUTE = "conformance_hooks"
Test = TypeVar("Test", bound=Callable[..., Any])


def covers(*hooks: str) -> Callable[[Test], Test]:
    """Name the hooks a conformance test exercises, so a hook without a test fails the docs test."""
    unknown = set(hooks) - set(HOOK_NAMES)
    if unknown:
        raise ValueError(f"not hook specs: {sorted(unknown)}")

    def mark(test: Test) -> Test:
        setattr(test, HOOKS_ATTRIBUTE, hooks)
        return test

    return mark


@dataclass(frozen=True, slots=True)
class BadConfig:
    """Settings (merged over the good config) that validate must refuse, and a word its message must hold."""

    values: Mapping[str, str]
    expect: str = ""


@dataclass(frozen=True, slots=True)
class Refusal:
    what: str
    attempt: Attempt
    expect: str
    secrets: tuple[str, ...]


@dataclass(slots=True)
class Observation:
    """Everything the checks read, gathered once per test class."""

    info: ConnectorInfo
    first: Run
    second: Run
    refusals: list[Refusal] = field(default_factory=list)
    secrets: tuple[str, ...] = ()


def _fail(message: str) -> NoReturn:
    pytest.fail(message, pytrace=False)


def _check(problems: Sequence[str]) -> None:
    if problems:
        _fail("\n".join(problems))


class Conformance:
    """Subclass as ``Test...`` and set :attr:`plugin` and a ``connector_config`` fixture.

    The class-scoped fixtures are classmethods (``@pytest.fixture(scope="class")``
    above ``@classmethod``): pytest deprecates class-scoped fixtures that are
    instance methods, and overrides must follow the same form.
    """

    plugin: ClassVar[str] = ""
    """The entry-point name of the plugin under test."""
    plugin_module: ClassVar[str | None] = None
    """Registered under :attr:`plugin` when no installed plugin has that name (a plugin not installed yet)."""
    cassette: ClassVar[str | None] = None
    """A file in :attr:`cassette_dir`: the observation is replayed from it (``--record-mode`` records it)."""
    cassette_dir: ClassVar[Path | None] = None
    """Every cassette in it is checked for credentials."""
    expected_counts: ClassVar[Mapping[str, int]] = {}
    """Resources per type (and ``grants``) the test upstream holds; catches pagination that stops early."""
    limits: ClassVar[Limits] = Limits()

    @pytest.fixture(scope="class")
    @classmethod
    def connector_config(cls) -> Mapping[str, str]:
        """Override: settings that reach the test upstream. Defaults are filled in as the CLI does."""
        _fail(f"{cls.__name__} must define a class-scoped connector_config fixture")

    @pytest.fixture(scope="class")
    @classmethod
    def bad_configs(cls) -> Sequence[BadConfig]:
        """Override to add malformed settings; wrong secret values are always tried."""
        return ()

    @pytest.fixture(scope="class")
    @classmethod
    def conformance_plugin(cls) -> tuple[ConnectorManager, Connector]:
        if not cls.plugin:
            _fail(f"{cls.__name__} must set plugin to the entry-point name")
        return load_connector(cls.plugin, cls.plugin_module)

    @pytest.fixture(scope="class")
    @classmethod
    def observation(
        cls,
        conformance_plugin: tuple[ConnectorManager, Connector],
        connector_config: Mapping[str, str],
        bad_configs: Sequence[BadConfig],
        tmp_path_factory: pytest.TempPathFactory,
        pytestconfig: pytest.Config,
    ) -> Observation:
        pm, connector = conformance_plugin
        info = connector.info()
        good = full_config(info, connector_config)
        in_flight = secrets_in_flight(info.config_fields, good)
        sync_file = tmp_path_factory.mktemp("conformance") / "sync.db"
        with cls._cassette(pytestconfig, in_flight):
            first = observe_run(pm, cls.plugin, good, sync_file, cls.limits)
            second = observe_run(pm, cls.plugin, good, sync_file, cls.limits)
            refusals = [cls._wrong_secrets(connector, info, good, tuple(in_flight))] if in_flight else []
            refusals += [
                Refusal(
                    f"bad config {dict(bad.values)}",
                    attempt_validate(connector, {**good, **bad.values}, cls.limits),
                    bad.expect,
                    tuple(in_flight),
                )
                for bad in bad_configs
            ]
        return Observation(info, first, second, refusals, tuple(in_flight))

    @classmethod
    def _wrong_secrets(
        cls, connector: Connector, info: ConnectorInfo, good: Mapping[str, str], secrets: tuple[str, ...]
    ) -> Refusal:
        wrong = {f.name: f"wrong-{good[f.name]}" for f in info.config_fields if f.secret and f.name in good}
        attempt = attempt_validate(connector, {**good, **wrong}, cls.limits)
        return Refusal("wrong secret values", attempt, "", secrets + tuple(wrong.values()))

    @classmethod
    def _cassette(cls, pytestconfig: pytest.Config, secrets: Mapping[str, str]) -> AbstractContextManager[Any]:
        if cls.cassette is None:
            return nullcontext()
        if cls.cassette_dir is None:
            _fail(f"{cls.__name__} names a cassette but no cassette_dir")
        import vcr

        record_mode = pytestconfig.getoption("--record-mode", None) or "none"
        path = cls.cassette_dir / cls.cassette
        if record_mode == "none" and not path.exists():
            _fail(f"no cassette {path}: record it with --record-mode=once")
        if record_mode == "rewrite":
            # pytest-recording's mode, unknown to vcrpy: drop the recording, then record everything anew.
            path.unlink(missing_ok=True)
            record_mode = "all"
        recorder = vcr.VCR(cassette_library_dir=str(cls.cassette_dir), record_mode=record_mode, **vcr_config(secrets))
        cassette: AbstractContextManager[Any] = recorder.use_cassette(cls.cassette)
        return cassette

    @covers("connector_info")
    def test_connector_info_describes_the_plugin(self, conformance_plugin: tuple[ConnectorManager, Connector]) -> None:
        _check(checks.info_problems(conformance_plugin[1].info()))

    @covers("validate")
    def test_validate_accepts_good_config(self, observation: Observation) -> None:
        _check(checks.accepted_problems(observation.first.validation))

    @covers("validate")
    def test_validate_refuses_bad_config_with_a_clear_message(self, observation: Observation) -> None:
        if not observation.refusals:
            pytest.skip("the plugin has no secret config fields and the test declares no bad_configs")
        _check(
            [p for r in observation.refusals for p in checks.refusal_problems(r.what, r.attempt, r.expect, r.secrets)]
        )

    @covers("list_resources")
    def test_every_resource_type_lists_and_pagination_ends(self, observation: Observation) -> None:
        _check(checks.listing_problems(observation.info, observation.first, self.expected_counts))

    @covers("list_resources", "list_grants")
    def test_ids_are_unique_within_a_type(self, observation: Observation) -> None:
        _check(checks.duplicate_problems(observation.first))

    @covers("start_run", "list_resources", "list_grants")
    def test_ids_are_identical_across_two_runs(self, observation: Observation) -> None:
        _check(checks.stability_problems(observation.first, observation.second))

    @covers("list_grants")
    def test_grants_and_entitlements_point_at_listed_resources(self, observation: Observation) -> None:
        _check(checks.reference_problems(observation.info, observation.first))

    @covers("list_resources")
    def test_users_have_status_valid_emails_and_display_names(self, observation: Observation) -> None:
        _check(checks.resource_problems(observation.info, observation.first))

    def test_the_host_stores_both_syncs(self, observation: Observation) -> None:
        _check(checks.failure_problems(observation.first) + checks.failure_problems(observation.second))

    def test_cassettes_hold_no_credentials(self, observation: Observation) -> None:
        if self.cassette_dir is None:
            pytest.skip("no cassette_dir: this plugin's tests record nothing")
        files = cassette_files(self.cassette_dir)
        if not files:
            pytest.skip(f"no cassettes recorded in {self.cassette_dir} yet")
        _check(cassette_problems(files, observation.secrets))

    @covers("demo_upstream")
    def test_demo_upstream_yields_config_that_validates(
        self, conformance_plugin: tuple[ConnectorManager, Connector]
    ) -> None:
        connector = conformance_plugin[1]
        if "demo_upstream" not in connector.implemented_hooks:
            pytest.skip("the plugin has no demo upstream (the hook is optional)")
        with connector.demo_upstream() as demo:
            missing = [f.name for f in connector.info().config_fields if f.required and f.name not in demo]
            assert not missing, f"demo_upstream yielded no value for the required fields {missing}"
            _check(checks.accepted_problems(attempt_validate(connector, demo, self.limits)))


def covered_hooks(suite: type[Conformance] = Conformance) -> dict[str, list[str]]:
    """Each hook spec and the conformance tests that exercise it."""
    found: dict[str, list[str]] = {name: [] for name in HOOK_NAMES}
    for name in dir(suite):
        for hook in getattr(getattr(suite, name), HOOKS_ATTRIBUTE, ()):
            found[hook].append(name)
    return found
