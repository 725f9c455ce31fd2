"""Where an image's attestations (SBOM, provenance) sit in a registry, and how their blobs read as Statements.

Two places, both read by :meth:`hub_mcp.registry.client.RegistryClient.find_attestations`:

* **BuildKit's storage** [documented: moby/buildkit docs/attestations/attestation-storage.md]: the image index
  holds, after the platform manifests, an *attestation manifest* per platform: an entry with annotations
  ``vnd.docker.reference.type: attestation-manifest`` (any other value: the entry is ignored) and
  ``vnd.docker.reference.digest: <the platform manifest it describes>``. That manifest is an ordinary image
  manifest whose config is ignored; each layer of media type ``application/vnd.in-toto+json`` is one in-toto
  Statement, its kind in the layer annotation ``in-toto.io/predicate-type`` ("may be set": a layer without it is
  kept, with an empty predicate type, to be learnt by reading it). Unknown layer media types are ignored.
  BuildKit writes attestations into OCI indexes only [documented: docs.docker.com "Build attestations": they need
  the OCI media types]; a Docker manifest list is looked through all the same (were that wrong, nothing is lost).
* **OCI 1.1 referrers** [documented: opencontainers/distribution-spec spec.md "Listing Referrers", "Referrers
  Tag Schema"; image-spec manifest.md ``subject``/``artifactType``]: ``GET /v2/<name>/referrers/<digest>`` answers
  an image index of the manifests whose ``subject`` is that digest, each descriptor with its ``artifactType`` and
  annotations. A registry without the API answers 404, and the client then reads the tag ``sha256-<hex>``
  (a 404 there: no referrers). Asked for the platform manifest's digest and for the index's: tools attach to
  either (cosign signs what it is given; a tag resolves to the index).

Which referrers are attestations, by ``artifactType``:

* ``application/vnd.dev.sigstore.bundle.v0.3+json`` (and the other bundle versions) [documented: sigstore/cosign
  specs/BUNDLE_SPEC.md]: one layer, a Sigstore bundle whose ``dsseEnvelope`` wraps an in-toto Statement
  (``payloadType: application/vnd.in-toto+json``, ``payload`` in base64); the predicate type is in the
  annotation ``dev.sigstore.bundle.predicateType``, and ``dev.sigstore.bundle.content: message-signature`` marks
  a plain signature (no Statement: left out). The signatures are not verified here: the Statement is read as
  what the image says about itself, like BuildKit's unsigned ones.
* ``application/vnd.docker.attestation.manifest.v1+json``: BuildKit's own attestation manifest, when the image
  exporter's ``oci-artifact=true`` gives it ``artifactType`` and ``subject`` (it stays in the index as well; its
  blobs are then found twice and kept once) [documented: moby/buildkit's image exporter option ``oci-artifact``,
  docker/buildx#3047 shows the manifests; the value as public projects check for it]: layers read as in the index.
* ``application/vnd.in-toto+json`` [documented as in-toto's media type for a Statement: in-toto/attestation
  spec/v1/statement.md; as an ``artifactType``, assumed]: layers read as BuildKit's.
* ``application/spdx+json`` [documented as SPDX's media type: SPDX 2.3 specification; as an ``artifactType`` of a
  bare SPDX document, e.g. ``oras attach --artifact-type application/spdx+json``, assumed]: the layer is the SPDX
  document itself, read as a Statement with predicate type ``https://spdx.dev/Document``.
* a predicate type as ``artifactType`` (``https://spdx.dev/Document``, ``https://slsa.dev/provenance/v0.2``, ``/v1``)
  [assumed], and manifests annotated as BuildKit's attestation manifests (docker/attest pushes those as
  referrers) [assumed from docker/attest's referrers resolver, which keeps exactly those].

Everything else (Notation and cosign signatures, CycloneDX, unknown types) is skipped. A registry may filter on
``?artifactType=`` and say so with ``OCI-Filters-Applied``; no filter is asked for (several types are wanted) and
none is relied on: every descriptor is checked here.

Here: :func:`find` (the look, over the reads of an :class:`AttestationSource`, which the client is) and pure
functions (which index entries and layers are attestations, the referrers tag of a digest, a blob read as a
Statement). The requests themselves (referrers API, tag fallback, verified blob reads) are the client's.

When referrers are asked: the index is always looked in (it costs nothing more: it was read to choose the
platform); the referrers only when the index holds no attestation for the platform, or when the caller asks
(``referrers=True``). So the cold BuildKit path of one platform is two requests (the index, the attestation
manifest) plus one per blob read, and an image without BuildKit attestations costs the referrers look as well.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

from hub_mcp.attestations.statements import (
    IN_TOTO_MEDIA_TYPE,
    SLSA_V1,
    SLSA_V02,
    SPDX,
    NotAStatement,
    Statement,
    parse_statement,
)
from hub_mcp.errors import Upstream
from hub_mcp.net import jsontext
from hub_mcp.registry.inspection import media_type_of, require_container_image, select_platform, single_platform
from hub_mcp.registry.models import (
    ATTESTATION_ANNOTATION,
    ATTESTATION_VALUE,
    DOCKER_MANIFEST_LIST,
    INDEX_MEDIA_TYPES,
    Descriptor,
    ImageConfig,
    ImageIndex,
    ImageManifest,
    ManifestResult,
)
from hub_mcp.vocab.references import ImageReference, Platform

#: The most referrer descriptors read for one subject (over all pages of the referrers API).
MAX_REFERRERS = 64
#: The most pages of the referrers API followed for one subject (``Link: <…>; rel="next"``).
MAX_REFERRER_PAGES = 4
#: The most manifests (BuildKit attestation manifests and referrer manifests) read by one look.
MAX_ATTESTATION_MANIFESTS = 16
#: The most layers of one attestation manifest looked at.
MAX_LAYERS = 64
#: The most attestations one look returns.
MAX_ATTESTATIONS = 64

REFERENCE_DIGEST = "vnd.docker.reference.digest"
PREDICATE_ANNOTATION = "in-toto.io/predicate-type"
SPDX_MEDIA_TYPE = "application/spdx+json"
BUILDKIT_ARTIFACT_TYPE = "application/vnd.docker.attestation.manifest.v1+json"
SIGSTORE_BUNDLE_PREFIX = "application/vnd.dev.sigstore.bundle"
SIGSTORE_PREDICATE = "dev.sigstore.bundle.predicateType"
SIGSTORE_CONTENT = "dev.sigstore.bundle.content"
PREDICATE_TYPES = frozenset({SPDX, SLSA_V02, SLSA_V1})
#: Artifact types of referrers that hold attestations (see the module docstring for which are documented).
ATTESTATION_ARTIFACT_TYPES = frozenset({BUILDKIT_ARTIFACT_TYPE, IN_TOTO_MEDIA_TYPE, SPDX_MEDIA_TYPE, *PREDICATE_TYPES})

Via = Literal["index", "referrers", "referrers-tag"]


@dataclass(frozen=True)
class AttestationRef:
    """One attestation found: its kind and the blob that holds it."""

    predicate_type: str
    """From the layer annotation ``in-toto.io/predicate-type``, else the referrer's annotations or ``artifactType``;
    empty when nothing says (reading the blob tells)."""
    descriptor: Descriptor
    """The blob: an in-toto Statement (``application/vnd.in-toto+json``), a Sigstore bundle or an SPDX document."""
    via: Via


@dataclass(frozen=True)
class ImageAttestations:
    """What one platform's image says about itself, and where that was looked for."""

    reference: ImageReference
    platform: Platform
    """The platform chosen (as ``inspect`` chooses it)."""
    manifest_digest: str
    """The platform image manifest the attestations describe."""
    index_digest: str | None
    found: tuple[AttestationRef, ...]
    looked: tuple[str, ...]
    """Where it looked, for "not found" sentences: "the image index", "the referrers API", "the referrers tag …"."""

    def of_type(self, *predicate_types: str) -> tuple[AttestationRef, ...]:
        """The attestations of those predicate types, in the order found."""
        return tuple(ref for ref in self.found if ref.predicate_type in predicate_types)


@dataclass(frozen=True)
class Referrers:
    """The referrers of one digest, as the registry listed them (unfiltered)."""

    descriptors: tuple[Descriptor, ...]
    via: Literal["referrers", "referrers-tag"]
    api: bool
    """Whether the registry has the referrers API (False once it answered 404)."""
    looked: tuple[str, ...]
    truncated: bool = False


# --- BuildKit's storage ---------------------------------------------------------------------------


def attestation_entries(index: ImageIndex, manifest_digest: str) -> list[Descriptor]:
    """The index's attestation manifests that describe ``manifest_digest`` (each platform its own)."""
    out = []
    for entry in index.manifests:
        annotations = entry.annotations or {}
        if annotations.get(ATTESTATION_ANNOTATION) != ATTESTATION_VALUE:
            continue
        if annotations.get(REFERENCE_DIGEST, "").lower() == manifest_digest.lower():
            out.append(entry)
    return out


def statement_layers(
    manifest: ImageManifest, via: Via, *, fallback_type: str = "", annotations: dict[str, str] | None = None
) -> list[AttestationRef]:
    """The attestation blobs among a manifest's layers (its config is ignored).

    ``fallback_type`` and ``annotations`` come from the referrer descriptor (its ``artifactType`` and annotations),
    for layers that do not name their predicate type themselves.
    """
    around = {**(manifest.annotations or {}), **(annotations or {})}
    out = []
    for layer in manifest.layers[:MAX_LAYERS]:
        kind = media_type_of(layer.media_type)
        own = (layer.annotations or {}).get(PREDICATE_ANNOTATION)
        if kind == IN_TOTO_MEDIA_TYPE:
            predicate = own or around.get(PREDICATE_ANNOTATION) or around.get(SIGSTORE_PREDICATE) or fallback_type
        elif kind == SPDX_MEDIA_TYPE and via != "index":
            predicate = SPDX
        elif kind.startswith(SIGSTORE_BUNDLE_PREFIX) and via != "index":
            if around.get(SIGSTORE_CONTENT) == "message-signature":
                continue  # a signature over the image, no Statement inside
            predicate = own or around.get(SIGSTORE_PREDICATE) or fallback_type
        else:
            continue  # unknown media types are ignored
        out.append(AttestationRef(_predicate(predicate), layer, via))
    return out


def _predicate(value: str) -> str:
    """A predicate type is a URI [documented: in-toto/attestation spec/v1/statement.md]; a media type given as a
    referrer's ``artifactType`` (``application/vnd.in-toto+json``) says nothing of the kind: empty then."""
    return value if "://" in value else ""


# --- OCI 1.1 referrers ------------------------------------------------------------------------------

_TAG_UNSAFE = re.compile(r"[^a-zA-Z0-9_.-]")


def referrers_tag(digest: str) -> str:
    """The referrers tag of a digest: algorithm (32 characters at most), ``-``, encoded part (64 at most), with
    characters a tag cannot hold made ``-`` [documented: distribution-spec "Referrers Tag Schema"]."""
    algorithm, _, encoded = digest.partition(":")
    return _TAG_UNSAFE.sub("-", f"{algorithm[:32]}-{encoded[:64]}")


def is_attestation_referrer(descriptor: Descriptor) -> bool:
    """Whether a referrer descriptor may hold attestations, by its ``artifactType`` and annotations."""
    artifact = media_type_of(descriptor.artifact_type)
    annotations = descriptor.annotations or {}
    if annotations.get(ATTESTATION_ANNOTATION) == ATTESTATION_VALUE:
        return True
    if artifact.startswith(SIGSTORE_BUNDLE_PREFIX):
        return annotations.get(SIGSTORE_CONTENT) != "message-signature"
    return artifact in ATTESTATION_ARTIFACT_TYPES or (descriptor.artifact_type or "") in PREDICATE_TYPES


def attestation_referrers(descriptors: Iterable[Descriptor]) -> list[Descriptor]:
    """The descriptors worth reading, in the registry's order, each digest once."""
    seen: set[str] = set()
    out = []
    for descriptor in descriptors:
        if is_attestation_referrer(descriptor) and descriptor.digest not in seen:
            seen.add(descriptor.digest)
            out.append(descriptor)
    return out


# --- blobs ------------------------------------------------------------------------------------------


def statement_from_blob(content: bytes, media_type: str | None) -> Statement:
    """The Statement a verified blob holds: an in-toto Statement as such, a Sigstore bundle's DSSE payload, or a
    bare SPDX document (as a Statement of predicate type SPDX, with no subject). :class:`NotAStatement` otherwise."""
    kind = media_type_of(media_type)
    if kind.startswith(SIGSTORE_BUNDLE_PREFIX):
        return parse_statement(_dsse_payload(content))
    if kind == SPDX_MEDIA_TYPE:
        try:
            document = jsontext.loads(content)
        except ValueError as exc:
            raise NotAStatement(f"not JSON ({exc})") from None
        if not isinstance(document, dict) or not isinstance(document.get("spdxVersion"), str):
            raise NotAStatement("not an SPDX JSON document (no spdxVersion)")
        return Statement(SPDX_MEDIA_TYPE, SPDX, (), document)
    return parse_statement(content)


def _dsse_payload(content: bytes) -> bytes:
    """The in-toto payload of a Sigstore bundle's DSSE envelope [documented: sigstore protobuf-specs
    sigstore_bundle.proto (``dsseEnvelope``); secure-systems-lab/dsse envelope.md (``payload`` in base64)]."""
    try:
        bundle = jsontext.loads(content)
    except ValueError as exc:
        raise NotAStatement(f"not JSON ({exc})") from None
    envelope = bundle.get("dsseEnvelope") if isinstance(bundle, dict) else None
    if not isinstance(envelope, dict):
        raise NotAStatement("a Sigstore bundle without a DSSE envelope (a plain signature)")
    payload_type = envelope.get("payloadType")
    if media_type_of(payload_type if isinstance(payload_type, str) else None) != IN_TOTO_MEDIA_TYPE:
        raise NotAStatement("a DSSE envelope whose payload is not an in-toto Statement")
    payload = envelope.get("payload")
    try:
        return base64.b64decode(payload if isinstance(payload, str) else "", validate=True)
    except (binascii.Error, ValueError):
        raise NotAStatement("a DSSE payload that is not base64") from None


# --- the look -----------------------------------------------------------------------------------------


class AttestationSource(Protocol):
    """The reads :func:`find` needs (:class:`hub_mcp.registry.client.RegistryClient` has them)."""

    async def get_manifest(self, ref: ImageReference, reference: str | None = None) -> ManifestResult: ...

    async def get_config(self, ref: ImageReference, descriptor: Descriptor) -> ImageConfig: ...

    async def list_referrers(self, ref: ImageReference, digest: str, *, api: bool = True) -> Referrers: ...


async def find(
    source: AttestationSource,
    ref: ImageReference,
    platform: Platform,
    *,
    referrers: bool = False,
    index_only: bool = False,
) -> ImageAttestations:
    """The attestations of ``platform``'s image of ``ref`` (see the module docstring for where and when).
    ``index_only``: never the referrers, even when the index holds nothing (a lookup that must stay cheap: on
    Docker Hub every manifest read may count against the pull limit)."""
    if not ref.tag and not ref.digest:
        ref = ref.with_tag("latest")
    top = await source.get_manifest(ref)
    looked: list[str] = []
    found: list[AttestationRef] = []
    budget = MAX_ATTESTATION_MANIFESTS
    index_digest: str | None = None
    if isinstance(top.manifest, ImageIndex):
        index_digest = top.digest
        holder, entry = top, select_platform(top.manifest, platform, what=ref.familiar)
        if media_type_of(entry.media_type) in INDEX_MEDIA_TYPES:  # an index in an index (rare): choose in there
            inner = await source.get_manifest(ref, entry.digest)
            if isinstance(inner.manifest, ImageIndex):
                holder, entry = inner, select_platform(inner.manifest, platform, what=ref.familiar)
                if media_type_of(entry.media_type) in INDEX_MEDIA_TYPES:
                    raise Upstream(
                        f"{ref.familiar} is an index nested more than two levels deep; hub-mcp cannot read it."
                    )
        chosen = entry.to_platform() or platform
        manifest_digest = entry.digest
        looked.append(_index_words(holder))
        assert isinstance(holder.manifest, ImageIndex)
        for attestation in attestation_entries(holder.manifest, manifest_digest)[:budget]:
            budget -= 1
            result = await source.get_manifest(ref, attestation.digest)
            if isinstance(result.manifest, ImageManifest):
                found.extend(statement_layers(result.manifest, "index"))
    elif index_only:  # a single-platform image: no index to hold attestations, and nothing more is read
        return ImageAttestations(
            reference=ref, platform=platform, manifest_digest=top.digest, index_digest=None, found=(), looked=()
        )
    else:
        assert isinstance(top.manifest, ImageManifest)
        require_container_image(ref, top.manifest)
        config = await source.get_config(ref, top.manifest.config)
        chosen = single_platform(ref, config, platform)
        manifest_digest = top.digest

    if not index_only and (referrers or not found):
        api = True
        for subject in (manifest_digest, index_digest):
            if subject is None:
                continue
            listed = await source.list_referrers(ref, subject, api=api)
            api = listed.api
            looked.extend(word for word in listed.looked if word not in looked)
            for descriptor in attestation_referrers(listed.descriptors):
                if budget <= 0:
                    break
                budget -= 1
                result = await source.get_manifest(ref, descriptor.digest)
                if isinstance(result.manifest, ImageManifest):
                    found.extend(
                        statement_layers(
                            result.manifest,
                            listed.via,
                            fallback_type=descriptor.artifact_type or result.manifest.artifact_type or "",
                            annotations=descriptor.annotations,
                        )
                    )
    return ImageAttestations(
        reference=ref,
        platform=chosen,
        manifest_digest=manifest_digest,
        index_digest=index_digest,
        found=tuple(_unique(found))[:MAX_ATTESTATIONS],
        looked=tuple(looked),
    )


def _index_words(result: ManifestResult) -> str:
    if result.media_type == DOCKER_MANIFEST_LIST:
        return "the image index (a Docker manifest list: BuildKit stores attestations in OCI image indexes only)"
    return "the image index"


def _unique(found: Iterable[AttestationRef]) -> Iterable[AttestationRef]:
    """Each blob once (an attestation may be both in the index and among the referrers)."""
    seen: set[str] = set()
    for ref in found:
        if ref.descriptor.digest not in seen:
            seen.add(ref.descriptor.digest)
            yield ref
