"""Argument types shared by the tools: bounds, descriptions and strict strings.

A model may send a tag such as ``3.10`` as a JSON number, which arrives as ``3.1``: a
different tag. Tag-like arguments therefore refuse anything but a string, with a message
that says to quote it, instead of guessing.
"""

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field


def strict_string(what: str, example: str) -> BeforeValidator:
    def check(value: Any) -> Any:
        if isinstance(value, bool) or isinstance(value, int | float):
            raise ValueError(
                f"{what} must be a JSON string, but arrived as the number {value!r}. Numbers lose digits"
                f" (3.10 becomes 3.1), so the value is not guessed: send it in quotes, e.g. {example}."
            )
        return value

    return BeforeValidator(check)


Repository = Annotated[
    str,
    strict_string("repository", '"python"'),
    Field(
        min_length=1,
        max_length=300,
        description="Docker Hub repository: 'python', 'library/python', 'bitnami/redis' (a ':tag' is ignored).",
    ),
]
AnyRepository = Annotated[
    str,
    strict_string("repository", '"python"'),
    Field(
        min_length=1,
        max_length=300,
        description="Repository: 'python', 'bitnami/redis', or on another registry 'ghcr.io/owner/app'.",
    ),
]
RepositoryMaybeTagged = Annotated[
    str,
    strict_string("repository", '"python"'),
    Field(
        min_length=1,
        max_length=300,
        description="Repository, e.g. 'python' or 'ghcr.io/owner/app'; may carry the tag: 'python:3.12-slim'.",
    ),
]
ImageRef = Annotated[
    str,
    strict_string("reference", '"python:3.12-slim"'),
    Field(
        min_length=1,
        max_length=400,
        description="Image reference: 'python:3.12-slim', 'bitnami/redis@sha256:...', 'ghcr.io/owner/app:1.2'.",
    ),
]
PlatformArg = Annotated[
    str,
    strict_string("platform", '"linux/arm64"'),
    Field(max_length=40, description="Platform to inspect: 'linux/amd64', 'linux/arm64', 'arm64', 'windows/amd64'."),
]
OptionalTag = Annotated[
    str | None,
    strict_string("tag", '"3.10"'),
    Field(
        min_length=1,
        max_length=128,
        description="Tag name as a JSON string, e.g. '3.12-slim' (quote it: 3.10 as a number becomes 3.1).",
    ),
]
Page = Annotated[int, Field(ge=1, le=2500, description="Page number, from 1.")]
Architecture = Annotated[
    str | None,
    strict_string("architecture", '"arm64"'),
    Field(max_length=32, description="Only images for this architecture: amd64, arm64, arm/v7, ppc64le, s390x, riscv64."),
]
OperatingSystem = Annotated[Literal["linux", "windows"] | None, Field(description="Only images for this OS.")]
Badge = Literal["official", "verified_publisher", "open_source", "hardened", "community"]
TagOrdering = Literal["-last_updated", "last_updated", "name", "-name"]
