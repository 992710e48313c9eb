"""Names, ids and error bodies carrying terminal escapes reach every text output as
visible escapes, while JSON output keeps the exact value."""

from __future__ import annotations

import json
from typing import Any

import pytest

from framework.host.terminal import printable
from tests.hostile.conftest import DEPARTMENTS, SEARCH, Cli, Front, send

HOSTILE = "Eve\x1b]0;pwned\x07\x1b[2J\r\u202etxt.exe\x9b31m\u2028X"
RAW_MARKS = ("\x1b", "\x07", "\r", "\u202e", "\x9b", "\u2028")


def _no_raw_controls(text: str) -> None:
    for mark in RAW_MARKS:
        assert mark not in text, f"{mark!r} reached the terminal"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("plain Émile 東京", "plain Émile 東京"),
        ("a\x1b[31mb", "a\\x1b[31mb"),
        ("tab\tnew\nline\r", "tab\\x09new\\x0aline\\x0d"),
        ("c1\x9bdel\x7f", "c1\\x9bdel\\x7f"),
        ("\u202eabc\u2066\u200f", "\\u202eabc\\u2066\\u200f"),
        (None, ""),
        (42, "42"),
    ],
)
def test_printable_escapes_controls_and_bidi_only(value: object, shown: str) -> None:
    assert printable(value) == shown


def _hostile_names(answer: Any) -> Any:
    """Every name, and every department reference, as HiBob may send them (nested or by path)."""
    for employee in answer["employees"]:
        for key in ("displayName", "fullName", "firstName"):
            if key in employee:
                employee[key] = HOSTILE
            if f"/root/{key}" in employee:
                employee[f"/root/{key}"] = {"value": HOSTILE}
        if "work" in employee:
            employee["work"]["department"] = "no-such\x1b[5m-department"
        if "/work/department" in employee:
            employee["/work/department"] = {"value": "no-such\x1b[5m-department"}
    return answer


def test_hostile_names_are_escaped_in_every_text_output_and_exact_in_json(cli: Cli, front: Front) -> None:
    front.rewrite(SEARCH, _hostile_names)
    sync = cli("sync", "hibob", "--file", "s.db")
    assert sync.code == 0, sync.stderr
    assert "\\x1b[5m" in sync.stdout + sync.stderr  # the warning example, escaped
    table = cli("resources", "--file", "s.db", "--resource-type", "user")
    assert "Eve\\x1b]0;pwned\\x07" in table.stdout
    stats = cli("stats", "--file", "s.db")
    runs = [sync, table, stats, cli("syncs", "--file", "s.db")]
    for run in runs:
        assert run.code == 0, run.stderr
        _no_raw_controls(run.stdout + run.stderr)
    as_json = cli("resources", "--file", "s.db", "--resource-type", "user", "--output", "json")
    assert {row["display_name"] for row in json.loads(as_json.stdout)} == {HOSTILE}


def test_an_error_body_with_escapes_is_one_escaped_line(cli: Cli, front: Front) -> None:
    body = json.dumps({"error": "bad\x1b]8;;http://evil\x07 request\nerror: fake second line"}).encode()
    front.hijack(DEPARTMENTS, lambda handler, _: send(handler, 400, body))
    run = cli("sync", "hibob", "--quiet", "--file", "s.db")
    assert run.code == 4
    assert run.error_line.startswith("error: GET /company/named-lists/department answered 400: bad")
    _no_raw_controls(run.stderr)
