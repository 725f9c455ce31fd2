"""Resources: the same facts as the read tools, addressable by URI, plus the end-of-life table.

Clients that let a user attach context (rather than a model call a tool) read these:
``dockerhub://repositories/{namespace}/{name}`` (JSON), ``.../tags/{tag}`` (JSON),
``.../readme`` (markdown, bounded), ``.../tags`` (a markdown tag table, newest first), and
``dockerhub://namespaces/{namespace}`` (JSON: the namespace's repositories, newest first, private
ones when the credentials may see them), and ``hub-mcp://lifecycle/{runtime}`` (the bundled
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
from hub_mcp.server.results import answer, within_deadline

if TYPE_CHECKING:
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


def register(server: MCPServer, toolsets: Iterable[str] = ("repositories", "tags", "advisor")) -> None:
    """Each resource stands for a tool and is offered with that tool's toolset: a repository, its
    README and a namespace's repositories with ``repositories`` (get_repository, list_repositories), a tag and the tag table with ``tags`` (get_tag,
    list_tags), the lifecycle table with ``advisor``."""
    chosen = set(toolsets)
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
