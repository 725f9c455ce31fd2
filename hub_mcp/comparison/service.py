"""compare_images: two references (any registries), one platform, what differs, as ``docker scout compare`` shows it.

Each side is read as ``inspect_image`` reads it (:meth:`RegistryClient.inspect`: the index, the platform manifest,
the config blob; the manifest and config then come again from the client's content-addressed cache, whole, not the
bounded inspection) and, with ``packages`` or ``vulnerabilities``, its SBOM as ``list_image_packages`` finds it
(:meth:`ImageFactsService.sbom`: the attestation manifest and the SBOM blob; the index is the one already read).
The two sides run at the same time; when both are on one registry the first side's index is read alone first, so a
cold client learns the registry's login challenge once, not once per side.

Requests per side, cold (counted in tests/comparison and benchmarks/compare_cost.py): 3 for the image (index,
manifest, config), 2 more for a BuildKit SBOM (attestation manifest, SBOM blob); an image without one costs the
referrers look instead (on a registry without the referrers API: the API's 404 and two referrers tags). A registry
that wants a token adds one token request per repository and one challenge per registry host.
Vulnerabilities (``vulnerabilities=True``) cost OSV requests, not registry ones: the SBOMs are the ones read.

What is not known is said: a side without an SBOM makes the packages (and vulnerabilities) unknown, never "no
change"; OSV out of reach makes the vulnerabilities unknown.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Literal

from hub_mcp.answers.views import (
    ComparedImage,
    ImageComparison,
    PackageComparison,
    VulnerabilityComparison,
)
from hub_mcp.attestations.sbom import Sbom
from hub_mcp.attestations.service import ImageFactsService
from hub_mcp.comparison.diff import ConfigFacts, compare_config, compare_layers, compare_packages
from hub_mcp.errors import HubMCPError, NotFound, clause
from hub_mcp.registry.client import RegistryClient
from hub_mcp.registry.inspection import describe_platforms
from hub_mcp.registry.models import ImageConfig, ImageIndex, ImageInspection, ImageManifest, ManifestResult
from hub_mcp.vocab.references import ImageReference, Platform
from hub_mcp.vulnerabilities.report import Finding, VulnerabilityReport
from hub_mcp.vulnerabilities.severity import LEVELS, shown_counts

Which = Literal["before", "after"]


@dataclass(frozen=True)
class _Side:
    """One side, read."""

    which: Which
    ref: ImageReference
    inspection: ImageInspection
    manifest: ImageManifest
    config: ImageConfig
    sbom: Sbom | None
    unknown: str | None  # why the packages are not known (no SBOM, unreadable), when asked


@dataclass(frozen=True)
class _Failed:
    """One side that could not be read: ``kind`` says whether the reference or the platform is missing."""

    which: Which
    ref: ImageReference
    kind: Literal["reference", "platform", "error"]
    error: HubMCPError
    platforms: tuple[Platform, ...] = ()


class ImageComparer:
    """What differs between two images for one platform (see the module docstring)."""

    def __init__(self, client: RegistryClient, facts: ImageFactsService) -> None:
        self.client = client
        self.facts = facts

    async def compare(
        self,
        before: str,
        after: str,
        platform: str = "linux/amd64",
        *,
        packages: bool = True,
        vulnerabilities: bool = False,
    ) -> ImageComparison:
        wanted = Platform.parse(platform)
        refs = (_parsed(before), _parsed(after))
        sbom = packages or vulnerabilities
        first: ManifestResult | HubMCPError | None = None
        if refs[0].registry == refs[1].registry:  # the first alone: a cold client learns the login challenge once
            first = await _attempt(self.client.get_manifest(refs[0]))
        read = await asyncio.gather(
            self._side("before", refs[0], wanted, sbom, first),
            self._side("after", refs[1], wanted, sbom, None),
        )
        sides = _both_or_raise(read[0], read[1], wanted)
        old, new = sides
        layers = compare_layers(old.manifest.layers, new.manifest.layers)
        config = compare_config(_config_facts(old), _config_facts(new))
        identical = old.inspection.manifest_digest == new.inspection.manifest_digest
        package_part = _packages(old, new) if packages else None
        vulnerability_part = await self._vulnerabilities(old, new, wanted) if vulnerabilities else None
        return ImageComparison(
            before=_view(old),
            after=_view(new),
            identical=identical,
            layers=layers,
            config=config,
            packages=package_part,
            vulnerabilities=vulnerability_part,
            message=_message(old, new, identical, layers.shared, config is not None, package_part, vulnerability_part),
        )

    async def _side(
        self, which: Which, ref: ImageReference, wanted: Platform, sbom: bool, top: ManifestResult | HubMCPError | None
    ) -> _Side | _Failed:
        try:
            index = top if top is not None else await self.client.get_manifest(ref)
            if isinstance(index, HubMCPError):
                raise index
        except NotFound as exc:
            return _Failed(which, ref, "reference", exc)
        except HubMCPError as exc:
            return _Failed(which, ref, "error", exc)
        if sbom and isinstance(index.manifest, ImageManifest):
            # a single-platform image: the inspection and the SBOM look both read its config, which the client
            # does not share between concurrent reads (manifests it does): read it once, first
            try:
                await self.client.get_config(ref, index.manifest.config)
            except HubMCPError:
                pass  # the inspection meets it again and says it
        packages = asyncio.ensure_future(self._sbom(ref, wanted)) if sbom else None
        try:
            inspection = await self.client.inspect(ref, wanted)
            # both from the cache the inspection filled (content addressed): no request
            result = await self.client.get_manifest(ref, inspection.manifest_digest)
            assert isinstance(result.manifest, ImageManifest)
            config = await self.client.get_config(ref, result.manifest.config)
        except HubMCPError as exc:
            if packages is not None:
                packages.cancel()
                await asyncio.gather(packages, return_exceptions=True)
            offered = await self._platforms(ref, index)
            if isinstance(exc, NotFound) and offered and not any(wanted.matches(p) for p in offered):
                return _Failed(which, ref, "platform", exc, offered)
            return _Failed(which, ref, "error", exc)
        found, unknown = await packages if packages is not None else (None, None)
        return _Side(which, ref, inspection, result.manifest, config, found, unknown)

    async def _platforms(self, ref: ImageReference, top: ManifestResult) -> tuple[Platform, ...]:
        """The platforms the reference offers (from what was read: no request), for a missing platform's sentence."""
        if isinstance(top.manifest, ImageIndex):
            return tuple(top.manifest.available_platforms())
        try:
            config = await self.client.get_config(ref, top.manifest.config)
        except HubMCPError:
            return ()
        return (config.to_platform(),)

    async def _sbom(self, ref: ImageReference, wanted: Platform) -> tuple[Sbom | None, str | None]:
        """The side's SBOM, or why there is none (its absence, or why it could not be read: never an error here)."""
        try:
            facts, sbom = await self.facts.sbom(ref.familiar, str(wanted))
        except HubMCPError as exc:
            return None, f"the SBOM of {ref.familiar} could not be read: {clause(exc)}"
        return (sbom, None) if sbom is not None else (None, facts.missing())

    async def _vulnerabilities(self, old: _Side, new: _Side, wanted: Platform) -> VulnerabilityComparison:
        """Counts per side from OSV (the SBOMs already read), and the delta when both are known."""

        async def report(side: _Side) -> VulnerabilityReport | str:
            if side.sbom is None:
                return side.unknown or f"{side.ref.familiar} has no SBOM"
            try:
                _, found = await self.facts.vulnerability_report(side.ref.familiar, str(wanted))
            except HubMCPError as exc:
                return f"the vulnerabilities of {side.ref.familiar} could not be assessed: {clause(exc)}"
            if found is None:
                return f"{side.ref.familiar} has no SBOM"
            if found.status != "known" or found.counts is None:
                return f"the vulnerabilities of {side.ref.familiar} are unknown: {found.reason or 'not assessed'}"
            return found

        left, right = await asyncio.gather(report(old), report(new))
        database = f"OSV ({self.facts.osv.host})" if self.facts.osv is not None else None
        reasons = [f"before: {r}" for r in (left,) if isinstance(r, str)] + [
            f"after: {r}" for r in (right,) if isinstance(r, str)
        ]
        part = VulnerabilityComparison(
            status="known" if not reasons else "unknown",
            reason="; ".join(reasons) or None,
            database=database,
            before=shown_counts(left.counts or {}) if isinstance(left, VulnerabilityReport) else None,
            after=shown_counts(right.counts or {}) if isinstance(right, VulnerabilityReport) else None,
            before_total=left.total if isinstance(left, VulnerabilityReport) else None,
            after_total=right.total if isinstance(right, VulnerabilityReport) else None,
        )
        if isinstance(left, VulnerabilityReport) and isinstance(right, VulnerabilityReport):
            a, b = left.counts or {}, right.counts or {}
            delta = {level: b.get(level, 0) - a.get(level, 0) for level in LEVELS if b.get(level, 0) != a.get(level, 0)}
            had = {(f.id, f.package) for f in left.findings}
            has = {(f.id, f.package) for f in right.findings}
            part = part.model_copy(
                update={
                    "delta": delta,
                    "fixed": len(had - has),
                    "introduced": len(has - had),
                    "fixed_findings": _named([f for f in left.findings if (f.id, f.package) not in has]),
                    "introduced_findings": _named([f for f in right.findings if (f.id, f.package) not in had]),
                }
            )
        return part


# --- pieces ---------------------------------------------------------------------------------------------


MAX_FINDINGS_NAMED = 10


def _named(findings: list[Finding]) -> list[str] | None:
    """Findings as 'CVE-… (package, severity)', most severe first (the CVE alias when there is one), at most
    :data:`MAX_FINDINGS_NAMED`; None when there are none."""
    order = {level: i for i, level in enumerate(LEVELS)}
    ranked = sorted(findings, key=lambda f: (order.get(f.severity, len(order)), -(f.score or 0), f.id, f.package))
    shown = [f"{next((a for a in f.aliases if a.startswith('CVE-')), f.id)} ({f.package}, {f.severity})" for f in ranked]
    return list(dict.fromkeys(shown))[:MAX_FINDINGS_NAMED] or None


async def _attempt(read: Awaitable[ManifestResult]) -> ManifestResult | HubMCPError:
    try:
        return await read
    except HubMCPError as exc:
        return exc


def _parsed(text: str) -> ImageReference:
    ref = ImageReference.parse(text)
    return ref if ref.tag or ref.digest else ref.with_tag("latest")


def _config_facts(side: _Side) -> ConfigFacts:
    container = side.config.config
    found = side.inspection
    return ConfigFacts(
        user=found.user,
        entrypoint=found.entrypoint,
        cmd=found.cmd,
        working_dir=found.working_dir,
        ports=found.exposed_ports,
        env=container.env if container else None,
        labels=container.labels if container else None,
    )


def _view(side: _Side) -> ComparedImage:
    found = side.inspection
    return ComparedImage(
        reference=side.ref.familiar,
        pinned_reference=side.ref.with_tag(side.ref.tag, found.pin_digest).familiar,
        platform=found.platform,
        platforms=found.platforms,
        index_digest=found.index_digest,
        manifest_digest=found.manifest_digest,
        size_bytes=found.compressed_size_bytes,
        layers=found.layer_count,
        created=found.created,
        packages=len(side.sbom.packages) if side.sbom is not None else None,
    )


def _packages(old: _Side, new: _Side) -> PackageComparison:
    if old.sbom is not None and new.sbom is not None:
        return compare_packages(old.sbom, new.sbom)
    reasons = [f"{side.which}: {side.unknown}" for side in (old, new) if side.sbom is None and side.unknown]
    return PackageComparison(status="unknown", reason="; ".join(reasons) or "an SBOM is missing")


def _both_or_raise(old: _Side | _Failed, new: _Side | _Failed, wanted: Platform) -> tuple[_Side, _Side]:
    """Both sides read, or the one sentence that says which is missing and what to ask instead."""
    if isinstance(old, _Side) and isinstance(new, _Side):
        return old, new
    failed = [side for side in (old, new) if isinstance(side, _Failed)]
    missing = [side for side in failed if side.kind == "reference"]
    if missing:
        named = " and ".join(f"{side.which} ({side.ref.familiar})" for side in missing)
        where = ", ".join(sorted({side.ref.registry for side in missing}))
        raise NotFound(
            f"Cannot compare: {named} {'does' if len(missing) == 1 else 'do'} not exist on {where} (no such tag,"
            " digest or repository); list the repository's tags (list_tags) to see which exist."
        )
    lacking = [side for side in failed if side.kind == "platform"]
    if lacking:
        offered = {
            side.which: (list(side.platforms) if isinstance(side, _Failed) else
                         [Platform.parse(p) for p in side.inspection.platforms])
            for side in (old, new)
        }
        both = [p for p in offered["before"] if any(p.matches(q) for q in offered["after"])]
        if len(lacking) == 2:
            head = (
                f"Neither image has a {wanted} image: before ({old.ref.familiar}) offers"
                f" {describe_platforms(offered['before'])}, after ({new.ref.familiar}) offers"
                f" {describe_platforms(offered['after'])}"
            )
        else:
            side = lacking[0]
            head = (
                f"The {side.which} image {side.ref.familiar} has no {wanted} image (it offers"
                f" {describe_platforms(offered[side.which])}), so the two cannot be compared on {wanted}"
            )
        tail = (
            f"; ask with a platform both offer: {describe_platforms(both)}."
            if both
            else "; they share no platform, so they cannot be compared."
        )
        raise NotFound(head + tail)
    first = failed[0]
    error = first.error
    text = f"Cannot compare: reading the {first.which} image {first.ref.familiar} failed: {clause(error)}."
    error.message = text
    error.args = (text,)
    raise error


def _size(change: int) -> str:
    """A size change as people read it: ``+1.2 MB``, ``-300 B``."""
    sign, value = ("-" if change < 0 else "+"), float(abs(change))
    for unit in ("B", "KB", "MB"):
        if value < 1000:
            return f"{sign}{value:.0f} {unit}" if unit == "B" else f"{sign}{value:.1f} {unit}"
        value /= 1000
    return f"{sign}{value:.1f} GB"


def _message(
    old: _Side,
    new: _Side,
    identical: bool,
    shared: int,
    config_differs: bool,
    packages: PackageComparison | None,
    vulnerabilities: VulnerabilityComparison | None,
) -> str:
    platform = old.inspection.platform
    if identical:
        return (
            f"{old.ref.familiar} and {new.ref.familiar} are the identical {platform} image"
            f" ({old.inspection.manifest_digest[:19]}…): nothing differs."
        )
    parts = [
        f"{new.ref.familiar} against {old.ref.familiar} ({platform}):"
        f" {shared} of {new.inspection.layer_count} layers shared,"
        f" size {_size(new.inspection.compressed_size_bytes - old.inspection.compressed_size_bytes)}",
        "config differs (see config)" if config_differs else "same config",
    ]
    if packages is not None:
        if packages.status == "known" and packages.counts is not None:
            moved = [f"{count} {kind}" for kind, count in packages.counts.items() if count and kind != "unchanged"]
            parts.append("packages: " + (", ".join(moved) if moved else "the same"))
        else:
            parts.append("packages unknown (an SBOM is missing: never read as 'no change')")
    if vulnerabilities is not None:
        if vulnerabilities.delta is not None:
            moved = [f"{level} {count:+d}" for level, count in vulnerabilities.delta.items()]
            parts.append("vulnerabilities: " + (", ".join(moved) if moved else "the same counts"))
        else:
            parts.append("vulnerability delta unknown")
    return "; ".join(parts) + "."
