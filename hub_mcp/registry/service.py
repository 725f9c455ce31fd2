"""Answers from the registry API: image inspection, and tags for registries other than Docker Hub.

A registry knows less than Docker Hub's API: tag names but no push dates, and sizes only by
reading each manifest. What it cannot know is said in ``note``, never invented.
"""

from __future__ import annotations

import asyncio
from datetime import date

from hub_mcp.answers.views import (
    ImageDetails,
    Lifecycle,
    PlatformImage,
    TagInfo,
    TagListResult,
    TagRow,
    TagSuggestion,
)
from hub_mcp.errors import InvalidInput
from hub_mcp.hub import health
from hub_mcp.registry.client import RegistryClient
from hub_mcp.registry.models import ImageIndex, ImageManifest
from hub_mcp.vocab.references import ImageReference, Platform
from hub_mcp.vocab.tags import closest_tags, non_production, parse_tag, version_key

MAX_PLATFORM_SIZES = 12  # platform manifests read concurrently to give per-platform sizes


def _newest_first(tags: list[str]) -> list[str]:
    """Versioned tags by version, newest first; the rest after them in name order; tags not meant
    for production (``3.15.0a1``, ``edge``) after every released one, in the same order."""
    parsed = [parse_tag(t) for t in tags]
    versioned = sorted((p for p in parsed if p.is_versioned), key=version_key, reverse=True)
    other = sorted((p for p in parsed if not p.is_versioned), key=lambda p: p.raw)
    ordered = versioned + other
    return [p.raw for p in ordered if p.non_production is None] + [p.raw for p in ordered if p.non_production]


class RegistryService:
    """Registry-backed answers for ``inspect_image`` and for non-Hub ``list_tags`` / ``get_tag``."""

    def __init__(self, client: RegistryClient) -> None:
        self.client = client

    async def inspect_image(self, reference: str, platform: str = "linux/amd64") -> ImageDetails:
        ref = ImageReference.parse(reference)
        wanted = Platform.parse(platform)
        if not ref.tag and not ref.digest:
            ref = ref.with_tag("latest")
        found = await self.client.inspect(ref, wanted)
        warnings = []
        user = found.user or "root"
        if found.runs_as_root:
            warnings.append(
                "Runs as root: add a USER with a non-root uid in your Dockerfile, or pick an image that does."
            )
        if ref.tag == "latest":
            warnings.append("'latest' moves: pin a version tag (and the digest) for reproducible builds.")
        return ImageDetails(
            reference=ref.familiar,
            pinned_reference=ref.with_tag(ref.tag, found.pin_digest).familiar,
            platform=found.platform,
            platforms=found.platforms,
            index_digest=found.index_digest,
            manifest_digest=found.manifest_digest,
            size_bytes=found.compressed_size_bytes,
            layers=found.layer_count,
            created=found.created,
            user=user,
            runs_as_root=found.runs_as_root,
            entrypoint=found.entrypoint or None,
            cmd=found.cmd or None,
            working_dir=found.working_dir or None,
            exposed_ports=found.exposed_ports or None,
            env=found.env or None,
            env_omitted=found.env_omitted or None,
            labels=found.labels or None,
            labels_omitted=found.labels_omitted or None,
            warnings=warnings or None,
        )

    async def list_tags(
        self,
        ref: ImageReference,
        *,
        name: str | None = None,
        platform_filter: bool = False,
        limit: int = 25,
        page: int = 1,
    ) -> TagListResult:
        if platform_filter:
            raise InvalidInput(
                f"{ref.registry} lists tag names only, so architecture/os filters cannot be applied without reading"
                " every manifest. List without them, then check candidates with get_tag or inspect_image."
            )
        listed = await self.client.list_tags(ref)
        tags = [t for t in listed.tags if not name or name.lower() in t.lower()]
        ordered = _newest_first(tags)
        start = (page - 1) * limit
        if start >= len(ordered) and page > 1:
            pages = max(1, -(-len(ordered) // limit))
            raise InvalidInput(
                f"Page {page} is past the end: {ref.familiar_name} has {len(ordered)} matching tags,"
                f" {pages} page(s) of {limit}. Ask for page {pages} or lower."
            )
        rows = [TagRow(name=t, prerelease=non_production(t)) for t in ordered[start : start + limit]]
        note = (
            f"{ref.registry} gives tag names only (no push dates, sizes or platforms); ordered by version, newest"
            " first. Use get_tag or inspect_image for one tag's platforms and size."
        )
        if listed.truncated:
            note += f" The registry listed more than {len(listed.tags)} tags; only those were read."
        return TagListResult(
            repository=ref.familiar_name,
            total=len(ordered),
            page=page,
            tags=rows,
            next_page=page + 1 if start + limit < len(ordered) else None,
            note=note,
        )

    async def get_tag(self, ref: ImageReference, tag: str, today: date | None = None) -> TagInfo:
        """The tag on a registry other than Docker Hub; with ``today``, its end of life by the bundled
        table (the registry gives no push dates, so staleness is unknown)."""
        tagged = ref.with_tag(tag)
        development = non_production(tag)  # the registry lists names only: the tag's own word, no aliases
        verdict = health.line_verdict(ref.familiar_name, tag, today, development=development) if today else None
        lifecycle = Lifecycle.of(verdict)
        said = verdict.sentences() if verdict else ""
        head = await self.client.head_manifest(tagged)
        if head is None:
            listed = await self.client.list_tags(ref)
            names = closest_tags(tag, listed.tags, limit=5)
            message = f"{tagged.familiar} does not exist." + (
                f" Closest existing tags: {', '.join(names)}. Use one of these; do not guess another tag."
                if names
                else " No similar tag was found; use list_tags to see what exists."
            )
            return TagInfo(
                repository=ref.familiar_name,
                tag=tag,
                exists=False,
                alternatives=[TagSuggestion(tag=n) for n in names] or None,
                lifecycle=lifecycle,
                message=message + said,
                note=f"{ref.registry} gives no push dates, so the alternatives are ordered by closeness only.",
            )
        result = await self.client.get_manifest(tagged, head.digest)
        platforms = await self._platform_images(tagged, result.manifest)
        return TagInfo(
            repository=ref.familiar_name,
            tag=tag,
            exists=True,
            reference=tagged.familiar,
            pinned_reference=tagged.with_tag(tag, result.digest).familiar,
            digest=result.digest,
            platforms=platforms,
            prerelease=development,
            lifecycle=lifecycle,
            message=f"{tagged.familiar} exists for {len(platforms)} platform(s).{said}",
            note=f"{ref.registry} gives no push dates, so whether the tag is still rebuilt is unknown.",
        )

    async def _platform_images(self, ref: ImageReference, manifest: object) -> list[PlatformImage]:
        if isinstance(manifest, ImageManifest):
            config = await self.client.get_config(ref, manifest.config)
            return [PlatformImage(platform=str(config.to_platform()), size_bytes=manifest.compressed_size)]
        if not isinstance(manifest, ImageIndex):
            return []
        entries = manifest.platform_entries()[:MAX_PLATFORM_SIZES]
        fetched = await asyncio.gather(*(self.client.get_manifest(ref, e.digest) for e in entries))
        images = []
        for entry, child in zip(entries, fetched, strict=True):
            size = child.manifest.compressed_size if isinstance(child.manifest, ImageManifest) else None
            platform = entry.to_platform()
            images.append(PlatformImage(platform=str(platform) if platform else "unknown", size_bytes=size, digest=entry.digest))
        return sorted(images, key=lambda i: i.platform)
