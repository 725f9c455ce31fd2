"""get_tag's hardened equivalent costs no upstream request and changes nothing else in the answer."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from hub_mcp.answers.views import TagInfo
from hub_mcp.hub import service as service_module
from hub_mcp.hub.auth import HubAuth
from hub_mcp.hub.client import HubClient
from hub_mcp.hub.service import HubService
from hub_mcp.net.http import HttpClient
from tests.fakes.hub import FakeHub

HUB = "https://hub.docker.com"


async def _get_tag(repository: str, tag: str) -> tuple[int, TagInfo]:
    hub = FakeHub(enforce_rate_limit=False)
    async with HttpClient(transport=httpx.ASGITransport(app=hub.app)) as http:
        service = HubService(HubClient(http, HUB, HubAuth(http, HUB, None, None)), today=lambda: date(2026, 11, 30))
        info = await service.get_tag(repository, tag)
    return len(hub.requests), info


@pytest.mark.parametrize(("repository", "tag"), [("python", "3.12-slim"), ("node", "22-alpine"), ("python", "3.99")])
async def test_the_equivalent_costs_no_request(monkeypatch: pytest.MonkeyPatch, repository: str, tag: str) -> None:
    sent, info = await _get_tag(repository, tag)
    monkeypatch.setattr(service_module, "_hardened", lambda repository, tag: None)
    sent_without, plain = await _get_tag(repository, tag)
    assert sent == sent_without
    assert info.model_copy(update={"hardened": None}) == plain
    assert (info.hardened is not None) == info.exists
    if info.hardened is not None:
        assert info.hardened.exact and info.hardened.variant is None  # reference and exact only
        assert ("alpine" in info.hardened.reference) == ("alpine" in tag)
