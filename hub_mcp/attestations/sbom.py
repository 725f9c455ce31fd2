"""Packages of an image from an SPDX 2.x document, the SBOM predicate BuildKit attaches (Syft writes it).

[documented: SPDX 2.3 specification, clauses 7 (packages) and F (external references); moby/buildkit
docs/attestations/sbom.md] ``packages[]`` has ``name``, ``versionInfo`` and ``externalRefs[]``; a ref whose
``referenceType`` is ``purl`` gives the package URL in ``referenceLocator``. SPDX 2.3 writes the category
``PACKAGE-MANAGER``, 2.2 ``PACKAGE_MANAGER``: both are read.
[assumed, from Syft's output as security-facts.md quotes it] an OS package's purl carries ``distro=<id>-<release>``,
and a document also lists packages with no purl (files, the image itself): those count as ``unknown``, never dropped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from hub_mcp.attestations.purl import PackageURL, parse_purl

MAX_PACKAGES = 50_000  # read of one document; past it the SBOM says it was cut


@dataclass(frozen=True)
class Package:
    name: str
    version: str | None
    type: str  # the purl type: deb, apk, rpm, pypi, npm, golang, maven, ...; "unknown" without a purl
    purl: PackageURL | None


@dataclass(frozen=True)
class Sbom:
    packages: tuple[Package, ...]
    spdx_version: str | None
    os: tuple[str, str] | None  # ("debian", "12") from the OS packages' distro qualifier
    truncated: bool = False

    def counts(self) -> dict[str, int]:
        """Packages by type, most first (ties by name)."""
        counted = Counter(package.type for package in self.packages)
        return dict(sorted(counted.items(), key=lambda item: (-item[1], item[0])))


def parse_spdx(document: dict[str, Any]) -> Sbom:
    """The packages an SPDX 2.x JSON document lists (at most :data:`MAX_PACKAGES`)."""
    raw = document.get("packages")
    entries = raw if isinstance(raw, list) else []
    packages: list[Package] = []
    for entry in entries[:MAX_PACKAGES]:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        purl = _purl_of(entry)
        version = entry.get("versionInfo")
        if not isinstance(version, str) or not version:
            version = purl.version if purl else None
        packages.append(Package(entry["name"], version, purl.type if purl else "unknown", purl))
    spdx_version = document.get("spdxVersion")
    return Sbom(
        packages=tuple(packages),
        spdx_version=spdx_version if isinstance(spdx_version, str) else None,
        os=_os_of(packages),
        truncated=len(entries) > MAX_PACKAGES,
    )


def _purl_of(entry: dict[str, Any]) -> PackageURL | None:
    refs = entry.get("externalRefs")
    for ref in refs if isinstance(refs, list) else []:
        if not isinstance(ref, dict) or ref.get("referenceType") != "purl":
            continue
        category = str(ref.get("referenceCategory", "")).upper().replace("_", "-")
        if category not in ("PACKAGE-MANAGER", ""):
            continue
        parsed = parse_purl(ref.get("referenceLocator", ""))
        if parsed is not None:
            return parsed
    return None


def _os_of(packages: list[Package]) -> tuple[str, str] | None:
    """The distribution most OS packages name (``debian-12`` → ("debian", "12"))."""
    distros = Counter(p.purl.distro for p in packages if p.purl is not None and p.purl.distro)
    if not distros:
        return None
    distro = distros.most_common(1)[0][0]
    name, dash, release = distro.partition("-")
    return (name.lower(), release) if dash and release else (name.lower(), "")
