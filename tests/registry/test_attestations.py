"""Finding and reading what images say about themselves (issue 18, part 1): BuildKit's attestation manifests and
OCI 1.1 referrers, on the real registry (docker-registry 2.8: no referrers API, so the tag fallback) and on an
in-process registry with the referrers API (tests/fakes/attestations.py says what is documented there)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
import respx

from hub_mcp.attestations.provenance import parse_provenance
from hub_mcp.attestations.sbom import parse_spdx
from hub_mcp.errors import InvalidInput, NotFound, TooLarge, Upstream
from hub_mcp.net.http import BODY_LIMITS, HttpClient
from hub_mcp.registry import RegistryClient
from hub_mcp.registry.attestations import (
    MAX_ATTESTATION_MANIFESTS,
    AttestationRef,
    ImageAttestations,
    referrers_tag,
)
from hub_mcp.registry.models import Descriptor
from hub_mcp.vocab.references import ImageReference, Platform
from tests.fakes import attestations as fake
from tests.fakes import images
from tests.registry.conftest import FakeClock, Pushed

PLATFORMS = ("linux/amd64", "linux/arm64/v8")
NOTARY = "application/vnd.cncf.notary.signature"


def two_platforms(label: str) -> list[images.BuiltImage]:
    out = []
    for platform in PLATFORMS:
        _os, arch, *rest = platform.split("/")
        files = [{"etc/os-release": b'ID=debian\nVERSION_ID="12"\n', "bin/app": f"{label} {platform}".encode()}]
        out.append(images.make_image(architecture=arch, variant=rest[0] if rest else None, layer_files=files))
    return out


@dataclass(frozen=True)
class Attested:
    pushed: Pushed
    buildkit: images.BuiltIndex  # attest/app:1.0, SBOM + provenance per platform
    plain: images.BuiltIndex  # attest/plain:1.0, no attestations
    listed: images.BuiltIndex  # attest/list:1.0, a Docker manifest list
    oras: images.BuiltIndex  # attest/oras:1.0, referrers by the tag schema only
    broken: images.BuiltIndex  # attest/broken:1.0, an attestation layer that is not a Statement

    def ref(self, name: str) -> ImageReference:
        return ImageReference.parse(f"{self.pushed.host}/{name}")


@pytest.fixture(scope="module")
def attested(registry: Pushed) -> Iterator[Attested]:
    buildkit = fake.attested_index(two_platforms("buildkit"))
    plain = images.make_index(two_platforms("plain"), attest=False)
    listed = images.make_index(
        [images.make_image(architecture="amd64", oci=False), images.make_image(architecture="arm64", oci=False)],
        oci=False,
    )
    oras = images.make_index(two_platforms("oras"), attest=False)
    broken_images = two_platforms("broken")
    broken = fake.attested_index(
        broken_images,
        [fake.buildkit_attestation(image, [(fake.SPDX, b'{"hello": "world"}')]) for image in broken_images],
    )
    amd64 = oras.images[0]
    sbom_document = images.canonical_json(
        {"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "oras", "packages": []}
    )
    with registry.registry.client() as client:
        fake.push_attested_index(client, "attest/app", "1.0", buildkit)
        images.push_index(client, "attest/plain", "1.0", plain)
        images.push_index(client, "attest/list", "1.0", listed)
        fake.push_attested_index(client, "attest/broken", "1.0", broken)
        images.push_index(client, "attest/oras", "1.0", oras)
        fake.push_referrers_tag(
            client,
            "attest/oras",
            amd64.manifest.digest,
            [
                fake.referrer(amd64.manifest, fake.SPDX_JSON, [images.Blob(fake.SPDX_JSON, sbom_document)]),
                fake.referrer(amd64.manifest, NOTARY, [images.Blob("application/jose+json", b'{"sig": "x"}')]),
            ],
        )
        bundle = fake.sigstore_bundle(fake.provenance_statement(amd64))
        fake.push_referrers_tag(
            client,
            "attest/oras",
            oras.manifest.digest,
            [
                fake.referrer(
                    oras.manifest,
                    fake.SIGSTORE_BUNDLE,
                    [images.Blob(fake.SIGSTORE_BUNDLE, bundle)],
                    annotations={"dev.sigstore.bundle.content": "dsse-envelope",
                                 "dev.sigstore.bundle.predicateType": fake.SLSA_V02},
                )
            ],
        )
    yield Attested(registry, buildkit, plain, listed, oras, broken)


def kinds(found: ImageAttestations) -> list[tuple[str, str]]:
    return [(ref.predicate_type, ref.via) for ref in found.found]


# --- BuildKit's storage, on the real registry -----------------------------------------------------------


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_each_platform_gets_its_own_attestations(attested: Attested, http: HttpClient, platform: str) -> None:
    client = RegistryClient(http)
    found = await client.find_attestations(attested.ref("attest/app:1.0"), Platform.parse(platform))

    image = next(i for i in attested.buildkit.images if i.platform == platform)
    assert str(found.platform) == platform
    assert found.manifest_digest == image.manifest.digest
    assert found.index_digest == attested.buildkit.manifest.digest
    assert kinds(found) == [(fake.SPDX, "index"), (fake.SLSA_V02, "index")]
    assert found.looked == ("the image index",)

    sbom = await client.read_statement(found.reference, found.of_type(fake.SPDX)[0])
    assert [s.digest() for s in sbom.subjects] == [image.manifest.digest]  # this platform's, not the other's
    packages = parse_spdx(sbom.predicate)
    arch = image.architecture
    assert {p.purl.qualifiers["arch"] for p in packages.packages if p.purl and p.type == "deb"} == {arch}
    assert packages.os == ("debian", "12")
    assert packages.counts() == {"deb": 4, "pypi": 1}

    provenance = parse_provenance(await client.read_statement(found.reference, found.of_type(fake.SLSA_V02)[0]))
    assert provenance is not None
    [base] = provenance.base_images
    assert (base.reference, base.digest, base.platform) == ("debian:12-slim", fake.DEBIAN_SLIM_DIGEST, platform)


async def test_the_cold_buildkit_path_costs_the_index_and_one_attestation_manifest(
    attested: Attested, http: HttpClient, clock: FakeClock
) -> None:
    client = RegistryClient(http, clock=clock)
    start = http.requests_sent
    found = await client.find_attestations(attested.ref("attest/app:1.0"), Platform.parse("arm64"))
    assert http.requests_sent - start == 2  # the index, the arm64 attestation manifest; no referrers asked

    start = http.requests_sent
    for attestation in found.found:
        await client.read_statement(found.reference, attestation)
    assert http.requests_sent - start == 2  # one blob each

    start = http.requests_sent
    again = await client.find_attestations(attested.ref("attest/app:1.0"), Platform.parse("arm64"))
    for attestation in again.found:
        await client.read_statement(again.reference, attestation)
    assert again == found
    assert http.requests_sent - start == 0  # tag within its TTL, manifests and parsed statements cached

    start = http.requests_sent
    await client.find_attestations(attested.ref("attest/app:1.0"), Platform.parse("amd64"))
    assert http.requests_sent - start == 1  # the other platform: only its attestation manifest


async def test_asked_for_referrers_it_also_looks_there(attested: Attested, http: HttpClient) -> None:
    client = RegistryClient(http)
    start = http.requests_sent
    found = await client.find_attestations(attested.ref("attest/app:1.0"), referrers=True)
    manifest, index = found.manifest_digest, found.index_digest
    assert index is not None
    assert kinds(found) == [(fake.SPDX, "index"), (fake.SLSA_V02, "index")]
    assert found.looked == (
        "the image index",
        "the referrers API",
        f"the referrers tag {referrers_tag(manifest)}",
        f"the referrers tag {referrers_tag(index)}",
    )
    # index, attestation manifest, referrers API (404), both tags (404): the API is not asked twice
    assert http.requests_sent - start == 5


async def test_an_index_without_attestations_says_where_it_looked(attested: Attested, http: HttpClient) -> None:
    client = RegistryClient(http)
    start = http.requests_sent
    found = await client.find_attestations(attested.ref("attest/plain:1.0"))
    assert found.found == ()
    assert found.manifest_digest == attested.plain.images[0].manifest.digest
    assert found.looked == (
        "the image index",
        "the referrers API",
        f"the referrers tag sha256-{found.manifest_digest[7:]}",
        f"the referrers tag sha256-{attested.plain.manifest.digest[7:]}",
    )
    assert http.requests_sent - start == 4  # index, referrers API (404), two referrers tags (404)
    start = http.requests_sent
    again = await client.find_attestations(attested.ref("attest/plain:1.0"))
    assert again.found == () and again.looked == found.looked
    assert http.requests_sent - start == 2  # the two tags: a registry without the API is not asked for it again


async def test_index_only_never_probes_the_referrers(attested: Attested, http: HttpClient) -> None:
    """The advisor's lookups stay in the index: on Docker Hub every manifest read may count as a pull."""
    client = RegistryClient(http)
    start = http.requests_sent
    found = await client.find_attestations(attested.ref("attest/plain:1.0"), index_only=True)
    assert found.found == () and found.looked == ("the image index",)
    assert http.requests_sent - start == 1  # the index alone


async def test_a_docker_manifest_list_cannot_hold_attestations_and_says_so(
    attested: Attested, http: HttpClient
) -> None:
    found = await RegistryClient(http).find_attestations(attested.ref("attest/list:1.0"), Platform.parse("arm64"))
    assert found.found == ()
    assert found.manifest_digest == attested.listed.images[1].manifest.digest
    assert found.looked[0] == (
        "the image index (a Docker manifest list: BuildKit stores attestations in OCI image indexes only)"
    )
    assert found.looked[1:] == (
        "the referrers API",
        f"the referrers tag {referrers_tag(found.manifest_digest)}",
        f"the referrers tag {referrers_tag(attested.listed.manifest.digest)}",
    )


async def test_a_platform_the_index_does_not_offer_is_refused_as_inspect_refuses_it(
    attested: Attested, http: HttpClient
) -> None:
    client = RegistryClient(http)
    target = attested.ref("attest/app:1.0")
    with pytest.raises(NotFound) as err:
        await client.find_attestations(target, Platform.parse("linux/s390x"))
    with pytest.raises(NotFound) as inspected:
        await client.inspect(target, Platform.parse("linux/s390x"))
    assert str(err.value) == str(inspected.value)
    assert "linux/amd64, linux/arm64/v8." in str(err.value)  # no unknown/unknown among them


async def test_inspect_still_hides_and_refuses_attestation_manifests(attested: Attested, http: HttpClient) -> None:
    client = RegistryClient(http)
    inspection = await client.inspect(attested.ref("attest/app:1.0"))
    assert inspection.platforms == list(PLATFORMS)
    digest = attested.buildkit.attestations[0].manifest.digest
    with pytest.raises(InvalidInput) as err:
        await client.inspect(attested.ref(f"attest/app@{digest}"))
    assert "is not a container image: it holds 'application/vnd.in-toto+json' content" in str(err.value)
    with pytest.raises(InvalidInput):  # nor are its attestations looked for as an image's
        await client.find_attestations(attested.ref(f"attest/app@{digest}"))


async def test_a_layer_that_is_not_a_statement_is_one_sentence(attested: Attested, http: HttpClient) -> None:
    client = RegistryClient(http)
    found = await client.find_attestations(attested.ref("attest/broken:1.0"))
    [attestation] = found.found
    with pytest.raises(Upstream) as err:
        await client.read_statement(found.reference, attestation)
    assert str(err.value) == (
        f"The attestation blob {attestation.descriptor.digest} of {attested.pushed.host}/attest/broken:1.0 is not an"
        " in-toto Statement (_type is not an in-toto Statement (None)); the image's attestation is malformed, so"
        " hub-mcp cannot read it."
    )


# --- OCI 1.1 referrers by the tag schema, on the real registry ----------------------------------------------


async def test_referrers_tag_fallback_on_a_registry_without_the_api(attested: Attested, http: HttpClient) -> None:
    client = RegistryClient(http)
    start = http.requests_sent
    found = await client.find_attestations(attested.ref("attest/oras:1.0"), Platform.parse("amd64"))
    # index, referrers API (404), tag of the manifest, the SPDX referrer (the Notation signature is not read),
    # tag of the index, the bundle referrer
    assert http.requests_sent - start == 6
    assert kinds(found) == [(fake.SPDX, "referrers-tag"), (fake.SLSA_V02, "referrers-tag")]
    assert [ref.descriptor.media_type for ref in found.found] == [fake.SPDX_JSON, fake.SIGSTORE_BUNDLE]

    sbom = await client.read_statement(found.reference, found.found[0])
    assert (sbom.predicate_type, sbom.predicate["name"]) == (fake.SPDX, "oras")
    provenance = parse_provenance(await client.read_statement(found.reference, found.found[1]))
    assert provenance is not None and provenance.base_images[0].reference == "debian:12-slim"

    arm64 = await client.find_attestations(attested.ref("attest/oras:1.0"), Platform.parse("arm64"))
    assert kinds(arm64) == [(fake.SLSA_V02, "referrers-tag")]  # only what was attached to the index


# --- the referrers API (an in-process registry) ---------------------------------------------------------------

REG = "https://reg.example"
REF = ImageReference.parse("reg.example/team/app:1.0")


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as mock:
        yield mock


def api_registry(router: respx.MockRouter, *, api: bool) -> tuple[fake.ReferrersRegistry, images.BuiltIndex]:
    index = images.make_index(two_platforms("api"), attest=False)
    amd64 = index.images[0]
    registry = fake.ReferrersRegistry(REG, "team/app", api=api)
    registry.add_index("1.0", index)
    statement = fake.sbom_statement(amd64)
    registry.attach(
        amd64.manifest.digest,
        # BuildKit's attestation manifest as oci-artifact=true pushes it
        fake.referrer(amd64.manifest, fake.BUILDKIT_ATTESTATION, [images.Blob(images.IN_TOTO, statement)],
                      layer_annotations={"in-toto.io/predicate-type": fake.SPDX}),
    )
    registry.attach(amd64.manifest.digest, fake.referrer(amd64.manifest, NOTARY, [images.Blob("x/sig", b"sig")]))
    registry.attach(
        index.manifest.digest,
        fake.referrer(index.manifest, fake.SIGSTORE_BUNDLE, [images.Blob(fake.SIGSTORE_BUNDLE, b"{}")],
                      annotations={"dev.sigstore.bundle.content": "message-signature"}),
    )
    registry.attach(
        index.manifest.digest,
        fake.referrer(index.manifest, fake.SLSA_V02,
                      [images.Blob(images.IN_TOTO, fake.provenance_statement(amd64))]),
    )
    registry.tag_referrers(amd64.manifest.digest)
    registry.tag_referrers(index.manifest.digest)
    registry.mount(router)
    return registry, index


async def test_the_referrers_api_when_the_registry_has_it(router: respx.MockRouter, http: HttpClient) -> None:
    registry, index = api_registry(router, api=True)
    client = RegistryClient(http)
    found = await client.find_attestations(REF)
    amd64 = index.images[0].manifest.digest
    assert kinds(found) == [(fake.SPDX, "referrers"), (fake.SLSA_V02, "referrers")]  # signatures left out
    assert found.looked == ("the image index", "the referrers API")
    assert [r for r in registry.requests if not r.startswith("manifest sha256:")] == [
        "manifest 1.0",
        f"referrers {amd64}",
        f"referrers {index.manifest.digest}",
    ]  # no referrers tag read
    assert all("artifactType" not in str(call.request.url) for call in router.calls)  # no filter relied on
    statement = await client.read_statement(REF, found.found[0])
    assert statement.subjects[0].digest() == amd64


async def test_a_referrers_api_404_falls_back_to_the_tag_once(router: respx.MockRouter, http: HttpClient) -> None:
    registry, index = api_registry(router, api=False)
    found = await RegistryClient(http).find_attestations(REF)
    amd64 = index.images[0].manifest.digest
    assert kinds(found) == [(fake.SPDX, "referrers-tag"), (fake.SLSA_V02, "referrers-tag")]
    assert [r for r in registry.requests if not r.startswith("manifest sha256:")] == [
        "manifest 1.0",
        f"referrers {amd64}",
        f"manifest {referrers_tag(amd64)}",
        f"manifest {referrers_tag(index.manifest.digest)}",  # the API is not asked again for the index
    ]


async def test_a_referrers_answer_that_is_not_an_index_means_no_api(router: respx.MockRouter, http: HttpClient) -> None:
    registry, index = api_registry(router, api=True)
    router.get(url__startswith=f"{REG}/v2/team/app/referrers/").mock(
        return_value=httpx.Response(200, content=b"<html>hello</html>", headers={"Content-Type": "text/html"})
    )
    found = await RegistryClient(http).find_attestations(REF)
    assert kinds(found) == [(fake.SPDX, "referrers-tag"), (fake.SLSA_V02, "referrers-tag")]


async def test_referrers_reads_are_bounded(router: respx.MockRouter, http: HttpClient) -> None:
    registry, index = api_registry(router, api=True)
    amd64 = index.images[0]
    for n in range(MAX_ATTESTATION_MANIFESTS + 10):
        statement = fake.sbom_statement(amd64, name=f"test/app@{n}")
        registry.attach(amd64.manifest.digest,
                        fake.referrer(amd64.manifest, images.IN_TOTO, [images.Blob(images.IN_TOTO, statement)]))
    await RegistryClient(http).find_attestations(REF)
    read = [r for r in registry.requests if r.startswith("manifest sha256:")]
    assert len(read) == MAX_ATTESTATION_MANIFESTS


# --- blobs: limits, digests, shapes --------------------------------------------------------------------------


def blob_ref(data: bytes, *, size: int | None = None, digest: str | None = None) -> AttestationRef:
    given = {"mediaType": images.IN_TOTO, "digest": digest or images.sha256_digest(data)}
    descriptor = Descriptor.model_validate({**given, "size": len(data) if size is None else size})
    return AttestationRef(fake.SPDX, descriptor, "index")


async def test_a_blob_past_the_limit_is_refused_before_it_is_read(router: respx.MockRouter, http: HttpClient) -> None:
    route = router.get(url__startswith=f"{REG}/v2/team/app/blobs/")
    huge = 40 * 1024 * 1024
    attestation = blob_ref(b"x", size=huge)
    with pytest.raises(TooLarge) as err:
        await RegistryClient(http).read_statement(REF, attestation)
    assert str(err.value) == (
        f"The attestation blob {attestation.descriptor.digest} of reg.example/team/app:1.0 is 40 MiB, more than"
        " hub-mcp reads (16 MiB, the limit for one attestation blob)."
    )
    assert route.call_count == 0


async def test_a_blob_that_runs_past_the_limit_is_cut_off(router: respx.MockRouter, http: HttpClient) -> None:
    data = b" " * (BODY_LIMITS["attestation"] + 10)
    router.get(url__startswith=f"{REG}/v2/team/app/blobs/").mock(return_value=httpx.Response(200, content=data))
    with pytest.raises(TooLarge) as err:
        await RegistryClient(http).read_statement(REF, blob_ref(b"{}", size=2))  # the manifest understated it
    assert "larger than hub-mcp reads (16 MiB, the limit for an attestation blob" in str(err.value)


async def test_a_blob_that_does_not_match_its_digest(router: respx.MockRouter, http: HttpClient) -> None:
    real = fake.sbom_statement(images.make_image())
    router.get(url__startswith=f"{REG}/v2/team/app/blobs/").mock(return_value=httpx.Response(200, content=b"{}"))
    attestation = blob_ref(real)
    with pytest.raises(Upstream) as err:
        await RegistryClient(http).read_statement(REF, attestation)
    assert str(err.value).startswith(
        f"The attestation blob of reg.example/team/app:1.0 does not match its digest: expected"
        f" {attestation.descriptor.digest}, got {images.sha256_digest(b'{}')}."
    )


async def test_a_blob_of_another_size_than_declared(router: respx.MockRouter, http: HttpClient) -> None:
    real = fake.sbom_statement(images.make_image())
    router.get(url__startswith=f"{REG}/v2/team/app/blobs/").mock(return_value=httpx.Response(200, content=real))
    with pytest.raises(Upstream) as err:
        await RegistryClient(http).read_statement(REF, blob_ref(real, size=len(real) + 1))
    assert "but its manifest says" in str(err.value)


@pytest.mark.parametrize(
    ("media_type", "data", "why"),
    [
        (images.IN_TOTO, b"[1, 2]", "not a JSON object"),
        (images.IN_TOTO, b"\xff\xfe", "not JSON"),
        (fake.SPDX_JSON, b'{"packages": []}', "not an SPDX JSON document (no spdxVersion)"),
        (fake.SIGSTORE_BUNDLE, b'{"messageSignature": {}}', "a Sigstore bundle without a DSSE envelope"),
        (fake.SIGSTORE_BUNDLE, b'{"dsseEnvelope": {"payloadType": "text/plain", "payload": ""}}',
         "a DSSE envelope whose payload is not an in-toto Statement"),
        (fake.SIGSTORE_BUNDLE, b'{"dsseEnvelope": {"payloadType": "application/vnd.in-toto+json", "payload": "%%"}}',
         "a DSSE payload that is not base64"),
    ],
)
async def test_blobs_that_are_not_statements(
    router: respx.MockRouter, http: HttpClient, media_type: str, data: bytes, why: str
) -> None:
    router.get(url__startswith=f"{REG}/v2/team/app/blobs/").mock(return_value=httpx.Response(200, content=data))
    descriptor = Descriptor.model_validate(
        {"mediaType": media_type, "digest": images.sha256_digest(data), "size": len(data)}
    )
    with pytest.raises(Upstream) as err:
        await RegistryClient(http).read_statement(REF, AttestationRef("", descriptor, "referrers"))
    assert f"is not an in-toto Statement ({why}" in str(err.value)


# --- the referrers tag of a digest ------------------------------------------------------------------------------


def test_referrers_tags_follow_the_spec_table() -> None:
    """The three rows of distribution-spec's "Referrers Tag Schema" table."""
    assert referrers_tag("sha256:" + "a" * 64) == "sha256-" + "a" * 64
    assert referrers_tag("sha512:" + "a" * 128) == "sha512-" + "a" * 64
    odd = (
        "test+algorithm+using+algorithm+separators+and+lots+of+characters+to+excercise+overall+truncation:"
        "alsoSome=InTheEncodedSectionToShowHyphenReplacementAndLotsAndLotsOfCharactersToExcerciseEncodedTruncation"
    )
    assert referrers_tag(odd) == (
        "test-algorithm-using-algorithm-s-alsoSome-InTheEncodedSectionToShowHyphenReplacementAndLotsAndLot"
    )


async def test_attestations_both_in_the_index_and_among_the_referrers_count_once(
    router: respx.MockRouter, http: HttpClient
) -> None:
    """BuildKit's ``oci-artifact=true``: the attestation manifest stays in the index and is a referrer too."""
    index = fake.attested_index(two_platforms("both"))
    registry = fake.ReferrersRegistry(REG, "team/app")
    registry.add_index("1.0", index)
    image, attestation = index.images[0], index.attestations[0]
    registry.attach(
        image.manifest.digest, fake.Referrer(attestation.manifest, attestation.blobs, fake.BUILDKIT_ATTESTATION)
    )
    registry.mount(router)
    found = await RegistryClient(http).find_attestations(REF, referrers=True)
    assert kinds(found) == [(fake.SPDX, "index"), (fake.SLSA_V02, "index")]
    assert found.looked == ("the image index", "the referrers API")
    assert registry.requests.count(f"manifest {attestation.manifest.digest}") == 1  # read once, then cached


def referrers_page(*artifact_types: str) -> dict[str, object]:
    manifests = [
        {"mediaType": images.OCI_MANIFEST, "digest": images.sha256_digest(t.encode()), "size": 2, "artifactType": t}
        for t in artifact_types
    ]
    return {"schemaVersion": 2, "mediaType": images.OCI_INDEX, "manifests": manifests}


@pytest.mark.parametrize(
    ("link", "expected", "truncated"),
    [
        ("</v2/team/app/referrers/sha256:abc?page=2>; rel=\"next\"", ["a/one", "a/two"], False),
        ("<https://elsewhere.example/v2/team/app/referrers/x>; rel=\"next\"", ["a/one"], True),
    ],
)
async def test_referrers_pages_are_followed_on_the_same_origin_only(
    router: respx.MockRouter, http: HttpClient, link: str, expected: list[str], truncated: bool
) -> None:
    digest = "sha256:" + "ab" * 32
    router.get(f"{REG}/v2/team/app/referrers/{digest}").mock(
        return_value=httpx.Response(200, json=referrers_page("a/one"), headers={"Link": link})
    )
    router.get(f"{REG}/v2/team/app/referrers/sha256:abc", params={"page": "2"}).mock(
        return_value=httpx.Response(200, json=referrers_page("a/two"))
    )
    elsewhere = router.get(url__startswith="https://elsewhere.example")
    listed = await RegistryClient(http).list_referrers(REF, digest)
    assert [d.artifact_type for d in listed.descriptors] == expected
    assert (listed.via, listed.api, listed.truncated) == ("referrers", True, truncated)
    assert elsewhere.call_count == 0


async def test_an_index_in_an_index_is_looked_through(router: respx.MockRouter, http: HttpClient) -> None:
    inner = fake.attested_index(two_platforms("nested"))
    body = {
        "schemaVersion": 2,
        "mediaType": images.OCI_INDEX,
        "manifests": [
            {"mediaType": images.OCI_INDEX, "digest": inner.manifest.digest, "size": inner.manifest.size,
             "platform": {"os": "linux", "architecture": "amd64"}}
        ],
    }
    outer = images.Manifest(images.OCI_INDEX, images.canonical_json(body))
    registry = fake.ReferrersRegistry(REG, "team/app")
    registry.add_index("inner", inner)
    registry.manifests["1.0"] = outer
    registry.manifests[outer.digest] = outer
    registry.mount(router)
    found = await RegistryClient(http).find_attestations(REF)
    assert found.index_digest == outer.digest
    assert found.manifest_digest == inner.images[0].manifest.digest
    assert kinds(found) == [(fake.SPDX, "index"), (fake.SLSA_V02, "index")]


async def test_a_single_platform_image_has_only_referrers_to_look_in(attested: Attested, http: HttpClient) -> None:
    client = RegistryClient(http)
    target = attested.ref("test/single")  # a Docker v2 image for linux/amd64, no index
    found = await client.find_attestations(target)
    digest = attested.pushed.single.manifest.digest
    assert (str(found.platform), found.manifest_digest, found.index_digest, found.found) == (
        "linux/amd64", digest, None, ()
    )
    assert found.looked == ("the referrers API", f"the referrers tag {referrers_tag(digest)}")
    with pytest.raises(NotFound) as err:
        await client.find_attestations(target, Platform.parse("arm64"))
    with pytest.raises(NotFound) as inspected:
        await client.inspect(target, Platform.parse("arm64"))
    assert str(err.value) == str(inspected.value)
