"""Build real OCI/Docker image content in Python and push it to a registry over its HTTP API.

Everything is deterministic (fixed file contents, gzip and tar timestamps of 0), so digests are
stable between runs. Building blocks:

* :func:`make_layer` - a gzipped tar of a few files;
* :func:`make_image` - config JSON (User, Env, Entrypoint, Cmd, WorkingDir, ExposedPorts, Labels,
  rootfs, history) + layers + an image manifest (OCI or Docker v2);
* :func:`make_attestation` - a buildkit-style attestation manifest for an image;
* :func:`make_index` - an OCI image index (or Docker manifest list) of several platforms, with
  the attestation entries (``unknown/unknown`` + ``vnd.docker.reference.type``) buildx adds;
* :func:`push_image` / :func:`push_index` - monolithic blob uploads (``POST`` then ``PUT
  ?digest=``) and manifest ``PUT`` with the right ``Content-Type``.

Canned content: :func:`single_arch_image`, :func:`multi_arch_index` (linux/amd64,
linux/arm64/v8, linux/arm/v7 + attestations) and :func:`nonroot_image` (user ``1000:1000``,
OCI labels).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
from dataclasses import dataclass, field
from typing import Any

import httpx

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"
IN_TOTO = "application/vnd.in-toto+json"
CREATED = "2026-10-01T12:00:00Z"


def sha256_digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def canonical_json(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Blob:
    """Bytes with a media type; its digest and size are what descriptors carry."""

    media_type: str
    data: bytes
    uncompressed_digest: str | None = None  # the diff_id, for layers

    @property
    def digest(self) -> str:
        return sha256_digest(self.data)

    @property
    def size(self) -> int:
        return len(self.data)

    def descriptor(self, **extra: Any) -> dict[str, Any]:
        return {"mediaType": self.media_type, "digest": self.digest, "size": self.size, **extra}


@dataclass(frozen=True)
class Manifest:
    """A manifest's bytes and media type (an image manifest, attestation or index)."""

    media_type: str
    data: bytes

    @property
    def digest(self) -> str:
        return sha256_digest(self.data)

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.data)


@dataclass(frozen=True)
class BuiltImage:
    """One platform's image: config, layers and the manifest that ties them."""

    os: str
    architecture: str
    variant: str | None
    config: dict[str, Any]
    config_blob: Blob
    layers: tuple[Blob, ...]
    manifest: Manifest

    @property
    def blobs(self) -> tuple[Blob, ...]:
        return (self.config_blob, *self.layers)

    @property
    def compressed_size(self) -> int:
        return sum(layer.size for layer in self.layers)

    @property
    def platform(self) -> str:
        return "/".join(p for p in (self.os, self.architecture, self.variant) if p)

    def platform_json(self) -> dict[str, str]:
        out = {"architecture": self.architecture, "os": self.os}
        if self.variant:
            out["variant"] = self.variant
        return out


@dataclass(frozen=True)
class BuiltIndex:
    """A multi-platform index, the images it lists and their attestations."""

    images: tuple[BuiltImage, ...]
    attestations: tuple[BuiltImage, ...]
    manifest: Manifest
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def platforms(self) -> list[str]:
        return [image.platform for image in self.images]


def make_layer(files: dict[str, bytes], media_type: str = OCI_LAYER) -> Blob:
    """A gzipped tar holding ``files`` (path → content), with fixed metadata."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        dirs: set[str] = set()
        for path in sorted(files):
            parts = path.strip("/").split("/")[:-1]
            for i in range(1, len(parts) + 1):
                directory = "/".join(parts[:i])
                if directory not in dirs:
                    dirs.add(directory)
                    info = tarfile.TarInfo(directory)
                    info.type = tarfile.DIRTYPE
                    info.mode = 0o755
                    tar.addfile(info)
            content = files[path]
            info = tarfile.TarInfo(path.strip("/"))
            info.size = len(content)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(content))
    uncompressed = raw.getvalue()
    compressed = gzip.compress(uncompressed, compresslevel=6, mtime=0)
    return Blob(media_type=media_type, data=compressed, uncompressed_digest=sha256_digest(uncompressed))


def make_image(
    *,
    architecture: str = "amd64",
    os: str = "linux",
    variant: str | None = None,
    user: str = "",
    env: list[str] | None = None,
    entrypoint: list[str] | None = None,
    cmd: list[str] | None = None,
    working_dir: str = "",
    exposed_ports: list[str] | None = None,
    labels: dict[str, str] | None = None,
    layer_files: list[dict[str, bytes]] | None = None,
    oci: bool = True,
    created: str = CREATED,
) -> BuiltImage:
    """An image for one platform, as OCI (default) or Docker v2 media types."""
    layer_type = OCI_LAYER if oci else DOCKER_LAYER
    if layer_files is None:
        layer_files = [
            {
                "etc/os-release": b'NAME="Fake Linux"\nID=fake\n',
                "bin/hello": f"#!/bin/sh\necho {architecture}\n".encode(),
            },
            {"app/main.py": b"print('hello')\n", "app/README": b"test image\n" * 20},
        ]
    layers = tuple(make_layer(files, layer_type) for files in layer_files)
    container: dict[str, Any] = {
        "User": user,
        "Env": env if env is not None else ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
        "Entrypoint": entrypoint,
        "Cmd": cmd if cmd is not None else ["/bin/sh"],
        "WorkingDir": working_dir,
        "ExposedPorts": {port: {} for port in exposed_ports or []} or None,
        "Labels": labels,
    }
    config: dict[str, Any] = {
        "architecture": architecture,
        "os": os,
        "created": created,
        "config": container,
        "rootfs": {"type": "layers", "diff_ids": [layer.uncompressed_digest for layer in layers]},
        "history": [{"created": created, "created_by": f"ADD layer{i} /"} for i in range(len(layers))],
    }
    if variant:
        config["variant"] = variant
    config_blob = Blob(OCI_CONFIG if oci else DOCKER_CONFIG, canonical_json(config))
    manifest_type = OCI_MANIFEST if oci else DOCKER_MANIFEST
    manifest = {
        "schemaVersion": 2,
        "mediaType": manifest_type,
        "config": config_blob.descriptor(),
        "layers": [layer.descriptor() for layer in layers],
    }
    return BuiltImage(
        os=os,
        architecture=architecture,
        variant=variant,
        config=config,
        config_blob=config_blob,
        layers=layers,
        manifest=Manifest(manifest_type, canonical_json(manifest)),
    )


def make_attestation(image: BuiltImage) -> BuiltImage:
    """A buildkit-style attestation manifest (an in-toto SBOM statement) for ``image``."""
    statement = canonical_json(
        {
            "_type": "https://in-toto.io/Statement/v0.1",
            "predicateType": "https://spdx.dev/Document",
            "subject": [{"name": "pkg:docker/test", "digest": {"sha256": image.manifest.digest.split(":", 1)[1]}}],
            "predicate": {"spdxVersion": "SPDX-2.3", "packages": []},
        }
    )
    layer = Blob(IN_TOTO, statement)
    config = {
        "architecture": "unknown",
        "os": "unknown",
        "config": {},
        "rootfs": {"type": "layers", "diff_ids": [layer.digest]},
    }
    config_blob = Blob(OCI_CONFIG, canonical_json(config))
    manifest = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": config_blob.descriptor(),
        "layers": [layer.descriptor(annotations={"in-toto.io/predicate-type": "https://spdx.dev/Document"})],
    }
    return BuiltImage(
        os="unknown",
        architecture="unknown",
        variant=None,
        config=config,
        config_blob=config_blob,
        layers=(layer,),
        manifest=Manifest(OCI_MANIFEST, canonical_json(manifest)),
    )


def make_index(
    images: list[BuiltImage],
    *,
    attest: bool = True,
    oci: bool = True,
    attestations: list[BuiltImage] | None = None,
) -> BuiltIndex:
    """An index of ``images``; with ``attest``, one attestation entry per image (OCI only): ``attestations``
    when given (one per image, in order), else a minimal SBOM each."""
    if attestations is not None:
        made = tuple(attestations)
    else:
        made = tuple(make_attestation(image) for image in images) if attest and oci else ()
    entries: list[dict[str, Any]] = [
        {
            "mediaType": i.manifest.media_type,
            "digest": i.manifest.digest,
            "size": i.manifest.size,
            "platform": i.platform_json(),
        }
        for i in images
    ]
    for image, attestation in zip(images, made, strict=False):
        entries.append(
            {
                "mediaType": OCI_MANIFEST,
                "digest": attestation.manifest.digest,
                "size": attestation.manifest.size,
                "platform": {"architecture": "unknown", "os": "unknown"},
                "annotations": {
                    "vnd.docker.reference.digest": image.manifest.digest,
                    "vnd.docker.reference.type": "attestation-manifest",
                },
            }
        )
    media_type = OCI_INDEX if oci else DOCKER_MANIFEST_LIST
    body = {"schemaVersion": 2, "mediaType": media_type, "manifests": entries}
    return BuiltIndex(
        images=tuple(images), attestations=made, manifest=Manifest(media_type, canonical_json(body))
    )


# --- pushing ---------------------------------------------------------------------------------


def _check(response: httpx.Response, what: str) -> None:
    if response.status_code >= 300:
        raise RuntimeError(f"{what} failed: HTTP {response.status_code} {response.text[:300]}")


def push_blob(client: httpx.Client, repository: str, blob: Blob) -> None:
    """Monolithic upload: ``POST /v2/<name>/blobs/uploads/`` then ``PUT <location>?digest=``."""
    if client.head(f"/v2/{repository}/blobs/{blob.digest}").status_code == 200:
        return
    started = client.post(f"/v2/{repository}/blobs/uploads/")
    _check(started, f"starting the upload of {blob.digest}")
    location = started.headers["location"]
    sep = "&" if "?" in location else "?"
    done = client.put(
        f"{location}{sep}digest={blob.digest}",
        content=blob.data,
        headers={"Content-Type": "application/octet-stream", "Content-Length": str(blob.size)},
    )
    _check(done, f"uploading {blob.digest}")


def push_manifest(client: httpx.Client, repository: str, reference: str, manifest: Manifest) -> str:
    """``PUT /v2/<name>/manifests/<reference>`` with the manifest's media type; returns the digest."""
    response = client.put(
        f"/v2/{repository}/manifests/{reference}",
        content=manifest.data,
        headers={"Content-Type": manifest.media_type},
    )
    _check(response, f"pushing manifest {repository}:{reference}")
    digest = response.headers.get("docker-content-digest", manifest.digest)
    if digest != manifest.digest:
        raise RuntimeError(f"the registry computed {digest} for a manifest whose digest is {manifest.digest}")
    return digest


def push_image(client: httpx.Client, repository: str, tag: str | None, image: BuiltImage) -> str:
    """Push blobs and manifest of one image; tag it when ``tag`` is given (else push by digest)."""
    for blob in image.blobs:
        push_blob(client, repository, blob)
    return push_manifest(client, repository, tag or image.manifest.digest, image.manifest)


def push_index(client: httpx.Client, repository: str, tag: str, index: BuiltIndex) -> str:
    """Push every image and attestation by digest, then the index under ``tag``."""
    for image in (*index.images, *index.attestations):
        push_image(client, repository, None, image)
    return push_manifest(client, repository, tag, index.manifest)


# --- canned content -------------------------------------------------------------------------------


def single_arch_image() -> BuiltImage:
    """A Docker v2 single-platform (linux/amd64) image running as root, with a secret-looking env."""
    return make_image(
        architecture="amd64",
        oci=False,
        env=[
            "PATH=/usr/local/bin:/usr/bin:/bin",
            "APP_VERSION=1.2.3",
            "DB_PASSWORD=hunter2",
            "API_TOKEN=tok-123",
            "DATABASE_URL=postgres://app:s3cret@db:5432/app",
        ],
        entrypoint=["/usr/bin/app"],
        cmd=["--serve"],
        working_dir="/srv",
        exposed_ports=["8080/tcp", "9090/udp"],
        labels={"maintainer": "tests@example.com"},
    )


MULTI_ARCH_PLATFORMS = ("linux/amd64", "linux/arm64/v8", "linux/arm/v7")


def multi_arch_index() -> BuiltIndex:
    """An OCI index for linux/amd64, linux/arm64/v8 and linux/arm/v7, plus attestations."""
    images = []
    for platform in MULTI_ARCH_PLATFORMS:
        _os, arch, *rest = platform.split("/")
        variant = rest[0] if rest else None
        files = [
            {"etc/os-release": b'NAME="Fake Linux"\n', "bin/hello": f"#!/bin/sh\necho {platform}\n".encode()},
            {f"usr/lib/{arch}/lib.so": (arch.encode() * 500)},
            {"app/main.py": b"print('multi')\n" + platform.encode() * 50},
        ]
        images.append(
            make_image(
                architecture=arch,
                variant=variant,
                env=["PATH=/usr/bin:/bin", f"PLATFORM={platform}"],
                cmd=["python3", "/app/main.py"],
                working_dir="/app",
                exposed_ports=["80"],
                layer_files=files,
            )
        )
    return make_index(images)


NONROOT_LABELS = {
    "org.opencontainers.image.source": "https://github.com/example/nonroot",
    "org.opencontainers.image.version": "2.0.1",
    "org.opencontainers.image.licenses": "Apache-2.0",
    "com.example.team": "platform",
}


def nonroot_image() -> BuiltImage:
    """An OCI single-platform image that runs as ``1000:1000`` with OCI labels."""
    return make_image(
        architecture="arm64",
        variant="v8",
        user="1000:1000",
        env=["PATH=/usr/bin:/bin", "HOME=/home/app"],
        entrypoint=["/entrypoint.sh"],
        cmd=None,
        working_dir="/home/app",
        exposed_ports=["8443/tcp"],
        labels=NONROOT_LABELS,
    )
