"""In-memory caches: an LRU with an optional time-to-live (registry client, advisor), and
:class:`AnswerCache` for upstream answers (Docker Hub client): a lifetime per entry and
concurrent identical loads collapsed into one request.

Content addressed by digest never changes, so manifests and config blobs are kept without a
TTL (bounded by entry count). Tag → digest resolutions change when someone pushes, so they
are kept briefly and revalidated with a ``HEAD`` afterwards.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, Protocol, TypeVar, runtime_checkable

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LRUCache(Generic[K, V]):
    """Least-recently-used cache; entries older than ``ttl`` seconds (when given) count as missing."""

    def __init__(self, max_entries: int, ttl: float | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_entries = max_entries
        self.ttl = ttl
        self._clock = clock
        self._data: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def get(self, key: K) -> V | None:
        """The fresh value for ``key`` or ``None``."""
        item = self._data.get(key)
        if item is None:
            return None
        stored_at, value = item
        if self.ttl is not None and self._clock() - stored_at >= self.ttl:
            return None
        self._data.move_to_end(key)
        return value

    def get_stale(self, key: K) -> V | None:
        """The value for ``key`` even when its TTL has passed (to revalidate it)."""
        item = self._data.get(key)
        return None if item is None else item[1]

    def put(self, key: K, value: V) -> None:
        self._data[key] = (self._clock(), value)
        self._data.move_to_end(key)
        while len(self._data) > self.max_entries:
            self._data.popitem(last=False)

    def pop(self, key: K) -> None:
        self._data.pop(key, None)

    def clear(self) -> None:
        self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


@runtime_checkable
class StableKey(Protocol):
    """A cache key object (a frozen dataclass such as :class:`hub_mcp.hub.queries.TagQuery`) with a
    form that is the same in every process: what the shared cache hashes into its Redis key."""

    def cache_form(self) -> tuple[object, ...]: ...


class Answers(Protocol[K, V]):
    """What a client needs of an answer cache: :class:`AnswerCache` in one process, or
    :class:`hub_mcp.net.shared_state.SharedAnswerCache` shared by replicas over Redis."""

    async def get_or_load(
        self,
        key: K,
        ttl: float,
        load: Callable[[], Awaitable[V]],
        keep_error: Callable[[BaseException], float | None] | None = None,
    ) -> V: ...

    def clear(self) -> None: ...

    def invalidate(self, affected: Callable[[K], bool]) -> int:
        """Drop the answers a write changed (and keep no load in flight for them); how many."""
        ...

    @property
    def notice(self) -> str | None:
        """A sentence for answers about how they were cached, when it matters (a shared cache out of use)."""


class AnswerCache(Generic[K, V]):
    """Upstream answers kept for a short time each, with concurrent identical loads collapsed.

    :meth:`get_or_load` returns a fresh stored value, or joins the load already running for the
    same key, or runs ``load`` once and stores its value for ``ttl`` seconds. An exception that
    ``keep_error`` gives a lifetime to (a 404: "this tag does not exist") is stored and raised
    again like a value; any other exception reaches every waiter and is not stored. A caller
    cancelled while waiting does not cancel the load the others wait for, but when the last
    waiter is gone the load is cancelled too: nothing keeps running for nobody.

    Values are shared between callers: store immutable ones (the Hub models are frozen).
    """

    def __init__(self, max_entries: int = 1024, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._data: OrderedDict[K, tuple[float, V | None, BaseException | None]] = OrderedDict()
        self._loading: dict[K, asyncio.Task[V]] = {}
        self._waiters: dict[asyncio.Task[V], int] = {}
        self._stale: set[K] = set()  # loads in flight when a write invalidated their key
        self.max_entries = max_entries
        self.hits = 0
        self.loads = 0

    async def get_or_load(
        self,
        key: K,
        ttl: float,
        load: Callable[[], Awaitable[V]],
        keep_error: Callable[[BaseException], float | None] | None = None,
    ) -> V:
        stored = self._fresh(key)
        if stored is not None:
            self.hits += 1
            value, error = stored
            if error is not None:
                raise error.with_traceback(None)  # a stored 404, raised afresh
            return value  # type: ignore[return-value]
        task = self._loading.get(key)
        if task is None:
            self.loads += 1
            task = asyncio.ensure_future(self._load(key, ttl, load, keep_error))
            self._loading[key] = task
        else:
            self.hits += 1
        self._waiters[task] = self._waiters.get(task, 0) + 1
        try:
            return await asyncio.shield(task)
        finally:
            left = self._waiters.pop(task) - 1
            if left:
                self._waiters[task] = left
            elif not task.done():
                task.cancel()  # the last waiter was cancelled: nobody wants this load any more

    async def _load(
        self,
        key: K,
        ttl: float,
        load: Callable[[], Awaitable[V]],
        keep_error: Callable[[BaseException], float | None] | None,
    ) -> V:
        try:
            value = await load()
        except Exception as exc:
            error_ttl = keep_error(exc) if keep_error else None
            if error_ttl and key not in self._stale:
                self._put(key, error_ttl, None, exc)
            raise
        else:
            if ttl > 0 and key not in self._stale:
                self._put(key, ttl, value, None)
            return value
        finally:
            self._loading.pop(key, None)
            self._stale.discard(key)

    def _fresh(self, key: K) -> tuple[V | None, BaseException | None] | None:
        item = self._data.get(key)
        if item is None:
            return None
        expires_at, value, error = item
        if self._clock() >= expires_at:
            del self._data[key]
            return None
        self._data.move_to_end(key)
        return value, error

    def put(self, key: K, ttl: float, value: V | None = None, error: BaseException | None = None) -> None:
        """Keep ``value`` (or ``error``, raised again to whoever asks) for ``ttl`` seconds."""
        self._put(key, ttl, value, error)

    def _put(self, key: K, ttl: float, value: V | None, error: BaseException | None) -> None:
        self._data[key] = (self._clock() + ttl, value, error)
        self._data.move_to_end(key)
        while len(self._data) > self.max_entries:
            self._data.popitem(last=False)

    def invalidate(self, predicate: Callable[[K], bool]) -> int:
        """Drop every stored answer whose key ``predicate`` accepts (a write changed it); how many.

        A load already running for such a key still answers its waiters, but its value is not
        stored: it was read before the write."""
        dropped = [key for key in self._data if predicate(key)]
        for key in dropped:
            del self._data[key]
        self._stale.update(key for key in self._loading if predicate(key))
        return len(dropped)

    def invalidate_prefix(self, prefix: tuple[object, ...]) -> int:
        """Drop every stored answer whose (tuple) key starts with ``prefix``."""
        size = len(prefix)
        return self.invalidate(lambda key: isinstance(key, tuple) and key[:size] == prefix)

    def clear(self) -> None:
        self._data.clear()

    @property
    def notice(self) -> str | None:
        return None

    def __len__(self) -> int:
        return len(self._data)
