"""Resources: the same facts as the read tools, addressable by URI, plus the end-of-life table.

Clients that let a user attach context (rather than a model call a tool) read these:
``dockerhub://repositories/{namespace}/{name}`` (JSON), ``.../tags/{tag}`` (JSON),
``.../readme`` (markdown, bounded), ``.../tags`` (a markdown tag table, newest first), and
``dockerhub://namespaces/{namespace}`` (JSON: the namespace's repositories, newest first, private
ones when the credentials may see them), ``dockerhub://rate-limit`` (JSON: the pull limit and the Hub API
budget, as get_rate_limit), and ``hub-mcp://lifecycle/{runtime}`` (the bundled
release and end-of-life dates, with sources). A repository, namespace or runtime that does not exist is the protocol's resource-not-found error
(``ResourceNotFoundError``: JSON-RPC -32602); any other failure a resource error (-32603)
with the sentence that says what to do.
"""

import json
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING

from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError
from pydantic import BaseModel

from hub_mcp.errors import HubMCPError, NotFound
from hub_mcp.server.results import answer, answer_in, within_deadline

if TYPE_CHECKING:
    from hub_mcp.server.completions import RuntimeSlot
    from hub_mcp.services import Services


async def _read(ctx: Context, call: "Callable[[Services], Awaitable[BaseModel]]") -> str:
    try:
        data = await answer(ctx, call)
    except NotFound as exc:
        raise ResourceNotFoundError(str(exc)) from None
    except HubMCPError as exc:
        raise ResourceError(str(exc)) from None
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


async def _read_document(ctx: Context, make: "Callable[[Services], Awaitable[str]]") -> str:
    """A document (markdown, or the lifecycle JSON) built from the services within the call's deadline,
    errors mapped as :func:`_read` maps them."""
    try:
        text, _ = await within_deadline(ctx, make)
        return text
    except NotFound as exc:
        raise ResourceNotFoundError(str(exc)) from None
    except HubMCPError as exc:
        raise ResourceError(str(exc)) from None


def register(
    server: MCPServer,
    toolsets: Iterable[str] = ("repositories", "tags", "advisor"),
    slot: "RuntimeSlot | None" = None,
) -> None:
    """Each resource stands for a tool and is offered with that tool's toolset: a repository, its
    README and a namespace's repositories with ``repositories`` (get_repository, list_repositories), a tag and the tag table with ``tags`` (get_tag,
    list_tags), the lifecycle table with ``advisor``, the rate limits with ``namespaces`` (get_rate_limit).
    The rate-limit resource has no URI parameter, and the SDK gives such a static resource no request context,
    so it finds the runtime in ``slot`` (where the server's lifespan puts it, as for completions); without a
    slot it is not offered."""
    chosen = set(toolsets)
    if "namespaces" in chosen and slot is not None:
        _register_rate_limit(server, slot)
    if "repositories" in chosen:
        _register_repository(server)
        _register_namespace(server)
    if "tags" in chosen:
        _register_tag(server)
    if "advisor" in chosen:
        _register_lifecycle(server)


def _register_repository(server: MCPServer) -> None:
    @server.resource(
        "dockerhub://repositories/{namespace}/{name}",
        title="Docker Hub repository",
        description="Facts about a repository (as get_repository, without the README).",
        mime_type="application/json",
    )
    async def repository_resource(namespace: str, name: str, ctx: Context) -> str:
        return await _read(ctx, lambda s: s.get_repository(f"{namespace}/{name}"))

    @server.resource(
        "dockerhub://repositories/{namespace}/{name}/readme",
        title="Docker Hub README",
        description="A repository's README as markdown. Long READMEs are cut to about 4,000 characters with every"
        " section heading kept; the first line gives the full length and the repository page.",
        mime_type="text/markdown",
    )
    async def readme_resource(namespace: str, name: str, ctx: Context) -> str:
        return await _read_document(ctx, lambda s: s.readme_document(f"{namespace}/{name}"))


NAMESPACE_ROWS = 100
"""Repositories in the namespace resource: one page of Hub's largest, newest first."""


def _register_namespace(server: MCPServer) -> None:
    @server.resource(
        "dockerhub://namespaces/{namespace}",
        title="Docker Hub namespace",
        description=f"A user's or organization's repositories (as list_repositories): the newest {NAMESPACE_ROWS}"
        " by last push, private ones when the configured credentials may see them, with the total.",
        mime_type="application/json",
    )
    async def namespace_resource(namespace: str, ctx: Context) -> str:
        return await _read(ctx, lambda s: s.list_repositories(namespace, limit=NAMESPACE_ROWS))


def _register_tag(server: MCPServer) -> None:
    @server.resource(
        "dockerhub://repositories/{namespace}/{name}/tags/{tag}",
        title="Docker Hub tag",
        description="Whether a tag exists, its platforms, digest and staleness (as get_tag).",
        mime_type="application/json",
    )
    async def tag_resource(namespace: str, name: str, tag: str, ctx: Context) -> str:
        return await _read(ctx, lambda s: s.get_tag(f"{namespace}/{name}", tag))

    @server.resource(
        "dockerhub://repositories/{namespace}/{name}/tags",
        title="Docker Hub tag table",
        description="The newest 100 tags of a repository as a markdown table, newest first: tags of one image on one"
        " row, with the push date, compressed size (linux/amd64) and platforms.",
        mime_type="text/markdown",
    )
    async def tag_table_resource(namespace: str, name: str, ctx: Context) -> str:
        return await _read_document(ctx, lambda s: s.tag_table_document(f"{namespace}/{name}"))


def _register_lifecycle(server: MCPServer) -> None:
    @server.resource(
        "hub-mcp://lifecycle/{runtime}",
        title="Runtime end-of-life dates",
        description="Supported versions of a runtime (python, node, golang, java, postgres, ...) with their"
        " end-of-life dates and sources, from the table bundled with hub-mcp.",
        mime_type="application/json",
    )
    async def lifecycle_resource(runtime: str, ctx: Context) -> str:
        return await _read_document(ctx, lambda s: s.lifecycle_document(runtime))


def _register_rate_limit(server: MCPServer, slot: "RuntimeSlot") -> None:
    @server.resource(
        "dockerhub://rate-limit",
        title="Docker Hub rate limits",
        description="Pulls and Docker Hub API calls left (as get_rate_limit): the limits, what remains, the window and"
        " what the pulls are counted for, exactly as Docker Hub's headers say; read with a HEAD that is not a pull.",
        mime_type="application/json",
    )
    async def rate_limit_resource() -> str:
        runtime = slot.runtime
        if runtime is None:  # only between the server's lifespan ending and a late read
            raise ResourceError("hub-mcp is shutting down, so the rate limits cannot be read now; try again after it restarts.")
        try:
            data = await answer_in(runtime, lambda s: s.rate_limit_status())
        except HubMCPError as exc:
            raise ResourceError(str(exc)) from None
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)
