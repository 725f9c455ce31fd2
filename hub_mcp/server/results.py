"""How a tool's answer reaches the model: a view becomes the tool result, an error a ``ToolError``.

The toolset modules import from here (never from ``app.py``, which imports them). Every error
of the taxonomy becomes a ``ToolError`` carrying its sentence here and only here.

:func:`answer` is also where every call (tools and resources alike) gets its total deadline,
``HUB_MCP_CALL_TIMEOUT``, on top of the per-request timeout and retries (CPU-bound work such as
reading a Dockerfile pauses between slices, so the deadline stops it too), and where an
exception that no service turned into a sentence (a bug) becomes one: the model reads what to
do, the log keeps the traceback.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel

from hub_mcp.answers.views import Answer
from hub_mcp.errors import HubMCPError, Internal, TimedOut
from hub_mcp.runtime import Runtime

if TYPE_CHECKING:
    from hub_mcp.services import Services

log = logging.getLogger("hub_mcp.server")
T = TypeVar("T")

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=True)
#: Creates something new; calling it twice does not create twice (the second is refused) but is not a no-op answer.
CREATE = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=True)
#: Overwrites fields it is given (the old description or README is lost); the same call twice changes nothing more.
UPDATE = ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True, open_world_hint=True)
#: Deletes for good (after the person's confirmation); deleting again finds nothing more to delete.
DELETE = ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True, open_world_hint=True)


async def respond(ctx: Context, call: Callable[[Services], Awaitable[BaseModel]]) -> CallToolResult:
    """Run a service call and give the model its view: compact JSON text plus the same as structured content."""
    try:
        data = await answer(ctx, call)
    except HubMCPError as exc:
        raise ToolError(str(exc)) from None
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=data)


async def answer(ctx: Context, call: Callable[[Services], Awaitable[BaseModel]]) -> dict[str, Any]:
    """Run a service call (tools and resources alike) and return its view as JSON-ready data, with the
    services' notices (credentials rejected, ...) added. Errors as :func:`within_deadline` gives them."""
    return await answer_in(cast(Runtime, ctx.request_context.lifespan_context), call)


async def answer_in(runtime: Runtime, call: Callable[[Services], Awaitable[BaseModel]]) -> dict[str, Any]:
    """:func:`answer` for a caller that has the runtime but no request context (a static resource: the SDK gives
    those none)."""
    view, services = await run_within_deadline(runtime, call)
    notices = services.notices()
    if notices and isinstance(view, Answer):
        view = view.model_copy(update={"notices": [*(view.notices or []), *notices]})
    return view.model_dump(mode="json", exclude_none=True)


def call_seconds(ctx: Context) -> float:
    """The call's total deadline in seconds (a long write paces itself to end before it)."""
    return cast(Runtime, ctx.request_context.lifespan_context).settings.call_timeout


async def within_deadline(ctx: Context, call: Callable[[Services], Awaitable[T]]) -> tuple[T, Services]:
    """Run ``call(services)`` within the call's total deadline: every tool, resource and resolver
    (a deletion's facts) goes through here. Errors of the taxonomy pass through; the call ends at
    its deadline with ``TimedOut``, and any other exception becomes ``Internal``. Returns the
    result and the services."""
    return await run_within_deadline(cast(Runtime, ctx.request_context.lifespan_context), call)


async def run_within_deadline(runtime: Runtime, call: Callable[[Services], Awaitable[T]]) -> tuple[T, Services]:
    """:func:`within_deadline` with the runtime given."""
    limit = runtime.settings.call_timeout
    deadline = asyncio.timeout(limit)
    from hub_mcp.net.http import call_scope  # here, not at start-up: it brings httpx (test_runtime)

    try:
        with call_scope():
            async with deadline:
                services = await runtime.services()
                result = await call(services)
    except HubMCPError:
        raise
    except TimeoutError:
        if not deadline.expired():
            raise internal_error(TimeoutError()) from None
        log.warning("a call was stopped at its deadline of %g s", limit)
        raise TimedOut(
            f"The call did not finish within {limit:g} seconds (HUB_MCP_CALL_TIMEOUT), so hub-mcp stopped it: an"
            " upstream is answering too slowly or not at all, or the input needs too much work. Try again later, or"
            " ask for less (one tag, one image, a shorter Dockerfile)."
        ) from None
    except Exception as exc:
        raise internal_error(exc) from None
    return result, services


def internal_error(exc: BaseException) -> Internal:
    """The sentence for an exception no service turned into one; the traceback goes to the log only."""
    log.error("internal error in a call (%s)", type(exc).__name__, exc_info=exc)
    return Internal(
        f"hub-mcp failed on this call with an internal error ({type(exc).__name__}); the details are in the server"
        " log. Check the arguments (names and tags as in 'python:3.12-slim') and try again, or try another tool."
    )
