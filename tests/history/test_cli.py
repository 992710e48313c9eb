"""The history and explore commands through the real CLI: ``main()`` in-process, and
``python -m framework`` as a subprocess where the exact bytes on stdout matter."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import framework.cli
from framework.cli import main
from framework.host.errors import UpstreamError
from framework.host.plugins import ConnectorManager
from framework.store.file import Store
from tests.cli import Cli, python_env
from tests.history.conftest import SyncOnce
from tests.history.scenario import apply_changes, assert_expected_diff
from tests.toy import Toy

REPO = Path(__file__).resolve().parents[2]


CLI = Cli(python_env(), REPO)
"""``python -m framework ARGS`` as a user would run it, with only installed plugins."""


def _main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    code, out, err = _main(capsys, *args, "--output", "json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """``main()`` points the root logger at the current stderr; later tests must not write to a closed one."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def two_syncs(hr: Toy, sync_once: SyncOnce) -> tuple[int, int]:
    first = sync_once()
    apply_changes(hr)
    return first, sync_once()


def test_diff_json_from_the_command_line_is_exactly_the_expected_diff(
    two_syncs: tuple[int, int], sync_file: Path
) -> None:
    done = CLI("diff", "--file", str(sync_file), "--output", "json")
    assert done.code == 0, done.stderr
    assert_expected_diff(json.loads(done.stdout), *two_syncs)


def test_diff_table_tells_the_changes_in_words(
    two_syncs: tuple[int, int], sync_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _main(capsys, "diff", "--file", str(sync_file))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("changes from sync 1 (") and " to sync 2 (" in lines[0]
    for title in ("joiners (1)", "leavers (2)", "movers (3)", "other user changes (1)", "groups created (1)"):
        assert title in lines
    text = "\n".join(lines)
    assert "Grace Hopper" in text and "2024-03-01" in text and "2024-02-29" in text
    assert "department: Platform -> Engineering" in text
    assert "manager: Dana Scully -> Brian Kernighan; profile.department" not in text
    assert "manager: Dana Scully -> Brian Kernighan" in text
    assert "lifecycle_status: employed -> garden leave" in text
    assert "display_name: Hana Sato -> Hana Ito" in text
    assert "other resources changed (1)" in lines and "London HQ" in text
    moved = next(line for line in lines if line.startswith("department  d4"))
    assert re.split(r"\s{2,}", moved) == ["department", "d4", "Support", "(none)", "Sales & Partnerships"]
    assert "emails: hana@example.com -> hana.ito@example.com" in text


def test_diff_of_a_single_sync_says_there_is_nothing_to_compare(sync_once: SyncOnce, sync_file: Path) -> None:
    sync_once()
    done = CLI("diff", "--file", str(sync_file))
    assert done.code == 2  # not 7: the file is fine, it just holds one sync
    assert done.stderr == (
        f"error: nothing to compare: {sync_file} holds no complete hr sync before sync 1; "
        "sync again later, or pass --from\n"
    )


def test_syncs_lists_every_run_with_status_and_counts(
    hr: Toy, sync_once: SyncOnce, sync_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sync_once()
    hr.fail = UpstreamError("GET /people answered 503")
    with pytest.raises(UpstreamError):
        sync_once()
    hr.fail = None
    sync_once()
    entries = _json(capsys, "syncs", "--file", str(sync_file))
    assert [(e["id"], e["status"], e["latest"], e["error"]) for e in entries] == [
        (1, "complete", False, None),
        (2, "failed", False, "GET /people answered 503"),
        (3, "complete", True, None),
    ]
    assert entries[0]["counts"] == {
        "resources": {"department": 4, "site": 1, "user": 8},
        "entitlements": 4,
        "grants": 8,
    }
    assert entries[1]["counts"] is None
    assert set(entries[0]) == {
        "id",
        "plugin",
        "plugin_version",
        "started_at",
        "finished_at",
        "status",
        "error",
        "latest",
        "counts",
    }
    code, out, _ = _main(capsys, "syncs", "--file", str(sync_file))
    assert code == 0
    assert out.splitlines()[3].startswith("3*  hr 1.0")
    assert "department=4 site=1 user=8 entitlements=4 grants=8" in out


def test_sync_keeps_what_keep_says_by_flag_or_environment(
    pm: ConnectorManager, sync_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(framework.cli, "get_plugin_manager", lambda *args, **kwargs: pm)
    sync = ("sync", "hr", "--file", str(sync_file), "--quiet")
    outputs = [_main(capsys, *sync, "--keep", "2")[1] for _ in range(3)]
    assert ["pruned" in out for out in outputs] == [False, False, True]
    assert "pruned 1 older sync(s), keeping the newest 2" in outputs[2]
    with Store.open_existing(sync_file) as store:
        assert json.loads(store.sync()["summary"])["retention"] == {"keep": 2, "pruned": 1, "pruned_sync_ids": [1]}
    monkeypatch.setenv("BATON_KEEP", "1")
    code, out, _ = _main(capsys, *sync)
    assert code == 0 and "pruned 2 older sync(s), keeping the newest 1" in out
    assert [e["id"] for e in _json(capsys, "syncs", "--file", str(sync_file))] == [4]
    code, _, err = _main(capsys, *sync, "--keep", "0")
    assert (code, err) == (2, "error: --keep must be a whole number from 1 to 100000, not '0'\n")


def test_readers_read_the_latest_complete_sync_unless_told_otherwise(
    two_syncs: tuple[int, int], sync_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = two_syncs
    latest = _json(capsys, "stats", "--file", str(sync_file))
    older = _json(capsys, "stats", "--file", str(sync_file), "--sync-id", str(first))
    assert (latest["sync_id"], older["sync_id"]) == (second, first)
    assert [t["total"] for t in older["resource_types"]] == [4, 1, 8]
    assert [t["total"] for t in latest["resource_types"]] == [4, 2, 8]
    assert _json(capsys, "access", "hana.ito@example.com", "--file", str(sync_file))["user"]["id"] == "108"
    code, _, err = _main(capsys, "access", "hana.ito@example.com", "--file", str(sync_file), "--sync-id", str(first))
    assert (code, err) == (
        2,
        f"error: no user 'hana.ito@example.com' in sync {first} (give an id, user:ID, or a user name)\n",
    )


def test_members_and_access_print_tables(
    sync_once: SyncOnce, sync_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sync_once()
    code, out, _ = _main(capsys, "members", "platform", "--file", str(sync_file))
    assert code == 0
    assert out.splitlines()[0] == "department:d2 Platform (sync 1)"
    assert "101  Brian Kernighan  enabled  brian@example.com  Platform" in out
    code, out, _ = _main(capsys, "access", "102", "--file", str(sync_file))
    assert code == 0
    assert out.splitlines()[0] == "user:102 Cleo Ramos cleo@example.com enabled (sync 1)"
    assert "department:d2:member  Platform  member" in out
    code, out, _ = _main(capsys, "stats", "--file", str(sync_file))
    assert code == 0 and "garden leave" not in out
    assert ["user", "lifecycle_status", "terminated", "1"] in [re.split(r"\s{2,}", line) for line in out.splitlines()]


def test_an_ambiguous_name_fails_with_one_line_and_usage_exit_code(
    hr: Toy, sync_once: SyncOnce, sync_file: Path
) -> None:
    hr.departments["d9"] = hr.departments["d3"].__class__("Sales", parent="d1")
    sync_once()
    done = CLI("members", "Sales", "--file", str(sync_file))
    assert done.code == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("error: group 'Sales' is ambiguous in sync 1: department:d3")


def test_export_writes_spreadsheet_csv_to_a_file_and_jsonl_to_stdout(
    sync_once: SyncOnce, sync_file: Path, tmp_path: Path
) -> None:
    sync_once()
    target = tmp_path / "users.csv"
    done = CLI("export", "resources", "--resource-type", "user", "--out", str(target), "--file", str(sync_file))
    assert done.code == 0, done.stderr
    assert done.stderr == f"wrote 8 resources of sync 1 to {target}\n" and done.stdout == ""
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfresource_type,id,display_name,")
    assert data.count(b"\r\n") == 9 and "Émile Zola".encode() in data
    done = CLI("export", "grants", "--format", "jsonl", "--file", str(sync_file))
    lines = done.stdout.splitlines()
    assert len(lines) == 8 and json.loads(lines[0])["id"] == "department:d1:member:user:100"
    raw = CLI.raw("export", "entitlements", "--no-bom", "--file", str(sync_file)).stdout
    assert raw.startswith(b"id,resource_type,resource_id,slug,display_name,description\r\n")
