"""The conformance checks catch the bugs connector authors make most, and pass a correct plugin.

Each case switches on one bug in :class:`BrokenPlugin`, syncs the template's
stand-in upstream twice through the host, and expects the check for that bug
to name it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from framework.authoring.testing import checks
from framework.authoring.testing.observe import Limits, Run, attempt_validate, observe_run
from framework.host.models import ConnectorInfo
from framework.host.plugins import get_plugin_manager, register
from plugins._template.upstream import SkeletonData, SkeletonUpstream
from tests.authoring.broken import BASE_URL, TOKEN, BrokenPlugin

Check = Callable[[ConnectorInfo, Run, Run], list[str]]
COUNTS = SkeletonData().counts()


@pytest.fixture(scope="module")
def upstream() -> Iterator[SkeletonUpstream]:
    with SkeletonUpstream() as running:
        yield running


def _config(upstream: SkeletonUpstream) -> dict[str, str]:
    return {BASE_URL.name: upstream.base_url, TOKEN.name: upstream.token}


def _two_runs(bug: str, upstream: SkeletonUpstream, tmp_path: Path) -> tuple[ConnectorInfo, Run, Run]:
    plugin = BrokenPlugin(bug)
    pm = get_plugin_manager(env={"BATON_LOAD_PLUGINS": plugin.name})
    register(pm, plugin, plugin.name)
    first = observe_run(pm, plugin.name, _config(upstream), tmp_path / "sync.db")
    second = observe_run(pm, plugin.name, _config(upstream), tmp_path / "sync.db")
    return pm.connector(plugin.name).info(), first, second


ALL_CHECKS: dict[str, Check] = {
    "listing": lambda info, first, second: checks.listing_problems(info, first, COUNTS),
    "duplicates": lambda info, first, second: checks.duplicate_problems(first),
    "stability": lambda info, first, second: checks.stability_problems(first, second),
    "references": lambda info, first, second: checks.reference_problems(info, first),
    "resources": lambda info, first, second: checks.resource_problems(info, first),
}


def test_a_correct_plugin_passes_every_check(upstream: SkeletonUpstream, tmp_path: Path) -> None:
    info, first, second = _two_runs("none", upstream, tmp_path)
    problems = {name: check(info, first, second) for name, check in ALL_CHECKS.items()}
    assert [p for found in problems.values() for p in found] == []
    assert checks.accepted_problems(first.validation) == []


@pytest.mark.parametrize(
    ("bug", "check", "expected"),
    [
        ("one_page", "listing", "listed 3 user resources, the test data holds 7 (does pagination stop after the first"),
        ("stuck_cursor", "listing", "the cursor did not change between pages"),
        ("never_ends", "listing", "list_resources(team) requested"),
        ("unstable_ids", "stability", "user ids differ between two runs on the same data"),
        ("duplicate_ids", "duplicates", "user ids listed more than once: 1001"),
        ("dangling_grant", "references", "1 grants to a principal that was not listed: team:eng:member:user:ghost"),
        ("bad_users", "resources", "1 user emails that are not addresses: user:1001 ('not an email')"),
        ("bad_users", "resources", "1 resources without a display name: user:1001"),
    ],
)
def test_each_bug_is_named_by_its_check(
    bug: str, check: str, expected: str, upstream: SkeletonUpstream, tmp_path: Path
) -> None:
    info, first, second = _two_runs(bug, upstream, tmp_path)
    problems = ALL_CHECKS[check](info, first, second)
    assert any(expected in problem for problem in problems), problems


def test_a_pagination_loop_fails_the_sync_instead_of_hanging(upstream: SkeletonUpstream, tmp_path: Path) -> None:
    _, first, _ = _two_runs("stuck_cursor", upstream, tmp_path)
    assert type(first.error).__name__ == "PaginationLoop"
    assert len([line for line in first.requests if "/teams" in line and "list_resources" in line]) <= 3


def test_a_request_budget_stops_pagination_that_never_ends(upstream: SkeletonUpstream, tmp_path: Path) -> None:
    plugin = BrokenPlugin()
    pm = get_plugin_manager(env={"BATON_LOAD_PLUGINS": plugin.name})
    register(pm, plugin, plugin.name)
    run = observe_run(pm, plugin.name, _config(upstream), tmp_path / "sync.db", Limits(max_requests_per_call=2))
    assert "list_resources(user) sent more than 2 requests: pagination never ends" in str(run.error)


@pytest.mark.parametrize(
    ("bug", "expected"),
    [
        ("crashing_validate", "raised KeyError"),
        ("leaky_validate", "put a secret config value in its message"),
    ],
)
def test_a_refusal_that_crashes_or_leaks_is_reported(bug: str, expected: str, upstream: SkeletonUpstream) -> None:
    plugin = BrokenPlugin(bug)
    pm = get_plugin_manager(env={"BATON_LOAD_PLUGINS": plugin.name})
    register(pm, plugin, plugin.name)
    wrong = {**_config(upstream), TOKEN.name: "wrong-token-value"}
    attempt = attempt_validate(pm.connector(plugin.name), wrong)
    problems = checks.refusal_problems("wrong secret values", attempt, "", ("wrong-token-value",))
    assert any(expected in problem for problem in problems), problems


def test_a_clear_refusal_passes(upstream: SkeletonUpstream) -> None:
    plugin = BrokenPlugin("none")
    pm = get_plugin_manager(env={"BATON_LOAD_PLUGINS": plugin.name})
    register(pm, plugin, plugin.name)
    attempt = attempt_validate(pm.connector(plugin.name), {**_config(upstream), TOKEN.name: "wrong-token-value"})
    assert checks.refusal_problems("wrong secret values", attempt, "401", ("wrong-token-value",)) == []
