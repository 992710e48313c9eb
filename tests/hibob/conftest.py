from __future__ import annotations

from collections.abc import Iterator

import pytest

from framework.host.context import ConnectorContext
from framework.host.http import HttpPolicy
from tests.hibob.fake_hibob import FakeHibob, fake_hibob

NO_RETRY = HttpPolicy(max_retries=0, read_timeout=5.0, connect_timeout=2.0)


@pytest.fixture
def fake() -> Iterator[FakeHibob]:
    with fake_hibob() as server:
        yield server


@pytest.fixture
def ctx(fake: FakeHibob) -> ConnectorContext:
    """A run context pointed at the fake server, failing at once instead of retrying."""
    return ConnectorContext(
        config={
            "hibob-base-url": fake.base_url,
            "hibob-service-user-id": "svc-1",
            "hibob-service-user-token": "secret-token",
        },
        http_policy=NO_RETRY,
    )
