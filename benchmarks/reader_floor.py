"""The readers' floor: an SQLite select plus orjson of the same rows, written as they come.

Prints what ``connector resources|grants --output json`` prints for the latest
sync (the same keys, values and pretty format), with nothing around the select
and the encoding. Run by ``benchmarks/scale.py``.

usage: reader_floor.py resources|grants DB_PATH > OUT
"""

from __future__ import annotations

import sqlite3
import sys
from typing import Any

import orjson

QUERIES = {
    "resources": "SELECT * FROM resources WHERE sync_id = ? ORDER BY resource_type, id",
    "grants": (
        "SELECT g.id, g.entitlement_id, g.principal_type, g.principal_id, e.resource_type, e.resource_id, e.slug "
        "FROM grants g JOIN entitlements e ON e.sync_id = g.sync_id AND e.id = g.entitlement_id "
        "WHERE g.sync_id = ? ORDER BY g.id"
    ),
}


def resource(r: sqlite3.Row) -> dict[str, Any]:
    return {
        "resource_type": r[1],
        "id": r[2],
        "display_name": r[3],
        "status": r[6],
        "parent": None if r[5] is None else {"resource_type": r[4], "id": r[5]},
        "profile": orjson.loads(r[7]),
        "emails": orjson.loads(r[8]),
        "employee_ids": orjson.loads(r[9]),
        "user": None if r[10] is None else orjson.loads(r[10]),
    }


def grant(r: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": r[0],
        "entitlement": {"id": r[1], "resource_type": r[4], "resource_id": r[5], "slug": r[6]},
        "principal": {"resource_type": r[2], "id": r[3]},
    }


def main() -> None:
    kind, path = sys.argv[1], sys.argv[2]
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    (sync_id,) = db.execute("SELECT max(id) FROM syncs WHERE status = 'complete'").fetchone()
    shape = resource if kind == "resources" else grant
    out = sys.stdout.buffer
    first = True
    for row in db.execute(QUERIES[kind], (sync_id,)):
        out.write(b"[\n  " if first else b",\n  ")
        out.write(orjson.dumps(shape(row), option=orjson.OPT_INDENT_2).replace(b"\n", b"\n  "))
        first = False
    out.write(b"[]\n" if first else b"\n]\n")


if __name__ == "__main__":
    main()
