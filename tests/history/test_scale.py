"""The diff at HR scale: two 100,000-user syncs with a few thousand changes.

The syncs are written with SQL straight into a real sync file, over a connection of its own, (a plugin would
take far longer to produce them), then diffed through the public function.
The bounds are loose on purpose, to catch an accidental quadratic join or a
load-everything-into-Python regression rather than to benchmark the machine.
"""

from __future__ import annotations

import sqlite3
import tracemalloc
from contextlib import closing
from pathlib import Path

from framework.read import jml, syncs
from framework.store.file import Store

USERS = 100_000
DEPARTMENTS = 200

_NUMBERS = f"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {USERS - 1}) "
_PROFILE = (
    f"json_object('department_id', 'd' || (i % {DEPARTMENTS}), 'lifecycle_status', 'employed', "
    "'manager_id', 'u' || (i / 10), 'start_date', '2020-01-01', 'termination_date', NULL, 'title', 'T' || (i % 50))"
)


_TRACKED = (
    '[{"key": "department_id", "label": "department", "name_key": null, "counted": false}, '
    '{"key": "manager_id", "label": "manager", "name_key": null, "counted": false}]'
)
_TYPES = "INSERT INTO resource_types (sync_id, id, display_name, traits, description, tracked) VALUES "


def _begin(db: sqlite3.Connection) -> int:
    cursor = db.execute(
        "INSERT INTO syncs (plugin, plugin_version, started_at, status, host, pid) "
        "VALUES ('scale', '1', 'x', 'complete', 'h', 1)"
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _base(db: sqlite3.Connection) -> int:
    sync_id = _begin(db)
    db.execute(_TYPES + "(?, 'user', 'User', '[\"user\"]', '', ?)", (sync_id, _TRACKED))
    db.execute(_TYPES + "(?, 'department', 'Department', '[\"group\"]', '', '[]')", (sync_id,))
    db.execute(
        _NUMBERS + "INSERT INTO resources SELECT ?, 'user', 'u' || i, 'User ' || i, NULL, NULL, 'enabled', "
        f"{_PROFILE}, json_array(json_object('address', 'u' || i || '@example.com', 'primary', json('true'))), "
        "json_array('u' || i), NULL FROM n",
        (sync_id,),
    )
    db.execute(
        _NUMBERS + "INSERT INTO resources SELECT ?, 'department', 'd' || i, 'Dept ' || i, NULL, NULL, 'enabled', "
        f"'{{}}', '[]', '[]', NULL FROM n WHERE i < {DEPARTMENTS}",
        (sync_id,),
    )
    _derive(db, sync_id)
    return sync_id


def _derive(db: sqlite3.Connection, sync_id: int) -> None:
    """Entitlements and membership grants, from the users' ``department_id``."""
    db.execute(
        "INSERT INTO entitlements SELECT sync_id, 'department:' || id || ':member', 'department', id, 'member', "
        "display_name || ' Member', '' FROM resources WHERE sync_id = ? AND resource_type = 'department'",
        (sync_id,),
    )
    db.execute(
        "INSERT INTO grants SELECT sync_id, 'department:' || json_extract(profile, '$.department_id') "
        "|| ':member:user:' || id, 'department:' || json_extract(profile, '$.department_id') || ':member', "
        "'user', id FROM resources WHERE sync_id = ? AND resource_type = 'user'",
        (sync_id,),
    )


def _changed(db: sqlite3.Connection, base: int) -> int:
    """500 removed, 500 terminated, 1,000 department moves, 1,000 manager changes, 500 new."""
    sync_id = _begin(db)
    db.execute(
        _TYPES.removesuffix("VALUES ") + "SELECT ?, id, display_name, traits, description, tracked "
        "FROM resource_types WHERE sync_id = ?",
        (sync_id, base),
    )
    number = "CAST(substr(id, 2) AS INTEGER)"
    profile = (
        f"CASE WHEN {number} BETWEEN 500 AND 999 THEN json_set(profile, '$.lifecycle_status', 'terminated', "
        "'$.termination_date', '2024-06-30') "
        f"WHEN {number} BETWEEN 1000 AND 1999 "
        f"THEN json_set(profile, '$.department_id', 'd' || (({number} + 1) % {DEPARTMENTS})) "
        f"WHEN {number} BETWEEN 2000 AND 2999 THEN json_set(profile, '$.manager_id', 'u7') ELSE profile END"
    )
    db.execute(
        f"INSERT INTO resources SELECT ?, resource_type, id, display_name, parent_type, parent_id, "
        f"CASE WHEN resource_type = 'user' AND {number} BETWEEN 500 AND 999 THEN 'disabled' ELSE status END, "
        f"CASE WHEN resource_type = 'user' THEN {profile} ELSE profile END, emails, employee_ids, user "
        f"FROM resources WHERE sync_id = ? AND NOT (resource_type = 'user' AND {number} < 500)",
        (sync_id, base),
    )
    db.execute(
        "INSERT INTO resources SELECT ?, 'user', 'u' || (100000 + i), 'New ' || i, NULL, NULL, 'enabled', "
        "json_object('department_id', 'd1', 'start_date', '2024-07-01'), '[]', '[]', NULL FROM "
        "(WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 499) SELECT i FROM n)",
        (sync_id,),
    )
    _derive(db, sync_id)
    return sync_id


def test_a_diff_of_two_100k_user_syncs_reads_only_the_changes_in_bounded_memory(tmp_path: Path) -> None:
    Store.open(tmp_path / "scale.db").close()
    with closing(sqlite3.connect(tmp_path / "scale.db")) as db, db:
        new = _changed(db, _base(db))
    with Store.open_existing(tmp_path / "scale.db") as store:
        assert store.counts(new)["resources"] == {"department": DEPARTMENTS, "user": USERS}
        tracemalloc.start()
        result = jml.diff(store, *syncs.pick_pair(store, None, None))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert result["counts"]["users"] == {
        "joiners": 500,
        "leavers": 1000,
        "movers": 2000,
        "updated": 0,
        "status_unknown": 0,
    }
    assert result["counts"]["grants"] == {"added": 1500, "removed": 1500}
    assert result["counts"]["resources"] == {"added": 500, "removed": 500, "changed": 2500}
    moved = next(m for m in result["users"]["movers"] if m["id"] == "u1000")
    assert moved["department"] == {
        "old": [{"resource_type": "department", "id": "d0", "display_name": "Dept 0"}],
        "new": [{"resource_type": "department", "id": "d1", "display_name": "Dept 1"}],
    }
    assert peak < 100 * 1024 * 1024, f"diff peaked at {peak / 2**20:.0f} MiB"
