from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from framework.host.context import ConnectorContext
from framework.host.plugins import ConnectorManager, get_plugin_manager, register
from framework.host.sync import run_sync
from framework.store.file import Store
from tests.history.toy import HrToy

SyncOnce = Callable[..., int]


@pytest.fixture
def hr() -> HrToy:
    return HrToy()


@pytest.fixture
def pm(hr: HrToy) -> Iterator[ConnectorManager]:
    """The installed plugins plus the HR toy, registered for this test only."""
    manager = get_plugin_manager(env={})
    register(manager, hr, hr.name)
    try:
        yield manager
    finally:
        manager.unregister(name=hr.name)


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
