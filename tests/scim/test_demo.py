"""``connector demo hibob scim``: both stand-ins into one file, ending with the leavers they hold.

The SCIM demo tenant is derived from the HiBob demo company (``plugins/scim/demo.py``):
its first four leavers with an address keep an enabled account (same address,
address in capitals, employee number only, user name only), the next three
have a disabled one, and two accounts belong to nobody.
"""

from __future__ import annotations

import shlex

from plugins.hibob.simulator import demo_company
from tests.cli import Cli

PEOPLE = [p for p in demo_company().employees if p.email]
LEAVERS = [p for p in PEOPLE if p.lifecycle_status == "terminated"]
NEAR_MISS = next(p for p in PEOPLE if p.lifecycle_status != "terminated")
"""The person whose address, one letter longer, makes an orphan account."""


def test_one_command_syncs_both_upstreams_and_ends_with_the_leavers(cli: Cli) -> None:
    demo = cli("demo", "hibob", "scim", "--file", "demo.db")
    assert demo.code == 0, demo.stderr
    assert "sync 1 complete: hibob" in demo.stdout and "sync 2 complete: scim" in demo.stdout
    assert "\nleavers of hibob sync 1 against scim sync 2: 4\n" in demo.stdout
    assert "connector orphans --source hibob --file demo.db" in demo.stdout

    leavers = cli("leavers", "--source", "hibob", "--file", "demo.db", "--output", "json").json()
    assert sorted(entry["identity"]["id"] for entry in leavers) == sorted(p.id for p in LEAVERS[:4])
    matched = sorted(account["matched_by"] for entry in leavers for account in entry["accounts"])
    assert matched == ["email", "email", "email", "employee_id"]
    assert all(entry["identity"]["status"] == "disabled" for entry in leavers)
    assert all(account["groups"] for entry in leavers for account in entry["accounts"])

    identities = cli("identities", "--source", "hibob", "--file", "demo.db", "--output", "json").json()
    disabled = {
        entry["identity"]["id"]
        for entry in identities
        if [account["status"] for account in entry["accounts"]] == ["disabled"]
    }
    assert disabled == {p.id for p in LEAVERS[4:7]}

    orphans = cli("orphans", "--source", "hibob", "--file", "demo.db", "--output", "json").json()
    assert sorted(orphan["display_name"] for orphan in orphans) == sorted(["Backup Service", NEAR_MISS.display_name])


def test_every_next_command_the_demo_prints_succeeds_and_a_later_step_reads_as_changes(cli: Cli) -> None:
    """The demo's ``next:`` lines, run as printed: the re-run at ``--step 1`` syncs both stand-ins again
    (the SCIM accounts keep their ids, so the removal guard has nothing to refuse), and each
    plugin's ``diff`` shows the step's joiners by name."""
    first = cli("demo", "hibob", "scim", "--file", "demo.db")
    assert first.code == 0, first.stderr
    hints = first.stdout.split("\nnext:\n")[1].splitlines()
    assert any("--step 1" in hint for hint in hints)
    for hint in hints:
        for command in hint.split("&&"):
            words = shlex.split(command)
            assert words[0] == "connector"
            run = cli(*words[1:])
            assert run.code == 0, f"{command}: {run.stderr}"
            assert run.stdout.strip(), command

    joiners = {}
    for plugin in ("hibob", "scim"):
        diff = cli("diff", "--file", "demo.db", "--plugin", plugin, "--output", "json")
        assert diff.code == 0, diff.stderr
        joiners[plugin] = sorted(user["display_name"] for user in diff.json()["users"]["joiners"])
    assert joiners["hibob"] and joiners["scim"] == joiners["hibob"]
