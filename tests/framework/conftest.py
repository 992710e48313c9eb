from __future__ import annotations

from collections.abc import Iterator

import pytest

from framework.host.plugins import ConnectorManager, get_plugin_manager, register
from tests.framework.toy import ToyPlugin


@pytest.fixture
def toy() -> ToyPlugin:
    return ToyPlugin()


@pytest.fixture
def pm(toy: ToyPlugin) -> Iterator[ConnectorManager]:
    """The installed plugins plus the toy, registered for this test only."""
    manager = get_plugin_manager(env={})
    register(manager, toy, toy.name)
    try:
        yield manager
    finally:
        manager.unregister(name=toy.name)
