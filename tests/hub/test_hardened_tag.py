"""get_tag's hardened equivalent costs no upstream request without a dhi.io login and changes nothing else in the
answer (the services as the server builds them, Hub faked)."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from hub_mcp.answers.views import TagInfo
from hub_mcp.config.settings import Settings
from hub_mcp.hardened import service as hardened_service
from hub_mcp.runtime import Runtime
from tests.fakes.hub import FakeHub

HUB = "https://hub.docker.com"


async def _get_tag(repository: str, tag: str) -> tuple[int, TagInfo]:
    hub = FakeHub(enforce_rate_limit=False)
    runtime = Runtime(
        Settings(hub_url=HUB, no_docker_config=True),
        hub_transport=httpx.ASGITransport(app=hub.app),
        today=date(2026, 11, 30),
    )
    try:
        info = await (await runtime.services()).get_tag(repository, tag)
    finally:
        await runtime.aclose()
    return len(hub.requests), info


@pytest.mark.parametrize(("repository", "tag"), [("python", "3.12-slim"), ("node", "22-alpine"), ("python", "3.99")])
async def test_the_equivalent_costs_no_request(monkeypatch: pytest.MonkeyPatch, repository: str, tag: str) -> None:
    sent, info = await _get_tag(repository, tag)
    monkeypatch.setattr(hardened_service, "equivalent_for", lambda *args, **kwargs: None)
    sent_without, plain = await _get_tag(repository, tag)
    assert sent == sent_without
    assert info.model_copy(update={"hardened": None}) == plain
    assert (info.hardened is not None) == info.exists
    if info.hardened is not None:
        assert info.hardened.exact and info.hardened.variant is None  # reference and exact only
        assert info.hardened.verified is None  # no login for dhi.io: not checked live
        assert ("alpine" in info.hardened.reference) == ("alpine" in tag)
