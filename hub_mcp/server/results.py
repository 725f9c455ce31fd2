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


async def respond(ctx: Context, call: Callable[[Any], Awaitable[BaseModel]]) -> CallToolResult:
    """Run a service call and give the model its view: compact JSON text plus the same as structured content."""
    runtime = cast(Runtime, ctx.request_context.lifespan_context)
    try:
        view = await call(await runtime.services())
    except HubMCPError as exc:
        raise ToolError(str(exc)) from None
    data = answer_data(runtime, view)
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=data)


def answer_data(runtime: Runtime, view: BaseModel) -> dict[str, Any]:
    """The view as JSON-ready data, with the runtime's notices (credentials rejected, ...) added."""
    notices = runtime.notices()
    if notices and isinstance(view, Answer):
        view = view.model_copy(update={"notices": [*(view.notices or []), *notices]})
    return view.model_dump(mode="json", exclude_none=True)
