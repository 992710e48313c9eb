"""Index pagination against providers that misbehave as real ones do (see ``provider.py``).

Each test syncs through the host into a real sync file and checks what was
stored, what was warned, and how many pages it took: every user exactly once,
or one clear error, and never an endless loop.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from framework.authoring.testing import load_connector
from framework.host.context import ConnectorContext
from framework.host.errors import PayloadError
from framework.host.sync import run_sync
from framework.read import queries
from framework.store.file import Store
from tests.scim.provider import Provider, running

USERS = [f"u{n:02d}" for n in range(1, 8)]


def _sync(provider: Provider, tmp_path: Path, page_size: int = 3) -> tuple[list[str], dict[str, Any]]:
    """User ids stored, and the sync summary."""
    _, connector = load_connector("scim")
    with running(provider) as config, Store.open(tmp_path / "sync.db") as store:
        ctx = ConnectorContext(config={**config, "scim-page-size": str(page_size)})
        result = run_sync(connector, ctx, store)
        users = list(queries.resources(store, result.sync_id, queries.ResourceFilter(resource_type="user")))
    return [user["id"] for user in users], result.summary


def _listing(provider: Provider) -> list[tuple[int, int]]:
    """``(startIndex, count)`` of each /Users page request (validate's one-user probe left out)."""
    return [(start, count) for path, start, count in provider.seen if path == "/Users" and count != 1]


def _warnings(summary: dict[str, Any]) -> dict[str, int]:
    return {w["code"]: w["count"] for w in summary["warnings"]}


def test_pages_follow_what_came_not_what_was_asked(tmp_path: Path) -> None:
    provider = Provider(list(USERS))
    stored, summary = _sync(provider, tmp_path)
    assert stored == USERS
    assert _listing(provider) == [(1, 3), (4, 3), (7, 3)]
    assert _warnings(summary) == {}


def test_a_provider_ignoring_count_is_read_in_one_page(tmp_path: Path) -> None:
    provider = Provider(list(USERS), ignore_count=True)
    stored, _ = _sync(provider, tmp_path)
    assert stored == USERS
    assert _listing(provider) == [(1, 3)]


def test_a_provider_answering_fewer_than_asked_is_read_to_the_end(tmp_path: Path) -> None:
    provider = Provider(list(USERS), most=2)
    stored, _ = _sync(provider, tmp_path)
    assert stored == USERS
    assert _listing(provider) == [(1, 3), (3, 3), (5, 3), (7, 3)]


def test_max_results_from_discovery_caps_the_page_size(tmp_path: Path) -> None:
    provider = Provider(list(USERS), max_results=2)
    stored, summary = _sync(provider, tmp_path, page_size=100)
    assert stored == USERS
    assert {count for _, count in _listing(provider)} == {2}
    assert [f["ok"] for f in summary["validation"] if f["check"] == "discovery"] == [False]


def test_a_user_created_mid_listing_shifts_pages_but_everyone_is_kept_once(tmp_path: Path) -> None:
    def insert_first(provider: Provider, page: int) -> None:
        if page == 1:
            provider.users.insert(0, "u00")

    stored, summary = _sync(Provider(list(USERS), after_page=insert_first), tmp_path)
    assert sorted(stored) == USERS  # u00 came after its page was read: the next sync has it
    assert _warnings(summary) == {"scim_listed_twice": 1, "scim_total_changed": 1}


def test_a_user_deleted_mid_listing_ends_the_listing_with_a_warning(tmp_path: Path) -> None:
    def delete_first(provider: Provider, page: int) -> None:
        if page == 1:
            del provider.users[0]

    stored, summary = _sync(Provider(list(USERS), after_page=delete_first), tmp_path)
    assert sorted(stored) == [u for u in USERS if u != "u04"]  # u04 slid into the page already read
    assert _warnings(summary) == {"scim_total_changed": 1}


def test_pages_ending_short_of_a_steady_total_fail_the_sync(tmp_path: Path) -> None:
    with pytest.raises(PayloadError, match=r"GET /Users announced totalResults=9 but its pages ended after 7"):
        _sync(Provider(list(USERS), announce=9), tmp_path)


@pytest.mark.parametrize("announce", [None, 10**9])
def test_a_provider_ignoring_start_index_fails_after_one_repeated_page(tmp_path: Path, announce: int | None) -> None:
    provider = Provider(list(USERS), ignore_start=True, announce=announce)
    with pytest.raises(PayloadError, match="ignores startIndex"):
        _sync(provider, tmp_path)
    assert _listing(provider) == [(1, 3), (4, 3)]


def test_a_total_that_keeps_running_ahead_fails_instead_of_listing_forever(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def grow(provider: Provider, page: int) -> None:
        provider.users.extend(f"n{page:03d}-{n}" for n in range(3))

    monkeypatch.setattr("plugins.scim.client.GROWTH_ALLOWED", 10)
    provider = Provider(list(USERS), after_page=grow)
    # validate's one-user probe grew the 7 users to 10 before the listing's first page
    with pytest.raises(PayloadError, match=r"listed 33 resources after announcing totalResults=10 \(now 40\)"):
        _sync(provider, tmp_path)
    assert len(_listing(provider)) == 11  # 2 * 10 + 10 = 30 allowed: stopped at the first page beyond
