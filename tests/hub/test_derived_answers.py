"""A warm get_tag reuses the answer made from the same cached upstream answers (same day), and
makes a new one when any of them changed (cache expired, a push) or the day did."""

from __future__ import annotations

from datetime import date

import httpx

from hub_mcp.hub.auth import HubAuth
from hub_mcp.hub.service import HubService
from hub_mcp.net.http import HttpClient
from tests.fakes.hub import FakeHub

HUB = "https://hub.docker.com"


async def test_the_same_upstream_answers_give_the_same_answer_object_until_they_change() -> None:
    hub = FakeHub(enforce_rate_limit=False)
    today = [date(2026, 11, 30)]
    async with HttpClient(transport=httpx.ASGITransport(app=hub.app)) as http:
        from hub_mcp.hub.client import HubClient

        service = HubService(HubClient(http, HUB, HubAuth(http, HUB, None, None)), today=lambda: today[0])
        first = await service.get_tag("python", "3.12-slim")
        again = await service.get_tag("python", "3.12-slim")
        missing = await service.get_tag("python", "3.99")
        missing_again = await service.get_tag("python", "3.99")
        assert again is first and missing_again is missing and not missing.exists
        service.client.cache.clear()  # expired upstream answers: fetched again, the answer made again
        fresh = await service.get_tag("python", "3.12-slim")
        assert fresh is not first and fresh == first
        today[0] = date(2026, 12, 1)  # another day: end of life and staleness are judged again
        next_day = await service.get_tag("python", "3.12-slim")
        assert next_day is not fresh


def test_a_digest_given_for_a_tag_without_one_is_not_judged() -> None:
    """A tag the registry gave no digest for: the digest asked about is neither confirmed nor denied."""
    from hub_mcp.answers.views import TagInfo

    info = TagInfo(repository="python", tag="2", exists=True, reference="python:2", message="python:2 exists.")
    checked = HubService.check_digest(info, "sha256:" + "ab" * 32)
    assert checked.digest_matches is None
    assert checked.message == (
        f"The digest you gave (sha256:{'ab' * 32}) could not be checked: the registry gave none for python:2."
        " python:2 exists."
    )
    assert HubService.check_digest(info, None) is info
