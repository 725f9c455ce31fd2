"""Packages of an image from an SPDX 2.x document, the SBOM predicate BuildKit attaches (Syft writes it).

[documented: SPDX 2.3 specification, clauses 7 (packages) and F (external references); moby/buildkit
docs/attestations/sbom.md] ``packages[]`` has ``name``, ``versionInfo`` and ``externalRefs[]``; a ref whose
``referenceType`` is ``purl`` gives the package URL in ``referenceLocator``. SPDX 2.3 writes the category
``PACKAGE-MANAGER``, 2.2 ``PACKAGE_MANAGER``: both are read.
[documented: anchore/syft syft/pkg/url.go ``PURLQualifiers``] an OS package's purl carries ``distro=<id>-<release>``.
[documented: anchore/syft syft/format/common/spdxhelpers/to_format_model.go ``toRootPackage``] Syft appends a
document root that the document ``DESCRIBES`` and that ``CONTAINS`` every package: the scanned directory
(``primaryPackagePurpose`` ``FILE``, no purl: what BuildKit's scanner writes) or image (``CONTAINER``, a
``pkg:oci`` purl). It is the image, not a package in it, so it is not listed; nor is an ``OPERATING-SYSTEM``
entry (SPDX 2.3 clause 7.24; Trivy writes one), which names the distribution, already read from the purls.
[documented: moby/buildkit docs/attestations/sbom.md's example] Syft of 2022 wrote Alpine packages as
``pkg:alpine/<name>@...`` (no namespace): that type is counted as ``apk``, the purl-spec's type Syft writes now.
A described package of another purpose (an application's own SBOM) is a package. Other packages without a
purl (binaries, files) count as ``unknown``, never dropped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from hub_mcp.attestations.purl import PackageURL, parse_purl

MAX_PACKAGES = 50_000  # read of one document; past it the SBOM says it was cut
MAX_RELATIONSHIPS = 200_000  # looked through for what the document DESCRIBES
#: primaryPackagePurpose values of what is not a package of the image [documented: SPDX 2.3 clause 7.24]
_ROOT_PURPOSES = frozenset({"CONTAINER", "FILE", "OPERATING-SYSTEM"})
_TYPE_ALIASES = {"alpine": "apk"}  # earlier Syft's purl type → the purl-spec's


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
    described = _described(document)
    packages: list[Package] = []
    for entry in entries[:MAX_PACKAGES]:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        if _is_the_image_itself(entry, described):
            continue
        purl = _purl_of(entry)
        version = entry.get("versionInfo")
        if not isinstance(version, str) or not version:
            version = purl.version if purl else None
        kind = _TYPE_ALIASES.get(purl.type, purl.type) if purl else "unknown"
        packages.append(Package(entry["name"], version, kind, purl))
    spdx_version = document.get("spdxVersion")
    return Sbom(
        packages=tuple(packages),
        spdx_version=spdx_version if isinstance(spdx_version, str) else None,
        os=_os_of(packages),
        truncated=len(entries) > MAX_PACKAGES,
    )


def _described(document: dict[str, Any]) -> set[str]:
    """The SPDX ids the document DESCRIBES (relationships, or SPDX 2.2's ``documentDescribes``)."""
    ids: set[str] = set()
    given = document.get("documentDescribes")
    for value in given[:MAX_RELATIONSHIPS] if isinstance(given, list) else []:
        if isinstance(value, str):
            ids.add(value)
    relationships = document.get("relationships")
    for entry in relationships[:MAX_RELATIONSHIPS] if isinstance(relationships, list) else []:
        if not isinstance(entry, dict) or str(entry.get("relationshipType", "")).upper() != "DESCRIBES":
            continue
        if entry.get("spdxElementId") == document.get("SPDXID", "SPDXRef-DOCUMENT"):
            related = entry.get("relatedSpdxElement")
            if isinstance(related, str):
                ids.add(related)
    return ids


def _is_the_image_itself(entry: dict[str, Any], described: set[str]) -> bool:
    """Syft's document root (the image or directory scanned), or a distribution entry."""
    purpose = str(entry.get("primaryPackagePurpose", "")).upper().replace("_", "-")
    if purpose == "OPERATING-SYSTEM":
        return True
    return purpose in _ROOT_PURPOSES and entry.get("SPDXID") in described


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
    releases = Counter(_release(p.purl) for p in packages if p.purl is not None and p.purl.distro)
    return releases.most_common(1)[0][0] if releases else None


def _release(purl: PackageURL) -> tuple[str, str]:
    """(distribution, release) from a ``distro`` qualifier as each writer spells it.

    [documented: anchore/syft syft/pkg/url.go] Syft: ``<ID>-<VERSION_ID>``, and an ID may hold a dash
    (``opensuse-leap-15.5``): split at the last dash before a digit.
    [documented: aquasecurity/trivy pkg/purl/purl.go ``parseApk``] Trivy's apk purls give the version alone
    (``distro=3.20.2``): the distribution is then the namespace. A bare codename (``jessie``, the purl-spec's
    example) has no release.
    """
    distro = purl.distro or ""
    for at in range(len(distro) - 1, 0, -1):
        if distro[at] == "-" and distro[at + 1 : at + 2].isdigit():
            return distro[:at].lower(), distro[at + 1 :]
    if distro[:1].isdigit() and purl.namespace:
        return purl.namespace.lower(), distro
    name, _, release = distro.partition("-")
    return name.lower(), release
