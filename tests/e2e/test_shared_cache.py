"""End to end: two ``hub-mcp`` HTTP processes (replicas) sharing a real redis-server ask the
fake Hub once for a question asked on both; without Redis each asks; with Redis down they
still answer."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from tests.e2e.processes import http_server
from tests.e2e.test_installed_command import installed_command
from tests.fakes.hub import FakeHub, serve

pytestmark = pytest.mark.e2e
TOKEN = "replica-token-2b7e151628aed2a6"
CACHE_KEY = "e2e-cache-key-3243f6a8885a308d313198a2e0370734"
TAG_PATH = "/v2/namespaces/library/repositories/python/tags/3.12-slim"


@pytest.fixture
def hub() -> Iterator[tuple[FakeHub, str]]:
    fake = FakeHub(enforce_rate_limit=False)
    with serve(fake) as url:
        yield fake, url


@contextlib.contextmanager
def replicas(hub_url: str, cache_url: str | None, count: int = 2, cache_key: str | None = None) -> Iterator[list[str]]:
    installed_command()  # fails in CI, skips elsewhere, when hub-mcp is not installed
    env = {"HUB_MCP_HUB_URL": hub_url, "HUB_MCP_AUTH_TOKEN": TOKEN, "HUB_MCP_RETRY_MAX_WAIT": "2"}
    if cache_url:
        env["HUB_MCP_CACHE_URL"] = cache_url
    if cache_key:
        env["HUB_MCP_CACHE_KEY"] = cache_key
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(http_server(env)) for _ in range(count)]


@contextlib.asynccontextmanager
async def session(base: str, mode: str = "auto") -> AsyncIterator[Client]:
    async with create_mcp_http_client(headers={"Authorization": f"Bearer {TOKEN}"}) as http:
        async with Client(streamable_http_client(f"{base}/mcp", http_client=http), mode=mode) as client:
            yield client


async def get_tag(base: str, mode: str = "auto") -> dict[str, Any]:
    async with session(base, mode) as client:
        result = await client.call_tool("get_tag", {"repository": "python:3.12-slim"})
    assert not result.is_error
    return result.structured_content


def upstream(hub: FakeHub, path: str = TAG_PATH) -> int:
    return sum(1 for r in hub.requests if r.path == path)


async def test_two_replicas_sharing_redis_ask_docker_hub_once(hub: tuple[FakeHub, str], fresh_redis: str) -> None:
    fake, url = hub
    with replicas(url, fresh_redis, cache_key=CACHE_KEY) as (a, b):  # signed entries, as over a network
        on_a = await get_tag(a, "legacy")
        on_b = await get_tag(b, "auto")
        assert on_a == on_b and on_a["exists"] is True
        assert upstream(fake) == 1
        # asked at the same moment on both, something neither has seen: still one request
        fake.latency = 0.3
        answers: list[dict[str, Any]] = []

        async def ask(base: str) -> None:
            async with session(base) as client:
                result = await client.call_tool("list_tags", {"repository": "node", "limit": 3})
                answers.append(result.structured_content)

        async with anyio.create_task_group() as group:
            for base in (a, b, a, b):
                group.start_soon(ask, base)
    assert len(answers) == 4 and all(answer == answers[0] for answer in answers)
    assert upstream(fake, "/v2/namespaces/library/repositories/node/tags") == 1


async def test_two_replicas_without_redis_each_ask(hub: tuple[FakeHub, str]) -> None:
    fake, url = hub
    with replicas(url, None) as (a, b):
        await get_tag(a)
        await get_tag(b)
    assert upstream(fake) == 2


async def test_a_replica_whose_redis_is_down_still_answers(hub: tuple[FakeHub, str], dead_redis_url: str) -> None:
    fake, url = hub
    with replicas(url, dead_redis_url, count=1) as (a,):
        first = await get_tag(a)
        await get_tag(a)
    assert first["exists"] is True
    assert any("shared cache" in notice for notice in first["notices"])
    assert upstream(fake) == 1
