"""Prompts: guided workflows a user can pick in their client (slash commands).

``choose-base-image`` (requirements → suggestion → verification → FROM line),
``audit-dockerfile`` (review every FROM, then the edited lines) and ``explain-image`` (what is in
an image and how to use it). Their arguments complete as they are typed (``server/completions.py``):
``what`` and ``version`` from the runtimes hub-mcp knows, ``namespace``, ``name`` and ``tag`` from
Docker Hub, ``platforms`` and ``priorities`` from fixed lists.
"""

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
   platforms, purpose, priorities). Read the candidates' benefits and warnings, and read
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


def audit_dockerfile_text(dockerfile: str, platforms: str | None = None) -> str:
    """The audit: review every image the Dockerfile uses, then propose the edited lines."""
    where = f" It must run on {platforms}." if platforms else ""
    return f"""Audit the base images of this Dockerfile and propose the edited lines.{where}

```dockerfile
{dockerfile.strip()}
```

1. Review. Call review_base_images once with the whole Dockerfile above as `dockerfile`
   (and `platforms` when given). It checks every FROM, and every image a COPY --from or
   RUN --mount uses, with ARGs substituted. Do not review lines by hand instead.
2. Report. For each reviewed line give its line number, the image as written, the verdict
   (ok, warn, fail, unknown, skipped) and the findings that matter: missing tag or platform,
   end of life, stale (no longer rebuilt), `latest` or untagged, root user. Say plainly what
   `unknown` means for that line (a registry could not be reached), not that it is fine.
3. Propose the edits. For every line with a `refresh` or an `upgrade`, show the line as it is
   and the line as it should be, keeping its stage name (`AS ...`), its `--platform` flag and
   any ARG it uses. Prefer the `upgrade` when the line is end of life or stale, else the
   `refresh`; give the digest-pinned form for reproducible builds with the plain tag in a
   comment. Use only references the review returned; before proposing any other tag, confirm
   it with get_tag. Leave lines with verdict ok unchanged and say so.
4. End with the changed lines only, as a unified diff of the Dockerfile.
"""


def explain_image_text(name: str, tag: str | None = None, namespace: str | None = None) -> str:
    """The explanation: repository facts, the tag, and the image's configuration, from the tools."""
    repository = name.strip()
    if namespace and namespace.strip() and "/" not in repository and namespace.strip() != "library":
        repository = f"{namespace.strip()}/{repository}"
    reference = f"{repository}:{tag.strip()}" if tag and tag.strip() else f"{repository}:latest"
    return f"""Explain the Docker image {reference}: what is in it and how to use it.

1. The repository. Call get_repository for {repository!r}: who publishes it (official,
   verified publisher, community), what it is for, its status and warnings (archived,
   deprecated, unmaintained). Ask for the README (include_readme=true) only if usage details
   such as environment variables, volumes or ports are still missing after step 3.
2. The tag. Call get_tag for {reference!r}: does it exist, on which platforms, how big, when it
   was last pushed and whether it is stale. If it does not exist, explain the closest existing
   tags it names and continue with the first of them; never guess a tag.
3. Inside the image. Call inspect_image for {reference!r} (platform linux/amd64 unless the user
   named another): the user it runs as (say clearly if it is root), entrypoint and cmd,
   working directory, exposed ports, environment and OCI labels (source, version, licenses).
4. The explanation. In a few short paragraphs: what the image contains (base distribution,
   runtime and version, size), how to run it (a `docker run` line built from the entrypoint,
   ports and environment you found, and a FROM line with the digest-pinned reference), and
   what to watch for (root user, stale or end-of-life line, missing platforms, deprecation).
   Use only facts from the tool answers, and say what you could not find out.
"""


EXPLAIN_TOOLSETS = frozenset({"repositories", "tags", "images"})


def register(
    server: MCPServer, toolsets: Iterable[str] = ("search", "tags", "images", "advisor", "repositories")
) -> None:
    """Each prompt is offered with the toolsets whose tools it drives: choose-base-image and
    audit-dockerfile with ``advisor``; explain-image with ``repositories``, ``tags`` and ``images``."""
    chosen = set(toolsets)
    if "advisor" in chosen:
        _register_advisor_prompts(server)
    if EXPLAIN_TOOLSETS <= chosen:
        _register_explain(server)


def _register_advisor_prompts(server: MCPServer) -> None:
    @server.prompt(
        name="choose-base-image",
        title="Choose a base image",
        description="Walk through requirements, a verified suggestion, verification, and the FROM line.",
    )
    def choose_base_image(
        what: Annotated[str, Field(description="What the image runs, e.g. 'a Django app on Python'.")],
        version: Annotated[str | None, Field(description="Runtime version, e.g. '3.12'.")] = None,
        platforms: Annotated[str | None, Field(description="Platforms, e.g. 'linux/amd64, linux/arm64'.")] = None,
        priorities: Annotated[str | None, Field(description="small, secure, compatible or hardened.")] = None,
    ) -> str:
        return choose_base_image_text(what, version, platforms, priorities)

    @server.prompt(
        name="audit-dockerfile",
        title="Audit a Dockerfile's base images",
        description="Review every FROM (and COPY --from / RUN --mount image) with review_base_images, then propose"
        " the edited lines as a diff.",
    )
    def audit_dockerfile(
        dockerfile: Annotated[str, Field(description="The whole Dockerfile text, with its ARG lines.")],
        platforms: Annotated[
            str | None, Field(description="Platforms the images must support, e.g. 'linux/amd64, linux/arm64'.")
        ] = None,
    ) -> str:
        return audit_dockerfile_text(dockerfile, platforms)


def _register_explain(server: MCPServer) -> None:
    @server.prompt(
        name="explain-image",
        title="Explain an image",
        description="What is in a Docker Hub image and how to use it, from get_repository, get_tag and inspect_image.",
    )
    def explain_image(
        name: Annotated[str, Field(description="Repository, e.g. 'python' or 'bitnami/redis'.")],
        tag: Annotated[str | None, Field(description="Tag, e.g. '3.12-slim'; 'latest' when left out.")] = None,
        namespace: Annotated[
            str | None,
            Field(description="Docker Hub namespace when name has none; 'library' (official images) by default."),
        ] = None,
    ) -> str:
        return explain_image_text(name, tag, namespace)
