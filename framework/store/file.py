"""The sync file: one SQLite database holding sync runs and what each one saw.

Every row carries the id of the sync that wrote it, so one file can hold
several syncs side by side, and readers pick one (the latest complete sync by
default). A sync writes all its data and flips its status to ``complete`` in a
single transaction: a run that fails or is killed leaves no partial data
behind, and the previous complete sync stays exactly as it was.

:class:`Store` is the only thing in the project that speaks SQL; its methods
come from one mixin per job (runs and retention, writes, reads, exploration,
the diff's comparisons).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from framework.host.errors import StoreError
from framework.store.changes import Changes
from framework.store.explore import Exploration
from framework.store.runs import Runs
from framework.store.schema import MIGRATIONS, SCHEMA, SCHEMA_VERSION
from framework.store.writes import Writes

WRITE_CACHE_KIB = 16 * 1024
"""SQLite page cache of a writing connection (see :meth:`Store.open`)."""


def _casefold(value: str | None) -> str | None:
    return value.casefold() if isinstance(value, str) else value


class Store(Runs, Writes, Exploration, Changes):
    """An open sync file. Use :meth:`open` (creates it) or :meth:`open_existing` (readers)."""

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Store:
        """Open for writing, creating the file and its schema when missing.

        A sync inserts its rows in one transaction, into indexes keyed in upstream
        order: with SQLite's default 2 MB page cache, index pages are spilled and
        read back over and over (100,000 users and their grants insert 0.5 s faster
        with 16 MB, which bounds the extra memory).
        """
        target = Path(path)
        if not target.parent.exists():
            raise StoreError(f"cannot create sync file {target}: folder {target.parent} does not exist")
        store = cls._connect(target, f"file:{target}?mode=rwc")
        store.write(f"PRAGMA cache_size = -{WRITE_CACHE_KIB}")
        return store

    @classmethod
    def open_existing(cls, path: str | os.PathLike[str]) -> Store:
        """Open for reading; a missing file is an error, not a new empty database."""
        target = Path(path)
        if not target.is_file():
            raise StoreError(f"no sync file at {target} (run 'connector sync PLUGIN --file {target}' first)")
        return cls._connect(target, f"file:{target}?mode=rw")

    @classmethod
    def _connect(cls, path: Path, uri: str) -> Store:
        try:
            db = sqlite3.connect(uri, uri=True, timeout=30.0, isolation_level=None)
            db.row_factory = sqlite3.Row
            # SQLite's lower() folds ASCII only; readers search names like "Émile" and "ZOË".
            db.create_function("casefold", 1, _casefold, deterministic=True)
            db.execute("PRAGMA foreign_keys = ON")
            store = cls(db, path)
            store._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot use {path} as a sync file: {exc}") from None
        return store

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        """Create the schema in a new file; bring an older sync file up to date; refuse anything else."""
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables and "meta" not in tables:
            raise StoreError(f"{self.path} is an SQLite database, but not a sync file")
        if "meta" not in tables:
            self._db.executescript("BEGIN;" + SCHEMA + "COMMIT;")
            self._db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            return
        row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row else 0
        if version > SCHEMA_VERSION or (version < SCHEMA_VERSION and version not in MIGRATIONS):
            raise StoreError(f"{self.path} has sync file schema {version}; this version reads schema {SCHEMA_VERSION}")
        if version < SCHEMA_VERSION:
            steps = "".join(MIGRATIONS[v] for v in range(version, SCHEMA_VERSION))
            bump = f"UPDATE meta SET value = '{SCHEMA_VERSION}' WHERE key = 'schema_version';"  # noqa: S608
            self._db.executescript(f"BEGIN IMMEDIATE;{steps}{bump}COMMIT;")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction: committed when the block ends, rolled back on any exception."""
        self.write("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.rollback()
            raise
        self.write("COMMIT")
