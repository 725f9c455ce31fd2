"""The one completion handler: what a person gets while typing a resource-template or prompt argument.

Arguments complete by name, whatever template or prompt they belong to:

| argument | values |
|---|---|
| ``namespace`` | ``library``, the configured user, namespaces Hub's search shows |
| ``name`` | repositories of the namespace given before (``library`` when none); ``bitnami/re`` within bitnami |
| ``tag`` | tags of the repository named in ``context.arguments``, newest first |
| ``runtime``, ``what`` | the runtimes of the end-of-life table / the advisor |
| ``version`` | supported versions of the runtime named in ``what`` or ``runtime`` |
| ``platforms`` | common platforms (the last item of a comma list) |
| ``priorities`` | small, secure, compatible, hardened |

The values come from :meth:`hub_mcp.services.Services.complete` (:func:`hub_mcp.hub.completion.complete_argument`);
the Hub-backed ones go through :class:`hub_mcp.hub.completion.Completer` (answers reused, keystrokes
coalesced, bounded). A completion never fails: any error gives an empty list and a log line.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mcp.server import MCPServer
from mcp.types import Completion, CompletionArgument, CompletionContext, PromptReference, ResourceTemplateReference

from hub_mcp.hub.completion import EMPTY

if TYPE_CHECKING:
    from hub_mcp.runtime import Runtime

logger = logging.getLogger(__name__)


@dataclass
class RuntimeSlot:
    """Where the completion handler finds the process's runtime: the SDK passes a completion
    handler no request context, so the server's lifespan puts its runtime here."""

    runtime: Runtime | None = None


COMPLETION_DEADLINE = 5.0
"""Seconds a completion may take (or HUB_MCP_CALL_TIMEOUT when lower); after that it offers nothing."""


def register(server: MCPServer[Any], slot: RuntimeSlot) -> None:
    @server.completion()
    async def complete(
        ref: PromptReference | ResourceTemplateReference,
        argument: CompletionArgument,
        context: CompletionContext | None,
    ) -> Completion:
        found = EMPTY
        try:
            runtime = slot.runtime
            if runtime is not None:
                known = {
                    k: v for k, v in ((context.arguments if context else None) or {}).items() if isinstance(v, str)
                }
                # a completion answers while someone types: within a short bound, never the call's minute
                async with asyncio.timeout(min(COMPLETION_DEADLINE, runtime.settings.call_timeout)):
                    found = await (await runtime.services()).complete(argument.name, argument.value, known)
        except TimeoutError:
            logger.info("completing %s gave up after %g s: nothing offered", argument.name, COMPLETION_DEADLINE)
        except Exception:  # never an error for a completion: nothing offered, and a log line
            logger.warning(
                "completing %s of %s failed",
                argument.name,
                getattr(ref, "uri", getattr(ref, "name", "?")),
                exc_info=True,
            )
        return Completion(values=found.values, total=found.total, has_more=found.has_more)
