"""What the model receives: small models named for the question they answer.

Units are in field names (``size_bytes``), dates are ``YYYY-MM-DD`` (day precision is all a
staleness judgement needs), and optional fields stay out of the output when empty (the MCP
layer dumps with ``exclude_none``). The schema snapshot in ``tests/server/schema_snapshot.json``
is of these models: change them on purpose.
"""

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from hub_mcp.hub.health import LineVerdict


class View(BaseModel):
    # Built on first use, not at import: the tool schemas the server lists at start-up come
    # from hub_mcp/tool_schemas.json when it is fresh, so start-up does not need these
    # validators; the warm-up after tools/list builds them (build_views).
    model_config = ConfigDict(extra="forbid", defer_build=True)


def build_views() -> None:
    """Build every view's validator and serializer now (the warm-up does, off the request path)."""
    pending = [View]
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        if model is not View:
            model.model_rebuild()


class Answer(View):
    """A whole tool answer: what every tool returns, with room for notices about how it was answered."""

    notices: list[str] | None = Field(
        default=None,
        description="How this was answered, when it matters: e.g. the configured credentials were rejected,"
        " so only public data was read.",
    )


# --- search_images ----------------------------------------------------------------------


class ImageHit(View):
    reference: str = Field(description="The name to write in FROM (add a tag): 'python', 'bitnami/redis'.")
    trust: str = Field(
        description="official | verified_publisher | open_source | hardened | community (or a newer Hub badge)."
    )
    description: str | None = Field(default=None, description="One line from the publisher.")
    pulls: str | None = Field(default=None, description="Pull count as Hub rounds it, e.g. '1B+'.")
    stars: int | None = None
    last_updated: str | None = Field(default=None, description="Date of the last push to the repository.")
    architectures: list[str] | None = Field(default=None, description="Architectures of the repository's images.")
    archived: bool | None = Field(default=None, description="Present and true when the repository is archived.")


class SearchImagesResult(Answer):
    query: str
    total: int = Field(description="How many repositories match on Docker Hub.")
    page: int
    results: list[ImageHit]
    next_page: int | None = Field(default=None, description="Pass as page to see more; absent on the last page.")
    note: str | None = None


# --- get_repository ---------------------------------------------------------------------


class RepositoryInfo(Answer):
    reference: str = Field(description="The name to write in FROM (add a tag).")
    namespace: str
    name: str
    official: bool = Field(description="A Docker Official Image (namespace 'library').")
    description: str | None = None
    status: str | None = Field(default=None, description="active, archived, ... (absent when Hub does not say).")
    private: bool | None = None
    stars: int | None = None
    pulls: int | None = None
    last_updated: str | None = None
    registered: str | None = None
    categories: list[str] | None = None
    content_types: list[str] | None = None
    warnings: list[str] | None = Field(default=None, description="Things to know before using it (archived, deprecated).")
    readme: str | None = Field(default=None, description="The README (markdown), only when include_readme was true.")
    readme_chars: int | None = Field(default=None, description="Full README length in characters.")
    readme_truncated: bool | None = Field(default=None, description="True when readme was cut to readme_max_chars.")


# --- list_tags / get_tag ----------------------------------------------------------------


class TagRow(View):
    name: str
    platforms: list[str] | None = Field(
        default=None, description="os/architecture[/variant] of each image (attestations hidden); absent when unknown."
    )
    size_bytes: int | None = Field(default=None, description="Compressed size for the asked platform, else linux/amd64.")
    last_pushed: str | None = None
    digest: str | None = Field(default=None, description="Digest of the tag (the multi-platform index when there is one).")
    prerelease: str | None = Field(
        default=None, description="Set on a tag not meant for production: the word that marks it (rc, beta, dev, edge...)."
    )


class TagListResult(Answer):
    repository: str
    total: int = Field(description="Tags matching the filters.")
    page: int
    order: str | None = Field(default=None, description="newest | oldest (by last push) | name | name_desc.")
    size_platform: str | None = Field(default=None, description="The platform size_bytes refers to.")
    tags: list[TagRow]
    next_page: int | None = Field(default=None, description="Pass as page to see more; absent on the last page.")
    note: str | None = Field(default=None, description="What this answer could not know (e.g. registries give no dates).")


class PlatformImage(View):
    platform: str
    size_bytes: int | None = None
    digest: str | None = None


class TagSuggestion(View):
    tag: str
    last_pushed: str | None = None


class Lifecycle(View):
    status: str = Field(
        description="end_of_life | deprecated | development | stale | unmaintained: the worst that applies."
    )
    ended: str | None = Field(default=None, description="The end-of-life day (YYYY-MM-DD).")
    reason: str = Field(description="The worst problem, in words (the message names every one).")
    successors: list[str] | None = Field(
        default=None, description="What the deprecated repository's notice names instead, in its order."
    )

    @classmethod
    def of(cls, verdict: "LineVerdict | None") -> "Lifecycle | None":
        """The answer's field for a verdict of :func:`hub_mcp.hub.health.line_verdict` (None: nothing wrong)."""
        if verdict is None:
            return None
        return cls(
            status=verdict.status,
            ended=verdict.ended.isoformat() if verdict.ended else None,
            reason=verdict.worst,
            successors=list(verdict.successors) or None,
        )


class HardenedEquivalent(View):
    reference: str = Field(
        description="The Docker Hardened Image to use instead, e.g. 'dhi.io/python:3.12-debian13', or your organization's"
        " mirror of it ('acme/dhi-python:3.12-debian13')."
    )
    variant: str | None = Field(default=None, description="runtime (final stage) or dev (build stages).")
    run_as: str | None = Field(default=None, description="The user it runs as, e.g. 'nonroot' or '65532'.")
    exact: bool = Field(description="True: the same version line; false: the closest line the catalog has.")
    verified: bool | None = Field(
        default=None,
        description="True: the tag was read on dhi.io (a login for it) or on the mirror during this request; absent:"
        " from the bundled DHI catalog, not checked live (a suggestion's or review's notes say why).",
    )


class TagInfo(Answer):
    repository: str
    tag: str
    exists: bool
    reference: str | None = Field(default=None, description="What to write in FROM.")
    pinned_reference: str | None = Field(default=None, description="The same, pinned to the digest.")
    digest: str | None = None
    aliases: list[str] | None = Field(
        default=None,
        description="Other tags of this image now (the same digest), most precise first: what lts or latest stands for.",
    )
    last_pushed: str | None = None
    platforms: list[PlatformImage] | None = None
    stale: bool | None = Field(default=None, description="True when the tag is no longer rebuilt while its siblings are.")
    prerelease: str | None = Field(
        default=None,
        description="The word by which the tag or a tag of the same image marks it not for production (rc, devel, edge).",
    )
    newer_on_line: list[str] | None = Field(
        default=None, description="Newer maintained, supported production versions with the same variant and precision."
    )
    lifecycle: Lifecycle | None = Field(
        default=None,
        description="Present when the line should not be built on: end of life, deprecated, development, stale."
    )
    digest_matches: bool | None = Field(
        default=None,
        description="Only when a digest was given with the tag (3.12@sha256:...): true when the tag points at it now"
        " (its index or one platform's image), false when not.",
    )
    note: str | None = Field(default=None, description="What this answer could not know (e.g. registries give no dates).")
    alternatives: list[TagSuggestion] | None = Field(
        default=None, description="When the tag does not exist: the closest existing tags, best first."
    )
    hardened: HardenedEquivalent | None = Field(
        default=None,
        description="An official image's Docker Hardened Image equivalent (runtime variant; -dev for build stages).",
    )
    message: str = Field(description="One sentence summary; what to do next.")


# --- inspect_image ----------------------------------------------------------------------


class ImageDetails(Answer):
    reference: str = Field(description="The reference inspected, e.g. 'python:3.12-slim'.")
    pinned_reference: str = Field(description="The same, pinned to the digest to write in FROM for reproducible builds.")
    platform: str = Field(description="The platform inspected.")
    platforms: list[str] = Field(description="Every platform the reference offers.")
    index_digest: str | None = Field(default=None, description="Digest of the multi-platform index, when there is one.")
    manifest_digest: str = Field(description="Digest of this platform's image manifest.")
    size_bytes: int = Field(description="Compressed size for this platform (what a pull downloads).")
    layers: int
    created: str | None = None
    user: str = Field(description="The user the image runs as; 'root' when the image sets none.")
    runs_as_root: bool
    entrypoint: list[str] | None = None
    cmd: list[str] | None = None
    working_dir: str | None = None
    exposed_ports: list[str] | None = None
    env: list[str] | None = Field(default=None, description="Environment (secret-looking values redacted).")
    env_omitted: int | None = Field(default=None, description="Environment entries left out to keep the answer short.")
    labels: dict[str, str] | None = Field(default=None, description="Image labels, OCI ones first.")
    labels_omitted: int | None = None
    built_from: list[str] | None = Field(
        default=None,
        description="The base images its build pulled (name:tag@digest), from the SLSA provenance it carries;"
        " absent when it carries none.",
    )
    warnings: list[str] | None = None


# --- what is inside an image: packages, provenance, vulnerabilities -------------------------


class FactsSource(View):
    """Where an image's facts came from, or why they are not known."""

    reference: str = Field(description="The reference asked about.")
    platform: str = Field(description="The platform the facts are about.")
    digest: str | None = Field(default=None, description="The digest of that platform's image, which the facts describe.")
    found: bool = Field(description="False when the image carries no such attestation: then nothing below is known.")
    via: str | None = Field(
        default=None, description="Where the attestation was found: index (BuildKit), referrers (OCI 1.1 API), referrers-tag."
    )
    looked: list[str] | None = Field(default=None, description="Where hub-mcp looked, when nothing was found.")


class PackageRow(View):
    name: str
    version: str | None = None
    type: str = Field(description="The package URL type: deb, apk, rpm, pypi, npm, golang, maven...; unknown without one.")
    source: str | None = Field(default=None, description="The source package it was built from, when the SBOM names one.")


class ImagePackages(Answer):
    image: FactsSource
    os: str | None = Field(default=None, description="The distribution and release the OS packages name, e.g. 'debian 12'.")
    total: int | None = Field(default=None, description="Packages the SBOM lists.")
    by_type: dict[str, int] | None = Field(default=None, description="Packages per type, most first.")
    matched: int | None = Field(default=None, description="Packages matching name/type, when a filter was given.")
    page: int | None = Field(default=None, description="The page shown (absent when nothing is known).")
    packages: list[PackageRow] | None = Field(default=None, description="This page of the (matching) packages, by name.")
    next_page: int | None = Field(default=None, description="Pass as page to see more; absent on the last page.")
    message: str = Field(description="One sentence summary; what to do next.")


class BaseImageRow(View):
    reference: str = Field(description="The image the build pulled, as its FROM line named it.")
    digest: str | None = Field(default=None, description="The digest it resolved to when the image was built.")
    platform: str | None = None


class ImageProvenance(Answer):
    image: FactsSource
    slsa_version: str | None = Field(default=None, description="0.2 or 1.")
    source: str | None = Field(default=None, description="The source repository the build read.")
    commit: str | None = None
    source_unverified: bool | None = Field(
        default=None,
        description="True when source and commit are the build client's own git metadata (a build from a local"
        " folder), which BuildKit records as a hint without checking it.",
    )
    dockerfile: str | None = Field(default=None, description="The Dockerfile path in the source.")
    build_started: str | None = None
    build_finished: str | None = None
    builder: str | None = None
    base_images: list[BaseImageRow] | None = Field(
        default=None, description="The images the build pulled (its FROM lines), with digests; the build's frontend left out."
    )
    message: str = Field(description="One sentence summary; what to do next.")


class VulnerabilityRow(View):
    id: str = Field(description="The OSV id (DSA-..., GHSA-..., CVE-...).")
    aliases: list[str] | None = Field(default=None, description="Other ids of the same flaw, CVE ids first.")
    severity: str = Field(description="critical | high | medium | low | unknown (from the CVSS vector when given).")
    score: float | None = Field(default=None, description="The CVSS base score the severity comes from.")
    package: str = Field(description="The package as the image installs it.")
    source: str | None = Field(default=None, description="The source package OSV names, when it differs.")
    installed: str | None = None
    fixed: str | None = Field(default=None, description="The first version that fixes it, when one exists.")
    summary: str | None = None


class ImageVulnerabilities(Answer):
    image: FactsSource
    status: str = Field(description="known | unknown: unknown means nothing below may be read as 'no vulnerabilities'.")
    reason: str | None = Field(default=None, description="Why the status is unknown.")
    database: str | None = Field(default=None, description="Where the vulnerabilities were looked up, e.g. 'OSV (api.osv.dev)'.")
    packages_queried: int | None = None
    not_covered: int | None = Field(default=None, description="Packages the database has no ecosystem for: not assessed.")
    not_covered_examples: list[str] | None = None
    counts: dict[str, int] | None = Field(default=None, description="Findings (vulnerability x package) per severity.")
    fixable: int | None = Field(default=None, description="Findings with a fixed version available.")
    total: int | None = Field(default=None, description="Findings in all (what counts adds up to).")
    matched: int | None = Field(default=None, description="Findings matching the filters, when a filter was given.")
    page: int | None = Field(default=None, description="The page shown (absent when nothing is known).")
    findings: list[VulnerabilityRow] | None = Field(default=None, description="This page of findings, most severe first.")
    next_page: int | None = Field(default=None, description="Pass as page to see more; absent on the last page.")
    message: str = Field(description="One sentence summary; what to do next.")


# --- compare_images -----------------------------------------------------------------------


class ComparedImage(View):
    """One side of a comparison: which image it is, for the platform compared."""

    reference: str = Field(description="The reference as asked, e.g. 'python:3.12-slim'.")
    pinned_reference: str = Field(description="The same, pinned to its digest.")
    platform: str = Field(description="The platform compared.")
    platforms: list[str] = Field(description="Every platform the reference offers.")
    index_digest: str | None = Field(default=None, description="Digest of the multi-platform index, when there is one.")
    manifest_digest: str = Field(description="Digest of this platform's image manifest.")
    size_bytes: int = Field(description="Compressed size (what a pull downloads).")
    layers: int
    created: str | None = None
    packages: int | None = Field(default=None, description="Packages its SBOM lists; absent when it has no SBOM.")


class LayerComparison(View):
    shared: int = Field(description="Layers both images have (by digest).")
    shared_bytes: int = Field(description="Compressed bytes of the shared layers (a pull of one after the other skips them).")
    same_base: int = Field(description="How many of the first layers are the same in both, in order (a common base).")
    only_before: int = Field(description="Layers only the before image has.")
    only_after: int = Field(description="Layers only the after image has.")
    size_change_bytes: int = Field(description="after's size minus before's (negative: after is smaller).")


class ValueChange(View):
    before: str | list[str] | None = Field(default=None, description="Absent when before has none.")
    after: str | list[str] | None = Field(default=None, description="Absent when after has none.")


class EntryChange(View):
    name: str
    before: str | None = None
    after: str | None = None


class EntriesComparison(View):
    """Environment variables or labels, by name: only what differs (secret-looking values redacted)."""

    added: dict[str, str] | None = Field(default=None, description="Only in after: name and value.")
    removed: list[str] | None = Field(default=None, description="Only in before: names.")
    changed: list[EntryChange] | None = Field(default=None, description="In both with another value.")
    omitted: int | None = Field(default=None, description="Differences left out to keep the answer short.")


class ConfigComparison(View):
    """Only the settings that differ; an absent field is the same in both."""

    user: ValueChange | None = Field(default=None, description="The user it runs as ('root' when none is set).")
    entrypoint: ValueChange | None = None
    cmd: ValueChange | None = None
    working_dir: ValueChange | None = None
    ports_added: list[str] | None = None
    ports_removed: list[str] | None = None
    env: EntriesComparison | None = None
    labels: EntriesComparison | None = None


class PackageChange(View):
    name: str
    type: str = Field(description="The package URL type: deb, apk, rpm, pypi, npm...")
    before: str | None = Field(default=None, description="The version in before (absent: not there).")
    after: str | None = Field(default=None, description="The version in after (absent: not there).")


class PackageComparison(View):
    status: str = Field(description="known | unknown: unknown (a side has no SBOM) means not known, never 'no change'.")
    reason: str | None = Field(default=None, description="Why it is unknown.")
    counts: dict[str, int] | None = Field(
        default=None, description="added, removed, upgraded, downgraded, changed (order unknown), unchanged."
    )
    added: list[PackageChange] | None = None
    removed: list[PackageChange] | None = None
    upgraded: list[PackageChange] | None = None
    downgraded: list[PackageChange] | None = None
    changed: list[PackageChange] | None = Field(
        default=None, description="Another version whose order hub-mcp cannot tell (no version order for its type)."
    )
    omitted: int | None = Field(default=None, description="Package changes left out of the lists (counts has them all).")


class VulnerabilityComparison(View):
    status: str = Field(description="known | unknown: unknown means no delta may be read from it.")
    reason: str | None = Field(default=None, description="Why it is unknown (no SBOM, OSV unreachable).")
    database: str | None = None
    before: dict[str, int] | None = Field(default=None, description="before's findings per severity; absent when unknown.")
    after: dict[str, int] | None = Field(default=None, description="after's findings per severity; absent when unknown.")
    before_total: int | None = None
    after_total: int | None = None
    delta: dict[str, int] | None = Field(default=None, description="after minus before, per severity (levels that moved).")
    fixed: int | None = Field(default=None, description="Findings (vulnerability x package) before has and after does not.")
    introduced: int | None = Field(default=None, description="Findings after has and before does not.")
    fixed_findings: list[str] | None = Field(
        default=None, description="Those fixed, most severe first (at most 10): 'CVE-… (package, severity)'."
    )
    introduced_findings: list[str] | None = Field(
        default=None, description="Those introduced, most severe first (at most 10): 'CVE-… (package, severity)'."
    )


class ImageComparison(Answer):
    before: ComparedImage
    after: ComparedImage
    identical: bool = Field(description="True when both are the same image manifest for this platform.")
    layers: LayerComparison
    config: ConfigComparison | None = Field(default=None, description="The settings that differ; absent when none do.")
    packages: PackageComparison | None = Field(default=None, description="From the SBOMs; absent when packages=false.")
    vulnerabilities: VulnerabilityComparison | None = Field(
        default=None, description="From the SBOMs checked against OSV; absent unless vulnerabilities=true."
    )
    message: str = Field(description="One sentence summary of what differs.")


# --- suggest_base_images / review_base_images ------------------------------------------


class Benefit(View):
    text: str = Field(description="What the candidate has, with the value behind it, e.g. 'supported upstream until 2028-04-30'.")
    points: float | None = Field(
        default=None, description="Its share of score (the shares of one candidate add up to its score); none when unscored."
    )


class VulnerabilityCounts(View):
    platform: str = Field(description="The platform whose image was assessed.")
    total: int = Field(
        description="Known vulnerabilities (vulnerability x package) OSV lists for the packages of its SBOM."
    )
    counts: dict[str, int] = Field(
        description="Per severity (critical, high, medium, low, none, unknown); a level with none is left out."
    )
    fixable: int = Field(description="Of them, those with a fixed version available.")


class Candidate(View):
    rank: int
    reference: str = Field(description="What to write in FROM, e.g. 'python:3.13-slim-trixie'.")
    pinned_reference: str | None = Field(default=None, description="The same, pinned to the digest, for reproducible builds.")
    aliases: list[str] | None = Field(default=None, description="Other tags of the very same image (same digest).")
    repository: str
    version: str | None = Field(default=None, description="The runtime version this image carries, e.g. '3.13.15'.")
    trust: str = Field(description="official | verified_publisher | open_source | hardened | community.")
    platforms: list[str] = Field(description="Platforms the image has (every asked one is among them: verified).")
    size_bytes: int | None = Field(default=None, description="Compressed size for the first asked platform.")
    last_pushed: str | None = None
    support_ends: str | None = Field(default=None, description="End of upstream support for this version (YYYY-MM-DD).")
    libc: str | None = Field(default=None, description="glibc or musl (alpine).")
    distro: str | None = None
    channel: str | None = Field(
        default=None, description="The maintainers' channel (lts, stable, latest) whose line this image is on."
    )
    score: float
    benefits: list[Benefit] = Field(description="Why it ranks here, each with its value and share of score.")
    warnings: list[str] | None = None
    vulnerabilities: VulnerabilityCounts | None = Field(
        default=None,
        description="Only with priorities 'secure', for a candidate whose SBOM was looked up in OSV: absent means"
        " not assessed (the notes say why), never none.",
    )
    hardened: HardenedEquivalent | None = Field(
        default=None, description="Its Docker Hardened Image equivalent; the notes say what changes for the Dockerfile."
    )


class Rejection(View):
    reference: str = Field(description="The tag or line that was considered, e.g. 'python:3.8-slim'.")
    reason: str = Field(
        description="not_found | platform_missing | version_mismatch | end_of_life | stale | prerelease | "
        "os_mismatch | libc_mismatch | variant_mismatch | deprecated_repository"
    )
    detail: str
    successors: list[str] | None = Field(
        default=None, description="What a deprecated repository's notice names instead, in its order."
    )


class Suggestion(Answer):
    request: str = Field(description="The request as understood, e.g. 'python 3.13, runtime, linux/amd64+arm64'.")
    candidates: list[Candidate]
    rejected: list[Rejection] | None = Field(default=None, description="What was left out and why (the most telling first).")
    rejected_omitted: int | None = Field(default=None, description="Further rejections not listed.")
    notes: list[str] | None = Field(default=None, description="What to know: data sources and dates, fallbacks, limits.")
    message: str = Field(description="One sentence: the pick, or why there is none and what to do.")


class ImageVulnerabilityCounts(View):
    """One image a review line compares: what it uses now, the refresh, or the upgrade (vulnerabilities=true)."""

    reference: str = Field(description="The image assessed: the pinned digest, the tag as it is today, or the upgrade's tag.")
    digest: str | None = Field(default=None, description="Its image digest for the platform assessed.")
    counts: dict[str, int] | None = Field(
        default=None, description="Known vulnerabilities (vulnerability x package) per severity; absent when unknown."
    )
    total: int | None = Field(default=None, description="Known vulnerabilities in all; absent when unknown.")
    fixable_severe: int | None = Field(
        default=None,
        description="Critical and high ones with a fixed version available (what Docker Scout's default policy"
        " flags); absent when unknown.",
    )
    unknown: str | None = Field(
        default=None, description="Why its vulnerabilities are not known (no SBOM, OSV unreachable): never read as zero."
    )
    removes: int | None = Field(
        default=None,
        description="Vulnerabilities (by id, per package) of the current image this one does not have; absent when"
        " either is unknown.",
    )
    adds: int | None = Field(default=None, description="Vulnerabilities this one has and the current image does not.")


class LineVulnerabilities(View):
    """Docker Scout's 'refresh' versus 'change' for one line, from the images' own SBOMs checked against OSV."""

    platform: str = Field(description="The platform image assessed.")
    current: ImageVulnerabilityCounts = Field(description="The image the line uses now.")
    refresh: ImageVulnerabilityCounts | None = Field(
        default=None, description="The tag's image today, when the line pins a digest; absent when not pinned."
    )
    upgrade: ImageVulnerabilityCounts | None = Field(default=None, description="The suggested upgrade's image.")
    built_from: list[str] | None = Field(
        default=None,
        description="What the current image's provenance says its build pulled (its FROM lines, every stage), with"
        " digests: its base image; absent when it carries no provenance.",
    )
    summary: str = Field(description="One sentence: what the refresh and the upgrade remove and add.")


class FromLineReview(View):
    line: int = Field(description="Line number of the FROM (or of the COPY/RUN using the image) in the Dockerfile (1-based).")
    original: str = Field(description="The image as written, e.g. 'python:${PY}-slim'.")
    resolved: str | None = Field(default=None, description="After ARG substitution, e.g. 'python:3.8-slim'.")
    stage: str | None = Field(default=None, description="The stage name (AS ...), if any.")
    verdict: str = Field(description="ok | warn | fail | unknown (Hub or the registry could not answer) | skipped")
    findings: list[str] | None = Field(
        default=None,
        description="Each check's result, e.g. 'exists', 'python 3.8 reached end of life 2024-10-07'; absent when"
        " 'same_as' is set.",
    )
    same_as: int | None = Field(
        default=None,
        description="An earlier line naming the same image: its findings, platforms, refresh, upgrade and"
        " vulnerabilities apply to this line too (not repeated, to keep the answer short).",
    )
    platforms: list[str] | None = None
    refresh: str | None = Field(default=None, description="Same line, current build: the reference pinned to today's digest.")
    upgrade: str | None = Field(default=None, description="A better line to move to, with its reason.")
    instruction: str | None = Field(
        default=None,
        description="Set when the image is not a FROM: 'COPY --from' or 'RUN --mount' (the instruction on 'line').",
    )
    vulnerabilities: LineVulnerabilities | None = Field(
        default=None,
        description="With vulnerabilities=true: the known vulnerabilities of the current image, the refresh and the"
        " upgrade, and what each move removes and adds.",
    )
    hardened: HardenedEquivalent | None = Field(
        default=None,
        description="The Docker Hardened Image equivalent of an official image (-dev for a build stage); the notes"
        " say what changes for the Dockerfile. On the first line naming the image only.",
    )


class Review(Answer):
    from_lines: list[FromLineReview]
    summary: str
    notes: list[str] | None = None


# --- list_namespaces / list_repositories -------------------------------------------------


class NamespaceRow(View):
    name: str = Field(description="The namespace: what goes before the slash in 'name/repository'.")
    kind: str = Field(description="personal | organization")
    role: str | None = Field(
        default=None, description="owner | editor | member (as Docker Hub names it) | organization token; absent when unknown."
    )
    can_create: bool | None = Field(
        default=None,
        description="Whether this account may create repositories here, by its role (members may not); absent when unknown.",
    )


class NamespaceList(Answer):
    account: str = Field(description="Who the credentials belong to (a user, or an organization for an organization token).")
    namespaces: list[NamespaceRow]
    omitted: int | None = Field(default=None, description="Organizations not listed to keep the answer short.")
    note: str | None = None


class RepositoryRow(View):
    name: str = Field(description="Repository name; the full reference is namespace/name.")
    private: bool | None = Field(default=None, description="true for a private repository; absent when public.")
    status: str | None = Field(default=None, description="Only when not active: archived, pending_delete, ...")
    description: str | None = None
    pulls: int | None = None
    stars: int | None = None
    last_updated: str | None = Field(default=None, description="Date of the last push (YYYY-MM-DD).")


class RepositoryListResult(Answer):
    namespace: str
    total: int = Field(description="Repositories matching the filter (private ones only when the credentials may see them).")
    page: int
    order: str = Field(description="newest | oldest | most_pulled | least_pulled | name | name_desc")
    repositories: list[RepositoryRow]
    next_page: int | None = Field(default=None, description="Pass as page to see more; absent on the last page.")
    note: str | None = None


# --- create_repository / update_repository / delete_tag / delete_repository ---------------


class RepositoryChange(Answer):
    repository: str = Field(description="The full reference, namespace/name.")
    action: str = Field(description="created | updated")
    changed: list[str] | None = Field(default=None, description="The fields that were sent to Docker Hub.")
    private: bool | None = None
    status: str | None = None
    description: str | None = None
    message: str


class DeletionResult(Answer):
    reference: str = Field(description="What was (or would be) deleted: namespace/name or namespace/name:tag.")
    deleted: bool = Field(description="True only when Docker Hub confirmed the deletion.")
    what_goes: list[str] = Field(description="What the deletion removes, as shown to the person.")
    message: str = Field(description="What happened, and when nothing was deleted, how to confirm.")


# --- plan_tag_cleanup / apply_tag_cleanup ---------------------------------------------------------


class CleanupTag(View):
    tag: str
    digest: str | None = Field(default=None, description="The image digest the tag points at (shortened: sha256: and 12 hex).")
    pushed: str | None = Field(default=None, description="Last push (YYYY-MM-DD).")
    pulled: str | None = Field(default=None, description="Last pull (YYYY-MM-DD); absent: Docker Hub records none.")
    size_bytes: int | None = None


class CleanupKept(View):
    reason: str = Field(description="Why these tags stay, e.g. \"keep pattern 'v*'\", 'among the newest 5'.")
    count: int
    tags: list[str] = Field(description="Some of them (at most 10).")


class CleanupPlan(Answer):
    repository: str
    plan_id: str = Field(description="Pass to apply_tag_cleanup; a hash of the exact tag@digest list to delete.")
    rules: str = Field(description="The rules, in words.")
    tags_total: int
    delete_count: int
    delete: list[CleanupTag] = Field(description="Tags to delete, oldest push first (at most 50 listed; all are applied).")
    kept: list[CleanupKept] = Field(description="Tags kept, grouped by reason.")
    bytes_freed: int = Field(
        description="Sizes of the images only deleted tags point at, each once (Docker Hub's size of one platform)."
    )
    expires_in_s: int = Field(description="Seconds this server keeps the plan for apply_tag_cleanup.")
    message: str


class CleanupTagResult(View):
    tag: str
    result: str = Field(description="deleted | already_gone | changed (skipped: moved since the plan) | failed | not_tried")
    detail: str | None = None


class CleanupResult(Answer):
    repository: str
    plan_id: str
    applied: bool = Field(description="False when nothing was deleted because the person did not confirm.")
    deleted: int = 0
    already_gone: int = Field(default=0, description="Planned tags no longer there (deleted by an earlier run or by hand).")
    skipped: int = Field(default=0, description="Planned tags moved to another image since the plan: left alone.")
    failed: int = 0
    not_tried: int = Field(default=0, description="Left for a later run (the call's time or the rate limit ran out).")
    results: list[CleanupTagResult] | None = Field(
        default=None, description="Per tag, at most 20 of each outcome (failed and changed ones first), with details."
    )
    message: str


# --- get_rate_limit ---------------------------------------------------------------------


class PullLimit(View):
    state: str = Field(
        description="known (the registry's headers gave the numbers) | not_limited (it sent no rate-limit header, which"
        " Docker documents as no limit on these pulls) | unknown (see reason)."
    )
    limit: int | None = Field(default=None, description="Pulls allowed per window (ratelimit-limit).")
    remaining: int | None = Field(default=None, description="Pulls left in the window (ratelimit-remaining).")
    window_seconds: int | None = Field(
        default=None, description="The window, from ratelimit-limit's ';w=' (21600 is 6 hours); absent when not sent."
    )
    source: str | None = Field(
        default=None,
        description="What the pulls are counted for (docker-ratelimit-source): your IP address when anonymous.",
    )
    counted_for: str = Field(description="Whose pulls: the Docker Hub login the registry was asked with, or anonymous.")
    low: bool | None = Field(default=None, description="True when the remaining pulls are low (see low_when).")
    checked_at: str | None = Field(default=None, description="When the headers were read (UTC).")
    how: str = Field(description="The request that read them.")
    headers: dict[str, str] | None = Field(default=None, description="The rate-limit headers exactly as sent.")
    reason: str | None = Field(default=None, description="Why the numbers are not known, or what no headers means.")


class ApiLimit(View):
    state: str = Field(description="known (Docker Hub's X-RateLimit-* headers gave the numbers) | unknown (see reason).")
    limit: int | None = Field(default=None, description="Hub API requests allowed per minute (X-RateLimit-Limit).")
    remaining: int | None = Field(default=None, description="Requests left until the reset (X-RateLimit-Remaining).")
    resets_at: str | None = Field(default=None, description="When the remaining resets (X-RateLimit-Reset, UTC).")
    counted_for: str = Field(description="Whose calls: the Docker Hub login hub-mcp uses, or anonymous.")
    low: bool | None = Field(default=None, description="True when the remaining calls are low (see low_when).")
    checked_at: str | None = Field(default=None, description="When the headers were read (UTC).")
    how: str = Field(description="Which answer they came from: the last one Docker Hub gave, or a request made now.")
    headers: dict[str, str] | None = Field(default=None, description="The rate-limit headers exactly as sent.")
    reason: str | None = Field(default=None, description="Why the numbers are not known.")


class RateLimitStatus(Answer):
    pulls: PullLimit = Field(description="Docker Hub's pull rate limit (image pulls from registry-1.docker.io).")
    hub_api: ApiLimit = Field(description="Docker Hub API budget (search, tags, repositories: what hub-mcp asks).")
    low_when: str = Field(description="When a budget counts as low; then every hub-mcp answer carries a notice.")
