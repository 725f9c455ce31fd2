"""RegistryClient against a real ``docker-registry`` (distribution 2.8) with pushed test images."""

from __future__ import annotations

import pytest

from hub_mcp.errors import InvalidInput, NotFound, Unauthorized
from hub_mcp.net.http import HttpClient
from hub_mcp.registry import ImageIndex, ImageManifest, RegistryClient, compute_digest
from hub_mcp.registry.models import DOCKER_MANIFEST, OCI_INDEX, OCI_MANIFEST
from hub_mcp.vocab.references import ImageReference, Platform
from tests.fakes.images import MULTI_ARCH_PLATFORMS, NONROOT_LABELS
from tests.registry.conftest import AUTH_PASSWORD, AUTH_USER, TAGS, FakeClock, Pushed


def ref(pushed: Pushed, name: str) -> ImageReference:
    return ImageReference.parse(f"{pushed.host}/{name}")


# --- inspect ---------------------------------------------------------------------------------


@pytest.mark.parametrize("asked", ["linux/amd64", "arm64", "aarch64", "linux/arm64/v8", "arm32v7", "linux/arm/v7"])
async def test_inspect_multi_arch_picks_the_platform(registry: Pushed, http: HttpClient, asked: str) -> None:
    client = RegistryClient(http)
    result = await client.inspect(ref(registry, "test/multi:1.0"), Platform.parse(asked))

    wanted = Platform.parse(asked)
    image = next(i for i in registry.multi.images if wanted.matches(Platform.parse(i.platform)))
    assert result.platforms == list(MULTI_ARCH_PLATFORMS)  # attestations hidden
    assert result.platform == image.platform
    assert result.index_digest == registry.multi.manifest.digest
    assert result.manifest_digest == image.manifest.digest
    assert result.compressed_size_bytes == sum(layer.size for layer in image.layers)
    assert result.layer_count == 3
    assert result.created == "2026-10-01T12:00:00Z"
    assert result.user == "" and result.runs_as_root is True
    assert result.cmd == ["python3", "/app/main.py"]
    assert result.working_dir == "/app"
    assert result.exposed_ports == ["80/tcp"]
    assert f"PLATFORM={image.platform}" in result.env
    assert result.reference == f"{registry.host}/test/multi:1.0"


async def test_sizes_differ_per_platform(registry: Pushed, http: HttpClient) -> None:
    client = RegistryClient(http)
    sizes = {
        p: (await client.inspect(ref(registry, "test/multi:1.0"), Platform.parse(p))).compressed_size_bytes
        for p in MULTI_ARCH_PLATFORMS
    }
    assert sizes == {i.platform: i.compressed_size for i in registry.multi.images}
    assert len(set(sizes.values())) == 3


async def test_inspect_single_arch_docker_v2_redacts_secrets(registry: Pushed, http: HttpClient) -> None:
    result = await RegistryClient(http).inspect(ref(registry, "test/single"))  # no tag: latest
    assert result.tag == "latest"
    assert result.index_digest is None
    assert result.platforms == ["linux/amd64"] and result.platform == "linux/amd64"
    assert result.manifest_digest == registry.single.manifest.digest
    assert result.compressed_size_bytes == registry.single.compressed_size
    assert result.layer_count == 2
    assert result.entrypoint == ["/usr/bin/app"] and result.cmd == ["--serve"]
    assert result.exposed_ports == ["8080/tcp", "9090/udp"]
    assert "DB_PASSWORD=<redacted>" in result.env
    assert "API_TOKEN=<redacted>" in result.env
    assert "DATABASE_URL=postgres://app:<redacted>@db:5432/app" in result.env
    assert "APP_VERSION=1.2.3" in result.env
    dumped = result.model_dump_json()
    assert "hunter2" not in dumped and "tok-123" not in dumped and "s3cret" not in dumped


async def test_inspect_nonroot_user_and_labels(registry: Pushed, http: HttpClient) -> None:
    result = await RegistryClient(http).inspect(ref(registry, "test/nonroot:2"), Platform.parse("linux/arm64"))
    assert result.user == "1000:1000"
    assert result.runs_as_root is False
    assert result.labels == NONROOT_LABELS
    assert list(result.labels)[:3] == sorted(k for k in NONROOT_LABELS if k.startswith("org.opencontainers"))
    assert result.entrypoint == ["/entrypoint.sh"]
    assert result.platform == "linux/arm64/v8"


async def test_missing_platform_lists_the_existing_ones(registry: Pushed, http: HttpClient) -> None:
    client = RegistryClient(http)
    with pytest.raises(NotFound) as err:
        await client.inspect(ref(registry, "test/multi:1.0"), Platform.parse("linux/s390x"))
    message = str(err.value)
    assert "linux/s390x" in message
    for platform in MULTI_ARCH_PLATFORMS:
        assert platform in message
    assert "unknown" not in message

    with pytest.raises(NotFound) as err:
        await client.inspect(ref(registry, "test/nonroot:2"), Platform.parse("linux/amd64"))
    assert "linux/arm64/v8" in str(err.value)


async def test_unknown_repository_and_tag_are_not_found(registry: Pushed, http: HttpClient) -> None:
    client = RegistryClient(http)
    with pytest.raises(NotFound) as err:
        await client.inspect(ref(registry, "test/nope:1"))
    assert "test/nope" in str(err.value)
    with pytest.raises(NotFound) as err:
        await client.inspect(ref(registry, "test/multi:9.9"))
    assert "test/multi:9.9" in str(err.value)
    with pytest.raises(NotFound) as err:
        await client.list_tags(ref(registry, "test/nope"))
    assert "Repository" in str(err.value) and "does not exist" in str(err.value)
    missing = "sha256:" + "0" * 64
    with pytest.raises(NotFound):
        await client.get_manifest(ref(registry, f"test/multi@{missing}"))


async def test_docker_hub_names_go_to_the_configured_url(registry: Pushed, http: HttpClient) -> None:
    client = RegistryClient(http, docker_hub_url=registry.registry.url)
    result = await client.inspect(ImageReference.parse("python:3.12"), Platform.parse("arm64"))
    assert result.reference == "python:3.12"
    assert result.repository == "library/python"
    assert result.platforms == list(MULTI_ARCH_PLATFORMS)


async def test_inspect_by_digest(registry: Pushed, http: HttpClient) -> None:
    client = RegistryClient(http)
    digest = registry.multi.manifest.digest
    result = await client.inspect(ref(registry, f"test/multi@{digest}"), Platform.parse("arm/v7"))
    assert result.index_digest == digest
    assert result.platform == "linux/arm/v7"


async def test_artifact_is_not_inspected_as_an_image(registry: Pushed, http: HttpClient) -> None:
    attestation = registry.multi.attestations[0]
    client = RegistryClient(http)
    with pytest.raises(InvalidInput) as err:
        await client.inspect(ref(registry, f"test/multi@{attestation.manifest.digest}"))
    assert "not a container image" in str(err.value)


# --- manifests, HEAD ------------------------------------------------------------------------------


async def test_get_manifest_returns_type_digest_and_model(registry: Pushed, http: HttpClient) -> None:
    client = RegistryClient(http)
    index = await client.get_manifest(ref(registry, "test/multi:1.0"))
    assert index.media_type == OCI_INDEX
    assert index.digest == registry.multi.manifest.digest == compute_digest(registry.multi.manifest.data)
    assert index.size == registry.multi.manifest.size
    assert isinstance(index.manifest, ImageIndex)
    assert len(index.manifest.manifests) == 6  # 3 images + 3 attestations
    entry = client.select_platform(index.manifest, Platform.parse("arm64"))
    assert entry.digest == registry.multi.images[1].manifest.digest

    single = await client.get_manifest(ref(registry, "test/single"), "latest")
    assert single.media_type == DOCKER_MANIFEST
    assert isinstance(single.manifest, ImageManifest)
    assert single.manifest.compressed_size == registry.single.compressed_size

    by_digest = await client.get_manifest(ref(registry, "test/nonroot"), registry.nonroot.manifest.digest)
    assert by_digest.media_type == OCI_MANIFEST
    config = await client.get_config(ref(registry, "test/nonroot"), by_digest.manifest.config)  # type: ignore[union-attr]
    assert config.config is not None and config.config.user == "1000:1000"


async def test_head_manifest_checks_existence(registry: Pushed, http: HttpClient) -> None:
    client = RegistryClient(http)
    head = await client.head_manifest(ref(registry, "test/multi:1.0"))
    assert head is not None
    assert head.digest == registry.multi.manifest.digest
    assert head.media_type == OCI_INDEX
    assert head.size == registry.multi.manifest.size
    assert await client.head_manifest(ref(registry, "test/multi:nope")) is None
    assert await client.head_manifest(ref(registry, "test/nope:1")) is None
    assert await client.head_manifest(ref(registry, "test/multi"), "sha256:" + "1" * 64) is None
    assert (await client.head_manifest(ref(registry, "test/single"), registry.single.manifest.digest)) is not None


# --- request counts and caching ---------------------------------------------------------------


async def test_cold_and_warm_inspect_request_counts(registry: Pushed, http: HttpClient, clock: FakeClock) -> None:
    client = RegistryClient(http, clock=clock, tag_ttl=60)
    target = ref(registry, "test/multi:1.0")
    arm64 = Platform.parse("arm64")

    start = http.requests_sent
    cold = await client.inspect(target, arm64)
    assert http.requests_sent - start == 3  # index, platform manifest, config blob

    start = http.requests_sent
    warm = await client.inspect(target, arm64)
    assert warm == cold
    assert http.requests_sent - start == 0  # tag within its TTL, manifests and config cached

    clock.advance(61)
    start = http.requests_sent
    assert await client.inspect(target, arm64) == cold
    assert http.requests_sent - start == 1  # one HEAD revalidates the tag

    start = http.requests_sent
    await client.inspect(target, Platform.parse("linux/arm/v7"))
    assert http.requests_sent - start == 2  # another platform: its manifest and config

    start = http.requests_sent
    assert await client.head_manifest(target) is not None
    assert http.requests_sent - start == 0
    assert await client.head_manifest(target, use_cache=False) is not None
    assert http.requests_sent - start == 1


# --- tags -------------------------------------------------------------------------------------------


async def test_list_tags_returns_all_tags_sorted(registry: Pushed, http: HttpClient) -> None:
    """distribution 2.8 ignores ``n``/``last`` on tags/list and answers in storage order.

    ``Link`` pagination itself is tested against respx in ``test_mocked_registry.py``.
    """
    client = RegistryClient(http)
    for n in (None, 2):
        result = await client.list_tags(ref(registry, "test/tags"), n=n)
        assert result.tags == list(TAGS)
        assert result.truncated is False
        assert result.repository == f"{registry.host}/test/tags"


async def test_list_tags_bounds_and_last(registry: Pushed, http: HttpClient) -> None:
    client = RegistryClient(http)
    capped = await client.list_tags(ref(registry, "test/tags"), n=2, max_tags=3)
    assert capped.tags == ["a", "b", "c"] and capped.truncated is True
    after = await client.list_tags(ref(registry, "test/tags"), n=2, last="c")
    assert after.tags == ["d", "e"] and after.truncated is False
    with pytest.raises(InvalidInput):
        await client.list_tags(ref(registry, "test/tags"), n=0)


# --- Basic auth (htpasswd) -------------------------------------------------------------------------


async def test_basic_auth_with_credentials(auth_registry: Pushed, http: HttpClient) -> None:
    client = RegistryClient(http, credentials={auth_registry.host: (AUTH_USER, AUTH_PASSWORD)})
    start = http.requests_sent
    result = await client.inspect(ref(auth_registry, "private/app:1"), Platform.parse("arm64"))
    assert result.user == "1000:1000"
    assert http.requests_sent - start == 3  # 401, the retried manifest, the config

    start = http.requests_sent
    result = await client.inspect(ref(auth_registry, "private/multi:1"), Platform.parse("amd64"))
    assert result.platforms == list(MULTI_ARCH_PLATFORMS)
    assert http.requests_sent - start == 3  # Basic sent up front: no second 401


async def test_basic_auth_without_credentials_names_the_host(auth_registry: Pushed, http: HttpClient) -> None:
    client = RegistryClient(http)
    with pytest.raises(Unauthorized) as err:
        await client.inspect(ref(auth_registry, "private/app:1"))
    assert f"no credentials are configured for {auth_registry.host}" in str(err.value)


async def test_basic_auth_for_docker_hub_names_the_settings(auth_registry: Pushed, http: HttpClient) -> None:
    client = RegistryClient(http, docker_hub_url=auth_registry.registry.url)
    with pytest.raises(Unauthorized) as err:
        await client.head_manifest(ImageReference.parse("private/app:1"))
    assert "HUB_USERNAME" in str(err.value) and "HUB_PAT_TOKEN" in str(err.value)


async def test_basic_auth_with_wrong_password(auth_registry: Pushed, http: HttpClient) -> None:
    wrong = "not-the-password-42"
    client = RegistryClient(http, credentials={auth_registry.host: (AUTH_USER, wrong)})
    with pytest.raises(Unauthorized) as err:
        await client.get_manifest(ref(auth_registry, "private/app:1"))
    message = str(err.value)
    assert "rejected" in message and repr(AUTH_USER) in message
    assert wrong not in message


async def test_basic_auth_for_docker_hub_credentials(auth_registry: Pushed, http: HttpClient) -> None:
    client = RegistryClient(
        http, docker_hub_url=auth_registry.registry.url, credentials={"docker.io": (AUTH_USER, AUTH_PASSWORD)}
    )
    head = await client.head_manifest(ImageReference.parse("private/app:1"))
    assert head is not None and head.digest == auth_registry.nonroot.manifest.digest
