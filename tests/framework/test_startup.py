"""A command imports only the plugins it calls: readers none, ``sync NAME`` that one."""

from __future__ import annotations

import subprocess
import sys

import pytest

from framework.cli import plugins_for


def test_readers_load_no_plugin() -> None:
    for command in ("resources", "grants", "diff", "export", "syncs", "new", "--help"):
        assert plugins_for([command, "--file", "x.db"], {}).connector_names() == []


def test_a_command_naming_a_plugin_loads_that_plugin_alone() -> None:
    assert plugins_for(["sync", "hibob", "--quiet"], {}).connector_names() == ["hibob"]
    assert plugins_for(["capabilities", "scim"], {}).connector_names() == ["scim"]
    assert plugins_for(["demo", "hibob", "--file", "x.db"], {}).connector_names() == ["hibob"]


def test_a_demo_of_several_plugins_loads_each_of_them() -> None:
    assert plugins_for(["demo", "scim", "hibob", "--quiet"], {}).connector_names() == ["hibob", "scim"]


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (["plugins"], {}, ["hibob", "scim"]),
        (["sync", "--help"], {}, ["hibob", "scim"]),
        (["sync", "no-such-plugin"], {}, ["hibob", "scim"]),
        (["sync", "hibob"], {"BATON_LOAD_PLUGINS": "scim"}, ["scim"]),
        (["sync", "hibob"], {"BATON_BLOCK_PLUGINS": "hibob"}, ["scim"]),
    ],
)
def test_every_plugin_loads_to_list_them_or_to_explain_an_error(
    argv: list[str], env: dict[str, str], expected: list[str]
) -> None:
    assert plugins_for(argv, env).connector_names() == expected


def test_a_reader_process_never_imports_a_plugins_libraries(tmp_path: object) -> None:
    probe = (
        "import sys; from framework.cli import main; main(['resources', '--file', 'missing.db']); "
        "print(sorted(m for m in sys.modules if m.startswith(('plugins.', 'scim2_models'))))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert done.stdout.strip() == "[]"
