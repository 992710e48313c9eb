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
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from framework.host.errors import StoreError
from framework.store.base import BUSY_SLICE, LOCK_WAIT
from framework.store.changes import Changes
from framework.store.explore import Exploration
from framework.store.runs import Runs
from framework.store.schema import MIGRATIONS, SCHEMA, SCHEMA_VERSION
from framework.store.writes import Writes

WRITE_CACHE_KIB = 16 * 1024
"""SQLite page cache of a writing connection (see :meth:`Store.open`)."""


def _create_private(path: Path) -> None:
    """Create ``path`` empty with mode 0600 unless it exists (the umask cannot widen it)."""
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise StoreError(f"cannot create sync file {path}: {exc.strerror}") from None
    os.close(descriptor)


def _casefold(value: str | None) -> str | None:
    return value.casefold() if isinstance(value, str) else value


class Store(Runs, Writes, Exploration, Changes):
    """An open sync file. Use :meth:`open` (writers: creates it) or :meth:`open_existing` (readers).

    ``path`` is always a plain file name, never an SQLite URI: ``:memory:`` or a name
    holding ``?``, ``#`` or ``%`` is a file of that name. A new sync file is created
    0600 whatever the umask (it holds personal data; SQLite gives its journal the same
    mode). Readers open it read-only: they never create, upgrade or change a file.
    """

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, lock_wait: float = LOCK_WAIT) -> Store:
        """Open for writing, creating the file and its schema when missing; raises :class:`StoreError`
        for a missing folder, a read-only file or folder, or a file failing SQLite's quick check.

        A sync inserts its rows in one transaction, into indexes keyed in upstream
        order: with SQLite's default 2 MB page cache, index pages are spilled and
        read back over and over (100,000 users and their grants insert 0.5 s faster
        with 16 MB, which bounds the extra memory).
        """
        target = Path(path)
        if not target.parent.is_dir():
            raise StoreError(f"cannot create sync file {target}: folder {target.parent} does not exist")
        _create_private(target)
        if not target.is_file():
            raise StoreError(f"cannot use {target} as a sync file: it is not a regular file")
        if not os.access(target, os.W_OK) or not target.stat().st_mode & stat.S_IWUSR:
            raise StoreError(f"cannot write {target}: the file is read-only")
        if not os.access(target.parent, os.W_OK | os.X_OK):
            raise StoreError(f"cannot write {target}: its folder is read-only (SQLite keeps a journal beside the file)")
        store = cls._connect(target, "rw", lock_wait)
        try:
            store._check_integrity()
            store.write(f"PRAGMA cache_size = -{WRITE_CACHE_KIB}")
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def open_existing(cls, path: str | os.PathLike[str], *, lock_wait: float = LOCK_WAIT) -> Store:
        """Open read-only; a missing file is an error, not a new empty database."""
        target = Path(path)
        if not target.is_file():
            raise StoreError(f"no sync file at {target} (run 'connector sync PLUGIN --file {target}' first)")
        return cls._connect(target, "ro", lock_wait)

    @classmethod
    def _connect(cls, path: Path, mode: str, lock_wait: float) -> Store:
        # The path is percent-encoded into the URI, so SQLite reads it literally.
        uri = f"file:{quote(str(path.absolute()))}?mode={mode}"
        try:
            db = sqlite3.connect(uri, uri=True, timeout=BUSY_SLICE, isolation_level=None)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open {path}: {exc}") from None
        try:
            db.row_factory = sqlite3.Row
            # SQLite's lower() folds ASCII only; readers search names like "Émile" and "ZOË".
            db.create_function("casefold", 1, _casefold, deterministic=True)
            db.execute("PRAGMA foreign_keys = ON")
            store = cls(db, path, lock_wait)
            store.patiently(f"use {path} as a sync file", lambda: store._migrate(writable=mode != "ro"))
        except BaseException as exc:
            db.close()
            if isinstance(exc, sqlite3.DatabaseError):
                raise StoreError(f"cannot use {path} as a sync file: {exc}") from None
            raise
        return store

    def _check_integrity(self) -> None:
        """SQLite's quick check (every page and index entry, without cross-checks): a sync never
        writes into a damaged file, where its changes could be lost or spread the damage."""
        problems = [row[0] for row in self.query("PRAGMA quick_check(3)")]
        if problems != ["ok"]:
            raise StoreError(
                f"{self.path} is damaged (SQLite's check: {problems[0]}); "
                "restore it from a backup or sync into a new file"
            )

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self, *, writable: bool) -> None:
        """Create the schema in a new file; bring an older sync file up to date (writers only);
        refuse anything else."""
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables and "meta" not in tables:
            raise StoreError(f"{self.path} is an SQLite database, but not a sync file")
        if "meta" not in tables and not writable:
            raise StoreError(f"{self.path} is not a sync file (it holds no syncs)")
        if "meta" not in tables:
            self._db.executescript("BEGIN IMMEDIATE;" + SCHEMA + "COMMIT;")
            self._db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            return
        row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row else 0
        if version > SCHEMA_VERSION or (version < SCHEMA_VERSION and version not in MIGRATIONS):
            raise StoreError(f"{self.path} has sync file schema {version}; this version reads schema {SCHEMA_VERSION}")
        if version < SCHEMA_VERSION and not writable:
            raise StoreError(
                f"{self.path} has sync file schema {version}; the next sync upgrades it to {SCHEMA_VERSION} "
                "(reading never changes a file)"
            )
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
