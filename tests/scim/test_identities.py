"""``connector identities|leavers|orphans --source hibob`` on a file holding a HiBob and a SCIM sync.

HiBob (the simulator) says who works here; scim2-server holds one application's
accounts, each built for one rule of ``docs/identities.md``. Both are synced
through the CLI into one file, and each report must give exactly the expected
list: nothing more, nothing less.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest

from plugins.hibob.simulator import Company, Department, Employee, Simulator
from plugins.hibob.simulator.company import INACTIVE
from plugins.scim.upstream import Account, ScimServer, Team, Tenant
from tests.cli import Cli, python_env
from tests.e2e.conftest import ROOT


def _person(key: str, first: str, last: str, number: int, *, left: bool = False) -> Employee:
    person = Employee(key, f"{first}.{last}@example.com".lower(), first, last, department="10", employee_number=number)
    if left:
        person.lifecycle_status, person.status, person.termination_date = "terminated", INACTIVE, "2025-01-31"
    return person


COMPANY = Company(
    departments=[Department(10, "Engineering")],
    employees=[
        _person("1", "Ann", "Lee", 1),
        _person("2", "Bo", "Chen", 2, left=True),  # leaver, account under the address in capitals
        _person("3", "Cy", "Diaz", 3, left=True),  # leaver, account tied by the employee number only
        _person("4", "Dee", "Ng", 4, left=True),  # leaver whose account was disabled
        _person("5", "Eve", "Park", 5),  # near-miss address: her "account" is an orphan
        _person("6", "Fay", "Wu", 6, left=True),  # leaver, account known by its userName only
        _person("7", "Gus", "Hale", 7, left=True),  # left, rehired under the same address (8)
        _person("8", "Gus", "Hale", 8),
        _person("9", "Hal", "Ito", 9, left=True),  # leaver, account whose state is unknown
    ],
)
TENANT = Tenant(
    accounts=(
        Account("ann", "Ann", "Lee", (" Ann.Lee@Example.com ",)),
        Account("BO.CHEN@EXAMPLE.COM", "Bo", "Chen", ("BO.CHEN@EXAMPLE.COM",)),
        Account("cdiaz", "Cy", "Diaz", ("cy@contractors.example.net",), employee_number=" 3 "),
        Account("dee.ng@example.com", "Dee", "Ng", ("dee.ng@example.com",), active=False),
        Account("eve.parks@example.com", "Eve", "Park", ("eve.parks@example.com",)),
        Account("fay.wu@example.com", "Fay", "Wu"),
        Account("gus.hale@example.com", "Gus", "Hale", ("gus.hale@example.com",)),
        Account("hal.ito@example.com", "Hal", "Ito", ("hal.ito@example.com",), active=None),
        Account("svc-backup", "Backup", "Service"),
    ),
    teams=(Team("Admins", ("cdiaz",)), Team("Staff", ("Admins", "BO.CHEN@EXAMPLE.COM"))),
)


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Cli, dict[str, str]]]:
    """A file with one HiBob and one SCIM sync; the CLI reading it; SCIM ids by user and team name."""
    cli = Cli(python_env(ROOT), tmp_path_factory.mktemp("identities"))
    with Simulator(COMPANY) as sim, ScimServer() as scim:
        ids = scim.seed(TENANT)
        hibob_env = {
            "BATON_HIBOB_BASE_URL": sim.base_url,
            "BATON_HIBOB_SERVICE_USER_ID": sim.service_user_id,
            "BATON_HIBOB_SERVICE_USER_TOKEN": sim.token,
        }
        scim_env = {"BATON_SCIM_BASE_URL": scim.base_url, "BATON_SCIM_BEARER_TOKEN": scim.token}
        for plugin, env in (("hibob", hibob_env), ("scim", scim_env)):
            done = cli("sync", plugin, "--quiet", **env)
            assert done.code == 0, done.stderr
    yield cli, ids


def _report(cli: Cli, command: str) -> Any:
    done = cli(command, "--source", "hibob", "--output", "json")
    assert done.code == 0, done.stderr
    return done.json()


def _accounts(entry: dict[str, Any], ids: dict[str, str]) -> list[tuple[str, str, str]]:
    """``(account user name, status, matched_by)`` of an identity's accounts."""
    names = {scim_id: name for name, scim_id in ids.items()}
    return [(names[a["id"]], a["status"], a["matched_by"]) for a in entry["accounts"]]


def test_leavers_are_exactly_the_disabled_people_with_an_enabled_or_unknown_account(
    synced: tuple[Cli, dict[str, str]],
) -> None:
    cli, ids = synced
    leavers = {entry["identity"]["id"]: _accounts(entry, ids) for entry in _report(cli, "leavers")}
    assert leavers == {
        "2": [("BO.CHEN@EXAMPLE.COM", "enabled", "email")],
        "3": [("cdiaz", "enabled", "employee_id")],
        "6": [("fay.wu@example.com", "enabled", "email")],
        "7": [("gus.hale@example.com", "enabled", "ambiguous")],
        "9": [("hal.ito@example.com", "unknown", "email")],
    }


def test_a_leavers_account_lists_its_groups_direct_and_through_a_nested_group(
    synced: tuple[Cli, dict[str, str]],
) -> None:
    cli, ids = synced
    cy = next(entry for entry in _report(cli, "leavers") if entry["identity"]["id"] == "3")
    admins = {"resource_type": "group", "id": ids["Admins"]}
    assert cy["accounts"][0]["groups"] == [
        {**admins, "display_name": "Admins", "entitlement_id": f"group:{ids['Admins']}:member", "via": None},
        {
            "resource_type": "group",
            "id": ids["Staff"],
            "display_name": "Staff",
            "entitlement_id": f"group:{ids['Staff']}:member",
            "via": admins,
        },
    ]
    assert set(cy["accounts"][0]) == {"plugin", "resource_type", "id", "display_name", "status", "matched_by", "groups"}


def test_identities_give_every_source_user_its_accounts_and_never_guess(synced: tuple[Cli, dict[str, str]]) -> None:
    cli, ids = synced
    report = _report(cli, "identities")
    assert [entry["identity"]["display_name"] for entry in report] == [
        "Ann Lee",
        "Bo Chen",
        "Cy Diaz",
        "Dee Ng",
        "Eve Park",
        "Fay Wu",
        "Gus Hale",
        "Gus Hale",
        "Hal Ito",
    ]
    assert {entry["identity"]["id"]: _accounts(entry, ids) for entry in report} == {
        "1": [("ann", "enabled", "email")],
        "2": [("BO.CHEN@EXAMPLE.COM", "enabled", "email")],
        "3": [("cdiaz", "enabled", "employee_id")],
        "4": [("dee.ng@example.com", "disabled", "email")],
        "5": [],
        "6": [("fay.wu@example.com", "enabled", "email")],
        "7": [("gus.hale@example.com", "enabled", "ambiguous")],
        "8": [("gus.hale@example.com", "enabled", "ambiguous")],
        "9": [("hal.ito@example.com", "unknown", "email")],
    }
    account = report[0]["accounts"][0]
    assert account == {
        "plugin": "scim",
        "resource_type": "user",
        "id": ids["ann"],
        "display_name": "Ann Lee",
        "status": "enabled",
        "matched_by": "email",
    }
    assert report[0]["identity"]["resource_type"] == "user" and report[0]["identity"]["emails"]


def test_orphans_are_the_near_miss_address_and_the_service_account(synced: tuple[Cli, dict[str, str]]) -> None:
    cli, ids = synced
    assert _report(cli, "orphans") == [
        {
            "plugin": "scim",
            "resource_type": "user",
            "id": ids[name],
            "display_name": display,
            "status": "enabled",
            "matched_by": None,
        }
        for name, display in sorted(
            [("eve.parks@example.com", "Eve Park"), ("svc-backup", "Backup Service")], key=lambda p: ids[p[0]]
        )
    ]


def test_tables_and_csv_show_one_line_per_identity_and_account(synced: tuple[Cli, dict[str, str]]) -> None:
    cli, ids = synced
    table = cli("leavers", "--source", "hibob")
    assert table.code == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0] == "leavers of hibob sync 1 against scim sync 2: 5"
    assert lines[1].split() == [
        "identity",
        "id",
        "status",
        "email",
        "plugin",
        "account",
        "account_id",
        "account_status",
        "matched_by",
        "groups",
    ]
    assert len(lines) == 2 + 5 and "Admins; Staff" in table.stdout

    exported = cli("identities", "--source", "hibob", "--output", "csv", "--no-bom")
    assert exported.code == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert len(rows) == len(COMPANY.employees)  # one account each at most; Eve's row has none
    eve = next(row for row in rows if row["identity_id"] == "5")
    assert (eve["identity_email"], eve["plugin"], eve["matched_by"]) == ("eve.park@example.com", "", "")
    orphans = list(
        csv.DictReader(io.StringIO(cli("orphans", "--source", "hibob", "--output", "csv", "--no-bom").stdout))
    )
    assert [(row["id"], row["email"]) for row in orphans if row["email"]] == [
        (ids["eve.parks@example.com"], "eve.parks@example.com")
    ]


def test_a_file_without_another_plugin_is_an_error_not_an_empty_report(cli: Cli) -> None:
    with Simulator(COMPANY) as sim:
        done = cli(
            "sync",
            "hibob",
            "--quiet",
            BATON_HIBOB_BASE_URL=sim.base_url,
            BATON_HIBOB_SERVICE_USER_ID=sim.service_user_id,
            BATON_HIBOB_SERVICE_USER_TOKEN=sim.token,
        )
    assert done.code == 0, done.stderr
    refused = cli("leavers", "--source", "hibob")
    assert (refused.code, refused.stdout) == (2, "")
    assert refused.stderr.startswith("error: sync.db holds no complete sync of a plugin other than hibob")
    unknown = cli("orphans", "--source", "nope")
    assert unknown.code == 2 and "no complete nope sync yet; it holds hibob sync 1" in unknown.stderr
