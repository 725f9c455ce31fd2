"""What callers ask the advisor: plain frozen dataclasses, cheap to import.

The MCP layer builds these at start-up time (tool registration), so this module imports
nothing heavy: the advisor itself (and httpx with it) loads on the first call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class SuggestRequest:
    """What the caller wants. Hashable: it is also the answer cache key."""

    runtime: str | None = None
    image: str | None = None
    version: str | None = None
    platforms: tuple[str, ...] = ("linux/amd64",)
    purpose: Literal["runtime", "build", "dev"] = "runtime"
    priorities: tuple[str, ...] = ()
    libc: str | None = None
    distro: str | None = None
    variant: str | None = None
    os: Literal["linux", "windows"] = "linux"
    limit: int = 5
    tools: tuple[str, ...] = ()  # build tools the stage runs (maven, gradle): official images that carry them


@dataclass(frozen=True)
class ReviewRequest:
    dockerfile: str | None = None
    reference: str | None = None
    build_args: tuple[tuple[str, str], ...] = ()
    platforms: tuple[str, ...] = ()
    inspect: bool = False
    vulnerabilities: bool = False  # also compare the known vulnerabilities of each line, its refresh and upgrade


def build_args_tuple(build_args: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((build_args or {}).items()))
