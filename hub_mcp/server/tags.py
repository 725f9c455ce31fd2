"""Toolset: tags."""

from typing import Annotated

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from hub_mcp.answers.views import TagInfo, TagListResult
from hub_mcp.server.args import (
    AnyRepository,
    Architecture,
    OperatingSystem,
    OptionalTag,
    Page,
    RepositoryMaybeTagged,
    TagOrdering,
)
from hub_mcp.server.host import ToolHost
from hub_mcp.server.results import READ_ONLY, respond

TOOLSET = "tags"


def register(server: ToolHost) -> None:
    @server.tool(title="List image tags", annotations=READ_ONLY)
    async def list_tags(
        ctx: Context,
        repository: AnyRepository,
        name: Annotated[
            str | None, Field(max_length=128, description="Only tags containing this text, e.g. '3.12' or 'slim'.")
        ] = None,
        architecture: Architecture = None,
        os: OperatingSystem = None,
        ordering: Annotated[
            TagOrdering,
            Field(description="newest = most recently pushed first; oldest; name = A-Z; name_desc = Z-A."),
        ] = "newest",
        limit: Annotated[int, Field(ge=1, le=100, description="Tags per page.")] = 25,
        page: Page = 1,
    ) -> Annotated[CallToolResult, TagListResult]:
        """List a repository's tags, most recently pushed first: per tag its platforms, compressed
        size (for the asked architecture/os, else linux/amd64), last push date and digest; tags
        not meant for production (rc, beta, dev, edge...) carry prerelease.

        Use name to narrow (e.g. '3.12' or 'alpine'), architecture/os to keep only tags built for
        a platform, page/next_page to see more. To check one exact tag, use get_tag. Repositories
        on other registries (ghcr.io/owner/app) give tag names only, ordered by version.
        """
        return await respond(
            ctx,
            lambda s: s.list_tags(
                repository, name=name, architecture=architecture, os=os, ordering=ordering, limit=limit, page=page
            ),
        )

    @server.tool(title="Check one tag", annotations=READ_ONLY)
    async def get_tag(
        ctx: Context,
        repository: RepositoryMaybeTagged,
        tag: OptionalTag = None,
    ) -> Annotated[CallToolResult, TagInfo]:
        """Check that a tag exists before you use it, e.g. in a Dockerfile FROM line.

        If it exists: the reference and its digest-pinned form, platforms with compressed size
        and digest, last push, and whether it is stale (no longer rebuilt while other tags are),
        with newer supported tags of the same line. lifecycle says when the line should not be built
        on, as review_base_images would: end of life (with its day), a deprecated repository (with
        the successors it names), stale. If it does not exist: exists=false and the closest
        existing, maintained tags (same variant, nearest versions). Use one of those; never guess.
        """
        return await respond(ctx, lambda s: s.get_tag(repository, tag))
