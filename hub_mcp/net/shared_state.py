"""What replicas share over Redis (``HUB_MCP_CACHE_URL``): upstream answers and the rate-limit budget.

Several ``hub-mcp`` processes behind a load balancer act with the same Docker Hub credentials,
so they should ask Hub once for the same thing and together stay inside its rate limit.

:class:`SharedAnswerCache` has :class:`hub_mcp.net.cache.AnswerCache`'s ``get_or_load``. In front
of Redis it keeps an in-process :class:`~hub_mcp.net.cache.AnswerCache` (a warm answer costs no
network round trip; concurrent identical calls in one process collapse there), holding each
answer only as long as it has left in Redis. Behind it, identical requests from several
replicas collapse into one upstream call: the first takes a short lock (``SET NX`` with an
expiry, redis-py's :class:`~redis.asyncio.lock.Lock`), the others wait for the value it
stores. A 404 that the client keeps is shared the same way.

:class:`SharedRateBudget` holds the last ``X-RateLimit-*`` numbers a replica saw, per host, and
every replica takes one request from it before sending; when it is spent, all of them wait for
the reset (or say when to come back) instead of each finding out with a 429. It cannot be signed
(Redis counts it down itself), so what is read back is checked instead: a budget that is not
numbers, or whose reset is not a time within a day, counts as unknown.

Values are pydantic models, stored as JSON with a type tag naming one of the models the cache
was given (never pickle: whoever can write to Redis must not be able to run code here), read
to a bounded depth (:mod:`hub_mcp.net.jsontext`): a value nested too deep is a miss.

Whoever can write to Redis could still store a well-typed answer of their own (a tag with
another digest). So with ``HUB_MCP_CACHE_KEY`` every entry is signed: HMAC-SHA256 with that
key over the entry's Redis key and its JSON, stored in front of the JSON; an entry whose
signature does not check (written by someone without the key, by a replica with another key,
or copied from another key) is a miss, with one warning per process. The key is required when
Redis is on another host (:class:`hub_mcp.config.settings.Settings` refuses to start without
it); on this machine (loopback, a unix socket) it is optional, and without it entries are
stored unsigned, under a tag of their own, so a replica with a key never reads them. Keys
are SHA-256 digests under a prefix with this version and a *scope*: the Hub URL and a
fingerprint of the credentials (a keyed hash; the token cannot be recovered from it), so
replicas with different credentials never see each other's private answers.

A write (create, update, delete) invalidates: it drops this process's affected copies and
moves the scope's *epoch* in Redis on, a counter that is part of every key, so every replica's
next question misses what was stored before the write. Replicas keep Redis answers in process
for at most :data:`LOCAL_COPY_SECONDS` and re-read the epoch as often, which bounds how long
another replica can answer from before a write.

When Redis cannot be reached (down, wrong URL, timeout), each process goes on with its own
cache and its own budget, logs one warning, adds a notice to answers, and tries Redis again
after :data:`RETRY_REDIS_AFTER` seconds.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable, Hashable, Iterable
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError

from hub_mcp import __version__
from hub_mcp.errors import Forbidden, HubMCPError, InvalidInput, NotFound
from hub_mcp.net import jsontext
from hub_mcp.net.cache import AnswerCache, StableKey

if TYPE_CHECKING:
    from hub_mcp.net.http import RateLimit

log = logging.getLogger("hub_mcp.net.shared_state")

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

PREFIX = f"hub-mcp:{__version__}:2"
"""Every key starts so: a new version never reads what an older one stored (its models may differ);
``:2`` since entries are signed (the unsigned entries of before are never read)."""
SIGNED, UNSIGNED = b"hub-mcp-hmac-sha256:", b"hub-mcp-unsigned:"
"""What a stored entry starts with: the signed form (then 32 bytes of signature, then the JSON), or the
unsigned one (then the JSON), kept by replicas without HUB_MCP_CACHE_KEY on a local Redis."""
RETRY_REDIS_AFTER = 30.0
"""Seconds without Redis after it failed, before trying it again."""
LOCAL_COPY_SECONDS = 5.0
"""Longest an answer read from Redis (or the epoch) is reused in process without asking Redis again."""
REDIS_TIMEOUT = 1.0
"""Seconds for connecting to Redis and for one command: a slow Redis must not slow answers much."""
WAIT_STEP_FIRST, WAIT_STEP_MAX = 0.005, 0.05
"""Seconds between looks for the value another replica is loading (growing from first to max)."""
KEPT_ERRORS: dict[str, type[HubMCPError]] = {e.__name__: e for e in (NotFound, InvalidInput, Forbidden)}
"""Errors that may be stored as answers (a 404 is "this tag does not exist"); rebuilt from their message."""


def credentials_scope(hub_url: str, username: str | None, secret: str | None) -> str:
    """A short name for "answers for these credentials at this Hub": equal for equal credentials,
    different otherwise, and saying nothing about the token (keyed with it, one way)."""
    who = "anonymous"
    if username and secret:
        proof = hmac.new(secret.encode(), b"hub-mcp shared cache identity", hashlib.sha256).hexdigest()
        who = f"{username.lower()}\0{proof}"
    return hashlib.sha256(f"{hub_url.rstrip('/')}\0{who}".encode()).hexdigest()[:24]


def describe_url(url: str) -> str:
    """``redis://:secret@cache:6379/0`` → ``cache:6379`` (for messages: never the password)."""
    try:
        parts = urlsplit(url)
        if parts.scheme == "unix":
            return parts.path or "a unix socket"
        return f"{parts.hostname or 'localhost'}:{parts.port or 6379}"
    except ValueError:
        return "the configured Redis"


class RedisLink:
    """One Redis connection pool, and whether Redis is usable now."""

    def __init__(self, url: str, *, client: Any = None, clock: Callable[[], float] = time.monotonic) -> None:
        if client is None:
            import redis.asyncio as redis

            client = redis.from_url(url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT)
        self.client = client
        self.where = describe_url(url)
        self._clock = clock
        self._down_until = 0.0
        self.down_reason: str | None = None

    @property
    def usable(self) -> bool:
        return self._clock() >= self._down_until

    def failed(self, exc: BaseException) -> None:
        """Go on without Redis for a while; warn once per outage (the message never shows the URL)."""
        self._down_until = self._clock() + RETRY_REDIS_AFTER
        if self.down_reason is None:
            log.warning(
                "the shared cache at %s cannot be used (%s); caching in this process only, trying again in %.0f s",
                self.where,
                type(exc).__name__,
                RETRY_REDIS_AFTER,
            )
        self.down_reason = type(exc).__name__

    def worked(self) -> None:
        if self.down_reason is not None:
            log.warning("the shared cache at %s works again", self.where)
            self.down_reason = None

    @property
    def notice(self) -> str | None:
        """A sentence for answers while Redis is out of use."""
        if self.down_reason is None:
            return None
        return (
            f"The shared cache (HUB_MCP_CACHE_URL, {self.where}) cannot be reached, so this server caches on its"
            " own for now: replicas may each ask Docker Hub, and the answer is not affected."
        )

    async def aclose(self) -> None:
        try:
            await self.client.aclose()
        except Exception:  # closing a pool whose server is gone is not worth a traceback
            log.debug("closing the Redis pool failed", exc_info=True)


def _is_redis_error(exc: BaseException) -> bool:
    from redis.exceptions import RedisError

    return isinstance(exc, RedisError | OSError | asyncio.TimeoutError)


def _stable_form(value: Any) -> Any:
    """How a key (or a part of one) that JSON cannot write is hashed: a query's ``cache_form()``
    (:class:`hub_mcp.net.cache.StableKey`), anything else by its text."""
    if isinstance(value, StableKey):
        return value.cache_form()
    return str(value)


class Codec:
    """Answers as JSON with a type tag: one of the given pydantic models, or a kept error; sealed for
    Redis by :meth:`seal` (signed with ``key``, when given) and opened by :meth:`open`."""

    def __init__(self, models: Iterable[type[BaseModel]], key: bytes | None = None) -> None:
        self.models = {model.__name__: model for model in models}
        self._key = key
        self._warned = False

    def _signature(self, name: str, payload: bytes) -> bytes:
        assert self._key is not None
        return hmac.new(self._key, name.encode() + b"\0" + payload, hashlib.sha256).digest()

    def seal(self, name: str, payload: bytes) -> bytes:
        """What is stored under the Redis key ``name``: the payload, signed for that key when there is a key."""
        if self._key is None:
            return UNSIGNED + payload
        return SIGNED + self._signature(name, payload) + payload

    def open(self, name: str, data: bytes) -> bytes | None:
        """The payload of what Redis holds under ``name``; ``None`` (a miss) unless it is sealed as this
        codec seals: signed with this key for this name, or (without a key) unsigned."""
        if self._key is None:
            return data[len(UNSIGNED) :] if data.startswith(UNSIGNED) else None
        size = len(SIGNED) + hashlib.sha256().digest_size
        if data.startswith(SIGNED) and len(data) >= size:
            payload = data[size:]
            if hmac.compare_digest(data[len(SIGNED) : size], self._signature(name, payload)):
                return payload
        if not self._warned:  # once per process: a misconfigured replica would otherwise warn per request
            self._warned = True
            log.warning(
                "an entry in the shared cache is not signed with this server's HUB_MCP_CACHE_KEY, so it was not"
                " used: another replica has a different key (give them all the same), or something else wrote to"
                " the Redis; such entries count as missing"
            )
        return None

    def encode(self, value: Any) -> bytes | None:
        """The stored form, or ``None`` for a value of a type this codec does not know (not shared)."""
        if isinstance(value, BaseModel) and self.models.get(type(value).__name__) is type(value):
            return b'{"type":"%s","value":%s}' % (type(value).__name__.encode(), value.model_dump_json().encode())
        return None

    def encode_error(self, exc: BaseException) -> bytes | None:
        if KEPT_ERRORS.get(type(exc).__name__) is type(exc):
            return json.dumps({"type": "error", "error": type(exc).__name__, "message": str(exc)}).encode()
        return None

    def decode(self, data: bytes) -> tuple[Any, BaseException | None] | None:
        """(value, None) or (None, error); ``None`` for anything unreadable (then it is a miss)."""
        try:
            item = jsontext.loads(data)  # nested too deep: TooDeep, a ValueError
            if item.get("type") == "error":
                return None, KEPT_ERRORS[item["error"]](str(item["message"]))
            return self.models[item["type"]].model_validate(item["value"]), None
        except (ValueError, KeyError, TypeError, AttributeError, ValidationError):
            log.debug("a shared cache entry could not be read; treated as missing", exc_info=True)
            return None


class SharedAnswerCache(Generic[K, V]):
    """:meth:`get_or_load` over Redis, with an in-process cache in front; see the module docstring."""

    def __init__(
        self,
        link: RedisLink,
        scope: str,
        models: Iterable[type[BaseModel]],
        *,
        key: bytes | None = None,
        lock_seconds: float = 30.0,
        local: AnswerCache[K, V] | None = None,
    ) -> None:
        self.link = link
        self.codec = Codec(models, key)
        """Reads and writes entries; ``key`` (HUB_MCP_CACHE_KEY) signs them, see the module docstring."""
        self.lock_seconds = lock_seconds
        """How long one replica may hold a load before the others stop waiting for it."""
        self.local: AnswerCache[K, V] = local if local is not None else AnswerCache()
        self._prefix = f"{PREFIX}:answer:{scope}:"
        self._epoch_key = f"{PREFIX}:epoch:{scope}"
        self._epoch: tuple[float, str] | None = None  # (read at, value)
        self._bumps: set[asyncio.Task[None]] = set()  # epoch moves still on their way to Redis
        self.upstream_loads = 0
        """Loads this process ran itself (the others came from Redis or the local cache)."""
        self.shared_hits = 0

    def key(self, key: K, epoch: str = "0") -> str:
        text = json.dumps(key, default=_stable_form, separators=(",", ":"), ensure_ascii=False)
        return f"{self._prefix}{epoch}:" + hashlib.sha256(text.encode()).hexdigest()

    def invalidate(self, affected: Callable[[K], bool]) -> int:
        """After a write: drop this process's affected answers, and move the shared epoch on so that
        no replica answers from what Redis held before (the Redis entries then expire unread)."""
        dropped = self.local.invalidate(affected)
        self._epoch = None
        if self.link.usable:
            task = asyncio.ensure_future(self._bump())
            self._bumps.add(task)
            task.add_done_callback(self._bumps.discard)
        return dropped

    def invalidate_prefix(self, prefix: tuple[Any, ...]) -> int:
        return self.invalidate(lambda key: isinstance(key, tuple) and key[: len(prefix)] == prefix)

    async def _bump(self) -> None:
        try:
            await self.link.client.incr(self._epoch_key)
            self.link.worked()
        except Exception as exc:
            if not _is_redis_error(exc):
                raise
            self.link.failed(exc)

    async def _current_epoch(self) -> str:
        """The scope's write epoch, re-read from Redis at most every LOCAL_COPY_SECONDS (after a
        write of this process's own: at once, once its move has reached Redis)."""
        if self._bumps:
            await asyncio.gather(*list(self._bumps), return_exceptions=True)
        now = time.monotonic()
        if self._epoch is not None and now - self._epoch[0] < LOCAL_COPY_SECONDS:
            return self._epoch[1]
        value = await self.link.client.get(self._epoch_key)
        epoch = value.decode() if isinstance(value, bytes) else str(value or "0")
        if self._epoch is not None and self._epoch[1] != epoch:
            self.local.clear()  # another replica wrote: what this process copied may be stale
        self._epoch = (now, epoch)
        return epoch

    async def get_or_load(
        self,
        key: K,
        ttl: float,
        load: Callable[[], Awaitable[V]],
        keep_error: Callable[[BaseException], float | None] | None = None,
    ) -> V:
        # the local cache answers what it holds and collapses this process's identical calls;
        # it keeps nothing itself (ttl 0): _shared puts each answer for the time it has left
        return await self.local.get_or_load(key, 0, lambda: self._shared(key, ttl, load, keep_error))

    def clear(self) -> None:
        """Forget this process's copies (what Redis holds expires by itself)."""
        self.local.clear()

    @property
    def notice(self) -> str | None:
        return self.link.notice

    @property
    def hits(self) -> int:
        return self.local.hits + self.shared_hits

    @property
    def loads(self) -> int:
        return self.upstream_loads

    # --- the shared path ------------------------------------------------------------------

    async def _shared(
        self, key: K, ttl: float, load: Callable[[], Awaitable[V]], keep_error: Callable[..., float | None] | None
    ) -> V:
        if ttl <= 0 or not self.link.usable:
            return await self._load(key, None, ttl, load, keep_error)
        try:
            name = self.key(key, await self._current_epoch())
            found = await self._read(key, name)
            if found is not None:
                return self._answer(found)
            lock = self.link.client.lock(f"{name}:loading", timeout=self.lock_seconds, blocking=False)
            deadline = time.monotonic() + self.lock_seconds
            while time.monotonic() < deadline:
                if await lock.acquire(blocking=False):
                    try:
                        found = await self._read(key, name)  # stored while we asked for the lock?
                        if found is not None:
                            return self._answer(found)
                        return await self._load(key, name, ttl, load, keep_error)
                    finally:
                        await self._release(lock)
                found = await self._wait_for_value(key, name, f"{name}:loading", deadline)
                if found is not None:
                    return self._answer(found)
                # the loader gave up without an answer to share (an error): try to load ourselves
        except Exception as exc:
            if not _is_redis_error(exc):
                raise
            self.link.failed(exc)
        # Redis failed, or the replica holding the lock took too long: load here
        return await self._load(key, None, ttl, load, keep_error)

    async def _read(self, key: K, name: str) -> tuple[V | None, BaseException | None] | None:
        async with self.link.client.pipeline(transaction=False) as pipe:
            data, left_ms = await pipe.get(name).pttl(name).execute()
        self.link.worked()
        if data is None or left_ms is None or left_ms <= 0:
            return None
        payload = self.codec.open(name, data)
        decoded = self.codec.decode(payload) if payload is not None else None
        if decoded is None:
            return None
        value, error = decoded
        self.local.put(key, min(left_ms / 1000, LOCAL_COPY_SECONDS), value, error)
        self.shared_hits += 1
        return value, error

    async def _wait_for_value(
        self, key: K, name: str, lock_name: str, deadline: float
    ) -> tuple[V | None, BaseException | None] | None:
        """Another replica is loading: look for its answer until it is there, the lock is gone
        (it failed; the caller tries itself), or the deadline passes."""
        step = WAIT_STEP_FIRST
        while time.monotonic() < deadline:
            await asyncio.sleep(step)
            step = min(WAIT_STEP_MAX, step * 2)
            found = await self._read(key, name)
            if found is not None:
                return found
            if not await self.link.client.exists(lock_name):
                found = await self._read(key, name)  # stored just before the lock went
                return found
        return None

    @staticmethod
    def _answer(found: tuple[Any, BaseException | None]) -> Any:
        value, error = found
        if error is not None:
            raise error.with_traceback(None)
        return value

    async def _load(
        self,
        key: K,
        name: str | None,
        ttl: float,
        load: Callable[[], Awaitable[V]],
        keep_error: Callable[..., float | None] | None,
    ) -> V:
        """Ask upstream; keep the answer here for ``ttl`` and, with ``name``, in Redis too."""
        self.upstream_loads += 1
        try:
            value = await load()
        except Exception as exc:
            error_ttl = keep_error(exc) if keep_error else None
            if error_ttl:
                self.local.put(key, error_ttl if name is None else min(error_ttl, LOCAL_COPY_SECONDS), None, exc)
                if name is not None:
                    await self._store(name, self.codec.encode_error(exc), error_ttl)
            raise
        if ttl > 0:
            self.local.put(key, ttl if name is None else min(ttl, LOCAL_COPY_SECONDS), value, None)
            if name is not None:
                await self._store(name, self.codec.encode(value), ttl)
        return value

    async def _store(self, name: str, data: bytes | None, ttl: float) -> None:
        if data is None:
            return
        try:
            await self.link.client.set(name, self.codec.seal(name, data), px=max(1, int(ttl * 1000)))
        except Exception as exc:
            if not _is_redis_error(exc):
                raise
            self.link.failed(exc)

    async def _release(self, lock: Any) -> None:
        from redis.exceptions import LockError

        try:
            await lock.release()
        except LockError:  # it expired meanwhile: someone else may hold it now, and that is theirs
            pass
        except Exception as exc:
            if not _is_redis_error(exc):
                raise
            self.link.failed(exc)


_SPEND = """
local reset_at = redis.call('HGET', KEYS[1], 'reset_at')
if not reset_at then return false end
if reset_at ~= '' and tonumber(reset_at) <= tonumber(ARGV[1]) then return false end
local left = redis.call('HINCRBY', KEYS[1], 'remaining', -1)
return {tostring(left + 1), redis.call('HGET', KEYS[1], 'limit') or '', reset_at}
"""
"""Take one request from the budget; answer what was left before it (none once the window has reset)."""

_RECORD = """
local remaining = tonumber(ARGV[2])
local same_window = redis.call('HGET', KEYS[1], 'reset_at') == ARGV[3]
local known = tonumber(redis.call('HGET', KEYS[1], 'remaining'))
if same_window and known and known < remaining then remaining = known end
redis.call('HSET', KEYS[1], 'limit', ARGV[1], 'remaining', remaining, 'reset_at', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return remaining
"""
"""Keep what a response said. Within one window the lower count wins: requests other replicas
have taken but Hub had not yet counted when it answered are still spent."""


class SharedRateBudget:
    """The rate-limit budget per host, shared by replicas (see the module docstring)."""

    def __init__(self, link: RedisLink, scope: str) -> None:
        self.link = link
        self._prefix = f"{PREFIX}:ratelimit:{scope}:"
        self._spend = link.client.register_script(_SPEND)
        self._record = link.client.register_script(_RECORD)

    async def spend(self, host: str) -> RateLimit | None:
        """Take one request for ``host``; the budget as it was before, or ``None`` when unknown."""
        if not self.link.usable:
            return None
        try:
            found = await self._spend(keys=[self._prefix + host], args=[time.time()])
        except Exception as exc:
            if not _is_redis_error(exc):
                raise
            self.link.failed(exc)
            return None
        self.link.worked()
        if not found:
            return None
        return _budget(found, time.time())

    async def record(self, host: str, state: RateLimit) -> None:
        if state.remaining is None or not self.link.usable:
            return
        now = time.time()
        keep_ms = max(1000, int(((state.reset_at - now) if state.reset_at else 0) * 1000) + 60_000)
        args = [state.limit if state.limit is not None else "", state.remaining, _number(state.reset_at), keep_ms]
        try:
            await self._record(keys=[self._prefix + host], args=args)
        except Exception as exc:
            if not _is_redis_error(exc):
                raise
            self.link.failed(exc)


def _budget(found: Any, now: float) -> RateLimit | None:
    """What :data:`_SPEND` answered, as a budget; ``None`` (unknown) for anything a replica would not
    have stored: not numbers, or a reset that is not a time within :data:`LONGEST_WAIT` from now
    (whoever can write to Redis must not crash the replicas, nor stop them for ever)."""
    from hub_mcp.net.http import LONGEST_WAIT, RateLimit, plausible_time

    try:
        remaining, limit, reset_at = (item.decode() if isinstance(item, bytes) else str(item) for item in found)
        reset = plausible_time(float(reset_at)) if reset_at else None
        budget = RateLimit(limit=int(limit) if limit else None, remaining=int(remaining), reset_at=reset)
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    if reset_at and (reset is None or reset - now > LONGEST_WAIT):
        return None
    return budget


def _number(value: float | None) -> str:
    """A reset time as the scripts compare it: the same text for the same value, '' for none."""
    return "" if value is None else repr(float(value))
