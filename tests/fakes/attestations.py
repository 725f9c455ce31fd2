"""Images that say things about themselves: BuildKit attestation manifests and OCI 1.1 referrers, built in Python.

* :func:`sbom_statement` / :func:`provenance_statement` - the two in-toto Statements BuildKit attaches by default,
  small (a handful of Debian bookworm packages; a v0.2 provenance whose ``materials`` name the base image);
* :func:`buildkit_attestation` - the attestation manifest of one platform image, one layer per Statement, with the
  layer annotation ``in-toto.io/predicate-type`` [documented: moby/buildkit docs/attestations/attestation-storage.md:
  config ``unknown/unknown``, layers ``application/vnd.in-toto+json``];
* :func:`attested_index` - an OCI index of platform images, each followed by ITS attestation manifest
  (``vnd.docker.reference.type`` / ``vnd.docker.reference.digest``);
* :func:`referrer` - an artifact manifest with ``subject`` and ``artifactType`` and the empty config
  [documented: image-spec manifest.md "Guidelines for Artifact Usage", the empty descriptor ``{}``;
  sigstore/cosign specs/BUNDLE_SPEC.md for the shape];
* :func:`referrers_index` / :func:`push_referrers_tag` - the referrers list under the tag ``sha256-<hex>``
  [documented: distribution-spec "Referrers Tag Schema"], which is how a client attaches to a registry without the
  referrers API (Debian's docker-registry 2.8 is one: it answers 404 ``404 page not found`` to
  ``/v2/<name>/referrers/<digest>``, seen on the test registry);
* :class:`ReferrersRegistry` - an in-process registry (respx) that serves manifests, blobs and the referrers API
  as the distribution spec's "Listing Referrers" says, or answers 404 there (``api=False``).
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
import respx

from tests.fakes.images import (
    CREATED,
    IN_TOTO,
    OCI_CONFIG,
    OCI_INDEX,
    OCI_MANIFEST,
    Blob,
    BuiltImage,
    BuiltIndex,
    Manifest,
    canonical_json,
    make_index,
    push_blob,
    push_image,
    push_manifest,
)

SPDX = "https://spdx.dev/Document"
SLSA_V02 = "https://slsa.dev/provenance/v0.2"
SLSA_V1 = "https://slsa.dev/provenance/v1"
EMPTY = "application/vnd.oci.empty.v1+json"
EMPTY_BLOB = Blob(EMPTY, b"{}")  # [documented: image-spec manifest.md, the empty descriptor]
SPDX_JSON = "application/spdx+json"
SIGSTORE_BUNDLE = "application/vnd.dev.sigstore.bundle.v0.3+json"
BUILDKIT_ATTESTATION = "application/vnd.docker.attestation.manifest.v1+json"  # BuildKit's oci-artifact=true
DEBIAN_SLIM_DIGEST = "sha256:" + hashlib.sha256(b"debian:12-slim (a stand-in digest)").hexdigest()

#: (name, version, source package) of Debian bookworm packages as Syft reports them [security-facts.md quotes one].
BOOKWORM_PACKAGES = (
    ("base-files", "12.4+deb12u8", None),
    ("libc6", "2.36-9+deb12u9", "glibc"),
    ("libssl3", "3.0.15-1~deb12u1", "openssl"),
    ("zlib1g", "1:1.2.13.dfsg-1", "zlib"),
)


def _arch(image: BuiltImage) -> str:
    return image.architecture


def _subject(image: BuiltImage, name: str) -> list[dict[str, Any]]:
    platform = quote(image.platform, safe="")
    return [{"name": f"pkg:docker/{name}?platform={platform}", "digest": {"sha256": image.manifest.digest[7:]}}]


def sbom_statement(image: BuiltImage, *, name: str = "test/app@1.0", python: str = "3.12.7") -> bytes:
    """An SPDX 2.3 SBOM Statement for ``image``: the bookworm packages (with the image's arch) and one PyPI one."""
    packages = []
    for index, (package, version, source) in enumerate(BOOKWORM_PACKAGES):
        qualifiers = f"arch={_arch(image)}" + (f"&upstream={source}" if source else "") + "&distro=debian-12"
        purl = f"pkg:deb/debian/{package}@{quote(version, safe='+~.-')}?{qualifiers}"
        packages.append(
            {
                "name": package,
                "SPDXID": f"SPDXRef-Package-deb-{package}-{index}",
                "versionInfo": version,
                "downloadLocation": "NOASSERTION",
                "externalRefs": [
                    {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": purl}
                ],
            }
        )
    packages.append(
        {
            "name": "pip",
            "SPDXID": "SPDXRef-Package-python-pip",
            "versionInfo": "24.0",
            "downloadLocation": "NOASSERTION",
            "externalRefs": [
                {
                    "referenceCategory": "PACKAGE-MANAGER",
                    "referenceType": "purl",
                    "referenceLocator": "pkg:pypi/pip@24.0",
                }
            ],
        }
    )
    document = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": f"sbom-{image.platform}",
        "documentNamespace": f"https://example.invalid/sbom/{image.manifest.digest[7:19]}",
        "creationInfo": {"created": CREATED, "creators": ["Tool: syft-v1.14.0", "Organization: Anchore, Inc"]},
        "packages": packages,
        "comment": f"python {python}",
    }
    return canonical_json(
        {
            "_type": "https://in-toto.io/Statement/v0.1",
            "predicateType": SPDX,
            "subject": _subject(image, name),
            "predicate": document,
        }
    )


def provenance_statement(image: BuiltImage, *, name: str = "test/app@1.0", base: str = "debian@12-slim") -> bytes:
    """A SLSA v0.2 provenance Statement as BuildKit's ``mode=min`` writes it [documented: docs.docker.com
    "Provenance attestations"]: ``materials`` name the base image with its digest and the image's platform."""
    platform = quote(image.platform, safe="")
    predicate = {
        "builder": {"id": "https://github.com/example/app/actions/runs/1"},
        "buildType": "https://mobyproject.org/buildkit@v1",
        "materials": [
            {"uri": f"pkg:docker/{base}?platform={platform}", "digest": {"sha256": DEBIAN_SLIM_DIGEST[7:]}},
        ],
        "invocation": {
            "configSource": {
                "uri": "https://github.com/example/app.git#refs/heads/main",
                "digest": {"sha1": "9f0c1b2a3d4e5f60718293a4b5c6d7e8f9012345"},
                "entryPoint": "Dockerfile",
            },
            "parameters": {"frontend": "dockerfile.v0", "args": {}},
        },
        "metadata": {
            "buildStartedOn": "2026-10-01T11:58:00Z",
            "buildFinishedOn": "2026-10-01T12:00:00Z",
            "completeness": {"parameters": True, "environment": True, "materials": False},
            "reproducible": False,
        },
    }
    return canonical_json(
        {
            "_type": "https://in-toto.io/Statement/v0.1",
            "predicateType": SLSA_V02,
            "subject": _subject(image, name),
            "predicate": predicate,
        }
    )


def buildkit_attestation(image: BuiltImage, statements: list[tuple[str, bytes]] | None = None) -> BuiltImage:
    """The attestation manifest of ``image``: by default its SBOM and its provenance, one layer each."""
    if statements is None:
        statements = [(SPDX, sbom_statement(image)), (SLSA_V02, provenance_statement(image))]
    layers = tuple(Blob(IN_TOTO, data) for _, data in statements)
    config = {"architecture": "unknown", "os": "unknown", "config": {}, "rootfs": {
        "type": "layers", "diff_ids": [layer.digest for layer in layers]}}
    config_blob = Blob(OCI_CONFIG, canonical_json(config))
    manifest = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": config_blob.descriptor(),
        "layers": [
            layer.descriptor(annotations={"in-toto.io/predicate-type": kind})
            for layer, (kind, _) in zip(layers, statements, strict=True)
        ],
    }
    return BuiltImage(
        os="unknown",
        architecture="unknown",
        variant=None,
        config=config,
        config_blob=config_blob,
        layers=layers,
        manifest=Manifest(OCI_MANIFEST, canonical_json(manifest)),
    )


def attested_index(images: list[BuiltImage], attestations: list[BuiltImage] | None = None) -> BuiltIndex:
    """An OCI index of ``images`` followed by one attestation manifest each (BuildKit's order and annotations)."""
    made = attestations if attestations is not None else [buildkit_attestation(image) for image in images]
    return make_index(images, attestations=made)


# --- referrers ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Referrer:
    """An artifact manifest that names a ``subject``, and the blobs it holds."""

    manifest: Manifest
    blobs: tuple[Blob, ...]
    artifact_type: str
    annotations: dict[str, str] = field(default_factory=dict)

    def descriptor(self) -> dict[str, Any]:
        """Its entry in a referrers list: the spec says ``artifactType`` and the manifest's annotations."""
        out: dict[str, Any] = {
            "mediaType": OCI_MANIFEST,
            "digest": self.manifest.digest,
            "size": self.manifest.size,
            "artifactType": self.artifact_type,
        }
        if self.annotations:
            out["annotations"] = self.annotations
        return out


def referrer(
    subject: Manifest,
    artifact_type: str,
    layers: list[Blob],
    *,
    annotations: dict[str, str] | None = None,
    layer_annotations: dict[str, str] | None = None,
) -> Referrer:
    """An OCI 1.1 artifact manifest: ``artifactType``, the empty config, ``layers`` and ``subject``."""
    body: dict[str, Any] = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "artifactType": artifact_type,
        "config": EMPTY_BLOB.descriptor(),
        "layers": [layer.descriptor(**({"annotations": layer_annotations} if layer_annotations else {}))
                   for layer in layers],
        "subject": {"mediaType": subject.media_type, "digest": subject.digest, "size": subject.size},
    }
    if annotations:
        body["annotations"] = annotations
    return Referrer(Manifest(OCI_MANIFEST, canonical_json(body)), (EMPTY_BLOB, *layers), artifact_type,
                    dict(annotations or {}))


def sigstore_bundle(statement: bytes) -> bytes:
    """A Sigstore bundle holding ``statement`` in a DSSE envelope [documented: sigstore protobuf-specs
    sigstore_bundle.proto; the verification material is left out: nothing here verifies it]."""
    return canonical_json(
        {
            "mediaType": SIGSTORE_BUNDLE,
            "verificationMaterial": {},
            "dsseEnvelope": {
                "payload": base64.b64encode(statement).decode("ascii"),
                "payloadType": IN_TOTO,
                "signatures": [{"sig": "MEUCIQ==", "keyid": ""}],
            },
        }
    )


def referrers_index(referrers: list[Referrer]) -> Manifest:
    """The image index the referrers API answers (and the referrers tag holds)."""
    body = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [r.descriptor() for r in referrers]}
    return Manifest(OCI_INDEX, canonical_json(body))


def referrers_tag(digest: str) -> str:
    algorithm, _, encoded = digest.partition(":")
    return f"{algorithm}-{encoded}"


def push_referrers_tag(client: httpx.Client, repository: str, subject: str, referrers: list[Referrer]) -> str:
    """Push each referrer (blobs, then its manifest by digest) and the list under the tag ``sha256-<hex>``:
    what a client does where the registry has no referrers API [documented: distribution-spec "Pushing Manifests
    with Subject"]."""
    for item in referrers:
        for blob in item.blobs:
            push_blob(client, repository, blob)
        push_manifest(client, repository, item.manifest.digest, item.manifest)
    return push_manifest(client, repository, referrers_tag(subject), referrers_index(referrers))


def push_attested_index(client: httpx.Client, repository: str, tag: str, index: BuiltIndex) -> str:
    for image in (*index.images, *index.attestations):
        push_image(client, repository, None, image)
    return push_manifest(client, repository, tag, index.manifest)


# --- an in-process registry with the referrers API --------------------------------------------------------


@dataclass
class ReferrersRegistry:
    """Manifests, blobs and ``/v2/<name>/referrers/<digest>`` for one repository, on respx.

    [documented: distribution-spec "Listing Referrers"] the answer is an image index (``Content-Type:
    application/vnd.oci.image.index.v1+json``) of the descriptors whose manifest names the digest as ``subject``,
    each with ``artifactType`` and annotations; an empty list when there are none; ``OCI-Filters-Applied:
    artifactType`` when it filtered on ``?artifactType=``; ``api=False``: 404, as a registry without the API
    answers. [assumed] the referrers tag is served like any tag, whether the API exists or not.
    """

    base: str
    repository: str
    api: bool = True
    manifests: dict[str, Manifest] = field(default_factory=dict)
    blobs: dict[str, bytes] = field(default_factory=dict)
    referrers: dict[str, list[Referrer]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def add_index(self, tag: str, index: BuiltIndex) -> None:
        for image in (*index.images, *index.attestations):
            self.add_image(image)
        self.manifests[tag] = index.manifest
        self.manifests[index.manifest.digest] = index.manifest

    def add_image(self, image: BuiltImage, tag: str | None = None) -> None:
        for blob in image.blobs:
            self.blobs[blob.digest] = blob.data
        self.manifests[image.manifest.digest] = image.manifest
        if tag:
            self.manifests[tag] = image.manifest

    def attach(self, subject: str, item: Referrer) -> None:
        self.manifests[item.manifest.digest] = item.manifest
        for blob in item.blobs:
            self.blobs[blob.digest] = blob.data
        self.referrers.setdefault(subject, []).append(item)

    def tag_referrers(self, subject: str) -> None:
        """Also serve the referrers of ``subject`` under its referrers tag (as a client without the API writes)."""
        self.manifests[referrers_tag(subject)] = referrers_index(self.referrers.get(subject, []))

    def mount(self, router: respx.MockRouter) -> None:
        prefix = f"{self.base}/v2/{self.repository}"
        router.get(url__startswith=f"{prefix}/manifests/").mock(side_effect=self._manifest)
        router.get(url__startswith=f"{prefix}/blobs/").mock(side_effect=self._blob)
        router.get(url__startswith=f"{prefix}/referrers/").mock(side_effect=self._referrers)

    def _manifest(self, request: httpx.Request) -> httpx.Response:
        reference = request.url.path.rsplit("/", 1)[-1]
        self.requests.append(f"manifest {reference}")
        manifest = self.manifests.get(reference)
        if manifest is None:
            return httpx.Response(404, json={"errors": [{"code": "MANIFEST_UNKNOWN", "message": "manifest unknown"}]})
        return httpx.Response(
            200,
            content=manifest.data,
            headers={"Content-Type": manifest.media_type, "Docker-Content-Digest": manifest.digest},
        )

    def _blob(self, request: httpx.Request) -> httpx.Response:
        digest = request.url.path.rsplit("/", 1)[-1]
        self.requests.append(f"blob {digest}")
        data = self.blobs.get(digest)
        if data is None:
            return httpx.Response(404, json={"errors": [{"code": "BLOB_UNKNOWN", "message": "blob unknown"}]})
        return httpx.Response(200, content=data, headers={"Content-Type": "application/octet-stream"})

    def _referrers(self, request: httpx.Request) -> httpx.Response:
        digest = request.url.path.rsplit("/", 1)[-1]
        self.requests.append(f"referrers {digest}")
        if not self.api:
            return httpx.Response(404, content=b"404 page not found\n", headers={"Content-Type": "text/plain"})
        listed = self.referrers.get(digest, [])
        headers = {"Content-Type": OCI_INDEX}
        wanted = request.url.params.get("artifactType")
        if wanted:
            listed = [item for item in listed if item.artifact_type == wanted]
            headers["OCI-Filters-Applied"] = "artifactType"
        body = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [item.descriptor() for item in listed]}
        return httpx.Response(200, content=json.dumps(body).encode(), headers=headers)
