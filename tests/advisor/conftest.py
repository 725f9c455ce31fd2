"""The advisor on its own (no MCP) against the fake Hub, under both readings of Hub's ``ordering``
sign, judged on a fixed date."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest

from hub_mcp.advisor.suggest import Advisor
from hub_mcp.hub.auth import HubAuth
from hub_mcp.hub.client import HubClient
from hub_mcp.net.http import HttpClient
from tests.fakes.hub import FakeHub

TODAY = date(2026, 11, 26)
HUB = "https://hub.docker.com"


@pytest.fixture(params=["documented", "django"])
def hub(request: pytest.FixtureRequest) -> FakeHub:
    """Both readings of Hub's ``ordering`` sign: the advisor's picks must not depend on it."""
    return FakeHub(enforce_rate_limit=False, ordering_convention=request.param)


@pytest.fixture
async def advisor(hub: FakeHub) -> AsyncIterator[Advisor]:
    async with HttpClient(transport=httpx.ASGITransport(app=hub.app)) as http:
        yield Advisor(HubClient(http, HUB, HubAuth(http, HUB, None, None)), today=lambda: TODAY)
