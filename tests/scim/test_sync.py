"""``connector validate scim`` and ``connector sync scim`` against scim2-server, through the CLI."""

from __future__ import annotations

import re

from tests.cli import Cli
from tests.scim.conftest import Seeded
from tests.scim.tenant import ANN, EXPECTED, GRANTS, TENANT, stored

PAGE = 2


def test_sync_stores_every_user_group_and_membership_with_its_status(seeded: Seeded, cli: Cli) -> None:
    synced = cli("sync", "scim", "--scim-page-size", str(PAGE), "--output", "json", "--quiet", **seeded.env)
    assert synced.code == 0, synced.stderr
    summary = synced.json()
    assert summary["counts"] == {
        "resources": {"user": len(TENANT.accounts), "group": len(TENANT.teams)},
        "entitlements": len(TENANT.teams),
        "grants": GRANTS,
    }
    pages = -(-len(TENANT.accounts) // PAGE)
    assert summary["http"]["requests_by_endpoint"]["GET /Users"] == pages + 1  # and validate's one-user probe
    assert [w["code"] for w in summary["warnings"]] == ["scim_active_missing"]

    resources = cli("resources", "--output", "json").json()
    assert stored(resources, cli("grants", "--output", "json").json()) == EXPECTED
    assert {r["id"] for r in resources} == set(seeded.ids.values())
    ann = next(r for r in resources if r["id"] == seeded.ids[ANN])
    assert ann["display_name"] == "Ann Lee"
    assert ann["profile"]["external_id"] == "E-100"


def test_validate_reports_discovery_and_both_listings(seeded: Seeded, cli: Cli) -> None:
    validated = cli("validate", "scim", "--output", "json", **seeded.env)
    assert validated.code == 0, validated.stderr
    findings = {f["check"]: f for f in validated.json()["findings"]}
    assert all(f["ok"] for f in findings.values())
    assert findings["users"]["message"] == f"/Users lists {len(TENANT.accounts)} users"
    assert findings["groups"]["message"] == f"/Groups lists {len(TENANT.teams)} groups"
    assert "/ServiceProviderConfig" in findings["discovery"]["message"]


def test_a_wrong_token_is_one_line_exit_3_without_the_token(seeded: Seeded, cli: Cli) -> None:
    wrong = "wrong-" + seeded.server.token
    refused = cli("sync", "scim", **{**seeded.env, "BATON_SCIM_BEARER_TOKEN": wrong})
    assert refused.code == 3
    assert re.match(r"error: GET /\w+ answered 401: the upstream rejected the credentials", refused.stderr)
    assert len(refused.stderr.strip().splitlines()) == 1
    assert wrong not in refused.stderr + refused.stdout
    assert cli("syncs", "--output", "json").json()[0]["status"] == "failed"
