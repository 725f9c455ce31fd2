"""How a tool's answer reaches the model: a view becomes the tool result, an error a ``ToolError``.

The toolset modules import from here (never from ``app.py``, which imports them). Every error
of the taxonomy becomes a ``ToolError`` carrying its sentence here and only here.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any, cast

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel

from hub_mcp.errors import HubMCPError
from hub_mcp.runtime import Runtime
from hub_mcp.views import Answer

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=True)
#: Creates something new; calling it twice does not create twice (the second is refused) but is not a no-op answer.
CREATE = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=True)
#: Overwrites fields it is given (the old description or README is lost); the same call twice changes nothing more.
UPDATE = ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True, open_world_hint=True)
#: Deletes for good (after the person's confirmation); deleting again finds nothing more to delete.
DELETE = ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True, open_world_hint=True)


async def respond(ctx: Context, call: Callable[[Any], Awaitable[BaseModel]]) -> CallToolResult:
    """Run a service call and give the model its view: compact JSON text plus the same as structured content."""
    try:
        data = await answer(ctx, call)
    except HubMCPError as exc:
        raise ToolError(str(exc)) from None
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=data)


async def answer(ctx: Context, call: Callable[[Any], Awaitable[BaseModel]]) -> dict[str, Any]:
    """Run a service call (tools and resources alike) and return its view as JSON-ready data, with the
    services' notices (credentials rejected, ...) added. Errors of the taxonomy pass through."""
    runtime = cast(Runtime, ctx.request_context.lifespan_context)
    services = await runtime.services()
    view = await call(services)
    notices = services.notices()
    if notices and isinstance(view, Answer):
        view = view.model_copy(update={"notices": [*(view.notices or []), *notices]})
    return view.model_dump(mode="json", exclude_none=True)
