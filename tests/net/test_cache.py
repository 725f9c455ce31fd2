"""AnswerCache: lifetimes per entry, kept 404s, collapsed concurrent loads, cancellation."""

from __future__ import annotations

import asyncio

import pytest

from hub_mcp.errors import NotFound, Upstream
from hub_mcp.net.cache import AnswerCache


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_values_live_for_their_ttl() -> None:
    clock = Clock()
    cache: AnswerCache[str, int] = AnswerCache(clock=clock)
    calls = 0

    async def load() -> int:
        nonlocal calls
        calls += 1
        return calls

    assert await cache.get_or_load("k", 60, load) == 1
    clock.now = 59.9
    assert await cache.get_or_load("k", 60, load) == 1
    clock.now = 60.0
    assert await cache.get_or_load("k", 60, load) == 2
    assert (cache.loads, cache.hits) == (2, 1)


async def test_concurrent_identical_loads_collapse_into_one() -> None:
    cache: AnswerCache[str, str] = AnswerCache()
    started = 0
    gate = asyncio.Event()

    async def load() -> str:
        nonlocal started
        started += 1
        await gate.wait()
        return "answer"

    waiters = [asyncio.create_task(cache.get_or_load("k", 60, load)) for _ in range(5)]
    await asyncio.sleep(0)
    gate.set()
    assert await asyncio.gather(*waiters) == ["answer"] * 5
    assert started == 1


async def test_a_kept_404_is_raised_again_and_other_errors_are_not_kept() -> None:
    cache: AnswerCache[str, str] = AnswerCache()
    calls = 0

    async def missing() -> str:
        nonlocal calls
        calls += 1
        raise NotFound("python:3.99 does not exist on Docker Hub.")

    def keep(exc: BaseException) -> float | None:
        return 30 if isinstance(exc, NotFound) else None

    for _ in range(3):
        with pytest.raises(NotFound):
            await cache.get_or_load("missing", 60, missing, keep)
    assert calls == 1

    failures = 0

    async def outage() -> str:
        nonlocal failures
        failures += 1
        raise Upstream("Docker Hub failed")

    for _ in range(2):
        with pytest.raises(Upstream):
            await cache.get_or_load("down", 60, outage, keep)
    assert failures == 2


async def test_a_cancelled_waiter_does_not_cancel_the_load_others_wait_for() -> None:
    cache: AnswerCache[str, str] = AnswerCache()
    gate = asyncio.Event()

    async def load() -> str:
        await gate.wait()
        return "done"

    first = asyncio.create_task(cache.get_or_load("k", 60, load))
    second = asyncio.create_task(cache.get_or_load("k", 60, load))
    await asyncio.sleep(0)
    first.cancel()
    gate.set()
    assert await second == "done"
    with pytest.raises(asyncio.CancelledError):
        await first


async def test_bounded_by_entry_count() -> None:
    cache: AnswerCache[int, int] = AnswerCache(max_entries=3)

    async def load() -> int:
        return 1

    for key in range(5):
        await cache.get_or_load(key, 60, load)
    assert len(cache) == 3


async def test_a_load_nobody_waits_for_any_more_is_cancelled() -> None:
    """Issue 10: when every caller is cancelled (a client gave up), the shared load does not run on."""
    cache: AnswerCache[str, int] = AnswerCache()
    started = asyncio.Event()
    cancelled = asyncio.Event()

    async def slow() -> int:
        started.set()
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return 1

    waiters = [asyncio.ensure_future(cache.get_or_load("k", 10, slow)) for _ in range(2)]
    await started.wait()
    waiters[0].cancel()
    await asyncio.sleep(0.01)
    assert not cancelled.is_set()  # one caller still waits
    waiters[1].cancel()
    await asyncio.wait_for(cancelled.wait(), 1)
    await asyncio.gather(*waiters, return_exceptions=True)
    assert len(cache) == 0
    assert await cache.get_or_load("k", 10, lambda: asyncio.sleep(0, result=2)) == 2  # a fresh load runs


async def test_answer_cache_invalidate_drops_matching_answers_and_in_flight_loads() -> None:
    import asyncio

    from hub_mcp.net.cache import AnswerCache

    cache: AnswerCache[tuple[str, str], str] = AnswerCache()
    loads = 0

    async def load() -> str:
        nonlocal loads
        loads += 1
        return f"v{loads}"

    assert await cache.get_or_load(("repos", "alice"), 60, load) == "v1"
    assert await cache.get_or_load(("repos", "bob"), 60, load) == "v2"
    assert cache.invalidate_prefix(("repos", "alice")) == 1
    assert await cache.get_or_load(("repos", "alice"), 60, load) == "v3"  # loaded again
    assert await cache.get_or_load(("repos", "bob"), 60, load) == "v2"  # untouched

    started = asyncio.Event()
    release = asyncio.Event()

    async def slow() -> str:
        started.set()
        await release.wait()
        return "read before the write"

    pending = asyncio.ensure_future(cache.get_or_load(("tags", "x"), 60, slow))
    await started.wait()
    assert cache.invalidate(lambda key: key[0] == "tags") == 0  # nothing stored yet, but the load is marked
    release.set()
    assert await pending == "read before the write"  # its waiter still gets it
    assert await cache.get_or_load(("tags", "x"), 60, load) == "v4"  # but it was not kept
