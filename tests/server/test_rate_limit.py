"""get_rate_limit and dockerhub://rate-limit through mcp.Client, against real parts: Docker Hub's registry is a front
that sets the pull rate-limit headers as Docker documents them (tests/fakes/ratelimit_front.py) before a real
docker-registry, Docker Hub's API is the fake Hub with its X-RateLimit-* headers. The answer's numbers are the
headers' own; when a budget is low, answers of other tools carry a notice."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from mcp import Client

from hub_mcp.server import create_server
from tests.conftest import Pushed
from tests.fakes import images
from tests.fakes.hub import FakeHub
from tests.fakes.ratelimit_front import RateLimitFront
from tests.server.conftest import ALICE_PAT, make_settings
from tests.server.test_tools import call

ANONYMOUS = "ip:127.0.0.1"  # httpx.ASGITransport's client address: what Docker counts anonymous pulls for
PROBE = "/v2/ratelimitpreview/test/manifests/latest"


@pytest.fixture(scope="module")
def upstream(registry: Pushed) -> Iterator[str]:
    """The real registry, holding the image Docker documents the check on (ratelimitpreview/test:latest)."""
    with registry.registry.client() as client:
        images.push_image(client, "ratelimitpreview/test", "latest", images.single_arch_image())
    yield registry.registry.url


@pytest.fixture
def front(upstream: str) -> RateLimitFront:
    return RateLimitFront(upstream, users={"alice": ALICE_PAT, "payer": ALICE_PAT}, paid=frozenset({"payer"}))


@pytest.fixture
def hub() -> FakeHub:
    return FakeHub(users={"alice": ALICE_PAT, "payer": ALICE_PAT})


@asynccontextmanager
async def client_of(hub: FakeHub, front: RateLimitFront | None, **settings: Any) -> AsyncIterator[Client]:
    """A client of a server whose Hub is ``hub`` and whose docker.io registry is ``front`` (``None``: the network
    at ``registry_url``)."""
    server = create_server(
        make_settings(**settings),
        hub_transport=httpx.ASGITransport(app=hub.app),
        registry_transport=httpx.ASGITransport(app=front.app) if front is not None else None,
    )
    async with Client(server) as c:
        yield c


async def test_anonymous_status_is_exact_against_the_headers(hub: FakeHub, front: RateLimitFront) -> None:
    async with client_of(hub, front) as client:
        status = await call(client, "get_rate_limit")
    pulls, api = status["pulls"], status["hub_api"]
    assert pulls["headers"] == {
        "ratelimit-limit": "100;w=21600",
        "ratelimit-remaining": "100;w=21600",
        "docker-ratelimit-source": "127.0.0.1",
    }
    assert (pulls["state"], pulls["limit"], pulls["remaining"], pulls["window_seconds"], pulls["source"]) == (
        "known", 100, 100, 21600, "127.0.0.1")
    assert pulls["counted_for"].startswith("anonymous") and pulls["low"] is False and "reason" not in pulls
    assert pulls["how"].startswith("HEAD https://registry-1.docker.io" + PROBE)
    # the check is a HEAD, asked with an anonymous token for the documented scope, and it cost no pull
    assert [(r.method, r.path) for r in front.requests if r.who != "-"] == [("HEAD", PROBE)]
    assert front.tokens_issued == [None] and front.pulls(ANONYMOUS) == 0
    # no Hub answer had been seen: one HEAD of a public repository, and its headers are the answer's numbers
    assert [(r.method, r.path) for r in hub.requests] == [("HEAD", "/v2/namespaces/library/repositories/alpine")]
    sent = api["headers"]
    assert (api["state"], api["limit"], api["remaining"]) == (
        "known", int(sent["x-ratelimit-limit"]), int(sent["x-ratelimit-remaining"]))
    assert (api["limit"], api["remaining"]) == (180, 179) and api["counted_for"].startswith("anonymous")
    assert "made for this answer because no Docker Hub answer had been seen yet" in api["how"]
    assert "notices" not in status and status["low_when"] == "5 or fewer left, or 10% of the limit or less"


async def test_a_recent_hub_answer_is_read_without_a_request(hub: FakeHub, front: RateLimitFront) -> None:
    async with client_of(hub, front) as client:
        await call(client, "get_repository", repository="python")
        asked = len(hub.requests)
        status = await call(client, "get_rate_limit")
        again = await call(client, "get_rate_limit")
    assert len(hub.requests) == asked, "the last answer's headers were current: no Hub request for the status"
    assert status["hub_api"]["remaining"] == again["hub_api"]["remaining"] == 180 - asked
    assert "the last Docker Hub answer" in status["hub_api"]["how"]
    assert front.pulls(ANONYMOUS) == 0 and again["pulls"]["remaining"] == 100, "HEADs are not pulls"


async def test_logged_in_status_counts_for_the_account(hub: FakeHub, front: RateLimitFront) -> None:
    async with client_of(hub, front, username="alice", pat_token=ALICE_PAT) as client:
        status = await call(client, "get_rate_limit")
    pulls, api = status["pulls"], status["hub_api"]
    assert front.tokens_issued == ["alice"]
    assert (pulls["limit"], pulls["remaining"], pulls["window_seconds"]) == (200, 200, 21600)
    assert pulls["source"] == front.account_id("alice") and pulls["counted_for"].startswith("alice (")
    assert api["counted_for"].startswith("alice (") and api["state"] == "known"


async def test_a_paid_account_gets_no_headers_and_is_told_what_that_means(
    hub: FakeHub, front: RateLimitFront
) -> None:
    async with client_of(hub, front, username="payer", pat_token=ALICE_PAT) as client:
        status = await call(client, "get_rate_limit")
    pulls = status["pulls"]
    assert pulls["state"] == "not_limited" and pulls["counted_for"].startswith("payer")
    assert "limit" not in pulls and "remaining" not in pulls and "headers" not in pulls
    assert "paid Docker plan" in pulls["reason"] and "cannot tell which" in pulls["reason"]


async def test_missing_headers_on_both_sides_are_said(hub: FakeHub, front: RateLimitFront) -> None:
    front.style = "none"
    hub.rate_header_override = {"X-RateLimit-Limit": None, "X-RateLimit-Remaining": None, "X-RateLimit-Reset": None}
    async with client_of(hub, front) as client:
        status = await call(client, "get_rate_limit")
    assert status["pulls"]["state"] == "not_limited" and "sent no ratelimit-limit" in status["pulls"]["reason"]
    api = status["hub_api"]
    assert api["state"] == "unknown" and "limit" not in api and "without X-RateLimit-* headers" in api["reason"]


async def test_malformed_headers_are_unknown_with_the_reason_never_a_guess(
    hub: FakeHub, front: RateLimitFront
) -> None:
    front.override = {"ratelimit-remaining": "lots;w=21600"}
    hub.rate_header_override = {"X-RateLimit-Remaining": "12.5", "X-RateLimit-Reset": "soon"}
    async with client_of(hub, front) as client:
        status = await call(client, "get_rate_limit")
    pulls, api = status["pulls"], status["hub_api"]
    assert pulls["state"] == "unknown" and pulls["limit"] == 100 and "remaining" not in pulls
    assert "'lots;w=21600'" in pulls["reason"] and pulls["headers"]["ratelimit-remaining"] == "lots;w=21600"
    assert api["state"] == "unknown" and api["limit"] == 180 and "remaining" not in api and "resets_at" not in api
    assert "X-RateLimit-Remaining is '12.5'" in api["reason"] and "'soon'" in api["reason"]


async def test_headers_without_a_window_give_the_counts_and_no_window(hub: FakeHub, front: RateLimitFront) -> None:
    front.style = "bare"
    async with client_of(hub, front) as client:
        status = await call(client, "get_rate_limit")
    pulls = status["pulls"]
    assert pulls["headers"]["ratelimit-limit"] == "100" and pulls["headers"]["ratelimit-remaining"] == "100"
    assert (pulls["state"], pulls["limit"], pulls["remaining"]) == ("known", 100, 100)
    assert "window_seconds" not in pulls, "no ';w=': the window is not known, not assumed"


@pytest.mark.parametrize("style", ["documented", "bare"])
async def test_low_pulls_put_a_notice_on_every_answer(hub: FakeHub, front: RateLimitFront, style: str) -> None:
    front.style = style  # type: ignore[assignment]
    front.set_remaining(ANONYMOUS, 6)
    async with client_of(hub, front) as client:
        before = await call(client, "get_repository", repository="python")
        assert "notices" not in before
        # a pull (the manifest GET of an inspection) brings what remains to 5: the answer that spent it says so
        inspected = await call(client, "inspect_image", reference="ratelimitpreview/test:latest")
        assert front.remaining(ANONYMOUS) == 5
        status = await call(client, "get_rate_limit")
        other = await call(client, "get_repository", repository="python")
        resource = json.loads((await client.read_resource("dockerhub://namespaces/bitnami")).contents[0].text)
    for answer in (inspected, status, other, resource):
        notices = [n for n in answer.get("notices", []) if n.startswith("Docker Hub pulls are running low")]
        assert len(notices) == 1, answer.get("notices")
        window = " per 21600 s" if style == "documented" else ""
        assert f"5 of 100{window} left for this address (anonymous)" in notices[0]
        assert "HUB_USERNAME and HUB_PAT_TOKEN" in notices[0]
    assert status["pulls"]["remaining"] == 5 and status["pulls"]["low"] is True


@pytest.mark.parametrize("reading", ["pulls.md", "hub-api.md"])
async def test_the_status_and_the_low_notice_follow_the_headers_under_either_documented_limit(
    hub: FakeHub, upstream: str, reading: str
) -> None:
    """pulls.md says 100 (anonymous) per 6 hours, hub-api.md 10 per hour: the answer is the headers' numbers either
    way, and 'low' (5 or fewer, or 10 %) is judged on them."""
    front = RateLimitFront(upstream, reading=reading)  # type: ignore[arg-type]
    limit, window = front.anonymous_limit, front.window
    start = max(6, limit // 10 + 1)  # one above 'low' under both thresholds: 6 of 10, 11 of 100
    front.set_remaining(ANONYMOUS, start)
    async with client_of(hub, front) as client:
        status = await call(client, "get_rate_limit")
        assert (status["pulls"]["limit"], status["pulls"]["remaining"], status["pulls"]["window_seconds"]) == (
            limit, start, window)
        assert status["pulls"]["low"] is False and "notices" not in status
        await call(client, "inspect_image", reference="ratelimitpreview/test:latest")  # a pull: now low
        other = await call(client, "get_repository", repository="python")
    notice = next(n for n in other["notices"] if n.startswith("Docker Hub pulls are running low"))
    assert f"{start - 1} of {limit} per {window} s left for this address (anonymous)" in notice


async def test_pulls_used_up_say_so(hub: FakeHub, front: RateLimitFront) -> None:
    front.set_remaining("alice", 0)
    async with client_of(hub, front, username="alice", pat_token=ALICE_PAT) as client:
        status = await call(client, "get_rate_limit")
        other = await call(client, "list_tags", repository="python", limit=1)
    assert status["pulls"]["remaining"] == 0 and status["pulls"]["limit"] == 200
    notice = next(n for n in other["notices"] if n.startswith("Docker Hub pulls are used up"))
    assert "0 of 200 per 21600 s left for alice" in notice and "come back as the window moves on" in notice


async def test_low_hub_api_calls_put_a_notice_on_other_answers(front: RateLimitFront) -> None:
    hub = FakeHub(rate_limit=30, enforce_rate_limit=False)
    async with client_of(hub, front) as client:
        first = await call(client, "get_repository", repository="python")
        assert "notices" not in first
        hub._window_used = 24  # the window's calls spent elsewhere: get_tag's three requests leave 3 of 30
        second = await call(client, "get_tag", repository="python", tag="3.13-slim")
        status = await call(client, "get_rate_limit")  # reads the headers get_tag's last request got: no request
    notice = next(n for n in second["notices"] if n.startswith("Docker Hub API calls are running low"))
    remaining = status["hub_api"]["remaining"]
    assert remaining == int(status["hub_api"]["headers"]["x-ratelimit-remaining"]) == 30 - hub._window_used
    assert f": {remaining} of 30 left until {status['hub_api']['resets_at']} " in notice
    assert status["hub_api"]["low"] is True
    assert any(n.startswith("Docker Hub API calls are running low") for n in status["notices"])


async def test_a_hub_reading_whose_window_passed_is_asked_again(hub: FakeHub, front: RateLimitFront) -> None:
    hub.rate_header_override = {"X-RateLimit-Reset": "1000000000"}  # 2001: that window is long over
    async with client_of(hub, front) as client:
        await call(client, "get_repository", repository="python")
        asked = len(hub.requests)
        status = await call(client, "get_rate_limit")
    assert len(hub.requests) == asked + 1 and hub.requests[-1].method == "HEAD"
    assert "the last reading's window had passed" in status["hub_api"]["how"]
    assert "notices" not in status


async def test_the_resource_gives_the_same_status(hub: FakeHub, front: RateLimitFront) -> None:
    async with client_of(hub, front) as client:
        listed = {str(r.uri): r.mime_type for r in (await client.list_resources()).resources}
        read = await client.read_resource("dockerhub://rate-limit")
    assert listed == {"dockerhub://rate-limit": "application/json"}
    data = json.loads(read.contents[0].text)
    assert read.contents[0].mime_type == "application/json"
    assert data["pulls"]["limit"] == 100 and data["pulls"]["window_seconds"] == 21600
    assert data["hub_api"]["state"] == "known" and front.pulls(ANONYMOUS) == 0


async def test_an_unreachable_registry_still_answers_the_hub_part(hub: FakeHub) -> None:
    async with client_of(hub, None, registry_url="http://127.0.0.1:9") as client:
        status = await call(client, "get_rate_limit")
    assert status["pulls"]["state"] == "unknown" and "cannot be reached" in status["pulls"]["reason"]
    assert status["hub_api"]["state"] == "known"


async def test_rejected_credentials_are_checked_anonymously_and_said(hub: FakeHub, front: RateLimitFront) -> None:
    async with client_of(hub, front, username="alice", pat_token="dckr_pat_not_the_right_one") as client:
        status = await call(client, "get_rate_limit")
    assert front.tokens_issued == [None], "the refused login was not used: the check went anonymously"
    assert status["pulls"]["limit"] == 100 and status["pulls"]["counted_for"].startswith("anonymous")
    assert any("rejected the credentials" in n for n in status["notices"])
