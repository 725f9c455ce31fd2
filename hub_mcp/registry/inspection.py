"""Turn a manifest and its config blob into the compact :class:`ImageInspection`.

Pure functions, no I/O: platform selection in an index (attestations skipped), root-user
detection, environment redaction (values of secret-looking variables, passwords in URLs) and
the bounds on env entries and labels that keep the answer small.
"""

from __future__ import annotations

import re

from hub_mcp.errors import InvalidInput, NotFound
from hub_mcp.registry.models import (
    IMAGE_CONFIG_MEDIA_TYPES,
    Descriptor,
    ImageConfig,
    ImageIndex,
    ImageInspection,
    ImageManifest,
)
from hub_mcp.vocab.references import ImageReference, Platform

MAX_ENV = 30
MAX_ENV_VALUE = 300
MAX_LABELS = 20
MAX_LABEL_VALUE = 200
REDACTED = "<redacted>"

_SECRET_NAME = re.compile(
    r"PASSWORD|PASSWD|PASSPHRASE|TOKEN|SECRET|KEY|CREDENTIAL|PRIVATE|(?:^|_)PASS(?:$|_)", re.IGNORECASE
)
_URL_PASSWORD = re.compile(r"(?P<head>[a-zA-Z][a-zA-Z0-9+.-]*://[^/@:\s]*:)(?P<password>[^/@\s]+)(?P<tail>@)")
_ROOT_USERS = frozenset({"", "root", "0", "0:0", "root:root", "root:0", "0:root"})
CONTAINER_LAYER_PREFIXES = ("application/vnd.oci.image.layer.", "application/vnd.docker.image.rootfs.")


def describe_platforms(platforms: list[Platform]) -> str:
    return ", ".join(str(p) for p in platforms) if platforms else "none"


def select_platform(index: ImageIndex, platform: Platform, *, what: str = "the image") -> Descriptor:
    """The index entry for ``platform``; attestation entries are never chosen.

    An exact variant match wins over an entry without a variant. Raises ``NotFound`` that
    lists the platforms the index does offer.
    """
    candidates: list[tuple[int, Descriptor]] = []
    for entry in index.platform_entries():
        offered = entry.to_platform()
        if offered is None or not platform.matches(offered):
            continue
        exact = int(offered.variant == platform.variant)
        candidates.append((exact, entry))
    if candidates:
        best = max(exact for exact, _ in candidates)
        return next(entry for exact, entry in candidates if exact == best)
    available = index.available_platforms()
    raise NotFound(
        f"{what} has no {platform} image; it is built for: {describe_platforms(available)}."
        " Ask for one of those platforms."
    )


def media_type_of(value: str | None) -> str:
    """A media type without parameters, lowercased: ``"Application/JSON; charset=utf-8"`` → ``"application/json"``."""
    return (value or "").split(";", 1)[0].strip().lower()


def _is_container_layer(media_type: str | None) -> bool:
    value = media_type_of(media_type)
    return not value or value.startswith(CONTAINER_LAYER_PREFIXES)


def require_container_image(ref: ImageReference, manifest: ImageManifest) -> None:
    """Raise ``InvalidInput`` for OCI artifacts (Helm charts, signatures, attestations)."""
    config_type = media_type_of(manifest.config.media_type)
    if config_type and config_type not in IMAGE_CONFIG_MEDIA_TYPES:
        raise InvalidInput(
            f"{ref.familiar} is not a container image: its config has media type {config_type!r}"
            " (an OCI artifact such as a Helm chart or a signature)."
        )
    odd = next((layer.media_type for layer in manifest.layers if not _is_container_layer(layer.media_type)), None)
    if odd is not None:
        raise InvalidInput(
            f"{ref.familiar} is not a container image: it holds {odd!r} content"
            " (an OCI artifact such as an attestation, SBOM or signature)."
        )


def single_platform(ref: ImageReference, config: ImageConfig, wanted: Platform | None) -> Platform:
    """The platform an image's config names. ``InvalidInput`` when it names none (an attestation or another
    artifact); with ``wanted`` (a single-platform image, no index to choose from), ``NotFound`` when it is another."""
    offered = config.to_platform()
    if offered == Platform("unknown", "unknown"):
        raise InvalidInput(
            f"{ref.familiar} is not a runnable image: its config names no OS or architecture"
            " (it is probably an attestation or another artifact)."
        )
    if wanted is not None and not wanted.matches(offered):
        raise NotFound(
            f"{ref.familiar} has no {wanted} image; it is a single-platform image for"
            f" {describe_platforms([offered])}. Ask for that platform."
        )
    return offered


def runs_as_root(user: str | None) -> bool:
    """True for an empty user, ``root``, uid 0 (with or without group)."""
    value = (user or "").strip()
    if value in _ROOT_USERS:
        return True
    name = value.split(":", 1)[0]
    return name in {"root", "0"}


def is_secret_name(name: str) -> bool:
    return bool(_SECRET_NAME.search(name))


def redact_env(entries: list[str] | None, limit: int = MAX_ENV) -> tuple[list[str], int]:
    """``NAME=value`` entries with secret-looking values redacted; returns (kept, omitted count)."""
    out: list[str] = []
    for entry in entries or []:
        name, sep, value = entry.partition("=")
        if sep and value and is_secret_name(name):
            value = REDACTED
        elif value:
            value = _URL_PASSWORD.sub(lambda m: f"{m['head']}{REDACTED}{m['tail']}", value)
        if len(value) > MAX_ENV_VALUE:
            value = value[: MAX_ENV_VALUE - 1] + "…"
        out.append(f"{name}{sep}{value}")
    return out[:limit], max(0, len(out) - limit)


def bound_labels(labels: dict[str, str] | None, limit: int = MAX_LABELS) -> tuple[dict[str, str], int]:
    """At most ``limit`` labels, OCI ``org.opencontainers.image.*`` first, long values shortened."""
    items = list((labels or {}).items())
    items.sort(key=lambda kv: (not kv[0].startswith("org.opencontainers.image."), kv[0]))
    kept: dict[str, str] = {}
    for key, value in items[:limit]:
        if is_secret_name(key.rsplit(".", 1)[-1]):
            value = REDACTED
        elif len(value) > MAX_LABEL_VALUE:
            value = value[: MAX_LABEL_VALUE - 1] + "…"
        kept[key] = value
    return kept, max(0, len(items) - limit)


def _ports(exposed: dict[str, object] | None) -> list[str]:
    ports = []
    for key in exposed or {}:
        port = key.strip()
        if port and "/" not in port:
            port += "/tcp"
        if port:
            ports.append(port)
    return sorted(set(ports), key=lambda p: (int(p.split("/")[0]) if p.split("/")[0].isdigit() else 1 << 20, p))


def build_inspection(
    ref: ImageReference,
    *,
    index_digest: str | None,
    manifest_digest: str,
    platforms: list[Platform],
    platform: Platform,
    manifest: ImageManifest,
    config: ImageConfig,
) -> ImageInspection:
    """Assemble the compact inspection from what the registry returned."""
    container = config.config
    user = (container.user if container else None) or ""
    env, env_omitted = redact_env(container.env if container else None)
    labels, labels_omitted = bound_labels(container.labels if container else None)
    return ImageInspection(
        reference=ref.familiar,
        registry=ref.registry,
        repository=ref.repository,
        tag=ref.tag,
        index_digest=index_digest,
        manifest_digest=manifest_digest,
        platforms=[str(p) for p in platforms],
        platform=str(platform),
        compressed_size_bytes=manifest.compressed_size,
        layer_count=len(manifest.layers),
        created=config.created,
        user=user,
        runs_as_root=runs_as_root(user),
        entrypoint=container.entrypoint if container else None,
        cmd=container.cmd if container else None,
        working_dir=(container.working_dir or None) if container else None,
        exposed_ports=_ports(container.exposed_ports if container else None),
        env=env,
        env_omitted=env_omitted,
        labels=labels,
        labels_omitted=labels_omitted,
    )
