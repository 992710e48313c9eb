"""The sync's floors: what reading one people-search answer into SQLite costs with no framework around it.

Two floors, on the sync's exact request body, each inserting one row per
employee (id, name, its work and lifecycle values as JSON) and one per
membership into SQLite, 2,000 employees per ``executemany``, in one transaction:

- ``load``: the whole answer read into memory and parsed with ``json.load``,
  the obvious implementation (memory grows with the company);
- ``stream``: the answer stream-parsed with requests and ijson's C backend,
  rows inserted as records stream (memory stays flat).

Run by ``benchmarks/scale.py``.

usage: floor.py load|stream BASE_URL BODY_JSON DB_PATH   (credentials in BATON_HIBOB_* variables)
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from typing import Any

import ijson
import requests

BATCH = 2000
"""Employees per insert, as the host batches them."""


def rows(records: Iterable[dict[str, Any]]) -> Iterator[tuple[tuple[str, str | None, str], tuple[str, str] | None]]:
    """One people row and at most one membership row per record."""
    for r in records:
        work = r.get("work") or {}
        person = (r["id"], r.get("displayName"), json.dumps({**work, **(r.get("internal") or {})}))
        yield person, ((work["department"], r["id"]) if work.get("department") else None)


def insert(db: sqlite3.Connection, records: Iterable[dict[str, Any]]) -> int:
    """Insert as records come, ``BATCH`` employees at a time; the number of rows written."""
    people: list[tuple[str, str | None, str]] = []
    members: list[tuple[str, str]] = []
    count = 0
    for person, member in rows(records):
        people.append(person)
        if member:
            members.append(member)
        if len(people) == BATCH:
            count += flush(db, people, members)
    return count + flush(db, people, members)


def flush(db: sqlite3.Connection, people: list[tuple[str, str | None, str]], members: list[tuple[str, str]]) -> int:
    """Insert and forget the rows gathered so far; how many there were."""
    db.executemany("INSERT INTO people VALUES (?, ?, ?)", people)
    db.executemany("INSERT INTO members VALUES (?, ?)", members)
    count = len(people) + len(members)
    people.clear()
    members.clear()
    return count


def main() -> None:
    mode, base_url, body, db_path = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
    auth = (os.environ["BATON_HIBOB_SERVICE_USER_ID"], os.environ["BATON_HIBOB_SERVICE_USER_TOKEN"])
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT, profile TEXT)")
    db.execute("CREATE TABLE members (department TEXT, person TEXT)")
    with requests.post(f"{base_url}/people/search", json=body, auth=auth, stream=True, timeout=300) as response:
        response.raise_for_status()
        response.raw.decode_content = True
        db.execute("BEGIN")
        if mode == "load":
            written = insert(db, json.load(response.raw)["employees"])
        else:
            written = insert(db, ijson.items(response.raw, "employees.item", use_float=True))
        db.execute("COMMIT")
    print(json.dumps({"rows": written}))


if __name__ == "__main__":
    main()
