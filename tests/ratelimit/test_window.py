"""How long a pull reading without ``;w=`` keeps a low notice: the documents disagree (pulls.md: 6 hours;
../shared/docs/hub-api.md: per hour), so the shorter holds. Under the hourly reading a notice never outlives a
reset; under the 6-hour one it ends early, which costs a notice, never a wrong one."""

from __future__ import annotations

import time

import pytest

from hub_mcp.hub.auth import HubAuth
from hub_mcp.hub.client import HubClient
from hub_mcp.net.http import HttpClient, RateHeaders
from hub_mcp.ratelimit.status import PULL_WINDOW, RateLimits
from hub_mcp.registry.client import RegistryClient

HUB = "https://hub.docker.com"


@pytest.mark.parametrize(
    ("age", "window", "noticed"),
    [
        (1800, "", True),  # half an hour: current under both readings
        (2 * 3600, "", False),  # two hours: past an hourly window; under 6 hours it would still hold (ends early)
        (2 * 3600, ";w=21600", True),  # the header gives its window: that one holds
        (7 * 3600, ";w=21600", False),
    ],
)
async def test_a_low_pull_reading_is_noticed_for_its_window(age: float, window: str, noticed: bool) -> None:
    assert PULL_WINDOW == 3600
    async with HttpClient() as hub_http, HttpClient() as registry_http:
        hub = HubClient(hub_http, HUB, HubAuth(hub_http, HUB, None, None))
        registry = RegistryClient(registry_http)
        limits = RateLimits(hub, registry)
        registry_http.rate_headers[limits.registry_host] = RateHeaders(
            values={"ratelimit-limit": f"100{window}", "ratelimit-remaining": f"3{window}"},
            seen_at=time.time() - age,
        )
        notices = limits.notices()
    assert bool(notices) is noticed, notices
    if noticed:
        assert "3 of 100" in notices[0]
