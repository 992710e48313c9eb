"""The command line as a newcomer meets it: help, usage errors, global options, logs, completion, the demo."""

from __future__ import annotations

import argparse
import json
import re
import shlex
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from wcwidth import wcswidth

from framework.cli import build_parser, plugins_for
from framework.cli.options import App
from framework.cli.progress import StatusLine
from framework.cli.usage import EXIT_CODES
from framework.host.plugins import get_plugin_manager
from tests.cli import Cli, Run, python_env
from tests.e2e.conftest import ROOT


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding demo.db: two syncs of the demo, step 0 then step 1."""
    folder = tmp_path_factory.mktemp("demo")
    cli = Cli(python_env(ROOT), folder)
    assert cli("demo", "hibob", "--quiet").code == 0
    assert cli("demo", "hibob", "--quiet", "--step", "1").code == 0
    return folder


def _at(cli: Cli, folder: Path) -> Cli:
    return Cli(cli.env, folder)


def test_connector_alone_prints_the_help_with_every_command_and_the_exit_codes(cli: Cli) -> None:
    run = cli()
    assert run.code == 0
    assert run.stdout.startswith("usage: connector")
    for command in ("sync", "demo", "simulator", "diff", "members", "access", "export", "new"):
        assert re.search(rf"^\s+{command}\s+\S", run.stdout, re.MULTILINE), command
    assert "exit codes:" in run.stdout and "130  interrupted" in run.stdout


def test_version_has_a_short_flag(cli: Cli) -> None:
    run = cli("-V")
    assert run.code == 0 and re.fullmatch(r"connector \d+\.\d+\.\d+\n", run.stdout)


@pytest.mark.parametrize(
    "argv",
    [("bogus",), ("stats", "--no-such-flag"), ("sync",), ("demo", "hibob", "--step", "-1"), ("export", "people")],
)
def test_a_usage_error_is_one_line_and_a_hint(cli: Cli, argv: tuple[str, ...]) -> None:
    run = cli(*argv)
    assert run.code == 2
    error, hint = run.stderr.splitlines()
    assert error.startswith("error: connector") and "usage:" not in run.stderr
    assert re.fullmatch(r"hint: connector( \w+)* --help", hint)


def test_every_command_and_option_has_help_text() -> None:
    parser = build_parser(App(get_plugin_manager(), {}, StatusLine(sys.stderr)))
    missing: list[str] = []

    def walk(parser: argparse.ArgumentParser) -> None:
        if not parser.description:
            missing.append(f"{parser.prog}: no description")
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helps = {choice.dest: choice.help for choice in action._choices_actions}
                for name, sub in action.choices.items():
                    if not helps.get(name):
                        missing.append(f"{sub.prog}: no help line")
                    walk(sub)
            elif not action.help or action.help == argparse.SUPPRESS:
                missing.append(f"{parser.prog} {'/'.join(action.option_strings) or action.dest}: no help")

    walk(parser)
    assert missing == []


def test_the_readme_and_the_help_list_the_same_exit_codes(cli: Cli) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", section, re.MULTILINE))
    assert {int(code): meaning.replace("`", "") for code, meaning in rows.items()} == EXIT_CODES
    help_text = cli("--help").stdout
    for code, meaning in EXIT_CODES.items():
        assert f"{code:<4} {meaning}" in help_text


def test_global_options_work_before_and_after_the_command(cli: Cli, demo_dir: Path) -> None:
    here = _at(cli, demo_dir)
    before = here("--file", "demo.db", "stats")
    after = here("stats", "--file", "demo.db")
    assert before.code == after.code == 0
    assert before.stdout == after.stdout and "grants" in before.stdout
    assert here("-q", "stats", "--file", "demo.db").stderr == ""


def test_readers_name_the_file_and_sync_they_read_on_stderr(cli: Cli, demo_dir: Path) -> None:
    run = _at(cli, demo_dir)("resources", "--file", "demo.db", "--resource-type", "department")
    assert run.code == 0
    assert re.fullmatch(r"read sync 2 \(hibob \S+, finished \S+\) from demo\.db\n", run.stderr)
    as_json = _at(cli, demo_dir)("resources", "--file", "demo.db", "--output", "json")
    assert as_json.stderr == "" and json.loads(as_json.stdout)


def test_without_file_a_reader_points_at_the_demo_file(cli: Cli, demo_dir: Path) -> None:
    run = _at(cli, demo_dir)("stats")
    assert run.code == 7
    assert run.stderr == "error: no sync file at sync.db; `connector demo` wrote demo.db: add --file demo.db\n"


def test_the_demo_writes_demo_db_never_the_tenant_file(cli: Cli) -> None:
    run = cli("demo", "hibob", BATON_FILE="tenant.db")
    assert run.code == 0, run.stderr
    assert (cli.cwd / "demo.db").exists() and not (cli.cwd / "tenant.db").exists()
    assert "into demo.db" in run.stdout


def test_the_demo_suggests_commands_that_each_return_something(cli: Cli) -> None:
    run = cli("demo", "hibob", "--file", "d.db")
    assert run.code == 0, run.stderr
    suggested = run.stdout.split("\nnext:\n", 1)[1].splitlines()
    assert len(suggested) >= 4
    for line in suggested:
        first = line.strip().split(" && ")[0]
        argv = shlex.split(first)[1:]
        if argv[0] == "demo":
            continue  # the step suggestion: run below
        done = cli(*argv)
        assert done.code == 0 and done.stdout.strip(), (line, done.stderr)
        assert "no resources match" not in done.stdout


def test_a_demo_step_later_diff_shows_joiners_movers_and_leavers(cli: Cli, demo_dir: Path) -> None:
    diff = _at(cli, demo_dir)("diff", "--file", "demo.db", "--output", "json").json()
    users = diff["users"]
    assert len(users["joiners"]) == 3 and len(users["movers"]) == 2 and len(users["leavers"]) == 2


def test_diff_of_a_single_demo_sync_says_there_is_nothing_to_compare(cli: Cli) -> None:
    assert cli("demo", "hibob", "-q").code == 0
    run = cli("diff", "--file", "demo.db")
    assert run.code == 2
    assert run.stderr.startswith("error: nothing to compare: demo.db holds no complete hibob sync before sync 1")


def test_log_format_json_writes_one_object_per_line(cli: Cli) -> None:
    run = cli("demo", "hibob", "--log-format", "json")
    assert run.code == 0
    entries = [json.loads(line) for line in run.stderr.splitlines()]
    assert entries and all({"time", "level", "logger", "message"} <= set(e) for e in entries)
    assert any(e["level"] == "warning" for e in entries)


def test_quiet_prints_only_errors(cli: Cli) -> None:
    run = cli("demo", "hibob", "--quiet")
    assert run.code == 0 and run.stderr == ""
    failed = cli("--quiet", "stats", "--file", "missing.db")
    assert failed.code == 7 and failed.stderr.startswith("error: ")


def test_a_typed_setting_refuses_a_value_of_another_type(cli: Cli) -> None:
    run = cli("sync", "hibob", "--file", "x.db", "--hibob-batch-size", "many")
    assert run.code == 2
    assert run.stderr == "error: --hibob-batch-size (or BATON_HIBOB_BATCH_SIZE) must be an integer, not 'many'\n"
    assert not (cli.cwd / "x.db").exists()


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_shell_completion_covers_commands_plugins_and_options(cli: Cli, shell: str) -> None:
    run = cli("--print-completion", shell)
    assert run.code == 0
    for word in ("simulator", "members", "hibob", "--resource-type", "--log-format"):
        assert word in run.stdout


@pytest.fixture
def simulator(cli: Cli) -> Iterator[tuple[subprocess.Popen[str], dict[str, str]]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "framework", "simulator", "hibob", "--step", "2"],
        env=cli.env,
        cwd=cli.cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    exports: dict[str, str] = {}
    try:
        for line in process.stdout:
            if line.startswith("export "):
                name, _, value = line.removeprefix("export ").strip().partition("=")
                exports[name] = value
            if "BATON_HIBOB_SERVICE_USER_TOKEN" in exports:
                break
        yield process, exports
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def test_the_simulator_command_stands_in_for_a_tenant(
    cli: Cli, simulator: tuple[subprocess.Popen[str], dict[str, str]]
) -> None:
    process, exports = simulator
    assert set(exports) == {"BATON_HIBOB_BASE_URL", "BATON_HIBOB_SERVICE_USER_ID", "BATON_HIBOB_SERVICE_USER_TOKEN"}
    assert cli("validate", "hibob", **exports).code == 0
    synced: Run = cli("sync", "hibob", "--output", "json", **exports)
    assert synced.code == 0, synced.stderr
    assert synced.json()["counts"]["resources"]["user"] == 306  # 300 + 3 joiners in each of 2 steps
    process.send_signal(signal.SIGTERM)
    assert process.wait(10) == 0


def test_global_options_before_a_plugin_command_still_load_its_plugin(cli: Cli) -> None:
    assert plugins_for(["--file", "x.db", "-q", "sync", "hibob"], {}).connector_names() == ["hibob"]
    run = cli("--file", "d.db", "--quiet", "demo", "hibob")
    assert run.code == 0 and (cli.cwd / "d.db").exists()


def _table(run: Run) -> tuple[list[str], list[str]]:
    assert run.code == 0, run.stderr
    header, *rows = run.stdout.splitlines()
    return header.split(), rows


def test_tables_leave_out_empty_columns_and_name_parents(cli: Cli, demo_dir: Path) -> None:
    here = _at(cli, demo_dir)
    header, rows = _table(here("resources", "--file", "demo.db", "--resource-type", "department"))
    assert header == ["type", "id", "display_name", "status", "parent"]  # departments have no email
    assert any(re.search(r"\bPlatform +enabled +Engineering \(department:209192163\)$", row) for row in rows)


def test_tables_sort_by_display_name_and_align_wide_characters(cli: Cli, demo_dir: Path) -> None:
    run = _at(cli, demo_dir)("resources", "--file", "demo.db", "--resource-type", "user")
    _table(run)
    lines = run.stdout.splitlines()
    status_at = wcswidth(lines[0][: lines[0].index("status")])
    wide = next(line for line in lines if "李雷" in line)
    assert wcswidth(wide[: wide.index("enabled")]) == status_at
    display = [re.split(r"\s{2,}", line)[2] for line in lines[1:]]
    assert display == sorted(display, key=str.casefold)


def test_a_filter_that_matches_nothing_says_so(cli: Cli, demo_dir: Path) -> None:
    run = _at(cli, demo_dir)("resources", "--file", "demo.db", "--search", "no such person")
    assert (run.code, run.stdout) == (0, "no resources match\n")


def test_an_unknown_resource_type_is_an_error_listing_the_known_ones(cli: Cli, demo_dir: Path) -> None:
    for command in ("resources", "entitlements", "grants"):
        run = _at(cli, demo_dir)(command, "--file", "demo.db", "--resource-type", "users")
        assert run.code == 2
        assert run.stderr == "error: no resource type 'users' in sync 2; its types are: department, user\n"


def test_parent_takes_a_name_and_refuses_one_that_matches_nothing_or_two(cli: Cli, demo_dir: Path) -> None:
    here = _at(cli, demo_dir)
    children = here("resources", "--file", "demo.db", "--parent", "engineering", "--output", "json").json()
    assert {c["display_name"] for c in children} == {"Platform", "Applications", "Legacy Systems"}
    missing = here("resources", "--file", "demo.db", "--parent", "Legal")
    assert missing.code == 2 and "no resource 'Legal' in sync 2" in missing.stderr
    ambiguous = here("resources", "--file", "demo.db", "--parent", "Platform")
    assert ambiguous.code == 2 and "department:210000001" in ambiguous.stderr and "department:301" in ambiguous.stderr


def test_access_takes_a_display_name(cli: Cli, demo_dir: Path) -> None:
    here = _at(cli, demo_dir)
    run = here("access", "--file", "demo.db", "ruth weber", "--output", "json")
    assert run.code == 0 and run.json()["user"]["display_name"] == "Ruth Weber"
    twins = here("access", "--file", "demo.db", "Alex Kim")
    assert twins.code == 2 and "ambiguous" in twins.stderr


def test_grants_show_names_beside_ids(cli: Cli, demo_dir: Path) -> None:
    header, rows = _table(_at(cli, demo_dir)("grants", "--file", "demo.db", "--resource-id", "100"))
    assert header == ["entitlement", "on", "principal", "principal_name"]
    assert rows and all("Executive" in row for row in rows)
    assert any("Ruth Weber" in row for row in rows)


@pytest.mark.parametrize(
    "argv",
    [
        ("resources", "--sync-id", "99"),
        ("diff", "--from", "1", "--to", "99"),
        ("export", "resources", "--sync-id", "99"),
        ("stats", "--plugin", "nope"),
        ("members", "--plugin", "nope", "Web"),
        ("syncs", "--plugin", "nope"),
    ],
)
def test_a_sync_or_plugin_the_file_does_not_hold_is_exit_2_naming_what_it_holds(
    cli: Cli, demo_dir: Path, argv: tuple[str, ...]
) -> None:
    run = _at(cli, demo_dir)(*argv, "--file", "demo.db")
    assert run.code == 2, run.stderr
    assert run.stderr.endswith("; it holds hibob syncs 1, 2 (connector syncs lists them)\n"), run.stderr
    assert run.stderr.startswith("error: ") and run.stderr.count("\n") == 1
