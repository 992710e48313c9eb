"""A small cache of encoded people-search answers.

Rendering 100,000 people costs seconds; a connector (or a benchmark) asking the
same question twice should get the second answer at network speed. Entries are
keyed by the company's fingerprint, so changing ``sim.company`` never serves a
stale answer, and bounded by count and bytes so a big tenant cannot exhaust
memory.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable


class AnswerCache:
    """Least-recently-used ``key -> list of byte pieces``."""

    def __init__(self, max_entries: int = 4, max_bytes: int = 768 * 1024 * 1024) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, tuple[list[bytes], int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> tuple[list[bytes], int] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: Hashable, pieces: list[bytes]) -> None:
        size = sum(map(len, pieces))
        if size > self.max_bytes:
            return
        with self._lock:
            self._entries[key] = (pieces, size)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries or self._total() > self.max_bytes:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def _total(self) -> int:
        return sum(size for _, size in self._entries.values())
