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
| ``priorities`` | small, secure, compatible |

The Hub-backed ones go through :class:`hub_mcp.hub.completion.Completer` (answers reused, keystrokes
coalesced, bounded). A completion never fails: any error gives an empty list and a log line.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mcp.server import MCPServer
from mcp.types import Completion, CompletionArgument, CompletionContext, PromptReference, ResourceTemplateReference

from hub_mcp.hub.completion import EMPTY, PLATFORMS, Suggestions, suggest, suggest_in_list

if TYPE_CHECKING:
    from hub_mcp.runtime import Runtime
    from hub_mcp.services import Services

logger = logging.getLogger(__name__)

PRIORITIES = ("small", "secure", "compatible")


@dataclass
class RuntimeSlot:
    """Where the completion handler finds the process's runtime: the SDK passes a completion
    handler no request context, so the server's lifespan puts its runtime here."""

    runtime: Runtime | None = None


async def suggestions_for(services: Services, argument: str, value: str, known: dict[str, str]) -> Suggestions:
    """The completion of ``argument`` typed as ``value``, the other arguments being ``known``."""
    completer = services.completer
    if argument == "namespace":
        return await completer.namespaces(value)
    if argument == "name":
        namespace, _, prefix = value.rpartition("/")
        if namespace:  # "bitnami/re": complete within bitnami, keep the namespace in the values
            found = await completer.names(namespace, prefix)
            return Suggestions([f"{namespace}/{n}" for n in found.values], found.total, found.has_more)
        return await completer.names(known.get("namespace") or "library", prefix)
    if argument == "tag":
        repository = known.get("name", "").strip()
        namespace, _, name = repository.rpartition("/")
        namespace = namespace or known.get("namespace") or "library"
        return await completer.tags(namespace, name, value) if name else EMPTY
    if argument in ("runtime", "what"):
        from hub_mcp.vocab import lifecycle
        from hub_mcp.advisor.runtimes import known_runtimes

        names = lifecycle.table_info()["runtimes"] if argument == "runtime" else known_runtimes()
        return suggest(sorted(names), value.strip().lower())
    if argument == "version":
        return _versions(services, (known.get("what") or known.get("runtime") or "").strip().lower(), value.strip())
    if argument == "platforms":
        return suggest_in_list(PLATFORMS, value)
    if argument == "priorities":
        return suggest_in_list(PRIORITIES, value)
    return EMPTY


def _versions(services: Services, what: str, prefix: str) -> Suggestions:
    """Supported versions of the runtime ``what`` names (its first word that is a known runtime), newest first."""
    from hub_mcp.vocab import lifecycle

    known = set(lifecycle.table_info()["runtimes"])
    runtime = next((word for word in what.replace(",", " ").split() if word in known), None)
    if runtime is None:
        return EMPTY
    rows = lifecycle.supported_lines(runtime, services.advisor.today())
    return suggest([row.version for row in rows], prefix)


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
                    found = await suggestions_for(await runtime.services(), argument.name, argument.value, known)
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
