"""Printing rows as an aligned table or as JSON (a list of objects).

Table cells go through :func:`framework.host.terminal.printable`; JSON is exact.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from framework.host.terminal import printable

Column = tuple[str, Callable[[dict[str, Any]], Any]]

IDENTITY_COLUMNS: list[Column] = [
    ("type", lambda r: r["resource_type"]),
    ("id", lambda r: r["id"]),
    ("display_name", lambda r: r["display_name"]),
]
"""The first columns of every table that lists resources."""


def dump_json(value: Any, out: TextIO | None = None) -> None:
    out = out or sys.stdout  # looked up per call, so a redirected stdout is honoured
    json.dump(value, out, indent=2, ensure_ascii=False)
    out.write("\n")


def _cell(value: Any) -> str:
    if isinstance(value, dict | list):
        return printable(json.dumps(value, ensure_ascii=False))
    return printable(value)


def table(rows: Sequence[dict[str, Any]], columns: Sequence[Column], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    cells = [[_cell(get(row)) for _, get in columns] for row in rows]
    headers = [header for header, _ in columns]
    widths = [max([len(h)] + [len(line[i]) for line in cells]) for i, h in enumerate(headers)]
    for line in [headers, *cells]:
        out.write("  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)).rstrip() + "\n")


def emit(rows: Sequence[dict[str, Any]], columns: Sequence[Column], output: str) -> None:
    if output == "json":
        dump_json(list(rows))
    else:
        table(rows, columns)
