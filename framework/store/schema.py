"""The sync file's schema: its tables, their version, and how an older file is brought up to date.

Every data row carries the id of the sync that wrote it. ``resources`` holds the
public resource shape column by column: ``profile``, ``emails``,
``employee_ids`` as JSON text (empty lists for a non-user), ``user`` as the JSON
object ``{"login", "manager", "start_date", "end_date"}`` or NULL for a
non-user; ``status`` is the user's or group's status (``enabled`` for a
resource with neither trait). ``resource_types.tracked`` is the JSON list of
the type's tracked attributes.
"""

SCHEMA_VERSION = 2

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS syncs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plugin TEXT NOT NULL,
    plugin_version TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed')),
    error TEXT,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    summary TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS resource_types (
    sync_id INTEGER NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    traits TEXT NOT NULL,
    description TEXT NOT NULL,
    tracked TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (sync_id, id)
);
CREATE TABLE IF NOT EXISTS resources (
    sync_id INTEGER NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
    resource_type TEXT NOT NULL,
    id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    parent_type TEXT,
    parent_id TEXT,
    status TEXT NOT NULL,
    profile TEXT NOT NULL,
    emails TEXT NOT NULL,
    employee_ids TEXT NOT NULL,
    user TEXT,
    UNIQUE (sync_id, resource_type, id)
);
-- Partial: most resources (every user of an HR system) have no parent, and a row
-- outside the index costs nothing to insert. `parent_id = ?` still uses it.
CREATE INDEX IF NOT EXISTS resources_by_parent ON resources (sync_id, parent_type, parent_id)
    WHERE parent_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS entitlements (
    sync_id INTEGER NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    slug TEXT NOT NULL,
    display_name TEXT NOT NULL,
    description TEXT NOT NULL,
    UNIQUE (sync_id, id)
);
CREATE INDEX IF NOT EXISTS entitlements_by_resource ON entitlements (sync_id, resource_type, resource_id);
CREATE TABLE IF NOT EXISTS grants (
    sync_id INTEGER NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    entitlement_id TEXT NOT NULL,
    principal_type TEXT NOT NULL,
    principal_id TEXT NOT NULL,
    UNIQUE (sync_id, id)
);
CREATE INDEX IF NOT EXISTS grants_by_entitlement ON grants (sync_id, entitlement_id);
CREATE INDEX IF NOT EXISTS grants_by_principal ON grants (sync_id, principal_type, principal_id);
"""


MIGRATIONS = {
    1: "ALTER TABLE resource_types ADD COLUMN tracked TEXT NOT NULL DEFAULT '[]'; "
    "ALTER TABLE resources ADD COLUMN user TEXT;",
}
"""Schema version -> the statements that bring a file of that version to the next one."""
