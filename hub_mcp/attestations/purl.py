"""Package URLs (purl), as SBOMs name packages: ``pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&distro=debian-12``.

[documented: package-url/purl-spec, PURL-SPECIFICATION.rst] ``scheme:type/namespace/name@version?qualifiers#subpath``;
the scheme is ``pkg``; the type is lowercase; namespace segments, name and version are percent-encoded;
qualifiers are ``key=value`` pairs joined by ``&``, keys lowercase. Parsed right to left: ``#`` subpath,
``?`` qualifiers, ``@`` version (after the last ``/``), then type, namespace and name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote

#: Words people use for a package type, and the purl type they mean [documented: package-url/purl-spec,
#: PURL-TYPES.rst: ``pypi``, ``npm``, ``golang``, ``maven``, ``gem``, ``cargo``, ``composer``, ``nuget``, ``deb``,
#: ``apk``, ``rpm``]; for a did-you-mean when a filter names no type an SBOM has.
TYPE_SYNONYMS: dict[str, str] = {
    "pip": "pypi", "python": "pypi", "node": "npm", "nodejs": "npm", "javascript": "npm", "go": "golang",
    "java": "maven", "ruby": "gem", "rubygems": "gem", "rust": "cargo", "crates": "cargo", "php": "composer",
    "dotnet": "nuget", "debian": "deb", "dpkg": "deb", "ubuntu": "deb", "alpine": "apk", "redhat": "rpm",
}
MAX_PURL = 2048  # longer is not a package URL any SBOM writer makes: refused as unreadable


@dataclass(frozen=True)
class PackageURL:
    type: str
    name: str
    namespace: str | None = None
    version: str | None = None
    qualifiers: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    subpath: str | None = None

    @property
    def distro(self) -> str | None:
        """The ``distro`` qualifier Syft writes for OS packages (``debian-12``, ``alpine-3.20.3``)."""
        return self.qualifiers.get("distro")

    @property
    def upstream(self) -> str | None:
        """The source package an OS package was built from (``upstream=openssl``), without its version."""
        value = self.qualifiers.get("upstream")
        return value.split("@", 1)[0] if value else None


def parse_purl(text: str) -> PackageURL | None:
    """The package URL ``text`` names, or None when it is not one (no ``pkg:`` scheme, no type or name)."""
    if not isinstance(text, str) or len(text) > MAX_PURL:
        return None
    scheme, colon, rest = text.partition(":")
    if not colon or scheme.lower() != "pkg":
        return None
    rest, _, subpath = rest.partition("#")
    rest, _, query = rest.partition("?")
    rest = rest.strip("/")
    slash = rest.rfind("/")
    at = rest.rfind("@")
    version = None
    if at > slash:
        rest, version = rest[:at], unquote(rest[at + 1 :]) or None
    kind, _, path = rest.partition("/")
    segments = [unquote(part) for part in path.split("/") if part]
    if not kind or not segments:
        return None
    qualifiers: dict[str, str] = {}
    for pair in query.split("&") if query else []:
        key, equals, value = pair.partition("=")
        if equals and key and value:
            qualifiers[key.lower()] = unquote(value)
    return PackageURL(
        type=kind.lower(),
        name=segments[-1],
        namespace="/".join(segments[:-1]) or None,
        version=version,
        qualifiers=qualifiers,
        subpath=unquote(subpath.strip("/")) or None,
    )
