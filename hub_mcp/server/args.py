"""Argument types shared by the tools: bounds, descriptions and strict strings.

A model may send a tag such as ``3.10`` as a JSON number, which arrives as ``3.1``: a
different tag. Tag-like arguments therefore refuse anything but a string, with a message
that says to quote it, instead of guessing.
"""

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field


def strict_string(what: str, example: str) -> BeforeValidator:
    """Refuse a number where a string is meant. Put it after the ``Field``: in front of a
    ``Field`` on ``str | None``, pydantic applies the length bounds to the whole union, and a
    null (or ``"null"``, which the SDK parses to null) crashes the call instead of meaning absent."""

    def check(value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError(
                f"{what} must be a JSON string, not {str(value).lower()}: send it in quotes, e.g. {example}."
            )
        if isinstance(value, int | float):
            short = isinstance(value, float) or abs(value) < 10**20
            number = f"the number {value!r}" if short else "a number of more than 20 digits"
            raise ValueError(
                f"{what} must be a JSON string, not {number} (numbers lose digits: 3.10 arrives as"
                f" 3.1): send it in quotes, e.g. {example}."
            )
        return value

    return BeforeValidator(check)


Repository = Annotated[
    str,
    Field(
        min_length=1,
        max_length=300,
        description="Docker Hub repository: 'python', 'library/python', 'bitnami/redis' (a ':tag' is ignored).",
    ),
    strict_string("repository", '"python"'),
]
AnyRepository = Annotated[
    str,
    Field(
        min_length=1,
        max_length=300,
        description="Repository: 'python', 'bitnami/redis', or on another registry 'ghcr.io/owner/app'.",
    ),
    strict_string("repository", '"python"'),
]
RepositoryMaybeTagged = Annotated[
    str,
    Field(
        min_length=1,
        max_length=300,
        description="Repository, e.g. 'python' or 'ghcr.io/owner/app'; may carry the tag: 'python:3.12-slim'.",
    ),
    strict_string("repository", '"python"'),
]
ImageRef = Annotated[
    str,
    Field(
        min_length=1,
        max_length=400,
        description="Image reference: 'python:3.12-slim', 'bitnami/redis@sha256:...', 'ghcr.io/owner/app:1.2'.",
    ),
    strict_string("reference", '"python:3.12-slim"'),
]
PlatformArg = Annotated[
    str,
    Field(max_length=40, description="Platform to inspect: 'linux/amd64', 'linux/arm64', 'arm64', 'windows/amd64'."),
    strict_string("platform", '"linux/arm64"'),
]
OptionalTag = Annotated[
    str | None,
    Field(
        min_length=1,
        max_length=128,
        description="Tag name as a JSON string, e.g. '3.12-slim' (quote it: 3.10 as a number becomes 3.1).",
    ),
    strict_string("tag", '"3.10"'),
]
Page = Annotated[int, Field(ge=1, le=2500, description="Page number, from 1.")]
Architecture = Annotated[
    str | None,
    Field(max_length=32, description="Only images for this architecture: amd64, arm64, arm/v7, ppc64le, s390x, riscv64."),
    strict_string("architecture", '"arm64"'),
]
OperatingSystem = Annotated[Literal["linux", "windows"] | None, Field(description="Only images for this OS.")]
Badge = Literal["official", "verified_publisher", "open_source", "hardened", "community"]
TagOrdering = Literal["newest", "oldest", "name", "name_desc"]
RepositoryOrdering = Literal["newest", "oldest", "most_pulled", "least_pulled", "name", "name_desc"]
Namespace = Annotated[
    str | None,
    Field(
        min_length=2,
        max_length=255,
        description="Docker Hub namespace: a user name or an organization, e.g. 'acme'. Default: your own namespace"
        " (or the organization of an organization access token).",
    ),
    strict_string("namespace", '"acme"'),
]
OwnRepository = Annotated[
    str,
    Field(
        min_length=3,
        max_length=300,
        description="The repository as namespace/name, e.g. 'alice/my-app' (a bare name means 'library/name').",
    ),
    strict_string("repository", '"alice/my-app"'),
]
Description = Annotated[
    str | None,
    Field(max_length=100, description="One-line description shown in search (at most 100 characters)."),
    strict_string("description", '"Web API of the shop"'),
]
Readme = Annotated[
    str | None,
    Field(max_length=25_000, description="The README (full description), markdown, at most 25,000 characters."),
    strict_string("readme", '"# my-app"'),
]
Confirm = Annotated[
    str | None,
    Field(
        max_length=300,
        description="Only for clients that cannot ask the person: the full reference typed out, exactly as"
        " returned in 'reference' by a first call without it. Pass it only after the person said yes.",
    ),
    strict_string("confirm", '"alice/my-app"'),
]
Tag = Annotated[
    str,
    Field(min_length=1, max_length=128, description="Tag name as a JSON string, e.g. 'v1.2.0' (quote it: 3.10 as a number becomes 3.1)."),
    strict_string("tag", '"v1.2.0"'),
]
