"""Toolset: looking inside images."""

from typing import Annotated

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult

from hub_mcp.answers.views import ImageDetails
from hub_mcp.server.args import ImageRef, PlatformArg
from hub_mcp.server.host import ToolHost
from hub_mcp.server.results import READ_ONLY, respond

TOOLSET = "images"


def register(server: ToolHost) -> None:
    @server.tool(title="Inspect an image", annotations=READ_ONLY)
    async def inspect_image(
        ctx: Context, reference: ImageRef, platform: PlatformArg = "linux/amd64"
    ) -> Annotated[CallToolResult, ImageDetails]:
        """What an image is, for one platform: the user it runs as (says plainly when root),
        entrypoint, cmd, working dir, exposed ports, environment, OCI labels (source, version,
        licenses), compressed size, layer count, created date, every platform it offers, and
        the digest-pinned reference to write in FROM.

        Reads any registry (Docker Hub, ghcr.io, quay.io, a private one). Use it before writing
        a Dockerfile on top of an image: to know which USER, ports and paths to expect. A
        platform the image lacks is an error that lists the platforms it has.
        """
        return await respond(ctx, lambda s: s.inspect_image(reference, platform))
