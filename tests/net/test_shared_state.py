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


# --- what Redis holds is not trusted (issue 17) ---------------------------------------------------

KEY = "5f1c0e7a9b2d4c6e8f0a1b3c5d7e9f21-shared-by-the-replicas"
OTHER_KEY = "0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d-another-replicas-key"
FAKE_DIGEST = "sha256:" + "e" * 64


def answer_entries(url: str) -> dict[bytes, bytes]:
    """Every answer the replicas stored in Redis, by its Redis key (read the way an attacker would)."""
    import redis

    with redis.Redis.from_url(url) as client:
        return {name: client.get(name) for name in client.scan_iter(match="hub-mcp:*:answer:*")}


def overwrite(url: str, entries: dict[bytes, bytes]) -> None:
    import redis

    with redis.Redis.from_url(url) as client:
        for name, data in entries.items():
            client.set(name, data, keepttl=True)


async def digest_on(runtime: Runtime) -> str | None:
    return (await (await runtime.services()).get_tag("python", "3.12-slim")).digest


@pytest.mark.parametrize("signature", ["kept", "dropped"])
async def test_a_well_typed_answer_with_a_swapped_digest_written_into_redis_is_a_miss(
    hub: FakeHub, fresh_redis: str, signature: str
) -> None:
    """Someone who can write to Redis swaps the digest in stored answers (keeping the signature in front
    of it, or storing plain JSON as versions before signing did): a replica with the key does not serve
    it, but asks Docker Hub again."""
    a = replica(hub, fresh_redis, cache_key=KEY)
    try:
        real = await digest_on(a)
    finally:
        await a.aclose()
    assert real and real != FAKE_DIGEST
    stored = answer_entries(fresh_redis)
    swapped = {name: data.replace(real.encode(), FAKE_DIGEST.encode()) for name, data in stored.items()}
    if signature == "dropped":
        swapped = {name: data[data.index(b"{") :] for name, data in swapped.items()}
    assert any(FAKE_DIGEST.encode() in data for data in swapped.values())  # the attack reached an answer
    overwrite(fresh_redis, swapped)
    asked = upstream(hub, TAG_PATH)
    b = replica(hub, fresh_redis, cache_key=KEY)
    try:
        served = await digest_on(b)
    finally:
        await b.aclose()
    assert served == real
    assert upstream(hub, TAG_PATH) == asked + 1  # served from upstream instead


async def test_a_replica_with_another_key_sees_a_miss_and_warns_once_without_the_key(
    hub: FakeHub, fresh_redis: str, caplog: pytest.LogCaptureFixture
) -> None:
    a = replica(hub, fresh_redis, cache_key=KEY)
    b = replica(hub, fresh_redis, cache_key=OTHER_KEY)
    c = replica(hub, fresh_redis, cache_key=KEY)
    try:
        await ask_everything(a)
        asked = len(hub.requests)
        with caplog.at_level(logging.WARNING, logger="hub_mcp.net.shared_state"):
            await ask_everything(b)
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        asked_by_b = len(hub.requests) - asked
        await ask_everything(c)  # the same key as a (b has overwritten some entries meanwhile)
    finally:
        for runtime in (a, b, c):
            await runtime.aclose()
    assert asked_by_b == asked  # nothing a stored was used by b
    assert len(warnings) == 1 and "not signed with this server's HUB_MCP_CACHE_KEY" in warnings[0]
    assert KEY not in caplog.text and OTHER_KEY not in caplog.text


async def test_replicas_with_the_same_key_share_and_an_unsigned_replica_does_not_read_signed_entries(
    hub: FakeHub, fresh_redis: str
) -> None:
    a, b = replica(hub, fresh_redis, cache_key=KEY), replica(hub, fresh_redis, cache_key=KEY)
    unsigned = replica(hub, fresh_redis)
    try:
        await digest_on(a)
        await digest_on(b)
        shared = upstream(hub, TAG_PATH)
        await digest_on(unsigned)
    finally:
        for runtime in (a, b, unsigned):
            await runtime.aclose()
    assert shared == 1 and upstream(hub, TAG_PATH) == 2


@pytest.mark.parametrize("cache_key", [KEY, None])
async def test_a_deeply_nested_value_in_redis_is_a_miss(hub: FakeHub, fresh_redis: str, cache_key: str | None) -> None:
    """Even signed with the right key (or on a local Redis without one), a value nested past the reader's
    depth is a miss: the replica asks upstream instead of failing with a RecursionError until it expires."""
    a = replica(hub, fresh_redis, cache_key=cache_key)
    try:
        first = await ask_everything(a)
    finally:
        await a.aclose()
    asked = len(hub.requests)
    codec = Codec([Tag], cache_key.encode() if cache_key else None)
    deep = b'{"type":"Tag","value":{"name":' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
    overwrite(fresh_redis, {name: codec.seal(name.decode(), deep) for name in answer_entries(fresh_redis)})
    b = replica(hub, fresh_redis, cache_key=cache_key)
    try:
        again = await ask_everything(b)
    finally:
        await b.aclose()
    assert again == first
    assert len(hub.requests) == 2 * asked  # every answer came from upstream again


def test_a_signed_entry_opens_only_under_its_own_redis_key_and_with_the_same_key() -> None:
    """The signature covers the Redis key too: an answer copied under another key (another tag, another
    scope, another epoch) is a miss, like one sealed with another key or without one."""
    payload = Codec([Tag]).encode(Tag(name="3.12", digest="sha256:abc"))
    assert payload is not None
    signed, unsigned = Codec([Tag], KEY.encode()), Codec([Tag])
    sealed = signed.seal("hub-mcp:x:answer:s:0:aaa", payload)
    assert signed.open("hub-mcp:x:answer:s:0:aaa", sealed) == payload
    assert signed.open("hub-mcp:x:answer:s:0:bbb", sealed) is None
    assert Codec([Tag], OTHER_KEY.encode()).open("hub-mcp:x:answer:s:0:aaa", sealed) is None
    assert unsigned.open("hub-mcp:x:answer:s:0:aaa", sealed) is None
    assert signed.open("n", unsigned.seal("n", payload)) is None and signed.open("n", payload) is None
    assert unsigned.open("n", unsigned.seal("n", payload)) == payload and unsigned.open("n", payload) is None


@pytest.mark.parametrize(
    "poison",
    [
        {"limit": "lots", "remaining": "5", "reset_at": "{soon}"},  # not a number: was a ValueError in every call
        {"limit": "180", "remaining": "0", "reset_at": "{in_ten_years}"},  # would stop every replica for ten years
        {"limit": "180", "remaining": "0", "reset_at": "1e999"},
    ],
    ids=["not-a-number", "reset-in-ten-years", "reset-infinite"],
)
async def test_a_rate_limit_budget_written_into_redis_by_someone_else_is_unknown(
    fresh_redis: str, poison: dict[str, str]
) -> None:
    import redis

    from hub_mcp.net.shared_state import PREFIX

    now = time.time()
    values = {k: v.format(soon=now + 60, in_ten_years=now + 10 * 365 * 86400) for k, v in poison.items()}
    with redis.Redis.from_url(fresh_redis) as client:
        client.hset(f"{PREFIX}:ratelimit:s:hub.docker.com", mapping=values)
    sent: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.path)
        return httpx.Response(200, json={})

    link = RedisLink(fresh_redis)
    http = HttpClient(transport=httpx.MockTransport(answer), retry_max_wait=1, budget=SharedRateBudget(link, "s"))
    try:
        assert await SharedRateBudget(link, "s").spend("hub.docker.com") is None
        response = await http.send("GET", "https://hub.docker.com/one")
    finally:
        await http.aclose()
        await link.aclose()
    assert response.ok and sent == ["/one"]
