from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from framework.host.errors import ConfigError
from framework.read import export, lookup, queries, stats
from framework.store.file import Store
from tests.history.conftest import SyncOnce
from tests.toy import Department, Person, Toy


def _read(path: Path, call: Any, *args: Any) -> Any:
    with Store.open_existing(path) as store:
        return call(store, int(store.sync()["id"]), *args)


def _export(path: Path, kind: str, fmt: str, resource_type: str | None = None) -> str:
    out = io.StringIO(newline="")
    with Store.open_existing(path) as store:
        header, rows, flatten = export.export_rows(store, int(store.sync()["id"]), kind, resource_type)
        if fmt == "csv":
            export.write_csv(out, header, rows, flatten)
        else:
            export.write_jsonl(out, rows)
    return out.getvalue()


def test_stats_count_types_counted_attribute_values_and_group_members(
    hr: Toy, sync_once: SyncOnce, sync_file: Path
) -> None:
    hr.people["103"].lifecycle = "garden leave"
    hr.people["109"] = Person("Ivo Nobody", "ivo@example.com")
    sync_once()
    result = _read(sync_file, stats.stats)
    assert result["resource_types"] == [
        {
            "resource_type": "department",
            "traits": ["group"],
            "total": 4,
            "enabled": 4,
            "disabled": 0,
            "unknown": 0,
            "without_group": None,
        },
        {
            "resource_type": "site",
            "traits": [],
            "total": 1,
            "enabled": 1,
            "disabled": 0,
            "unknown": 0,
            "without_group": None,
        },
        {
            "resource_type": "user",
            "traits": ["user"],
            "total": 9,
            "enabled": 8,
            "disabled": 1,
            "unknown": 0,
            "without_group": 1,
        },
    ]
    lifecycle = {"resource_type": "user", "key": "lifecycle_status", "label": "lifecycle_status"}
    assert result["attributes"] == [
        {**lifecycle, "value": "employed", "count": 7},
        {**lifecycle, "value": "garden leave", "count": 1},
        {**lifecycle, "value": "terminated", "count": 1},
    ]
    assert [(g["id"], g["display_name"], g["members"], g["enabled_members"]) for g in result["groups"]] == [
        ("d3", "Sales", 3, 3),
        ("d1", "Engineering", 2, 1),
        ("d2", "Platform", 2, 2),
        ("d4", "Support", 1, 1),
    ]
    assert result["groups"][2]["parent"] == {"resource_type": "department", "id": "d1"}
    assert (result["entitlements"], result["grants"]) == (4, 8)


def test_members_by_id_name_or_type_and_id(sync_once: SyncOnce, sync_file: Path) -> None:
    sync_once()
    for text in ("d3", "sales", "SALES", "department:d3"):
        result = _read(sync_file, lookup.members, text)
        assert result["group"]["id"] == "d3"
        assert [(m["id"], m["display_name"], m["email"]) for m in result["members"]] == [
            ("103", "Dana Scully", "dana@example.com"),
            ("108", "Hana Sato", "hana@example.com"),
            ("104", "Émile Zola", "emile@example.com"),
        ]
        assert {m["entitlement_id"] for m in result["members"]} == {"department:d3:member"}


def test_members_recursive_includes_sub_groups_and_says_via_which(sync_once: SyncOnce, sync_file: Path) -> None:
    sync_once()
    direct = _read(sync_file, lookup.members, "Engineering")
    assert [m["id"] for m in direct["members"]] == ["100", "105"]
    nested = _read(sync_file, lookup.members, "Engineering", True)
    assert [(m["id"], m["via"]["display_name"]) for m in nested["members"]] == [
        ("100", "Engineering"),
        ("101", "Platform"),
        ("102", "Platform"),
        ("105", "Engineering"),
    ]
    assert nested["recursive"] is True


def test_an_ambiguous_group_name_lists_every_candidate_with_its_id(
    hr: Toy, sync_once: SyncOnce, sync_file: Path
) -> None:
    hr.departments["d9"] = Department("Sales", parent="d1")
    sync_once()
    with pytest.raises(ConfigError) as caught:
        _read(sync_file, lookup.members, "Sales")
    message = str(caught.value)
    assert "'Sales' is ambiguous" in message and "use the id instead" in message
    assert 'department:d3 "Sales"' in message and 'department:d9 "Sales" under "Engineering"' in message
    assert _read(sync_file, lookup.members, "d9")["members"] == []


def test_an_unknown_group_or_user_is_one_clear_error(sync_once: SyncOnce, sync_file: Path) -> None:
    sync_once()
    with pytest.raises(ConfigError, match="no group 'Marketing' in sync 1"):
        _read(sync_file, lookup.members, "Marketing")
    with pytest.raises(ConfigError, match=r"no user 'nobody@example\.com' in sync 1"):
        _read(sync_file, lookup.access, "nobody@example.com")


def test_access_by_id_or_email_lists_what_the_user_holds(hr: Toy, sync_once: SyncOnce, sync_file: Path) -> None:
    hr.extra_members = {"d4": ["101"]}
    sync_once()
    for text in ("101", "user:101", "BRIAN@example.com"):
        result = _read(sync_file, lookup.access, text)
        assert result["user"]["display_name"] == "Brian Kernighan"
        assert [(g["entitlement_id"], g["resource"]["display_name"]) for g in result["grants"]] == [
            ("department:d2:member", "Platform"),
            ("department:d4:member", "Support"),
        ]


def test_a_shared_email_is_ambiguous(hr: Toy, sync_once: SyncOnce, sync_file: Path) -> None:
    hr.people["109"] = Person("Dana Again", "dana@example.com")
    sync_once()
    with pytest.raises(ConfigError, match=r"user 'dana@example.com' is ambiguous.*user:103.*user:109"):
        _read(sync_file, lookup.access, "dana@example.com")


def test_csv_export_opens_in_a_spreadsheet(hr: Toy, sync_once: SyncOnce, sync_file: Path) -> None:
    hr.people["101"].name = 'O"Brien, Pat\nJr.'
    hr.people["102"].title = '=HYPERLINK("http://evil")'
    sync_once()
    text = _export(sync_file, "resources", "csv", "user")
    assert text.startswith("resource_type,id,display_name,status,parent_type,parent_id,email,emails,employee_ids,")
    assert "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 8
    by_id = {row["id"]: row for row in rows}
    assert by_id["101"]["display_name"] == 'O"Brien, Pat\nJr.'
    assert by_id["104"]["display_name"] == "Émile Zola"
    assert by_id["102"]["profile.title"] == '\'=HYPERLINK("http://evil")'
    assert by_id["105"]["status"] == "disabled" and by_id["105"]["profile.termination_date"] == "2023-01-31"
    assert by_id["100"]["profile.manager_id"] == "" and by_id["100"]["email"] == "ada@example.com"
    assert [key for key in rows[0] if key.startswith("profile.")] == sorted(
        f"profile.{key}"
        for key in json.loads(_export(sync_file, "resources", "jsonl", "user").splitlines()[0])["profile"]
    )


def test_jsonl_export_matches_the_reader_json(sync_once: SyncOnce, sync_file: Path) -> None:
    sync_once()
    for kind, read in (
        ("resources", lambda s, i: list(queries.resources(s, i, queries.ResourceFilter()))),
        ("entitlements", lambda s, i: list(queries.entitlements(s, i, queries.EntitlementFilter()))),
        ("grants", lambda s, i: list(queries.grants(s, i, queries.GrantFilter()))),
    ):
        lines = _export(sync_file, kind, "jsonl").splitlines()
        assert [json.loads(line) for line in lines] == _read(sync_file, read), kind


def test_grant_and_entitlement_csv_columns(sync_once: SyncOnce, sync_file: Path) -> None:
    sync_once()
    grants = list(csv.reader(io.StringIO(_export(sync_file, "grants", "csv"), newline="")))
    assert grants[0] == list(export.GRANT_COLUMNS)
    assert grants[1] == [
        "department:d1:member:user:100",
        "department:d1:member",
        "department",
        "d1",
        "member",
        "user",
        "100",
    ]
    assert len(grants) == 1 + 8
    entitlements = list(csv.reader(io.StringIO(_export(sync_file, "entitlements", "csv", "department"), newline="")))
    assert [row[0] for row in entitlements[1:]] == [f"department:d{i}:member" for i in (1, 2, 3, 4)]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (None, ""),
        (True, "true"),
        (3, "3"),
        (-3, "-3"),
        ("-3", "'-3"),
        ("@x", "'@x"),
        ("a,b", "a,b"),
        ([1], "[1]"),
        ("  =1+1", "'  =1+1"),
        ("\u00a0=cmd|' /C calc'!A0", "'\u00a0=cmd|' /C calc'!A0"),
        ("\uff1dHYPERLINK(1)", "'\uff1dHYPERLINK(1)"),
        ("\ufe62x", "'\ufe62x"),
        ("\u2212x", "'\u2212x"),
        ("\u200b@x", "'\u200b@x"),
        ("\tx", "'\tx"),
        (" Ann-Marie", " Ann-Marie"),
        ("a=b", "a=b"),
    ],
)
def test_csv_cells(value: Any, cell: str) -> None:
    assert export.csv_safe(value) == cell
