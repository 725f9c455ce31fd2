"""Which OSV question asks about an SBOM package: an ecosystem, a name and a version, or a package URL.

OSV names a package by ``ecosystem`` + ``name`` or by ``purl`` [documented: google/osv.dev docs/api/post-v1-query.md,
"Parameters"]. The ecosystem strings are osv-schema's [documented: ossf/osv-schema ``ecosystems.json`` and
docs/schema.md, "affected[].package"], checked one by one below; an ecosystem OSV does not know makes the *whole*
batch fail with HTTP 400 [documented in code: google/osv.dev go/internal/api/query_affected.go, ``parseQuery``:
"invalid ecosystem"], so only those strings are ever sent.

- **OS packages** are asked by name and ecosystem, with the release: ``Debian:12``, ``Ubuntu:24.04:LTS``,
  ``Alpine:v3.20``. Distribution records name **source** packages (osv-schema: "the ``name`` is the name of the
  source package" for Debian, Ubuntu, Alpine, AlmaLinux, Rocky Linux), so the name asked is the purl's ``upstream=``
  qualifier (Syft writes it when the source differs from the binary), else the binary name. A purl query would not
  do for them: OSV reads a ``pkg:deb/debian/...`` purl's name as the package name (google/osv.dev go/purl), i.e. the
  binary's.
- **Language packages** are asked by package URL with the version inside it (``pkg:pypi/jinja2@3.1.4``). A versioned
  purl *and* a ``version`` field is refused with HTTP 400 [documented: post-v1-query.md, "Version rules"], so the
  version is only ever in the purl. Qualifiers and subpath are dropped: OSV matches on type, namespace and name.

Release strings:

- Debian: the major release, ``Debian:12`` [documented: ecosystems.json "Debian": "a numeric version specified in
  the Debian distro-info-data"]; Syft's ``distro=debian-12`` (a point release ``12.5`` is cut to ``12``).
- Ubuntu: ``YY.MM`` with ``:LTS`` for LTS releases [documented: ecosystems.json "Ubuntu": "with a mandatory ``:LTS``
  suffix if the release is marked as LTS", example ``Ubuntu:22.04:LTS``]. LTS releases are the April releases of even
  years [documented: wiki.ubuntu.com/Releases; every LTS so far is YY.04 with YY even].
- Alpine: ``v`` + major.minor, ``Alpine:v3.20`` for ``3.20.3`` [documented: ecosystems.json "Alpine": "must have a
  ``:v<RELEASE-NUMBER>`` suffix ... (the ``v`` prefix is required). E.g. ``v3.16``"; google/osv.dev
  vulnfeeds/cmd/converters/alpine builds ``"Alpine:" + "v3.20"`` from secdb's directory names]. Development
  releases (``3.21_alpha20240807``, edge) have no secdb branch and so no ecosystem.
- AlmaLinux / Rocky Linux: the major release, ``AlmaLinux:9`` [documented: ecosystems.json, "a numeric version"];
  [assumed] the major release alone is what their records use, and the version asked is ``epoch:version-release``
  when the purl has an ``epoch`` qualifier. Other rpm distributions (RHEL needs a CPE-derived stream, Fedora and
  Amazon Linux have no OSV ecosystem) are not covered.
- Wolfi / Chainguard: no release suffix, the package's own name [documented: ecosystems.json].
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from hub_mcp.attestations.purl import PackageURL
from hub_mcp.attestations.sbom import Package

MAX_QUERIES = 5_000
"""The most packages one assessment asks OSV about (five querybatch requests of 1,000)."""

#: purl type → OSV ecosystem of language packages [documented: ecosystems.json; google/osv.dev go/purl registers
#: these types: pypi, npm, golang, maven, cargo, gem, nuget, composer, hex, pub].
LANGUAGE_ECOSYSTEMS: dict[str, str] = {
    "pypi": "PyPI",
    "npm": "npm",
    "golang": "Go",
    "maven": "Maven",
    "cargo": "crates.io",
    "gem": "RubyGems",
    "nuget": "NuGet",
    "composer": "Packagist",
    "hex": "Hex",
    "pub": "Pub",
}
_OS_TYPES = ("deb", "apk", "rpm")
_NO_VERSION = frozenset({"(devel)", "unknown", "UNKNOWN", "0.0.0-00010101000000-000000000000"})


@dataclass(frozen=True)
class Query:
    """One OSV question: ``ecosystem`` and ``name`` as OSV records name the package (the source package for a
    distribution), the ``version`` installed, and the ``purl`` when the question is asked by package URL."""

    ecosystem: str
    name: str
    version: str
    purl: str | None = None

    def body(self) -> dict[str, Any]:
        """The query as ``/v1/querybatch`` takes it (without ``page_token``)."""
        if self.purl is not None:
            return {"package": {"purl": self.purl}}
        return {"package": {"name": self.name, "ecosystem": self.ecosystem}, "version": self.version}


@dataclass(frozen=True)
class NotCovered:
    """A package OSV cannot be asked about, and why (one short clause)."""

    package: str
    version: str | None
    reason: str


def query_for(package: Package, os: tuple[str, str] | None) -> Query | NotCovered:
    """The OSV question for ``package`` of an image whose SBOM names distribution ``os`` (("debian", "12")), or why
    there is none."""
    purl = package.purl
    if purl is None:
        return NotCovered(package.name, package.version, "the SBOM gives it no package URL")
    version = package.version or purl.version
    if not version or version in _NO_VERSION:
        return NotCovered(package.name, package.version, "the SBOM gives it no version")
    if purl.type in _OS_TYPES:
        return _os_query(package.name, version, purl, os)
    ecosystem = LANGUAGE_ECOSYSTEMS.get(purl.type)
    if ecosystem is None:
        return NotCovered(package.name, version, f"OSV has no ecosystem for {purl.type} packages")
    if purl.type == "golang" and purl.name == "stdlib" and not purl.namespace and version.startswith("go"):
        version = version[2:]  # [assumed] Syft writes go1.22.1; the Go database names the version 1.22.1
    return Query(ecosystem, osv_name(purl), version, purl=_versioned_purl(purl, version))


def osv_name(purl: PackageURL) -> str:
    """The name OSV's records give a language package [documented: ecosystems.json per ecosystem; google/osv.dev
    go/purl for how a purl's namespace joins its name]: Maven ``group:artifact``; npm, Go, Packagist, Hex
    ``namespace/name``; PyPI the normalized name (PEP 503); others the name."""
    name, namespace = purl.name, purl.namespace
    if purl.type == "pypi":
        return re.sub(r"[-_.]+", "-", name).lower()
    if purl.type == "maven" and namespace:
        return f"{namespace}:{name}"
    if purl.type in ("npm", "golang", "composer", "hex") and namespace:
        return f"{namespace}/{name}"
    return name


def _versioned_purl(purl: PackageURL, version: str) -> str:
    """``pkg:type/namespace/name@version``, each part percent-encoded, without qualifiers or subpath."""
    segments = [quote(part, safe="") for part in (purl.namespace or "").split("/") if part]
    path = "/".join([*segments, quote(purl.name, safe="")])
    return f"pkg:{purl.type}/{path}@{quote(version, safe='')}"


def _os_query(name: str, version: str, purl: PackageURL, os: tuple[str, str] | None) -> Query | NotCovered:
    distro = _distro_of(purl) or os
    if distro is None or not distro[0]:
        return NotCovered(name, version, f"the SBOM does not say which distribution its {purl.type} package is from")
    distro_id, release = distro
    ecosystem = _os_ecosystem(purl.type, distro_id, release)
    if isinstance(ecosystem, NotCovered):
        return NotCovered(name, version, ecosystem.reason)
    source, source_version = _source_of(purl, name, version)
    if purl.type == "rpm" and (epoch := purl.qualifiers.get("epoch")) and ":" not in source_version:
        source_version = f"{epoch}:{source_version}"
    return Query(ecosystem, source, source_version)


def _distro_of(purl: PackageURL) -> tuple[str, str] | None:
    """``distro=debian-12`` → ("debian", "12"); ``distro=alpine-3.20.3`` → ("alpine", "3.20.3")."""
    distro = purl.distro
    if not distro:
        return None
    match = re.match(r"^([a-z][a-z-]*?)-(\d[\w.]*)$", distro.lower())
    if match is not None:
        return match.group(1), match.group(2)
    name, dash, release = distro.lower().rpartition("-")
    return (name, release) if dash else (release, "")


def _os_ecosystem(kind: str, distro: str, release: str) -> str | NotCovered:
    nothing = NotCovered("", None, f"OSV has no ecosystem for {kind} packages of {distro or 'this distribution'}")
    if kind == "deb" and distro == "debian":
        major = release.split(".", 1)[0]
        return f"Debian:{major}" if major.isdigit() else _no_release(distro, release)
    if kind == "deb" and distro == "ubuntu":
        match = re.match(r"^(\d{2})\.(\d{2})", release)
        if match is None:
            return _no_release(distro, release)
        year, month = match.groups()
        lts = month == "04" and int(year) % 2 == 0
        return f"Ubuntu:{year}.{month}{':LTS' if lts else ''}"
    if kind == "apk" and distro == "alpine":
        match = re.match(r"^(\d+)\.(\d+)(?:\.\d+)?$", release)
        if match is None:
            return NotCovered("", None, f"OSV has no ecosystem for Alpine development release {release or 'edge'}")
        return f"Alpine:v{match.group(1)}.{match.group(2)}"
    if kind == "apk" and distro == "wolfi":
        return "Wolfi"
    if kind == "apk" and distro == "chainguard":
        return "Chainguard"
    if kind == "rpm" and distro in ("almalinux", "rocky"):
        major = release.split(".", 1)[0]
        label = "AlmaLinux" if distro == "almalinux" else "Rocky Linux"
        return f"{label}:{major}" if major.isdigit() else _no_release(distro, release)
    return nothing


def _no_release(distro: str, release: str) -> NotCovered:
    shown = release or "no release"
    return NotCovered("", None, f"OSV has no ecosystem for {distro} release {shown!r} (it needs a numbered release)")


def _source_of(purl: PackageURL, name: str, version: str) -> tuple[str, str]:
    """The source package and its version: ``upstream=openssl`` or ``upstream=glibc@2.36-9`` (Syft adds the version
    when it differs from the binary's, as after a binNMU ``+b1``); an rpm's ``upstream=openssl-3.0.7-27.el9.src.rpm``
    gives the name before its version and release. Without ``upstream``, the binary is its own source."""
    raw = purl.qualifiers.get("upstream", "").strip()
    if not raw:
        return name, version
    if purl.type == "rpm":
        stem = raw.removesuffix(".rpm").removesuffix(".src")
        parts = stem.rsplit("-", 2)
        return (parts[0] if len(parts) == 3 and parts[0] else name), version
    source, at, source_version = raw.partition("@")
    if not source:
        return name, version
    return source, (source_version if at and source_version else version)
