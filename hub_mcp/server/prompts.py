"""Prompts: guided workflows a user can pick in their client."""

from collections.abc import Iterable
from typing import Annotated

from mcp.server import MCPServer
from pydantic import Field


def choose_base_image_text(
    what: str, version: str | None = None, platforms: str | None = None, priorities: str | None = None
) -> str:
    """The walk-through: requirements → suggestion → verification → the FROM line."""
    wanted = [f"it runs {what}"]
    if version:
        wanted.append(f"version {version}")
    if platforms:
        wanted.append(f"platforms {platforms}")
    if priorities:
        wanted.append(f"priorities: {priorities}")
    return f"""Choose a base image for a Dockerfile: {', '.join(wanted)}.

Work in four steps and do not skip any:
1. Requirements. Settle what the image must do before choosing: the runtime and version
   (a version string such as "3.12", never a number), every platform it must run on (for
   example linux/amd64 and linux/arm64), the purpose of each stage (build needs compilers;
   runtime should be small), and whether native dependencies need glibc (then avoid alpine).
   Ask the user about anything that is unclear and matters.
2. Suggestion. Call suggest_base_images with those requirements (runtime, version,
   platforms, purpose, priorities). Read the candidates' reasons and warnings, and read
   `rejected`: it explains why a tag you might have expected (an end-of-life version, a
   removed repository such as openjdk, a tag without your platform) was left out. If the list
   is empty, tell the user why and what to relax. Do not invent a tag.
3. Verification. For the tag you pick, call get_tag to confirm it exists with every platform
   you need and is not stale. If the user cares which user the image runs as, or which ports
   and entrypoint it has, call inspect_image. For an existing Dockerfile, call
   review_base_images on it.
4. The FROM line. Write the chosen reference exactly as returned. Offer the digest-pinned
   form (`pinned_reference`) for reproducible builds, with the plain tag in a comment so that
   people can still read which version it is. For multi-stage builds, give each stage its own
   FROM: a build image for compiling and a small runtime image for the final stage.
"""


def register(server: MCPServer, toolsets: Iterable[str] = ("advisor",)) -> None:
    """The walk-through drives suggest_base_images, so it is offered with the advisor toolset."""
    if "advisor" not in toolsets:
        return

    @server.prompt(
        name="choose-base-image",
        title="Choose a base image",
        description="Walk through requirements, a verified suggestion, verification, and the FROM line.",
    )
    def choose_base_image(
        what: Annotated[str, Field(description="What the image runs, e.g. 'a Django app on Python'.")],
        version: Annotated[str | None, Field(description="Runtime version, e.g. '3.12'.")] = None,
        platforms: Annotated[str | None, Field(description="Platforms, e.g. 'linux/amd64, linux/arm64'.")] = None,
        priorities: Annotated[str | None, Field(description="small, secure or compatible.")] = None,
    ) -> str:
        return choose_base_image_text(what, version, platforms, priorities)
