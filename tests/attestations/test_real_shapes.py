"""The attestation parsers against documents in the shape Syft and BuildKit write, with real package data (issue 18).

Every expectation is computed from the frozen data files behind :mod:`tests.fakes.sboms`, never typed in, so a
row added to the data is checked the same way. Sources of the shapes: that module's docstring.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from hub_mcp.attestations.provenance import Provenance, parse_provenance
from hub_mcp.attestations.sbom import Package, Sbom, parse_spdx
from hub_mcp.attestations.statements import SLSA_V1, SLSA_V02, SPDX, parse_statement
from tests.fakes import sboms


def _spdx_through_a_statement(document: dict[str, Any], statement_type: str) -> Sbom:
    statement = parse_statement(sboms.statement(SPDX, document, statement_type=statement_type))
    assert statement.subjects[0].digest() == f"sha256:{sboms.SUBJECT_DIGEST}"
    return parse_spdx(statement.predicate)


def _by_type_and_name(found: Sbom) -> dict[tuple[str, str], Package]:
    index = {(p.type, p.name): p for p in found.packages}
    assert len(index) == len(found.packages), "each package once"
    return index


# --- SPDX: Debian 12 -------------------------------------------------------------------------------

DEBIAN_ROOTS = [None, "debian:12"]  # BuildKit's scanner (a directory root) and the syft CLI (an image root)


@pytest.mark.parametrize("image", DEBIAN_ROOTS)
@pytest.mark.parametrize("statement_type", [sboms.IN_TOTO_V01, sboms.IN_TOTO_V1])
def test_a_debian_sbom_counts_the_packages_the_data_holds_by_type(image: str | None, statement_type: str) -> None:
    found = _spdx_through_a_statement(sboms.debian_sbom(image=image), statement_type)
    expected = Counter({"deb": len(sboms.debian_rows())})
    expected.update(row.type for row in sboms.language_rows())
    assert found.counts() == dict(expected)  # the document root (directory or image) is not a package
    assert found.os == ("debian", "12") and found.spdx_version == "SPDX-2.3" and not found.truncated
    assert list(found.counts()) == [kind for kind, _ in sorted(expected.items(), key=lambda i: (-i[1], i[0]))]


def test_every_debian_package_has_its_data_version_and_source_package() -> None:
    found = _by_type_and_name(parse_spdx(sboms.debian_sbom()))
    for row in sboms.debian_rows():
        package = found[("deb", row.name)]
        assert package.version == row.version, row.name
        assert package.purl is not None and package.purl.version == row.version  # percent-decoded: + : ~
        assert package.purl.upstream == sboms.deb_upstream(row), row.name
        assert (package.purl.namespace, package.purl.distro, package.purl.qualifiers["arch"]) == (
            "debian", "debian-12", row.arch
        )
    for lang in sboms.language_rows():
        package = found[(lang.type, lang.name)]  # the SPDX name keeps an npm scope: "@npmcli/agent"
        assert package.version == lang.version and package.purl is not None and package.purl.distro is None


def test_the_data_exercises_each_upstream_form_syft_writes() -> None:
    rows = sboms.debian_rows()
    kinds = {(bool(row.source), bool(row.source_version)) for row in rows}
    assert kinds == {(False, False), (True, False), (True, True)}  # none, name only, name@version
    assert any("+" in row.version or ":" in row.version or "~" in row.version for row in rows)
    with_version = next(row for row in rows if row.source_version)
    assert f"upstream={with_version.source}%40" in sboms.deb_purl(with_version)


# --- SPDX: Alpine 3.20 -------------------------------------------------------------------------------


@pytest.mark.parametrize("image", [None, "alpine:3.20.2"])
def test_an_alpine_sbom_counts_its_apk_packages_and_names_the_release(image: str | None) -> None:
    found = _spdx_through_a_statement(sboms.alpine_sbom(image=image), sboms.IN_TOTO_V1)
    assert found.counts() == {"apk": len(sboms.alpine_rows())}
    assert found.os == ("alpine", "3.20.2") and found.os[1].startswith("3.20")


def test_every_alpine_package_has_its_data_version_and_origin() -> None:
    found = _by_type_and_name(parse_spdx(sboms.alpine_sbom()))
    for row in sboms.alpine_rows():
        package = found[("apk", row.name)]
        assert package.version == row.version and package.purl is not None
        assert package.purl.upstream == sboms.apk_upstream(row), row.name  # Syft omits it when origin == name
    assert any(sboms.apk_upstream(row) for row in sboms.alpine_rows())
    assert any(sboms.apk_upstream(row) is None for row in sboms.alpine_rows())


# --- the document root and what has no purl ---------------------------------------------------------------


def test_a_package_without_purl_that_is_not_the_document_root_counts_as_unknown() -> None:
    document = sboms.debian_sbom(languages=False)
    document["packages"].insert(0, {"name": "usr/local/bin/app", "SPDXID": "SPDXRef-Package-binary-app-1",
                                    "versionInfo": "", "filesAnalyzed": False})
    found = parse_spdx(document)
    assert found.counts() == {"deb": len(sboms.debian_rows()), "unknown": 1}
    assert _by_type_and_name(found)[("unknown", "usr/local/bin/app")].version is None


@pytest.mark.parametrize("purpose", ["CONTAINER", "FILE"])
def test_the_root_is_known_by_the_describes_relationship_whatever_its_id(purpose: str) -> None:
    document = sboms.alpine_sbom()
    root = document["packages"][-1]
    old_id, root["SPDXID"], root["primaryPackagePurpose"] = root["SPDXID"], "SPDXRef-Something-7", purpose
    for relationship in document["relationships"]:
        for key in ("spdxElementId", "relatedSpdxElement"):
            if relationship[key] == old_id:
                relationship[key] = "SPDXRef-Something-7"
    assert parse_spdx(document).counts() == {"apk": len(sboms.alpine_rows())}


def test_a_described_package_that_is_software_is_still_counted() -> None:
    # an SBOM of one application: the document DESCRIBES the application package itself
    document = {
        "spdxVersion": "SPDX-2.3",
        "packages": [
            {"name": "inventory-api", "SPDXID": "SPDXRef-Package-app", "versionInfo": "1.4.2",
             "primaryPackagePurpose": "APPLICATION",
             "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                               "referenceLocator": "pkg:pypi/inventory-api@1.4.2"}]},
        ],
        "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relatedSpdxElement": "SPDXRef-Package-app",
                           "relationshipType": "DESCRIBES"}],
    }
    assert parse_spdx(document).counts() == {"pypi": 1}


def test_an_operating_system_entry_is_not_a_package() -> None:
    # other SPDX writers (Trivy) list the distribution as a package of purpose OPERATING-SYSTEM, without purl
    document = sboms.alpine_sbom()
    document["packages"].append({"name": "alpine", "SPDXID": "SPDXRef-OperatingSystem-1", "versionInfo": "3.20.2",
                                 "primaryPackagePurpose": "OPERATING-SYSTEM"})
    found = parse_spdx(document)
    assert found.counts() == {"apk": len(sboms.alpine_rows())} and found.os == ("alpine", "3.20.2")


# --- provenance ------------------------------------------------------------------------------------

BASES = [  # (reference, digest) of the images the fake build pulled that are not its frontend
    ("python:3.11-slim-bookworm", f"sha256:{sboms.BUILDER_DIGEST}"),
    ("debian:12-slim", f"sha256:{sboms.BASE_DIGEST}"),
]


def _provenance(version: str, mode: str, **options: Any) -> Provenance:
    if version == "0.2":
        blob = sboms.statement(SLSA_V02, sboms.provenance_v02(mode=mode, **options))
    else:
        blob = sboms.statement(SLSA_V1, sboms.provenance_v1(mode=mode, **options))
    found = parse_provenance(parse_statement(blob))
    assert found is not None and found.slsa_version == version
    return found


@pytest.mark.parametrize(("version", "mode"), [("0.2", "min"), ("0.2", "max"), ("1", "min"), ("1", "max")])
def test_provenance_from_a_git_context_gives_source_commit_dockerfile_times_and_bases(version: str, mode: str) -> None:
    found = _provenance(version, mode)
    assert (found.source, found.commit, found.dockerfile) == (
        f"{sboms.SOURCE_REPO}#{sboms.SOURCE_REF}", sboms.COMMIT, sboms.DOCKERFILE
    )
    assert (found.started, found.finished) == (sboms.STARTED, sboms.FINISHED)
    assert [(i.reference, i.digest) for i in found.base_images] == BASES
    assert all(i.platform == "linux/amd64" for i in found.base_images)
    assert [i.reference for i in found.images if i.frontend] == ["docker/dockerfile:1"]


@pytest.mark.parametrize("version", ["0.2", "1"])
def test_the_builder_id_is_read_and_an_empty_one_is_none(version: str) -> None:
    assert _provenance(version, "min", builder_id="https://github.com/acme-labs/inventory-api/actions/runs/1").builder
    assert _provenance(version, "min", builder_id="").builder is None


@pytest.mark.parametrize("version", ["0.2", "1"])
def test_a_build_without_syntax_line_has_no_frontend_image(version: str) -> None:
    found = _provenance(version, "max", frontend=False)
    assert [(i.reference, i.digest) for i in found.images] == BASES and found.base_images == found.images


@pytest.mark.parametrize(("version", "mode"), [("0.2", "min"), ("0.2", "max"), ("1", "min"), ("1", "max")])
def test_a_local_context_build_names_its_repository_from_the_vcs_hint(version: str, mode: str) -> None:
    # `docker buildx build .` in a checkout: configSource has only the Dockerfile's path, and the repository and
    # revision are the client's vcs:* options, which BuildKit does not check (docs.docker.com's mode=min example)
    found = _provenance(version, mode, remote=False)
    assert (found.source, found.commit, found.dockerfile) == (sboms.SOURCE_REPO, sboms.COMMIT, sboms.DOCKERFILE)
    assert found.vcs_hint
    assert [(i.reference, i.digest) for i in found.base_images] == BASES


@pytest.mark.parametrize("version", ["0.2", "1"])
def test_a_git_context_build_is_not_a_hint_even_with_vcs_metadata(version: str) -> None:
    found = _provenance(version, "min")
    assert found.source == f"{sboms.SOURCE_REPO}#{sboms.SOURCE_REF}" and not found.vcs_hint


# --- the release from the distro qualifier, as each writer spells it ---------------------------------------


@pytest.mark.parametrize(
    ("purl", "os"),
    [
        # Syft: <os-release ID>-<VERSION_ID> (anchore/syft syft/pkg/url.go); an ID may hold a dash
        ("pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12", ("debian", "12")),
        ("pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.2", ("alpine", "3.20.2")),
        ("pkg:rpm/opensuse/bash@5.2.15-150500.3.2?arch=x86_64&distro=opensuse-leap-15.5", ("opensuse-leap", "15.5")),
        # Trivy: apk gives the version alone, the distribution is the namespace (aquasecurity/trivy pkg/purl/purl.go)
        ("pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=3.20.2", ("alpine", "3.20.2")),
        ("pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12.7", ("debian", "12.7")),
        # the purl-spec's own example: a codename
        ("pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie", ("jessie", "")),
    ],
)
def test_the_release_is_read_from_each_writers_distro_qualifier(purl: str, os: tuple[str, str]) -> None:
    package = {"name": "x", "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                                              "referenceLocator": purl}]}
    assert parse_spdx({"packages": [package]}).os == os


def test_an_sbom_from_2022_buildkit_counts_its_alpine_packages_as_apk() -> None:
    # moby/buildkit docs/attestations/sbom.md's example (Syft of late 2022): SPDX-2.2, PACKAGE_MANAGER, and the
    # purl type "alpine" without namespace, before Syft moved to the purl-spec's pkg:apk/alpine/...
    package = {
        "SPDXID": "SPDXRef-980737451f148c56",
        "name": "busybox",
        "versionInfo": "1.35.0-r17",
        "externalRefs": [
            {"referenceCategory": "SECURITY", "referenceType": "cpe23Type",
             "referenceLocator": "cpe:2.3:a:busybox:busybox:1.35.0-r17:*:*:*:*:*:*:*"},
            {"referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl",
             "referenceLocator": "pkg:alpine/busybox@1.35.0-r17?arch=aarch64&upstream=busybox&distro=alpine-3.16.2"},
        ],
    }
    found = parse_spdx({"spdxVersion": "SPDX-2.2", "name": "/run/src/core", "packages": [package]})
    assert found.counts() == {"apk": 1} and found.os == ("alpine", "3.16.2")
    assert found.packages[0].purl is not None and found.packages[0].purl.upstream == "busybox"
