"""Fixtures: the MCP server wired to the fake Hub in-process, reached through mcp.Client.

Every tool test runs under both readings of Docker Hub's ``ordering`` (``documented``:
``last_updated`` is newest first, as hub-api.md says; ``django``: the reverse, as many public
scripts assume), so no answer that depends on "newest" bets on the sign; and in both client
modes: ``auto`` (the 2026 in-process path) and ``legacy`` (JSON-RPC over memory streams, the
initialize handshake).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from mcp import Client

from hub_mcp.config.settings import Settings
from hub_mcp.server import create_server
from tests.fakes.hub import FakeHub

ALICE_PAT = "dckr_pat_alice_s3cret_value"


ORDERING_READINGS = ("documented", "django")


@pytest.fixture(params=ORDERING_READINGS)
def reading(request: pytest.FixtureRequest) -> str:
    """How the fake Hub reads ``ordering``: the documented direction, or the reverse."""
    return request.param


@pytest.fixture
def hub(reading: str) -> FakeHub:
    return FakeHub(users={"alice": ALICE_PAT}, ordering_convention=reading)  # type: ignore[arg-type]


def make_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {"hub_url": "https://hub.docker.com", "max_retries": 3, "retry_max_wait": 5}
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(params=["auto", "legacy"])
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


@asynccontextmanager
async def client_of(hub: FakeHub, mode: str = "auto", **settings: Any) -> AsyncIterator[Client]:
    """An MCP client session to a server reading ``hub`` (for tests that need a fake with other switches)."""
    server = create_server(make_settings(**settings), hub_transport=httpx.ASGITransport(app=hub.app))
    async with Client(server, mode=mode) as c:
        yield c


@pytest.fixture
async def client(hub: FakeHub, mode: str) -> AsyncIterator[Client]:
    server = create_server(make_settings(), hub_transport=httpx.ASGITransport(app=hub.app))
    async with Client(server, mode=mode) as c:
        yield c


@pytest.fixture
async def alice(hub: FakeHub, mode: str) -> AsyncIterator[Client]:
    settings = make_settings(username="alice", pat_token=ALICE_PAT)
    server = create_server(settings, hub_transport=httpx.ASGITransport(app=hub.app))
    async with Client(server, mode=mode) as c:
        yield c
