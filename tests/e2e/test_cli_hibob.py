"""The foundation's promise, end to end: one command syncs every employee,
department and membership a HiBob tenant holds, and the readers show it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from plugins.hibob.simulator import ServiceUser, Simulator, find_edge_cases
from tests.cli import Cli


def _expected_memberships(sim: Simulator) -> dict[str, str]:
    """Employee id -> department id, resolved as the spec says: by id, then by a unique name."""
    ids = {str(d.id) for d in sim.company.all_departments()}
    by_name: dict[str, list[str]] = {}
    for d in sim.company.all_departments():
        by_name.setdefault(d.name, []).append(str(d.id))
    expected = {}
    for employee in sim.company.employees:
        value = employee.department
        if value in ids:
            expected[employee.id] = value
        elif value is not None and len(by_name.get(value, [])) == 1:
            expected[employee.id] = by_name[value][0]
    return expected


def test_sync_with_tenant_variables_holds_everything_the_simulator_serves(
    cli: Cli, sim: Simulator, tenant_env: dict[str, str]
) -> None:
    run = cli("sync", "hibob", "--file", "hibob.db", "--output", "json", **tenant_env)
    assert run.code == 0, run.stderr
    summary = run.json()
    company = sim.company
    departments = company.all_departments()
    memberships = _expected_memberships(sim)
    assert summary["counts"] == {
        "resources": {"user": len(company.employees), "department": len(departments)},
        "entitlements": len(departments),
        "grants": len(memberships),
    }
    assert summary["http"]["requests"] == 3

    users = {
        u["id"]: u for u in cli("resources", "--file", "hibob.db", "--resource-type", "user", "--output", "json").json()
    }
    assert set(users) == {e.id for e in company.employees}
    for employee in company.employees:
        user = users[employee.id]
        assert user["status"] == ("disabled" if employee.lifecycle_status == "terminated" else "enabled")
        assert user["profile"]["lifecycle_status"] == employee.lifecycle_status
        assert user["profile"]["manager_id"] == employee.manager_id
        assert user["display_name"] == employee.display_name
        if employee.email:
            assert {"address": employee.email, "primary": True} in user["emails"]
        manager = company.employee_by_id(employee.manager_id) if employee.manager_id else None
        if manager is not None:
            assert user["profile"]["manager_display_name"] == manager.display_name

    grants = cli("grants", "--file", "hibob.db", "--output", "json").json()
    assert {g["principal"]["id"]: g["entitlement"]["resource_id"] for g in grants} == memberships
    assert all(
        g["id"] == f"department:{g['entitlement']['resource_id']}:member:user:{g['principal']['id']}" for g in grants
    )

    listed = {
        d["id"]: d
        for d in cli("resources", "--file", "hibob.db", "--resource-type", "department", "--output", "json").json()
    }
    for department in departments:
        entry = listed[str(department.id)]
        assert entry["display_name"] == department.name
        parent = (
            None if department.parent_id is None else {"resource_type": "department", "id": str(department.parent_id)}
        )
        assert entry["parent"] == parent
        assert entry["status"] == ("disabled" if department.archived else "enabled")


def test_every_lifecycle_state_and_the_edge_cases_survive_the_cli(
    cli: Cli, sim: Simulator, tenant_env: dict[str, str]
) -> None:
    assert cli("sync", "hibob", "--file", "s.db", **tenant_env).code == 0
    edges = find_edge_cases(sim.company)
    disabled = {
        u["id"]
        for u in cli(
            "resources", "--file", "s.db", "--resource-type", "user", "--status", "disabled", "--output", "json"
        ).json()
    }
    assert disabled == set(edges.by_lifecycle["terminated"])
    for state, people in edges.by_lifecycle.items():
        assert people, state
    grants = cli("grants", "--file", "s.db", "--output", "json").json()
    members = {g["principal"]["id"] for g in grants}
    assert not members & set(edges.without_department)
    assert not members & set(edges.dangling_department)
    assert set(edges.department_by_name) <= members
    assert set(edges.in_archived_department) <= members


def test_readers_filter_and_print_tables(cli: Cli, sim: Simulator, tenant_env: dict[str, str]) -> None:
    assert cli("sync", "hibob", **tenant_env).code == 0  # default file sync.db in the working folder
    root = sim.company.departments[0]
    children = cli(
        "resources", "--resource-type", "department", "--parent", f"department:{root.id}", "--output", "json"
    )
    assert {c["id"] for c in children.json()} == {str(c.id) for c in root.children}
    entitlement = cli("entitlements", "--resource-id", str(root.id), "--output", "json").json()
    assert [e["id"] for e in entitlement] == [f"department:{root.id}:member"]
    table = cli("resources", "--resource-type", "user", "--search", sim.company.employees[0].display_name)
    assert table.code == 0
    header, *rows = table.stdout.splitlines()
    assert header.split() == ["type", "id", "display_name", "status", "email"]  # users have no parent: no empty column
    assert any(sim.company.employees[0].id in row for row in rows)


def test_validate_names_each_missing_category_and_fails(cli: Cli, sim: Simulator, tenant_env: dict[str, str]) -> None:
    sim.add_service_user(
        ServiceUser(id="limited-user", token="limited-token", categories=frozenset({"root", "work", "employment"}))
    )
    env = {
        **tenant_env,
        "BATON_HIBOB_SERVICE_USER_ID": "limited-user",
        "BATON_HIBOB_SERVICE_USER_TOKEN": "limited-token",
    }
    run = cli("validate", "hibob", "--output", "json", **env)
    assert run.code == 6
    failed = {f["check"] for f in run.json()["findings"] if not f["ok"] and f["severity"] == "error"}
    warned = {f["check"] for f in run.json()["findings"] if not f["ok"] and f["severity"] == "warning"}
    assert failed == {"category:lifecycle"}, "only a category the sync reads blocks it"
    assert "category:about" in warned
    assert "about" in run.stdout and "lifecycle" in run.stdout
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("error: validation failed")
    sync = cli("sync", "hibob", "--file", "v.db", **env)
    assert sync.code == 6
    assert "Traceback" not in sync.stderr


def test_validate_passes_and_warns_when_former_employees_are_hidden(
    cli: Cli, sim: Simulator, tenant_env: dict[str, str]
) -> None:
    assert cli("validate", "hibob", **tenant_env).code == 0
    sim.add_service_user(ServiceUser(id="no-leavers", token="t0ken-no-leavers", sees_inactive=False))
    env = {
        **tenant_env,
        "BATON_HIBOB_SERVICE_USER_ID": "no-leavers",
        "BATON_HIBOB_SERVICE_USER_TOKEN": "t0ken-no-leavers",
    }
    run = cli("validate", "hibob", "--output", "json", **env)
    assert run.code == 0
    warnings = [f for f in run.json()["findings"] if not f["ok"]]
    assert warnings and all(f["severity"] == "warning" for f in warnings)
    assert "inactive" in " ".join(f["message"] for f in warnings).lower()


def test_flags_work_like_variables_and_win_over_them(cli: Cli, tenant_env: dict[str, str]) -> None:
    flags = [
        "--hibob-base-url",
        tenant_env["BATON_HIBOB_BASE_URL"] + "/",
        "--hibob-service-user-id",
        tenant_env["BATON_HIBOB_SERVICE_USER_ID"],
        "--hibob-service-user-token",
        tenant_env["BATON_HIBOB_SERVICE_USER_TOKEN"],
    ]
    run = cli("sync", "hibob", "--file", "f.db", *flags, BATON_HIBOB_SERVICE_USER_TOKEN="wrong")
    assert run.code == 0, run.stderr


def test_config_errors_are_one_line_and_name_flag_and_variable(cli: Cli, tenant_env: dict[str, str]) -> None:
    run = cli("sync", "hibob", "--file", "x.db")
    assert run.code == 2
    assert run.stderr.count("\n") == 1
    assert "--hibob-base-url (or BATON_HIBOB_BASE_URL)" in run.stderr
    assert "--hibob-service-user-token (or BATON_HIBOB_SERVICE_USER_TOKEN)" in run.stderr
    no_v1 = cli("validate", "hibob", **{**tenant_env, "BATON_HIBOB_BASE_URL": tenant_env["BATON_HIBOB_BASE_URL"][:-3]})
    assert no_v1.code == 2 and "/v1" in no_v1.stderr and no_v1.stderr.count("\n") == 1
    assert not (Path(cli.cwd) / "x.db").exists()


def test_a_refused_credential_is_one_line_exit_3_and_keeps_the_last_sync(
    cli: Cli, sim: Simulator, tenant_env: dict[str, str]
) -> None:
    assert cli("sync", "hibob", "--file", "s.db", **tenant_env).code == 0
    before = len(sim.requests)
    run = cli("sync", "hibob", "--file", "s.db", **{**tenant_env, "BATON_HIBOB_SERVICE_USER_TOKEN": "nope"})
    assert run.code == 3
    assert len(sim.requests) - before == 1
    assert run.stderr.strip().splitlines()[-1].startswith("error: ") and "401" in run.stderr
    assert len(cli("resources", "--file", "s.db", "--output", "json").json()) > 300


def test_readers_without_a_sync_file_say_so(cli: Cli) -> None:
    run = cli("resources", "--file", "missing.db")
    assert run.code == 7
    assert run.stderr == "error: no sync file at missing.db (run 'connector sync PLUGIN --file missing.db' first)\n"


def test_plugins_command_prints_json(cli: Cli) -> None:
    plugins = {p["name"]: p for p in cli("plugins").json()}
    assert plugins["hibob"]["source"] == "built-in"
    assert {"validate", "list_resources", "list_grants", "connector_info"} <= set(plugins["hibob"]["hooks"])


def test_demo_syncs_the_bundled_simulator_and_says_what_next(cli: Cli) -> None:
    run = cli("demo", "hibob", "--file", "demo.db")
    assert run.code == 0, run.stderr
    assert "sync 1 complete" in run.stdout and "connector resources" in run.stdout
    users = cli("resources", "--file", "demo.db", "--resource-type", "user", "--output", "json").json()
    assert len(users) == 300


def test_unicode_and_very_long_names_are_kept_exactly(cli: Cli, sim: Simulator, tenant_env: dict[str, str]) -> None:
    person = sim.company.employees[5]
    person.display_name = "Zoë 李雷 O'Brien-" + "ŵ" * 5000 + " 🚀"
    assert cli("sync", "hibob", "--file", "s.db", **tenant_env).code == 0
    found = cli("resources", "--file", "s.db", "--search", "ZOË 李雷 O'BRIEN-ŴŴ", "--output", "json").json()
    assert [(u["id"], u["display_name"]) for u in found] == [(person.id, person.display_name)]


def test_an_employee_listed_twice_is_kept_once_and_reported(
    cli: Cli, sim: Simulator, tenant_env: dict[str, str]
) -> None:
    twice = sim.company.employees[7]
    sim.company.employees.append(dataclasses.replace(twice, display_name="Second Record"))
    run = cli("sync", "hibob", "--file", "s.db", "--output", "json", **tenant_env)
    assert run.code == 0, run.stderr
    summary = run.json()
    assert summary["counts"]["resources"]["user"] == len(sim.company.employees) - 1
    duplicate = next(w for w in summary["warnings"] if w["code"] == "employee_duplicate")
    assert (duplicate["count"], duplicate["examples"]) == (1, [twice.id])
    kept = cli("resources", "--file", "s.db", "--search", twice.email or twice.display_name, "--output", "json").json()
    assert [u["display_name"] for u in kept] == [twice.display_name]
