"""Answers about what is inside an image: its packages (SBOM) and how it was built (provenance).

Reads through :class:`hub_mcp.registry.client.RegistryClient` only (its egress policy, bounded reads and
caches): the attestations an image carries for one platform (BuildKit's attestation manifest in the index,
else OCI 1.1 referrers), then the one statement asked for. What the image does not say is said plainly:
an image without an SBOM has unknown packages, never zero.
"""

from __future__ import annotations

from collections.abc import Iterable

from hub_mcp.answers.views import (
    BaseImageRow,
    FactsSource,
    ImagePackages,
    ImageProvenance,
    ImageVulnerabilities,
    PackageRow,
    VulnerabilityRow,
)
from hub_mcp.attestations.purl import TYPE_SYNONYMS
from hub_mcp.attestations.provenance import Provenance, parse_provenance
from hub_mcp.attestations.sbom import Package, Sbom, parse_spdx
from hub_mcp.attestations.statements import SLSA_V1, SLSA_V02, SPDX, Statement
from hub_mcp.errors import HubMCPError
from hub_mcp.net.cache import LRUCache
from hub_mcp.registry.attestations import AttestationRef, ImageAttestations
from hub_mcp.registry.client import RegistryClient
from hub_mcp.vocab.common import closest, quoted
from hub_mcp.vocab.references import ImageReference, Platform
from hub_mcp.vulnerabilities.osv import OsvClient
from hub_mcp.vulnerabilities.report import OSV_WITHIN, Finding, VulnerabilityReport, assess
from hub_mcp.vulnerabilities.severity import LEVELS, shown_counts

SBOM_TYPES = (SPDX,)
PROVENANCE_TYPES = (SLSA_V1, SLSA_V02)
MAX_PAGE = 200  # packages in one answer
MAX_CACHED_SBOMS = 32  # package lists kept by SBOM blob digest (a few hundred packages is ~100 KB)
MAX_FINDINGS_PAGE = 50  # vulnerabilities in one answer
REPORT_TTL = 900.0  # seconds a vulnerability report is reused (paging, a review after a lookup); OSV changes daily


class Facts:
    """One platform image's attestation of one kind: where it was looked for and the statement, if found."""

    def __init__(self, ref: ImageReference, platform: Platform, found: ImageAttestations, statement: Statement | None,
                 used: AttestationRef | None, kind: str, *, known: bool | None = None, other_subject: bool = False) -> None:
        self.ref = ref
        self.platform = platform
        self.attestations = found
        self.statement = statement  # None when not read: not found, or what was derived from it is kept
        self.used = used
        self.kind = kind
        self.found = statement is not None if known is None else known
        self.other_subject = other_subject  # the attestation found names another image: not used

    def source(self) -> FactsSource:
        return FactsSource(
            reference=self.ref.familiar,
            platform=str(self.platform),
            digest=self.attestations.manifest_digest,
            found=self.found,
            via=self.used.via if self.used else None,
            looked=list(self.attestations.looked) if not self.found else None,
        )

    def missing(self) -> str:
        """The sentence for an image that carries no attestation of this kind."""
        where = " and ".join(self.attestations.looked) or "the image"
        if self.other_subject:
            return (
                f"The {self.kind} attestation of {self.ref.familiar} ({self.platform}) names another image as its"
                " subject (not this platform image's digest), so hub-mcp does not use it and this is not known;"
                " the image's attestations were attached wrongly, which its publisher can fix."
            )
        if self.ref.digest and self.attestations.index_digest is None:
            # BuildKit hangs attestations off the multi-platform index, which a platform digest does not lead to
            return (
                f"{self.ref.familiar} is one platform's image manifest, and no {self.kind} attestation refers to it"
                f" (looked in {where}); BuildKit keeps attestations in the multi-platform index, so ask with the"
                " tag or the index digest (the pinned_reference inspect_image and get_tag give)."
            )
        return (
            f"{self.ref.familiar} ({self.platform}) carries no {self.kind} attestation (looked in {where}), so this is"
            f" not known; images built with `docker buildx build --sbom=true --provenance=true` carry one."
        )


class ImageFactsService:
    """Packages and provenance of an image, for one platform, from the attestations it carries."""

    def __init__(self, client: RegistryClient, osv: OsvClient | None = None, *, osv_within: float = OSV_WITHIN) -> None:
        self.client = client
        self.osv = osv
        self.osv_within = osv_within  # seconds OSV gets per report: past it, unknown and said (not the call's end)
        # (registry, repository, manifest digest) -> the report: an SBOM is immutable by digest, OSV is not
        self._reports: LRUCache[tuple[str, str, str], VulnerabilityReport] = LRUCache(256, ttl=REPORT_TTL)
        self._sboms: LRUCache[tuple[str, str, str], Sbom] = LRUCache(MAX_CACHED_SBOMS)

    async def facts(
        self, reference: str, platform: str, kinds: Iterable[str], what: str, *, index_only: bool = False
    ) -> Facts:
        """The first attestation of ``kinds`` (predicate types, in preference order) for one platform image;
        ``index_only``: from the image index alone (no referrers probe; see ``find_attestations``)."""
        ref, found, chosen = await self._locate(reference, platform, kinds, index_only)
        return await self._read(ref, found, chosen, what)

    async def _locate(
        self, reference: str, platform: str, kinds: Iterable[str], index_only: bool
    ) -> tuple[ImageReference, ImageAttestations, AttestationRef | None]:
        ref = ImageReference.parse(reference)
        if not ref.tag and not ref.digest:
            ref = ref.with_tag("latest")
        found = await self.client.find_attestations(ref, Platform.parse(platform), index_only=index_only)
        return ref, found, _first_of(found.found, tuple(kinds))

    async def _read(
        self, ref: ImageReference, found: ImageAttestations, chosen: AttestationRef | None, what: str
    ) -> Facts:
        statement = await self.client.read_statement(ref, chosen) if chosen is not None else None
        if statement is not None and not _describes(statement, found.manifest_digest):
            return Facts(ref, found.platform, found, None, None, what, other_subject=True)
        return Facts(ref, found.platform, found, statement, chosen, what)

    async def sbom(self, reference: str, platform: str, *, index_only: bool = False) -> tuple[Facts, Sbom | None]:
        """The packages of one platform image's SBOM, kept by the blob's digest (the document itself is not kept:
        parsed, a big one costs several times its size)."""
        ref, found, chosen = await self._locate(reference, platform, SBOM_TYPES, index_only)
        key = (ref.registry, ref.repository, chosen.descriptor.digest) if chosen is not None else None
        kept = self._sboms.get(key) if key is not None else None
        if kept is not None:  # read and checked before: the blob is not read again
            return Facts(ref, found.platform, found, None, chosen, "SBOM", known=True), kept
        facts = await self._read(ref, found, chosen, "SBOM")
        if facts.statement is None or key is None:
            return facts, None
        sbom = parse_spdx(facts.statement.predicate)
        self._sboms.put(key, sbom)
        return facts, sbom

    async def provenance(
        self, reference: str, platform: str, *, index_only: bool = False
    ) -> tuple[Facts, Provenance | None]:
        facts = await self.facts(reference, platform, PROVENANCE_TYPES, "provenance", index_only=index_only)
        return facts, parse_provenance(facts.statement) if facts.statement is not None else None

    # --- answers ----------------------------------------------------------------------------------

    async def image_packages(
        self,
        reference: str,
        platform: str = "linux/amd64",
        *,
        name: str | None = None,
        type: str | None = None,
        limit: int = 50,
        page: int = 1,
    ) -> ImagePackages:
        facts, sbom = await self.sbom(reference, platform)
        if sbom is None:
            return ImagePackages(image=facts.source(), message=facts.missing())
        rows = _matching(sbom.packages, name, type)
        limit = max(1, min(limit, MAX_PAGE))
        start = (page - 1) * limit
        shown = rows[start : start + limit]
        filtered = name is not None or type is not None
        counts = sbom.counts()
        described = ", ".join(f"{kind} {count}" for kind, count in counts.items()) or "none"
        what = f"{facts.ref.familiar} ({facts.platform})"
        if filtered and not rows:
            known_type = type is None or type.strip().lower() in counts
            meant = closest(type, counts, synonyms=TYPE_SYNONYMS) if type is not None and not known_type else None
            hint = (
                f"its package types are {', '.join(counts) or 'none'}" + (f" (did you mean {meant!r}?)" if meant else "")
                if not known_type
                else "try a shorter name"
            )
            message = (
                f"No package of {what} matches {_filters(name, type)}; it lists {len(sbom.packages)} packages"
                f" ({described}): {hint}."
            )
        elif start >= len(rows) and rows:
            message = f"Page {page} is past the last page ({-(-len(rows) // limit)}); ask for page 1."
        else:
            pages = -(-len(rows) // limit)
            message = (
                f"{what} lists {len(sbom.packages)} packages ({described})"
                + (f"; {len(rows)} match {_filters(name, type)}" if filtered else "")
                + (f"; page {page} of {pages}." if pages > 1 else ".")
            )
        if sbom.truncated:
            message += f" The SBOM lists more packages than hub-mcp reads; only the first {len(sbom.packages)} are here."
        return ImagePackages(
            image=facts.source(),
            os=" ".join(part for part in sbom.os if part) if sbom.os else None,
            total=len(sbom.packages),
            by_type=counts,
            matched=len(rows) if filtered else None,
            page=page,
            packages=[_row(package) for package in shown],
            next_page=page + 1 if start + limit < len(rows) else None,
            message=message,
        )

    async def image_provenance(self, reference: str, platform: str = "linux/amd64") -> ImageProvenance:
        facts, provenance = await self.provenance(reference, platform)
        if provenance is None:
            return ImageProvenance(image=facts.source(), message=facts.missing())
        bases = provenance.base_images
        what = f"{facts.ref.familiar} ({facts.platform})"
        if bases:
            named = ", ".join(image.reference for image in bases[:3]) + (f" and {len(bases) - 3} more" if len(bases) > 3 else "")
            built = f"{what} was built from {named}"
        else:
            built = f"{what} names no base image in its provenance (built FROM scratch, or the provenance leaves it out)"
        if provenance.source:
            built += f", from {provenance.source}" + (f" at {provenance.commit[:12]}" if provenance.commit else "")
        return ImageProvenance(
            image=facts.source(),
            slsa_version=provenance.slsa_version,
            source=provenance.source,
            commit=provenance.commit,
            source_unverified=True if provenance.vcs_hint and provenance.source else None,
            dockerfile=provenance.dockerfile,
            build_started=provenance.started,
            build_finished=provenance.finished,
            builder=provenance.builder,
            base_images=[BaseImageRow(reference=i.reference, digest=i.digest, platform=i.platform) for i in bases] or None,
            message=built + ".",
        )


    async def built_from(self, reference: str, platform: str, *, index_only: bool = True) -> list[str] | None:
        """The base images the image's provenance names (``debian:12-slim@sha256:...``), for ``inspect_image`` and
        the review: None when there is none or it cannot be read (neither answer fails for it). ``index_only``
        (inspect_image's way): no referrers probe, so beside an inspection it adds two requests, not round trips."""
        try:
            _, provenance = await self.provenance(reference, platform, index_only=index_only)
        except HubMCPError:
            return None
        if provenance is None or not provenance.base_images:
            return None
        return [f"{image.reference}@{image.digest}" if image.digest else image.reference for image in provenance.base_images]

    async def vulnerability_report(
        self, reference: str, platform: str, *, index_only: bool = False
    ) -> tuple[Facts, VulnerabilityReport | None]:
        """The OSV report of one platform image's SBOM (reused for :data:`REPORT_TTL`); None without an SBOM."""
        facts, sbom = await self.sbom(reference, platform, index_only=index_only)
        if sbom is None:
            return facts, None
        key = (facts.ref.registry, facts.ref.repository, facts.attestations.manifest_digest)
        report = self._reports.get(key)
        if report is None:
            if self.osv is None:
                raise RuntimeError("ImageFactsService was built without an OSV client")
            report = await assess(self.osv, sbom, within=self.osv_within)
            if report.status == "known":
                self._reports.put(key, report)
        return facts, report

    async def image_vulnerabilities(
        self,
        reference: str,
        platform: str = "linux/amd64",
        *,
        min_severity: str | None = None,
        package: str | None = None,
        fixable: bool = False,
        limit: int = 20,
        page: int = 1,
    ) -> ImageVulnerabilities:
        facts, report = await self.vulnerability_report(reference, platform)
        what = f"{facts.ref.familiar} ({facts.platform})"
        if report is None:
            return ImageVulnerabilities(
                image=facts.source(),
                status="unknown",
                reason="no SBOM",
                message=facts.missing().replace("so this is not known", "so its vulnerabilities are not known"),
            )
        database = f"OSV ({self.osv.host})" if self.osv is not None else None
        examples = [f"{n.package}: {n.reason}" for n in report.not_covered_examples] or None
        base = ImageVulnerabilities(
            image=facts.source(),
            status="unknown",
            reason=report.reason,
            database=database,
            packages_queried=report.queried,
            not_covered=report.not_covered or None,
            not_covered_examples=examples,
            message=f"The known vulnerabilities of {what} are unknown (not none): {report.reason}",
        )
        if report.status != "known" or report.counts is None:
            return base
        rows = _selected(report.findings, min_severity, package, fixable)
        limit = max(1, min(limit, MAX_FINDINGS_PAGE))
        start = (page - 1) * limit
        counts = shown_counts(report.counts)
        described = ", ".join(f"{count} {level}" for level, count in counts.items()) or "none"
        filtered = min_severity is not None or package is not None or fixable
        fixes = sum(1 for f in report.findings if f.fix_available)
        distinct = len({f.id for f in report.findings})
        message = (
            f"OSV knows {_count(distinct, 'vulnerability', 'vulnerabilities')} in the packages of {what}:"
            f" {_count(report.total, 'finding')} (one per affected package: {described}), {fixes} with a fix."
        )
        if report.not_covered:
            message += f" {_count(report.not_covered, 'package')} could not be assessed (no OSV ecosystem)."
        if filtered:
            message += f" {len(rows)} match the filters."
        if start >= len(rows) and rows:
            message += f" Page {page} is past the last page; ask for page 1."
        notes = list(report.notes)
        return base.model_copy(
            update={
                "status": "known",
                "reason": None,
                "counts": counts,
                "fixable": fixes,
                "total": report.total,
                "matched": len(rows) if filtered else None,
                "page": page,
                "findings": [_finding_row(f) for f in rows[start : start + limit]],
                "next_page": page + 1 if start + limit < len(rows) else None,
                "message": " ".join([message, *notes]),
            }
        )


def _count(number: int, word: str, plural: str | None = None) -> str:
    return f"{number} {word if number == 1 else plural or word + 's'}"


def _selected(findings: Iterable[Finding], floor: str | None, package: str | None, fixable: bool) -> list[Finding]:
    worst = next((i for i, level in enumerate(LEVELS) if level == floor), len(LEVELS))
    needle = package.strip().lower() if package else None
    return [
        f
        for f in findings
        if (floor is None or LEVELS.index(f.severity) <= worst)
        and (needle is None or needle in f.package.lower() or needle in f.source.lower())
        and (not fixable or f.fix_available)
    ]


def _finding_row(finding: Finding) -> VulnerabilityRow:
    return VulnerabilityRow(
        id=finding.id,
        aliases=list(finding.aliases[:4]) or None,
        severity=finding.severity,
        score=finding.score,
        package=finding.package,
        source=finding.source if finding.source != finding.package else None,
        installed=finding.installed,
        fixed=finding.fixed,
        summary=finding.summary,
    )


def _first_of(found: Iterable[AttestationRef], kinds: tuple[str, ...]) -> AttestationRef | None:
    """The attestation of the most preferred kind; the first of its kind (BuildKit writes the image's own SBOM
    first, then one per stage scanned with ``BUILDKIT_SBOM_SCAN_STAGE``)."""
    candidates = [a for a in found if a.predicate_type in kinds]
    return min(candidates, key=lambda a: kinds.index(a.predicate_type), default=None)


def _describes(statement: Statement, manifest_digest: str) -> bool:
    """Whether the statement is about this image: a subject with its digest, or subjects without SHA-256
    digests at all (then nothing says otherwise)."""
    digests = [subject.digest() for subject in statement.subjects]
    given = [d for d in digests if d]
    return not given or manifest_digest.lower() in given


def _matching(packages: Iterable[Package], name: str | None, kind: str | None) -> list[Package]:
    needle = name.strip().lower() if name else None
    wanted = kind.strip().lower() if kind else None
    rows = [
        p
        for p in packages
        if (needle is None or needle in p.name.lower()) and (wanted is None or p.type == wanted)
    ]
    return sorted(rows, key=lambda p: (p.name.lower(), p.type, p.version or ""))


def _row(package: Package) -> PackageRow:
    source = package.purl.upstream if package.purl is not None else None
    return PackageRow(
        name=package.name,
        version=package.version,
        type=package.type,
        source=source if source and source != package.name else None,
    )


def _filters(name: str | None, kind: str | None) -> str:
    parts = []
    if name is not None:
        parts.append(f"name {quoted(name)}")
    if kind is not None:
        parts.append(f"type {quoted(kind)}")
    return " and ".join(parts)
