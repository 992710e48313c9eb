from __future__ import annotations

from collections.abc import Iterator

import pytest

from framework.host.plugins import ConnectorManager
from tests.toy import Toy, registered


@pytest.fixture
def toy() -> Toy:
    return Toy.teams()


@pytest.fixture
def pm(toy: Toy) -> Iterator[ConnectorManager]:
    """The installed plugins plus the teams toy, registered for this test only."""
    with registered(toy) as manager:
        yield manager
