from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from framework.host.context import ConnectorContext
from framework.host.plugins import ConnectorManager
from framework.host.sync import run_sync
from framework.store.file import Store
from tests.toy import Toy, registered

SyncOnce = Callable[..., int]


@pytest.fixture
def hr() -> Toy:
    return Toy.company()


@pytest.fixture
def pm(hr: Toy) -> Iterator[ConnectorManager]:
    """The installed plugins plus the HR-shaped toy, registered for this test only."""
    with registered(hr) as manager:
        yield manager


@pytest.fixture
def sync_file(tmp_path: Path) -> Path:
    return tmp_path / "sync.db"


@pytest.fixture
def sync_once(pm: ConnectorManager, sync_file: Path) -> SyncOnce:
    """Run one in-process sync of the HR toy into ``sync_file``; returns the sync id."""

    def run(keep: int = 3, path: Path | None = None) -> int:
        with Store.open(path or sync_file) as store:
            return run_sync(pm.connector("hr"), ConnectorContext(config={}), store, keep=keep).sync_id

    return run
