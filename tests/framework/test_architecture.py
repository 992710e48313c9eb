"""docs/architecture.md stays true: every package is named, and the import rules it states hold."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORK = ROOT / "framework"
PAGE = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def _packages() -> list[str]:
    return sorted(
        ".".join(init.parent.relative_to(ROOT).parts) for init in FRAMEWORK.rglob("__init__.py") if init.is_file()
    )


def _imports(path: Path) -> set[str]:
    """Every module a file imports, by its absolute dotted name."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_the_page_names_every_package_under_framework() -> None:
    packages = _packages()
    assert "framework.host" in packages and "framework.authoring.testing" in packages
    assert [p for p in packages if f"`{p}`" not in PAGE] == []


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("framework/host", ("framework.read", "framework.cli", "framework.authoring", "sqlite3")),
        ("framework/store", ("framework.read", "framework.cli", "framework.authoring")),
        ("framework/read", ("framework.cli", "framework.authoring")),
        ("plugins/hibob", ("framework.store", "framework.read", "framework.cli", "sqlite3")),
        ("plugins/scim", ("framework.store", "framework.read", "framework.cli", "sqlite3")),
    ],
)
def test_the_import_rules_on_the_page_hold(package: str, forbidden: tuple[str, ...]) -> None:
    broken = {
        str(path.relative_to(ROOT)): sorted(m for m in _imports(path) if m.startswith(forbidden))
        for path in (ROOT / package).rglob("*.py")
        if "tests" not in path.relative_to(ROOT).parts
    }
    assert {path: modules for path, modules in broken.items() if modules} == {}


def test_only_the_store_speaks_sql() -> None:
    """Statements live in framework/store; elsewhere sqlite3 is only a row type."""
    keywords = ("SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", "CREATE TABLE", "PRAGMA ")
    speaking = [
        str(path.relative_to(ROOT))
        for path in FRAMEWORK.rglob("*.py")
        if "store" not in path.relative_to(FRAMEWORK).parts[:1]
        and any(word in path.read_text(encoding="utf-8") for word in keywords)
    ]
    assert speaking == []
