"""The answer cache and rate-limit budget shared by replicas, against a real redis-server.

Each "replica" here is a separate :class:`Runtime` (its own HTTP clients, its own Redis pool)
reading the same fake Hub; tests/e2e/test_shared_cache.py does the same with two processes.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import httpx
import pytest

from hub_mcp.config.settings import Settings
from hub_mcp.errors import NotFound, RateLimited, Upstream
from hub_mcp.hub.models import Tag
from hub_mcp.net.http import HttpClient, RateLimit
from hub_mcp.net.shared_state import (
    Codec,
    RedisLink,
    SharedAnswerCache,
    SharedRateBudget,
    credentials_scope,
    describe_url,
)
from hub_mcp.runtime import Runtime
from tests.fakes.hub import FakeHub
from tests.server.conftest import ALICE_PAT

HUB = "https://hub.docker.com"


@pytest.fixture
def hub() -> FakeHub:
    return FakeHub(users={"alice": ALICE_PAT}, enforce_rate_limit=False)


def replica(hub: FakeHub, cache_url: str | None, **settings: Any) -> Runtime:
    values: dict[str, Any] = {"hub_url": HUB, "retry_max_wait": 1, "cache_url": cache_url}
    values.update(settings)
    return Runtime(Settings(**values), hub_transport=httpx.ASGITransport(app=hub.app))


def upstream(hub: FakeHub, path: str) -> int:
    return sum(1 for r in hub.requests if r.path == path)


TAG_PATH = "/v2/namespaces/library/repositories/python/tags/3.12-slim"


async def ask_everything(runtime: Runtime) -> list[Any]:
    services = await runtime.services()
    return [
        (await services.get_tag("python", "3.12-slim")).model_dump(),
        (await services.list_tags("node", limit=3)).model_dump(),
        (await services.hub.get_repository("python")).model_dump(),
        (await services.hub.search_images("python", limit=3)).model_dump(),
    ]


async def test_two_replicas_ask_docker_hub_once_for_the_same_questions(hub: FakeHub, fresh_redis: str) -> None:
    a, b = replica(hub, fresh_redis), replica(hub, fresh_redis)
    try:
        first = await ask_everything(a)
        asked = len(hub.requests)
        second = await ask_everything(b)
    finally:
        await a.aclose()
        await b.aclose()
    assert second == first  # every model came back from Redis whole
    assert asked > 0 and len(hub.requests) == asked


async def test_without_the_shared_cache_each_replica_asks(hub: FakeHub) -> None:
    a, b = replica(hub, None), replica(hub, None)
    try:
        await (await a.services()).get_tag("python", "3.12-slim")
        await (await b.services()).get_tag("python", "3.12-slim")
    finally:
        await a.aclose()
        await b.aclose()
    assert upstream(hub, TAG_PATH) == 2


async def test_concurrent_identical_requests_on_two_replicas_collapse_into_one(hub: FakeHub, fresh_redis: str) -> None:
    hub.latency = 0.3  # long enough that both replicas ask while the first load is running
    a, b = replica(hub, fresh_redis), replica(hub, fresh_redis)
    try:
        sa, sb = await a.services(), await b.services()
        answers = await asyncio.gather(*(s.get_tag("python", "3.12-slim") for s in (sa, sb, sa, sb)))
    finally:
        await a.aclose()
        await b.aclose()
    assert upstream(hub, TAG_PATH) == 1
    assert all(answer == answers[0] for answer in answers)


async def test_a_404_is_shared_too(hub: FakeHub, fresh_redis: str) -> None:
    a, b = replica(hub, fresh_redis), replica(hub, fresh_redis)
    path = "/v2/namespaces/nosuch/repositories/thing"
    try:
        with pytest.raises(NotFound) as on_a:
            await (await a.services()).hub.client.get_repository("nosuch", "thing")
        with pytest.raises(NotFound) as on_b:
            await (await b.services()).hub.client.get_repository("nosuch", "thing")
    finally:
        await a.aclose()
        await b.aclose()
    assert str(on_b.value) == str(on_a.value) and "does not exist" in str(on_a.value)
    assert upstream(hub, path) == 1


async def test_replicas_with_other_credentials_never_share_answers(hub: FakeHub, fresh_redis: str) -> None:
    alice = replica(hub, fresh_redis, username="alice", pat_token=ALICE_PAT)
    anonymous = replica(hub, fresh_redis)
    other_token = replica(hub, fresh_redis, username="alice", pat_token="dckr_pat_another_one")
    try:
        for runtime in (alice, anonymous, other_token):
            await (await runtime.services()).get_tag("python", "3.12-slim")
    finally:
        for runtime in (alice, anonymous, other_token):
            await runtime.aclose()
    assert upstream(hub, TAG_PATH) == 3


def test_the_credentials_scope_depends_on_the_token_but_does_not_show_it() -> None:
    alice = credentials_scope(HUB, "alice", ALICE_PAT)
    assert alice == credentials_scope(HUB + "/", "Alice", ALICE_PAT)
    assert alice != credentials_scope(HUB, "alice", "dckr_pat_other")
    assert alice != credentials_scope("https://hub.example.com", "alice", ALICE_PAT)
    assert alice != credentials_scope(HUB, None, None) and ALICE_PAT not in alice


async def test_redis_down_falls_back_to_this_process_with_a_warning_and_a_notice(
    hub: FakeHub, dead_redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    runtime = replica(hub, dead_redis_url)
    try:
        with caplog.at_level(logging.WARNING, logger="hub_mcp.net.shared_state"):
            services = await runtime.services()
            first = await services.get_tag("python", "3.12-slim")
            again = await services.get_tag("python", "3.12-slim")
            notices = services.notices()
    finally:
        await runtime.aclose()
    assert first == again and first.exists
    assert upstream(hub, TAG_PATH) == 1  # kept in the process meanwhile
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "caching in this process only" in warnings[0]
    assert any("shared cache (HUB_MCP_CACHE_URL" in n for n in notices)


async def test_redis_down_answers_through_the_server_with_the_notice(hub: FakeHub, dead_redis_url: str) -> None:
    from mcp import Client

    from hub_mcp.server import create_server

    settings = Settings(hub_url=HUB, cache_url=dead_redis_url, retry_max_wait=1)
    server = create_server(settings, hub_transport=httpx.ASGITransport(app=hub.app))
    async with Client(server, mode="legacy") as client:
        result = await client.call_tool("get_tag", {"repository": "python:3.12-slim"})
    assert not result.is_error and result.structured_content["exists"] is True
    assert any("shared cache" in notice for notice in result.structured_content["notices"])


async def test_a_password_in_the_url_never_reaches_the_log(caplog: pytest.LogCaptureFixture) -> None:
    url = "redis://:p4ssw0rd@127.0.0.1:1/0"
    assert describe_url(url) == "127.0.0.1:1"
    link = RedisLink(url)
    cache: SharedAnswerCache[str, Tag] = SharedAnswerCache(link, "scope", (Tag,))

    async def load() -> Tag:
        return Tag(name="x")

    with caplog.at_level(logging.DEBUG, logger="hub_mcp.net.shared_state"):
        assert (await cache.get_or_load("k", 10, load)).name == "x"
    await link.aclose()
    assert caplog.records and all("p4ssw0rd" not in r.getMessage() for r in caplog.records)


async def test_a_loader_that_fails_lets_the_waiting_replica_load_itself(fresh_redis: str) -> None:
    a = SharedAnswerCache(RedisLink(fresh_redis), "s", (Tag,), lock_seconds=10)
    b = SharedAnswerCache(RedisLink(fresh_redis), "s", (Tag,), lock_seconds=10)
    calls: list[str] = []

    async def failing() -> Tag:
        calls.append("a")
        await asyncio.sleep(0.2)
        raise Upstream("Docker Hub failed")

    async def working() -> Tag:
        calls.append("b")
        return Tag(name="ok")

    try:
        task_a = asyncio.create_task(a.get_or_load("k", 30, failing))
        await asyncio.sleep(0.05)  # a holds the lock
        started = time.monotonic()
        value = await b.get_or_load("k", 30, working)
        with pytest.raises(Upstream):
            await task_a
    finally:
        await a.link.aclose()
        await b.link.aclose()
    assert value.name == "ok" and calls == ["a", "b"]
    assert time.monotonic() - started < 5  # b did not wait for the lock to expire


def test_the_codec_reads_only_the_models_it_was_given() -> None:
    codec = Codec([Tag])
    data = codec.encode(Tag(name="3.12", digest="sha256:abc"))
    assert data is not None and codec.decode(data) == (Tag(name="3.12", digest="sha256:abc"), None)
    assert codec.encode({"not": "a model"}) is None
    assert codec.decode(b'{"type":"Repository","value":{}}') is None  # a type it was not given
    assert codec.decode(b"\x80\x04pickle") is None and codec.decode(b"[]") is None
    error = codec.encode_error(NotFound("python:3.99 does not exist on Docker Hub."))
    assert error is not None
    value, kept = codec.decode(error)  # type: ignore[misc]
    assert value is None and isinstance(kept, NotFound) and str(kept) == "python:3.99 does not exist on Docker Hub."
    assert codec.encode_error(Upstream("temporary")) is None


async def test_replicas_spend_one_rate_limit_budget(fresh_redis: str) -> None:
    """Two clients (two replicas) with a budget of 2 left: the third request waits for the reset
    (here: refuses, the reset being far off) instead of being sent for a 429."""
    reset = int(time.time()) + 300
    sent: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.path)
        left = max(0, 2 - len(sent))
        headers = {"X-RateLimit-Limit": "180", "X-RateLimit-Remaining": str(left), "X-RateLimit-Reset": str(reset)}
        return httpx.Response(200, json={}, headers=headers)

    links = [RedisLink(fresh_redis), RedisLink(fresh_redis)]
    clients = [
        HttpClient(transport=httpx.MockTransport(answer), retry_max_wait=1, budget=SharedRateBudget(link, "s"))
        for link in links
    ]
    try:
        await clients[0].send("GET", "https://hub.docker.com/one")  # learns: 1 left
        await clients[1].send("GET", "https://hub.docker.com/two")  # takes the last one
        with pytest.raises(RateLimited) as refused:
            await clients[0].send("GET", "https://hub.docker.com/three")
    finally:
        for client in clients:
            await client.aclose()
        for link in links:
            await link.aclose()
    assert sent == ["/one", "/two"]
    assert "resets in" in str(refused.value)


async def test_the_budget_counts_requests_not_yet_answered(fresh_redis: str) -> None:
    link = RedisLink(fresh_redis)
    budget = SharedRateBudget(link, "s")
    reset = time.time() + 60
    try:
        assert await budget.spend("hub.docker.com") is None  # nothing known yet
        await budget.record("hub.docker.com", RateLimit(limit=10, remaining=3, reset_at=reset))
        taken = [await budget.spend("hub.docker.com") for _ in range(4)]
        # a late answer from before those requests does not give them back within the window
        await budget.record("hub.docker.com", RateLimit(limit=10, remaining=2, reset_at=reset))
        after_late = await budget.spend("hub.docker.com")
        # a new window does
        await budget.record("hub.docker.com", RateLimit(limit=10, remaining=9, reset_at=reset + 60))
        new_window = await budget.spend("hub.docker.com")
        await budget.record("other.host", RateLimit(limit=10, remaining=0, reset_at=time.time() - 1))
        past_reset = await budget.spend("other.host")
    finally:
        await link.aclose()
    assert [t.remaining for t in taken if t] == [3, 2, 1, 0]
    assert after_late is not None and after_late.remaining == -1
    assert new_window is not None and (new_window.remaining, new_window.limit) == (9, 10)
    assert past_reset is None  # a window that has reset says nothing any more


def writable_hub() -> FakeHub:
    return FakeHub(users={"alice": ALICE_PAT}, scopes={"alice": "repo:admin"}, enforce_rate_limit=False)


async def test_a_write_on_one_replica_is_seen_by_the_other_at_once(
    fresh_redis: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write moves the shared epoch on: the other replica's next list misses what Redis held
    before the write. (Local copies live LOCAL_COPY_SECONDS; 0 here, so 'at once' is testable.)"""
    import hub_mcp.net.shared_state as shared_state

    monkeypatch.setattr(shared_state, "LOCAL_COPY_SECONDS", 0.0)
    hub = writable_hub()
    a = replica(hub, fresh_redis, username="alice", pat_token=ALICE_PAT)
    b = replica(hub, fresh_redis, username="alice", pat_token=ALICE_PAT)
    try:
        before = await (await a.services()).management.list_repositories("alice")
        again = await (await b.services()).management.list_repositories("alice")  # from Redis
        listed = sum(1 for r in hub.requests if r.path == "/v2/namespaces/alice/repositories")
        await (await b.services()).management.create_repository("fresh-app", namespace="alice")
        after = await (await a.services()).management.list_repositories("alice")
    finally:
        await a.aclose()
        await b.aclose()
    names = lambda result: {row.name for row in result.repositories}  # noqa: E731
    assert names(again) == names(before) and listed == 1  # the second replica was answered from Redis
    assert "fresh-app" not in names(before) and "fresh-app" in names(after)


async def test_a_write_without_redis_still_drops_this_process_copies(dead_redis_url: str) -> None:
    hub = writable_hub()
    a = replica(hub, dead_redis_url, username="alice", pat_token=ALICE_PAT)
    try:
        services = await a.services()
        await services.management.list_repositories("alice")
        await services.management.create_repository("fresh-app", namespace="alice")
        after = await services.management.list_repositories("alice")
    finally:
        await a.aclose()
    assert "fresh-app" in {row.name for row in after.repositories}
