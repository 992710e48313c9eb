"""Printing rows as an aligned table or as JSON (a list of objects).

Table cells go through :func:`framework.host.terminal.printable`; JSON is exact.
Both write rows as they come: a listing of 100,000 users never sits in memory.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO

import orjson

from framework.host.terminal import printable

Column = tuple[str, Callable[[dict[str, Any]], Any]]
Rows = Callable[[], Iterable[dict[str, Any]]]
"""Starts a fresh pass over the rows (a table takes two: widths, then lines)."""

IDENTITY_COLUMNS: list[Column] = [
    ("type", lambda r: r["resource_type"]),
    ("id", lambda r: r["id"]),
    ("display_name", lambda r: r["display_name"]),
]
"""The first columns of every table that lists resources."""

_PRETTY = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS


def pretty_json(value: Any) -> str:
    """``value`` indented by two spaces, non-ASCII as is: the bytes of
    ``json.dumps(value, indent=2, ensure_ascii=False)``, five times faster."""
    return orjson.dumps(value, option=_PRETTY).decode()


def dump_json(value: Any, out: TextIO | None = None) -> None:
    out = out or sys.stdout  # looked up per call, so a redirected stdout is honoured
    out.write(pretty_json(value) + "\n")


def stream_json(rows: Iterable[Any], out: TextIO | None = None) -> int:
    """A JSON list written item by item, formatted as :func:`dump_json` formats the whole
    list (an item's lines indented two more spaces; JSON strings hold no raw newline).
    Returns the item count."""
    out = out or sys.stdout
    count = 0
    for row in rows:
        out.write(("[\n  " if count == 0 else ",\n  ") + pretty_json(row).replace("\n", "\n  "))
        count += 1
    out.write("\n]\n" if count else "[]\n")
    return count


def _cell(value: Any) -> str:
    if isinstance(value, dict | list):
        return printable(orjson.dumps(value).decode())
    return printable(value)


def table(rows: Rows | Sequence[dict[str, Any]], columns: Sequence[Column], out: TextIO | None = None) -> None:
    """An aligned table; from a :data:`Rows` callable, in two passes (column widths, then
    lines), so only one row's cells are held at a time."""
    out = out or sys.stdout
    fresh: Rows = rows if callable(rows) else lambda: rows
    headers = [header for header, _ in columns]
    widths = [len(header) for header in headers]
    for row in fresh():
        widths = [max(width, len(_cell(get(row)))) for width, (_, get) in zip(widths, columns, strict=True)]
    out.write(_line(headers, widths))
    for row in fresh():
        out.write(_line([_cell(get(row)) for _, get in columns], widths))


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(text.ljust(width) for text, width in zip(cells, widths, strict=True)).rstrip() + "\n"


def emit(rows: Rows, columns: Sequence[Column], output: str) -> None:
    """``rows`` as a JSON list (one pass) or a table (two passes)."""
    if output == "json":
        stream_json(rows())
    else:
        table(rows, columns)
