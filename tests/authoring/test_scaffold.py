"""``framework.authoring.scaffold``: every spelling of the name is filled in and the copy is a complete distribution."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

from framework.authoring.scaffold import PluginNames, check_name, create, render_template
from framework.host.errors import ConfigError


def test_a_hyphenated_name_gets_every_spelling_it_needs() -> None:
    names = check_name("acme-hr")
    assert (names.snake, names.package, names.camel, names.distribution) == (
        "acme_hr",
        "acme_hr_connector",
        "AcmeHr",
        "acme-hr-connector",
    )
    assert names.render("SKELETON Skeleton skeleton_config test_skeleton skeleton-base-url plugins._template.x") == (
        "ACME_HR AcmeHr acme_hr_config test_acme_hr acme-hr-base-url acme_hr_connector.x"
    )


@pytest.mark.parametrize("bad", ["", "Acme", "1acme", "acme_hr", "acme--hr", "acme-", "skeleton", "acme hr"])
def test_names_that_cannot_become_flags_packages_and_entry_points_are_refused(bad: str) -> None:
    with pytest.raises(ConfigError, match="must be lower case letters and digits"):
        check_name(bad)


def test_the_copy_is_a_distribution_declaring_its_entry_point(tmp_path: Path) -> None:
    written = create("acme-hr", tmp_path / "new")
    relative = sorted(str(p.relative_to(tmp_path / "new")) for p in written)
    assert "pyproject.toml" in relative
    assert "tests/test_acme_hr.py" in relative
    assert "acme_hr_connector/plugin.py" in relative
    assert any(r.startswith("tests/cassettes/") for r in relative)
    project = tomllib.loads((tmp_path / "new" / "pyproject.toml").read_text())
    assert project["project"]["name"] == "acme-hr-connector"
    assert project["project"]["entry-points"]["framework.connectors"] == {"acme-hr": "acme_hr_connector.plugin"}
    assert project["tool"]["setuptools"]["packages"] == ["acme_hr_connector"]


def test_every_python_file_imports_only_the_new_package_and_the_host() -> None:
    for path, content in render_template(PluginNames("acme")).items():
        if not path.endswith(".py"):
            continue
        for node in ast.walk(ast.parse(content)):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                top = node.module.split(".")[0]
                assert top not in {"plugins", "tests"}, f"{path} imports {node.module}"
