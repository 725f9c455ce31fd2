"""MCP Apps: the views (:mod:`hub_mcp.ui`) offered as ``ui://`` resources through the SDK's Apps extension.

The extension advertises ``io.modelcontextprotocol/ui`` in the server's capabilities (2026-era clients:
the SDK sends no ``extensions`` to a 2025-era one, whose host finds the view by the tool's ``_meta``); the
tools that have a view name it in ``_meta.ui.resourceUri`` (their toolset modules say which). A view is
offered only when its tool is.

A client that did not declare MCP Apps (``capabilities.extensions["io.modelcontextprotocol/ui"]`` with
the view MIME type) gets today's answers exactly (SEP-2133: an extension degrades to the core protocol):
its ``tools/list`` carries no ``_meta.ui`` and its ``resources/list`` no ``ui://`` resource
(:class:`ViewsForAppsClients`; the MCP Apps specification: servers "SHOULD check client capabilities
before registering UI-enabled tools"). Where the server cannot know what the client declared, it lists
the views: a stateless HTTP server keeps nothing of a 2025-era client's ``initialize``, and hiding them
there would take the views from every such host (Claude and VS Code connect so today), while a client
without Apps ignores ``_meta.ui``. Tool results never depend on the client.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from mcp.server.apps import APP_MIME_TYPE, Apps, client_supports_apps
from mcp.server.mcpserver.resources import FunctionResource

from hub_mcp.ui import MIME_TYPE, PAGES, RESOURCE_META, document

if MIME_TYPE != APP_MIME_TYPE:  # the room's constant and the SDK's name the same thing
    raise ImportError(f"hub_mcp.ui serves views as {MIME_TYPE!r}, the SDK as {APP_MIME_TYPE!r}")


def view_names(tools: Iterable[tuple[Any, dict[str, Any]]]) -> list[str]:
    """The views the offered tools name (``(function, options)`` pairs as the collector holds them)."""
    names: list[str] = []
    for _, options in tools:
        uri = ((options.get("meta") or {}).get("ui") or {}).get("resourceUri")
        names.extend(page.name for page in PAGES.values() if page.uri == uri and page.name not in names)
    return names


def apps_extension(tools: Iterable[tuple[Any, dict[str, Any]]]) -> Apps:
    """The Apps extension with the view of every offered tool that has one; each document is built on its first read."""
    apps = Apps()
    for name in view_names(tools):
        page = PAGES[name]
        apps.add_resource(
            FunctionResource(
                uri=page.uri,
                name=page.name,
                title=page.title,
                description=page.description,
                mime_type=APP_MIME_TYPE,
                meta=RESOURCE_META,
                fn=functools.partial(document, name),
            )
        )
    return apps


class ViewsForAppsClients:
    """Middleware: ``tools/list`` and ``resources/list`` without the views for a client that did not declare
    MCP Apps. It edits the wire form of the answer (a dict, as the SDK hands it to middleware)."""

    async def __call__(self, ctx: Any, call_next: Any) -> Any:
        result = await call_next(ctx)
        method = getattr(ctx, "method", None)
        if method not in ("tools/list", "resources/list") or not isinstance(result, dict):
            return result
        if _declared_capabilities(ctx) is None or client_supports_apps(ctx):  # unknown, or declared: the views
            return result
        if method == "tools/list":
            return {**result, "tools": [_without_view(tool) for tool in result.get("tools", [])]}
        kept = [r for r in result.get("resources", []) if not str(r.get("uri", "")).startswith("ui://")]
        return {**result, "resources": kept}


def _declared_capabilities(ctx: Any) -> Any:
    """What the client declared (its ``initialize``, or the request's ``_meta`` in the 2026 revision); None
    when this connection does not know (stateless HTTP after a 2025-era ``initialize``)."""
    try:
        return ctx.session.client_capabilities
    except (AttributeError, RuntimeError):
        return None


def _without_view(tool: Any) -> Any:
    meta = tool.get("_meta") if isinstance(tool, dict) else None
    if not isinstance(meta, dict) or "ui" not in meta:
        return tool
    rest = {key: value for key, value in meta.items() if key != "ui"}
    stripped = {key: value for key, value in tool.items() if key != "_meta"}
    return {**stripped, "_meta": rest} if rest else stripped
