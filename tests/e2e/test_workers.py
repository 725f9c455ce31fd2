"""End to end: ``hub-mcp --transport http --workers 2`` runs two worker processes on one port, both
answer, and they share the Redis cache: a question one worker asked Docker Hub is answered by the other
from Redis. Which worker answers is made certain by pausing the other (SIGSTOP: it cannot accept, so
the kernel hands the connection to the one awake), for less than uvicorn's 5 s worker health check."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.processes import http_server
from tests.e2e.test_installed_command import installed_command
from tests.e2e.test_shared_cache import CACHE_KEY, TOKEN, get_tag, hub, upstream
from tests.fakes.hub import FakeHub

pytestmark = pytest.mark.e2e
__all__ = ["hub"]  # the fixture, used here


def workers_of(parent: int) -> list[int]:
    """The worker processes of a ``--workers`` server: its children, but multiprocessing's resource tracker."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == parent and b"resource_tracker" not in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
    return sorted(found)


@contextlib.contextmanager
def paused(pid: int) -> Iterator[None]:
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


@contextlib.contextmanager
def server_with_workers(hub_url: str, cache_url: str, count: int) -> Iterator[tuple[str, list[int]]]:
    installed_command()  # fails in CI, skips elsewhere, when hub-mcp is not installed
    env = {
        "HUB_MCP_HUB_URL": hub_url,
        "HUB_MCP_AUTH_TOKEN": TOKEN,
        "HUB_MCP_RETRY_MAX_WAIT": "2",
        "HUB_MCP_CACHE_URL": cache_url,
        "HUB_MCP_CACHE_KEY": CACHE_KEY,
    }
    pids: list[int] = []
    with http_server(env, ["--workers", str(count)], pid_to=pids) as base:
        workers: list[int] = []
        for _ in range(200):  # the supervisor starts them one after the other
            workers = workers_of(pids[0])
            if len(workers) == count:
                break
            time.sleep(0.05)
        yield base, workers


async def test_two_workers_both_answer_and_share_the_redis_cache(
    hub: tuple[FakeHub, str], fresh_redis: str
) -> None:
    fake, url = hub
    with server_with_workers(url, fresh_redis, 2) as (base, workers):
        assert len(workers) == 2, f"expected 2 worker processes, found {workers}"
        first, second = workers
        with paused(first):
            on_second = await get_tag(base)
        assert upstream(fake) == 1
        with paused(second):
            on_first = await get_tag(base)  # never asked before in this worker: from Redis
        assert on_first == on_second and on_first["exists"] is True
        assert upstream(fake) == 1


async def test_without_a_shared_cache_each_worker_asks(hub: tuple[FakeHub, str], dead_redis_url: str) -> None:
    """The control: the test above can fail. With Redis unreachable each worker caches alone, so the
    same question on the other worker asks Docker Hub again."""
    fake, url = hub
    with server_with_workers(url, dead_redis_url, 2) as (base, workers):
        assert len(workers) == 2
        with paused(workers[0]):
            await get_tag(base)
        with paused(workers[1]):
            await get_tag(base)
    assert upstream(fake) == 2
