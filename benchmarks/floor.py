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
from itertools import islice

import ijson
import requests


def main() -> None:
    base_url, body, db_path = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
    auth = (os.environ["BATON_HIBOB_SERVICE_USER_ID"], os.environ["BATON_HIBOB_SERVICE_USER_TOKEN"])
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT, profile TEXT)")
    db.execute("CREATE TABLE members (department TEXT, person TEXT)")
    with requests.post(f"{base_url}/people/search", json=body, auth=auth, stream=True, timeout=300) as response:
        response.raise_for_status()
        response.raw.decode_content = True
        records = ijson.items(response.raw, "employees.item", use_float=True)
        db.execute("BEGIN")
        rows = 0
        while batch := list(islice(records, 2000)):
            db.executemany(
                "INSERT INTO people VALUES (?, ?, ?)",
                [
                    (r["id"], r.get("displayName"), json.dumps({**r.get("work", {}), **r.get("internal", {})}))
                    for r in batch
                ],
            )
            members = [(r["work"]["department"], r["id"]) for r in batch if (r.get("work") or {}).get("department")]
            db.executemany("INSERT INTO members VALUES (?, ?)", members)
            rows += len(batch) + len(members)
        db.execute("COMMIT")
    print(json.dumps({"rows": rows}))


if __name__ == "__main__":
    main()
