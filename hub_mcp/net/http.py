"""The one place that talks HTTP: timeouts, retries, rate-limit bookkeeping, logging.

``HttpClient.send`` retries (with ``tenacity``) on connect errors, timeouts, 5xx, 429 and
unreadable JSON bodies, honouring ``Retry-After`` / ``X-Retry-After``, with a bounded number of
attempts *and* a bounded total wait. When the bound is reached it raises ``RateLimited`` or
``Upstream`` from :mod:`hub_mcp.errors`. Other statuses (2xx, 3xx, 4xx) come back to the
caller, which knows what a 404 means for the thing it asked about.

Rate-limit headers (``X-RateLimit-*`` from Hub, ``ratelimit-*`` from the registry) are kept
per host, as numbers (:class:`RateLimit`) and as sent (:class:`RateHeaders`, for the rate-limit
status, :mod:`hub_mcp.ratelimit`), so the server knows its remaining budget and waits for the reset instead of
spending a request it knows will be refused. With a shared ``budget`` (replicas over Redis,
:class:`hub_mcp.net.shared_state.SharedRateBudget`) every request is taken from the budget all
replicas see, so they wait together when it is spent.

Every request, and every redirect hop, passes the egress policy (:mod:`hub_mcp.net.egress`): by
name before it is sent, and by resolved address when a connection is opened (the connection
goes to the address that was checked). Redirects are followed here, by hand, at most
``MAX_REDIRECTS`` hops, each hop checked; httpx drops ``Authorization`` on a cross-origin hop. A
redirect from https to plain http on the same host is refused (it would resend the request in clear).

Faults that are how a server answers, not blips, are said once and never retried: a ``Location`` that
is not a URL httpx can read (an address in octal, ``0177.0.0.1``, is first put to the egress policy as
the address a resolver reads it as), and response headers past httpcore's 100 KiB.

Bodies are streamed and read up to a limit per kind (``BODY_LIMITS``: manifest, config blob,
attestation blob, JSON page, token, error body), whatever ``Content-Length`` says; past it the read stops with a
``TooLarge`` sentence naming the limit. The per-request timeout bounds the whole exchange
(connect, redirects, every byte of the body), not only each read, so an upstream that drips a
byte at a time is cut off too.

Logs go to the ``hub_mcp.net.http`` logger: method, host, path and status only. Headers (where
the credentials are) and bodies are never logged.
"""

from __future__ import annotations

import asyncio
import logging
import math
import ssl
import time
import urllib.request
import zlib
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from functools import partial
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit

import httpcore
import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type

from hub_mcp import __version__
from hub_mcp.errors import RateLimited, TooLarge, Unreachable, Upstream, excerpt
from hub_mcp.net import jsontext
from hub_mcp.net.egress import CURRENT_HOP, EgressPolicy, GuardedBackend, Hop, Resolver, legacy_ipv4, resolve

log = logging.getLogger("hub_mcp.net.http")

USER_AGENT = f"hub-mcp/{__version__} (+https://github.com/hub-mcp/hub-mcp)"
RETRY_STATUSES = frozenset({500, 502, 503, 504, 520, 521, 522, 524})
BACKOFF_BASE = 0.5
BACKOFF_MAX = 8.0
#: After a connect error, a host counts as unreachable this long: requests to it fail at once
#: instead of paying a connect attempt (and its timeout) each, e.g. per FROM line of a review.
UNREACHABLE_FOR = 30.0
MAX_REDIRECTS = 3


async def pause(seconds: float) -> None:
    """How an ``HttpClient`` given no ``sleep`` waits (between attempts, for a ``Retry-After``, for a
    rate-limit reset). Looked up at each wait, so a test may replace it (``monkeypatch.setattr(http,
    "pause", ...)``) to record the waits asked for instead of sleeping through them."""
    await asyncio.sleep(seconds)


BodyKind = Literal["manifest", "config", "attestation", "json", "token", "error"]
#: The most bytes read of a body, per kind. A body past its limit is not read further.
BODY_LIMITS: dict[str, int] = {
    "manifest": 4 * 1024 * 1024,  # the distribution spec's limit for a manifest
    "config": 16 * 1024 * 1024,  # an image config blob (history and labels of big images fit easily)
    # An in-toto attestation blob (SBOM, provenance): Syft's SPDX SBOM of a big image runs to several MB (tens of
    # MB for the biggest); past this the answer names the size and the limit instead.
    "attestation": 16 * 1024 * 1024,
    "json": 8 * 1024 * 1024,  # one JSON page from Hub or a registry (100 tags with images is ~1 MB)
    "token": 64 * 1024,  # a token response (Docker Hub's JWTs are ~2-4 KB)
    "error": 64 * 1024,  # an error body: read for its code and message only, cut silently past this
}
#: The most bytes a compressed body is inflated by at once (a gzip bomb costs this, not its inflated size).
INFLATE_STEP = 256 * 1024
#: Bodies one call reads at the same time (a review's FROM lines, an index's platforms): the rest wait their
#: turn. A body costs up to its limit plus one inflation step while it is read, so this bounds what one call
#: can make the process hold, whatever upstream sends: 4 x (4 MiB + 256 KiB) for manifests. Other calls have
#: their own slots: one call never waits for another's.
READS_PER_CALL = 4
_CALL_READS: ContextVar[asyncio.Semaphore | None] = ContextVar("hub_mcp_call_reads", default=None)


@contextmanager
def call_scope() -> Iterator[None]:
    """Give the code run inside (one tool call, with the tasks it starts) its own ``READS_PER_CALL`` slots."""
    token = _CALL_READS.set(asyncio.Semaphore(READS_PER_CALL))
    try:
        yield
    finally:
        _CALL_READS.reset(token)


def current_call() -> object | None:
    """What identifies the tool call the running code belongs to (None outside a call): a key part for work
    that the tasks of one call may share, but other calls must not wait on."""
    return _CALL_READS.get()
_KIND_WORDS = {
    "manifest": "a manifest",
    "config": "an image config blob",
    "attestation": "an attestation blob",
    "json": "a JSON page",
    "token": "a token response",
    "error": "an error body",
}


def size_text(count: int) -> str:
    """``4194304`` → ``4 MiB``; ``65536`` → ``64 KiB``."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= size:
            value = count / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{count} bytes"


def guarded_transport(
    policy: EgressPolicy, verify: ssl.SSLContext | bool = True, resolver: Resolver = resolve
) -> httpx.AsyncBaseTransport | None:
    """httpx's network transport with the egress policy checking resolved addresses, or ``None``
    (httpx's default) when the environment names a proxy: the proxy resolves names then, and
    only the name check applies."""
    proxies = urllib.request.getproxies()
    if any(key in proxies for key in ("http", "https", "all")):
        log.info("a proxy is configured: the egress policy checks host names, the proxy resolves them")
        return None
    transport = httpx.AsyncHTTPTransport(verify=verify)
    pool = getattr(transport, "_pool", None)  # httpx keeps its httpcore pool here (httpx 0.2x)
    if not isinstance(pool, httpcore.AsyncConnectionPool):  # pragma: no cover - a changed httpx
        raise RuntimeError("httpx's transport has no httpcore connection pool; the egress policy cannot be applied")
    pool._network_backend = GuardedBackend(policy, resolver=resolver)
    return transport


def _endpoint(url: httpx.URL) -> str:
    """``host:port`` (the scheme's default port when none is written): what a connect error benches."""
    port = url.port or {"https": 443, "http": 80}.get(url.scheme, 0)
    host = url.host
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


@dataclass
class RateLimit:
    """What the last response from a host said about our request budget."""

    limit: int | None = None
    remaining: int | None = None
    reset_at: float | None = None  # unix time

    def seconds_until_reset(self, now: float | None = None) -> float | None:
        if self.reset_at is None:
            return None
        return max(0.0, self.reset_at - (time.time() if now is None else now))


#: The response headers that speak of a rate limit: Docker Hub API's ``X-RateLimit-*`` [documented: Docker Hub API
#: reference, "Rate limiting"], the registry's ``ratelimit-*`` and ``docker-ratelimit-source`` [documented: Docker
#: Hub pull usage and limits, "View pull rate and limit"].
RATE_HEADERS = (
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
    "docker-ratelimit-source",
)
#: The most characters kept of one rate-limit header value (the documented ones are under 30); one more is kept,
#: so that a reader can tell a value that was longer (and refuse it) from one that fits.
RATE_HEADER_CHARS = 200


@dataclass(frozen=True)
class RateHeaders:
    """The rate-limit headers (:data:`RATE_HEADERS`) of the last response from a host that sent any, as sent (each
    value cut at ``RATE_HEADER_CHARS + 1`` characters; repeated headers joined by ``", "``), and when it came (unix
    time). Read strictly by :mod:`hub_mcp.ratelimit`; the numbers this module acts on are :class:`RateLimit`'s."""

    values: Mapping[str, str]
    seen_at: float


def rate_headers_of(headers: httpx.Headers) -> dict[str, str]:
    """The :data:`RATE_HEADERS` a response sent, as sent (each cut at ``RATE_HEADER_CHARS + 1`` characters)."""
    return {name: headers[name][: RATE_HEADER_CHARS + 1] for name in RATE_HEADERS if name in headers}


class RateBudget(Protocol):
    """A rate-limit budget shared with other processes (see :class:`hub_mcp.net.shared_state.SharedRateBudget`)."""

    async def spend(self, host: str) -> RateLimit | None:
        """Take one request for ``host``: the budget as it stood before, or ``None`` when unknown."""

    async def record(self, host: str, state: RateLimit) -> None:
        """Keep what a response from ``host`` said."""


@dataclass(frozen=True, slots=True)
class SendOptions:
    """How :meth:`HttpClient.send` treats one request: everything but what goes on the wire."""

    service: str = "Docker Hub"
    """The upstream, as error sentences name it ("Docker Hub", "the registry ghcr.io")."""
    body: BodyKind = "json"
    """The kind of body expected, which sets how much of it is read (``BODY_LIMITS``)."""
    parse_json: bool = True
    """Parse the body into :attr:`Response.data` (an unreadable success body is retried)."""
    idempotent: bool = True
    """False for writes: retried only when they certainly did not arrive (connect errors) or got 429."""
    via: str | None = None
    """The registry (``host[:port]``) whose answer led to the URL (a token realm, a next-page link)."""
    what: str = "a request"
    """What the request is, for the egress policy and its refusals."""
    named: bool = False
    """Whether the user named the host (a registry in an image reference): when it cannot be reached, the
    name may be mistyped. Docker Hub, its registry and hosts a registry sent us to were named by nobody."""

    def hop(self, scheme: str) -> Hop:
        return Hop(via=self.via, what=self.what, scheme=scheme)

    def unreachable_hint(self, redirected: bool = False) -> str:
        """What to do when the host cannot be reached: check its name only when the user gave it (and it is
        the host that failed, not one a redirect led to); the network, or the proxy it goes through, always."""
        if self.named and not redirected:
            return "check the network or the registry name, or try again in a minute."
        return "check the network (or HTTPS_PROXY), or try again in a minute."


DEFAULT_OPTIONS = SendOptions()
"""A JSON read from Docker Hub."""
WRITE = SendOptions(idempotent=False)
"""A write to Docker Hub: never sent again once it may have arrived."""


@dataclass
class Response:
    """A finished exchange: status, headers and (when asked for) the parsed JSON body."""

    status: int
    headers: httpx.Headers
    data: Any
    url: str
    content: bytes = b""
    truncated: bool = False  # an error body cut at its limit

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class _BadLocation(Exception):
    """A redirect whose ``Location`` httpx cannot read as a URL (raised by the response hook, before
    httpx turns it into a ``RemoteProtocolError`` that would read as a broken connection)."""

    def __init__(self, location: str, origin: httpx.URL, problem: str) -> None:
        super().__init__(problem)
        self.location = location
        self.origin = origin
        self.problem = problem


async def _check_location(response: httpx.Response) -> None:
    """httpx's response hook: raise :class:`_BadLocation` for a redirect to a URL it cannot read."""
    if not response.has_redirect_location:
        return
    location = response.headers["location"]
    try:
        httpx.URL(location)
    except httpx.InvalidURL as exc:
        raise _BadLocation(location, response.request.url, str(exc)) from None


#: h11's hint on the error it raises when a response head passes httpcore's limit (100 KiB):
#: 431, Request Header Fields Too Large.
_HEADERS_TOO_LARGE = 431


def _headers_too_large(exc: BaseException) -> bool:
    """Whether ``exc`` (an httpx protocol error) is h11 refusing a response head past its size limit."""
    seen: BaseException | None = exc
    while seen is not None:
        if getattr(seen, "error_status_hint", None) == _HEADERS_TOO_LARGE or str(seen) == "Receive buffer too long":
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class _Retry(Exception):
    """Raised inside an attempt to ask tenacity for another one."""

    def __init__(self, reason: str, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after


LAST_TIME = 253402300800
"""10000-01-01 as unix time: a time upstream gives past it (or not past 1970) is an absurd number, not a time."""
LONGEST_WAIT = 86400.0
"""The longest ``Retry-After`` believed (a day); a longer or non-finite one counts as unknown."""


def plausible_time(value: object) -> float | None:
    """``value`` as a unix time when it is a number between 1970 and the year 10000; ``None`` for
    anything else (text, NaN, infinity, negative, 10**400: compared as it is, never through
    ``float()``, which overflows)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < LAST_TIME:
        return None
    return float(value)


def parse_retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait from ``Retry-After`` (seconds or HTTP date) or ``X-Retry-After`` (unix time);
    ``None`` when absent, unreadable or absurd (infinite, NaN, longer than :data:`LONGEST_WAIT`)."""
    now = time.time() if now is None else now
    wait: float | None = None
    value = headers.get("retry-after")
    if value:
        value = value.strip()
        try:
            wait = float(value)
        except ValueError:
            try:
                wait = parsedate_to_datetime(value).timestamp() - now
            except (TypeError, ValueError, IndexError, OverflowError):
                return None
    elif value := headers.get("x-retry-after"):
        try:
            wait = float(value) - now
        except ValueError:
            return None
    if wait is None or not math.isfinite(wait) or wait > LONGEST_WAIT:  # float("1e400") is infinity
        return None
    return max(0.0, wait)


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    if not value:
        return None
    try:
        return int(value.split(";", 1)[0].strip())
    except ValueError:
        return None


class HttpClient:
    """An ``httpx.AsyncClient`` with the project's retry, rate-limit and logging policy."""

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        max_retries: int = 3,
        retry_max_wait: float = 20.0,
        transport: httpx.AsyncBaseTransport | None = None,
        max_concurrency: int = 8,
        sleep: Any = None,
        verify: ssl.SSLContext | bool = True,
        budget: RateBudget | None = None,
        policy: EgressPolicy | None = None,
    ) -> None:
        self.policy = policy or EgressPolicy()
        self.timeout = timeout
        self.max_retries = max_retries
        self.budget = budget
        self.retry_max_wait = retry_max_wait
        self.rate_limits: dict[str, RateLimit] = {}
        self.rate_headers: dict[str, RateHeaders] = {}  # host -> the rate-limit headers as its last answer sent them
        self.unreachable: dict[str, float] = {}  # host:port -> monotonic time until which it is not tried
        self.requests_sent = 0
        self._sleep = sleep or (lambda seconds: pause(seconds))  # pause as it is at the time of the wait
        self._semaphore = asyncio.Semaphore(max_concurrency)
        if transport is None:
            transport = guarded_transport(self.policy, verify)
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            transport=transport,
            # only encodings _read inflates itself, bounded as it goes (never br or zstd)
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            follow_redirects=False,  # followed in _exchange, each hop checked by the egress policy
            verify=verify,
            event_hooks={"response": [_check_location]},
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> HttpClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def rate_limit(self, url: str) -> RateLimit | None:
        return self.rate_limits.get(httpx.URL(url).host)

    async def send(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        options: SendOptions = DEFAULT_OPTIONS,
    ) -> Response:
        """Send one logical request, retrying within the configured bounds.

        ``method``, ``url``, ``params``, ``json_body`` and ``headers`` are what is sent;
        ``options`` (:class:`SendOptions`) how it is treated: who answers it, what body to expect,
        whether it may be sent again.
        """
        service = options.service
        parsed = httpx.URL(url)
        host = parsed.host
        hop = options.hop(parsed.scheme)
        self.policy.check_url(parsed.scheme, host, parsed.port, hop)
        if time.monotonic() < self.unreachable.get(_endpoint(parsed), 0.0):
            raise Unreachable(
                f"{service} cannot be reached ({_endpoint(parsed)}: the connection failed moments ago);"
                f" {options.unreachable_hint()}"
            )
        await self._wait_for_budget(host, service)

        retrying = AsyncRetrying(
            retry=retry_if_exception_type(_Retry),
            wait=self._wait_seconds,
            stop=self._should_stop,
            sleep=self._sleep,
            reraise=True,
        )
        build = partial(self._client.build_request, method, url, params=params, json=json_body, headers=headers)
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._attempt(method, url, build, options, host, hop)
        except _Retry as final:
            if final.status == 429:
                wait = final.retry_after
                when = f" Try again in {int(wait) + 1} seconds." if wait is not None else " Try again in a minute."
                raise RateLimited(f"{service} is rate limiting requests (HTTP 429).{when}", retry_after=wait) from None
            raise Upstream(
                f"{service} failed: {final.reason}, after {self.max_retries + 1} attempts."
                " It is likely a temporary outage; try again shortly.",
                status=final.status,
            ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    async def _attempt(
        self,
        method: str,
        url: str,
        build: Callable[[], httpx.Request],
        options: SendOptions,
        host: str,
        hop: Hop,
    ) -> Response:
        """One attempt: ``build`` makes the request afresh (a retry sends a new one)."""
        service, idempotent = options.service, options.idempotent
        started = time.monotonic()
        try:
            async with self._semaphore:
                request = build()
                async with asyncio.timeout(self.timeout):  # the whole exchange, not each read
                    response, content, truncated = await self._exchange(request, options.body, hop, service)
        except TimeoutError:
            log.info("%s %s%s: no complete answer within %.0f s", method, host, httpx.URL(url).path, self.timeout)
            if idempotent:
                raise _Retry(f"it did not answer completely within {self.timeout:g} s") from None
            raise Upstream(f"{service} did not answer in time; the change may or may not have been made.") from None
        except httpx.ConnectError as exc:
            # Refused, no route, no such name: not a blip a retry fixes. One attempt per host, and
            # the host is left alone for UNREACHABLE_FOR seconds.
            # The host that failed is the one benched and named: after a redirect it is the target,
            # not the origin (its other ports and the registries beside it stay reachable).
            try:
                failed = _endpoint(exc.request.url)
            except RuntimeError:  # no request attached
                failed = _endpoint(httpx.URL(url))
            log.info("%s %s%s: connect error (%s)", method, host, httpx.URL(url).path, failed)
            self.unreachable[failed] = time.monotonic() + UNREACHABLE_FOR
            via = "" if failed == _endpoint(httpx.URL(url)) else f", reached from {_endpoint(httpx.URL(url))}"
            raise Unreachable(
                f"{service} cannot be reached ({failed}{via}: could not connect, {type(exc).__name__});"
                f" {options.unreachable_hint(redirected=bool(via))}"
            ) from None
        except httpx.TimeoutException as exc:
            log.info("%s %s%s: timeout", method, host, httpx.URL(url).path)
            if idempotent or isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
                raise _Retry("the request timed out") from None
            raise Upstream(f"{service} did not answer in time; the change may or may not have been made.") from None
        except httpx.RemoteProtocolError as exc:
            if not _headers_too_large(exc):
                raise self._broken(exc, method, url, host, options) from None
            # A head past 100 KiB is how that server answers, not a blip: said once, never asked again.
            try:
                failed = _endpoint(exc.request.url)
            except RuntimeError:  # no request attached
                failed = _endpoint(httpx.URL(url))
            log.info("%s %s%s: response headers too large (%s)", method, host, httpx.URL(url).path, failed)
            raise Upstream(
                f"{service} ({failed}) sent response headers larger than the 100 KiB hub-mcp reads, far more than"
                " any registry needs; the server is misconfigured, so trying again will not help: try another"
                " registry or tell its operator."
            ) from None
        except httpx.TransportError as exc:
            raise self._broken(exc, method, url, host, options) from None

        elapsed_ms = (time.monotonic() - started) * 1000
        log.debug("%s %s%s -> %s in %.0f ms", method, host, response.request.url.path, response.status_code, elapsed_ms)
        state = self._record_rate_limit(host, response.headers)
        if state is not None and self.budget is not None:
            await self.budget.record(host, state)

        status = response.status_code
        if status == 429:
            raise _Retry("rate limited", status=429, retry_after=parse_retry_after(response.headers))
        if status in RETRY_STATUSES and idempotent:
            raise _Retry(f"HTTP {status}", status=status)

        data: Any = None
        if options.parse_json and method != "HEAD" and content and not truncated:
            try:
                data = jsontext.loads(content)
            except jsontext.TooDeep:
                if 200 <= status < 300:
                    raise jsontext.too_deep(service, host) from None
                data = None  # an error body nobody can read: the status says enough
            except ValueError:
                if 200 <= status < 300:
                    raise _Retry("it sent a response body that is not valid JSON", status=status) from None
                data = None  # an error page in HTML: the status says enough
        return Response(
            status=status,
            headers=response.headers,
            data=data,
            url=str(response.url),
            content=content,
            truncated=truncated,
        )

    @staticmethod
    def _broken(exc: httpx.TransportError, method: str, url: str, host: str, options: SendOptions) -> Exception:
        """A connection that broke mid-exchange: another attempt for a read, a sentence for a write."""
        log.info("%s %s%s: transport error %s", method, host, httpx.URL(url).path, type(exc).__name__)
        if options.idempotent:
            return _Retry(f"the connection broke ({type(exc).__name__})")
        return Upstream(f"{options.service} connection broke; the change may or may not have been made.")

    async def _exchange(
        self, request: httpx.Request, body: BodyKind, hop: Hop, service: str
    ) -> tuple[httpx.Response, bytes, bool]:
        """Send ``request``, following at most ``MAX_REDIRECTS`` redirects (each checked by the policy), and
        read the final body within its limit: ``(response, content, truncated)``."""
        origin = hop.via or _netloc(request.url)
        for hops in range(MAX_REDIRECTS + 1):
            if hops:
                self.policy.check_url(request.url.scheme, request.url.host, request.url.port, hop)
            self.requests_sent += 1
            token = CURRENT_HOP.set(hop)
            try:
                response = await self._client.send(request, stream=True)
            except _BadLocation as bad:
                raise self._unfollowable(bad, service, Hop(via=origin, what="a redirect", scheme="http")) from None
            finally:
                CURRENT_HOP.reset(token)
            try:
                if response.next_request is not None:
                    self.policy.check_redirect(str(request.url), str(response.next_request.url))
                    if hops == MAX_REDIRECTS:
                        raise Upstream(
                            f"{service} redirected more than {MAX_REDIRECTS} times (last to {request.url.host});"
                            " hub-mcp stopped following. The registry is misconfigured; try again later."
                        )
                    log.debug(
                        "%s %s%s -> %s (redirect)",
                        request.method,
                        request.url.host,
                        request.url.path,
                        response.status_code,
                    )
                    request = response.next_request
                    hop = Hop(via=origin, what="a redirect", scheme=request.url.scheme)
                    continue
                if request.method == "HEAD":
                    return response, b"", False
                async with _CALL_READS.get() or nullcontext():  # outside a call: no turns to take
                    content, truncated = await self._read(response, body, service)
                return response, content, truncated
            finally:
                await response.aclose()
        raise AssertionError("unreachable")  # pragma: no cover

    def _unfollowable(self, bad: _BadLocation, service: str, hop: Hop) -> Exception:
        """The sentence for a redirect httpx cannot follow: the egress policy's refusal when its host is an
        address in a legacy form (``0177.0.0.1`` is 127.0.0.1 to a resolver), else an upstream fault. Either
        way it is how that server answers, so it is never retried."""
        try:
            parts = urlsplit(bad.location)
            scheme, host, port = parts.scheme or "http", parts.hostname or "", parts.port
        except ValueError:  # an unclosed [ or a port that is not a number: no host to check
            scheme, host, port = "http", "", None
        if host and legacy_ipv4(host):
            self.policy.check_url(scheme, host, port, Hop(via=hop.via, what=hop.what, scheme=scheme))
        origin = _netloc(bad.origin)
        return Upstream(
            f"{service} ({origin}) sent a redirect hub-mcp cannot follow: its Location {excerpt(bad.location, 120)!r}"
            f" is not a valid URL ({excerpt(bad.problem, 80)}); the server is misconfigured, so trying again will"
            " not help: try another registry or tell its operator."
        )

    async def _read(self, response: httpx.Response, body: BodyKind, service: str) -> tuple[bytes, bool]:
        """The body, streamed, up to its limit. A success body past the limit is refused (``TooLarge``); an
        error body is cut there (only its code and message are wanted)."""
        failed = not 200 <= response.status_code < 300
        kind: str = "error" if failed else body
        limit = BODY_LIMITS[kind] if not failed else min(BODY_LIMITS["error"], BODY_LIMITS[body])
        declared = response.headers.get("content-length", "")
        if not failed and declared.isdigit() and int(declared) > limit:
            raise self._too_large(service, kind, limit, f"says it is {size_text(int(declared))}")
        content = bytearray()  # grown in place: a body costs its size once while read, not twice
        async for chunk in self._inflated(response, limit, service):
            if len(content) + len(chunk) > limit:
                if failed:
                    content += chunk[: limit - len(content)]
                    return bytes(content), True
                # Freed now: the exception's traceback keeps this frame (and the body) alive as long as
                # the exception is kept, e.g. until every FROM line of a review is answered.
                content.clear()
                raise self._too_large(service, kind, limit, "went on past it")
            content += chunk
        return bytes(content), False

    @staticmethod
    async def _inflated(response: httpx.Response, limit: int, service: str) -> AsyncIterator[bytes]:
        """The body as sent, decoded here rather than by httpx, never more than ``INFLATE_STEP`` bytes
        at a time: a compressed body is inflated in bounded steps, so a gzip bomb costs one step
        of memory, not its whole inflated size (httpx inflates each network chunk at once)."""
        if response.is_stream_consumed:  # a transport that handed over a body already read (in-process fakes)
            yield response.content
            return
        encoding = response.headers.get("content-encoding", "").strip().lower()
        if encoding in ("", "identity"):
            async for raw in response.aiter_raw():
                yield raw
            return
        if encoding not in ("gzip", "x-gzip", "deflate"):
            raise Upstream(
                f"{service} answered in an encoding hub-mcp does not read ({encoding[:40]}) although only gzip or"
                " deflate was accepted; try again later or another registry."
            )
        wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
        decoder = zlib.decompressobj(wbits)
        step = min(limit + 1, INFLATE_STEP)
        started = False
        async for raw in response.aiter_raw():
            data = raw
            while data:
                try:
                    out = decoder.decompress(data, step)
                except zlib.error:
                    if encoding == "deflate" and wbits > 0 and not started:
                        wbits = -zlib.MAX_WBITS  # deflate sent raw, without the zlib header (as httpx allows)
                        decoder = zlib.decompressobj(wbits)
                        continue
                    raise Upstream(f"{service} sent a corrupt {encoding} body; try again later.") from None
                if out:
                    started = True
                    yield out
                data = decoder.unconsumed_tail
        tail = decoder.flush()
        if tail:
            yield tail

    @staticmethod
    def _too_large(service: str, kind: str, limit: int, how: str) -> TooLarge:
        words = _KIND_WORDS[kind]
        return TooLarge(
            f"{service[:1].upper()}{service[1:]} sent {words} larger than hub-mcp reads ({size_text(limit)}, the"
            f" limit for {words}; the response {how}); it stopped reading. The registry or image is not one"
            " hub-mcp can read; try another tag or registry.",
            limit=limit,
        )

    # --- retry policy -------------------------------------------------------------------

    def _wait_seconds(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Retry) and exc.retry_after is not None:
            return float(exc.retry_after)
        return min(BACKOFF_MAX, BACKOFF_BASE * 2 ** (state.attempt_number - 1))

    def _should_stop(self, state: RetryCallState) -> bool:
        if state.attempt_number > self.max_retries:
            return True
        return state.idle_for + state.upcoming_sleep > self.retry_max_wait

    # --- rate-limit bookkeeping ---------------------------------------------------------

    def _record_rate_limit(self, host: str, headers: httpx.Headers) -> RateLimit | None:
        sent = rate_headers_of(headers)
        if sent:
            self.rate_headers[host] = RateHeaders(values=sent, seen_at=time.time())
        limit = _int_header(headers, "x-ratelimit-limit") or _int_header(headers, "ratelimit-limit")
        remaining = _int_header(headers, "x-ratelimit-remaining")
        if remaining is None:
            remaining = _int_header(headers, "ratelimit-remaining")
        if limit is None and remaining is None:
            return None
        reset = plausible_time(_int_header(headers, "x-ratelimit-reset"))  # 10**400 would overflow float()
        state = RateLimit(limit=limit, remaining=remaining, reset_at=reset)
        self.rate_limits[host] = state
        return state

    async def _wait_for_budget(self, host: str, service: str) -> None:
        """When the host said we have no requests left, wait for its reset or refuse now."""
        state = self.rate_limits.get(host)
        if self.budget is not None:  # what all replicas have left, this request taken from it
            state = await self.budget.spend(host) or state
        if state is None or state.remaining is None or state.remaining > 0:
            return
        wait = state.seconds_until_reset()
        if wait is None or wait <= 0:
            return
        if wait > self.retry_max_wait:
            raise RateLimited(
                f"{service} rate limit is used up ({state.limit} per window); it resets in {int(wait) + 1} seconds."
                " Try again then.",
                retry_after=wait,
            )
        log.info("rate limit used up for %s; waiting %.1f s for the reset", host, wait)
        await self._sleep(wait)
        state.remaining = None


def _netloc(url: httpx.URL) -> str:
    host = f"[{url.host}]" if ":" in url.host else url.host
    return f"{host}:{url.port}" if url.port else host
