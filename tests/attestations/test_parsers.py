"""The attestation parsers (issue 18, a first step) against documented shapes.

Sources of the inputs: purls from package-url/purl-spec's own test suite (test-suite-data.json);
the v0.2 provenance from docs.docker.com "Provenance attestations" (its min-mode example, trimmed);
the v1 field paths from moby/buildkit docs/attestations/slsa-definitions.md; the SPDX package shape
(name, versionInfo, externalRefs with a purl locator) from the SPDX 2.3 specification, with Debian
bookworm's real package names and versions as Syft reports them (security-facts.md quotes one).
"""

from __future__ import annotations

import json

import pytest

from hub_mcp.attestations import sbom as sbom_module
from hub_mcp.attestations.provenance import parse_provenance
from hub_mcp.attestations.purl import parse_purl
from hub_mcp.attestations.sbom import parse_spdx
from hub_mcp.attestations.statements import SLSA_V1, SLSA_V02, SPDX, NotAStatement, parse_statement

# --- purl --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "namespace", "name", "version", "qualifiers"),
    [
        ("pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie", "deb", "debian", "curl", "7.50.3-1",
         {"arch": "i386", "distro": "jessie"}),
        ("pkg:npm/%40angular/animation@12.3.1", "npm", "@angular", "animation", "12.3.1", {}),
        ("pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?packaging=sources", "maven", "org.apache.xmlgraphics",
         "batik-anim", "1.9.1", {"packaging": "sources"}),
        ("pkg:docker/customer/dockerimage@sha256%3A244fd47e07d10?repository_url=gcr.io", "docker", "customer",
         "dockerimage", "sha256:244fd47e07d10", {"repository_url": "gcr.io"}),
        ("pkg:golang/github.com/gorilla/context@234fd47e07d1004f0aed9c", "golang", "github.com/gorilla", "context",
         "234fd47e07d1004f0aed9c", {}),
        ("pkg:PYPI/django@1.11.1", "pypi", None, "django", "1.11.1", {}),
        ("pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.3", "apk", "alpine", "musl", "1.2.5-r0",
         {"arch": "x86_64", "distro": "alpine-3.20.3"}),
    ],
)
def test_package_urls_read_as_the_spec_says(text, kind, namespace, name, version, qualifiers) -> None:  # type: ignore[no-untyped-def]
    purl = parse_purl(text)
    assert purl is not None
    assert (purl.type, purl.namespace, purl.name, purl.version, purl.qualifiers) == (
        kind, namespace, name, version, qualifiers
    )


@pytest.mark.parametrize("text", ["https://example.com/x", "pkg:", "pkg:deb", "pkg:/name", "", "pkg:deb/" + "a" * 3000])
def test_what_is_not_a_package_url_is_none(text: str) -> None:
    assert parse_purl(text) is None


def test_the_source_package_of_an_os_package() -> None:
    purl = parse_purl("pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&upstream=openssl&distro=debian-12")
    assert purl is not None and (purl.upstream, purl.distro) == ("openssl", "debian-12")
    with_version = parse_purl("pkg:deb/debian/libc6@2.36-9+deb12u9?upstream=glibc%402.36-9%2Bdeb12u9")
    assert with_version is not None and with_version.upstream == "glibc"


# --- statements ----------------------------------------------------------------------------------


def _statement(predicate_type: str, predicate: dict, kind: str = "https://in-toto.io/Statement/v0.1") -> bytes:
    subject = [{"name": "pkg:docker/python@3.12-slim?platform=linux%2Famd64", "digest": {"sha256": "AB" * 32}}]
    return json.dumps({"_type": kind, "subject": subject, "predicateType": predicate_type, "predicate": predicate}).encode()


@pytest.mark.parametrize("kind", ["https://in-toto.io/Statement/v0.1", "https://in-toto.io/Statement/v1"])
def test_a_statement_gives_its_predicate_and_subject(kind: str) -> None:
    statement = parse_statement(_statement(SPDX, {"spdxVersion": "SPDX-2.3"}, kind))
    assert statement.predicate_type == SPDX and statement.predicate == {"spdxVersion": "SPDX-2.3"}
    assert statement.subjects[0].digest() == "sha256:" + "ab" * 32


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"not json", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"_type": "https://example.com/other"}', "_type"),
        (_statement("", {}), "predicateType"),
        (b'{"_type": "https://in-toto.io/Statement/v1", "predicateType": "x", "predicate": [1]}', "predicate"),
        (b'{"a": ' * 100 + b"1" + b"}" * 100, "nested deeper"),
    ],
)
def test_what_is_not_a_statement_says_why(data: bytes, why: str) -> None:
    with pytest.raises(NotAStatement) as refused:
        parse_statement(data)
    assert why in str(refused.value)


# --- SPDX ----------------------------------------------------------------------------------------

BOOKWORM = [  # name, version, upstream (Debian 12 packages of python:3.12-slim, as Syft names them)
    ("libc6", "2.36-9+deb12u9", "glibc"),
    ("libssl3", "3.0.15-1~deb12u1", "openssl"),
    ("zlib1g", "1:1.2.13.dfsg-1", "zlib"),
    ("bash", "5.2.15-2+b7", None),
    ("ca-certificates", "20230311", None),
]


def _spdx(category: str = "PACKAGE-MANAGER") -> dict:
    packages = [
        {
            "name": name,
            "SPDXID": f"SPDXRef-Package-deb-{name}",
            "versionInfo": version,
            "externalRefs": [
                {"referenceCategory": "SECURITY", "referenceType": "cpe23Type", "referenceLocator": f"cpe:2.3:a:{name}"},
                {
                    "referenceCategory": category,
                    "referenceType": "purl",
                    "referenceLocator": f"pkg:deb/debian/{name}@{version}?arch=amd64"
                    + (f"&upstream={upstream}" if upstream else "")
                    + "&distro=debian-12",
                },
            ],
        }
        for name, version, upstream in BOOKWORM
    ]
    packages.append(
        {
            "name": "pip",
            "versionInfo": "24.3.1",
            "externalRefs": [{"referenceCategory": category, "referenceType": "purl", "referenceLocator": "pkg:pypi/pip@24.3.1"}],
        }
    )
    packages.append({"name": "/usr/local/bin/python3.12", "SPDXID": "SPDXRef-File"})  # no purl: counted, not dropped
    return {"spdxVersion": "SPDX-2.3", "packages": packages}


@pytest.mark.parametrize("category", ["PACKAGE-MANAGER", "PACKAGE_MANAGER"])  # SPDX 2.3 and 2.2 spellings
def test_an_spdx_document_gives_its_packages_by_type_and_the_os(category: str) -> None:
    found = parse_spdx(_spdx(category))
    assert found.counts() == {"deb": 5, "pypi": 1, "unknown": 1}
    assert found.os == ("debian", "12") and found.spdx_version == "SPDX-2.3" and not found.truncated
    by_name = {p.name: p for p in found.packages}
    assert by_name["libssl3"].version == "3.0.15-1~deb12u1" and by_name["libssl3"].purl is not None
    assert by_name["libssl3"].purl.upstream == "openssl"
    assert by_name["/usr/local/bin/python3.12"].type == "unknown"


def test_a_document_past_the_package_limit_says_it_was_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sbom_module, "MAX_PACKAGES", 3)
    found = parse_spdx(_spdx())
    assert len(found.packages) == 3 and found.truncated


def test_a_document_without_packages_is_empty_not_an_error() -> None:
    found = parse_spdx({"spdxVersion": "SPDX-2.3", "packages": "nonsense"})
    assert found.packages == () and found.os is None


# --- provenance ----------------------------------------------------------------------------------

V02 = {  # docs.docker.com "Provenance attestations", mode=min (trimmed to the fields read)
    "builder": {"id": ""},
    "buildType": "https://mobyproject.org/buildkit@v1",
    "materials": [
        {"uri": "pkg:docker/docker/dockerfile@1", "digest": {"sha256": "9ba7531bd80fb0a858632727cf7a112fbfd19b17e94c4e84ced81e24ef1a0dbc"}},
        {
            "uri": "pkg:docker/golang@1.19.4-alpine?platform=linux%2Farm64",
            "digest": {"sha256": "a9b24b67dc83b3383d22a14941c2b2b2ca6a103d805cac6820fd1355943beaf1"},
        },
        {"uri": "https://github.com/docker/buildx.git#refs/heads/master", "digest": {"sha1": "x"}},
    ],
    "invocation": {
        "configSource": {
            "uri": "https://github.com/docker/buildx.git#refs/heads/master",
            "digest": {"sha1": "6c9ef2d6ac8cb0e8f7a4a6fa0a4fd4b2a1e7b5a8"},
            "entryPoint": "Dockerfile",
        },
        "parameters": {"frontend": "gateway.v0", "args": {"source": "docker/dockerfile:1"}},
    },
    "metadata": {"buildStartedOn": "2023-01-30T11:48:52.941474479Z", "buildFinishedOn": "2023-01-30T11:49:59.470244716Z"},
}


def test_slsa_v02_gives_source_commit_dockerfile_times_and_the_base_image() -> None:
    found = parse_provenance(parse_statement(_statement(SLSA_V02, V02)))
    assert found is not None and found.slsa_version == "0.2"
    assert (found.source, found.commit, found.dockerfile) == (
        "https://github.com/docker/buildx.git#refs/heads/master",
        "6c9ef2d6ac8cb0e8f7a4a6fa0a4fd4b2a1e7b5a8",
        "Dockerfile",
    )
    assert (found.started, found.finished) == ("2023-01-30T11:48:52.941474479Z", "2023-01-30T11:49:59.470244716Z")
    assert found.builder is None  # an empty id is not a builder
    assert [(i.reference, i.platform) for i in found.base_images] == [("golang:1.19.4-alpine", "linux/arm64")]
    assert found.base_images[0].digest == "sha256:a9b24b67dc83b3383d22a14941c2b2b2ca6a103d805cac6820fd1355943beaf1"
    assert [i.reference for i in found.images if i.frontend] == ["docker/dockerfile:1"]


def test_a_custom_frontend_named_by_the_request_is_not_a_base_image() -> None:
    predicate = json.loads(json.dumps(V02))
    predicate["materials"][0]["uri"] = "pkg:docker/acme/frontend@2"
    predicate["invocation"]["parameters"]["args"] = {"source": "acme/frontend:2"}
    found = parse_provenance(parse_statement(_statement(SLSA_V02, predicate)))
    assert found is not None and [i.reference for i in found.base_images] == ["golang:1.19.4-alpine"]
    # under the other reading (no args given), only the documented Dockerfile frontend is known as one
    del predicate["invocation"]["parameters"]["args"]
    unsure = parse_provenance(parse_statement(_statement(SLSA_V02, predicate)))
    assert unsure is not None and [i.reference for i in unsure.base_images] == ["acme/frontend:2", "golang:1.19.4-alpine"]


def test_slsa_v1_reads_the_same_facts_from_its_own_fields() -> None:
    predicate = {
        "buildDefinition": {
            "buildType": "https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md",
            "externalParameters": {
                "configSource": {"uri": "https://github.com/acme/app.git", "digest": {"sha1": "abc123"}, "path": "build/Dockerfile"},
                "request": {"frontend": "dockerfile.v0", "args": {}},
            },
            "resolvedDependencies": [
                {"uri": "pkg:docker/python@3.12-slim?platform=linux%2Famd64", "digest": {"sha256": "cd" * 32}},
            ],
        },
        "runDetails": {
            "builder": {"id": "https://github.com/acme/app/actions/runs/1"},
            "metadata": {"startedOn": "2026-11-01T10:00:00Z", "finishedOn": "2026-11-01T10:03:00Z"},
        },
    }
    found = parse_provenance(parse_statement(_statement(SLSA_V1, predicate, "https://in-toto.io/Statement/v1")))
    assert found is not None and found.slsa_version == "1"
    assert (found.source, found.commit, found.dockerfile, found.builder) == (
        "https://github.com/acme/app.git", "abc123", "build/Dockerfile", "https://github.com/acme/app/actions/runs/1"
    )
    assert [(i.reference, i.digest) for i in found.base_images] == [("python:3.12-slim", "sha256:" + "cd" * 32)]


def test_another_predicate_is_not_provenance() -> None:
    assert parse_provenance(parse_statement(_statement(SPDX, {}))) is None
