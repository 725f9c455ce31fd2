"""Toolset: choosing base images (and, with review_base_images, checking the ones in use)."""

from typing import Annotated, Literal

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from hub_mcp.advisor.requests import ReviewRequest, SuggestRequest, build_args_tuple
from hub_mcp.answers.views import Review, Suggestion
from hub_mcp.server.args import strict_string
from hub_mcp.server.host import ToolHost
from hub_mcp.server.results import READ_ONLY, respond
from hub_mcp.ui import tool_meta

TOOLSET = "advisor"


def register(server: ToolHost) -> None:
    @server.tool(title="Suggest base images", annotations=READ_ONLY, meta=tool_meta("suggestions"))
    async def suggest_base_images(
        ctx: Context,
        runtime: Annotated[
            str | None,
            Field(
                max_length=50,
                description="What the image runs: python, node, java, go, rust, php, ruby, postgres, mysql, mariadb,"
                " redis, mongo, nginx, httpd, alpine, debian, ubuntu, busybox, dotnet (from mcr.microsoft.com);"
                " other words fall back to search.",
            ),
            strict_string("runtime", '"python"'),
        ] = None,
        image: Annotated[
            str | None,
            Field(
                max_length=200,
                description="Or a Docker Hub repository to pick a tag from, e.g. 'bitnami/redis'"
                " (or mcr.microsoft.com/dotnet/sdk, aspnet, runtime).",
            ),
            strict_string("image", '"eclipse-temurin"'),
        ] = None,
        version: Annotated[
            str | None,
            Field(max_length=40, description="Version as a JSON string: '3.12', '21', '>=3.11,<3.14' or 'lts'."),
            strict_string("version", '"3.12"'),
        ] = None,
        platforms: Annotated[
            list[Annotated[str, Field(max_length=40)]] | None,
            Field(max_length=6, description="Every platform the image must have, e.g. ['linux/amd64', 'linux/arm64']."),
        ] = None,
        purpose: Annotated[
            Literal["runtime", "build", "dev"],
            Field(description="runtime = the final stage (small); build = compilers and headers; dev = full tooling."),
        ] = "runtime",
        priorities: Annotated[
            list[Literal["small", "secure", "compatible", "hardened"]] | None,
            Field(
                max_length=4,
                description="What matters most: small size, security, compatibility (glibc), a Docker Hardened"
                " Image equivalent (hardened: those first).",
            ),
        ] = None,
        libc: Annotated[Literal["glibc", "musl"] | None, Field(description="Require glibc or musl (alpine).")] = None,
        distro: Annotated[
            str | None,
            Field(max_length=30, description="Require a distro: debian, alpine, ubuntu, or a codename (bookworm)."),
            strict_string("distro", '"debian"'),
        ] = None,
        variant: Annotated[
            str | None,
            Field(max_length=30, description="Require a variant token: slim, jre, jdk, fpm, apache, cli, alpine."),
            strict_string("variant", '"slim"'),
        ] = None,
        os: Annotated[Literal["linux", "windows"], Field(description="Operating system of the image.")] = "linux",
        limit: Annotated[int, Field(ge=1, le=10, description="How many candidates.")] = 5,
        tools: Annotated[
            list[Annotated[str, Field(max_length=40)]] | None,
            Field(
                max_length=3,
                description="Build tools a build or dev stage runs, e.g. ['maven'] or ['gradle']: the official images"
                " that carry the tool on the runtime's line come first; a tool without one is named in the notes.",
            ),
        ] = None,
    ) -> Annotated[CallToolResult, Suggestion]:
        """Suggest base images for a Dockerfile, ranked and explained, every one verified on Docker Hub
        (.NET: on mcr.microsoft.com, which gives no push dates).

        Give what the image is for (runtime, e.g. 'python', or image, a repository) and, as
        needed, version, platforms, purpose and priorities. Each candidate has the exact FROM
        reference and its digest-pinned form, the tags that are the same image (aliases),
        platforms, compressed size, last push, end of upstream support, trust, a score and its
        benefits (each with its value and share of the score), plus warnings (musl, end of
        life). With no version, the line the maintainers tag lts, stable or latest (and its
        variants) comes first; development tags never appear. With priorities ['secure'], the
        first candidates' SBOMs are looked up in OSV: fewer known critical, then high, then total
        vulnerabilities rank first, each assessed candidate carries its counts, and the notes name
        those that could not be assessed (absent counts are unknown, not zero). An official image's
        candidate names its Docker Hardened Image equivalent (hardened: -dev for build purposes,
        verified when read live on dhi.io or your organization's mirror; the notes say what changes in
        the Dockerfile); priorities ['hardened'] puts candidates with one first. 'rejected' says what
        was left out and why (end of life, missing platform, stale, nonexistent version), so
        a first idea like python:3.8 or openjdk is corrected. An empty list means nothing
        satisfies the request: say so rather than guessing a tag.
        """

        async def progress(done: float, total: float, message: str) -> None:
            await ctx.report_progress(done, total, message)

        request = SuggestRequest(
            runtime=runtime,
            image=image,
            version=version,
            platforms=tuple(platforms or ()),
            purpose=purpose,
            priorities=tuple(priorities or ()),
            libc=libc,
            distro=distro,
            variant=variant,
            os=os,
            limit=limit,
            tools=tuple(tools or ()),
        )
        return await respond(ctx, lambda s: s.suggest(request, progress))

    @server.tool(title="Review base images", annotations=READ_ONLY, meta=tool_meta("review"))
    async def review_base_images(
        ctx: Context,
        dockerfile: Annotated[
            str | None,
            Field(max_length=200_000, description="The Dockerfile's text. Every FROM is reviewed (multi-stage aware)."),
        ] = None,
        reference: Annotated[
            str | None,
            Field(max_length=400, description="Or one image reference to review (one line), e.g. 'python:3.8-slim'."),
            strict_string("reference", '"python:3.12-slim"'),
        ] = None,
        build_args: Annotated[
            dict[str, Annotated[str, Field(max_length=500)]] | None,
            Field(max_length=50, description="Values for ARGs used in FROM lines, e.g. {'PY_VERSION': '3.12'}."),
        ] = None,
        platforms: Annotated[
            list[Annotated[str, Field(max_length=40)]] | None,
            Field(
                max_length=6,
                description="Platforms every image must have, e.g. ['linux/amd64', 'linux/arm64'];"
                " also what $BUILDPLATFORM/$TARGETPLATFORM in a FROM --platform stand for.",
            ),
        ] = None,
        inspect: Annotated[
            bool, Field(description="Also read each image's config to say whether it runs as root (more requests).")
        ] = False,
        vulnerabilities: Annotated[
            bool,
            Field(
                description="Also compare known vulnerabilities (the images' SBOMs checked against OSV) of each line's"
                " image, its refresh and its upgrade: what each move removes and adds (more requests; progress is"
                " reported)."
            ),
        ] = False,
    ) -> Annotated[CallToolResult, Review]:
        """Review the base images of a Dockerfile (or one reference), line by line.

        For each FROM, and each image a COPY --from or RUN --mount from= uses (marked by
        'instruction'): does the tag exist (for the asked platforms, and for a FROM's own
        --platform)? is its line still rebuilt or stale? is the runtime or distro past end of
        life? is it 'latest' or untagged? runs as root (with inspect=true)? Each line gets a
        verdict (ok, warn, fail; unknown when Hub or the registry could not answer; skipped for
        scratch and stage references), its findings, a refresh (the same tag pinned to today's
        digest) and an upgrade (a better line from suggest_base_images). ARG values are substituted from build_args or their defaults;
        unknown ones are reported, never guessed. With vulnerabilities=true, each line also says how many known
        vulnerabilities its image has, and how many the refresh and the upgrade remove and add (unknown, with the
        reason, when an image carries no SBOM). An official image's line names its Docker Hardened Image
        equivalent (hardened: the runtime variant for the image the final stage is built on, -dev for
        build stages).
        """

        async def progress(done: float, total: float, message: str) -> None:
            await ctx.report_progress(done, total, message)

        request = ReviewRequest(
            dockerfile=dockerfile,
            reference=reference,
            build_args=build_args_tuple(build_args),
            platforms=tuple(platforms or ()),
            inspect=inspect,
            vulnerabilities=vulnerabilities,
        )
        return await respond(ctx, lambda s: s.review(request, progress))
