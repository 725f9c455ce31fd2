"""The MCPServer: instructions, lifespan, and the toolsets it registers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from mcp.server import MCPServer

from hub_mcp import __version__
from hub_mcp.config.settings import Settings
from hub_mcp.runtime import Runtime
from hub_mcp.server.icons import CACHE_HINTS, SERVER_ICONS
from hub_mcp.server.tool_calls import ToolCallServer
from hub_mcp.server.toolsets import toolsets

if TYPE_CHECKING:
    from hub_mcp.config.credentials import Credentials

log = logging.getLogger("hub_mcp.server")

INSTRUCTIONS = """\
hub-mcp answers Docker Hub questions with compact, checked facts.
- Finding an image: search_images (an exact name match comes first; 'trust' says official,
  verified_publisher, open_source or community).
- Choosing a tag: list_tags (newest first, platforms and compressed size per tag), then
  get_tag to confirm the exact tag before writing it in a Dockerfile. get_tag says whether a
  tag exists, which platforms it has, whether it is stale, and when it does not exist, the
  closest existing tags: use one of those, never invent a tag.
- About a repository: get_repository (README only with include_readme=true).
- Choosing a base image: suggest_base_images (ranked, verified candidates with benefits and
  what was rejected and why); reviewing a Dockerfile's FROM lines: review_base_images.
- Inside an image: inspect_image (user, entrypoint, cmd, ports, env, labels, size for one
  platform). It reads any registry: Docker Hub, ghcr.io, quay.io, a private one.
- list_tags and get_tag also take references on other registries (ghcr.io/owner/app); those
  registries give no dates, and the answer says what it could not know.
- Pull and API budgets: get_rate_limit (pulls and Hub API calls left; a notice on every answer
  when either runs low).
- Managing your own repositories (with credentials): list_namespaces (where you may create),
  list_repositories, create_repository, update_repository (sends only what you give),
  delete_tag and delete_repository. A deletion asks the person first; when the client cannot
  ask, it answers deleted=false with what would go: show that to the person and call again with
  confirm set to the full reference only if they say yes. Never pass confirm on your own.
Resources: dockerhub://repositories/{namespace}/{name}[/tags/{tag}] (JSON), .../readme and
.../tags (markdown: the README bounded, a tag table newest first), dockerhub://namespaces/{namespace}
(its repositories), dockerhub://rate-limit (pulls and API calls left), and hub-mcp://lifecycle/{runtime}
(supported versions and end-of-life dates).
Pass tags as JSON strings ("3.10", not 3.10). Errors say what to do next."""


WARM_UP_DELAY = 0.1
"""Seconds between answering ``tools/list`` and starting the warm-up: a margin so that the
answer is serialized and written before the warm-up competes with it for the interpreter.
Not tuned finely: a model reads the tool list for far longer, and a call that comes sooner
cuts the delay short."""


class WarmUpAfterToolsList:
    """Middleware: once ``tools/list`` has been answered, build the services in the background
    (:meth:`Runtime.warm_up`): a client lists the tools, the model reads them, then it calls one."""

    async def __call__(self, ctx: Any, call_next: Any) -> Any:
        result = await call_next(ctx)
        runtime = getattr(ctx, "lifespan_context", None)
        if getattr(ctx, "method", None) == "tools/list" and isinstance(runtime, Runtime):
            runtime.warm_up(WARM_UP_DELAY)
        return result


def create_server(
    settings: Settings | None = None,
    *,
    hub_transport: Any = None,
    registry_transport: Any = None,
    osv_transport: Any = None,
    today: date | None = None,
    warm_up: bool = False,
) -> MCPServer[Runtime]:
    """Build the server. The transports (httpx) let tests serve a fake Hub or registry in-process;
    ``today`` fixes the date the advisor judges end of life by. ``warm_up`` builds the clients
    in the background once ``tools/list`` has been answered (the command line turns it on)."""
    import hub_mcp.server.completions as completions
    import hub_mcp.server.prompts as prompts
    import hub_mcp.server.resources as resources
    from hub_mcp.server.apps import ViewsForAppsClients, apps_extension
    from hub_mcp.server.modes import choose_tools, instructions_note
    from hub_mcp.server.registration import build_tools

    settings = settings or Settings()
    placeholders = settings.placeholder_warning()
    if placeholders:  # said once, here, when the server is made: not on every answer
        log.warning(placeholders)
    slot = completions.RuntimeSlot()  # the completion handler gets no request context: it looks here
    found: list[Credentials] = []

    def credentials() -> Credentials:
        """One resolution of the logins (it may run a credential helper), shared with the runtime;
        imported only when asked: with no write tool to decide on, start-up never is."""
        if not found:
            from hub_mcp.config.credentials import Credentials

            found.append(Credentials(settings))
        return found[0]

    offer = choose_tools(toolsets(), settings, lambda: settings.has_credentials or credentials().hub() is not None)

    @asynccontextmanager
    async def lifespan(_: MCPServer[Runtime]) -> AsyncIterator[Runtime]:
        runtime = Runtime(
            settings,
            hub_transport=hub_transport,
            registry_transport=registry_transport,
            osv_transport=osv_transport,
            today=today,
            credentials=credentials,
        )
        slot.runtime = runtime
        try:
            yield runtime
        finally:
            if slot.runtime is runtime:
                slot.runtime = None
            await runtime.aclose()

    server: MCPServer[Runtime] = ToolCallServer(
        name="hub-mcp",
        title="Docker Hub",
        version=__version__,
        icons=SERVER_ICONS,
        cache_hints=CACHE_HINTS,
        instructions=INSTRUCTIONS + instructions_note(settings, offer),
        lifespan=lifespan,
        log_level=settings.log_level,
        middleware=[ViewsForAppsClients(), *([WarmUpAfterToolsList()] if warm_up else [])],
        tools=build_tools(offer.collector),  # stored schemas when fresh: see registration.py
        extensions=[apps_extension(offer.collector.registered)],  # the views of the tools that have one
        withheld=offer.withheld,
        write_scope=settings.oauth_write_scope if settings.oauth_issuer and settings.transport != "stdio" else None,
    )
    # Prompts and resources follow the toolsets whose tools they stand for (see resources.py, prompts.py).
    prompts.register(server, offer.toolsets)
    resources.register(server, offer.toolsets, slot)
    completions.register(server, slot)
    return server
