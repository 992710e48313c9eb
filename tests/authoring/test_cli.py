"""``connector plugins [--all]``, ``config``, ``capabilities`` and ``new`` through the real CLI.

HiBob's config schema and capabilities are committed under ``docs/reference/``;
the drift tests fail when the plugin changes them without the files following.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from framework.cli import main
from framework.host.errors import ExitCode
from tests.cli import Cli, python_env
from tests.framework.test_plugins import _fake_distribution

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "docs" / "reference"


def _cli(capture: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capture.readouterr()
    return code, out, err


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in [n for n in os.environ if n.startswith("BATON_")]:
        monkeypatch.delenv(name)
    return monkeypatch


@pytest.mark.parametrize(
    ("command", "reference"), [("config", "hibob-config.json"), ("capabilities", "hibob-capabilities.json")]
)
def test_committed_hibob_reference_matches_the_plugin(
    command: str, reference: str, capsys: pytest.CaptureFixture[str], clean_env: pytest.MonkeyPatch
) -> None:
    code, out, _ = _cli(capsys, command, "hibob")
    assert code == 0
    committed = (REFERENCE / reference).read_text(encoding="utf-8")
    assert out == committed, (
        f"docs/reference/{reference} is out of date: run `connector {command} hibob > docs/reference/{reference}`"
    )


def test_config_schema_marks_secrets_and_required_fields(
    capsys: pytest.CaptureFixture[str], clean_env: pytest.MonkeyPatch
) -> None:
    schema: dict[str, Any] = json.loads(_cli(capsys, "config", "hibob")[1])
    secret = {name for name, prop in schema["properties"].items() if prop.get("x-secret") and prop.get("writeOnly")}
    assert secret == {"hibob-service-user-id", "hibob-service-user-token"}
    assert schema["properties"]["hibob-base-url"]["x-env"] == "BATON_HIBOB_BASE_URL"
    assert schema["additionalProperties"] is False


def test_an_unknown_plugin_is_one_clear_error(
    capsys: pytest.CaptureFixture[str], clean_env: pytest.MonkeyPatch
) -> None:
    code, out, err = _cli(capsys, "capabilities", "nope")
    assert (code, out) == (ExitCode.USAGE, "")
    assert err.startswith("error: unknown connector 'nope' (installed: hibob")


def test_plugins_lists_loaded_ones_and_all_adds_failed_and_blocked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], clean_env: pytest.MonkeyPatch
) -> None:
    _fake_distribution(tmp_path, "broken_connector", "broken = no_such_module_anywhere")
    clean_env.syspath_prepend(str(tmp_path))
    code, out, err = _cli(capsys, "plugins")
    assert code == 0
    assert [(e["name"], e["status"], e["source"]) for e in json.loads(out)] == [
        ("hibob", "loaded", "built-in"),
        ("scim", "loaded", "built-in"),
    ]
    assert "not listed: broken (failed); see connector plugins --all" in err

    everything = {e["name"]: e for e in json.loads(_cli(capsys, "plugins", "--all")[1])}
    assert everything["broken"]["status"] == "failed"
    assert everything["broken"]["source"] == "broken_connector"
    assert "No module named 'no_such_module_anywhere'" in everything["broken"]["error"]

    clean_env.setenv("BATON_BLOCK_PLUGINS", "broken,hibob")
    blocked = json.loads(_cli(capsys, "plugins", "--all")[1])
    assert [(e["name"], e["status"], e.get("reason")) for e in blocked] == [
        ("broken", "skipped", "blocked by BATON_BLOCK_PLUGINS"),
        ("hibob", "skipped", "blocked by BATON_BLOCK_PLUGINS"),
        ("scim", "loaded", None),
    ]


def test_trace_switch_prints_hook_calls_to_stderr() -> None:
    env = python_env() | {"BATON_TRACE_HOOKS": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "framework", "capabilities", "hibob"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert "connector_info [hook]" in done.stderr
    assert json.loads(done.stdout)["name"] == "hibob"


def test_new_refuses_a_bad_name_and_an_occupied_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], clean_env: pytest.MonkeyPatch
) -> None:
    code, _, err = _cli(capsys, "new", "Acme_HR", "--dest", str(tmp_path / "x"))
    assert code == ExitCode.USAGE
    assert "plugin name 'Acme_HR' must be lower case" in err
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    code, _, err = _cli(capsys, "new", "acme", "--dest", str(tmp_path / "taken"))
    assert code == ExitCode.USAGE
    assert "already exists and is not an empty folder" in err
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["notes.txt"]


def test_new_prints_the_next_steps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], clean_env: pytest.MonkeyPatch
) -> None:
    code, out, _ = _cli(capsys, "new", "acme-hr", "--dest", str(tmp_path / "acme-hr-connector"))
    assert code == 0
    assert f'pip install -e "{tmp_path / "acme-hr-connector"}[test]"' in out
    assert "connector demo acme-hr" in out
    assert (tmp_path / "acme-hr-connector" / "acme_hr_connector" / "plugin.py").is_file()


def test_a_plugin_that_failed_to_load_has_help_that_says_why(tmp_path: Path) -> None:
    _fake_distribution(tmp_path, "broken_connector", "broken = no_such_module_anywhere")
    cli = Cli(python_env(tmp_path), tmp_path)
    for command in ("validate", "sync", "demo", "simulator"):
        run = cli(command, "broken", "--help")
        assert run.code == 0, run.stderr
        assert "broken plugin failed to load" in run.stdout and "no_such_module_anywhere" in run.stdout, command
