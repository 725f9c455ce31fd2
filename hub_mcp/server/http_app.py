"""Serving MCP over HTTP, safely: ``/mcp`` behind a bearer token and Host/Origin allow-lists, ``/health``.

- ``/mcp`` is the SDK's streamable-HTTP endpoint. It answers 2025-era clients (``initialize``,
  optionally a session) and 2026 clients (no session) alike. By default it is stateless
  (:attr:`Settings.stateless`): no session lives in one process, so replicas behind a load
  balancer need no sticky sessions, and each answer is plain JSON, not an event stream: a
  third less CPU per call (benchmarks/http_load.py), at the price of progress notifications
  (review_base_images sends some). A 2025-era client's confirmation round trip needs a session
  anyway. ``--stateful`` keeps sessions and event streams, with progress.
- DNS-rebinding protection is on whatever the bind address (the SDK turns it on only for
  loopback ones): the ``Host`` header must be a loopback name, the bind address itself, or one
  of ``HUB_MCP_ALLOWED_HOSTS``; a browser's ``Origin``, when sent, a loopback one or one of
  ``HUB_MCP_ALLOWED_ORIGINS``. Otherwise 421 (Host) or 403 (Origin), with a sentence naming the value
  and the setting that admits it, in the answer and the log (:class:`FrontDoor`).
- ``GET /mcp`` on a stateless server is 405 (no session, so no event stream to open); a JSON-RPC
  batch is one JSON-RPC error (MCP dropped batches in 2025-06-18).
- With ``HUB_MCP_AUTH_TOKEN`` every request but ``/health`` needs ``Authorization: Bearer
  <token>``, compared in constant time; otherwise 401. The header is removed before the request
  goes further, so nothing below can pass a client's token on (to Docker Hub or anywhere):
  Docker Hub is only ever sent the server's own credentials.
- With ``HUB_MCP_OAUTH_ISSUER`` instead, the server is an OAuth resource server: JWT access tokens
  from that issuer, its protected-resource metadata, and a write scope for write tools
  (:mod:`hub_mcp.server.oauth`). The two cannot be set together.
- ``GET /health`` answers 200 with the version and asks nothing upstream.

A non-loopback bind without a token is refused when the settings are read (see
:class:`hub_mcp.config.settings.Settings`), unless ``--allow-unauthenticated``.

Why a small ASGI gate for the static token rather than the SDK's ``token_verifier``: that path is an
OAuth resource server and needs an authorization server's ``issuer_url``; a shared static token has
none, and inventing one would advertise OAuth to clients that cannot use it. With an issuer, the
SDK's parts are used (:mod:`hub_mcp.server.oauth`), in a gate of the same shape as this one so that
``/health`` stays open and the header is dropped the same way.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
from typing import TYPE_CHECKING, Any

from hub_mcp import __version__
from hub_mcp.config.settings import Settings, is_loopback
from hub_mcp.errors import excerpt

if TYPE_CHECKING:
    from mcp.server import MCPServer
    from mcp.server.transport_security import TransportSecuritySettings
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("hub_mcp.server.http")

MCP_PATH = "/mcp"
HEALTH_PATH = "/health"
OPEN_PATHS = frozenset({HEALTH_PATH})
"""Paths served without the bearer token: they tell nothing but that the server is up."""

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
WILDCARD_BINDS = ("0.0.0.0", "::", "")
_HAS_PORT = re.compile(r"(^\[[^\]]*\]|^[^:\[\]]*):(\d+|\*)$")


def _with_any_port(entry: str) -> list[str]:
    """``name`` → ``name`` and ``name:*`` (a Host header carries a port unless it is the scheme's default)."""
    return [entry] if _HAS_PORT.match(entry) else [entry, f"{entry}:*"]


def allowed_hosts(settings: Settings) -> list[str]:
    hosts: list[str] = []
    for name in LOOPBACK_HOSTS:
        hosts += _with_any_port(name)
    bind = settings.host.strip().lower()
    if bind not in WILDCARD_BINDS and not is_loopback(bind):
        hosts += _with_any_port(f"[{bind}]" if ":" in bind else bind)
    for entry in settings.allowed_hosts:
        hosts += _with_any_port(entry)
    return list(dict.fromkeys(hosts))


def allowed_origins(settings: Settings) -> list[str]:
    origins = [f"http://{name}:*" for name in LOOPBACK_HOSTS] + [f"http://{name}" for name in LOOPBACK_HOSTS]
    for entry in settings.allowed_origins:
        origins += [entry] if re.search(r":(\d+|\*)$", entry.split("://", 1)[1]) else [entry, f"{entry}:*"]
    return list(dict.fromkeys(origins))


def transport_security(settings: Settings) -> TransportSecuritySettings:
    """Host and Origin allow-lists, on for every bind address."""
    from mcp.server.transport_security import TransportSecuritySettings

    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=allowed_hosts(settings),
        allowed_origins=allowed_origins(settings),
    )


class BearerTokenGate:
    """ASGI middleware: requests (but to :data:`OPEN_PATHS`) need ``Authorization: Bearer <token>``.

    Tokens are compared as SHA-256 digests with :func:`hmac.compare_digest`: constant time, and
    no length leaks either. The header is dropped from the request once checked.
    """

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self._expected = hashlib.sha256(token.encode()).digest()

    def accepts(self, authorization: bytes | None) -> bool:
        if not authorization:
            return False
        scheme, _, presented = authorization.strip().partition(b" ")
        if scheme.lower() != b"bearer" or not presented.strip():
            return False
        return hmac.compare_digest(hashlib.sha256(presented.strip()).digest(), self._expected)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or scope.get("path") in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        headers: list[tuple[bytes, bytes]] = list(scope.get("headers") or [])
        authorization = next((value for key, value in headers if key.lower() == b"authorization"), None)
        if not self.accepts(authorization):
            await _refuse(send, "missing" if authorization is None else "invalid")
            return
        kept = [(key, value) for key, value in headers if key.lower() != b"authorization"]
        await self.app({**scope, "headers": kept}, receive, send)


class _SaidByFrontDoor(logging.Filter):
    """Drops the SDK validator's own warning for a refused Host or Origin ("Invalid Host header: x"):
    :class:`FrontDoor` asks that validator first and logs one sentence with the fix instead."""

    _SAID = ("Invalid Host header", "Missing Host header", "Invalid Origin header")

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self._SAID)


class FrontDoor:
    """ASGI middleware in front of the SDK's ``/mcp``: what it would answer badly, answered with one sentence.

    - a ``Host`` (or browser ``Origin``) not allowed: 421 (403) naming the value and the setting that
      admits it, in the body and the log (the SDK says only "Invalid Host header");
    - ``GET`` on a stateless server: 405, ``Allow: POST`` (the SDK opens an event stream that never
      sends anything: there is no session for it to belong to);
    - a JSON-RPC batch (a body that is a JSON array): 400 with one JSON-RPC error (the SDK answers
      pydantic's validation errors for a union of four message types). MCP dropped batches in
      protocol version 2025-06-18.

    The Host and Origin rules are the SDK's own (its validator, given this server's lists), so the two
    can never disagree; the SDK still checks them after this.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        from mcp.server.transport_security import TransportSecurityMiddleware
        from mcp.server.transport_security import logger as sdk_log

        self.app = app
        self.stateless = settings.stateless
        self._rules = TransportSecurityMiddleware(transport_security(settings))
        if not any(isinstance(f, _SaidByFrontDoor) for f in sdk_log.filters):
            sdk_log.addFilter(_SaidByFrontDoor())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        headers = {key.lower(): value for key, value in scope.get("headers") or []}
        host = headers.get(b"host", b"").decode("latin-1")
        origin = headers.get(b"origin", b"").decode("latin-1")
        if not self._rules._validate_host(host):
            message = _host_refusal(host)
            log.warning("%s", message)
            await _json_rpc_error(send, 421, message)
            return
        if not self._rules._validate_origin(origin):
            message = _origin_refusal(origin)
            log.warning("%s", message)
            await _json_rpc_error(send, 403, message)
            return
        method = scope.get("method")
        if method == "GET" and self.stateless and scope.get("path") == MCP_PATH:
            await _json_rpc_error(
                send,
                405,
                "This server is stateless and keeps no event stream for GET /mcp: send each JSON-RPC request"
                " with POST /mcp (start the server with --stateful for server-sent events).",
                [(b"allow", b"POST")],
            )
            return
        if method == "POST":
            first, receive = await _peek(receive)
            if first == b"[":
                await _json_rpc_error(
                    send,
                    400,
                    "JSON-RPC batches (a JSON array of messages) are not supported: MCP dropped them in protocol"
                    " version 2025-06-18; send one request per message, each in its own POST.",
                    code=-32600,
                )
                return
        await self.app(scope, receive, send)


def _shown_header(value: str) -> str:
    """A header value as a message shows it: printable, at most 100 characters, quoted."""
    return repr(excerpt(value, 100))


def _host_refusal(host: str) -> str:
    if not host:
        return (
            "The request has no Host header, which this server needs (DNS-rebinding protection); send the host"
            " name clients use to reach it."
        )
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return (
        f"The Host header {_shown_header(host)} is not one this server answers to (DNS-rebinding protection):"
        f" if clients reach it by that name, add it to HUB_MCP_ALLOWED_HOSTS (or --allowed-hosts), e.g."
        f" HUB_MCP_ALLOWED_HOSTS={excerpt(name, 100)}."
    )


def _origin_refusal(origin: str) -> str:
    return (
        f"The browser Origin {_shown_header(origin)} is not allowed to use this server: if that web app should,"
        f" add it to HUB_MCP_ALLOWED_ORIGINS (or --allowed-origins), e.g. HUB_MCP_ALLOWED_ORIGINS={excerpt(origin, 100)}."
    )


async def _peek(receive: Receive) -> tuple[bytes, Receive]:
    """The first byte of a request body that is not white space (``b""`` for none), and a ``receive``
    that hands the app the whole body again: only the messages up to that byte are held."""
    held: list[Message] = []
    first = b""
    while True:
        message = await receive()
        held.append(message)
        if message["type"] != "http.request":
            break
        stripped = (message.get("body") or b"").lstrip(b" \t\r\n")
        if stripped:
            first = stripped[:1]
            break
        if not message.get("more_body", False):
            break

    async def replay() -> Message:
        if held:
            return held.pop(0)
        return await receive()

    return first, replay


async def _json_rpc_error(
    send: Send, status: int, message: str, headers: list[tuple[bytes, bytes]] | None = None, code: int = -32000
) -> None:
    """An HTTP error whose body is a JSON-RPC error (as the SDK's own), which MCP clients show."""
    body = json.dumps({"jsonrpc": "2.0", "id": None, "error": {"code": code, "message": message}}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _refuse(send: Send, why: str) -> None:
    description = (
        "This server needs Authorization: Bearer <token> (the value of its HUB_MCP_AUTH_TOKEN)."
        if why == "missing"
        else "The bearer token is not this server's HUB_MCP_AUTH_TOKEN."
    )
    # RFC 6750, section 3.1: a request without any credentials gets no error code, only the challenge.
    error = {} if why == "missing" else {"error": "invalid_token"}
    body = json.dumps({**error, "error_description": description}).encode()
    challenge = b'Bearer realm="hub-mcp"' + (b', error="invalid_token"' if error else b"")
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"www-authenticate", challenge),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def health(_: Any) -> Any:
    """``GET /health``: up, and which version; no upstream request."""
    from starlette.responses import JSONResponse

    return JSONResponse({"status": "ok", "name": "hub-mcp", "version": __version__})


def build_http_app(server: MCPServer[Any], settings: Settings) -> ASGIApp:
    """The ASGI app to serve: ``/mcp`` and ``/health``, behind the OAuth gate when an issuer is set, else
    the bearer gate when a token is set."""
    server.custom_route(HEALTH_PATH, methods=["GET"], include_in_schema=False)(health)
    app: ASGIApp = server.streamable_http_app(
        streamable_http_path=MCP_PATH,
        stateless_http=settings.stateless,
        json_response=settings.stateless,
        transport_security=transport_security(settings),
        host=settings.host,
    )
    app = FrontDoor(app, settings)
    if settings.oauth_issuer:
        from hub_mcp.server.oauth import OAuthGate

        app = OAuthGate(app, settings, OPEN_PATHS)
    elif settings.auth_token:
        app = BearerTokenGate(app, settings.auth_token.get_secret_value())
    return app


def header_deadline(seconds: float) -> type[asyncio.Protocol]:
    """uvicorn's HTTP protocol (httptools when installed, else h11), closing a connection that does not
    send a complete request head within ``seconds``: from when it opens, and again from the end of each
    response. uvicorn has no such timeout: its keep-alive timer is cancelled by any byte received, so a
    client trickling a head (slowloris) holds a connection, and its memory, for ever.

    The clock stops when uvicorn hands a request to the app (the head is complete then, whichever parser
    read it) and restarts when the app's response is complete."""
    from uvicorn.protocols.http.auto import AutoHTTPProtocol

    base: Any = AutoHTTPProtocol

    class HeaderDeadline(base):
        app: ASGIApp

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._head_clock: asyncio.TimerHandle | None = None
            inner: ASGIApp = self.app

            async def app(scope: Scope, receive: Receive, send: Send) -> None:
                self._stop_head_clock()

                async def sending(message: Message) -> None:
                    await send(message)
                    if message["type"] == "http.response.body" and not message.get("more_body", False):
                        self._start_head_clock()

                await inner(scope, receive, sending)

            self.app = app

        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            super().connection_made(transport)
            self._start_head_clock()

        def connection_lost(self, exc: Exception | None) -> None:
            self._stop_head_clock()
            super().connection_lost(exc)

        def _start_head_clock(self) -> None:
            self._stop_head_clock()
            self._head_clock = self.loop.call_later(seconds, self._head_too_slow)

        def _stop_head_clock(self) -> None:
            if self._head_clock is not None:
                self._head_clock.cancel()
                self._head_clock = None

        def _head_too_slow(self) -> None:
            self._head_clock = None
            if not self.transport.is_closing():
                log.info("closed a connection that sent no complete request head within %g s", seconds)
                self.transport.close()

    return HeaderDeadline


def uvicorn_config(app: ASGIApp, settings: Settings, **overrides: Any) -> Any:
    """uvicorn's configuration for serving ``app`` as ``settings`` say (``overrides``: tests' own port)."""
    import uvicorn

    return uvicorn.Config(app, **uvicorn_options(settings, **overrides))


def uvicorn_options(settings: Settings, **overrides: Any) -> dict[str, Any]:
    """uvicorn's keyword arguments for serving as ``settings`` say."""
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level.lower(),
        "access_log": settings.log_level == "DEBUG",
        "server_header": False,
        "http": header_deadline(settings.http_header_timeout),
        "ws": "none",  # MCP speaks no WebSocket; an upgraded connection would escape the head clock
    }
    options.update(overrides)
    return options


def run_http(server: MCPServer[Any], settings: Settings) -> None:
    """Serve over HTTP until interrupted (uvicorn; its logs go to stderr)."""
    import uvicorn

    uvicorn.Server(uvicorn_config(build_http_app(server, settings), settings)).run()


def run_workers(settings: Settings, app: str, protocol: str) -> None:
    """Serve over HTTP from ``settings.workers`` processes on one port, until interrupted.

    On Linux each worker listens on a socket of its own (``SO_REUSEPORT``), so that the kernel spreads new
    connections over them (:mod:`hub_mcp.server.workers`, which also says the trade-offs); elsewhere they
    share one listening socket (uvicorn's supervisor). Either way a worker that dies is restarted, and SIGINT
    or SIGTERM stops them all. A spawned worker shares no Python object with this process: it imports ``app``
    and ``protocol`` (``module:attribute`` strings; ``app`` a factory) and builds its own server. Each worker
    caches alone unless HUB_MCP_CACHE_URL gives them one Redis; the rate-limit budget likewise."""
    import uvicorn

    from hub_mcp.server.workers import Supervisor, spreads_connections

    if settings.cache_url is None:
        log.warning(
            "%d workers without HUB_MCP_CACHE_URL: each caches Docker Hub's answers and counts the rate-limit"
            " budget alone; set HUB_MCP_CACHE_URL=redis://... for them to share both",
            settings.workers,
        )
    options = uvicorn_options(settings, factory=True, workers=settings.workers, http=protocol)
    if not spreads_connections():
        uvicorn.run(app, **options)
        return
    Supervisor(uvicorn.Config(app, **options), settings.workers).run()
