"""The parsing floor: what a sync costs with no framework around it.

Streams one people-search answer with requests + ijson (C backend) and inserts
one row per employee, plus one per membership, into SQLite in one transaction.
Run by ``benchmarks/scale.py`` with the exact request body the sync sent.

usage: floor.py BASE_URL BODY_JSON DB_PATH   (credentials in BATON_HIBOB_* variables)
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys

import ijson
import requests

BATCH = 2000
"""Employees per insert, as the host batches them."""


def flush(db: sqlite3.Connection, people: list[tuple[str, str | None, str]], members: list[tuple[str, str]]) -> int:
    """Insert and forget the rows gathered so far; how many there were."""
    db.executemany("INSERT INTO people VALUES (?, ?, ?)", people)
    db.executemany("INSERT INTO members VALUES (?, ?)", members)
    count = len(people) + len(members)
    people.clear()
    members.clear()
    return count


def main() -> None:
    base_url, body, db_path = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
    auth = (os.environ["BATON_HIBOB_SERVICE_USER_ID"], os.environ["BATON_HIBOB_SERVICE_USER_TOKEN"])
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT, profile TEXT)")
    db.execute("CREATE TABLE members (department TEXT, person TEXT)")
    with requests.post(f"{base_url}/people/search", json=body, auth=auth, stream=True, timeout=300) as response:
        response.raise_for_status()
        response.raw.decode_content = True
        db.execute("BEGIN")
        people: list[tuple[str, str | None, str]] = []
        members: list[tuple[str, str]] = []
        rows = 0
        # Records become rows as they stream: a batch holds rows, never parsed records (25 KB each).
        for r in ijson.items(response.raw, "employees.item", use_float=True):
            work = r.get("work") or {}
            people.append((r["id"], r.get("displayName"), json.dumps({**work, **(r.get("internal") or {})})))
            if work.get("department"):
                members.append((work["department"], r["id"]))
            if len(people) == BATCH:
                rows += flush(db, people, members)
        rows += flush(db, people, members)
        db.execute("COMMIT")
    print(json.dumps({"rows": rows}))


if __name__ == "__main__":
    main()
