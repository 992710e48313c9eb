"""Several connectors in one sync file: HiBob (simulator) and SCIM (scim2-server), through the CLI.

Each plugin's syncs are kept and pruned on their own, readers choose a plugin
with ``--plugin`` (and refuse to guess in a shared file), and ``syncs`` shows
which plugin made each run.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from plugins.hibob.simulator import Simulator, demo_company
from tests.cli import Cli
from tests.scim.conftest import Seeded
from tests.scim.tenant import TENANT


@pytest.fixture(scope="module")
def hibob_env() -> Iterator[dict[str, str]]:
    with Simulator(demo_company()) as sim:
        yield {
            "BATON_HIBOB_BASE_URL": sim.base_url,
            "BATON_HIBOB_SERVICE_USER_ID": sim.service_user_id,
            "BATON_HIBOB_SERVICE_USER_TOKEN": sim.token,
        }


def _sync(cli: Cli, plugin: str, keep: int, env: dict[str, str]) -> int:
    done = cli("sync", plugin, "--keep", str(keep), "--quiet", "--output", "json", **env)
    assert done.code == 0, done.stderr
    sync_id: int = done.json()["sync_id"]
    return sync_id


def test_each_plugin_keeps_its_own_syncs_and_readers_pick_one(
    cli: Cli, seeded: Seeded, hibob_env: dict[str, str]
) -> None:
    scim_first = _sync(cli, "scim", 2, seeded.env)
    hibob_first = _sync(cli, "hibob", 1, hibob_env)
    scim_second = _sync(cli, "scim", 2, seeded.env)
    hibob_second = _sync(cli, "hibob", 1, hibob_env)
    scim_third = _sync(cli, "scim", 2, seeded.env)

    syncs = cli("syncs", "--output", "json").json()
    assert [(s["id"], s["plugin"], s["latest"]) for s in syncs] == [
        (scim_second, "scim", False),
        (hibob_second, "hibob", True),
        (scim_third, "scim", True),
    ]
    assert scim_first not in {s["id"] for s in syncs} and hibob_first not in {s["id"] for s in syncs}
    assert [s["id"] for s in cli("syncs", "--plugin", "scim", "--output", "json").json()] == [scim_second, scim_third]
    assert "hibob 0.1.0" in cli("syncs").stdout

    guessed = cli("resources")
    assert (guessed.code, guessed.stdout) == (2, "")
    assert guessed.stderr == "error: sync.db holds syncs of several plugins (hibob, scim): pass --plugin NAME\n"

    scim_users = cli("resources", "--plugin", "scim", "--resource-type", "user", "--output", "json").json()
    assert len(scim_users) == len(TENANT.accounts)
    hibob_users = cli("resources", "--plugin", "hibob", "--resource-type", "user", "--output", "json").json()
    assert len(hibob_users) == len(demo_company().employees)
    assert cli("grants", "--plugin", "scim", "--sync-id", str(scim_second), "--output", "json").code == 0

    mismatched = cli("grants", "--plugin", "hibob", "--sync-id", str(scim_second))
    assert mismatched.code == 2
    assert mismatched.stderr == f"error: sync {scim_second} is a scim sync, not hibob\n"

    diff = cli("diff", "--plugin", "scim", "--output", "json")
    assert diff.code == 0, diff.stderr
    assert (diff.json()["from"]["id"], diff.json()["to"]["id"]) == (scim_second, scim_third)
