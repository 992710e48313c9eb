"""What every part of the store shares: the connection, its path, and the translation of SQLite's errors.

No ``sqlite3`` exception leaves the store: a constraint the data breaks (two
resources with one id) is :class:`~framework.host.errors.ConflictingData`,
anything else the file's :class:`~framework.host.errors.StoreError` (exit 7).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from framework.host.errors import ConflictingData, StoreError

Params = Sequence[Any] | Mapping[str, Any]
"""Positional (``?``) or named (``:name``) statement parameters."""


class StoreBase:
    """An open sync file; the mixins of :class:`~framework.store.file.Store` build on this."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    @contextmanager
    def errors(self, doing: str) -> Iterator[None]:
        """Translate SQLite's errors raised inside into the project's; ``doing`` is ``read`` or ``write``."""
        try:
            yield
        except sqlite3.IntegrityError as exc:
            raise ConflictingData(f"conflicting data: {exc}") from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot {doing} {self.path}: {exc}") from None

    def query(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Every row of one read statement."""
        with self.errors("read"):
            return self._db.execute(sql, params).fetchall()

    def stream(self, sql: str, params: Params = ()) -> Iterator[sqlite3.Row]:
        """The rows of one read statement, fetched as they are consumed (exports, diffs)."""
        with self.errors("read"):
            cursor = self._db.execute(sql, params)
            while rows := cursor.fetchmany(500):
                yield from rows

    def write(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        """Run one writing statement."""
        with self.errors("write"):
            return self._db.execute(sql, params)

    def write_many(self, sql: str, rows: Sequence[Params]) -> None:
        """Run one writing statement once per parameter row."""
        with self.errors("write"):
            self._db.executemany(sql, rows)
