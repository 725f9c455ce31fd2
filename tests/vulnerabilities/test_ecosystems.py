"""SBOM packages → OSV questions: source packages and releases for distributions, purls for language packages."""

from __future__ import annotations

import pytest

from hub_mcp.attestations.purl import parse_purl
from hub_mcp.attestations.sbom import Package
from hub_mcp.vulnerabilities.ecosystems import NotCovered, Query, query_for

DEBIAN = ("debian", "12")


def package(purl: str | None, name: str = "", version: str | None = None) -> Package:
    parsed = parse_purl(purl) if purl else None
    return Package(
        name=name or (parsed.name if parsed else "thing"),
        version=version if version is not None else (parsed.version if parsed else None),
        type=parsed.type if parsed else "unknown",
        purl=parsed,
    )


def test_a_debian_binary_is_asked_by_its_source_package_and_major_release() -> None:
    libssl = package("pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&upstream=openssl&distro=debian-12")
    query = query_for(libssl, DEBIAN)
    assert query == Query("Debian:12", "openssl", "3.0.15-1~deb12u1")
    assert query.body() == {"package": {"name": "openssl", "ecosystem": "Debian:12"}, "version": "3.0.15-1~deb12u1"}


def test_a_binnmu_is_asked_with_its_source_version_and_a_point_release_with_its_major() -> None:
    # dpkg-query on Debian 12: bash 5.2.15-2+b8 is built from source bash 5.2.15-2
    bash = package("pkg:deb/debian/bash@5.2.15-2%2Bb8?arch=amd64&upstream=bash%405.2.15-2&distro=debian-12.7")
    assert query_for(bash, DEBIAN) == Query("Debian:12", "bash", "5.2.15-2")


def test_a_binary_without_upstream_is_its_own_source_and_the_sbom_os_fills_a_missing_distro() -> None:
    zlib = package("pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64", version="1:1.2.13.dfsg-1")
    assert query_for(zlib, DEBIAN) == Query("Debian:12", "zlib1g", "1:1.2.13.dfsg-1")


def test_alpine_is_asked_by_origin_package_on_its_v_major_minor_branch() -> None:
    libssl = package("pkg:apk/alpine/libssl3@3.3.2-r0?arch=x86_64&upstream=openssl&distro=alpine-3.20.3")
    assert query_for(libssl, ("alpine", "3.20.3")) == Query("Alpine:v3.20", "openssl", "3.3.2-r0")


@pytest.mark.parametrize(
    ("release", "ecosystem"),
    [
        ("24.04", "Ubuntu:24.04:LTS"),
        ("22.04", "Ubuntu:22.04:LTS"),
        ("24.10", "Ubuntu:24.10"),
        ("23.04", "Ubuntu:23.04"),
    ],
)
def test_ubuntu_releases_carry_lts_as_osv_names_them(release: str, ecosystem: str) -> None:
    libc = package(f"pkg:deb/ubuntu/libc6@2.39-0ubuntu8.3?arch=amd64&upstream=glibc&distro=ubuntu-{release}")
    assert query_for(libc, ("ubuntu", release)) == Query(ecosystem, "glibc", "2.39-0ubuntu8.3")


def test_language_packages_are_asked_by_a_versioned_purl_without_a_separate_version() -> None:
    jinja = package("pkg:pypi/Jinja2@3.1.2")
    query = query_for(jinja, DEBIAN)
    assert isinstance(query, Query)
    assert query.body() == {"package": {"purl": "pkg:pypi/Jinja2@3.1.2"}}  # never also "version": OSV answers 400
    assert (query.ecosystem, query.name, query.version) == ("PyPI", "jinja2", "3.1.2")


def test_scoped_npm_maven_and_go_names_are_written_as_osv_names_them() -> None:
    scoped = query_for(package("pkg:npm/%40angular/core@17.0.0"), None)
    maven = query_for(package("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"), None)
    go = query_for(package("pkg:golang/golang.org/x/net@v0.17.0"), None)
    stdlib = query_for(package("pkg:golang/stdlib@go1.22.1"), None)
    assert isinstance(scoped, Query) and scoped.name == "@angular/core"
    assert scoped.purl == "pkg:npm/%40angular/core@17.0.0"
    assert isinstance(maven, Query)
    assert (maven.ecosystem, maven.name) == ("Maven", "org.apache.logging.log4j:log4j-core")
    assert isinstance(go, Query) and (go.name, go.purl) == ("golang.org/x/net", "pkg:golang/golang.org/x/net@v0.17.0")
    assert isinstance(stdlib, Query) and stdlib.purl == "pkg:golang/stdlib@1.22.1"


def test_qualifiers_are_not_sent_in_a_purl_query() -> None:
    query = query_for(package("pkg:pypi/requests@2.31.0?file_name=requests-2.31.0.tar.gz"), None)
    assert isinstance(query, Query) and query.purl == "pkg:pypi/requests@2.31.0"


@pytest.mark.parametrize(
    ("given", "os", "reason"),
    [
        (package(None, name="/usr/local/bin/python3.12"), DEBIAN, "no package URL"),
        (package("pkg:pypi/requests", version=""), DEBIAN, "no version"),
        (package("pkg:golang/example.com/app@(devel)"), DEBIAN, "no version"),
        (package("pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?distro=rhel-9.4"), None, "rpm packages of rhel"),
        (package("pkg:rpm/fedora/curl@8.6.0-7.fc40?distro=fedora-40"), None, "rpm packages of fedora"),
        (package("pkg:generic/openjdk@21.0.4"), DEBIAN, "no ecosystem for generic packages"),
        (package("pkg:apk/alpine/musl@1.2.5-r1?distro=alpine-3.21_alpha20240807"), None, "development release"),
        (package("pkg:deb/debian/libc6@2.41-4?arch=amd64"), None, "does not say which distribution"),
        (package("pkg:deb/debian/libc6@2.41-4?distro=debian-"), None, "needs a numbered release"),
    ],
)
def test_packages_osv_cannot_be_asked_about_say_why(given: Package, os: tuple[str, str] | None, reason: str) -> None:
    answer = query_for(given, os)
    assert isinstance(answer, NotCovered)
    assert reason in answer.reason and answer.package == given.name


def test_almalinux_rpms_are_asked_by_source_rpm_with_the_epoch() -> None:
    purl = (
        "pkg:rpm/almalinux/openssl-libs@3.0.7-27.el9"
        "?epoch=1&upstream=openssl-3.0.7-27.el9.src.rpm&distro=almalinux-9.4"
    )
    assert query_for(package(purl), None) == Query("AlmaLinux:9", "openssl", "1:3.0.7-27.el9")
