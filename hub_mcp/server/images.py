"""Toolset: looking inside images (their config, and what their attestations say)."""

from typing import Annotated, Literal

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from hub_mcp.answers.views import ImageComparison, ImageDetails, ImagePackages, ImageProvenance, ImageVulnerabilities
from hub_mcp.server.args import ImageRef, Page, PlatformArg, strict_string
from hub_mcp.server.host import ToolHost
from hub_mcp.server.results import READ_ONLY, respond
from hub_mcp.ui import tool_meta

TOOLSET = "images"

PackageName = Annotated[
    str | None,
    Field(min_length=1, max_length=128, description="Only packages whose name contains this text, e.g. 'ssl'."),
    strict_string("name", '"openssl"'),
]
PackageType = Annotated[
    str | None,
    Field(
        min_length=1,
        max_length=32,
        description="Only packages of this package-URL type: deb, apk, rpm, pypi, npm, golang, maven, gem, cargo...",
    ),
    strict_string("type", '"deb"'),
]


BeforeRef = Annotated[
    str,
    Field(
        min_length=1,
        max_length=400,
        description="The image compared from (e.g. the tag in use): 'python:3.12-slim', 'ghcr.io/owner/app@sha256:...'.",
    ),
    strict_string("before", '"python:3.12-slim"'),
]
AfterRef = Annotated[
    str,
    Field(
        min_length=1,
        max_length=400,
        description="The image compared to (e.g. the candidate): 'python:3.13-slim', 'ghcr.io/owner/app:1.3'.",
    ),
    strict_string("after", '"python:3.13-slim"'),
]


Severity = Annotated[
    Literal["critical", "high", "medium", "low"] | None,
    Field(description="Only findings at least this severe."),
]


def register(server: ToolHost) -> None:
    @server.tool(title="Inspect an image", annotations=READ_ONLY)
    async def inspect_image(
        ctx: Context, reference: ImageRef, platform: PlatformArg = "linux/amd64"
    ) -> Annotated[CallToolResult, ImageDetails]:
        """What an image is, for one platform: the user it runs as (says plainly when root),
        entrypoint, cmd, working dir, exposed ports, environment, OCI labels (source, version,
        licenses), compressed size, layer count, created date, every platform it offers, the
        digest-pinned reference to write in FROM, and built_from: the base images its provenance
        says it was built on, when it carries provenance.

        Reads any registry (Docker Hub, ghcr.io, quay.io, a private one). Use it before writing
        a Dockerfile on top of an image: to know which USER, ports and paths to expect. A
        platform the image lacks is an error that lists the platforms it has.
        """
        return await respond(ctx, lambda s: s.inspect_image(reference, platform))

    @server.tool(title="List an image's packages", annotations=READ_ONLY)
    async def list_image_packages(
        ctx: Context,
        reference: ImageRef,
        platform: PlatformArg = "linux/amd64",
        name: PackageName = None,
        type: PackageType = None,
        limit: Annotated[int, Field(ge=1, le=200, description="Packages per page.")] = 50,
        page: Page = 1,
    ) -> Annotated[CallToolResult, ImagePackages]:
        """The packages inside an image for one platform, from the SBOM it carries (an SPDX
        attestation, as Docker Official Images and `buildx build --sbom=true` images have): the
        OS and release, the count per type (deb, apk, rpm, pypi, npm...), and the packages with
        versions and source packages, by name. Filter with name/type, page with page/next_page.

        An image without an SBOM answers found=false: its packages are unknown, not none.
        """
        return await respond(
            ctx, lambda s: s.image_packages(reference, platform, name=name, type=type, limit=limit, page=page)
        )

    @server.tool(title="Show how an image was built", annotations=READ_ONLY)
    async def get_image_provenance(
        ctx: Context, reference: ImageRef, platform: PlatformArg = "linux/amd64"
    ) -> Annotated[CallToolResult, ImageProvenance]:
        """How an image was built, from its SLSA provenance attestation: the source repository
        and commit, the Dockerfile path, build start and end, the builder, and the base images
        the build pulled, with the digests they had then. Use it to learn what an image is built
        FROM. An image without provenance answers found=false.
        """
        return await respond(ctx, lambda s: s.image_provenance(reference, platform))

    @server.tool(title="List an image's known vulnerabilities", annotations=READ_ONLY)
    async def list_image_vulnerabilities(
        ctx: Context,
        reference: ImageRef,
        platform: PlatformArg = "linux/amd64",
        min_severity: Severity = None,
        package: PackageName = None,
        fixable: Annotated[bool, Field(description="Only findings with a fixed version available.")] = False,
        limit: Annotated[int, Field(ge=1, le=50, description="Findings per page.")] = 20,
        page: Page = 1,
    ) -> Annotated[CallToolResult, ImageVulnerabilities]:
        """Known vulnerabilities of an image for one platform: its SBOM's packages looked up in
        OSV (osv.dev). Counts by severity (from CVSS vectors; unknown otherwise), then the most
        severe first, each with its id, CVE aliases, package, installed and fixed version, and a
        summary. Filter by min_severity, package or fixable; page with page/next_page.

        status=unknown (no SBOM, OSV unreachable) means not known, never none; packages OSV
        has no ecosystem for are counted in not_covered.
        """
        return await respond(
            ctx,
            lambda s: s.image_vulnerabilities(
                reference,
                platform,
                min_severity=min_severity,
                package=package,
                fixable=fixable,
                limit=limit,
                page=page,
            ),
        )

    @server.tool(title="Compare two images", annotations=READ_ONLY, meta=tool_meta("comparison"))
    async def compare_images(
        ctx: Context,
        before: BeforeRef,
        after: AfterRef,
        platform: PlatformArg = "linux/amd64",
        packages: Annotated[
            bool, Field(description="Compare the packages of their SBOMs (2 more registry requests per image).")
        ] = True,
        vulnerabilities: Annotated[
            bool,
            Field(description="Also count known vulnerabilities per severity from OSV, with the delta (slower: OSV lookups)."),
        ] = False,
    ) -> Annotated[CallToolResult, ImageComparison]:
        """What differs from one image to another for one platform, as `docker scout compare` shows it: digests,
        platforms, size and layer count of each, the layers they share (count and bytes, and the common base),
        the created dates, and only the config settings that differ (user, entrypoint, cmd, working dir, exposed
        ports, env and labels by name: added, removed, changed). With packages (default), the packages of their
        SBOMs added, removed, upgraded and downgraded, with versions; with vulnerabilities=true, known
        vulnerabilities per severity on each side and the delta.

        Reads any registry, either side on its own. Use it to see what an upgrade of a base image changes
        (before: the tag in use, after: the candidate). An image without an SBOM makes packages status=unknown:
        not known, never 'no change'. A platform one side lacks is an error naming the platforms both offer.
        """
        return await respond(
            ctx,
            lambda s: s.compare_images(
                before, after, platform, packages=packages, vulnerabilities=vulnerabilities
            ),
        )
