"""OCI Distribution registries: client (challenge auth, manifests, configs, tag lists), models.

:class:`RegistryClient` talks to Docker Hub's registry and any other OCI registry;
:meth:`RegistryClient.inspect` gives the compact :class:`ImageInspection` of one platform's
image; :meth:`RegistryClient.find_attestations` where its attestations are (:mod:`.attestations`) and
:meth:`RegistryClient.read_statement` one of them. Nothing here imports ``mcp``.
"""

from hub_mcp.registry.attestations import AttestationRef, ImageAttestations
from hub_mcp.registry.auth import Challenge, parse_challenges
from hub_mcp.registry.client import DEFAULT_PLATFORM, RegistryClient, compute_digest, is_digest
from hub_mcp.registry.inspection import select_platform
from hub_mcp.registry.models import (
    Descriptor,
    ImageConfig,
    ImageIndex,
    ImageInspection,
    ImageManifest,
    ManifestHead,
    ManifestResult,
    TagList,
)

__all__ = [
    "DEFAULT_PLATFORM",
    "AttestationRef",
    "Challenge",
    "Descriptor",
    "ImageAttestations",
    "ImageConfig",
    "ImageIndex",
    "ImageInspection",
    "ImageManifest",
    "ManifestHead",
    "ManifestResult",
    "RegistryClient",
    "TagList",
    "compute_digest",
    "is_digest",
    "parse_challenges",
    "select_platform",
]
