"""Realistic attestation content: SPDX documents in the shape Syft writes, SLSA provenance as BuildKit writes it.

Test code only (issue 18). Package names and versions are real, read from the frozen lists in ``data/``
(each file's header says where it came from); the document shape follows the code that writes it.

SPDX, as BuildKit's default scanner writes it
[documented: docker/buildkit-syft-scanner internal/scanner.go and internal/target.go, commit fcec6730 (Syft
v1.51.0 per its go.mod)]: the scanner runs Syft on the build result as a *directory* (``syft.GetSource`` of
``BUILDKIT_SCAN_SOURCE``, aliased to the directory's base name, ``sbom`` for the final stage as the repository's
examples/*/checks/sbom.spdx.json show), encodes it with Syft's SPDX JSON encoder, and wraps it in an in-toto
Statement ``_type`` ``https://in-toto.io/Statement/v1``, ``predicateType`` ``https://spdx.dev/Document``,
without subject (BuildKit adds the subject: moby/buildkit docs/attestations/sbom.md, whose example is
``_type`` v1 with subject ``pkg:docker/<registry>/<image>@<tag/digest>?platform=<platform>`` and a sha256).
Older images carry ``Statement/v0.1`` (the scanner's earlier internal/scanner.go); both are made here.

[documented: anchore/syft at bf82010f, syft/format/common/spdxhelpers/to_format_model.go and
syft/format/internal/spdxutil/helpers/*.go; the golden file syft/format/spdxjson/testdata/snapshot/
TestSPDXJSONImageEncoder.golden]
- Top level: ``spdxVersion`` ``SPDX-2.3``, ``dataLicense`` ``CC0-1.0``, ``SPDXID`` ``SPDXRef-DOCUMENT``, ``name``
  (the source name), ``documentNamespace`` ``https://anchore.com/syft/dir/<name>-<uuid>`` (``image`` for an image
  source), ``creationInfo`` {``licenseListVersion``, ``creators`` [``Organization: Anchore, Inc``,
  ``Tool: syft-<version>``], ``created``}, then ``packages``, ``files``, ``relationships``.
- A package: ``name``, ``SPDXID`` ``SPDXRef-Package-<type>-<name>-<16 hex id>``, ``versionInfo``, ``supplier`` and
  ``originator`` ``Person: <maintainer, as "Name (email)">`` (deb: Maintainer; apk: m:; python: Author) or
  ``NOASSERTION``, ``downloadLocation`` (apk: the U: URL; others ``NOASSERTION``), ``filesAnalyzed`` false,
  ``sourceInfo`` ``acquired package info from DPKG DB: <paths>`` / ``APK DB`` / ``installed python package manifest
  file`` / ``installed node module manifest file``, ``licenseConcluded`` ``NOASSERTION``, ``licenseDeclared``,
  ``copyrightText`` ``NOASSERTION``, ``description`` (apk only), ``externalRefs``: the CPEs as ``SECURITY``
  ``cpe23Type``, then the purl as ``PACKAGE-MANAGER`` ``purl``.
- Syft writes **no operating-system package** in SPDX; it appends a **document root** package that the document
  DESCRIBES and that CONTAINS every package: ``SPDXRef-DocumentRoot-Directory-<name>`` with
  ``primaryPackagePurpose`` ``FILE`` and no purl for a directory (BuildKit's case), or
  ``SPDXRef-DocumentRoot-Image-<name>`` with ``CONTAINER``, a SHA256 checksum and a ``pkg:oci/<name>@sha256%3A...``
  purl for an image scanned by the syft CLI.
- Files: ``SPDXID`` ``SPDXRef-File-<path>-<id>``, ``fileName`` relative (no leading ``/``), ``fileTypes``,
  ``checksums`` (SHA1), ``licenseConcluded`` ``NOASSERTION``, ``licenseInfoInFiles`` [``NOASSERTION``],
  ``copyrightText`` ``NOASSERTION``. Relationships: ``CONTAINS``, and ``OTHER`` with a comment ``evident-by: ...``.

Purls [documented: anchore/syft syft/pkg/cataloger/debian/package.go, alpine/package.go, python/package.go,
javascript/package.go, syft/pkg/url.go ``PURLQualifiers``; anchore/packageurl-go ``ToString`` as vendored by
buildkit-syft-scanner; the expected strings in debian/package_test.go and cataloger_test.go]:
- ``pkg:deb/debian/<name>@<version>?arch=<arch>&distro=debian-12&upstream=<source>[%40<source version>]``:
  qualifiers sorted by key; ``upstream`` only when dpkg's status has a ``Source:`` field, with ``@<version>`` only
  when that field says ``name (version)`` (e.g. ``upstream=s%402.3`` in Syft's own test); ``distro`` is
  ``<os-release ID>-<VERSION_ID>``.
- ``pkg:apk/alpine/<name>@<version>?arch=x86_64&distro=alpine-3.20.2[&upstream=<origin>]``: ``upstream`` only when
  the origin differs from the name.
- ``pkg:pypi/<Name as in METADATA>@<version>``; ``pkg:npm/[%40scope/]<name>@<version>``.
- Every name, version and qualifier value is escaped as Go's ``url.QueryEscape`` (then ``+`` as ``%20``): ``+``
  becomes ``%2B``, ``:`` ``%3A``, ``@`` ``%40``, ``/`` ``%2F``; ``~`` stays.
[assumed] the 16-hex package and file ids (Syft hashes the package; here: sha256 of the purl), the CPE candidates
(one ``cpe:2.3:a:<name>:<name>:<version>`` each; Syft may write several), the licenses (``NOASSERTION`` where the
data has none), the file checksums, and the UUID in the namespace.

Provenance [documented: moby/buildkit docs/attestations/slsa-definitions.md; docs.docker.com "Provenance
attestations" (docker/docs content/manuals/build/metadata/attestations/slsa-provenance.md), its mode=min and
mode=max examples]: v0.2 in a ``Statement/v0.1``; ``builder.id``, ``buildType``
``https://mobyproject.org/buildkit@v1``, ``materials``, ``invocation`` {``configSource`` {uri, digest.sha1,
entryPoint}, ``parameters`` {frontend, args, locals; max adds secrets and ssh}, ``environment.platform``},
``buildConfig.llbDefinition`` (max only), ``metadata`` {buildInvocationID, buildStartedOn, buildFinishedOn,
reproducible, completeness, ``https://mobyproject.org/buildkit@v1#metadata`` {vcs; max adds source and layers}}.
v1: ``buildDefinition`` {buildType, externalParameters {configSource {uri, digest, path}, request},
internalParameters {builderPlatform; max adds buildConfig}, resolvedDependencies}, ``runDetails`` {builder.id,
metadata {invocationID, startedOn, finishedOn, buildkit_metadata, buildkit_hermetic, buildkit_completeness,
buildkit_reproducible}}. [assumed] the v1 statement ``_type`` (``Statement/v0.1`` here, as for v0.2; the docs
show no v1 statement header), the repository, commit, times and digests below (real-looking, not real).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

DATA = Path(__file__).parent / "data"
DPKG_STATUS = "/var/lib/dpkg/status"
BUILDER_ID = "https://github.com/acme-labs/inventory-api/actions/runs/11873403112/attempts/1"  # [assumed]

SYFT_VERSION = "v1.51.0"  # [documented: docker/buildkit-syft-scanner go.mod at fcec6730]
LICENSE_LIST_VERSION = "3.27"  # [assumed]
CREATED = "2026-11-30T09:14:07Z"  # [assumed] fixed: the fakes are deterministic
DEBIAN_DISTRO = "debian-12"  # this machine's os-release: ID=debian, VERSION_ID="12"
ALPINE_DISTRO = "alpine-3.20.2"  # alpine:3.20.2's /etc/os-release VERSION_ID [documented: the image tag Syft scanned]
ALPINE_IMAGE_DIGEST = "sha256:eddacbc7e24bf8799a4ed3cdcfa50d4b88a323695ad80f317b6629883b2c2a78"

IN_TOTO_V01 = "https://in-toto.io/Statement/v0.1"
IN_TOTO_V1 = "https://in-toto.io/Statement/v1"
SPDX = "https://spdx.dev/Document"
SLSA_V02 = "https://slsa.dev/provenance/v0.2"
SLSA_V1 = "https://slsa.dev/provenance/v1"

# The build the provenance describes [assumed: a real-looking repository, commit and base image digest].
SOURCE_REPO = "https://github.com/acme-labs/inventory-api.git"
SOURCE_REF = "refs/heads/main"
COMMIT = "3f9c2a7e51b04d8e9a6c0f1d2b3e4a5c6d7e8f90"
DOCKERFILE = "docker/Dockerfile"
BASE_IMAGE = "pkg:docker/debian@12-slim?platform=linux%2Famd64"
BASE_DIGEST = "2424c1850714a4d94666ec928e24d86de958646737b1d113f5b2207be44d37d8"
BUILDER_IMAGE = "pkg:docker/python@3.11-slim-bookworm?platform=linux%2Famd64"
BUILDER_DIGEST = "8f1d6d6a4a2d1d48a9c1a5f8b6b8c3e7d0f4e2a9c7b5d3e1f0a2b4c6d8e0f1a3"
FRONTEND_IMAGE = "pkg:docker/docker/dockerfile@1"
FRONTEND_DIGEST = "9ba7531bd80fb0a858632727cf7a112fbfd19b17e94c4e84ced81e24ef1a0dbc"  # docs.docker.com's example
STARTED = "2026-11-30T09:12:41.518203466Z"
FINISHED = "2026-11-30T09:14:05.902117583Z"
SUBJECT_DIGEST = "5c1e7d3bb4d21e0b59f7a3dd8f60e6f1a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1"


# --- the frozen data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DebRow:
    name: str
    version: str
    arch: str
    source: str  # dpkg's Source: name, "" when the field is absent (source named as the binary)
    source_version: str  # the "(version)" of Source:, "" when absent (same version as the binary)
    maintainer: str


@dataclass(frozen=True)
class ApkRow:
    name: str
    version: str
    arch: str
    origin: str
    maintainer: str


@dataclass(frozen=True)
class LangRow:
    type: str  # "pypi" | "npm"
    name: str
    version: str
    path: str  # the manifest Syft read


def _rows(name: str, width: int) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    assert all(len(row) == width for row in rows), name
    return rows


def debian_rows() -> tuple[DebRow, ...]:
    return tuple(DebRow(*row) for row in _rows("debian12-packages.tsv", 6))


def debian_source_versions(versions: Mapping[str, str]) -> tuple[DebRow, ...]:
    """:func:`debian_rows` with every binary of a source package in ``versions`` at that version."""
    return tuple(
        replace(row, version=versions[row.source or row.name], source_version="")
        if (row.source or row.name) in versions
        else row
        for row in debian_rows()
    )


def alpine_rows() -> tuple[ApkRow, ...]:
    return tuple(ApkRow(*row) for row in _rows("alpine320-packages.tsv", 5))


def language_rows() -> tuple[LangRow, ...]:
    return tuple(LangRow(*row) for row in _rows("debian12-lang-packages.tsv", 4))


# --- purls as Syft writes them ----------------------------------------------------------------------


def _esc(text: str) -> str:
    """Go's ``url.QueryEscape`` with ``+`` for space turned to ``%20`` (anchore/packageurl-go ``escape``)."""
    return quote(text, safe="")


def _purl(kind: str, namespace: str, name: str, version: str, qualifiers: dict[str, str]) -> str:
    path = "/".join([kind, *(_esc(part) for part in namespace.split("/") if part), f"{_esc(name)}@{_esc(version)}"])
    query = "&".join(f"{_esc(k)}={_esc(v)}" for k, v in sorted(qualifiers.items()) if v)
    return f"pkg:{path}" + (f"?{query}" if query else "")


def deb_upstream(row: DebRow) -> str | None:
    """The source package Syft's ``upstream`` names (without version), None when dpkg gave no Source."""
    return row.source or None


def deb_purl(row: DebRow, distro: str = DEBIAN_DISTRO) -> str:
    qualifiers = {"arch": row.arch, "distro": distro}
    if row.source:
        qualifiers["upstream"] = f"{row.source}@{row.source_version}" if row.source_version else row.source
    return _purl("deb", "debian", row.name, row.version, qualifiers)


def apk_upstream(row: ApkRow) -> str | None:
    return row.origin if row.origin != row.name else None


def apk_purl(row: ApkRow, distro: str = ALPINE_DISTRO) -> str:
    qualifiers = {"arch": row.arch, "distro": distro}
    if row.origin != row.name:
        qualifiers["upstream"] = row.origin
    return _purl("apk", "alpine", row.name, row.version, qualifiers)


def lang_purl(row: LangRow) -> str:
    namespace, _, name = row.name.rpartition("/") if row.type == "npm" else ("", "", row.name)
    return _purl(row.type, namespace, name, row.version, {})


# --- SPDX --------------------------------------------------------------------------------------------


def _hex(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]  # [assumed] Syft hashes the package


def _element_id(text: str) -> str:
    """Syft's ``SanitizeElementID``: what SPDX ids do not allow becomes ``-``."""
    return "".join(c if c.isascii() and (c.isalnum() or c in ".-") else "-" for c in text)


def _person(maintainer: str) -> str:
    """``Name <email>`` → ``Person: Name (email)`` (Syft's ``parseAndFormatPersonOrOrg``)."""
    if not maintainer:
        return "NOASSERTION"
    name, _, rest = maintainer.partition("<")
    email = rest.rstrip(">").strip()
    return f"Person: {name.strip()} ({email})" if email else f"Person: {name.strip()}"


def _cpe(name: str, version: str) -> str:
    """One CPE 2.3 candidate [assumed]; CPE escapes what is not alphanumeric, ``-``, ``.`` or ``_``."""

    def esc(value: str) -> str:
        return "".join(c if c.isalnum() or c in "-._" else "\\" + c for c in value)

    return f"cpe:2.3:a:{esc(name)}:{esc(name)}:{esc(version)}:*:*:*:*:*:*:*"


def _package(
    kind: str, name: str, version: str, purl: str, *, person: str, source_info: str,
    license_declared: str = "NOASSERTION", download: str = "NOASSERTION", description: str | None = None,
) -> dict[str, Any]:
    package: dict[str, Any] = {
        "name": name,
        "SPDXID": f"SPDXRef-Package-{_element_id(kind)}-{_element_id(name)}-{_hex(purl)}",
        "versionInfo": version,
        "supplier": person,
    }
    if person != "NOASSERTION":
        package["originator"] = person
    package |= {
        "downloadLocation": download,
        "filesAnalyzed": False,
        "sourceInfo": source_info,
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": license_declared,
        "copyrightText": "NOASSERTION",
    }
    if description:
        package["description"] = description
    package["externalRefs"] = [
        {"referenceCategory": "SECURITY", "referenceType": "cpe23Type", "referenceLocator": _cpe(name, version)},
        {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": purl},
    ]
    return package


def _root(name: str, image_digest: str | None) -> dict[str, Any]:
    """The document root Syft appends: the scanned directory (BuildKit) or the image (syft CLI)."""
    root: dict[str, Any] = {
        "name": name,
        "SPDXID": _element_id(f"SPDXRef-DocumentRoot-{'Image' if image_digest else 'Directory'}-{name}"),
        "supplier": "NOASSERTION",
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": False,
    }
    if image_digest:
        root["versionInfo"] = image_digest
        root["checksums"] = [{"algorithm": "SHA256", "checksumValue": image_digest.removeprefix("sha256:")}]
    root |= {"licenseConcluded": "NOASSERTION", "licenseDeclared": "NOASSERTION", "copyrightText": "NOASSERTION"}
    if image_digest:
        bare = name.rsplit(":", 1)[0].rsplit("/", 1)[-1]
        tag = name.rsplit(":", 1)[1] if ":" in name.rsplit("/", 1)[-1] else ""
        qualifiers = {"arch": "amd64", "tag": tag}
        root["externalRefs"] = [
            {
                "referenceCategory": "PACKAGE-MANAGER",
                "referenceType": "purl",
                "referenceLocator": _purl("oci", "", bare, image_digest, qualifiers),
            }
        ]
    root["primaryPackagePurpose"] = "CONTAINER" if image_digest else "FILE"
    return root


def _file(path: str) -> dict[str, Any]:
    relative = path.lstrip("/")
    return {
        "fileName": relative,
        "SPDXID": _element_id(f"SPDXRef-File-{relative[-40:]}-{_hex('file', path)}"),
        "fileTypes": ["TEXT"],
        "checksums": [{"algorithm": "SHA1", "checksumValue": hashlib.sha1(path.encode()).hexdigest()}],  # [assumed]
        "licenseConcluded": "NOASSERTION",
        "licenseInfoInFiles": ["NOASSERTION"],
        "copyrightText": "NOASSERTION",
    }


def _document(
    name: str, packages: list[dict[str, Any]], evidence: dict[str, list[str]], image_digest: str | None
) -> dict[str, Any]:
    """Packages sorted as Syft sorts them (by name, then version), the root last; files and relationships."""
    packages = sorted(packages, key=lambda p: (p["name"], p["versionInfo"], p["SPDXID"]))
    root = _root(name, image_digest)
    files = {path: _file(path) for paths in evidence.values() for path in paths}
    relationships: list[dict[str, Any]] = []
    for package in packages:
        for path in evidence.get(package["SPDXID"], []):
            relationships.append(
                {
                    "spdxElementId": package["SPDXID"],
                    "relatedSpdxElement": files[path]["SPDXID"],
                    "relationshipType": "OTHER",
                    "comment": "evident-by: indicates the package's existence is evident by the given file",
                }
            )
    relationships += [
        {"spdxElementId": root["SPDXID"], "relatedSpdxElement": p["SPDXID"], "relationshipType": "CONTAINS"}
        for p in packages
    ]
    relationships.append(
        {"spdxElementId": "SPDXRef-DOCUMENT", "relatedSpdxElement": root["SPDXID"], "relationshipType": "DESCRIBES"}
    )
    kind = "image" if image_digest else "dir"
    namespace_name = name.replace(":", "-").replace("#", "-")
    return {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": name,
        "documentNamespace": f"https://anchore.com/syft/{kind}/{namespace_name}-{_uuid(name)}",
        "creationInfo": {
            "licenseListVersion": LICENSE_LIST_VERSION,
            "creators": ["Organization: Anchore, Inc", f"Tool: syft-{SYFT_VERSION}"],
            "created": CREATED,
        },
        "packages": [*packages, root],
        "files": sorted(files.values(), key=lambda f: f["fileName"]),
        "relationships": relationships,
    }


def _uuid(seed: str) -> str:
    h = hashlib.sha256(seed.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-8{h[17:20]}-{h[20:32]}"


def debian_sbom(
    *, image: str | None = None, languages: bool = True, versions: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A Debian 12 image's SPDX document: ~300 real deb packages, plus real pypi and npm ones.

    ``image=None`` is BuildKit's scanner (a directory named ``sbom``); ``image="debian:12"`` the syft CLI on an
    image, whose root carries a ``pkg:oci`` purl. ``versions`` maps a source package (``curl``, ``glibc``) to the
    version every binary of it gets instead of the frozen one: an older or newer build of the same image
    [invented: the frozen rows are one real system; other builds are made from it].
    """
    packages, evidence = [], {}
    for row in debian_source_versions(versions or {}):
        package = _package(
            "deb", row.name, row.version, deb_purl(row), person=_person(row.maintainer),
            source_info=f"acquired package info from DPKG DB: /usr/share/doc/{row.name}/copyright, {DPKG_STATUS}",
        )
        packages.append(package)
        evidence[package["SPDXID"]] = [DPKG_STATUS]
    for lang in language_rows() if languages else ():
        kind = "python" if lang.type == "pypi" else "npm"
        what = "installed python package" if lang.type == "pypi" else "installed node module"
        what += " manifest file"
        package = _package(kind, lang.name, lang.version, lang_purl(lang), person="NOASSERTION",
                           source_info=f"acquired package info from {what}: {lang.path}")
        packages.append(package)
        evidence[package["SPDXID"]] = [lang.path]
    return _document(image or "sbom", packages, evidence, _image_digest(image))


def alpine_sbom(*, image: str | None = None) -> dict[str, Any]:
    """alpine:3.20.2 with curl added, as Syft lists it: 24 real apk packages."""
    packages, evidence = [], {}
    for row in alpine_rows():
        package = _package(
            "apk", row.name, row.version, apk_purl(row), person=_person(row.maintainer),
            source_info="acquired package info from APK DB: /lib/apk/db/installed",
        )
        packages.append(package)
        evidence[package["SPDXID"]] = ["/lib/apk/db/installed"]
    digest = ALPINE_IMAGE_DIGEST if image else None
    return _document(image or "sbom", packages, evidence, digest)


def _image_digest(image: str | None) -> str | None:
    return f"sha256:{hashlib.sha256(image.encode()).hexdigest()}" if image else None  # [assumed]


# --- provenance ------------------------------------------------------------------------------------


def _materials(frontend: bool) -> list[dict[str, Any]]:
    materials = [{"uri": FRONTEND_IMAGE, "digest": {"sha256": FRONTEND_DIGEST}}] if frontend else []
    materials += [
        {"uri": BUILDER_IMAGE, "digest": {"sha256": BUILDER_DIGEST}},
        {"uri": BASE_IMAGE, "digest": {"sha256": BASE_DIGEST}},
        {"uri": f"{SOURCE_REPO}#{SOURCE_REF}", "digest": {"sha1": COMMIT}},
    ]
    return materials


def _request(mode: str, frontend: bool, remote: bool) -> dict[str, Any]:
    args: dict[str, Any] = {"target": "runtime"}
    if frontend:
        args |= {"cmdline": "docker/dockerfile:1", "source": "docker/dockerfile:1"}
    if mode == "max":
        args |= {"build-arg:PYTHON_VERSION": "3.11", "label:org.opencontainers.image.source": SOURCE_REPO[:-4]}
    if remote:
        args["context"] = f"{SOURCE_REPO}#{SOURCE_REF}"
        args["filename"] = DOCKERFILE
    request: dict[str, Any] = {
        "frontend": "gateway.v0" if frontend else "dockerfile.v0",
        "args": args,
        "locals": [] if remote else [{"name": "context"}, {"name": "dockerfile"}],
    }
    if mode == "max":
        request |= {"secrets": [{"id": "GIT_AUTH_TOKEN", "optional": True}], "ssh": []}
    return request


def _config_source(remote: bool, entry_key: str) -> dict[str, Any]:
    if not remote:  # a local context: only the Dockerfile's path [documented: the docs' mode=min example]
        return {entry_key: DOCKERFILE}
    return {"uri": f"{SOURCE_REPO}#{SOURCE_REF}", "digest": {"sha1": COMMIT}, entry_key: DOCKERFILE}


def _buildkit_metadata(mode: str) -> dict[str, Any]:
    # vcs comes from the client's vcs:source / vcs:revision options [documented: slsa-definitions.md]; buildx sends
    # them for a local checkout (the docs' examples); with a Git context too here [assumed], so that tests can
    # show configSource wins
    metadata: dict[str, Any] = {"vcs": {"source": SOURCE_REPO, "revision": COMMIT}}
    if mode == "max":
        dockerfile = "# syntax=docker/dockerfile:1\nFROM debian:12-slim\nRUN apt-get update\n"
        metadata["source"] = {
            "locations": {"step4": {"locations": [{"ranges": [{"start": {"line": 3}, "end": {"line": 3}}]}]}},
            "infos": [{
                "filename": DOCKERFILE,
                "data": base64.b64encode(dockerfile.encode()).decode(),
                "language": "Dockerfile",
            }],
        }
        metadata["layers"] = {
            "step2:0": [[{
                "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                "digest": "sha256:" + hashlib.sha256(b"debian:12-slim layer").hexdigest(),
                "size": 29126484,
            }]]
        }
    return metadata


def _llb() -> list[dict[str, Any]]:
    return [{
        "id": "step4",
        "op": {
            "Op": {"exec": {"meta": {"args": ["/bin/sh", "-c", "apt-get update"], "cwd": "/"},
                            "mounts": [{"input": 0, "dest": "/", "output": 0}]}},
            "platform": {"Architecture": "amd64", "OS": "linux"},
            "constraints": {},
        },
        "inputs": ["step3:0"],
    }]


def provenance_v02(*, mode: str = "min", remote: bool = True, frontend: bool = True,
                   builder_id: str = "") -> dict[str, Any]:
    """BuildKit's SLSA v0.2 predicate. ``remote``: built from a Git URL (configSource has uri and digest) rather
    than a local context (configSource has only entryPoint; the repository is in the vcs metadata)."""
    predicate: dict[str, Any] = {
        "builder": {"id": builder_id},
        "buildType": "https://mobyproject.org/buildkit@v1",
        "materials": _materials(frontend) if remote else _materials(frontend)[:-1],
        "invocation": {
            "configSource": _config_source(remote, "entryPoint"),
            "parameters": _request(mode, frontend, remote),
            "environment": {"platform": "linux/amd64"},
        },
    }
    if mode == "max":
        predicate["buildConfig"] = {"llbDefinition": _llb()}
    predicate["metadata"] = {
        "buildInvocationID": "q1ee8kyhf3w0xbm2mz4r5o6kp",
        "buildStartedOn": STARTED,
        "buildFinishedOn": FINISHED,
        "reproducible": False,
        "completeness": {"parameters": mode == "max", "environment": True, "materials": remote},
        "https://mobyproject.org/buildkit@v1#metadata": _buildkit_metadata(mode),
    }
    return predicate


def provenance_v1(*, mode: str = "min", remote: bool = True, frontend: bool = True,
                  builder_id: str = BUILDER_ID) -> dict[str, Any]:
    """BuildKit's SLSA v1 predicate (``version=v1``), same build as :func:`provenance_v02`."""
    internal: dict[str, Any] = {"builderPlatform": "linux/amd64"}
    if mode == "max":
        internal["buildConfig"] = {"llbDefinition": _llb()}
    return {
        "buildDefinition": {
            "buildType": "https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md",
            "externalParameters": {
                "configSource": _config_source(remote, "path"),
                "request": _request(mode, frontend, remote),
            },
            "internalParameters": internal,
            "resolvedDependencies": _materials(frontend) if remote else _materials(frontend)[:-1],
        },
        "runDetails": {
            "builder": {"id": builder_id},
            "metadata": {
                "invocationID": "q1ee8kyhf3w0xbm2mz4r5o6kp",
                "startedOn": STARTED,
                "finishedOn": FINISHED,
                "buildkit_metadata": _buildkit_metadata(mode),
                "buildkit_hermetic": False,
                "buildkit_completeness": {"request": mode == "max", "resolvedDependencies": remote},
                "buildkit_reproducible": False,
            },
        },
    }


def statement(predicate_type: str, predicate: dict[str, Any], subject_digest: str = SUBJECT_DIGEST, *,
              statement_type: str = IN_TOTO_V01,
              subject_name: str = "pkg:docker/acme-labs/inventory-api@1.4.2?platform=linux%2Famd64") -> bytes:
    """The in-toto Statement blob BuildKit stores (``subject_digest``: hex, with or without ``sha256:``)."""
    body = {
        "_type": statement_type,
        "predicateType": predicate_type,
        "subject": [{"name": subject_name, "digest": {"sha256": subject_digest.removeprefix("sha256:")}}],
        "predicate": predicate,
    }
    return json.dumps(body, indent=2, ensure_ascii=False).encode()
