"""Tolerant models of what an OCI Distribution registry sends, and what the client returns.

Upstream models (parsed from registry JSON): :class:`Descriptor` (with the optional
:class:`PlatformSpec` and annotations of image-index entries), :class:`ImageIndex` (OCI image
index or Docker manifest list), :class:`ImageManifest` (OCI or Docker v2 image manifest) and
:class:`ImageConfig` (the image config blob, whose ``config`` is a :class:`ContainerConfig`).
Unknown fields are ignored, almost everything is optional, and loosely typed values (a string
where a list belongs, a number as a label value) are coerced rather than rejected.

Client results: :class:`ManifestResult` (a fetched manifest with its media type and digest),
:class:`ManifestHead` (what a ``HEAD`` says), :class:`TagList` and the compact
:class:`ImageInspection` that :meth:`hub_mcp.registry.client.RegistryClient.inspect` returns.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from hub_mcp.vocab.references import Platform

# --- media types ------------------------------------------------------------------------

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"

INDEX_MEDIA_TYPES = frozenset({OCI_INDEX, DOCKER_MANIFEST_LIST})
IMAGE_MANIFEST_MEDIA_TYPES = frozenset({OCI_MANIFEST, DOCKER_MANIFEST})
MANIFEST_MEDIA_TYPES = (OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST)

OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
IMAGE_CONFIG_MEDIA_TYPES = frozenset({OCI_CONFIG, DOCKER_CONFIG})

ATTESTATION_ANNOTATION = "vnd.docker.reference.type"
ATTESTATION_VALUE = "attestation-manifest"


# --- coercions ----------------------------------------------------------------------------


def _str_list(value: Any) -> Any:
    """``["a", "b"]`` stays; a lone string becomes ``[string]``; ``None`` stays ``None``."""
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(item) for item in value if item is not None]
    return None


def _str_dict(value: Any) -> Any:
    if not isinstance(value, dict):
        return None
    return {str(k): "" if v is None else str(v) for k, v in value.items()}


def _dict_or_none(value: Any) -> Any:
    return value if isinstance(value, dict) else None


def _list_of_dicts(value: Any) -> Any:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]


def _non_negative_int(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return 0
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return max(0, number)


def _optional_str(value: Any) -> Any:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


StrList = Annotated[list[str] | None, BeforeValidator(_str_list)]
StrDict = Annotated[dict[str, str] | None, BeforeValidator(_str_dict)]
AnyDict = Annotated[dict[str, Any] | None, BeforeValidator(_dict_or_none)]
Size = Annotated[int, BeforeValidator(_non_negative_int)]
OptStr = Annotated[str | None, BeforeValidator(_optional_str)]


class RegistryModel(BaseModel):
    """Base: ignore unknown fields, accept both the JSON names and the Python names."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)


# --- manifests ----------------------------------------------------------------------------


class PlatformSpec(RegistryModel):
    """The ``platform`` object of an image-index entry."""

    architecture: OptStr = None
    os: OptStr = None
    variant: OptStr = None
    os_version: OptStr = Field(default=None, alias="os.version")
    os_features: StrList = Field(default=None, alias="os.features")
    features: StrList = None

    def to_platform(self) -> Platform:
        return Platform.from_parts(self.os, self.architecture, self.variant)


class Descriptor(RegistryModel):
    """A content descriptor: what a manifest says about a blob or another manifest."""

    media_type: OptStr = Field(default=None, alias="mediaType")
    digest: str
    size: Size = 0
    annotations: StrDict = None
    urls: StrList = None
    platform: PlatformSpec | None = None
    artifact_type: OptStr = Field(default=None, alias="artifactType")

    @property
    def is_attestation(self) -> bool:
        """True for buildkit attestation entries (``unknown/unknown`` or the reference-type annotation)."""
        if (self.annotations or {}).get(ATTESTATION_ANNOTATION) == ATTESTATION_VALUE:
            return True
        spec = self.platform
        return (
            spec is not None and (spec.os or "unknown") == "unknown" and (spec.architecture or "unknown") == "unknown"
        )

    def to_platform(self) -> Platform | None:
        return self.platform.to_platform() if self.platform else None


class ImageIndex(RegistryModel):
    """An OCI image index or a Docker manifest list."""

    schema_version: int | None = Field(default=None, alias="schemaVersion")
    media_type: OptStr = Field(default=None, alias="mediaType")
    manifests: Annotated[list[Descriptor], BeforeValidator(_list_of_dicts)] = []
    annotations: StrDict = None

    def platform_entries(self) -> list[Descriptor]:
        """The entries that are runnable images: attestations and platform-less entries left out."""
        return [entry for entry in self.manifests if entry.platform is not None and not entry.is_attestation]

    def available_platforms(self) -> list[Platform]:
        """Normalized platforms of the runnable entries, in index order, without duplicates."""
        seen: list[Platform] = []
        for entry in self.platform_entries():
            platform = entry.to_platform()
            if platform is not None and platform not in seen:
                seen.append(platform)
        return seen


class ImageManifest(RegistryModel):
    """An OCI image manifest or a Docker image manifest v2 (schema 2)."""

    schema_version: int | None = Field(default=None, alias="schemaVersion")
    media_type: OptStr = Field(default=None, alias="mediaType")
    artifact_type: OptStr = Field(default=None, alias="artifactType")
    config: Descriptor
    layers: Annotated[list[Descriptor], BeforeValidator(_list_of_dicts)] = []
    subject: Descriptor | None = None
    annotations: StrDict = None

    @property
    def compressed_size(self) -> int:
        """Bytes a pull downloads: the sum of the layer sizes."""
        return sum(layer.size for layer in self.layers)


# --- image config -------------------------------------------------------------------------


class ContainerConfig(RegistryModel):
    """The ``config`` object of an image config blob (Docker's capitalized names)."""

    user: OptStr = Field(default=None, alias="User")
    env: StrList = Field(default=None, alias="Env")
    entrypoint: StrList = Field(default=None, alias="Entrypoint")
    cmd: StrList = Field(default=None, alias="Cmd")
    working_dir: OptStr = Field(default=None, alias="WorkingDir")
    exposed_ports: AnyDict = Field(default=None, alias="ExposedPorts")
    volumes: AnyDict = Field(default=None, alias="Volumes")
    labels: StrDict = Field(default=None, alias="Labels")
    stop_signal: OptStr = Field(default=None, alias="StopSignal")


class RootFS(RegistryModel):
    type: OptStr = None
    diff_ids: StrList = None


class HistoryEntry(RegistryModel):
    created: OptStr = None
    created_by: OptStr = None
    author: OptStr = None
    comment: OptStr = None
    empty_layer: bool | None = None


class ImageConfig(RegistryModel):
    """The image config blob (``application/vnd.oci.image.config.v1+json`` or Docker's)."""

    architecture: OptStr = None
    os: OptStr = None
    variant: OptStr = None
    os_version: OptStr = Field(default=None, alias="os.version")
    created: OptStr = None
    author: OptStr = None
    config: ContainerConfig | None = None
    rootfs: RootFS | None = None
    history: Annotated[list[HistoryEntry], BeforeValidator(_list_of_dicts)] = []

    def to_platform(self) -> Platform:
        return Platform.from_parts(self.os, self.architecture, self.variant)


# --- client results -----------------------------------------------------------------------


class ManifestResult(RegistryModel):
    """A fetched manifest: its media type, digest, byte size and parsed body."""

    media_type: str
    digest: str
    size: int
    manifest: ImageIndex | ImageManifest

    @property
    def is_index(self) -> bool:
        return isinstance(self.manifest, ImageIndex)


class ManifestHead(RegistryModel):
    """What a ``HEAD`` of a manifest says (no body, no pull counted on Docker Hub)."""

    digest: str
    media_type: str | None = None
    size: int | None = None


class TagList(RegistryModel):
    """All tags of a repository (up to a bound); ``truncated`` when the bound cut the list."""

    repository: str
    tags: list[str]
    truncated: bool = False


class ImageInspection(BaseModel):
    """A compact description of one platform's image, for a model to read.

    Sizes are compressed (what a pull downloads). ``env`` has secret-looking values redacted
    and is bounded (``env_omitted`` counts what was left out); ``labels`` likewise.
    """

    model_config = ConfigDict(frozen=True)

    reference: str = Field(description="The reference as inspected, e.g. 'python:3.12-slim'.")
    registry: str
    repository: str
    tag: str | None = None
    index_digest: str | None = Field(default=None, description="Digest of the multi-platform index, when there is one.")
    manifest_digest: str = Field(description="Digest of the chosen platform's image manifest.")
    platforms: list[str] = Field(description="Platforms the reference offers, e.g. 'linux/arm64/v8'.")
    platform: str = Field(description="The platform inspected.")
    compressed_size_bytes: int
    layer_count: int
    created: str | None = None
    user: str = Field(description="The configured user; empty means root.")
    runs_as_root: bool
    entrypoint: list[str] | None = None
    cmd: list[str] | None = None
    working_dir: str | None = None
    exposed_ports: list[str] = []
    env: list[str] = []
    env_omitted: int = 0
    labels: dict[str, str] = {}
    labels_omitted: int = 0

    @property
    def pin_digest(self) -> str:
        """The digest a pinned reference takes: the multi-platform index's when there is one (a pinned FROM
        then keeps every platform), else this image manifest's."""
        return self.index_digest or self.manifest_digest
