"""The Bearer challenge flow against a respx registry + token service: tokens, cache, expiry, denials."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import anyio
import httpx
import pytest
import respx

from hub_mcp.errors import Forbidden, Refused, Unauthorized, Upstream
from hub_mcp.net.http import HttpClient
from hub_mcp.registry import RegistryClient
from hub_mcp.vocab.references import ImageReference, Platform
from tests.fakes import images
from tests.fakes.images import MULTI_ARCH_PLATFORMS
from tests.registry.bearer import REALM, SERVICE, BearerRegistry
from tests.registry.conftest import FakeClock

SECRET = "dckr_pat_SUPER_SECRET_value"
MULTI = images.multi_arch_index()
SINGLE = images.single_arch_image()


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as mock:
        yield mock


def make_registry(router: respx.MockRouter, **kwargs: object) -> BearerRegistry:
    fake = BearerRegistry(**kwargs)  # type: ignore[arg-type]
    fake.add_index("team/app", "1.0", MULTI)
    fake.add_image("team/single", "latest", SINGLE)
    fake.add_image("team/private", "1", SINGLE)
    fake.install(router)
    return fake


def client_for(http: HttpClient, **kwargs: object) -> RegistryClient:
    return RegistryClient(http, insecure_hosts=frozenset(), **kwargs)  # type: ignore[arg-type]


APP = ImageReference.parse("reg.example/team/app:1.0")
SINGLE_REF = ImageReference.parse("reg.example/team/single:latest")


async def test_anonymous_token_flow(router: respx.MockRouter, http: HttpClient) -> None:
    fake = make_registry(router)
    client = client_for(http)
    result = await client.inspect(APP, Platform.parse("arm64"))
    assert result.platforms == list(MULTI_ARCH_PLATFORMS)

    assert len(fake.token_requests) == 1
    token_request = fake.token_requests[0]
    assert str(token_request.url).startswith(REALM)
    assert token_request.url.params["service"] == SERVICE
    assert token_request.url.params["scope"] == "repository:team/app:pull"
    assert "authorization" not in token_request.headers  # anonymous
    statuses = [r.headers.get("authorization") for r in fake.registry_requests]
    assert statuses[0] is None and all(s == "Bearer tok-1" for s in statuses[1:])
    assert http.requests_sent == 5  # 401, token, index, platform manifest, config


async def test_credentials_go_to_the_token_service_as_basic(router: respx.MockRouter, http: HttpClient) -> None:
    fake = make_registry(router, credentials=("alice", SECRET), private={"team/private"})
    client = client_for(http, credentials={"reg.example": ("alice", SECRET)})
    await client.get_manifest(ImageReference.parse("reg.example/team/private:1"))
    header = fake.token_requests[0].headers["authorization"]
    assert header == "Basic " + base64.b64encode(f"alice:{SECRET}".encode()).decode()


async def test_token_is_cached_per_scope_and_sent_up_front(router: respx.MockRouter, http: HttpClient) -> None:
    fake = make_registry(router)
    client = client_for(http)
    await client.get_manifest(APP)
    await client.get_manifest(APP, MULTI.images[0].manifest.digest)
    await client.head_manifest(APP, "1.0", use_cache=False)
    assert len(fake.token_requests) == 1  # one token serves the repository
    assert sum(1 for r in fake.registry_requests if "authorization" not in r.headers) == 1  # only the first 401

    # another repository: the host's challenge is remembered, so the token comes first, no 401
    before = len(fake.registry_requests)
    await client.get_manifest(SINGLE_REF)
    assert len(fake.token_requests) == 2
    assert fake.token_requests[1].url.params["scope"] == "repository:team/single:pull"
    assert len(fake.registry_requests) == before + 1
    assert fake.registry_requests[-1].headers["authorization"] == "Bearer tok-2"


async def test_token_expiry_fetches_a_new_one(router: respx.MockRouter, http: HttpClient, clock: FakeClock) -> None:
    fake = make_registry(router, expires_in=60)
    client = client_for(http, clock=clock)
    await client.get_manifest(APP, MULTI.manifest.digest)
    assert len(fake.token_requests) == 1

    clock.advance(40)  # within the lifetime minus the margin (60 - 12 s)
    await client.get_manifest(APP, MULTI.images[0].manifest.digest)
    assert len(fake.token_requests) == 1

    clock.advance(10)  # 50 s: inside the safety margin, refresh before it expires
    await client.get_manifest(APP, MULTI.images[1].manifest.digest)
    assert len(fake.token_requests) == 2
    assert fake.registry_requests[-1].headers["authorization"] == "Bearer tok-2"


async def test_missing_expires_in_defaults_to_60_seconds(
    router: respx.MockRouter, http: HttpClient, clock: FakeClock
) -> None:
    fake = make_registry(router, expires_in=None, token_field="access_token")
    client = client_for(http, clock=clock)
    await client.get_manifest(APP, MULTI.manifest.digest)
    clock.advance(47)
    await client.get_manifest(APP, MULTI.images[0].manifest.digest)
    assert len(fake.token_requests) == 1
    clock.advance(2)
    await client.get_manifest(APP, MULTI.images[1].manifest.digest)
    assert len(fake.token_requests) == 2


@pytest.mark.parametrize(
    ("expires_in", "kept"),
    [
        (10**400, 3600),  # float() of it overflows
        (float("inf"), 3600),
        (1e300, 3600),
        (86_400 * 365, 3600),
        (-300, 60),
        (-(10**400), 60),
        (float("nan"), 60),
        ("300", 60),
        (True, 60),
    ],
    ids=["10**400", "inf", "1e300", "a-year", "negative", "-10**400", "nan", "text", "true"],
)
async def test_an_absurd_expires_in_keeps_the_token_a_bounded_time(
    router: respx.MockRouter, http: HttpClient, clock: FakeClock, expires_in: object, kept: int
) -> None:
    """What a token service says it lasts is believed only between 0 and an hour: anything else is the
    spec's default (60 s) or the hour, never a crash or a token kept for ever."""
    fake = make_registry(router, expires_in=expires_in)
    client = client_for(http, clock=clock)
    await client.get_manifest(APP, MULTI.manifest.digest)
    reused = kept - min(30, kept * 0.2)  # the lifetime minus its margin (20 %, at most 30 s)
    clock.advance(reused - 1)
    await client.get_manifest(APP, MULTI.images[0].manifest.digest)
    assert len(fake.token_requests) == 1
    clock.advance(2)
    await client.get_manifest(APP, MULTI.images[1].manifest.digest)
    assert len(fake.token_requests) == 2


async def test_revoked_token_is_replaced_once(router: respx.MockRouter, http: HttpClient) -> None:
    fake = make_registry(router)
    client = client_for(http)
    await client.get_manifest(APP, MULTI.manifest.digest)
    fake.revoke_all()
    result = await client.get_manifest(APP, MULTI.images[0].manifest.digest)
    assert result.digest == MULTI.images[0].manifest.digest
    assert len(fake.token_requests) == 2


async def test_private_repository_anonymously_names_the_missing_credential(
    router: respx.MockRouter, http: HttpClient
) -> None:
    make_registry(router, private={"team/private"})
    client = client_for(http)
    with pytest.raises(Unauthorized) as err:
        await client.get_manifest(ImageReference.parse("reg.example/team/private:1"))
    message = str(err.value)
    assert "reg.example/team/private" in message
    assert "no credentials are configured for reg.example" in message


async def test_unknown_repository_anonymously(router: respx.MockRouter, http: HttpClient) -> None:
    make_registry(router)
    with pytest.raises(Unauthorized) as err:
        await client_for(http).get_manifest(ImageReference.parse("reg.example/team/nothing:1"))
    assert "does not exist, or it is private" in str(err.value)


async def test_insufficient_scope_with_credentials_is_forbidden(router: respx.MockRouter, http: HttpClient) -> None:
    fake = make_registry(router, credentials=("alice", SECRET))
    client = client_for(http, credentials={"reg.example": ("alice", SECRET)})
    with pytest.raises(Forbidden) as err:
        await client.get_manifest(ImageReference.parse("reg.example/team/nothing:1"))
    message = str(err.value)
    assert "accepted the credentials of 'alice'" in message and "team/nothing" in message
    assert SECRET not in message
    assert len(fake.token_requests) == 1  # a fresh token that is refused is not fetched again


async def test_rejected_credentials_leave_public_images_readable_anonymously(
    router: respx.MockRouter, http: HttpClient
) -> None:
    fake = make_registry(router, credentials=("alice", "the-right-one"), private={"team/private"})
    client = client_for(http, credentials={"reg.example": ("alice", SECRET)})
    assert client.notices() == []
    result = await client.get_manifest(APP)  # public: answered with an anonymous token
    assert result is not None
    notices = client.notices()
    assert len(notices) == 1 and "rejected the credentials for 'alice'" in notices[0]
    assert "HUB_MCP_REGISTRY_CREDENTIALS" in notices[0] and SECRET not in notices[0]
    assert "authorization" in fake.token_requests[0].headers  # tried with the credentials first
    assert "authorization" not in fake.token_requests[-1].headers
    with pytest.raises(Unauthorized) as err:  # private: anonymous cannot, and the answer says so
        await client.get_manifest(ImageReference.parse("reg.example/team/private:1"))
    assert SECRET not in str(err.value)
    asked = len(fake.token_requests)
    await client.get_manifest(ImageReference.parse("reg.example/team/single:latest"))
    assert all("authorization" not in r.headers for r in fake.token_requests[asked:])  # not retried each time


async def test_rejected_credentials_where_anonymous_is_refused_too(router: respx.MockRouter, http: HttpClient) -> None:
    make_registry(router, credentials=("alice", "the-right-one"))
    router.get(url__startswith="https://auth.example/token").mock(
        return_value=httpx.Response(401, json={"details": "incorrect username or password"})
    )
    client = client_for(http, credentials={"reg.example": ("alice", SECRET)})
    with pytest.raises(Unauthorized) as err:
        await client.get_manifest(APP)
    message = str(err.value)
    assert "rejected" in message and "'alice'" in message
    assert SECRET not in message


async def test_docker_hub_hint_names_hub_settings(router: respx.MockRouter, http: HttpClient) -> None:
    make_registry(router, private={"library/secret"})
    client = RegistryClient(http, docker_hub_url="https://reg.example")
    with pytest.raises(Unauthorized) as err:
        await client.get_manifest(ImageReference.parse("secret:1"))
    assert "HUB_USERNAME" in str(err.value) and "HUB_PAT_TOKEN" in str(err.value)
    assert "docker.io" in str(err.value)


async def test_docker_hub_credentials_are_used_for_docker_io(router: respx.MockRouter, http: HttpClient) -> None:
    fake = BearerRegistry(credentials=("alice", SECRET), private={"library/secret"})
    fake.add_image("library/secret", "1", SINGLE)
    fake.install(router)
    client = RegistryClient(
        http, docker_hub_url="https://reg.example", credentials={"registry-1.docker.io": ("alice", SECRET)}
    )
    result = await client.inspect(ImageReference.parse("secret:1"))
    assert result.reference == "secret:1"
    assert "authorization" in fake.token_requests[0].headers


async def test_challenge_with_commas_in_quoted_scope(router: respx.MockRouter, http: HttpClient) -> None:
    fake = make_registry(
        router,
        challenge_header=f'Bearer realm="{REALM}", service="{SERVICE}", scope="repository:team/app:pull,push"',
    )
    client = client_for(http)
    # the token is issued for "pull,push", which the fake refuses: but the request shows what we sent
    with pytest.raises(Unauthorized):
        await client.get_manifest(APP)
    assert fake.token_requests[0].url.params["scope"] == "repository:team/app:pull,push"
    assert fake.token_requests[0].url.params["service"] == SERVICE


async def test_token_service_without_token_is_upstream(router: respx.MockRouter, http: HttpClient) -> None:
    make_registry(router)
    router.get(url__startswith=REALM).mock(return_value=httpx.Response(200, json={"nothing": True}))
    with pytest.raises(Upstream) as err:
        await client_for(http).get_manifest(APP)
    assert "without a token" in str(err.value)


async def test_plain_http_realm_of_an_https_registry_is_refused(router: respx.MockRouter, http: HttpClient) -> None:
    """Issue 10: a registry reached over https may not send us (and the credentials) to a plain-http realm."""
    router.get("https://plain.example/v2/x/y/manifests/1").mock(
        return_value=httpx.Response(401, headers={"WWW-Authenticate": 'Bearer realm="http://evil.example/token"'})
    )
    realm = router.get(url__startswith="http://evil.example/token").mock(
        return_value=httpx.Response(200, json={"token": "t"})
    )
    client = RegistryClient(http, credentials={"plain.example": ("alice", SECRET)})
    with pytest.raises(Refused) as err:
        await client.get_manifest(ImageReference.parse("plain.example/x/y:1"))
    assert not realm.called
    assert err.value.rule == "realm-https"
    assert "https token service" in str(err.value) and "HUB_MCP_INSECURE_REGISTRIES" in str(err.value)


async def test_plain_http_realm_does_not_get_credentials(router: respx.MockRouter, http: HttpClient) -> None:
    """A plain-http registry may use a plain-http realm, but the credentials do not travel there in clear."""
    seen: list[httpx.Request] = []

    def token(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"token": "t"})

    router.get("http://plain.example/v2/x/y/manifests/1").mock(
        side_effect=[
            httpx.Response(401, headers={"WWW-Authenticate": 'Bearer realm="http://evil.example/token"'}),
            httpx.Response(
                200,
                headers={"Content-Type": images.DOCKER_MANIFEST},
                content=SINGLE.manifest.data,
            ),
        ]
    )
    router.get(url__startswith="http://evil.example/token").mock(side_effect=token)
    client = RegistryClient(
        http, credentials={"plain.example": ("alice", SECRET)}, insecure_hosts=frozenset({"plain.example"})
    )
    await client.get_manifest(ImageReference.parse("plain.example/x/y:1"))
    assert "authorization" not in seen[0].headers


async def test_concurrent_requests_share_one_token(router: respx.MockRouter, http: HttpClient) -> None:
    fake = make_registry(router)
    client = client_for(http)
    await client.get_manifest(SINGLE_REF)  # learn the challenge
    async with anyio.create_task_group() as group:
        for image in MULTI.images:
            group.start_soon(client.get_manifest, APP, image.manifest.digest)
    assert len(fake.token_requests) == 2  # one for team/single, one shared by the three team/app requests
