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


@pytest.mark.parametrize(("repository", "tag"), [("mysql", "lts"), ("python", "latest")])
async def test_a_channel_tag_is_asked_as_the_line_its_aliases_name(repository: str, tag: str) -> None:
    """mysql:lts and python:latest stand on whatever line their digest is tagged with today (the fake Hub's aliases),
    not on DHI's own channel tags or the newest line DHI has: the equivalent is that line's, exact."""
    _, info = await _get_tag(repository, tag)
    assert info.exists and info.aliases, info
    versioned = [a for a in info.aliases if a[0].isdigit()]
    line = ".".join(versioned[0].split("-")[0].split(".")[:2])  # the most precise alias, cut to its line
    assert info.hardened is not None and info.hardened.exact
    assert info.hardened.reference.startswith(f"dhi.io/{repository}:{line}-"), (info.aliases, info.hardened)


async def test_a_review_line_on_a_channel_tag_gets_the_equivalent_of_the_line_it_stands_on() -> None:
    from hub_mcp.advisor.requests import ReviewRequest

    hub = FakeHub(enforce_rate_limit=False)
    runtime = Runtime(
        Settings(hub_url=HUB, no_docker_config=True), hub_transport=httpx.ASGITransport(app=hub.app), today=date(2026, 11, 30)
    )
    try:
        services = await runtime.services()
        lts = await services.get_tag("mysql", "lts")
        review = await services.review(ReviewRequest(dockerfile="FROM mysql:lts AS db\nFROM mysql:lts\n"))
    finally:
        await runtime.aclose()
    assert lts.aliases and lts.hardened is not None
    line = lts.aliases[0].split(".")[:2]
    build, final = review.from_lines
    assert final.hardened is not None and final.hardened.reference == lts.hardened.reference
    assert final.hardened.reference.startswith(f"dhi.io/mysql:{'.'.join(line)}-") and final.hardened.exact
    assert build.hardened is not None and build.hardened.reference == f"{final.hardened.reference}-dev"


async def test_a_review_line_whose_tag_does_not_exist_names_no_equivalent() -> None:
    from hub_mcp.advisor.requests import ReviewRequest

    hub = FakeHub(enforce_rate_limit=False)
    runtime = Runtime(
        Settings(hub_url=HUB, no_docker_config=True), hub_transport=httpx.ASGITransport(app=hub.app), today=date(2026, 11, 30)
    )
    try:
        review = await (await runtime.services()).review(ReviewRequest(dockerfile="FROM python:3.99\n"))
    finally:
        await runtime.aclose()
    [line] = review.from_lines
    assert line.verdict == "fail" and line.hardened is None
