"""How an image was built, from the SLSA provenance BuildKit attaches (v0.2 by default, v1 on request).

[documented: moby/buildkit docs/attestations/slsa-definitions.md; slsa.dev/spec/v0.2/provenance and
/spec/v1.1/provenance; docs.docker.com "Provenance attestations"]
- v0.2: ``builder.id``; ``invocation.configSource`` (``uri`` the source repository, ``digest.sha1`` the
  commit, ``entryPoint`` the Dockerfile); ``invocation.parameters`` (``frontend``, ``args``);
  ``metadata.buildStartedOn`` / ``buildFinishedOn``; ``materials[]`` (``uri``, ``digest``).
- v1: ``buildDefinition.externalParameters.configSource`` (``uri``, ``digest.sha1``, ``path``) and
  ``.request`` (``frontend``, ``args``); ``buildDefinition.resolvedDependencies[]`` (``uri``, ``digest``);
  ``runDetails.builder.id``; ``runDetails.metadata.startedOn`` / ``finishedOn``.
- A build from a local context (``docker buildx build .``) has no ``configSource.uri`` or ``digest``: the
  repository and revision are then only in the ``vcs`` metadata (v0.2:
  ``metadata."https://mobyproject.org/buildkit@v1#metadata".vcs``, v1: ``runDetails.metadata.buildkit_metadata.vcs``,
  each ``{source, revision}``), which the client sends and BuildKit does not verify ("should only be used as a
  metadata hint"). They are read then, and :attr:`Provenance.vcs_hint` says so.
- A material (dependency) whose ``uri`` is ``pkg:docker/...`` is an image the build pulled: the base
  images, and the build's frontend when a ``# syntax=`` line named one (docs.docker.com's example lists
  ``pkg:docker/docker/dockerfile@1`` beside ``pkg:docker/golang@1.19.4-alpine?platform=linux%2Farm64``).
  The frontend is told apart by the request's ``args.source`` (or ``cmdline``) when given [assumed from the
  documented gateway frontend's arguments], and ``docker/dockerfile`` (the Dockerfile frontend's image,
  [documented: docs.docker.com "Custom Dockerfile syntax"]) is a frontend whatever the arguments say.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub_mcp.attestations.purl import parse_purl
from hub_mcp.attestations.statements import SLSA_V1, SLSA_V02, Statement

FRONTEND_IMAGES = frozenset({"docker/dockerfile", "docker/dockerfile-upstream"})
MAX_MATERIALS = 500


@dataclass(frozen=True)
class PulledImage:
    reference: str  # "golang:1.19.4-alpine", "ghcr.io/owner/app:1"
    digest: str | None  # "sha256:<hex>"
    platform: str | None  # "linux/arm64"
    frontend: bool  # the build's frontend image, not a base image


@dataclass(frozen=True)
class Provenance:
    slsa_version: str  # "0.2" | "1"
    builder: str | None
    source: str | None  # the source repository
    commit: str | None
    dockerfile: str | None
    started: str | None  # as written (RFC 3339)
    finished: str | None
    images: tuple[PulledImage, ...]
    vcs_hint: bool = False  # source and commit are the client's unverified vcs metadata, not a fetched source

    @property
    def base_images(self) -> tuple[PulledImage, ...]:
        return tuple(image for image in self.images if not image.frontend)


#: Where each fact sits, per SLSA version (paths into the predicate; see the module docstring).
_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    SLSA_V02: {
        "builder": ("builder", "id"),
        "source": ("invocation", "configSource", "uri"),
        "commit": ("invocation", "configSource", "digest", "sha1"),
        "dockerfile": ("invocation", "configSource", "entryPoint"),
        "started": ("metadata", "buildStartedOn"),
        "finished": ("metadata", "buildFinishedOn"),
        "materials": ("materials",),
        "request": ("invocation", "parameters"),
        "vcs_source": ("metadata", "https://mobyproject.org/buildkit@v1#metadata", "vcs", "source"),
        "vcs_revision": ("metadata", "https://mobyproject.org/buildkit@v1#metadata", "vcs", "revision"),
    },
    SLSA_V1: {
        "builder": ("runDetails", "builder", "id"),
        "source": ("buildDefinition", "externalParameters", "configSource", "uri"),
        "commit": ("buildDefinition", "externalParameters", "configSource", "digest", "sha1"),
        "dockerfile": ("buildDefinition", "externalParameters", "configSource", "path"),
        "started": ("runDetails", "metadata", "startedOn"),
        "finished": ("runDetails", "metadata", "finishedOn"),
        "materials": ("buildDefinition", "resolvedDependencies"),
        "request": ("buildDefinition", "externalParameters", "request"),
        "vcs_source": ("runDetails", "metadata", "buildkit_metadata", "vcs", "source"),
        "vcs_revision": ("runDetails", "metadata", "buildkit_metadata", "vcs", "revision"),
    },
}
_VERSIONS = {SLSA_V02: "0.2", SLSA_V1: "1"}


def parse_provenance(statement: Statement) -> Provenance | None:
    """The build facts of a SLSA v0.2 or v1 statement; None for another predicate type."""
    fields = _FIELDS.get(statement.predicate_type)
    if fields is None:
        return None

    def at(name: str) -> Any:
        value: Any = statement.predicate
        for key in fields[name]:
            value = _obj(value).get(key)
        return value

    source, commit = _text(at("source")), _text(at("commit"))
    hint = source is None and commit is None and _text(at("vcs_source")) is not None
    if hint:
        source, commit = _text(at("vcs_source")), _text(at("vcs_revision"))
    return Provenance(
        slsa_version=_VERSIONS[statement.predicate_type],
        builder=_text(at("builder")),
        source=source,
        commit=commit,
        dockerfile=_text(at("dockerfile")),
        started=_text(at("started")),
        finished=_text(at("finished")),
        images=_images(at("materials"), _frontend_names(_obj(at("request")))),
        vcs_hint=hint,
    )


def _frontend_names(request: dict[str, Any]) -> set[str]:
    """Image names the build request gives as its frontend (``args.source`` or ``args.cmdline``)."""
    args = _obj(request.get("args"))
    names = set()
    for key in ("source", "cmdline"):
        value = args.get(key)
        if isinstance(value, str) and value:
            names.add(_image_name(value))
    return names


def _images(materials: Any, frontends: set[str]) -> tuple[PulledImage, ...]:
    images: list[PulledImage] = []
    for material in materials[:MAX_MATERIALS] if isinstance(materials, list) else []:
        if not isinstance(material, dict):
            continue
        purl = parse_purl(material.get("uri", ""))
        if purl is None or purl.type != "docker":
            continue
        name = f"{purl.namespace}/{purl.name}" if purl.namespace else purl.name
        sha = _obj(material.get("digest")).get("sha256")
        reference = name if not purl.version else f"{name}{'@' if ':' in purl.version else ':'}{purl.version}"
        images.append(
            PulledImage(
                reference=reference,
                digest=f"sha256:{sha.lower()}" if isinstance(sha, str) and sha else None,
                platform=purl.qualifiers.get("platform"),
                frontend=_image_name(name) in FRONTEND_IMAGES | frontends,
            )
        )
    return tuple(images)


def _image_name(reference: str) -> str:
    """``docker/dockerfile:1.7`` → ``docker/dockerfile``; ``docker.io/library/golang`` → ``golang``."""
    name = reference.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name = name[: len(name) - len(last)] + last.split(":", 1)[0]
    for prefix in ("docker.io/", "index.docker.io/", "registry-1.docker.io/"):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name.removeprefix("library/")


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return value[:500] if isinstance(value, str) and value else None
