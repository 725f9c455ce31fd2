"""A small in-memory LRU cache with an optional time-to-live, shared by the registry client and the advisor.

Content addressed by digest never changes, so manifests and config blobs are kept without a
TTL (bounded by entry count). Tag → digest resolutions change when someone pushes, so they
are kept briefly and revalidated with a ``HEAD`` afterwards.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

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
