"""Printing rows as an aligned table or as JSON (a list of objects).

Table cells go through :func:`framework.host.terminal.printable`; JSON is exact.
Both write rows as they come: a listing of 100,000 users never sits in memory.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO

import orjson
from wcwidth import wcswidth

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


def width(text: str) -> int:
    """Terminal columns ``text`` takes (wcwidth): a CJK character takes two, a combining mark none.

    Cells are :func:`~framework.host.terminal.printable`, so no control character
    is left for ``wcswidth`` to refuse; should one be, its length stands in.
    """
    columns = wcswidth(text)
    return columns if columns >= 0 else len(text)


def table(
    rows: Rows | Sequence[dict[str, Any]],
    columns: Sequence[Column],
    out: TextIO | None = None,
    *,
    empty: str = "no rows",
) -> None:
    """An aligned table; from a :data:`Rows` callable, in two passes (column widths, then
    lines), so only one row's cells are held at a time.

    Widths are display widths (:func:`width`). A column empty in every row is left
    out; no rows at all print ``empty`` (e.g. "no resources match") instead of a bare header.
    """
    out = out or sys.stdout
    fresh: Rows = rows if callable(rows) else lambda: rows
    widths = [0] * len(columns)
    seen = 0
    for row in fresh():
        seen += 1
        widths = [max(w, width(_cell(get(row)))) for w, (_, get) in zip(widths, columns, strict=True)]
    if not seen:
        out.write(printable(empty) + "\n")
        return
    kept = [i for i, w in enumerate(widths) if w > 0]
    widths = [max(widths[i], width(columns[i][0])) for i in kept]
    out.write(_line([columns[i][0] for i in kept], widths))
    for row in fresh():
        out.write(_line([_cell(columns[i][1](row)) for i in kept], widths))


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(text + " " * (w - width(text)) for text, w in zip(cells, widths, strict=True)).rstrip() + "\n"


def emit(rows: Rows, columns: Sequence[Column], output: str, *, empty: str = "no rows") -> None:
    """``rows`` as a JSON list (one pass) or a table (two passes; ``empty`` when there are none)."""
    if output == "json":
        stream_json(rows())
    else:
        table(rows, columns, empty=empty)
