"""Serving over stdio, with the end of input waiting for the answers still owed.

A client may write its requests and close its side (``printf ... | hub-mcp``, a script, a client
that shuts down right after its last call). The SDK's loop takes the end of stdin as the end of
the connection and cancels whatever is running, answering "Connection closed". Here the read
side holds the end of input back until every request read has been answered (or cancelled by
the client), for at most ``grace`` seconds, then lets the loop end as before. ``grace`` is the
per-call deadline plus a margin (:func:`drain_grace`): a call stops at its deadline with an
answer that says so, and that answer still gets written.

Ctrl-C (SIGINT) calls ``on_interrupt``, which stops the process at once: the SDK reads stdin in
a worker thread that cannot be cancelled, so letting the interrupt unwind the loop would wait for
a line that a person at a terminal never types (and then print a traceback).
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, NoReturn

import anyio
from mcp.server.stdio import stdio_server
from mcp.shared.message import SessionMessage
from mcp.types import (
    INVALID_REQUEST,
    PARSE_ERROR,
    ErrorData,
    JSONRPCError,
    JSONRPCNotification,
    JSONRPCRequest,
    JSONRPCResponse,
)
from pydantic import ValidationError

from hub_mcp.config.settings import Settings

if TYPE_CHECKING:
    from mcp.server import MCPServer

log = logging.getLogger("hub_mcp.server")

DRAIN_MARGIN = 2.0
"""Seconds past the per-call deadline that the end of input waits: room to write the deadline's answer."""


def drain_grace(settings: Settings) -> float:
    """How long the end of input waits for answers still owed: the per-call deadline, plus a margin."""
    return settings.call_timeout + DRAIN_MARGIN


class Owed:
    """The ids of the requests read and not yet answered, and a way to wait until there are none."""

    def __init__(self) -> None:
        self.ids: set[Any] = set()
        self._settled = anyio.Event()
        self._settled.set()

    def add(self, request_id: Any) -> None:
        self.ids.add(request_id)
        if self._settled.is_set():
            self._settled = anyio.Event()

    def discard(self, request_id: Any) -> None:
        self.ids.discard(request_id)
        if not self.ids:
            self._settled.set()

    async def settled(self) -> None:
        await self._settled.wait()


def unreadable_line_error(exc: Exception) -> JSONRPCError:
    """The answer to a line that is not one JSON-RPC message (JSON-RPC 2.0, section 5.1: a parse error is
    -32700, an invalid request -32600, both with id null). The SDK only logged such a line at DEBUG and
    answered nothing, so a client waiting for its answer (to a batch, say) waited for ever."""
    errors = exc.errors(include_url=False) if isinstance(exc, ValidationError) else []
    kinds = {error["type"] for error in errors}
    if "json_invalid" in kinds:
        code, message = PARSE_ERROR, "The line is not JSON: send one JSON-RPC message per line, as a JSON object."
    elif errors and all(isinstance(error.get("input"), list) for error in errors):
        code, message = INVALID_REQUEST, (
            "JSON-RPC batches (a JSON array of messages) are not supported: MCP dropped them in protocol version"
            " 2025-06-18; send one message per line."
        )
    else:
        code, message = INVALID_REQUEST, (
            "The line is JSON but not a JSON-RPC message (it needs \"jsonrpc\": \"2.0\", and a \"method\" or a"
            " \"result\"): send one JSON-RPC message per line."
        )
    return JSONRPCError(jsonrpc="2.0", id=None, error=ErrorData(code=code, message=message))


class DrainingReadStream:
    """The transport's read stream, whose end waits (up to ``grace`` s) for ``owed`` to empty; a line that
    is not a JSON-RPC message is answered here (:func:`unreadable_line_error`), through ``answer``."""

    def __init__(self, inner: Any, owed: Owed, grace: float, answer: Any = None) -> None:
        self._inner = inner
        self._owed = owed
        self._grace = grace
        self._answer = answer

    @property
    def last_context(self) -> Any:  # the sender's contextvars, which the SDK reads off the stream it is given
        return getattr(self._inner, "last_context", None)

    async def receive(self) -> Any:
        while True:
            try:
                item = await self._inner.receive()
            except anyio.EndOfStream:
                await self._drain()
                raise
            if not isinstance(item, Exception) or self._answer is None:
                break
            log.warning("a line on stdin was not a JSON-RPC message; answered with an error")
            await self._answer.send(SessionMessage(unreadable_line_error(item)))
        if isinstance(item, SessionMessage):
            message = item.message
            if isinstance(message, JSONRPCRequest):
                self._owed.add(message.id)
            elif isinstance(message, JSONRPCNotification) and message.method == "notifications/cancelled":
                params = message.params or {}
                self._owed.discard(params.get("requestId"))  # the client stopped waiting: nothing is owed
        return item

    async def _drain(self) -> None:
        if not self._owed.ids:
            return
        grace = self._grace
        log.debug("end of input with %d request(s) running: waiting up to %g s", len(self._owed.ids), grace)
        with anyio.move_on_after(grace):
            await self._owed.settled()
        if self._owed.ids:
            log.warning("end of input: %d request(s) still unanswered after %g s; stopping", len(self._owed.ids), grace)

    def __aiter__(self) -> DrainingReadStream:
        return self

    async def __anext__(self) -> Any:
        try:
            return await self.receive()
        except anyio.EndOfStream:
            raise StopAsyncIteration from None

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def __aenter__(self) -> DrainingReadStream:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()


class AnsweringWriteStream:
    """The transport's write stream, which crosses a request off ``owed`` once its answer is written."""

    def __init__(self, inner: Any, owed: Owed) -> None:
        self._inner = inner
        self._owed = owed

    async def send(self, item: Any, /) -> None:
        try:
            await self._inner.send(item)
        finally:
            message = item.message if isinstance(item, SessionMessage) else None
            if isinstance(message, JSONRPCResponse | JSONRPCError):
                self._owed.discard(message.id)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def __aenter__(self) -> AnsweringWriteStream:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()


async def serve_stdio(server: MCPServer[Any], grace: float, on_interrupt: Callable[[], NoReturn]) -> None:
    """Serve ``server`` on stdin/stdout until the end of input, answering what was asked before it;
    on Ctrl-C, call ``on_interrupt`` (which must end the process).

    As ``MCPServer.run_stdio_async``, with the streams wrapped; it reaches for the SDK's low-level
    server, which that method also runs (tests/e2e/test_first_contact.py notices if that changes).
    """
    lowlevel = server._lowlevel_server
    owed = Owed()
    async with anyio.create_task_group() as group:
        group.start_soon(_stop_on_interrupt, on_interrupt)
        async with stdio_server() as (read_stream, write_stream):
            answering = AnsweringWriteStream(write_stream, owed)
            await lowlevel.run(
                DrainingReadStream(read_stream, owed, grace, answer=write_stream),
                answering,
                lowlevel.create_initialization_options(),
            )
        group.cancel_scope.cancel()


async def _stop_on_interrupt(on_interrupt: Callable[[], NoReturn]) -> None:
    with anyio.open_signal_receiver(signal.SIGINT) as signals:
        async for _ in signals:
            on_interrupt()
