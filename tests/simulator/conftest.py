"""Shared fixtures: one demo company per session, a fresh simulator per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from plugins.hibob.simulator import Company, EdgeCases, Simulator, demo_company, find_edge_cases


@pytest.fixture(scope="session")
def demo() -> Company:
    """The demo company; tests must not mutate it (build their own to do so)."""
    return demo_company()


@pytest.fixture(scope="session")
def edges(demo: Company) -> EdgeCases:
    return find_edge_cases(demo)


@pytest.fixture
def sim(demo: Company) -> Iterator[Simulator]:
    """A simulator without rate limiting, so tests can call as often as they like."""
    with Simulator(demo, rate_limit_per_minute=None) as simulator:
        yield simulator


@pytest.fixture
def http(sim: Simulator) -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.auth = sim.auth
        yield session


def search(http: requests.Session, sim: Simulator, **body: Any) -> list[dict[str, Any]]:
    """POST a people search and return its employees, insisting on a 200."""
    response = http.post(f"{sim.base_url}/people/search", json=body, timeout=30)
    assert response.status_code == 200, response.text
    employees: list[dict[str, Any]] = response.json()["employees"]
    return employees


def by_id(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {record["/root/id"]["value"]: record for record in records}
