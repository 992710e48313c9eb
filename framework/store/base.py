"""What every part of the store shares: the connection, its path, and the translation of SQLite's errors.

No ``sqlite3`` exception leaves the store: a constraint the data breaks (two
resources with one id) is :class:`~framework.host.errors.ConflictingData`,
anything else the file's :class:`~framework.host.errors.StoreError` (exit 7).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from framework.host.errors import ConflictingData, StoreError
from framework.host.redact import redactor

T = TypeVar("T")
Params = Sequence[Any] | Mapping[str, Any]
"""Positional (``?``) or named (``:name``) statement parameters."""


LOCK_WAIT = 30.0
"""Seconds a command waits while another process holds the sync file's lock."""
BUSY_SLICE = 0.05
"""SQLite's own busy wait, in seconds: short, because Ctrl-C lands only between two slices."""
_BUSY = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})


class StoreBase:
    """An open sync file; the mixins of :class:`~framework.store.file.Store` build on this."""

    def __init__(self, connection: sqlite3.Connection, path: Path, lock_wait: float = LOCK_WAIT) -> None:
        self._db = connection
        self.path = path
        self.lock_wait = lock_wait
        self.masked_values = 0
        """Text values :meth:`write_many` stored masked because they held a secret (see there)."""

    @contextmanager
    def errors(self, doing: str) -> Iterator[None]:
        """Translate SQLite's errors raised inside into the project's; ``doing`` completes "cannot ...",
        e.g. ``read sync.db``."""
        try:
            yield
        except sqlite3.IntegrityError as exc:
            raise ConflictingData(f"conflicting data: {exc}") from None
        except sqlite3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorcode", None) in _BUSY:
                raise StoreError(
                    f"another process is writing {self.path} (waited {self.lock_wait:g}s); "
                    "try again when it has finished"
                ) from None
            raise StoreError(f"cannot {doing}: {exc}") from None

    def patiently(self, doing: str, action: Callable[[], T]) -> T:
        """``action()``, retried while another process holds the file's lock, for up to
        :attr:`lock_wait` seconds; SQLite's errors translated as in :meth:`errors`.

        SQLite waits for a lock inside C, where Ctrl-C cannot reach; its own wait is
        kept to :data:`BUSY_SLICE` and the retries happen here, so Ctrl-C ends the wait
        at once. A statement refused for a lock has not run, so running it again is safe.
        """
        deadline = time.monotonic() + self.lock_wait
        with self.errors(doing):
            while True:
                try:
                    return action()
                except sqlite3.OperationalError as exc:
                    if getattr(exc, "sqlite_errorcode", None) not in _BUSY or time.monotonic() >= deadline:
                        raise

    def query(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Every row of one read statement."""
        return self.patiently(f"read {self.path}", lambda: self._db.execute(sql, params).fetchall())

    def stream(self, sql: str, params: Params = ()) -> Iterator[sqlite3.Row]:
        """The rows of one read statement, fetched as they are consumed (exports, diffs)."""
        cursor = self.patiently(f"read {self.path}", lambda: self._db.execute(sql, params))
        with self.errors(f"read {self.path}"):
            while rows := cursor.fetchmany(500):
                yield from rows

    def write(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        """Run one writing statement."""
        return self.patiently(f"write {self.path}", lambda: self._db.execute(sql, params))

    def write_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one writing statement once per parameter row.

        Every row of data a sync stores passes here, so here no secret reaches the file's
        bytes, whatever an upstream sent: a text value holding a registered secret (an API
        echoing the token into a name) is stored with it masked, and counted in
        :attr:`masked_values`. One substring search per secret over the batch keeps
        that nearly free when, as usual, no value holds one.
        """
        if redactor.occurs_in(*(cell for row in rows for cell in row if isinstance(cell, str))):
            rows = [tuple(self._masked(cell) for cell in row) for row in rows]
        self.patiently(f"write {self.path}", lambda: self._db.executemany(sql, rows))

    def _masked(self, cell: object) -> object:
        if not isinstance(cell, str) or not redactor.occurs_in(cell):
            return cell
        masked = redactor.scrub(cell)
        self.masked_values += masked != cell
        return masked
