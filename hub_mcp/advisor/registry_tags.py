"""Candidate images from a registry that lists tag names only (Microsoft's mcr.microsoft.com).

Docker Hub's API gives every tag's platforms, sizes and push dates in one page. A plain OCI
registry gives tag names; platforms and digests come from each tag's manifest, a size from
one platform's manifest, and push dates not at all. So the advisor reads few tags there:
the floating tags of the lines worth suggesting (``10.0``, ``10.0-alpine``,
``10.0-noble-chiseled``, not ``10.0.3-...`` builds nor ``-amd64`` single-platform tags), and
turns what their manifests say into the same :class:`~hub_mcp.hub.models.Tag` records Hub's
pages give, with no dates. Everything suggested from here was read from the registry during
the request, as on Hub.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING

from hub_mcp.errors import NotFound
from hub_mcp.hub.models import Tag
from hub_mcp.registry.models import ImageIndex, ImageManifest
from hub_mcp.vocab.references import ImageReference, Platform
from hub_mcp.vocab.tags import ParsedTag, parse_tag

if TYPE_CHECKING:
    from hub_mcp.advisor.needs import RegistryReader

MAX_TAGS_PER_LINE = 8
"""Floating tags read per version line and repository: each costs one manifest request."""

ARCHITECTURE_TOKENS = frozenset({"amd64", "arm64v8", "arm32v7", "arm64", "arm32", "x64", "s390x", "ppc64le"})
"""Suffixes of single-platform tags (``10.0-noble-arm64v8``): the multi-platform tag is the one to use."""

WINDOWS_PREFIXES = ("nanoserver", "windowsservercore")


def _is_windows(parsed: ParsedTag) -> bool:
    return any(token.startswith(WINDOWS_PREFIXES) for token in parsed.suffix)


def floating_tags(
    names: Iterable[str], *, precision: int, majors: set[int] | None, os: str = "linux", prerelease: bool = False
) -> list[str]:
    """The tags worth reading: a version at ``precision`` (``10.0``, not ``10.0.3``) on one of
    ``majors`` (None: any), multi-platform, for ``os``; the plain line tag first, then its
    variants by length, at most :data:`MAX_TAGS_PER_LINE` per line."""
    by_line: dict[tuple[int, ...], list[ParsedTag]] = {}
    for name in names:
        parsed = parse_tag(name)
        version = parsed.version
        if version is None or parsed.is_dated or parsed.precision != precision:
            continue
        if parsed.is_prerelease and not prerelease:
            continue
        if majors is not None and version[0] not in majors:
            continue
        if parsed.suffix & ARCHITECTURE_TOKENS or _is_windows(parsed) != (os == "windows"):
            continue
        by_line.setdefault(version, []).append(parsed)
    chosen: list[str] = []
    for line in sorted(by_line, reverse=True):
        ordered = sorted(by_line[line], key=lambda p: (len(p.suffix), len(p.raw), p.raw))
        chosen += [p.raw for p in ordered[:MAX_TAGS_PER_LINE]]
    return chosen


async def read_tags(
    client: RegistryReader, ref: ImageReference, names: list[str], size_platform: Platform
) -> list[Tag]:
    """What the registry says of each tag, as Hub-shaped records without dates: platforms with
    their digests, the tag's digest, and the compressed size on ``size_platform`` (one
    platform manifest per distinct image).

    A tag that vanished between the listing and the read is left out; other failures raise."""

    async def one(name: str) -> tuple[str, str, list[tuple[Platform, str, int | None]]] | None:
        try:
            result = await client.get_manifest(ref.with_tag(name))
        except NotFound:
            return None
        manifest = result.manifest
        if isinstance(manifest, ImageManifest):
            config = await client.get_config(ref, manifest.config)
            return name, result.digest, [(config.to_platform(), result.digest, manifest.compressed_size)]
        assert isinstance(manifest, ImageIndex)
        entries: list[tuple[Platform, str, int | None]] = [
            (p, e.digest, None) for e in manifest.platform_entries() if (p := e.to_platform()) is not None
        ]
        return name, result.digest, entries

    found = [t for t in await asyncio.gather(*(one(n) for n in names)) if t is not None]
    sizes = await _sizes(client, ref, found, size_platform)
    # shaped as Hub's JSON is (the models keep only the dict entries of a list)
    return [
        Tag.model_validate(
            {
                "name": name,
                "digest": digest,
                "images": [
                    {
                        "architecture": platform.architecture,
                        "os": platform.os,
                        "variant": platform.variant,
                        "digest": child,
                        "size": size if size is not None else sizes.get(child),
                    }
                    for platform, child, size in entries
                ],
            }
        )
        for name, digest, entries in found
    ]


async def _sizes(
    client: RegistryReader,
    ref: ImageReference,
    found: list[tuple[str, str, list[tuple[Platform, str, int | None]]]],
    platform: Platform,
) -> dict[str, int]:
    """Platform-manifest digest → compressed size, for the image on ``platform`` of each tag."""
    digests: list[str] = []
    for _name, _digest, entries in found:
        child = next((c for p, c, size in entries if size is None and platform.matches(p)), None)
        if child and child not in digests:
            digests.append(child)
    results = await asyncio.gather(*(client.get_manifest(ref, d) for d in digests), return_exceptions=True)
    sizes: dict[str, int] = {}
    for digest, result in zip(digests, results, strict=True):
        if isinstance(result, NotFound):
            continue
        if isinstance(result, BaseException):
            raise result
        if isinstance(result.manifest, ImageManifest):
            sizes[digest] = result.manifest.compressed_size
    return sizes
