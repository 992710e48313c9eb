"""Fixtures of the SCIM tests: scim2-server on loopback, seeded with :data:`TENANT`, and the CLI.

The server is the real, independent implementation from PyPI (``scim2-server``),
started as a child process on a free port with a random bearer token and
seeded through its own SCIM API; it is shared by a module's tests, which only read it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from plugins.scim.upstream import ScimServer
from tests.cli import Cli, python_env
from tests.e2e.conftest import ROOT
from tests.scim.tenant import TENANT


@dataclass(frozen=True)
class Seeded:
    """A running, seeded server and the SCIM ids it gave each account and team."""

    server: ScimServer
    ids: dict[str, str]

    @property
    def env(self) -> dict[str, str]:
        """The variables a real provider is configured with."""
        return {"BATON_SCIM_BASE_URL": self.server.base_url, "BATON_SCIM_BEARER_TOKEN": self.server.token}

    @property
    def config(self) -> dict[str, str]:
        return {"scim-base-url": self.server.base_url, "scim-bearer-token": self.server.token}


@pytest.fixture(scope="module")
def seeded() -> Iterator[Seeded]:
    with ScimServer() as server:
        yield Seeded(server, server.seed(TENANT))


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """``python -m framework`` in ``tmp_path``, with no ``BATON_*`` variable of this shell."""
    return Cli(python_env(ROOT), tmp_path)
