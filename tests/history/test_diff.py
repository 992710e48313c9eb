from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from framework.host.context import ConnectorContext
from framework.host.errors import ConfigError, UpstreamError
from framework.host.plugins import ConnectorManager, register
from framework.host.sync import run_sync
from framework.read import diff, jml, syncs
from framework.store.file import Store
from tests.history.conftest import SyncOnce
from tests.history.scenario import apply_changes, assert_expected_diff
from tests.toy import Person, Toy


def _diff(path: Path, old: int | None = None, new: int | None = None, plugin: str | None = None) -> dict[str, Any]:
    with Store.open_existing(path) as store:
        return jml.diff(store, *syncs.pick_pair(store, old, new, plugin))


def _ids(entries: list[dict[str, Any]]) -> list[str]:
    return [entry["id"] for entry in entries]


def test_two_syncs_with_changes_produce_exactly_the_expected_diff(
    hr: Toy, sync_once: SyncOnce, sync_file: Path
) -> None:
    first = sync_once()
    apply_changes(hr)
    second = sync_once()
    assert_expected_diff(_diff(sync_file), first, second)


def test_a_failed_sync_between_two_good_ones_is_not_in_the_diff(hr: Toy, sync_once: SyncOnce, sync_file: Path) -> None:
    first = sync_once()
    apply_changes(hr)
    hr.fail = UpstreamError("GET /people answered 503")
    with pytest.raises(UpstreamError):
        sync_once()
    hr.fail = None
    third = sync_once()
    assert third == first + 2
    assert_expected_diff(_diff(sync_file), first, third)
    with pytest.raises(ConfigError, match=f"sync {first + 1} is failed, not complete"):
        _diff(sync_file, first + 1, third)


def test_two_identical_syncs_have_an_empty_diff(sync_once: SyncOnce, sync_file: Path) -> None:
    sync_once()
    sync_once()
    result = _diff(sync_file)
    assert all(count == 0 for section in result["counts"].values() for count in section.values())
    assert result["users"]["movers"] == [] and result["grants"] == {"added": [], "removed": []}


def test_one_complete_sync_is_not_enough_to_diff(sync_once: SyncOnce, sync_file: Path) -> None:
    only = sync_once()
    with pytest.raises(ConfigError, match=f"nothing to compare: .* no complete hr sync before sync {only};"):
        _diff(sync_file)


def test_explicit_from_and_to_pick_any_two_syncs_even_backwards(hr: Toy, sync_once: SyncOnce, sync_file: Path) -> None:
    first = sync_once()
    apply_changes(hr)
    second = sync_once()
    sync_once()
    assert _diff(sync_file)["counts"]["resources"] == {"added": 0, "removed": 0, "changed": 0}
    assert_expected_diff(_diff(sync_file, first, second), first, second)
    backwards = _diff(sync_file, second, first)
    assert [(e["id"], e["reason"]) for e in backwards["users"]["joiners"]] == [("102", "new"), ("104", "re-enabled")]
    assert [(e["id"], e["reason"]) for e in backwards["users"]["leavers"]] == [("107", "removed")]
    assert _ids(backwards["groups"]["created"]) == ["d2"] and _ids(backwards["groups"]["removed"]) == ["d5"]


def test_renaming_a_department_moves_none_of_its_members(hr: Toy, sync_once: SyncOnce, sync_file: Path) -> None:
    sync_once()
    hr.departments["d3"].name = "Revenue"
    sync_once()
    result = _diff(sync_file)
    assert result["users"]["movers"] == []
    assert _ids(result["users"]["updated"]) == ["103", "104", "108"]
    assert {entry["id"]: list(entry["changes"]) for entry in result["users"]["updated"]} == {
        "103": ["profile.department"],
        "104": ["profile.department"],
        "108": ["profile.department"],
    }
    assert result["groups"]["renamed"] == [
        {"resource_type": "department", "id": "d3", "old": "Sales", "new": "Revenue"}
    ]
    assert result["grants"] == {"added": [], "removed": []}


def test_a_membership_change_alone_makes_a_mover(hr: Toy, sync_once: SyncOnce, sync_file: Path) -> None:
    sync_once()
    hr.extra_members = {"d3": ["100"]}
    sync_once()
    (mover,) = _diff(sync_file)["users"]["movers"]
    assert (mover["id"], mover["kinds"], mover["changes"]) == ("100", ["department"], {})
    assert mover["department"] == {
        "old": [],
        "new": [{"resource_type": "department", "id": "d3", "display_name": "Sales"}],
    }


def test_rehires_join_and_already_disabled_people_never_leave_twice(
    hr: Toy, sync_once: SyncOnce, sync_file: Path
) -> None:
    sync_once()
    hr.people["105"].lifecycle, hr.people["105"].termination_date = "employed", None
    hr.people["109"] = Person("Ivo Past", "ivo@example.com", lifecycle="terminated", termination_date="2019-05-01")
    sync_once()
    result = _diff(sync_file)
    assert [(e["id"], e["reason"], e["date"]) for e in result["users"]["joiners"]] == [
        ("105", "re-enabled", "2020-01-06")
    ]
    assert [r["id"] for r in result["resources"]["added"]] == ["109"]
    del hr.people["109"]
    sync_once()
    result = _diff(sync_file)
    assert result["users"]["leavers"] == [] and [r["id"] for r in result["resources"]["removed"]] == ["109"]


def test_a_status_turning_unknown_is_its_own_kind_never_a_leaver_or_joiner(
    hr: Toy, sync_once: SyncOnce, sync_file: Path
) -> None:
    sync_once()
    hr.people["101"].lifecycle = None
    hr.people["105"].lifecycle = None
    hr.people["110"] = Person("Kim New", "kim@example.com", lifecycle=None)
    sync_once()
    users = _diff(sync_file)["users"]
    assert users["joiners"] == users["leavers"] == users["movers"] == []
    assert [(e["id"], e["reason"], e["status"]) for e in users["status_unknown"]] == [
        ("101", "changed", {"old": "enabled", "new": "unknown"}),
        ("105", "changed", {"old": "disabled", "new": "unknown"}),
        ("110", "new", {"old": None, "new": "unknown"}),
    ]
    hr.people["101"].lifecycle = "employed"
    hr.people["105"].lifecycle = "terminated"
    del hr.people["110"]
    sync_once()
    users = _diff(sync_file)["users"]
    assert users["joiners"] == users["leavers"] == []
    assert [(e["id"], e["reason"], e["status"]) for e in users["status_unknown"]] == [
        ("101", "changed", {"old": "unknown", "new": "enabled"}),
        ("105", "changed", {"old": "unknown", "new": "disabled"}),
        ("110", "removed", {"old": "unknown", "new": None}),
    ]


def test_a_tracked_attribute_is_reported_under_its_label_with_names_and_decided_by_id(
    hr: Toy, sync_once: SyncOnce, sync_file: Path
) -> None:
    sync_once()
    hr.people["103"].name = "Dana Scully-Mulder"
    sync_once()
    users = _diff(sync_file)["users"]
    assert users["movers"] == []
    assert {e["id"]: e["kinds"] for e in users["updated"]} == {"103": [], "104": [], "106": [], "108": []}
    hr.people["104"].manager = "100"
    sync_once()
    (mover,) = _diff(sync_file)["users"]["movers"]
    assert (mover["id"], mover["kinds"]) == ("104", ["manager"])
    assert mover["manager"] == {
        "old": {"id": "103", "display_name": "Dana Scully-Mulder"},
        "new": {"id": "100", "display_name": "Ada Lovelace"},
    }


def test_a_file_shared_by_two_plugins_diffs_each_against_itself(
    pm: ConnectorManager, hr: Toy, sync_once: SyncOnce, sync_file: Path
) -> None:
    other = Toy.company(name="hr2")
    register(pm, other, other.name)
    try:
        first = sync_once()
        with Store.open(sync_file) as store:
            run_sync(pm.connector("hr2"), ConnectorContext(config={}), store)
        apply_changes(hr)
        third = sync_once()
    finally:
        pm.unregister(name=other.name)
    assert_expected_diff(_diff(sync_file, plugin=hr.name), first, third)
    with pytest.raises(ConfigError, match=rf"holds syncs of several plugins \({hr.name}, hr2\): pass --plugin NAME"):
        _diff(sync_file)
    with pytest.raises(ConfigError, match=f"sync {first} is a {hr.name} sync, not hr2"):
        _diff(sync_file, old=first, plugin="hr2")


def test_field_changes_treat_a_missing_profile_key_as_null() -> None:
    base: dict[str, Any] = {"display_name": "A", "status": "enabled", "parent": None, "emails": [], "employee_ids": []}
    before = {**base, "profile": {"x": None, "y": 1}}
    after = {**base, "profile": {"y": 2, "z": "new"}}
    assert diff.field_changes(before, after) == {
        "profile.y": {"old": 1, "new": 2},
        "profile.z": {"old": None, "new": "new"},
    }
