"""The service user's token and ID never leave the process: not in any output,
log line (debug included), error, ``--help`` or the sync file."""

from __future__ import annotations

from pathlib import Path

from plugins.hibob.simulator import Simulator
from tests.cli import Cli, Run


def _assert_clean(secrets: list[str], *runs: Run, files: tuple[Path, ...] = ()) -> None:
    texts = [r.stdout + r.stderr for r in runs] + [p.read_bytes().decode("utf-8", "replace") for p in files]
    for secret in secrets:
        for text in texts:
            assert secret not in text


def test_no_output_of_a_full_debug_run_holds_a_credential(
    cli: Cli, sim: Simulator, tenant_env: dict[str, str], tmp_path: Path
) -> None:
    secrets = [sim.token, sim.service_user_id]
    debug = {**tenant_env, "BATON_LOG_LEVEL": "debug", "BATON_TRACE_HOOKS": "1"}
    runs = [
        cli("validate", "hibob", **debug),
        cli("sync", "hibob", "--file", "s.db", **debug),
        cli("sync", "hibob", "--help", **debug),
        cli("resources", "--file", "s.db", "--output", "json", **debug),
        cli("grants", "--file", "s.db", **debug),
        cli("syncs", "--file", "s.db", "--output", "json", **debug),
        cli("export", "grants", "--file", "s.db", "--format", "jsonl", **debug),
    ]
    assert all(r.code == 0 for r in runs), [r.stderr[-300:] for r in runs if r.code]
    assert "DEBUG" in runs[1].stderr  # debug logging really was on
    sim.faults.add("GET /v1/company/named-lists/department", "http_500", times=20)
    failing = cli("sync", "hibob", "--file", "s.db", "--http-max-retries", "1", **debug)
    assert failing.code == 4
    _assert_clean(secrets, *runs, failing, files=(tmp_path / "s.db",))


def _flags(base_url: str, service_user_id: str, token: str) -> list[str]:
    return [
        "--hibob-base-url",
        base_url,
        "--hibob-service-user-id",
        service_user_id,
        "--hibob-service-user-token",
        token,
    ]


def test_credentials_given_as_flags_or_inside_the_url_are_not_echoed(cli: Cli, sim: Simulator) -> None:
    user, token = sim.service_user_id, sim.token
    in_url = sim.base_url.replace("http://", f"http://{user}:{token}@")
    runs = [
        cli("sync", "hibob", "--file", "s.db", *_flags(in_url, user, token)),
        cli("validate", "hibob", *_flags(sim.base_url + "?token=" + token, user, token)),
        cli("validate", "hibob", "--log-level", "debug", *_flags(sim.base_url, user, token + "x")),
    ]
    assert [r.code for r in runs] == [2, 2, 3]
    _assert_clean([token, user], *runs)


def test_a_one_letter_token_is_masked_as_a_word_without_garbling_the_output(
    cli: Cli, sim: Simulator, tenant_env: dict[str, str]
) -> None:
    """A short secret is masked where it stands alone, never inside other words: with the
    token ``y``, ``severity`` stays a JSON key and messages stay readable."""
    run = cli("validate", "hibob", "--output", "json", **{**tenant_env, "BATON_HIBOB_SERVICE_USER_TOKEN": "y"})
    assert run.code == 3, run.stderr
    report = run.json()  # still exact JSON: no key lost a letter to the mask
    assert report["valid"] is False
    assert all("severity" in finding for finding in report["findings"])
    assert "********" not in run.stdout
    assert "severit" not in run.stderr.replace("severity", "")
