"""RegistryClient against respx: redirects, digest checks, media types, error mapping, Link pages."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
import respx

from hub_mcp.errors import Forbidden, InvalidInput, NotFound, RateLimited, Unreachable, Upstream
from hub_mcp.net.http import HttpClient
from hub_mcp.registry import RegistryClient, compute_digest
from hub_mcp.registry.models import DOCKER_MANIFEST, OCI_INDEX, OCI_MANIFEST
from hub_mcp.vocab.references import ImageReference
from tests.fakes import images

REG = "https://reg.example"
REF = ImageReference.parse("reg.example/team/app:1.0")
IMAGE = images.single_arch_image()


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as mock:
        yield mock


def manifest_response(data: bytes, media_type: str | None, digest: str | None = None) -> httpx.Response:
    headers = {}
    if media_type:
        headers["Content-Type"] = media_type
    if digest:
        headers["Docker-Content-Digest"] = digest
    return httpx.Response(200, headers=headers, content=data)


def registry_error(status: int, code: str, message: str = "msg") -> httpx.Response:
    return httpx.Response(status, json={"errors": [{"code": code, "message": message, "detail": {}}]})


# --- where ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "said"),
    [
        ("reg.example/team/app:1.0", "the registry reg.example cannot be reached (reg.example:443: could not connect,"
         " ConnectError); check the network or the registry name, or try again in a minute."),
        ("team/app:1.0", "Docker Hub's registry cannot be reached (reg.example:443: could not connect, ConnectError);"
         " check the network (or HTTPS_PROXY), or try again in a minute."),
    ],
)
async def test_an_unreachable_registry_is_blamed_on_its_name_only_when_the_user_wrote_one(
    router: respx.MockRouter, http: HttpClient, image: str, said: str
) -> None:
    """Issue 17: an image on Docker Hub names no registry, so "check the registry name" is no help there."""
    router.get(url__startswith=REG).mock(side_effect=httpx.ConnectError("refused"))
    client = RegistryClient(http, docker_hub_url=REG)
    with pytest.raises(Unreachable) as err:
        await client.get_manifest(ImageReference.parse(image))
    assert str(err.value) == said


async def test_base_urls(http: HttpClient) -> None:
    client = RegistryClient(
        http, docker_hub_url="http://127.0.0.1:5000/", insecure_hosts=frozenset({"lan.example:5000", "plainhost"})
    )
    assert client.base_url("docker.io") == "http://127.0.0.1:5000"
    assert client.base_url("ghcr.io") == "https://ghcr.io"
    assert client.base_url("localhost:5000") == "http://localhost:5000"
    assert client.base_url("localhost") == "http://localhost"
    assert client.base_url("127.0.0.1:8080") == "http://127.0.0.1:8080"
    assert client.base_url("[::1]:5000") == "http://[::1]:5000"
    assert client.base_url("lan.example:5000") == "http://lan.example:5000"
    assert client.base_url("plainhost:1234") == "http://plainhost:1234"
    assert client.base_url("lan.example:6000") == "https://lan.example:6000"
    assert RegistryClient(http).base_url("docker.io") == "https://registry-1.docker.io"


# --- manifests ------------------------------------------------------------------------------------


async def test_manifest_request_accepts_all_four_types(router: respx.MockRouter, http: HttpClient) -> None:
    route = router.get(f"{REG}/v2/team/app/manifests/1.0").mock(
        return_value=manifest_response(IMAGE.manifest.data, DOCKER_MANIFEST, IMAGE.manifest.digest)
    )
    result = await RegistryClient(http).get_manifest(REF)
    accept = route.calls[0].request.headers["accept"]
    for media_type in (OCI_INDEX, images.DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST):
        assert media_type in accept
    assert result.digest == IMAGE.manifest.digest
    assert result.size == IMAGE.manifest.size


async def test_digest_is_computed_when_the_header_is_missing(router: respx.MockRouter, http: HttpClient) -> None:
    router.get(f"{REG}/v2/team/app/manifests/1.0").mock(
        return_value=manifest_response(IMAGE.manifest.data, "application/json; charset=utf-8")
    )
    result = await RegistryClient(http).get_manifest(REF)
    assert result.digest == compute_digest(IMAGE.manifest.data)
    assert result.media_type == DOCKER_MANIFEST  # from the body's mediaType


async def test_manifest_by_digest_is_verified(router: respx.MockRouter, http: HttpClient) -> None:
    other = images.nonroot_image()
    digest = IMAGE.manifest.digest
    router.get(f"{REG}/v2/team/app/manifests/{digest}").mock(
        return_value=manifest_response(other.manifest.data, OCI_MANIFEST, digest)
    )
    with pytest.raises(Upstream) as err:
        await RegistryClient(http).get_manifest(REF, digest)
    assert "does not match its digest" in str(err.value)


async def test_manifest_header_digest_mismatch_is_upstream(router: respx.MockRouter, http: HttpClient) -> None:
    router.get(f"{REG}/v2/team/app/manifests/1.0").mock(
        return_value=manifest_response(IMAGE.manifest.data, DOCKER_MANIFEST, "sha256:" + "a" * 64)
    )
    with pytest.raises(Upstream):
        await RegistryClient(http).get_manifest(REF)


async def test_unknown_manifest_media_type(router: respx.MockRouter, http: HttpClient) -> None:
    schema1 = json.dumps({"schemaVersion": 1, "name": "team/app", "tag": "1.0", "fsLayers": []}).encode()
    router.get(f"{REG}/v2/team/app/manifests/1.0").mock(
        return_value=manifest_response(schema1, "application/vnd.docker.distribution.manifest.v1+prettyjws")
    )
    with pytest.raises(Upstream) as err:
        await RegistryClient(http).get_manifest(REF)
    assert "does not understand" in str(err.value)
    assert "manifest.v1+prettyjws" in str(err.value)


async def test_manifest_that_is_not_json(router: respx.MockRouter, http: HttpClient) -> None:
    router.get(f"{REG}/v2/team/app/manifests/1.0").mock(return_value=manifest_response(b"<html>", OCI_MANIFEST))
    with pytest.raises(Upstream) as err:
        await RegistryClient(http).get_manifest(REF)
    assert "JSON" in str(err.value)


async def test_unknown_digest_algorithm_is_invalid_input(http: HttpClient) -> None:
    with pytest.raises(InvalidInput):
        await RegistryClient(http).get_manifest(REF, "md5:" + "a" * 32)


# --- blobs and redirects ------------------------------------------------------------------------


async def test_blob_redirect_to_another_host_drops_authorization(router: respx.MockRouter, http: HttpClient) -> None:
    config = IMAGE.config_blob
    router.get(f"{REG}/v2/team/app/manifests/1.0").mock(
        side_effect=[
            httpx.Response(401, headers={"WWW-Authenticate": 'Basic realm="reg"'}),
            manifest_response(IMAGE.manifest.data, DOCKER_MANIFEST, IMAGE.manifest.digest),
        ]
    )
    blob = router.get(f"{REG}/v2/team/app/blobs/{config.digest}").mock(
        return_value=httpx.Response(307, headers={"Location": f"https://cdn.example/blobs/{config.digest}?sig=x"})
    )
    cdn = router.get(f"https://cdn.example/blobs/{config.digest}").mock(
        return_value=httpx.Response(200, content=config.data)
    )
    client = RegistryClient(http, credentials={"reg.example": ("alice", "s3cret-pw")})
    result = await client.inspect(REF)
    assert result.user == ""
    assert blob.calls[0].request.headers["authorization"].startswith("Basic ")  # the registry gets it
    assert "authorization" not in cdn.calls[0].request.headers  # the CDN does not
    assert cdn.calls[0].request.url.params["sig"] == "x"


async def test_blob_digest_mismatch_is_upstream(router: respx.MockRouter, http: HttpClient) -> None:
    descriptor = IMAGE.manifest.json["config"]
    router.get(f"{REG}/v2/team/app/manifests/1.0").mock(
        return_value=manifest_response(IMAGE.manifest.data, DOCKER_MANIFEST, IMAGE.manifest.digest)
    )
    router.get(f"{REG}/v2/team/app/blobs/{descriptor['digest']}").mock(
        return_value=httpx.Response(200, content=images.nonroot_image().config_blob.data)
    )
    with pytest.raises(Upstream) as err:
        await RegistryClient(http).inspect(REF)
    assert "does not match its digest" in str(err.value)


async def test_missing_blob_is_upstream(router: respx.MockRouter, http: HttpClient) -> None:
    router.get(f"{REG}/v2/team/app/manifests/1.0").mock(
        return_value=manifest_response(IMAGE.manifest.data, DOCKER_MANIFEST, IMAGE.manifest.digest)
    )
    router.get(url__startswith=f"{REG}/v2/team/app/blobs/").mock(return_value=registry_error(404, "BLOB_UNKNOWN"))
    with pytest.raises(Upstream) as err:
        await RegistryClient(http).inspect(REF)
    assert "does not serve it" in str(err.value)


# --- error mapping ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "error", "phrase"),
    [
        (registry_error(404, "NAME_UNKNOWN"), NotFound, "Repository reg.example/team/app does not exist"),
        (registry_error(404, "MANIFEST_UNKNOWN"), NotFound, "reg.example/team/app:1.0 was not found"),
        (httpx.Response(404), NotFound, "was not found"),
        (registry_error(403, "DENIED", "requested access to the resource is denied"), Forbidden, "denied"),
        (registry_error(400, "TAG_INVALID"), InvalidInput, "invalid"),
        (registry_error(418, "TOOMANYREQUESTS", "pull rate limit"), RateLimited, "rate limiting"),
        (registry_error(405, "UNSUPPORTED"), Upstream, "does not support"),
        (httpx.Response(409), Upstream, "HTTP 409"),
    ],
)
async def test_registry_errors_are_mapped(
    router: respx.MockRouter, http: HttpClient, response: httpx.Response, error: type[Exception], phrase: str
) -> None:
    router.get(f"{REG}/v2/team/app/manifests/1.0").mock(return_value=response)
    with pytest.raises(error) as err:
        await RegistryClient(http).get_manifest(REF)
    assert phrase in str(err.value)


async def test_denied_without_credentials_names_the_missing_credential(
    router: respx.MockRouter, http: HttpClient
) -> None:
    router.get("https://auth.docker.io/token").mock(return_value=httpx.Response(200, json={"token": "anon"}))
    router.get("https://registry-1.docker.io/v2/team/app/manifests/1").mock(return_value=registry_error(403, "DENIED"))
    with pytest.raises(Forbidden) as err:
        await RegistryClient(http).get_manifest(ImageReference.parse("team/app:1"))
    assert "HUB_USERNAME" in str(err.value)


async def test_a_cold_client_asks_docker_hub_with_a_token_first_not_after_a_401(
    router: respx.MockRouter, http: HttpClient
) -> None:
    """Docker Hub's token service is documented (pulls.md: auth.docker.io/token, service registry.docker.io): the
    first manifest request of a cold client carries a token; no 401 is spent learning the scheme."""
    token = router.get("https://auth.docker.io/token").mock(return_value=httpx.Response(200, json={"token": "anon"}))
    head = router.head("https://registry-1.docker.io/v2/library/python/manifests/3.12").mock(
        return_value=httpx.Response(200, headers={"docker-content-digest": "sha256:" + "a" * 64})
    )
    assert await RegistryClient(http).head_manifest(ImageReference.parse("python:3.12")) is not None
    assert token.call_count == 1 and head.call_count == 1
    assert dict(token.calls[0].request.url.params) == {
        "service": "registry.docker.io",
        "scope": "repository:library/python:pull",
    }
    assert head.calls[0].request.headers["authorization"] == "Bearer anon"


async def test_429_goes_through_http_client_retries(router: respx.MockRouter) -> None:
    async def no_sleep(_: float) -> None:
        return None

    route = router.get(f"{REG}/v2/team/app/manifests/1.0").mock(
        return_value=httpx.Response(429, headers={"Retry-After": "1"}, json={"errors": [{"code": "TOOMANYREQUESTS"}]})
    )
    async with HttpClient(max_retries=2, retry_max_wait=10, sleep=no_sleep) as http:
        with pytest.raises(RateLimited):
            await RegistryClient(http).get_manifest(REF)
    assert route.call_count == 3


async def test_head_404_is_none_and_401_without_challenge_is_unauthorized(
    router: respx.MockRouter, http: HttpClient
) -> None:
    from hub_mcp.errors import Unauthorized

    router.head(f"{REG}/v2/team/app/manifests/1.0").mock(return_value=httpx.Response(404))
    router.head(f"{REG}/v2/team/app/manifests/2.0").mock(return_value=httpx.Response(401))
    client = RegistryClient(http)
    assert await client.head_manifest(REF) is None
    with pytest.raises(Unauthorized):
        await client.head_manifest(REF, "2.0")


async def test_head_without_digest_header_falls_back_to_get(router: respx.MockRouter, http: HttpClient) -> None:
    router.head(f"{REG}/v2/team/app/manifests/1.0").mock(return_value=httpx.Response(200))
    router.get(f"{REG}/v2/team/app/manifests/1.0").mock(
        return_value=manifest_response(IMAGE.manifest.data, DOCKER_MANIFEST)
    )
    head = await RegistryClient(http).head_manifest(REF)
    assert head is not None and head.digest == IMAGE.manifest.digest and head.media_type == DOCKER_MANIFEST


# --- tag pagination -------------------------------------------------------------------------------


def tag_pages(router: respx.MockRouter, pages: dict[str | None, tuple[list[str], str | None]]) -> respx.Route:
    def handler(request: httpx.Request) -> httpx.Response:
        tags, link = pages[request.url.params.get("last")]
        headers = {"Link": link} if link else {}
        return httpx.Response(200, headers=headers, json={"name": "team/app", "tags": tags})

    return router.get(url__startswith=f"{REG}/v2/team/app/tags/list").mock(side_effect=handler)


async def test_list_tags_follows_link_headers(router: respx.MockRouter, http: HttpClient) -> None:
    route = tag_pages(
        router,
        {
            None: (["a", "b"], '</v2/team/app/tags/list?n=2&last=b>; rel="next"'),
            "b": (["c", "d"], f'<{REG}/v2/team/app/tags/list?n=2&last=d>; rel="next"'),
            "d": (["e"], None),
        },
    )
    result = await RegistryClient(http).list_tags(REF, n=2)
    assert result.tags == ["a", "b", "c", "d", "e"] and result.truncated is False
    assert route.call_count == 3
    assert route.calls[0].request.url.params["n"] == "2"


async def test_list_tags_page_bound(router: respx.MockRouter, http: HttpClient) -> None:
    tag_pages(
        router,
        {
            None: (["a"], '</v2/team/app/tags/list?n=1&last=a>; rel="next"'),
            "a": (["b"], '</v2/team/app/tags/list?n=1&last=b>; rel="next"'),
            "b": (["c"], None),
        },
    )
    result = await RegistryClient(http).list_tags(REF, n=1, max_pages=2)
    assert result.tags == ["a", "b"] and result.truncated is True


async def test_list_tags_stops_on_a_link_loop(router: respx.MockRouter, http: HttpClient) -> None:
    loop = '</v2/team/app/tags/list?last=a>; rel="next"'
    route = tag_pages(router, {None: (["a"], loop), "a": (["b"], loop)})
    result = await RegistryClient(http).list_tags(REF)
    assert result.tags == ["a", "b"]
    assert route.call_count == 2  # the repeated link is not requested again


async def test_list_tags_does_not_follow_links_to_other_hosts(router: respx.MockRouter, http: HttpClient) -> None:
    tag_pages(router, {None: (["a"], '<https://elsewhere.example/v2/team/app/tags/list?last=a>; rel="next"')})
    result = await RegistryClient(http).list_tags(REF)
    assert result.tags == ["a"] and result.truncated is True
