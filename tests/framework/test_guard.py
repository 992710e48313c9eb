"""The removal guard: its arithmetic, and a real sync of the toy plugin refused or let through."""

from __future__ import annotations

from pathlib import Path

import pytest

from framework.host.context import ConnectorContext
from framework.host.errors import ConfigError, ExitCode, RemovalsRefused
from framework.host.guard import DEFAULT_LIMIT, RemovalLimit, check_removals, parse_max_removals
from framework.host.plugins import ConnectorManager
from framework.host.sync import run_sync
from framework.store.file import Store
from tests.toy import Toy


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("", DEFAULT_LIMIT),
        (" 0 ", RemovalLimit(count=0)),
        ("25", RemovalLimit(count=25)),
        ("12.5%", RemovalLimit(percent=12.5)),
    ],
)
def test_max_removals_reads_a_count_or_a_share(text: str, limit: RemovalLimit) -> None:
    assert parse_max_removals(text) == limit


@pytest.mark.parametrize("text", ["-1", "1.5", "101%", "-3%", "nan%", "ten", "%"])
def test_a_bad_max_removals_is_a_usage_error(text: str) -> None:
    with pytest.raises(ConfigError, match="--max-removals must be"):
        parse_max_removals(text)


@pytest.mark.parametrize(
    ("previous", "removed", "passes"),
    [
        (1000, 100, True),  # 10% exactly
        (1000, 101, False),  # over 10%
        (30, 10, True),  # the floor of 10 users
        (30, 11, False),
        (12, 6, False),  # half or more, though within the floor
        (12, 5, True),
        (3, 3, False),  # everyone gone
        (300_000, 30_000, True),
        (0, 0, True),
    ],
)
def test_the_default_limit(previous: int, removed: int, passes: bool) -> None:
    if passes:
        counts = check_removals(DEFAULT_LIMIT, 7, previous, removed)
        assert (counts["previous_users"], counts["removed_users"]) == (previous, removed)
    else:
        with pytest.raises(RemovalsRefused) as refused:
            check_removals(DEFAULT_LIMIT, 7, previous, removed)
        message = str(refused.value)
        assert message.startswith(f"refused: {removed} of {previous} users")
        assert f"--max-removals {removed} (or BATON_MAX_REMOVALS={removed})" in message
        assert "\n" not in message


def test_an_explicit_limit_replaces_the_default_rules() -> None:
    check_removals(RemovalLimit(percent=100), 1, 50, 50)  # an intended mass removal
    check_removals(RemovalLimit(count=40), 1, 50, 40)
    with pytest.raises(RemovalsRefused, match=r"more than --max-removals 5% allows \(2\)"):
        check_removals(RemovalLimit(percent=5), 1, 50, 3)
    with pytest.raises(RemovalsRefused, match=r"more than --max-removals 0 allows \(0\)"):
        check_removals(RemovalLimit(count=0), 1, 50, 1)


def _sync(pm: ConnectorManager, path: Path, limit: RemovalLimit = DEFAULT_LIMIT) -> int:
    with Store.open(path) as store:
        ctx = ConnectorContext(config={"toy-url": "x", "toy-token": "secret"})
        return run_sync(pm.connector("toy"), ctx, store, max_removals=limit).sync_id


def test_an_empty_sync_after_a_full_one_is_refused_and_recorded_with_its_counts(
    pm: ConnectorManager, toy: Toy, tmp_path: Path
) -> None:
    path = tmp_path / "sync.db"
    first = _sync(pm, path)
    toy.keep(people=[], members={})
    with pytest.raises(RemovalsRefused) as refused:
        _sync(pm, path)
    assert refused.value.exit_code == ExitCode.REFUSED == 9
    with Store.open_existing(path) as store:
        assert store.sync()["id"] == first, "the previous sync stays the latest"
        failed = store.syncs()[-1]
        assert failed["status"] == "failed"
        assert failed["error"].startswith(f"refused: 3 of 3 users (100%) would be removed compared with sync {first}")
    assert _sync(pm, path, RemovalLimit(percent=100)) == first + 2, "the override accepts it"


def test_a_first_sync_passes_and_later_syncs_carry_the_counts(pm: ConnectorManager, toy: Toy, tmp_path: Path) -> None:
    path = tmp_path / "sync.db"
    full = Toy.teams()
    toy.keep(people=[], members={})
    first = _sync(pm, path)
    toy.people, toy.departments = full.people, full.departments
    toy.keep(people=["ann", "bob"], members={"red": ["ann"]})
    second = _sync(pm, path)
    toy.keep(people=["ann"], members={"red": ["ann"]})
    with pytest.raises(RemovalsRefused, match="half the users or more"):
        _sync(pm, path)
    third = _sync(pm, path, RemovalLimit(count=1))
    with Store.open_existing(path) as store:
        summaries = {row["id"]: row["summary"] for row in store.syncs()}
    assert '"removals": null' in summaries[first]
    assert '"removals": {"allowed": 10, "limit": ' in summaries[second]
    assert '"previous_sync_id": ' + str(second) in summaries[third] and '"removed_users": 1' in summaries[third]
