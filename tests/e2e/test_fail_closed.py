"""Fail closed, end to end: permission-scoped tenants through the real CLI against the simulator.

Each test builds the permission group a real tenant might have (categories for
part of the audience, a lifecycle-status filter, ...), runs ``validate`` and
``sync`` as a user would, and checks the exact counts against the simulator's
own company data.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from plugins.hibob.simulator import ServiceUser, Simulator
from plugins.hibob.simulator.company import Employee
from tests.cli import Cli


def as_user(sim: Simulator, tenant_env: dict[str, str], user: ServiceUser) -> dict[str, str]:
    """The tenant variables for another service user of the same simulated tenant."""
    sim.add_service_user(user)
    return {**tenant_env, "BATON_HIBOB_SERVICE_USER_ID": user.id, "BATON_HIBOB_SERVICE_USER_TOKEN": user.token}


def finding(findings: list[dict[str, Any]], check: str) -> dict[str, Any]:
    (found,) = [f for f in findings if f["check"] == check]
    return found


def terminated(sim: Simulator) -> list[Employee]:
    return [e for e in sim.company.employees if e.lifecycle_status == "terminated"]


def users(cli: Cli, *args: str) -> dict[str, dict[str, Any]]:
    listed = cli("resources", "--file", "s.db", "--resource-type", "user", "--output", "json", *args).json()
    return {u["id"]: u for u in listed}


def test_lifecycle_hidden_for_part_of_the_audience_syncs_those_people_as_unknown(
    cli: Cli, sim: Simulator, tenant_env: dict[str, str]
) -> None:
    assert cli("sync", "hibob", "--file", "s.db", **tenant_env).code == 0
    hidden = {e.id for e in terminated(sim)[:2]}
    env = as_user(
        sim,
        tenant_env,
        ServiceUser("SVC-part", "t-part", category_audience={"lifecycle": lambda e: e.id not in hidden}),
    )
    total = len(sim.company.employees)

    run = cli("validate", "hibob", "--output", "json", **env)
    assert run.code == 0, run.stderr
    lifecycle = finding(run.json()["findings"], "category:lifecycle")
    assert (lifecycle["ok"], lifecycle["severity"], lifecycle["count"], lifecycle["total"]) == (
        False,
        "warning",
        2,
        total,
    )
    assert "unknown" in lifecycle["message"]

    sync = cli("sync", "hibob", "--file", "s.db", "--output", "json", **env)
    assert sync.code == 0, sync.stderr
    summary = sync.json()
    assert finding(summary["validation"], "category:lifecycle") == lifecycle, "the sync carries the same finding"
    warning = next(w for w in summary["warnings"] if w["code"] == "lifecycle_missing")
    assert (warning["count"], sorted(warning["examples"])) == (2, sorted(hidden))

    assert set(users(cli, "--status", "unknown")) == hidden
    everyone = users(cli)
    assert {i for i, u in everyone.items() if u["status"] == "enabled"} == {
        e.id for e in sim.company.employees if e.lifecycle_status != "terminated"
    }
    stats = cli("stats", "--file", "s.db", "--output", "json").json()
    user_stats = next(t for t in stats["resource_types"] if t["resource_type"] == "user")
    assert (user_stats["unknown"], user_stats["disabled"]) == (2, len(terminated(sim)) - 2)

    diff = cli("diff", "--file", "s.db", "--output", "json").json()
    assert {u["id"] for u in diff["users"]["status_unknown"]} == hidden
    assert all(u["changes"]["status"] == {"old": "disabled", "new": "unknown"} for u in diff["users"]["status_unknown"])
    assert diff["counts"]["users"] == {"joiners": 0, "leavers": 0, "movers": 0, "updated": 0, "status_unknown": 2}

    exported = cli("export", "resources", "--file", "s.db", "--format", "csv")
    assert exported.code == 0
    assert sum(",unknown," in line for line in exported.stdout.splitlines()) == 2


def test_lifecycle_hidden_for_everyone_is_an_error_and_nothing_syncs(
    cli: Cli, sim: Simulator, tenant_env: dict[str, str]
) -> None:
    env = as_user(sim, tenant_env, ServiceUser("SVC-nolc", "t-nolc", category_audience={"lifecycle": lambda e: False}))
    run = cli("validate", "hibob", "--output", "json", **env)
    assert run.code == 6
    report = run.json()
    assert report["valid"] is False
    lifecycle = finding(report["findings"], "category:lifecycle")
    assert (lifecycle["severity"], lifecycle["count"]) == ("error", len(sim.company.employees))
    sync = cli("sync", "hibob", "--file", "s.db", **env)
    assert sync.code == 6
    last = sync.stderr.splitlines()[-1]
    assert last.startswith("error: validation failed") and "category:lifecycle" in last
    failed = cli("syncs", "--file", "s.db", "--output", "json").json()
    assert [(s["status"], "category:lifecycle" in s["error"]) for s in failed] == [("failed", True)]


def test_a_status_filter_leaving_out_terminated_warns_and_is_not_fooled_by_pre_hires(
    cli: Cli, sim: Simulator, tenant_env: dict[str, str]
) -> None:
    hired = [e for e in sim.company.employees if e.lifecycle_status == "hired"]
    assert hired and all(not e.active for e in hired), "pre-hires are Inactive in HiBob"
    env = as_user(
        sim, tenant_env, ServiceUser("SVC-filter", "t-filter", audience=lambda e: e.lifecycle_status != "terminated")
    )
    run = cli("validate", "hibob", "--output", "json", **env)
    assert run.code == 0, run.stderr
    leavers = finding(run.json()["findings"], "terminated_visible")
    assert (leavers["ok"], leavers["severity"], leavers["count"]) == (False, "warning", 0)
    inactive = sum(1 for e in sim.company.employees if not e.active and e.lifecycle_status != "terminated")
    assert f"{inactive} inactive employees are visible" in leavers["message"]
    assert "status filter" in leavers["message"] and "audience" in leavers["message"]

    sync = cli("sync", "hibob", "--file", "s.db", "--output", "json", **env)
    assert sync.code == 0, sync.stderr
    assert finding(sync.json()["validation"], "terminated_visible") == leavers
    table = cli("sync", "hibob", "--file", "s.db", **env)
    assert "validation warning: terminated_visible" in table.stdout


def test_a_full_audience_passes_every_measured_check(cli: Cli, sim: Simulator, tenant_env: dict[str, str]) -> None:
    run = cli("validate", "hibob", "--output", "json", **tenant_env)
    assert run.code == 0, run.stderr
    report = run.json()
    assert report["valid"] is True
    assert all(f["ok"] and f["severity"] == "info" for f in report["findings"]), report
    leavers = finding(report["findings"], "terminated_visible")
    assert leavers["count"] == len(terminated(sim))
    searches = sim.requests_to("POST", "/v1/people/search")
    assert len(searches) == 1 and "filters" not in searches[0].json, "one lean search of everyone"
    assert len(sim.requests) == 2


@pytest.mark.parametrize("category", ["about", "employment"])
def test_a_category_the_sync_does_not_read_is_a_warning_and_the_sync_runs(
    cli: Cli, sim: Simulator, tenant_env: dict[str, str], category: str
) -> None:
    categories = frozenset({"root", "about", "employment", "work", "lifecycle"}) - {category}
    env = as_user(sim, tenant_env, ServiceUser(f"SVC-{category}", "t-cat", categories=categories))
    run = cli("validate", "hibob", "--output", "json", **env)
    assert run.code == 0, run.stderr
    missing = finding(run.json()["findings"], f"category:{category}")
    assert (missing["severity"], missing["count"]) == ("warning", len(sim.company.employees))
    assert cli("sync", "hibob", "--file", "s.db", **env).code == 0


def test_root_hidden_for_part_of_the_audience_is_an_error(cli: Cli, sim: Simulator, tenant_env: dict[str, str]) -> None:
    first = sim.company.employees[0].id
    env = as_user(
        sim, tenant_env, ServiceUser("SVC-root", "t-root", category_audience={"root": lambda e: e.id != first})
    )
    run = cli("validate", "hibob", "--output", "json", **env)
    assert run.code == 6
    root = finding(run.json()["findings"], "category:root")
    assert (root["severity"], root["count"], root["total"]) == ("error", 1, len(sim.company.employees))
    sync = cli("sync", "hibob", "--file", "s.db", **env)
    assert sync.code == 6 and "category:root" in sync.stderr


@pytest.mark.parametrize(
    ("change", "code", "check"),
    [
        ({"BATON_HIBOB_SERVICE_USER_TOKEN": "wrong"}, 3, "auth"),
        ({"BATON_HIBOB_BASE_URL": "http://127.0.0.1:9/v1", "BATON_HTTP_MAX_RETRIES": "0"}, 4, "upstream"),
    ],
)
def test_validate_json_reports_a_failure_that_stops_it(
    cli: Cli, tenant_env: dict[str, str], change: dict[str, str], code: int, check: str
) -> None:
    run = cli("validate", "hibob", "--output", "json", **{**tenant_env, **change})
    assert run.code == code
    report = run.json()
    assert report["valid"] is False
    (only,) = report["findings"]
    assert (only["check"], only["ok"], only["severity"]) == (check, False, "error")
    assert "wrong" not in run.stdout + run.stderr
    assert run.stderr.count("\n") == 1


def test_a_halved_people_search_after_a_full_sync_is_refused_until_accepted(
    cli: Cli, sim: Simulator, tenant_env: dict[str, str]
) -> None:
    assert cli("sync", "hibob", "--file", "s.db", **tenant_env).code == 0
    everyone = len(sim.company.employees)
    kept = {e.id for e in sim.company.employees[: everyone // 2]}
    env = as_user(sim, tenant_env, ServiceUser("SVC-half", "t-half", audience=lambda e: e.id in kept))

    run = cli("sync", "hibob", "--file", "s.db", **env)
    assert run.code == 9
    removed = everyone - len(kept)
    last = run.stderr.splitlines()[-1]
    assert last.startswith(f"error: refused: {removed} of {everyone} users")
    assert f"--max-removals {removed} (or BATON_MAX_REMOVALS={removed})" in last
    syncs = cli("syncs", "--file", "s.db", "--output", "json").json()
    assert [s["status"] for s in syncs] == ["complete", "failed"]
    assert syncs[1]["error"].startswith(f"refused: {removed} of {everyone} users") and syncs[0]["latest"]
    assert len(users(cli)) == everyone, "readers still show the previous sync"

    accepted = cli("sync", "hibob", "--file", "s.db", "--output", "json", **env, BATON_MAX_REMOVALS=str(removed))
    assert accepted.code == 0, accepted.stderr
    assert accepted.json()["removals"] == {
        "previous_sync_id": 1,
        "previous_users": everyone,
        "removed_users": removed,
        "allowed": removed,
        "limit": f"--max-removals {removed}",
    }
    assert set(users(cli)) == kept


def test_an_empty_people_search_after_a_full_sync_fails_and_keeps_the_previous_sync(
    cli: Cli, sim: Simulator, tenant_env: dict[str, str]
) -> None:
    assert cli("sync", "hibob", "--file", "s.db", **tenant_env).code == 0
    env = as_user(sim, tenant_env, ServiceUser("SVC-none", "t-none", audience=lambda e: False))
    for extra in ([], ["--max-removals", "100%"]):  # nobody visible fails validation before the guard is asked
        run = cli("sync", "hibob", "--file", "s.db", *extra, **env)
        assert run.code == 6
        assert "employees_visible" in run.stderr.splitlines()[-1]
    assert len(users(cli)) == len(sim.company.employees)


def test_a_few_deletions_pass_the_default_guard_and_are_counted(
    cli: Cli, sim: Simulator, tenant_env: dict[str, str]
) -> None:
    first = cli("sync", "hibob", "--file", "s.db", "--output", "json", **tenant_env)
    assert first.json()["removals"] is None, "a first sync has nothing to compare with"
    del sim.company.employees[-3:]
    run = cli("sync", "hibob", "--file", "s.db", **tenant_env)
    assert run.code == 0, run.stderr
    assert f"3 of {len(sim.company.employees) + 3} users of sync 1 removed (within the default limit" in run.stdout


def warnings_of(summary: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {w["code"]: w for w in summary["warnings"]}


def test_managers_outside_the_audience_or_disabled_are_counted_by_id(
    cli: Cli, sim: Simulator, tenant_env: dict[str, str]
) -> None:
    people = {e.id: e for e in sim.company.employees}
    outside = {e.manager_id for e in sim.company.employees if e.manager_id and e.lifecycle_status != "terminated"}
    hidden = set(sorted(outside)[:2])
    env = as_user(sim, tenant_env, ServiceUser("SVC-mgr", "t-mgr", audience=lambda e: e.id not in hidden))
    run = cli("sync", "hibob", "--file", "s.db", "--output", "json", **env)
    assert run.code == 0, run.stderr
    found = warnings_of(run.json())
    visible = [e for e in sim.company.employees if e.id not in hidden]
    not_listed = sorted(f"user:{e.id}" for e in visible if e.manager_id in hidden)
    assert found["manager_not_listed"]["count"] == len(not_listed)
    assert found["manager_not_listed"]["examples"] == not_listed[:5]
    disabled = sorted(
        f"user:{e.id}"
        for e in visible
        if e.manager_id in people
        and e.manager_id not in hidden
        and people[e.manager_id].lifecycle_status == "terminated"
    )
    assert disabled, "the demo company has people reporting to leavers"
    assert (found["manager_disabled"]["count"], found["manager_disabled"]["examples"]) == (len(disabled), disabled[:5])


def test_a_duplicate_listing_that_differs_names_the_fields_and_keeps_the_first_copy(
    cli: Cli, sim: Simulator, tenant_env: dict[str, str]
) -> None:
    twice = next(e for e in sim.company.employees if e.lifecycle_status == "employed" and e.title)
    same = sim.company.employees[3]
    sim.company.employees.append(dataclasses.replace(twice, lifecycle_status="terminated", title=None))
    sim.company.employees.append(dataclasses.replace(same))
    run = cli("sync", "hibob", "--file", "s.db", "--output", "json", **tenant_env)
    assert run.code == 0, run.stderr
    found = warnings_of(run.json())
    assert (found["employee_duplicate"]["count"], found["employee_duplicate"]["examples"]) == (2, [twice.id, same.id])
    differs = found["employee_duplicate_differs"]
    assert differs["count"] == 1
    assert differs["examples"] == [f"employee {twice.id}: work.title, internal.lifecycleStatus"]
    assert "first listed copy is kept" in differs["message"]
    assert run.json()["http"]["requests"] == 4, "one more search re-reads the differing copies"
    kept = users(cli)[twice.id]
    assert (kept["status"], kept["profile"]["lifecycle_status"]) == ("enabled", "employed")


def test_blank_and_shared_emails_are_no_address_and_a_warning(
    cli: Cli, sim: Simulator, tenant_env: dict[str, str]
) -> None:
    blank, padded, shared, other = sim.company.employees[10:14]
    blank.email = "   "
    padded.email = f"  {padded.email}  "
    shared.email = (other.email or "").upper()
    run = cli("sync", "hibob", "--file", "s.db", "--output", "json", **tenant_env)
    assert run.code == 0, run.stderr
    found = warnings_of(run.json())
    no_email = sorted(e.id for e in sim.company.employees if not (e.email or "").strip())
    assert found["email_missing"]["count"] == len(no_email) and blank.id in found["email_missing"]["examples"]
    first, second = sorted([shared, other], key=sim.company.employees.index)
    assert found["email_shared"]["count"] == 1
    assert found["email_shared"]["examples"] == [f"employee {second.id} (same address as {first.id})"]
    assert "@" not in json.dumps(found["email_shared"]) + json.dumps(found["email_missing"])
    listed = users(cli)
    assert listed[blank.id]["emails"] == []
    assert listed[padded.id]["emails"] == [{"address": padded.email.strip(), "primary": True}]
    access = cli("access", padded.email.strip(), "--file", "s.db", "--output", "json")
    assert access.code == 0 and access.json()["user"]["id"] == padded.id
