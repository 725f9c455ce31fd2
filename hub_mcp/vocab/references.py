"""Image references as models write them, parsed by Docker's reference grammar.

    >>> ImageReference.parse("python:3.12-slim").canonical
    'docker.io/library/python:3.12-slim'
    >>> ImageReference.parse("docker.io/library/python").familiar
    'python'
    >>> ImageReference.parse("ghcr.io/owner/img:tag").registry
    'ghcr.io'

The grammar is the one in distribution/reference: an optional domain (a first component
with a ``.`` or ``:``, or ``localhost``), lowercase path components joined by ``/``, an
optional ``:tag`` and an optional ``@algorithm:hex`` digest. Docker Hub's aliases
(``index.docker.io``, ``registry-1.docker.io``, ``registry.hub.docker.com``) become
``docker.io`` and a one-component Hub name gets ``library/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from hub_mcp.errors import InvalidInput
from hub_mcp.vocab.common import clip, quoted

DOCKER_HUB = "docker.io"
_HUB_ALIASES = {"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com", "hub.docker.com"}

_COMPONENT = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")
_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")  # ASCII only, as Docker's grammar
_DIGEST = re.compile(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$")
_DOMAIN = re.compile(
    r"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
    r"(?::[0-9]+)?$|^\[[0-9a-fA-F:.]+\](?::[0-9]+)?$"
)
_SHA256 = re.compile(r"^sha256:[a-f0-9]{64}$")
MAX_NAME_LENGTH = 255


def _looks_like_domain(component: str) -> bool:
    return "." in component or ":" in component or component == "localhost" or component.startswith("[")


@dataclass(frozen=True)
class ImageReference:
    """A parsed, normalized image reference.

    ``registry`` is ``docker.io`` for Docker Hub; ``repository`` is the full path inside the
    registry (``library/python``, ``bitnami/redis``); ``tag`` and ``digest`` are optional.
    """

    registry: str
    repository: str
    tag: str | None = None
    digest: str | None = None

    @classmethod
    def parse(cls, text: str) -> ImageReference:
        """Parse a reference as a model might write it; raise ``InvalidInput`` saying what is wrong."""
        if not isinstance(text, str):
            raise InvalidInput(f"An image reference must be a string such as 'python:3.12-slim', not {quoted(text)}.")
        original = text
        text = text.strip()
        for prefix in ("docker://", "https://", "http://"):
            if text.startswith(prefix):
                text = text[len(prefix) :]
        if not text:
            raise InvalidInput("The image reference is empty: give a name such as 'python' or 'bitnami/redis:7.4'.")
        if any(ch.isspace() for ch in text):
            raise InvalidInput(f"{quoted(original)} contains white space; an image reference has none (e.g. 'python:3.12').")

        digest: str | None = None
        if "@" in text:
            text, digest = text.split("@", 1)
            if not _DIGEST.match(digest):
                raise InvalidInput(
                    f"{quoted(original)} has an invalid digest {quoted(digest)}: a digest looks like 'sha256:' followed by 64 hex digits."
                )
            if digest.startswith("sha256:") and not _SHA256.match(digest):
                raise InvalidInput(f"{quoted(original)}: a sha256 digest has exactly 64 lowercase hex digits.")

        tag: str | None = None
        last_slash = text.rfind("/")
        colon = text.rfind(":")
        if colon > last_slash:
            text, tag = text[:colon], text[colon + 1 :]
            if not _TAG.match(tag):
                raise InvalidInput(
                    f"{quoted(original)} has an invalid tag {quoted(tag)}: a tag is 1-128 ASCII letters, digits, '_', '.' or '-',"
                    " and does not start with '.' or '-'."
                )

        parts = text.split("/")
        if any(part in (".", "..") for part in parts):
            raise InvalidInput(
                f"{original!r} has a '.' or '..' path component: an image reference names a repository, not a"
                " relative path (e.g. 'bitnami/redis')."
            )
        registry = DOCKER_HUB
        if len(parts) > 1 and _looks_like_domain(parts[0]):
            domain = parts.pop(0)
            if not _DOMAIN.match(domain):
                raise InvalidInput(f"{quoted(original)} has an invalid registry host {quoted(domain)}.")
            port = domain.rsplit("]", 1)[-1].rpartition(":")[2] if ":" in domain.rsplit("]", 1)[-1] else ""
            if port and (len(port) > 5 or not 1 <= int(port) <= 65535):  # int() of 4,300+ digits raises
                raise InvalidInput(
                    f"{quoted(original)} has an invalid registry port {clip(port)}: a port is a number from 1 to 65535"
                    " (e.g. 'localhost:5000/app:1.0')."
                )
            registry = DOCKER_HUB if domain.lower() in _HUB_ALIASES else domain.lower()
        if not parts or parts == [""]:
            raise InvalidInput(f"{quoted(original)} names a registry but no repository.")
        for part in parts:
            if not part:
                raise InvalidInput(f"{quoted(original)} has an empty path component (a doubled or trailing '/').")
            if part.lower() != part and _COMPONENT.match(part.lower()):
                raise InvalidInput(
                    f"{quoted(original)}: repository names must be lowercase; did you mean {quoted(part.lower())}?"
                )
            if not _COMPONENT.match(part):
                raise InvalidInput(
                    f"{quoted(original)} has an invalid name component {quoted(part)}: use lowercase letters and digits,"
                    " separated by '.', '_', '__' or '-' (for example 'bitnami/redis')."
                )
        if registry == DOCKER_HUB:
            if len(parts) == 1:
                parts = ["library", parts[0]]
            elif len(parts) > 2:
                raise InvalidInput(
                    f"{quoted(original)}: Docker Hub repositories have exactly two parts, 'namespace/name'."
                )
        repository = "/".join(parts)
        if len(repository) > MAX_NAME_LENGTH:
            raise InvalidInput(f"{quoted(original)} is longer than {MAX_NAME_LENGTH} characters.")
        return cls(registry=registry, repository=repository, tag=tag, digest=digest)

    @property
    def is_docker_hub(self) -> bool:
        return self.registry == DOCKER_HUB

    @property
    def is_official(self) -> bool:
        return self.is_docker_hub and self.namespace == "library"

    @property
    def namespace(self) -> str:
        return self.repository.rsplit("/", 1)[0] if "/" in self.repository else ""

    @property
    def name(self) -> str:
        return self.repository.rsplit("/", 1)[-1]

    @property
    def familiar_name(self) -> str:
        """The short form people write: ``python``, ``bitnami/redis``, ``ghcr.io/o/img``."""
        if self.is_docker_hub:
            return self.name if self.is_official else self.repository
        return f"{self.registry}/{self.repository}"

    @property
    def familiar(self) -> str:
        return self.familiar_name + self._suffix()

    @property
    def canonical(self) -> str:
        return f"{self.registry}/{self.repository}{self._suffix()}"

    def with_tag(self, tag: str | None, digest: str | None = None) -> ImageReference:
        return ImageReference(self.registry, self.repository, tag, digest)

    def _suffix(self) -> str:
        out = f":{self.tag}" if self.tag else ""
        return out + (f"@{self.digest}" if self.digest else "")

    def __str__(self) -> str:
        return self.familiar


def parse_hub_repository(text: str) -> ImageReference:
    """Parse a reference that must name a Docker Hub repository (for the Hub API tools)."""
    ref = ImageReference.parse(text)
    if not ref.is_docker_hub:
        raise InvalidInput(
            f"{quoted(text)} is on {clip(ref.registry)}, not Docker Hub; this tool reads Docker Hub only."
            " Give a Docker Hub name such as 'python' or 'bitnami/redis'."
        )
    return ref


def parse_namespace(text: str) -> str:
    """A Docker Hub namespace (a user or organization) as one lowercase name: ``" Acme "`` → ``"acme"``.
    Anything that is not one name component (a ``/``, a ``..``, a leading separator) is refused as
    written, before any request is made with it."""
    value = text.strip().lower()
    if _COMPONENT.match(value) and len(value) <= MAX_NAME_LENGTH:
        return value
    raise InvalidInput(
        f"{quoted(text)} is not a Docker Hub namespace: a namespace is one name of lowercase letters and digits"
        " (a user or organization, e.g. 'bitnami'), with no '/' or '..'; nothing was sent."
    )


_PLATFORM_ALIASES = {
    "x86_64": ("amd64", None),
    "x86-64": ("amd64", None),
    "amd64": ("amd64", None),
    "aarch64": ("arm64", "v8"),
    "arm64": ("arm64", "v8"),
    "arm64v8": ("arm64", "v8"),
    "arm": ("arm", "v7"),
    "armhf": ("arm", "v7"),
    "armv7": ("arm", "v7"),
    "arm32v7": ("arm", "v7"),
    "armel": ("arm", "v5"),
    "arm32v6": ("arm", "v6"),
    "arm32v5": ("arm", "v5"),
    "armv6": ("arm", "v6"),
    "i386": ("386", None),
    "x86": ("386", None),
    "386": ("386", None),
    "ppc64le": ("ppc64le", None),
    "s390x": ("s390x", None),
    "riscv64": ("riscv64", None),
    "mips64le": ("mips64le", None),
}


@dataclass(frozen=True, order=True)
class Platform:
    """An OS/architecture/variant triple, normalized (``aarch64`` = ``arm64/v8`` = ``arm64``)."""

    os: str
    architecture: str
    variant: str | None = None

    @classmethod
    def parse(cls, text: str, default_os: str = "linux") -> Platform:
        """Parse ``linux/arm64/v8``, ``arm64``, ``aarch64``, ``arm32v7``, ``windows/amd64`` and the like."""
        if not isinstance(text, str) or not text.strip():
            raise InvalidInput("A platform is a string such as 'linux/amd64' or 'arm64'.")
        pieces = [p for p in text.strip().lower().split("/") if p]
        os_name = default_os
        if pieces and pieces[0] in {"linux", "windows", "darwin", "freebsd"}:
            os_name = pieces.pop(0)
        if not pieces or len(pieces) > 2:
            raise InvalidInput(
                f"{quoted(text)} is not a platform: write 'os/architecture[/variant]', e.g. 'linux/arm64' or 'linux/arm/v7'."
            )
        arch_text = pieces[0]
        variant = pieces[1] if len(pieces) == 2 else None
        if arch_text not in _PLATFORM_ALIASES:
            known = sorted({a for a, _ in _PLATFORM_ALIASES.values()})
            raise InvalidInput(f"Unknown architecture {quoted(arch_text)}; known ones: {', '.join(known)}.")
        arch, default_variant = _PLATFORM_ALIASES[arch_text]
        variant = variant or default_variant
        return cls(os=os_name, architecture=arch, variant=variant)

    @classmethod
    def from_parts(cls, os: str | None, architecture: str | None, variant: str | None = None) -> Platform:
        arch = (architecture or "unknown").lower()
        mapped = _PLATFORM_ALIASES.get(arch)
        if mapped:
            arch, default_variant = mapped
            variant = variant or default_variant
        return cls(os=(os or "unknown").lower(), architecture=arch, variant=(variant or None))

    def matches(self, other: Platform) -> bool:
        """True when ``other`` satisfies this platform (a missing variant matches any)."""
        if self.os != other.os or self.architecture != other.architecture:
            return False
        return self.variant is None or other.variant is None or self.variant == other.variant

    def __str__(self) -> str:
        return "/".join(p for p in (self.os, self.architecture, self.variant) if p)


#: The platform answers assume when none is asked for (sizes, the manifest read from an index).
DEFAULT_PLATFORM = Platform("linux", "amd64")


class HasPlatformParts(Protocol):
    """Anything that names its os, architecture and variant (a Hub tag image, a manifest entry)."""

    @property
    def os(self) -> str | None: ...

    @property
    def architecture(self) -> str | None: ...

    @property
    def variant(self) -> str | None: ...


def image_platform(image: HasPlatformParts) -> Platform:
    """The normalized platform of one image (``aarch64`` reads as ``linux/arm64/v8``)."""
    return Platform.from_parts(image.os, image.architecture, image.variant)
