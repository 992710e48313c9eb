"""Payloads that are valid but extreme, through the real CLI: a department tree 10,000 levels
deep syncs and reads back whole; names that look like LIKE wildcards, JSON syntax or
spreadsheet formulas are searched literally and exported inert."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

from tests.hostile.conftest import DEPARTMENTS, SEARCH, Cli, Front, send

LEVELS = 10_000


def _deep_tree() -> bytes:
    """``{"name": "department", "items": [d0 > d1 > ... > d9999]}``, written without recursion."""
    head = "".join(
        f'{{"id": "d{level}", "name": "Level {level}", "archived": false, "children": [' for level in range(LEVELS)
    )
    return ('{"name": "department", "items": [' + head + "]}" * LEVELS + "]}").encode()


def test_a_department_tree_10000_levels_deep_syncs_and_reads_back(cli: Cli, front: Front, tmp_path: Path) -> None:
    body = _deep_tree()
    front.hijack(DEPARTMENTS, lambda handler, _: send(handler, 200, body))
    run = cli("sync", "hibob", "--quiet", "--file", "s.db", "--output", "json")
    assert run.code == 0, run.stderr
    assert json.loads(run.stdout)["counts"]["resources"]["department"] == LEVELS
    with sqlite3.connect(tmp_path / "s.db") as db:
        parent = db.execute("SELECT parent_id FROM resources WHERE id = ?", (f"d{LEVELS - 1}",)).fetchone()
    assert parent == (f"d{LEVELS - 2}",)
    members = cli("members", "d0", "--recursive", "--file", "s.db", "--output", "json")
    assert members.code == 0, members.stderr


def _names(answer: Any) -> Any:
    """Names that look like LIKE wildcards and JSON syntax, and formula lookalikes."""
    names = ["100% Sales_Lead", "\u00a0=cmd|' /C calc'!A0", "\uff1dHYPERLINK(1)", "  +1 555"]
    for employee, name in zip(answer["employees"], names, strict=False):
        for key in ("displayName", "/root/displayName"):
            if key in employee:
                employee[key] = name if key == "displayName" else {"value": name}
    return answer


def test_search_is_literal_and_the_csv_export_guards_every_formula_lookalike(cli: Cli, front: Front) -> None:
    front.rewrite(SEARCH, _names)
    assert cli("sync", "hibob", "--quiet", "--file", "s.db").code == 0

    def found(text: str) -> list[str]:
        run = cli("resources", "--file", "s.db", "--resource-type", "user", "--search", text, "--output", "json")
        assert run.code == 0, run.stderr
        return [row["display_name"] for row in json.loads(run.stdout)]

    assert found("100% sales_") == ["100% Sales_Lead"]
    assert found("%") == ["100% Sales_Lead"]
    assert found("_") == ["100% Sales_Lead"]
    for json_syntax in ("address", '"primary": true', '@example.com"'):
        assert found(json_syntax) == []
    assert len(found("@example.com")) > 10  # addresses themselves still match
    export = cli("export", "resources", "--file", "s.db", "--resource-type", "user", "--no-bom")
    cells = [cell for row in csv.reader(io.StringIO(export.stdout)) for cell in row]
    for name in ("\u00a0=cmd|' /C calc'!A0", "\uff1dHYPERLINK(1)", "  +1 555"):
        assert "'" + name in cells and name not in cells
