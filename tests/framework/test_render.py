"""Readers write rows as they come, in the format ``json.dump(indent=2)`` gave."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest

from framework.cli.render import Column, dump_json, emit, stream_json, table

ROWS: list[dict[str, Any]] = [
    {"id": "1", "display_name": "Zoë Ünal", "profile": {"a": None, "b": [], "c": {}, "d": [1, 2.5, True]}},
    {"id": "2", "display_name": "line\nbreak \u2028 \x1b[31m", "profile": {"nested": {"x": [{"y": "z"}]}}},
    {"id": "3", "display_name": "", "profile": {}},
]


@pytest.mark.parametrize("rows", [ROWS, ROWS[:1], []])
def test_streamed_json_has_the_bytes_of_json_dump_indent_2(rows: list[dict[str, Any]]) -> None:
    out = io.StringIO()
    assert stream_json(iter(rows), out) == len(rows)
    assert out.getvalue() == json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    whole = io.StringIO()
    dump_json(rows, whole)
    assert whole.getvalue() == out.getvalue()


def test_each_row_is_written_before_the_next_is_read() -> None:
    out = io.StringIO()

    def rows() -> Iterator[dict[str, Any]]:
        for index, row in enumerate(ROWS):
            if index:
                assert f'"id": "{ROWS[index - 1]["id"]}"' in out.getvalue(), "the previous row is already out"
            yield row

    stream_json(rows(), out)
    assert json.loads(out.getvalue()) == ROWS


COLUMNS: list[Column] = [("id", lambda r: r["id"]), ("name", lambda r: r["display_name"])]


def test_a_table_takes_two_passes_and_aligns_every_line(capsys: pytest.CaptureFixture[str]) -> None:
    passes: list[int] = []

    def rows() -> Iterator[dict[str, Any]]:
        passes.append(1)
        yield from ROWS

    emit(rows, COLUMNS, "table")
    lines = capsys.readouterr().out.splitlines()
    assert len(passes) == 2
    assert lines[0].split() == ["id", "name"]
    assert [line[:4] for line in lines] == ["id  ", "1   ", "2   ", "3"]
    assert "\\x1b" in lines[2] and "\x1b" not in lines[2], "cells stay terminal-safe"
    assert lines[1].index("Zoë") == lines[0].index("name")


def test_a_table_of_no_rows_says_so_instead_of_a_bare_header() -> None:
    out = io.StringIO()
    table([], COLUMNS, out, empty="no resources match")
    assert out.getvalue() == "no resources match\n"


def test_a_column_empty_in_every_row_is_left_out() -> None:
    out = io.StringIO()
    table(ROWS, [*COLUMNS, ("email", lambda r: None)], out)
    assert out.getvalue().splitlines()[0].split() == ["id", "name"]


def test_wide_characters_count_as_two_columns() -> None:
    out = io.StringIO()
    table(
        [{"id": "1", "display_name": "李雷"}, {"id": "2", "display_name": "Li Lei"}],
        [*COLUMNS, ("x", lambda r: "x")],
        out,
    )
    first, second = out.getvalue().splitlines()[1:]
    assert first.endswith("李雷    x") and second.endswith("Li Lei  x")
